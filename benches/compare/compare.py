#!/usr/bin/env python3
"""Side-by-side comparison of newsdex with peer engines over one generated corpus.

Builds each engine's index over the same JSONL corpus (timing the build and reading its peak
RSS from GNU time), runs the same queries in each engine's own syntax (AND semantics
everywhere), interleaved and repeated, and prints one markdown table of build and CLI search
figures, with ratios to newsdex, plus a table of hit counts per query. Called by run.sh, which
installs the engines and generates the corpus; usable alone when they are present.

Engines: newsdex; tantivy-cli (plain tantivy, the same en_stem tokenizer as newsdex); SQLite
FTS5 (porter tokenizer); Xapian (scriptindex + quest, English stemmer); ripgrep (no index, no
stemming: a baseline for scanning the raw files).
"""

import argparse
import glob
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time

TIME = "/usr/bin/time"


# ---------------------------------------------------------------------------------------------
# Queries: a neutral syntax written out in each engine's own.


def parse_query(line):
    """Returns ("and" | "or", items); an item is ("word", w), ("phrase", [w...]) or
    ("group", [w...]) (alternatives)."""
    items = []
    top_or = False
    for token in re.findall(r'"[^"]*"|\([^)]*\)|\||[^\s"()|]+', line):
        if token == "|":
            top_or = True
        elif token.startswith('"'):
            items.append(("phrase", token.strip('"').split()))
        elif token.startswith("("):
            items.append(("group", [w.strip() for w in token.strip("()").split("|")]))
        else:
            items.append(("word", token))
    return ("or" if top_or else "and"), items


def newsdex_syntax(query):
    mode, items = query
    parts = [render(item, or_word="OR") for item in items]
    return (" OR " if mode == "or" else " ").join(parts)


def tantivy_syntax(query):
    # tantivy-cli's query parser ORs by default: every clause gets a `+`.
    mode, items = query
    parts = [render(item, or_word="") for item in items]
    if mode == "or":
        return " ".join(parts)
    return " ".join("+" + part for part in parts)


def fts5_syntax(query):
    mode, items = query
    # FTS5 needs an explicit AND before a parenthesised group.
    parts = [render(item, or_word="OR", quote_words=True) for item in items]
    return (" OR " if mode == "or" else " AND ").join(parts)


def xapian_syntax(query):
    # quest runs with `-o and`; OR must be upper case with the boolean flag.
    return newsdex_syntax(query)


def render(item, or_word, quote_words=False):
    kind, value = item
    if kind == "word":
        return f'"{value}"' if quote_words else value
    if kind == "phrase":
        return '"' + " ".join(value) + '"'
    joiner = f" {or_word} " if or_word else " "
    return "(" + joiner.join(value) + ")"


def rg_pattern(query):
    """A PCRE2 pattern matching a JSONL line (one article) that satisfies the query,
    case-insensitively, on whole words, without stemming."""
    mode, items = query

    def alt(item):
        kind, value = item
        if kind == "word":
            return re.escape(value)
        if kind == "phrase":
            return r"\s+".join(re.escape(w) for w in value)
        return "(?:" + "|".join(re.escape(w) for w in value) + ")"

    if mode == "or":
        return r"\b(?:" + "|".join(alt(i) for i in items) + r")\b"
    return "^" + "".join(r"(?=.*?\b" + alt(i) + r"\b)" for i in items)


def load_queries(path):
    queries = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                queries.append((line, parse_query(line)))
    return queries


# ---------------------------------------------------------------------------------------------
# Running things.


def timed(argv, stdin=None, env=None):
    """Runs argv under GNU time; returns (seconds, peak RSS in MB, completed process)."""
    stats = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"newsdex-compare-time-{os.getpid()}")
    started = time.perf_counter()
    proc = subprocess.run(
        [TIME, "-v", "-o", stats] + argv,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    seconds = time.perf_counter() - started
    rss_kb = 0
    with open(stats, encoding="utf-8") as f:
        for line in f:
            if "Maximum resident set size" in line:
                rss_kb = int(line.rsplit(":", 1)[1])
    os.remove(stats)
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr.decode(errors="replace")[-3000:])
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(argv)}")
    return seconds, rss_kb / 1024, proc


