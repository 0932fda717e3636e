#!/usr/bin/env python3
"""Lay real news items out as OCR'd / extracted newspaper pages whose right answer is known.

    python3 scripts/make_pages.py NEWS.jsonl.gz OUT [--pages 1200] [--seed 1] [--heldout-every 4]

Writes OUT/tune/*.txt with OUT/tune.json and OUT/heldout/*.txt with OUT/heldout.json (the
reference, in the format of ../shared/eval/seeds-truth.json, scored by score_segmentation.py).
Page k goes to the held-out part when k % heldout_every == 0; the news items are split the
same way (by a hash of the title), so no item's text is on both sides. Everything is decided by
random.Random(seed, page number): the same arguments give the same bytes.

What varies (per page, unless said): column width 10–28 characters with jittered line ends and
width changes inside an article; blank lines after every line, between column pieces, between
paragraphs, or none; paragraph indents (two full-width spaces, one space, none, lost); headline
position (before its article, after the byline, after its article, gathered at the end of the
page, print-extraction order: body, author affiliation, headline group, author name); headlines
on one line, two lines, wider than the column, set vertically one character per line; kickers
(with —— or not) and subtitles (——…); series labels 【…】; bylines of many kinds (■本报记者,
记者, reporter + correspondent, trailing 整理 / 摄影报道 bylines, plain names split over lines)
and none; agency datelines and 据……报道 leads; articles with no byline mixed with bylined ones;
long articles with subheads of their own (phrases of their sections, sometimes
numbered) and digests whose items keep their titles; boxes (label + text); photo captions with credits; page headers
and rubrics; digits lost to OCR; Latin words split at a line end; Markdown headings.
"""
import argparse
import gzip
import hashlib
import json
import os
import random
import re

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉晓东海波宁辉鹏飞颖琳雪梅冰莉晨阳凯俊浩宇昊然轩博睿欣怡佳琪嘉思雨萱涵晗"
CITIES = ["北京", "上海", "广州", "武汉", "成都", "西安", "南京", "杭州", "长沙", "昆明", "兰州", "拉萨", "哈尔滨", "福州"]
MEDIA = ["新华社", "中央广播电视总台", "本台", "本报", "中新社"]
BOX_LABELS = ["阅读提示", "核心提示", "编者按", "相关链接", "延伸阅读", "记者手记", "背景资料"]
SERIES = ["聚焦", "一线见闻", "新时代新气象", "基层故事", "走基层", "权威发布", "今日关注", "数说"]
INSTITUTES = ["大学马克思主义学院", "社会科学院", "师范大学", "财经大学", "党校", "研究中心", "理工大学"]
ROLES = ["教授", "研究员", "副教授", "主任", "院长", "博士生导师"]
SECTIONS = ["要闻", "综合", "理论", "国际", "社会", "经济", "文化", "地方"]
WEEK = "一二三四五六日"
CLOSERS = "，。、；：！？”’）》…,.;:!?)"
SENT_END = "。！？”…"


def name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))


def clean_item(o):
    paras = []
    for p in o.get("paragraphs") or []:
        for q in str(p).split("\n"):
            q = re.sub(r"\s+", " ", q).strip()
            if q:
                paras.append(q)
    if paras:
        # the source's own lead-in ("XX网消息（新闻联播）：") and editor credits are not news text
        paras[0] = re.sub(r"^[^：:，,。]{0,16}消息[（(][^）)]*[）)][：:]", "", paras[0]).strip()
    paras = [p for p in paras if p and not re.match(r"^[（(](视频|文字)?编辑", p)]
    title = re.sub(r"\s+", " ", str(o.get("title") or "")).strip()
    if not title or not paras or sum(len(p) for p in paras) < 60 or len(title) > 40:
        return None
    return {"date": o.get("date", ""), "title": title, "paras": paras}


def cells(c):
    return 1 if c.isascii() else 2


def tokens(text, split_latin):
    """Characters, with runs of Latin letters and digits kept together unless split_latin."""
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and text[j].isascii() and text[j].isalnum():
            j += 1
        if j > i and not split_latin:
            out.append(text[i:j])
            i = j
        elif j > i:
            out.extend(text[i:j])
            i = j
        else:
            out.append(text[i])
            i += 1
    return out


