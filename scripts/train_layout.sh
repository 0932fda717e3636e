#!/usr/bin/env bash
# Rebuild the line labeller's models (src/layout/model.crfsuite, src/layout/model2.crfsuite)
# and the choice between its cut and the rules' (src/layout/choice.rs), and score them on
# held-out pages.
#
#   scripts/train_layout.sh [WORK_DIR]        (default target/layout-pages; ~60 minutes on 2 cores)
#
# 1. scripts/make_pages.py lays 4,800 pages out of the shared news items (seed 1): 3,600 to
#    tune on, 1,200 held out (different pages and different news items).
# 2. examples/train_layout.rs trains the first reading on the tune part and on 1,200 pages of the
#    second page maker (scripts/make_pages_b.py, seed 2, news items of the tune part: other
#    habits of layout, bylines and datelines), plus the seed pages and our samples with labels
#    read off the rule-based analysis (which cuts those pages right), weight 30.
# 3. The second reading stacks on the first's labels. So that it learns from labels as wrong as
#    they will be on new pages, each tune page's first labels come from a model trained
#    without it (two halves, cross-fitted: --fold), not from the final first model.
# 4. The choice between the rules' cut and the labeller's (src/layout/choice.rs) is fitted on
#    900 more pages (seed 11, tune part: pages no model was trained on) and 400 of the second
#    maker (seed 3, tune items) with the seed pages and our samples, weighted by the smallest weight that keeps every seed and sample
#    yardstick at 1.00: scripts/fit_choice.py writes the weights into choice.rs, with those of
#    the gate (the same fit on the labeller's figures alone: where it is sure, the rules are
#    not run) and its margin.
# 5. The held-out part is only scored: per-line accuracy, then the shared yardstick; and 400
#    pages of the second maker made of held-out items.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${KANBAO_SHARED:-../shared}
work=${1:-target/layout-pages}
rm -rf "$work"
news="$shared/corpus/news/xwlb-2012-2026.jsonl.gz"
python3 scripts/make_pages.py "$news" "$work" --pages 4800 --seed 1
python3 scripts/make_pages_b.py "$news" "$work/b" --pages 1200 --seed 2 --items tune
# the pages trained on: the tune part (a/) and the second maker's (b/), in that order
mkdir -p "$work/train"
ln -s ../tune "$work/train/a"
ln -s ../b/b "$work/train/b"
cargo build --release --examples --bin kanbao
extra=("$shared/corpus/seeds:30" "samples:30")
train=./target/release/examples/train_layout
# two at a time (2 cores); `wait PID` fails the script when a training fails
$train "$work/fold0.crfsuite" 150 "$work/train" "${extra[@]}" --fold 0/2 & a=$!
$train "$work/fold1.crfsuite" 150 "$work/train" "${extra[@]}" --fold 1/2 & b=$!
wait $a; wait $b
$train src/layout/model.crfsuite 150 "$work/train" "${extra[@]}" & a=$!
$train src/layout/model2.crfsuite 150 "$work/train" "${extra[@]}" \
  --stack "$work/fold0.crfsuite,$work/fold1.crfsuite" & b=$!
wait $a; wait $b
cargo build --release --bin kanbao   # the models are compiled in
# the choice: both cuts of every page alone, and the figures the choice is made on
python3 scripts/make_pages.py "$news" "$work/choice" --pages 1200 --seed 11
python3 scripts/make_pages_b.py "$news" "$work/choice-b" --pages 400 --seed 3 --items tune
fit=()
for set in "choice:$work/choice/tune:$work/choice/tune.json:1" \
    "seeds:$shared/corpus/seeds:$shared/eval/seeds-truth.json:keep" "samples:samples:samples/truth.json:keep" \
    "choice-b:$work/choice-b/b:$work/choice-b/b.json:1"; do
  IFS=: read -r name pages truth weight <<< "$set"
  out="$work/fit-$name"
  ./target/release/kanbao bench --layout "$pages" --out "$out" > /dev/null
  cp "$out/layout/choices.tsv" "$out/choices.tsv"
  for mode in rules labeller; do
    KANBAO_LAYOUT=$mode ./target/release/kanbao --data-dir "$work/data-$mode" --archive "$pages" export > "$out/$mode.jsonl"
  done
  fit+=("$truth,$out,$weight")
done
KANBAO_SHARED="$shared" python3 scripts/fit_choice.py write "${fit[@]}"
cargo build --release --bin kanbao   # the choice's weights are compiled in
./target/release/examples/eval_layout src/layout/model.crfsuite "$work/heldout"   # first reading alone
./target/release/kanbao --data-dir "$work/data" --archive "$work/heldout" export > "$work/heldout.jsonl"
python3 "$shared/eval/score_segmentation.py" --truth "$work/heldout.json" --pred "$work/heldout.jsonl"
# and 400 pages of the second maker, of held-out items (seed 5)
python3 scripts/make_pages_b.py "$news" "$work/heldout-b" --pages 400 --seed 5
./target/release/kanbao --data-dir "$work/data-b" --archive "$work/heldout-b/b" export > "$work/heldout-b.jsonl"
python3 "$shared/eval/score_segmentation.py" --truth "$work/heldout-b/b.json" --pred "$work/heldout-b.jsonl"
