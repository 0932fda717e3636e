#!/usr/bin/env bash
# Rebuild the line labeller's model (src/layout/model.crfsuite) and score it on held-out pages.
#
#   scripts/train_layout.sh [WORK_DIR]        (default target/layout-pages; ~5 minutes on 2 cores)
#
# 1. scripts/make_pages.py lays 1,200 pages out of the shared news items (seed 1): 900 to tune
#    on, 300 held out (different pages and different news items).
# 2. examples/train_layout.rs trains the CRF on the tune part, plus the seed pages and our
#    samples with labels read off the rule-based analysis (which cuts those pages right), weight 10.
# 3. The held-out part is only scored: per-line accuracy, then the shared yardstick.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${KANBAO_SHARED:-../shared}
work=${1:-target/layout-pages}
rm -rf "$work"
python3 scripts/make_pages.py "$shared/corpus/news/xwlb-2012-2026.jsonl.gz" "$work" --pages 1200 --seed 1
cargo build --release --examples --bin kanbao
./target/release/examples/train_layout src/layout/model.crfsuite 150 "$work/tune" \
  "$shared/corpus/seeds:10" "samples:10"
cargo build --release --bin kanbao   # the model is compiled in
./target/release/examples/eval_layout src/layout/model.crfsuite "$work/heldout"
./target/release/kanbao --data-dir "$work/data" --archive "$work/heldout" export > "$work/heldout.jsonl"
python3 "$shared/eval/score_segmentation.py" --truth "$work/heldout.json" --pred "$work/heldout.jsonl"
