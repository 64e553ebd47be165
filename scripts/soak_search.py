#!/usr/bin/env python3
"""Searches during writes (not run in CI): 8 search loops while `newsdex index` writes.

Phase 1 runs 8 concurrent loops of `newsdex search` during a full build of a generated corpus
into an empty index; phase 2 adds files and runs them during a nightly run. Every search must
succeed (exit 0 or 1, valid JSON), and within a phase the total a loop sees never goes down:
a commit only ever adds articles (a file's old articles leave in the commit that adds its new
ones). The first full build searches a missing index: until the first commit, a search says
there is no index (counted apart, not as a failure).

Usage: scripts/soak_search.py [--files 3000] [--loops 8] [--bin target/release/newsdex]
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from soak_kill import article  # noqa: E402

QUERIES = ["", "trade", "minister talks", "copper", "flood rescue"]


def loop(bin_, index, query, stop, result):
    last = -1
    while not stop.is_set():
        done = subprocess.run(
            [bin_, "search", query, "--index", index, "--json", "-n", "5"],
            capture_output=True,
            text=True,
        )
        result["searches"] += 1
        if done.returncode == 2 and "no index in" in done.stderr:
            result["before_first_commit"] += 1
            continue
        if done.returncode not in (0, 1):
            result["failed"].append(done.stderr.strip())
            continue
        try:
            total = json.loads(done.stdout)["total"]
        except (ValueError, KeyError) as error:
            result["failed"].append(f"bad JSON: {error}")
            continue
        if total < last:
            result["went_down"].append((last, total))
        last = total
    result["last"] = last


def phase(name, bin_, command, index, loops):
    stop = threading.Event()
    results = [
        {"searches": 0, "before_first_commit": 0, "failed": [], "went_down": [], "last": -1}
        for _ in range(loops)
    ]
    threads = [
        threading.Thread(
            target=loop, args=(bin_, index, QUERIES[i % len(QUERIES)], stop, results[i])
        )
        for i in range(loops)
    ]
    for thread in threads:
        thread.start()
    writer = subprocess.run(command, capture_output=True, text=True)
    stop.set()
    for thread in threads:
        thread.join()
    searches = sum(r["searches"] for r in results)
    failed = sum(len(r["failed"]) for r in results)
    down = sum(len(r["went_down"]) for r in results)
    early = sum(r["before_first_commit"] for r in results)
    if writer.returncode not in (0, 1):
        for line in writer.stderr.strip().splitlines()[-5:]:
            print(f"  index: {line}")
    print(
        f"{name}: index exited {writer.returncode}; {searches} searches, {failed} failed, "
        f"{down} saw the count go down, {early} before the first commit"
    )
    for r in results:
        for message in r["failed"][:3]:
            print(f"  failed: {message}")
        for pair in r["went_down"][:3]:
            print(f"  went down: {pair[0]} -> {pair[1]}")
    return writer.returncode in (0, 1) and failed == 0 and down == 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--loops", type=int, default=8)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--bin", default="target/release/newsdex")
    args = parser.parse_args()
    bin_ = os.path.abspath(args.bin)
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="newsdex-search-soak-")
    corpus, index = os.path.join(work, "corpus"), os.path.join(work, "index")
    os.makedirs(corpus)
    for n in range(args.files):
        with open(os.path.join(corpus, f"{n:06}.txt"), "w") as out:
            out.write(article(rng, n))
    ok = phase(
        "full build",
        bin_,
        [bin_, "index", corpus, "--index", index, "-q", "--full", "--commit-every", "100"],
        index,
        args.loops,
    )
    for n in range(args.files, args.files + args.files // 5):
        with open(os.path.join(corpus, f"{n:06}.txt"), "w") as out:
            out.write(article(rng, n))
    for n in range(0, args.files, 7):
        with open(os.path.join(corpus, f"{n:06}.txt"), "a") as out:
            out.write("\nAn update to the story.\n")
    ok &= phase(
        "nightly run",
        bin_,
        [bin_, "index", corpus, "--index", index, "-q", "--commit-every", "50"],
        index,
        args.loops,
    )
    shutil.rmtree(work, ignore_errors=True)
    print("ok" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