def dir_size(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


def run(argv):
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and b"rror" in proc.stderr):
        raise SystemExit(f"failed ({proc.returncode}): {argv}\n"
                         + proc.stderr.decode(errors="replace")[-2000:])
    return proc


# ---------------------------------------------------------------------------------------------
# Engines. Each has: prepare (untimed conversion of the corpus), build (timed), search argv
# (timed, top-10 where the tool allows) and count (hit count, untimed).


class Newsdex:
    name = "newsdex"
    stems = True

    def __init__(self, work, binary):
        self.binary = binary
        self.index = os.path.join(work, "newsdex-index")

    def prepare(self, corpus):
        self.corpus = corpus

    def build(self):
        shutil.rmtree(self.index, ignore_errors=True)
        return timed([self.binary, "index", self.corpus, "--index", self.index, "--full", "-q"])

    def size(self):
        return dir_size(self.index)

    def search(self, query, extra=()):
        return [self.binary, "search", newsdex_syntax(query), "--index", self.index, "-n", "10",
                *extra]

    def count(self, query):
        proc = run(self.search(query, extra=("--json",)))
        if proc.returncode == 1 and not proc.stdout.strip():
            return 0
        return json.loads(proc.stdout)["total"]


class NewsdexFacets(Newsdex):
    """newsdex search with --facets: the same index, facet counts over all hits added."""

    name = "newsdex --facets"

    def search(self, query, extra=()):
        return super().search(query, extra=("--facets", *extra))


TANTIVY_SCHEMA = [
    {"name": "id", "type": "text", "options": {"indexing": None, "stored": True, "fast": False}},
    {"name": "title", "type": "text", "options": {
        "indexing": {"record": "position", "fieldnorms": True, "tokenizer": "en_stem"},
        "stored": True, "fast": False}},
    {"name": "body", "type": "text", "options": {
        "indexing": {"record": "position", "fieldnorms": True, "tokenizer": "en_stem"},
        "stored": True, "fast": False}},
    {"name": "date", "type": "text", "options": {"indexing": None, "stored": True, "fast": False}},
    {"name": "source", "type": "text", "options": {"indexing": None, "stored": True,
                                                   "fast": False}},
]


class TantivyCli:
    name = "tantivy-cli"
    stems = True

    def __init__(self, work, threads, memory):
        self.work = work
        self.index = os.path.join(work, "tantivy-index")
        self.threads = threads
        self.memory = memory

    def prepare(self, corpus):
        self.all_jsonl = concatenated(corpus, self.work)

    def build(self):
        shutil.rmtree(self.index, ignore_errors=True)
        os.makedirs(self.index)
        meta = {
            "index_settings": {"docstore_compression": "lz4", "docstore_blocksize": 16384},
            "segments": [],
            "schema": TANTIVY_SCHEMA,
            "opstamp": 0,
        }
        with open(os.path.join(self.index, "meta.json"), "w", encoding="utf-8") as f:
            json.dump(meta, f)
        return timed(["tantivy", "index", "-i", self.index, "-f", self.all_jsonl,
                      "-t", str(self.threads), "-m", str(self.memory)])

    def size(self):
        return dir_size(self.index)

    def search(self, query):
        # Prints every hit (stored fields as JSON), unranked: tantivy-cli has no limit flag.
        return ["tantivy", "search", "-i", self.index, "-q", tantivy_syntax(query)]

    def count(self, query):
        proc = run(self.search(query))
        return sum(1 for line in proc.stdout.splitlines() if line.strip())


