#!/usr/bin/env python3
"""newsdex on an OpenSearch node beside the local index, on one generated corpus (not in CI).

    benches/compare/opensearch.py                    # 50,000 generated articles
    benches/compare/opensearch.py --articles 10000 --rounds 2

Builds newsdex in release mode, generates the corpus (gen_corpus, seed 42) unless it exists,
starts a one-node OpenSearch 2.19 with tests/opensearch/cluster.sh (stopped at the end), then
measures, printing markdown tables:

- ingest: `newsdex index CORPUS --full` into a local folder and `newsdex index CORPUS` into a
  fresh cluster index (1 shard, 0 replicas), wall seconds and MB of corpus per second;
- CLI search latency: the queries of queries.txt (in newsdex syntax), `newsdex search Q -n 10`
  against each index, in random order, rounds times after a warm-up, p50/p95 per process;
- concurrency: 16 clients at once, each running every query against the cluster with the CLI,
  queries per second and p50/p95 latency.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from compare import newsdex_syntax, parse_query  # noqa: E402


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd, env=None):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def corpus_bytes(corpus):
    return sum(
        os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(corpus) for f in files
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--work", default="/tmp/newsdex-os-bench")
    ap.add_argument("--port", type=int, default=19600)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--clients", type=int, default=16)
    args = ap.parse_args()

    os.makedirs(args.work, exist_ok=True)
    run(["cargo", "build", "--release", "--bin", "newsdex", "--example", "gen_corpus"], cwd=REPO)
    newsdex = os.path.join(REPO, "target", "release", "newsdex")
    corpus = os.path.join(args.work, f"gen{args.articles}")
    if not os.path.isdir(corpus):
        gen = os.path.join(REPO, "target", "release", "examples", "gen_corpus")
        run([gen, "--articles", str(args.articles), "--seed", str(args.seed), "--out", corpus])
    megabytes = corpus_bytes(corpus) / 1e6

    cluster = os.path.join(REPO, "tests", "opensearch", "cluster.sh")
    node_dir = os.path.join(args.work, "node")
    env = dict(os.environ, NEWSDEX_OPENSEARCH_OWNER=str(os.getpid()))
    run([cluster, "start-single", str(args.port), node_dir], env=env)
    try:
        url = f"http://127.0.0.1:{args.port}/bench"
        local = os.path.join(args.work, "index")
        ingest_env = dict(os.environ, NEWSDEX_OPENSEARCH_REPLICAS="0")
        local_s = timed([newsdex, "index", corpus, "--full", "-q", "--index", local])
        cluster_s = timed(
            [newsdex, "index", corpus, "--full", "-q", "--index", url], env=ingest_env
        )
        print(f"\n{args.articles} articles, {megabytes:.1f} MB of JSONL\n")
        print("| ingest | seconds | MB/s |\n|---|---:|---:|")
        print(f"| local folder | {local_s:.1f} | {megabytes / local_s:.2f} |")
        print(f"| OpenSearch, 1 node, 1 shard | {cluster_s:.1f} | {megabytes / cluster_s:.2f} |")

        with open(os.path.join(HERE, "queries.txt")) as f:
            lines = [line.strip() for line in f if line.strip() and not line.startswith("#")]
        queries = [newsdex_syntax(parse_query(line)) for line in lines]
        targets = {"local": local, "cluster": url}
        times = {name: [] for name in targets}
        for warm in [True] + [False] * args.rounds:
            order = [(name, q) for name in targets for q in queries]
            random.shuffle(order)
            for name, query in order:
                took = timed([newsdex, "search", query, "-n", "10", "--index", targets[name]])
                if not warm:
                    times[name].append(took)
        print(f"\n| CLI search, {len(queries)} queries × {args.rounds} | p50 ms | p95 ms |")
        print("|---|---:|---:|")
        for name, values in times.items():
            p50, p95 = percentile(values, 50) * 1e3, percentile(values, 95) * 1e3
            print(f"| {name} | {p50:.0f} | {p95:.0f} |")

        def client(seed):
            order = list(queries)
            random.Random(seed).shuffle(order)
            return [timed([newsdex, "search", q, "-n", "10", "--index", url]) for q in order]

        start = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            results = [t for ts in pool.map(client, range(args.clients)) for t in ts]
        wall = time.perf_counter() - start
        print(f"\n| {args.clients} concurrent CLI clients on the cluster | queries/s | p50 ms | p95 ms |")
        print("|---|---:|---:|---:|")
        print(
            f"| {len(results)} searches in {wall:.1f} s | {len(results) / wall:.1f} "
            f"| {percentile(results, 50) * 1e3:.0f} | {percentile(results, 95) * 1e3:.0f} |"
        )
    finally:
        subprocess.run([cluster, "stop", node_dir])


if __name__ == "__main__":
    main()