def wrap(rng, text, width, first_short, split_latin=False, ragged=False):
    """Break text into lines of about `width` Han characters (jittered), the first
    `first_short` characters shorter; closing punctuation hangs at the end of a line."""
    lines, cur, w = [], "", 0
    limit = 2 * (width - first_short)
    for t in tokens(text, split_latin):
        tw = sum(cells(c) for c in t)
        if w + tw > limit and cur and t[0] not in CLOSERS:
            lines.append(cur)
            cur, w = "", 0
            limit = 2 * width + rng.choice([0, 0, 0, 0, -2, 2])
            if ragged:
                limit = 2 * max(4, int(width * rng.uniform(0.55, 1.5)))
        cur += t
        w += tw
    if cur:
        lines.append(cur)
    return lines


class Page:
    def __init__(self, rng):
        self.rng = rng
        r = rng
        self.width = r.randint(10, 28)
        # some tools print one paragraph per line (web and Markdown extraction, long-line OCR)
        self.long = r.random() < 0.18
        # OCR of uneven columns: every line's width drawn around the column width
        self.ragged = r.random() < 0.25
        # loose pages: a blank line after most lines (this share of them)
        self.loose_p = r.choice([0.5, 0.8, 1.0])
        self.blank = r.choice(["none", "none", "pieces", "loose", "paras", "paras"])
        self.indent = r.choice(["none", "full", "full", "space", "lost"])
        self.order = r.choice(["before", "before", "before", "after_author", "after", "endblock", "print", "print"])
        if self.order == "print":
            self.blank, self.indent = "none", r.choice(["lost", "none"])
        self.md = self.order in ("before", "after_author") and r.random() < 0.12
        self.byline_p = r.choice([0.0, 0.5, 0.8, 1.0])
        self.byline_kinds = r.sample(["bj", "bjt", "jz", "zl", "sy", "plain", "dl"], 3)
        if self.order == "print":
            self.byline_p, self.byline_kinds = 1.0, ["plain"]
        self.dateline_p = r.choice([0.0, 0.3, 0.7])
        self.digits_lost = r.random() < 0.2
        self.split_latin = r.random() < 0.3
        self.vertical_p = 0.35 if self.order == "print" else (0.05 if self.blank != "loose" else 0.0)
        self.col_height = r.randint(18, 70)
        self.lines = []  # the page as written
        self.labels = []  # what each line is (see LABELS)
        self.body_lines_in_col = 0

    # -- text pieces ------------------------------------------------------------------------
    def emit(self, line, label):
        self.lines.append(line)
        self.labels.append(label)
        if self.blank == "loose" and self.rng.random() < self.loose_p:
            self.blank_line()
        if label in "APC":
            self.body_lines_in_col += 1
            if self.blank == "pieces" and self.body_lines_in_col >= self.col_height:
                self.blank_line()
                self.body_lines_in_col = 0
                self.col_height = self.rng.randint(18, 70)

    def gap(self):
        """A break between blocks (blank line where the page has them)."""
        if self.blank in ("pieces", "paras") and self.lines and self.lines[-1] != "":
            self.blank_line()

    def blank_line(self):
        self.lines.append("")
        self.labels.append("-")

    def paragraph(self, text, width, first):
        """Lay out one paragraph; return the raw lines (for joins)."""
        r = self.rng
        ind = {"full": "\u3000\u3000", "space": " ", "none": "", "lost": ""}[self.indent]
        short = 2 if self.indent in ("full", "lost", "space") else 0
        ls = [text] if self.long else wrap(r, text, width, short, self.split_latin, self.ragged)
        for k, l in enumerate(ls):
            self.emit((ind + l) if k == 0 else l, ("A" if first else "P") if k == 0 else "C")
        if self.blank == "paras":
            self.gap()
        return ls

    def headline(self, text, label, wide_ok=True):
        """Lay out a headline; `label` is H when it opens its headline group, else h."""
        r = self.rng
        if self.md:
            self.emit("# " + text, label)
            return
        if r.random() < self.vertical_p and len(text) <= 14:
            for k, c in enumerate(text.replace(" ", "")):
                self.emit(c, label if k == 0 else "h")
            return
        parts = text.split(" ")
        if len(parts) == 2 and r.random() < 0.6:
            self.emit(parts[0], label)
            self.emit(parts[1], "h")
            return
        if len(text) > self.width + 2 and not wide_ok:
            cut = len(text) // 2
            self.emit(text[:cut], label)
            self.emit(text[cut:], "h")
            return
        self.emit(text, label)


