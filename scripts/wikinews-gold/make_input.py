#!/usr/bin/env python3
"""Writes the input of the wikinews-gold evaluation set (stdlib only).

usage: make_input.py [OUT.jsonl]        (default /tmp/wn-gold50/input.jsonl)

Reads ../shared/corpora/wikinews/ (beside the repository; or $WIKINEWS_DIR) wikinews_2019.csv and wikinews_2020.csv (header
url,date,title,text; CC BY 2.5 Wikinews articles; directory overridable with the env var
WIKINEWS_DIR), takes every sixth row of each file in file order (rows[::6]: 29 from 2019,
21 from 2020) and writes one JSON record per article:
    {"id": "wn2019-N", "title": ..., "body": <the CSV text field as is>, "date": ..., "url": ...}
where N is the 0-based index of the row in its file (0, 6, 12, ...).  gold.jsonl uses the same ids.
"""

import csv
import json
import os
import sys

SRC = os.environ.get(
    "WIKINEWS_DIR",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "corpora", "wikinews"),
)
YEARS = (2019, 2020)
STEP = 6


def records(src=SRC):
    csv.field_size_limit(10**9)
    for year in YEARS:
        path = os.path.join(src, f"wikinews_{year}.csv")
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        for i in range(0, len(rows), STEP):
            r = rows[i]
            yield {"id": f"wn{year}-{i}", "title": r["title"], "body": r["text"],
                   "date": r["date"], "url": r["url"]}


def main(argv):
    out = argv[1] if len(argv) > 1 else "/tmp/wn-gold50/input.jsonl"
    d = os.path.dirname(out)
    if d:
        os.makedirs(d, exist_ok=True)
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for rec in records():
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    print(f"wrote {n} articles to {out}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