class Sqlite:
    name = "sqlite3 FTS5"
    stems = True

    def __init__(self, work):
        self.work = work
        self.db = os.path.join(work, "fts5.sqlite")
        self.load = os.path.join(work, "fts5-load.txt")

    def prepare(self, corpus):
        # ASCII-separated records for `.mode ascii` + `.import` (0x1f fields, 0x1e records).
        with open(self.load, "w", encoding="utf-8") as out:
            for record in records(corpus):
                fields = [record.get(k, "") or "" for k in ("id", "title", "body", "date",
                                                              "source")]
                out.write("\x1f".join(f.replace("\x1f", " ").replace("\x1e", " ")
                                      for f in fields))
                out.write("\x1e")

    def build(self):
        if os.path.exists(self.db):
            os.remove(self.db)
        script = "\n".join([
            "PRAGMA journal_mode=OFF;",
            "PRAGMA synchronous=OFF;",
            "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, date UNINDEXED,"
            " source UNINDEXED, tokenize='porter unicode61');",
            ".mode ascii",
            f".import {self.load} docs",
            "INSERT INTO docs(docs) VALUES('optimize');",
        ])
        script_path = os.path.join(self.work, "fts5-build.sql")
        with open(script_path, "w", encoding="utf-8") as f:
            f.write(script + "\n")
        with open(script_path, "rb") as stdin:
            return timed(["sqlite3", self.db], stdin=stdin)

    def size(self):
        return dir_size(self.db)

    def search(self, query):
        match = fts5_syntax(query).replace("'", "''")
        sql = (
            "SELECT id, title, snippet(docs, 2, '<b>', '</b>', '…', 16) FROM docs "
            f"WHERE docs MATCH '{match}' ORDER BY bm25(docs, 0, 2.5, 1, 0, 0) LIMIT 10;"
        )
        return ["sqlite3", "-readonly", self.db, sql]

    def count(self, query):
        match = fts5_syntax(query).replace("'", "''")
        proc = run(["sqlite3", "-readonly", self.db,
                    f"SELECT count(*) FROM docs WHERE docs MATCH '{match}';"])
        return int(proc.stdout.strip() or 0)


XAPIAN_SCRIPT = """\
id : boolean=Q field
title : weight=2 index field
body : index field
date : field
source : field
"""


class Xapian:
    name = "xapian"
    stems = True

    def __init__(self, work):
        self.work = work
        self.db = os.path.join(work, "xapian-db")
        self.dump = os.path.join(work, "xapian-dump.txt")
        self.script = os.path.join(work, "xapian.script")

    def prepare(self, corpus):
        # scriptindex's dump format: field=value lines, continuation lines start with `=`,
        # records end with a blank line.
        with open(self.dump, "w", encoding="utf-8") as out:
            for record in records(corpus):
                for key in ("id", "title", "body", "date", "source"):
                    value = str(record.get(key, "") or "")
                    lines = value.split("\n")
                    out.write(f"{key}={lines[0]}\n")
                    for line in lines[1:]:
                        out.write(f"={line}\n")
                out.write("\n")
        with open(self.script, "w", encoding="utf-8") as f:
            f.write(XAPIAN_SCRIPT)

    def build(self):
        shutil.rmtree(self.db, ignore_errors=True)
        return timed(["scriptindex", "--overwrite", "-s", "english", self.db, self.script,
                      self.dump])

    def size(self):
        return dir_size(self.db)

    def search(self, query, msize=10):
        return ["quest", "-d", self.db, "-s", "english", "-o", "and",
                "-f", "boolean,phrase,lovehate,default", "-m", str(msize),
                xapian_syntax(query)]

    def count(self, query):
        argv = self.search(query, msize=0)
        argv[-1:-1] = ["-c", "100000000"]
        proc = run(argv)
        found = re.search(r"(?:Exactly|About|Between \d+ and) (\d+) match",
                          proc.stdout.decode(errors="replace"))
        return int(found.group(1)) if found else 0


