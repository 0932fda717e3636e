#!/usr/bin/env python3
"""Write the shared news items out as day files: one issue file per date, each item as its
headline, a blank line, its paragraphs (one per line), and a blank line.

    python3 scripts/news_days.py ../shared/corpus/news/xwlb-2012-2026.jsonl.gz OUT [--limit N]

Used to try kanbao as a user would on real text at scale (issue files it never saw)."""
import argparse, gzip, json, os
from collections import defaultdict

ap = argparse.ArgumentParser()
ap.add_argument("src")
ap.add_argument("out")
ap.add_argument("--limit", type=int, default=0, help="at most this many day files (0: all)")
a = ap.parse_args()
days = defaultdict(list)
with gzip.open(a.src, "rt", encoding="utf-8") as f:
    for line in f:
        o = json.loads(line)
        days[o["date"]].append(o)
os.makedirs(a.out, exist_ok=True)
for k, d in enumerate(sorted(days)):
    if a.limit and k >= a.limit:
        break
    with open(os.path.join(a.out, f"{d}.txt"), "w", encoding="utf-8") as f:
        for o in days[d]:
            f.write(o["title"].strip() + "\n\n")
            for p in o["paragraphs"]:
                f.write(p.strip() + "\n")
            f.write("\n")