def digits_lost(rng, text):
    return re.sub(r"\d", lambda m: " " if rng.random() < 0.3 else m.group(0), text)


def make_article(rng, page, item, extra, long_article, date):
    """One article: its parts (not yet laid out) and its reference entry."""
    paras = list(item["paras"])
    subheads = []
    # items whose own paragraphs include short unpunctuated lines: those are subheads
    body = []  # (text, is_subhead)
    for p in paras:
        heading_like = len(p) <= 40 and p[-1] not in SENT_END + "，；：）)"
        if heading_like and not body:
            continue  # a digest's first item title: not text of this article
        body.append((p, heading_like))
    # sections of a print page's essay: more items of the day, their titles as subheads
    for it in extra:
        t = it["title"].replace(" ", "，")
        t = re.sub(r"【[^】]*】", "", t)[:24]
        if t:
            body.append((t, True))
        for p in it["paras"]:
            body.append((p, False))
    # long articles: sections under subheads of their own. A subhead says what its section is
    # about (a phrase of the section's first paragraph, sometimes numbered), as printed
    # subheads do; a digest's item titles come with the items that have them (above)
    if long_article:
        plain = [k for k, (_, sub) in enumerate(body) if not sub]
        if len(plain) >= 3 and not any(sub for _, sub in body):
            out, since, numbered, nth = [], 0, rng.random() < 0.3, 0
            for k, (p, sub) in enumerate(body):
                since += 1
                if k > 0 and since >= 2 and rng.random() < 0.6:
                    clauses = [c for c in re.split(r"[，。；：！？、“”《》（）]", p) if 4 <= len(c) <= 16]
                    if clauses:
                        t = rng.choice(clauses[:3])
                        if rng.random() < 0.25 and len(clauses) > 1:
                            t = clauses[0] + "，" + clauses[1]
                        nth += 1
                        if numbered:
                            t = "一二三四五六七八九十"[min(nth, 10) - 1] + "、" + t
                        out.append((t[:24], True))
                        since = 0
                out.append((p, False))
            body = out
    if not body:
        body = [(item["title"] + "。", False)]
    # a trailing subhead would have nothing under it
    while body and body[-1][1]:
        body.pop()
    if page.digits_lost:
        body = [(digits_lost(rng, p) if not s else p, s) for p, s in body]
    title = item["title"]
    kicker = subtitle = ""
    series = ""
    m = re.match(r"^【([^】]+)】(.+)$", title)
    if m:
        series, title = "【" + m.group(1) + "】", m.group(2).strip()
    elif rng.random() < 0.08:
        series = "【" + rng.choice(SERIES) + "】"
    first_clause = re.split(r"[，。；：！？]", body[0][0])[0]
    if rng.random() < 0.2 and 4 <= len(first_clause) <= 18:
        kicker = first_clause + ("——" if rng.random() < 0.5 else "")
    if rng.random() < 0.2:
        cl = [c for c in re.split(r"[，。；！？]", body[-1][0]) if 4 <= len(c) <= 18]
        if cl:
            subtitle = "——" + rng.choice(cl)
    # byline and dateline
    reporter = ""
    kind = rng.choice(page.byline_kinds) if rng.random() < page.byline_p else "none"
    dateline = ""
    if rng.random() < page.dateline_p or kind == "dl":
        mo, dy = rng.randint(1, 12), rng.randint(1, 28)
        media = rng.choice(MEDIA)
        city = rng.choice(CITIES)
        if kind == "dl":
            reporter = name(rng)
            dateline = f"本报{city}{mo}月{dy}日电（记者 {reporter}）"
        else:
            dateline = rng.choice([f"{media}{city}{mo}月{dy}日电 ", f"{media}消息：", f"据{media}报道，", "本报讯 ", f"本报讯（记者 {name(rng)}）"])
            if "记者" in dateline:
                reporter = re.search(r"记者 (\S+)）", dateline).group(1)
    byline_lines = []
    trailing = []
    if kind in ("bj", "bjt", "jz", "zl", "sy", "plain"):
        reporter = name(rng)
        if kind == "bj":
            byline_lines = [rng.choice(["■", "□", ""]) + "本报记者 " + reporter]
        elif kind == "bjt":
            byline_lines = [f"本报记者 {reporter} 本报通讯员 {name(rng)}"]
        elif kind == "jz":
            byline_lines = [rng.choice(["■", "", "文/"]) + ("记者 " if rng.random() < 0.7 else "") + reporter]
        elif kind == "zl":
            trailing = [f"（本报记者 {reporter}整理）"]
        elif kind == "sy":
            trailing = [f"□本报记者 {reporter} 摄影报道"]
        elif kind == "plain":
            others = [name(rng) for _ in range(rng.choice([0, 0, 1]))]
            names = [reporter] + others
            if page.order == "print" and rng.random() < 0.5:
                byline_lines = [c for n in names for c in ([n[:1], n[1:]] if rng.random() < 0.5 else list(n))]
            else:
                byline_lines = ["  ".join(names)]
    affil = ""
    if page.order in ("print", "after") and rng.random() < 0.6:
        inst = rng.choice(CITIES) + rng.choice(INSTITUTES)
        affil = rng.choice([f"（作者为{inst}{rng.choice(ROLES)}）", f"（作者单位：{inst}）"])
    # several short kickers on their own lines (print pages: 防风险 严监管 …)
    kickers = []
    if page.order == "print" and rng.random() < 0.3:
        starts = [p[:3] for p, sub in body if not sub and len(p) > 8]
        kickers = rng.sample(starts, min(len(starts), rng.randint(2, 4)))
    return {
        "title": title, "kicker": kicker, "subtitle": subtitle, "series": series,
        "dateline": dateline, "body": body, "byline": byline_lines, "trailing": trailing,
        "reporter": reporter, "affil": affil, "kickers": kickers,
    }


