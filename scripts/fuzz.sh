#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for MINUTES minutes each, one after the other (one
# libFuzzer job at a time), seeded from the shipped corpus/. Not run in CI. Needs a nightly
# toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Crashes, timeouts and out-of-memory
# inputs (over 2 GB) land in fuzz/artifacts/TARGET/; each becomes a regression test. An input is
# a timeout past TIMEOUT seconds (default 10, as a campaign run under `nice -n 19` on a busy
# machine can be starved): re-run a slow one alone with
# `cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/slow-unit-...`; it must take under 1 s.
# Each target's log is fuzz/logs/TARGET.log; its last lines hold libFuzzer's final stats. Its
# CPU time (user and system seconds, and wall seconds) is in fuzz/logs/TARGET.time: on a busy
# machine a campaign's wall minutes are not its CPU minutes.
#
#   nice -n 19 scripts/fuzz.sh 30            # 30 minutes per target
#   nice -n 19 scripts/fuzz.sh 2 read_html   # 2 minutes, one target
#   TIMEOUT=1 scripts/fuzz.sh 5 date         # an idle machine: a unit over 1 s is a finding
set -euo pipefail

minutes=${1:?usage: scripts/fuzz.sh MINUTES [TARGET...]}
timeout=${TIMEOUT:-10}
shift
cd "$(dirname "$0")/../fuzz"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(read_txt read_md read_html read_json read_jsonl read_csv read_gz read_sniffed
           read_warc read_feed date extract query snippet)
fi

# The shared web archives and feeds (read, never copied into the repository): seeds of
# read_warc and read_feed, when present.
archives=${ARCHIVES:-/work/shared/archives}

# Seeds: the shipped articles, by the format each target reads.
seed() {
  local target=$1 dir=corpus/$1
  mkdir -p "$dir"
  local pattern
  case $target in
    read_txt | snippet) pattern='*.txt' ;;
    read_md) pattern='*.md' ;;
    read_html) pattern='*.htm*' ;;
    read_json) pattern='*.json' ;;
    read_jsonl | read_gz) pattern='*.jsonl' ;;
    read_csv) pattern='*.csv' ;;
    *) pattern='*' ;;
  esac
  if [ "$target" = read_warc ] || [ "$target" = read_feed ]; then
    local from=$archives/warc
    [ "$target" = read_feed ] && from=$archives/feeds
    if [ -d "$from" ]; then
      # Files under 64 KB, the licences and notes left out: under the sanitizer a unit parses
      # its input six ways, and the 200 KB archives made it take seconds (one execution a
      # second, and "timeouts" of a starved machine).
      find "$from" -type f -size -64k ! -name 'LICENSE*' ! -name 'SOURCE*' ! -name '*.md' |
        while read -r file; do cp "$file" "$dir/$(printf '%s' "${file#"$from"/}" | tr / _)"; done
    fi
    return
  fi
  find ../corpus -type f -name "$pattern" ! -name 'ATTRIBUTION*' | head -200 | while read -r file; do
    if [ "$target" = read_gz ]; then
      gzip -c "$file" > "$dir/$(basename "$file").gz"
    else
      cp "$file" "$dir/"
    fi
  done
  if [ "$target" = date ]; then
    printf '%s' '26 November 2026' > "$dir/d1"
    printf '%s' 'Nov 26, 2026' > "$dir/d2"
    printf '%s' '26-FEB-1987 15:01:01.79' > "$dir/d3"
    printf '%s' 'Wed, 26 Nov 2026 01:11:00 +0000' > "$dir/d4"
  fi
  if [ "$target" = query ]; then
    printf 'trade AND minister\nIN\nMarco Rubio\neconomy\nWikinews' > "$dir/q1"
    printf 'title:"critical minerals" -oil\n\n\npolitics' > "$dir/q2"
  fi
}

mkdir -p logs
failed=0
for target in "${targets[@]}"; do
  seed "$target"
  echo "== $target: $minutes min"
  set +e
  /usr/bin/time -f 'user %U system %S wall %e' -o "logs/$target.time" \
    cargo +nightly fuzz run "$target" "corpus/$target" -- \
    -max_total_time=$((minutes * 60)) -timeout="$timeout" -rss_limit_mb=2048 -max_len=1048576 \
    -print_final_stats=1 > "logs/$target.log" 2>&1
  status=$?
  set -e
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "logs/$target.log" || true
  cat "logs/$target.time"
  if [ $status -ne 0 ]; then
    echo "$target: found a problem (fuzz/logs/$target.log, fuzz/artifacts/$target/)"
    failed=1
  fi
done
exit $failed