class Ripgrep:
    name = "ripgrep"
    stems = False

    def __init__(self, work):
        self.work = work

    def prepare(self, corpus):
        self.corpus = corpus

    def build(self):
        return None

    def size(self):
        return None

    def search(self, query):
        # No index and no ranking: a count of matching lines (articles) per file.
        return ["rg", "-c", "-i", "-P", "--no-messages", "-g", "*.jsonl", rg_pattern(query),
                self.corpus]

    def count(self, query):
        proc = run(self.search(query))
        total = 0
        for line in proc.stdout.decode(errors="replace").splitlines():
            total += int(line.rsplit(":", 1)[1])
        return total


def records(corpus):
    for path in sorted(glob.glob(os.path.join(corpus, "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)


def concatenated(corpus, work):
    path = os.path.join(work, "all.jsonl")
    if not os.path.exists(path):
        with open(path, "wb") as out:
            for part in sorted(glob.glob(os.path.join(corpus, "*.jsonl"))):
                with open(part, "rb") as f:
                    shutil.copyfileobj(f, out)
    return path


# ---------------------------------------------------------------------------------------------
# The comparison.


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", required=True, help="folder of part-*.jsonl files")
    ap.add_argument("--work", required=True, help="scratch folder for indexes and results")
    ap.add_argument("--newsdex", required=True, help="path of the release binary")
    ap.add_argument("--queries", default=os.path.join(os.path.dirname(__file__), "queries.txt"))
    ap.add_argument("--rounds", type=int, default=5, help="timed rounds over all queries")
    ap.add_argument("--build-rounds", type=int, default=3, help="builds per engine (median)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--engines", default="newsdex,tantivy-cli,sqlite,xapian,ripgrep")
    ap.add_argument("--tantivy-threads", type=int, default=min(os.cpu_count() or 1, 8),
                    help="tantivy-cli's indexing threads (default: one per core, at most 8, "
                         "as newsdex's writer has)")
    ap.add_argument("--tantivy-memory", type=int, default=128 * 1024 * 1024,
                    help="tantivy-cli's indexing budget in bytes (newsdex's writer budget)")
    ap.add_argument("--search-latency", help="path of the search_latency example binary")
    args = ap.parse_args()

    os.makedirs(args.work, exist_ok=True)
    corpus_bytes = sum(os.path.getsize(p)
                       for p in glob.glob(os.path.join(args.corpus, "*.jsonl")))
    if corpus_bytes == 0:
        raise SystemExit(f"no part-*.jsonl files in {args.corpus}")
    wanted = args.engines.split(",")
    engines = []
    news = Newsdex(args.work, args.newsdex)
    if "newsdex" in wanted:
        engines += [news]
    if "tantivy-cli" in wanted:
        engines.append(TantivyCli(args.work, args.tantivy_threads, args.tantivy_memory))
    if "sqlite" in wanted:
        engines.append(Sqlite(args.work))
    if "xapian" in wanted:
        engines.append(Xapian(args.work))
    if "ripgrep" in wanted:
        engines.append(Ripgrep(args.work))

    for engine in engines:
        log(f"{engine.name}: preparing input")
        engine.prepare(args.corpus)
    # Builds are repeated round-robin and the median run (by time) kept, so a burst of load
    # on a shared machine does not land on one engine only.
    runs = {}
    for round_no in range(args.build_rounds):
        for engine in engines:
            result = engine.build()
            if result is None:
                continue
            seconds, rss, _ = result
            runs.setdefault(engine.name, []).append((seconds, rss, engine.size()))
            log(f"{engine.name}: build {round_no + 1}/{args.build_rounds}: {seconds:.1f} s, "
                f"peak RSS {rss:.0f} MB, index {engine.size() / 1e6:.0f} MB")
    builds = {name: sorted(r)[len(r) // 2] for name, r in runs.items()}

    searchers = list(engines)
    if "newsdex" in wanted:
        facets = NewsdexFacets(args.work, args.newsdex)
        facets.prepare(args.corpus)
        searchers.insert(1, facets)

    queries = load_queries(args.queries)
    log(f"counting hits of {len(queries)} queries")
    counts = {text: {e.name: e.count(q) for e in engines} for text, q in queries}

    log(f"timing: {args.rounds} rounds x {len(queries)} queries x {len(searchers)} tools, "
        "interleaved (one untimed warm-up round)")
    rng = random.Random(args.seed)
    samples = {e.name: [] for e in searchers}
    for round_no in range(args.rounds + 1):
        order = [(e, q) for _, q in queries for e in searchers]
        rng.shuffle(order)
        for engine, query in order:
            argv = engine.search(query)
            started = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            elapsed = (time.perf_counter() - started) * 1000
            if round_no > 0:
                samples[engine.name].append(elapsed)

    table = report(args, corpus_bytes, builds, samples, searchers, counts, queries, engines)
    if args.search_latency and "newsdex" in wanted:
        query_file = os.path.join(args.work, "newsdex-queries.txt")
        with open(query_file, "w", encoding="utf-8") as f:
            f.write("".join(newsdex_syntax(q) + "\n" for _, q in queries))
        log("timing in-process searches")
        proc = subprocess.run([args.search_latency, "--index", news.index, "--queries",
                               query_file], stdout=subprocess.PIPE, check=True)
        table += "\n\nnewsdex in-process (`search_latency`, index opened once):\n\n"
        table += proc.stdout.decode().strip()
    print(table)
    with open(os.path.join(args.work, "results.md"), "w", encoding="utf-8") as f:
        f.write(table + "\n")
    with open(os.path.join(args.work, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"corpus_bytes": corpus_bytes, "builds": builds, "samples_ms": samples,
                   "counts": counts}, f, indent=1)


def report(args, corpus_bytes, builds, samples, searchers, counts, queries, engines):
    lines = []
    articles = sum(1 for _ in open(concatenated(args.corpus, args.work), "rb"))
    lines.append(f"Corpus: {articles} articles, {corpus_bytes / 1e6:.0f} MB of JSONL; "
                 f"builds: median of {args.build_rounds}; searches: {len(queries)} queries x "
                 f"{args.rounds} rounds, interleaved.")
    lines.append("")
    lines.append("| tool | build s | MB/s | peak RSS MB | index MB | CLI p50 ms | p95 ms |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|")
    base_build = builds.get("newsdex", (None,))[0]
    base_p50 = statistics.median(samples["newsdex"]) if samples.get("newsdex") else None
    for engine in searchers:
        build = builds.get(engine.name)
        if build:
            seconds, rss, size = build
            ratio = f" ({base_build / seconds:.2f}×)" if base_build and engine.name != "newsdex" \
                else ""
            cells = [f"{seconds:.1f}{ratio}", f"{corpus_bytes / 1e6 / seconds:.1f}",
                     f"{rss:.0f}", f"{size / 1e6:.0f}"]
        else:
            cells = ["—", "—", "—", "—"]
        p50 = statistics.median(samples[engine.name])
        p95 = percentile(samples[engine.name], 0.95)
        ratio = f" ({base_p50 / p50:.2f}×)" if base_p50 and engine.name != "newsdex" else ""
        lines.append(f"| {engine.name} | " + " | ".join(cells)
                     + f" | {p50:.1f}{ratio} | {p95:.1f} |")
    lines.append("")
    lines.append("Ratios in brackets are newsdex ÷ tool: below 1.0, newsdex is faster.")
    lines.append("")
    names = [e.name for e in engines]
    lines.append("| query | " + " | ".join(names) + " |")
    lines.append("|---|" + "---:|" * len(names))
    stemmers = [e.name for e in engines if e.stems]
    for text, _ in queries:
        row = counts[text]
        values = [row[n] for n in stemmers]
        mark = "" if len(set(values)) <= 1 else " ≠"
        lines.append(f"| `{text}`{mark} | " + " | ".join(str(row[n]) for n in names) + " |")
    lines.append("")
    lines.append("≠: the stemming engines disagree on the hit count (see docs/performance.md for why).")
    return "\n".join(lines)


def log(message):
    print(f"compare: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
