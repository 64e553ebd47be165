#!/usr/bin/env bash
# Side-by-side comparison of newsdex with tantivy-cli, SQLite FTS5, Xapian and ripgrep over one
# generated corpus: index build time, throughput, peak RSS and size, then CLI search latency
# (p50/p95) over the same queries, and agreement of hit counts. Prints one markdown table.
#
#   benches/compare/run.sh                      # 50,000 generated articles
#   benches/compare/run.sh --articles 200000    # another size
#   benches/compare/run.sh --corpus DIR         # a folder of part-*.jsonl files
#
# Options: --articles N, --seed S, --corpus DIR, --work DIR (scratch, default
# /tmp/newsdex-compare), --rounds R (timed rounds over all queries, default 5), --build-rounds B
# (builds per engine, round-robin, median kept; default 3), --no-install (use what is on PATH).
# Installs what is missing: apt-get (ripgrep sqlite3 xapian-tools xapian-omega hyperfine time
# python3) and `cargo install tantivy-cli`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
articles=50000
seed=42
corpus=""
work=/tmp/newsdex-compare
rounds=5
build_rounds=3
install=1

while [[ $# -gt 0 ]]; do
    case "$1" in
        --articles) articles="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --corpus) corpus="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --build-rounds) build_rounds="$2"; shift 2 ;;
        --no-install) install=0; shift ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown option \`$1\` (see --help)" >&2; exit 2 ;;
    esac
done

say() { echo "run.sh: $*" >&2; }

ensure_tools() {
    local missing=()
    command -v rg >/dev/null || missing+=(ripgrep)
    command -v sqlite3 >/dev/null || missing+=(sqlite3)
    command -v scriptindex >/dev/null || missing+=(xapian-omega)
    command -v quest >/dev/null || missing+=(xapian-tools)
    command -v hyperfine >/dev/null || missing+=(hyperfine)
    command -v python3 >/dev/null || missing+=(python3)
    [[ -x /usr/bin/time ]] || missing+=(time)
    if [[ ${#missing[@]} -gt 0 ]]; then
        local sudo=""
        [[ $(id -u) -ne 0 ]] && sudo=sudo
        say "installing ${missing[*]}"
        $sudo apt-get update -qq
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
    fi
    if ! command -v tantivy >/dev/null; then
        # tantivy-cli 0.24 does not build with `--locked` on current Rust (its pinned
        # traitobject 0.1.0 no longer compiles); the resolved versions do.
        say "installing tantivy-cli"
        cargo install tantivy-cli >&2
    fi
}

[[ $install -eq 1 ]] && ensure_tools
export PATH="$HOME/.cargo/bin:$PATH"
for tool in rg sqlite3 scriptindex quest tantivy python3; do
    if ! command -v "$tool" >/dev/null; then
        say "\`$tool\` not found (run without --no-install)"
        exit 2
    fi
done
sqlite3 :memory: "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61');" \
    || { say "this sqlite3 has no FTS5"; exit 2; }

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
say "building newsdex (release)"
(cd "$repo" && cargo build --release --quiet --bin newsdex \
    --example gen_corpus --example search_latency)
bin="$CARGO_TARGET_DIR/release"

mkdir -p "$work"
if [[ -z "$corpus" ]]; then
    corpus="$work/corpus-$articles-$seed"
    if [[ ! -f "$corpus/.complete" ]]; then
        rm -rf "$corpus"
        say "generating $articles articles (seed $seed) into $corpus"
        "$bin/examples/gen_corpus" --articles "$articles" --seed "$seed" --out "$corpus"
        touch "$corpus/.complete"
    fi
fi

{
    cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    ram="$(free -g | awk '/Mem:/ {print $2}')"
    echo "Machine: $(nproc) cores ($cpu), $ram GB RAM, $(uname -sr)."
    echo "Versions: newsdex $(git -C "$repo" rev-parse --short HEAD)," \
        "$(tantivy --version 2>/dev/null | sed -n 1p)," \
        "sqlite3 $(sqlite3 --version | cut -d' ' -f1), $(quest --version | sed -n 1p)," \
        "$(rg --version | sed -n 1p)."
} > "$work/machine.md"

python3 "$here/compare.py" --corpus "$corpus" --work "$work/run" --newsdex "$bin/newsdex" \
    --search-latency "$bin/examples/search_latency" --rounds "$rounds" \
    --build-rounds "$build_rounds" | tee "$work/table.md"
echo
cat "$work/machine.md"