def lay_head(page, a):
    r = page.rng
    label = "H"
    for k in a.get("kickers", []):
        page.emit(k, label)
        label = "h"
    if a["series"] and r.random() < 0.5:
        page.emit(a["series"], label)
        label = "h"
        title = a["title"]
    else:
        title = a["series"] + a["title"]
    if a["kicker"]:
        page.emit(a["kicker"], label)
        label = "h"
    page.headline(title, label, wide_ok=r.random() < 0.5)
    if a["subtitle"]:
        page.emit(a["subtitle"], "h")
    return title


def lay_body(page, a, ref, lead_above_byline=None):
    """Lay out the body; with lead_above_byline (byline lines), the first paragraph (the lead)
    is set above the byline, as some papers do."""
    width = page.width
    raw = []
    first = True
    for k, (p, sub) in enumerate(a["body"]):
        if sub:
            page.gap()
            if page.md:
                page.emit("## " + p, "S")
            else:
                sw = page.rng.randint(5, 12) if page.order == "print" else 99
                if sw == 99 and "，" in p and page.rng.random() < 0.4:
                    sw = p.index("，") + 1  # a two-line subhead: its halves on two lines
                for i in range(0, len(p), sw):
                    page.emit(p[i:i + sw], "S" if i == 0 else "s")
            page.gap()
            ref["subheads"].append(p)
            continue
        text = (a["dateline"] + p) if first and a["dateline"] else p
        first = False
        if page.rng.random() < 0.08:  # the column narrows around a picture or headline
            width = max(6, page.width - page.rng.randint(3, 6))
        elif page.rng.random() < 0.1:
            width = page.width
        ls = page.paragraph(text, width, not raw)
        raw.append((text, ls))
        if lead_above_byline and len(raw) == 1:
            page.gap()
            for b in lead_above_byline:
                page.emit(b, "Y")
            page.gap()
    return raw


