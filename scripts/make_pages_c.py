#!/usr/bin/env python3
"""A third page maker, never trained or tuned on: pages made the way web pages saved as text,
plain-text exports of a newspaper's site and other extraction tools make them, to score the
layout analysis on habits neither scripts/make_pages.py nor scripts/make_pages_b.py has.

    python3 scripts/make_pages_c.py NEWS.jsonl.gz OUT [--pages 400] [--seed 1]

Writes OUT/c/*.txt and OUT/c.json (the reference, as make_pages.py writes it). Only the news
items of make_pages.py's held-out part are laid out (the same split by a hash of the title).
Nothing is trained or fitted on these pages: they are only scored (docs/LAYOUT.md, "A third
page maker").

Its habits: paragraphs not wrapped at all (one line each, as a web page saved as text), or
wrapped at very narrow (8–13) or wide (30–45) columns; Windows line ends (CR LF); half-width
commas, colons and parentheses in Chinese text; paragraphs set apart by lines of spaces, by a
tab indent, or by blank lines; articles set apart by rules (———, ----, ＊ ＊ ＊) or by several
blank lines; headlines with their characters spaced out, or marked ▶ ◆ or numbered 1、;
a line of the site's metadata under the headline (来源：… 作者：… and a time); bylines such
as 记者｜…, 文｜…, …/文, 撰文：… 摄影：…, 【记者 …】, 本报记者 … 实习生 …; leads such as
人民网北京…电（记者…）, 新京报讯（记者 …）, 央广网北京…消息（记者…）, 据央视新闻报道，; an
article's end marked （完） or credited to its editor (（编辑：…）, （责编：…、…）); subheads
marked ▍ or numbered 01; left-overs of the web page ([图片], 分享到：, 返回顶部, a breadcrumb).
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_pages as A  # noqa: E402  (news items and their split, names, references)
import make_pages_b as B  # noqa: E402  (a long article's subheads)

SITES = ["人民网", "新华网", "央视网", "中国新闻网", "光明网", "澎湃新闻", "新京报"]
HALF = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?"})
WEB_JUNK = ["[图片]", "分享到：", "返回顶部", "【打印】【关闭】", "扫一扫，分享到微信"]


def wrap(text, width):
    """Lines of `width` Han characters (width 0: the paragraph on one line)."""
    if width == 0:
        return [text]
    lines, cur, w = [], "", 0
    for c in text:
        cw = 1 if c.isascii() else 2
        if w + cw > 2 * width and cur:
            lines.append(cur)
            cur, w = "", 0
        cur += c
        w += cw
    if cur:
        lines.append(cur)
    return lines


def spaced(title, rng):
    gap = rng.choice([" ", "\u3000", "  "])
    return gap.join(c for c in title if not c.isspace())


class Page:
    def __init__(self, rng):
        r = rng
        self.rng = r
        self.wrap = r.choice(["none", "none", "narrow", "mid", "mid", "wide"])
        self.width = {"none": 0, "narrow": r.randint(8, 13), "mid": r.randint(14, 26),
                      "wide": r.randint(30, 45)}[self.wrap]
        self.crlf = r.random() < 0.25
        self.half = r.random() < 0.2
        # how paragraphs are set apart; unwrapped text needs nothing (a line is a paragraph)
        marks = ["blank", "spaces", "tab", "fw", "blank"]
        if self.wrap == "none":
            marks += ["nothing", "nothing"]
        self.para_mark = r.choice(marks)
        self.sep = r.choice(["rule", "blanks", "blanks", "one"])
        self.rule = r.choice(["———————", "----------", "＊　＊　＊", "●●●", "=" * 20])
        self.head = r.choice(["plain", "plain", "plain", "spaced", "marked", "numbered"])
        self.mark = r.choice(["▶", "◆", "►"])
        self.meta_p = r.choice([0.0, 0.0, 0.8])
        self.by_kinds = r.sample(["pipe", "wenpipe", "slash_after", "zhuanwen", "bracket", "shixi", "site_dl", "xjb", "yangguang"], 3)
        self.by_p = r.choice([0.3, 0.7, 1.0])
        self.end_p = r.choice([0.0, 0.5, 0.9])
        self.sub_mark = r.choice(["▍", "01", ""])
        self.junk_p = r.choice([0.0, 0.0, 0.3])
        self.lines, self.frags = [], []

    def emit(self, s):
        self.lines.append(s)

    def blank(self, n=1):
        for _ in range(n):
            self.lines.append("")

    def text(self, s):
        return s.translate(HALF) if self.half else s

    def para(self, s, first):
        """One paragraph; its lines (without the mark that sets it apart)."""
        ls = wrap(s, self.width)
        if not first and self.para_mark == "blank":
            self.blank()
        elif not first and self.para_mark == "spaces":
            self.emit(self.rng.choice(["  ", "\u3000", " \t", "    "]))
        lead = {"tab": "\t", "fw": "\u3000\u3000"}.get(self.para_mark, "")
        for k, l in enumerate(ls):
            self.emit(lead + l if k == 0 else l)
        return ls


def byline_of(rng, page, kind, reporter):
    """(line under the headline, dateline opening the body)."""
    other = A.name(rng)
    mo, dy, city = rng.randint(1, 12), rng.randint(1, 28), rng.choice(A.CITIES)
    if kind == "pipe":
        return f"记者｜{reporter}", ""
    if kind == "wenpipe":
        return rng.choice([f"文｜{reporter}", f"文 | {reporter}", f"文｜{reporter}　图｜{other}"]), ""
    if kind == "slash_after":
        return rng.choice([f"{reporter}/文", f"{reporter}　文", f"{reporter}/文　{other}/图"]), ""
    if kind == "zhuanwen":
        return rng.choice([f"撰文：{reporter}　摄影：{other}", f"撰文/{reporter}"]), ""
    if kind == "bracket":
        return f"【记者 {reporter}】", ""
    if kind == "shixi":
        return rng.choice([f"本报记者 {reporter} 实习生 {other}", f"本报记者　{reporter}　见习记者　{other}"]), ""
    if kind == "site_dl":
        site = rng.choice(["人民网", "中新社", "光明网"])
        return "", rng.choice([f"{site}{city}{mo}月{dy}日电 （记者{reporter}）", f"{site}{city}{mo}月{dy}日电(记者 {reporter})"])
    if kind == "xjb":
        return "", rng.choice([f"新京报讯（记者 {reporter}）", f"新京报讯 （记者{reporter} 实习生{other}）"])
    return "", f"央广网{city}{mo}月{dy}日消息（记者{reporter}）"


def make_article(rng, page, item):
    body = [p for p in item["paras"] if p]
    body = [p for p in body if not (len(p) <= 40 and p[-1] not in A.SENT_END + "，；：）)")] or [item["title"] + "。"]
    sections = [(p, False) for p in body]
    if len(body) >= 4 and rng.random() < 0.25:
        sections = B.with_subheads(body, lambda nth: {"▍": "▍", "01": f"{nth:02d} ", "": ""}[page.sub_mark])
    title = re.sub(r"^【[^】]*】", "", item["title"]).strip() or item["title"]
    reporter = before = dl = ""
    if rng.random() < page.by_p:
        reporter = A.name(rng)
        before, dl = byline_of(rng, page, rng.choice(page.by_kinds), reporter)
    elif rng.random() < 0.3:
        dl = rng.choice(["据央视新闻报道，", "据新华社消息，", "本网讯　"])
    meta = ""
    if rng.random() < page.meta_p:
        y, m, d = (item.get("date", "2020-01-01").split("-") + ["2020", "1", "1"])[:3]
        t = f"{rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}"
        site = rng.choice(SITES)
        meta = rng.choice([
            f"{y}-{m}-{d} {t}　来源：{site}",
            f"来源：{site}　{y}年{m}月{d}日{t}",
            f"发布时间：{y}-{m}-{d} {t}　来源：{site}　编辑：{A.name(rng)}",
        ])
        if not before and not dl and reporter == "" and rng.random() < 0.5:
            reporter = A.name(rng)
            meta += f"　作者：{reporter}"
    end = ""
    if rng.random() < page.end_p:
        end = rng.choice(["（完）", f"（编辑：{A.name(rng)}）", f"（责编：{A.name(rng)}、{A.name(rng)}）", "(完)"])
    t = page.text
    return {"title": t(title), "sections": [(t(p), s) for p, s in sections], "reporter": reporter,
            "before": t(before), "dateline": t(dl), "meta": meta, "end": end}


def lay_head(page, a, nth):
    r = page.rng
    t = a["title"]
    if page.head == "spaced" and len(t) <= 14:
        shown = spaced(t, r)
    elif page.head == "marked":
        shown = page.mark + r.choice(["", " "]) + t
    elif page.head == "numbered":
        shown = f"{nth}、{t}"
    else:
        shown = t
    if page.wrap != "none" and len(shown) > page.width + 4 and " " in shown.strip() and page.head != "spaced":
        for part in shown.split(" "):
            if part:
                page.emit(part)
    else:
        page.emit(shown)
    return shown


def lay_body(page, a):
    raw, subs, plain = [], [], 0
    for p, sub in a["sections"]:
        if sub:
            if page.para_mark == "blank":
                page.blank()
            page.emit(p)
            subs.append(p)
            continue
        text = (a["dateline"] + p) if plain == 0 and a["dateline"] else p
        if a["end"] and p is a["sections"][-1][0] and page.rng.random() < 0.5:
            # the end mark on the last paragraph's own line
            text = text + a["end"]
            a = {**a, "end": ""}
        raw.append((text, page.para(text, plain == 0)))
        plain += 1
    if a["end"]:
        page.emit(a["end"])
    return raw, subs


def build_page(rng, items, date):
    page = Page(rng)
    if rng.random() < 0.4:
        crumb = rng.choice(["首页 > 新闻 > 国内", "当前位置：首页 > 要闻", f"{rng.choice(SITES)} >> 时政"])
        page.emit(crumb)
        page.frags.append(crumb)
        page.blank()
    n = rng.randint(2, 6)
    refs = []
    for k, it in enumerate(items[:n]):
        a = make_article(rng, page, it)
        if k:
            if page.sep == "rule":
                page.blank(rng.choice([0, 1]))
                page.emit(page.rule)
                page.frags.append(page.rule)
                page.blank(rng.choice([0, 1]))
            elif page.sep == "blanks":
                page.blank(rng.choice([2, 3]))
            else:
                page.blank()
        lay_head(page, a, k + 1)
        if a["meta"]:
            page.emit(a["meta"])
        if a["before"]:
            page.emit(a["before"])
        if page.para_mark in ("blank", "spaces") or rng.random() < 0.3:
            page.blank()
        raw, subs = lay_body(page, a)
        ref = A.reference(a, raw, a["title"])
        ref["subheads"] = subs
        refs.append(ref)
        if rng.random() < page.junk_p:
            j = rng.choice(WEB_JUNK)
            page.emit(j)
            page.frags.append(j)
    if rng.random() < 0.3:
        page.blank()
        foot = rng.choice([f"责任编辑：{A.name(rng)}", "返回顶部", f"（责任编辑：{A.name(rng)}）"])
        page.emit(foot)
        page.frags.append(foot)
    style = {k: getattr(page, k) for k in ("wrap", "width", "crlf", "half", "para_mark", "sep", "head", "meta_p", "by_kinds", "end_p", "sub_mark")}
    return page.lines, {"articles": refs, "fragments": page.frags, "style": style}, page.crlf


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("news")
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    days = A.items_by_part(a.news)["heldout"]
    order = sorted(days)
    truth = {"about": f"Generated pages (scripts/make_pages_c.py, seed {a.seed}); only scored.", "issues": {}}
    os.makedirs(os.path.join(a.out, "c"), exist_ok=True)
    for k in range(a.pages):
        rng, date, items = A.page_start(a.seed * 9_000_011 + k, days, order)
        lines, t, crlf = build_page(rng, items, date)
        name_ = f"c-{k:05d}_{date}.txt"
        with open(os.path.join(a.out, "c", name_), "w", encoding="utf-8", newline="") as f:
            eol = "\r\n" if crlf else "\n"
            f.write(eol.join(lines) + eol)
        truth["issues"][name_] = t
    with open(os.path.join(a.out, "c.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
