#!/usr/bin/env bash
# Run `kanbao export` N times over each folder given and print how many distinct outputs each
# gave (1 = deterministic). Issue 11's check: 100 runs over the news items written out as day
# files (scripts/news_days.py) and over ../shared/corpus.
#   scripts/export_determinism.sh 100 /tmp/days ../shared/corpus
set -euo pipefail
n=$1; shift
bin=${KANBAO_BIN:-$(dirname "$0")/../target/release/kanbao}
for dir in "$@"; do
  data=$(mktemp -d)
  start=$(date +%s)
  for i in $(seq 1 "$n"); do
    "$bin" --data-dir "$data" --archive "$dir" export 2>/dev/null | md5sum | cut -d' ' -f1
  done | sort | uniq -c | awk -v d="$dir" -v n="$n" '{k++; line=line" "$1"×"$2} END {print d": "n" runs, "k" distinct output(s):"line}'
  echo "  ($(( $(date +%s) - start )) s)"
  rm -rf "$data"
done