def reference(a, raw, title_as_printed):
    paras = [t for t, _ in raw]
    body = "".join(paras)
    ref = {"title": title_as_printed, "byline": a["reporter"]}
    squeezed = re.sub(r"\s+", "", body)
    start = squeezed[:12]
    if a["dateline"]:
        start = re.sub(r"\s+", "", paras[0][len(a["dateline"]):])[:12] or start
    ref["start"] = start
    ref["end"] = squeezed[-12:]
    joins = []
    for k, (t, ls) in enumerate(raw):
        # the dateline (and the credit in it) is cut off the paragraph, as `start` is
        skip = len(a["dateline"]) if k == 0 and a["dateline"] else 0
        pos = 0
        for l in ls[:-1]:
            pos += len(l)
            span = t[max(0, pos - 9):pos + 9]
            if pos - 9 < skip:
                continue
            if len(span) >= 14 and not re.search(r"\s", span):
                joins.append(span)
                break
        if len(joins) >= 3:
            break
    ref["joins"] = joins
    ref["para_starts"] = [re.sub(r"\s+", "", t)[:10] for t, _ in raw[1:7] if len(t) >= 10]
    return ref


def build_page(rng, items, date, pno):
    page = Page(rng)
    n = rng.randint(2, 7)
    if page.order == "print":
        n = rng.randint(2, 5)
    chosen = items[:n]
    pool = items[n:]
    refs, frags = [], []
    if rng.random() < 0.6 or page.order == "print":
        y, m, d = (date.split("-") + ["2020", "1", "1"])[:3]
        wk = WEEK[rng.randint(0, 6)]
        sec = rng.choice(SECTIONS)
        head = [f"{pno} {sec}", sec, f"{int(y)}年{int(m)}月{int(d)}日 星期{wk}"]
        if rng.random() < 0.5:
            head = head[::2]
        for h in head:
            page.emit(h, "F")
            frags.append(h)
        page.gap()
    arts = []
    for k, it in enumerate(chosen):
        # print pages (theory and commentary pages): long essays in sections, here several
        # items of the day under their titles as subheads; elsewhere long articles get subheads
        # of their own
        extra = []
        if page.order == "print" and pool:
            extra = [pool.pop() for _ in range(min(len(pool), rng.randint(1, 4)))]
        long_article = page.order != "print" and rng.random() < 0.2
        arts.append(make_article(rng, page, it, extra, long_article, date))
    ends = []
    for k, a in enumerate(arts):
        ref = {"subheads": []}
        if page.order in ("before", "after_author"):
            lead_above = False
            if page.order == "before":
                title = lay_head(page, a)
                page.gap()
                lead_above = bool(a["byline"]) and rng.random() < 0.2
                for b in a["byline"] if not lead_above else []:
                    page.emit(b, "Y")
            else:
                for b in a["byline"]:
                    page.emit(b, "Y")
                page.gap()
                title = lay_head(page, a)
            page.gap()
            raw = lay_body(page, a, ref, lead_above_byline=a["byline"] if page.order == "before" and lead_above else None)
            for t in a["trailing"]:
                page.emit(t, "y")
            page.gap()
        elif page.order in ("after", "print"):
            for b in a["byline"] if page.order == "after" else []:
                page.emit(b, "Y")
            raw = lay_body(page, a, ref)
            for t in a["trailing"]:
                page.emit(t, "y")
            if a["affil"]:
                # printed in a narrow column, the affiliation may take two or three lines
                if rng.random() < 0.4:
                    cut = rng.randint(5, max(6, len(a["affil"]) - 3))
                    page.emit(a["affil"][:cut], "P")
                    page.emit(a["affil"][cut:], "C")
                else:
                    page.emit(a["affil"], "P")
            page.gap()
            title = lay_head(page, a)
            if page.order == "print":
                for b in a["byline"]:
                    page.emit(b, "Y")
            page.gap()
        else:  # endblock: bodies with their bylines, headlines gathered at the end
            lead_above = bool(a["byline"]) and rng.random() < 0.3
            if not lead_above:
                for b in a["byline"]:
                    page.emit(b, "Y")
                page.gap()
            raw = lay_body(page, a, ref, lead_above_byline=a["byline"] if lead_above else None)
            for t in a["trailing"]:
                page.emit(t, "y")
            page.gap()
            title = None
        r = reference(a, raw, a["title"])
        r["subheads"] = ref["subheads"]
        refs.append(r)
        ends.append(title)
        # things between articles: a box, a caption, a rubric
        x = rng.random()
        if x < 0.08 and pool:
            label = rng.choice(BOX_LABELS)
            text = pool.pop()["paras"][0][:90]
            page.gap()
            page.emit(label, "F")
            for l in wrap(rng, text, page.width, 0):
                page.emit(l, "F")
            page.gap()
            frags += [label, text[:20]]
        elif x < 0.16 and pool:
            cap = "图为" + re.split(r"[。！？]", pool.pop()["paras"][0])[0][:40] + "。"
            credit = rng.choice([f"新华社记者 {name(rng)}摄", "（受访者供图）", f"本报记者 {name(rng)} 摄"])
            page.gap()
            page.emit(cap, "F")
            page.emit(credit, "F")
            page.gap()
            frags += [cap[:20], credit]
        elif x < 0.20 and pool and page.order == "print":
            rub = re.sub(r"\s|【[^】]*】", "", pool.pop()["title"])[:14]
            page.emit(rub, "F")
            frags.append(rub)
    if page.order == "endblock":
        page.gap()
        if page.blank == "none":
            page.blank_line()
        for a in arts:
            lay_head(page, a)
            page.blank_line()
    style = {k: getattr(page, k) for k in ("order", "blank", "indent", "width", "long", "ragged", "md", "digits_lost", "split_latin")}
    assert len(page.lines) == len(page.labels)
    return page.lines, page.labels, {"articles": refs, "fragments": frags, "style": style}


