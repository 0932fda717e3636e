#!/usr/bin/env python3
"""A second page maker, with habits of its own, to score the layout analysis on pages made
another way than the pages it is trained and tuned on (scripts/make_pages.py).

    python3 scripts/make_pages_b.py NEWS.jsonl.gz OUT [--pages 400] [--seed 1]

Writes OUT/b/*.txt and OUT/b.json (the reference, as make_pages.py writes it). By default
only the news items of make_pages.py's held-out part are used (the same split by a hash of
the title), so no text the labeller was trained on is on these pages; `--items tune` lays out
the tune part's items instead. scripts/train_layout.sh trains on 1,200 pages of seed 2 (tune
items) and fits the choice on 400 of seed 3 (tune items); pages of other seeds made of
held-out items (seed 5, and seed 7 in CI) are only scored (docs/LAYOUT.md).

Its habits, where make_pages.py has others: lines broken exactly at the column (punctuation
may open a line) or by the rule that closing punctuation hangs; indents of two or four ASCII
spaces or one full-width space; blank lines only between articles (one or two), between
blocks, between paragraphs with two between articles, or none; headline groups of a kicker
without a dash, a title broken anywhere over two lines, a subtitle with —— or — or none;
bylines such as 文/…, 文/图 …, 作者：…, ◎…, 新华社记者 …, 本报记者 … 北京报道, or set after
the article in parentheses, or inside a dateline (本报讯（记者… 通讯员…）, 新华社…电（记者…）,
本报…讯 记者…报道：); other leads (央视网消息（新闻联播）：, 中新网…电, 据新华社电); columns of
short items without bylines under a rubric (简讯); subheads marked ■ ◆ （一） 一、 or not; the
lead printed before its own headline (reading order of a PDF's text layer); full-width
digits; 「」 quotes; captions with ▲; page headers and footers (责任编辑：…, 第4版, jump lines).
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_pages as A  # noqa: E402  (news items and their split, names, references)

PAPERS = ["江城日报", "东方晨报", "南方时报", "北国日报", "西部商报"]
RUBRICS = ["简讯", "短讯", "本地快讯", "一周要闻"]
CLOSE = "，。、；：！？”’）》」』…,.;:!?)"
SUB_MARKS = ["■", "◆", "▲", "（一）", "一、", ""]


def fw_digits(s):
    return s.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def corner_quotes(s):
    return s.replace("“", "「").replace("”", "」").replace("‘", "『").replace("’", "』")


def wrap(rng, text, width, indent_cells, kinsoku):
    """Lines of `width` Han characters; the first shortened by the indent."""
    lines, cur, w = [], "", 0
    limit = 2 * width - indent_cells
    for c in text:
        cw = 1 if c.isascii() else 2
        if w + cw > limit and cur and not (kinsoku and c in CLOSE):
            lines.append(cur)
            cur, w = "", 0
            limit = 2 * width
        cur += c
        w += cw
    if cur:
        lines.append(cur)
    return lines


class Page:
    def __init__(self, rng):
        r = rng
        self.rng = r
        self.width = r.randint(12, 30)
        self.kinsoku = r.random() < 0.7
        self.blank = r.choice(["articles", "articles", "blocks", "none", "paras2"])
        self.indent = r.choice(["  ", "    ", "\u3000", "", "\u3000\u3000"])
        self.order = r.choice(["before"] * 6 + ["lead_first", "byline_first", "after"])
        self.by_kinds = r.sample(["wen", "wentu", "zuozhe", "circle", "xinhua", "bjplace", "bj", "paren", "dl"], 2)
        self.by_p = r.choice([0.0, 0.6, 0.9, 1.0])
        self.fw = r.random() < 0.15
        self.corner = r.random() < 0.1
        self.brief_p = 0.25 if r.random() < 0.35 else 0.0
        self.lines, self.labels, self.frags = [], [], []

    def emit(self, s, label):
        self.lines.append(s)
        self.labels.append(label)

    def blank_line(self, n=1):
        for _ in range(n):
            if self.lines and (self.lines[-1] != "" or n == 2):
                self.lines.append("")
                self.labels.append("-")

    def between_blocks(self):
        if self.blank == "blocks":
            self.blank_line()

    def between_paras(self):
        if self.blank == "paras2":
            self.blank_line()

    def between_articles(self):
        if self.blank in ("articles", "blocks"):
            self.blank_line(self.rng.choice([1, 1, 2]))
        elif self.blank == "paras2":
            self.blank_line(2)

    def text(self, s):
        if self.fw:
            s = fw_digits(s)
        if self.corner:
            s = corner_quotes(s)
        return s

    def para(self, s, first):
        """Lay out one paragraph (the article's first when `first`); its lines."""
        ind = self.indent
        cells = sum(1 if c.isascii() else 2 for c in ind)
        ls = wrap(self.rng, s, self.width, cells, self.kinsoku)
        for k, l in enumerate(ls):
            self.emit(ind + l if k == 0 else l, ("A" if first else "P") if k == 0 else "C")
        self.between_paras()
        return ls


def byline_of(rng, page, kind, reporter):
    """(line before the body, dateline opening the body, line after the body)."""
    other = A.name(rng)
    mo, dy, city = rng.randint(1, 12), rng.randint(1, 28), rng.choice(A.CITIES)
    if kind == "wen":
        return f"文/{reporter}", "", ""
    if kind == "wentu":
        return rng.choice([f"文/图 {reporter}", f"文/图　本报记者　{reporter}"]), "", ""
    if kind == "zuozhe":
        return f"作者：{reporter}", "", ""
    if kind == "circle":
        return rng.choice(["◎", "□", "●"]) + rng.choice(["", "本报记者 "]) + reporter, "", ""
    if kind == "xinhua":
        return rng.choice([f"新华社记者 {reporter}", f"新华社记者　{reporter}　{other}"]), "", ""
    if kind == "bjplace":
        return f"本报记者 {reporter} {city}报道", "", ""
    if kind == "bj":
        return rng.choice([f"本报记者　{reporter}", f"记者 {reporter} 通讯员 {other}", f"本报特约记者 {reporter}"]), "", ""
    if kind == "paren":
        return "", "", rng.choice([f"（记者 {reporter}）", f"（{reporter}）", f"（本报记者 {reporter}）", f"（文/{reporter}）"])
    # dateline with the reporter inside
    return "", rng.choice([
        f"本报讯（记者{reporter} 通讯员{other}）",
        f"新华社{city}{mo}月{dy}日电（记者{reporter}）",
        f"本报{city}{mo}月{dy}日讯 记者{reporter}报道：",
    ]), ""


def with_subheads(body, mark_of):
    """A long article's sections: before every second paragraph, a subhead made of its first
    phrase of 4–14 characters, marked by `mark_of(n)` for the n-th subhead. [(text, subhead?)]"""
    out, nth = [], 0
    for k, p in enumerate(body):
        if k > 0 and k % 2 == 0:
            cl = [c for c in re.split(r"[，。；：！？、“”]", p) if 4 <= len(c) <= 14]
            if cl:
                nth += 1
                out.append((mark_of(nth) + cl[0], True))
        out.append((p, False))
    return out


def make_article(rng, page, item, brief=False):
    paras = [p for p in item["paras"] if len(p) > 0]
    body, subs = [], []
    for p in paras:
        heading_like = len(p) <= 40 and p[-1] not in A.SENT_END + "，；：）)"
        if heading_like and not body:
            continue
        if heading_like:
            continue  # a digest's inner titles are left out: their items stay one text
        body.append(p)
    if not body:
        body = [item["title"] + "。"]
    if brief:
        body = body[:1]
    # long articles: subheads with marks, phrases of the paragraph they head
    sections = [(p, False) for p in body]
    if not brief and len(body) >= 4 and rng.random() < 0.3:
        mark = rng.choice(SUB_MARKS)

        def mark_of(nth):
            if mark == "（一）":
                return "（" + "一二三四五六七八九十"[min(nth, 10) - 1] + "）"
            if mark == "一、":
                return "一二三四五六七八九十"[min(nth, 10) - 1] + "、"
            return mark

        sections = with_subheads(body, mark_of)
    title = re.sub(r"^【[^】]*】", "", item["title"]).strip() or item["title"]
    kicker = subtitle = ""
    if not brief and rng.random() < 0.15:
        cl = [c for c in re.split(r"[，。；：！？]", body[0]) if 5 <= len(c) <= 16]
        if cl:
            kicker = cl[0]
    if not brief and rng.random() < 0.15:
        cl = [c for c in re.split(r"[，。；！？]", body[-1]) if 5 <= len(c) <= 18]
        if cl:
            subtitle = rng.choice(["——", "—", ""]) + rng.choice(cl)
    reporter = ""
    before = dl = after = ""
    if not brief and rng.random() < page.by_p:
        reporter = A.name(rng)
        before, dl, after = byline_of(rng, page, rng.choice(page.by_kinds), reporter)
    elif not brief and rng.random() < 0.3:
        mo, dy, city = rng.randint(1, 12), rng.randint(1, 28), rng.choice(A.CITIES)
        dl = rng.choice(["央视网消息（新闻联播）：", f"中新网{city}{mo}月{dy}日电 ", "据新华社电 ", "本报综合消息 "])
    return {
        "title": page.text(title), "kicker": page.text(kicker), "subtitle": page.text(subtitle),
        "sections": [(page.text(p), s) for p, s in sections], "reporter": reporter,
        "before": page.text(before), "dl": page.text(dl), "after": page.text(after),
    }


def lay_head(page, a):
    r = page.rng
    lines = [a["kicker"]] if a["kicker"] else []
    t = a["title"]
    if " " in t and r.random() < 0.5:
        lines += [p for p in t.split(" ") if p]
    elif len(t) > page.width and r.random() < 0.7:
        cut = r.randint(max(2, len(t) // 3), max(3, 2 * len(t) // 3))
        lines += [t[:cut], t[cut:]]
    else:
        lines.append(t)
    if a["subtitle"]:
        lines.append(a["subtitle"])
    for k, l in enumerate(lines):
        page.emit(l, "h" if k else "H")


def lay_body(page, a, from_para=0):
    """Paragraphs from `from_para` on; [(text, lines)] of the body paragraphs laid out (the
    first one laid out starts the article when `from_para` is 0)."""
    raw = []
    plain = 0
    for p, sub in a["sections"]:
        if sub:
            if plain >= from_para:
                page.between_blocks()
                page.emit(p, "S")
                page.between_blocks()
            continue
        if plain >= from_para:
            text = (a["dl"] + p) if plain == 0 and a["dl"] else p
            raw.append((text, page.para(text, plain == 0)))
        plain += 1
    return raw


def reference(a, raw):
    """The reference entry of an article (as make_pages.py writes it)."""
    ref = A.reference({**a, "dateline": a["dl"]}, raw, a["title"])
    ref["subheads"] = []
    return ref


def build_page(rng, items, date, pno):
    page = Page(rng)
    y, m, d = (date.split("-") + ["2020", "1", "1"])[:3]
    if rng.random() < 0.7:
        head = rng.choice([
            [f"{rng.choice(PAPERS)}　{int(y)}年{int(m)}月{int(d)}日　星期{A.WEEK[rng.randint(0, 6)]}", f"第{pno}版　{rng.choice(A.SECTIONS)}"],
            [f"{int(y)}.{int(m):02d}.{int(d):02d}", f"{rng.choice(A.SECTIONS)}"],
            [f"— {pno} —"],
        ])
        for h in head:
            page.emit(page.text(h), "F")
            page.frags.append(page.text(h))
        page.blank_line()
    n = rng.randint(2, 6)
    arts, refs = [], []
    pool = items[n:]
    for it in items[:n]:
        arts.append(make_article(rng, page, it))
    for k, a in enumerate(arts):
        if k:
            page.between_articles()
        if page.order == "before":
            lay_head(page, a)
            page.between_blocks()
            if a["before"]:
                page.emit(a["before"], "Y")
                page.between_blocks()
            raw = lay_body(page, a)
        elif page.order == "byline_first":
            if a["before"]:
                page.emit(a["before"], "Y")
            lay_head(page, a)
            page.between_blocks()
            raw = lay_body(page, a)
        elif page.order == "lead_first":
            # the lead, then the headline and byline, then the rest
            raw = lay_body(page, {**a, "sections": [s for s in a["sections"] if not s[1]][:1]})
            page.between_blocks()
            lay_head(page, a)
            if a["before"]:
                page.emit(a["before"], "Y")
            page.between_blocks()
            rest = {**a, "dl": ""}
            raw += lay_body(page, rest, from_para=1)
        else:  # after: byline, body, headline
            if a["before"]:
                page.emit(a["before"], "Y")
            raw = lay_body(page, a)
            if a["after"]:
                page.emit(a["after"], "y")
            page.between_blocks()
            lay_head(page, a)
        if a["after"] and page.order != "after":
            page.emit(a["after"], "y")
        refs.append(reference(a, raw))
        x = rng.random()
        if x < 0.1 and pool:
            cap = page.text("▲" + re.split(r"[。！？]", pool.pop()["paras"][0])[0][:36] + "。" + rng.choice(["新华社发", f"本报记者 {A.name(rng)} 摄", "（资料图片）"]))
            page.between_articles()
            page.emit(cap, "F")
            page.frags.append(cap[:20])
        elif x < 0.16:
            jump = f"（下转第{rng.randint(2, 16)}版）"
            page.emit(jump, "F")
            page.frags.append(jump)
    # a column of short items under a rubric
    if pool and rng.random() < page.brief_p * 3:
        page.between_articles()
        rub = rng.choice(RUBRICS)
        page.emit(rub, "F")
        page.frags.append(rub)
        page.between_blocks()
        for _ in range(rng.randint(2, 4)):
            if not pool:
                break
            it = pool.pop()
            a = make_article(rng, page, it, brief=True)
            if len(a["title"]) > 16:
                continue
            page.emit(a["title"], "H")
            raw = lay_body(page, a)
            refs.append(reference(a, raw))
            page.between_blocks()
    if rng.random() < 0.5:
        page.blank_line()
        foot = page.text(rng.choice([f"责任编辑：{A.name(rng)}", f"本版责编：{A.name(rng)}　美编：{A.name(rng)}", f"本版编辑 {A.name(rng)} 校对 {A.name(rng)}"]))
        page.emit(foot, "F")
        page.frags.append(foot)
    assert len(page.lines) == len(page.labels)
    return page.lines, page.labels, {"articles": refs, "fragments": page.frags,
                        "style": {k: getattr(page, k) for k in ("order", "blank", "indent", "width", "kinsoku", "fw", "corner", "by_kinds")}}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("news")
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--items", choices=["heldout", "tune"], default="heldout",
                    help="which of make_pages.py's parts of the news items to lay out (tune: pages "
                    "to train on)")
    a = ap.parse_args()
    days = A.items_by_part(a.news)[a.items]  # make_pages.py's split of the items
    order = sorted(days)
    truth = {"about": f"Generated pages (scripts/make_pages_b.py, seed {a.seed}).", "issues": {}}
    os.makedirs(os.path.join(a.out, "b"), exist_ok=True)
    for k in range(a.pages):
        rng, date, items = A.page_start(a.seed * 7_000_003 + k, days, order)
        lines, labels, t = build_page(rng, items, date, rng.randint(1, 16))
        name_ = f"b-{k:05d}_{date}.txt"
        with open(os.path.join(a.out, "b", name_), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        with open(os.path.join(a.out, "b", name_[:-4] + ".labels"), "w", encoding="utf-8") as f:
            f.write("".join(labels) + "\n")
        truth["issues"][name_] = t
    with open(os.path.join(a.out, "b.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
