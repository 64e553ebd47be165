#!/usr/bin/env bash
# Runs `newsdex extract --json` over every development set in the evaluation folder and prints
# one table of the scorer's numbers, then the one-core extraction speed on each input.
#
# Usage: scripts/eval.sh [EVAL_DIR] [NEWSDEX]
#   EVAL_DIR  folder with score.py and sets/ (default: ../shared/eval beside the repository)
#   NEWSDEX   the binary to measure (default: target/release/newsdex; build it first)
# Predictions go to a temporary folder; nothing is written into the repository.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
eval_dir="${1:-$root/../shared/eval}"
bin="${2:-$root/target/release/newsdex}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

printf '%-14s %-8s %s\n' set seconds "summary (the scorer's last line)"
for set in conll-dev reuters-train bbc agnews-dev; do
    input="$eval_dir/sets/input/$set.jsonl"
    [ -f "$input" ] || continue
    start=$(date +%s.%N)
    taskset -c 0 "$bin" extract --json "$input" > "$out/$set.ndjson"
    end=$(date +%s.%N)
    bytes=$(python3 -c 'import json,sys
n=0
for line in open(sys.argv[1]):
    r=json.loads(line); n+=len((r.get("title") or "").encode())+len((r.get("body") or "").encode())
print(n)' "$input")
    secs=$(python3 -c "print(f'{$end-$start:.2f}')")
    mbs=$(python3 -c "print(f'{$bytes/1e6/($end-$start):.1f}')")
    flags=""
    [ "$set" = reuters-train ] && flags="--nonempty"
    summary=$(python3 "$eval_dir/score.py" $flags "$eval_dir/sets/$set.jsonl" "$out/$set.ndjson" | tail -1)
    printf '%-14s %-8s %s  [%s MB/s text, one core]\n' "$set" "$secs" "$summary" "$mbs"
    if [ "$set" = reuters-train ]; then
        summary=$(python3 "$eval_dir/score.py" "$eval_dir/sets/$set.jsonl" "$out/$set.ndjson" | tail -1)
        printf '%-14s %-8s %s\n' "  (all docs)" "" "$summary"
    fi
done