def items_by_part(news, heldout_every=4):
    """The news items of NEWS (cleaned) by part and day: {"tune": {date: [item…]}, "heldout":
    {…}}, in the file's order. An item is held out when a hash of its title is a multiple of
    `heldout_every`, so that no item is on both sides (make_pages_b.py uses the same split)."""
    by_part = {"tune": {}, "heldout": {}}
    with gzip.open(news, "rt", encoding="utf-8") as f:
        for line in f:
            it = clean_item(json.loads(line))
            if not it:
                continue
            h = int(hashlib.blake2b(it["title"].encode(), digest_size=4).hexdigest(), 16)
            part = "heldout" if h % heldout_every == 0 else "tune"
            by_part[part].setdefault(it["date"], []).append(it)
    return by_part


def items_of_day(by_day, days, date):
    """The items of `date` (a copy), topped up from the following days (`days`, sorted) when
    the day has fewer than 14."""
    items = list(by_day[date])
    i = days.index(date)
    while len(items) < 14 and i + 1 < len(days):
        i += 1
        items += by_day[days[i]]
    return items


def page_start(seed, by_day, days):
    """A page's random stream (seeded by `seed`), its day (one of `days`, sorted) and that
    day's news items shuffled: how every page maker starts a page."""
    rng = random.Random(seed)
    date = rng.choice(days)
    items = items_of_day(by_day, days, date)
    rng.shuffle(items)
    return rng, date, items


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("news")
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=1200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--heldout-every", type=int, default=4)
    ap.add_argument("--only", choices=["tune", "heldout"], help="write only this part")
    a = ap.parse_args()
    by_part = items_by_part(a.news, a.heldout_every)
    days = {p: sorted(d) for p, d in by_part.items()}
    truth = {p: {"about": f"Generated pages (scripts/make_pages.py, seed {a.seed}), {p} part.", "issues": {}} for p in by_part}
    for k in range(a.pages):
        part = "heldout" if k % a.heldout_every == 0 else "tune"
        if a.only and part != a.only:
            continue
        rng, date, items = page_start(a.seed * 1_000_003 + k, by_part[part], days[part])
        lines, labels, t = build_page(rng, items, date, rng.randint(1, 16))
        name_ = f"{part}-{k:05d}_{date}.txt"
        os.makedirs(os.path.join(a.out, part), exist_ok=True)
        with open(os.path.join(a.out, part, name_), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        with open(os.path.join(a.out, part, name_[:-4] + ".labels"), "w", encoding="utf-8") as f:
            f.write("".join(labels) + "\n")
        truth[part]["issues"][name_] = t
    for p, t in truth.items():
        if t["issues"]:
            with open(os.path.join(a.out, p + ".json"), "w", encoding="utf-8") as f:
                json.dump(t, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
