#!/usr/bin/env bash
# Load bench of `newsdex serve` (not run in CI): wrk with 32 concurrent connections against
# loopback only, bounded in time, on the generated corpus; searches with facets over a rotating
# set of queries and filters. Runs twice: on a quiet index, then while `newsdex index --full`
# rewrites it (the server's reader follows the new commits).
#
#   cargo build --release
#   cargo run --release --example gen_corpus -- --articles 50000 --seed 42 --out /tmp/gen50k
#   benches/serve_load.sh [CORPUS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=${1:-/tmp/gen50k}
seconds=${2:-20}
bin=target/release/newsdex
index=$(mktemp -d /tmp/newsdex-serve-load.XXXXXX)
lua=$index.lua
trap 'kill "$server" 2>/dev/null || true; kill "$indexer" 2>/dev/null || true; rm -rf "$index" "$lua" "$index.log"' EXIT
server=""
indexer=""

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }

echo "indexing $corpus into $index" >&2
"$bin" --index "$index/idx" index -q "$corpus"
"$bin" --index "$index/idx" stats

"$bin" --index "$index/idx" serve --bind 127.0.0.1:0 2>"$index.log" &
server=$!
for _ in $(seq 50); do
  addr=$(sed -n 's|^serving .* on http://\(127\.0\.0\.1:[0-9]*\)/$|\1|p' "$index.log")
  [ -n "$addr" ] && break
  sleep 0.1
done
[ -n "$addr" ] || { echo "the server did not start" >&2; cat "$index.log" >&2; exit 1; }

cat >"$lua" <<'LUA'
local paths = {
  "/api/search?q=election&facets=true&limit=20",
  "/api/search?q=trade+OR+tariffs&facets=true&limit=20",
  "/api/search?q=president&country=US&facets=true&limit=20",
  "/api/search?q=&topic=economy&facets=true&limit=20",
  "/api/search?q=%22central+bank%22&facets=true&limit=20&sort=date",
  "/api/search?q=government&since=2020&until=2021&facets=true&limit=20",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA

run() {
  echo "== $1" >&2
  wrk -t2 -c32 -d"${seconds}s" --timeout 10s --latency -s "$lua" "http://$addr" |
    grep -E "Latency|50%|99%|Requests/sec|requests in|Non-2xx|Socket errors"
}

run "search with facets, 32 connections, ${seconds}s, quiet index"
"$bin" --index "$index/idx" index -q --full "$corpus" &
indexer=$!
run "the same while \`newsdex index --full\` rewrites the index"
if kill -0 "$indexer" 2>/dev/null; then
  echo "(the index run was still going when the load ended)" >&2
  wait "$indexer" || true
fi
indexer=""
curl -s "http://$addr/api/stats"; echo
