#!/usr/bin/env python3
"""Set a folder of pages and its reference in traditional characters, for measuring how the
layout analysis reads pages of papers that print them (docs/LAYOUT.md, "Pages in traditional
characters").

    python3 scripts/to_traditional.py PAGES TRUTH.json OUT

writes OUT/<each page of TRUTH.json> and OUT.json, every string of the reference converted
the same way as the pages (OpenCC's simplified → traditional table, phrase by phrase; the
`style` of each page is left as it is). Needs `pip install opencc-python-reimplemented`; not
part of the tests.
"""
import json
import os
import sys

from opencc import OpenCC


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    src, truth, out = sys.argv[1:4]
    cc = OpenCC("s2t")

    def conv(x):
        if isinstance(x, str):
            return cc.convert(x)
        if isinstance(x, list):
            return [conv(y) for y in x]
        if isinstance(x, dict):
            return {k: (v if k == "style" else conv(v)) for k, v in x.items()}
        return x

    ref = json.load(open(truth, encoding="utf-8"))
    os.makedirs(out, exist_ok=True)
    issues = {}
    for name, v in ref["issues"].items():
        path = os.path.join(src, name)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(cc.convert(text))
        issues[name] = conv(v)
    ref["issues"] = issues
    with open(out.rstrip("/") + ".json", "w", encoding="utf-8") as f:
        json.dump(ref, f, ensure_ascii=False)
    print(f"{len(issues)} pages")


if __name__ == "__main__":
    main()
