#!/usr/bin/env python3
"""Runs a command and samples its memory from /proc every quarter second (Linux).

Prints one JSON line: wall seconds, exit code, and the peak of each of VmRSS (all resident
pages), RssAnon (the process's own memory) and RssFile (file pages it has mapped, such as index
segments read through mmap, which the kernel can drop), in MB.

    python3 benches/rss.py target/release/newsdex --index /tmp/idx index /tmp/corpus -q
"""

import json
import subprocess
import sys
import time

KEYS = ("VmRSS", "RssAnon", "RssFile")


def sample(pid):
    values = {}
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key in KEYS:
                    values[key] = int(value.split()[0]) // 1024
    except FileNotFoundError:
        pass
    return values


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: rss.py COMMAND [ARG...]")
    started = time.time()
    child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
    peak = dict.fromkeys(KEYS, 0)
    while child.poll() is None:
        for key, value in sample(child.pid).items():
            peak[key] = max(peak[key], value)
        time.sleep(0.25)
    print(json.dumps({
        "seconds": round(time.time() - started, 1),
        "exit": child.returncode,
        "peak_mb": peak,
    }))


if __name__ == "__main__":
    main()
