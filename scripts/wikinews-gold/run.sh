#!/usr/bin/env bash
# Scores newsdex on the hand-labelled Wikinews sample as a user gets it: the 50 articles written
# to a temporary folder, indexed there as a corpus, exported, and the export scored.
#
# Usage: scripts/wikinews-gold/run.sh [NEWSDEX] [score.py options, e.g. --misses 20]
#   NEWSDEX  the binary to measure (default: target/release/newsdex; build it first)
# Nothing is written into the repository.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="$root/target/release/newsdex"
if (($#)) && [[ $1 != --* ]]; then
    bin="$1"
    shift
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
mkdir "$out/corpus"
python3 "$here/make_input.py" "$out/corpus/wikinews-gold.jsonl"
"$bin" --index "$out/index" index "$out/corpus" -q
"$bin" --index "$out/index" export > "$out/export.jsonl"
python3 "$here/score.py" "$here/gold.jsonl" "$out/export.jsonl" "$@"
