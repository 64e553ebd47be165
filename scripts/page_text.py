#!/usr/bin/env python3
"""Scores the page text newsdex reads from real article pages against hand-checked gold.

Reads the pages where they lie (gzipped HTML in `us/` and `uk/`, gold per publisher in
`<Publisher>.json`, one entry per page in date order: the layout of the Fundus parser test data)
and copies nothing: the pages are research-use fixtures, measured here and never kept.

    python3 scripts/page_text.py [--pages DIR] [--bin target/release/newsdex] [--peer trafilatura]
                                 [--worst N] [--show PAGE] [--json]

Body: token-shingle matching (4-grams of `\\w+` tokens, counted with repeats), the measure of
the article-extraction benchmarks: per page, true/false positive and false negative shingles
normalised to sum to one; precision is the mean over pages that gave any text, recall the mean
over pages whose gold has text, F1 their harmonic mean. The gold body is the summary, section
headings and paragraphs, in order. Title: equal after folding case, quotes and spaces. Authors:
the byline's names (split on commas, `and`, `&`) equal the gold names as a set, folded the same
way. Date: the same UTC minute (a gold time without an offset is read as UTC).

`--peer trafilatura` scores trafilatura (imported from the running Python, e.g. a scratch venv)
on the same pages in the same run. `--show PAGE` prints one page's extracted body beside its gold
for reading a failure by hand.
"""

import argparse
import datetime as dt
import gzip
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PAGES = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "eval", "pages"))
DEFAULT_BIN = os.path.normpath(os.path.join(HERE, "..", "target", "release", "newsdex"))

TOKEN = re.compile(r"\w+", re.UNICODE)


# --------------------------------------------------------------------------- the set

def pages(root):
    """Yields (name, path, gold) for every page: the i-th page of a publisher (by file name,
    which carries the date) is the i-th entry of its gold file."""
    for region in ("us", "uk"):
        folder = os.path.join(root, region)
        if not os.path.isdir(folder):
            continue
        files = sorted(os.listdir(folder))
        for gold_file in (f for f in files if f.endswith(".json")):
            publisher = gold_file[: -len(".json")]
            with open(os.path.join(folder, gold_file), encoding="utf-8") as f:
                entries = list(json.load(f).values())
            htmls = [f for f in files if f.startswith(publisher + "_") and f.endswith(".html.gz")]
            if len(htmls) != len(entries):
                raise SystemExit(
                    f"{gold_file}: {len(entries)} gold entries for {len(htmls)} pages")
            for html, gold in zip(htmls, entries):
                yield html, os.path.join(folder, html), gold


def gold_body(gold):
    body = gold.get("body") or {}
    parts = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts.extend(section.get("headline") or [])
        parts.extend(section.get("paragraphs") or [])
    return "\n\n".join(parts)


# --------------------------------------------------------------------------- measures

def shingles(text, n=4):
    tokens = TOKEN.findall(text or "")
    grams = [tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1))]
    return Counter(g for g in grams if g)


def tp_fp_fn(gold, pred):
    g, p = shingles(gold), shingles(pred)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision(tp, fp, fn):
    return 1.0 if fp == fn == 0 else tp / (tp + fp)


def recall(tp, fp, fn):
    return 1.0 if fp == fn == 0 else tp / (tp + fn)


def summary(counts):
    ps = [precision(*c) for c in counts if c[0] + c[1] > 0]
    rs = [recall(*c) for c in counts if c[0] + c[2] > 0]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1


def page_f1(c):
    if c[0] + c[1] == 0:
        return 0.0
    p, r = precision(*c), recall(*c)
    return 2 * p * r / (p + r) if p + r else 0.0


def fold(text):
    text = unicodedata.normalize("NFKC", text or "")
    text = text.translate(str.maketrans("\u2018\u2019\u201c\u201d\u2013\u2014", "''\"\"--"))
    return " ".join(text.casefold().split())


def names(byline):
    if not byline:
        return set()
    text = re.sub(r"^\s*by\s+", "", byline, flags=re.I)
    return {fold(n) for n in re.split(r",|\band\b|&", text) if fold(n)}


def minute(value):
    if not value:
        return None
    try:
        t = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M")


# --------------------------------------------------------------------------- extractors

def run_newsdex(binary, paths):
    """One `extract --json` over all the pages: {file name: record}, and the seconds taken."""
    start = time.perf_counter()
    done = subprocess.run(
        [binary, "extract", "--per-article", "--json", *paths],
        capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{binary} failed ({done.returncode}): {done.stderr.strip()}")
    out = {}
    for line in done.stdout.splitlines():
        record = json.loads(line)
        name = os.path.basename(record["path"])
        out.setdefault(name, record)
    return out, seconds


def run_trafilatura(paths):
    import trafilatura  # noqa: PLC0415 (only with --peer)

    out = {}
    start = time.perf_counter()
    for path in paths:
        with gzip.open(path, "rb") as f:
            html = f.read()
        doc = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
        if doc is not None and not isinstance(doc, dict):
            doc = doc.as_dict()
        doc = doc or {}
        out[os.path.basename(path)] = {
            "title": doc.get("title") or "",
            "byline": doc.get("author"),
            "published": doc.get("date"),
            "body": doc.get("text") or "",
        }
    return out, time.perf_counter() - start


def score(name_of, records, items):
    counts, rows = [], []
    title = authors = date = 0
    empty = 0
    for name, _, gold in items:
        record = records.get(name) or {}
        body = record.get("body") or ""
        c = tp_fp_fn(gold_body(gold), body)
        counts.append(c)
        empty += not body.strip()
        t = fold(record.get("title")) == fold(gold.get("title"))
        a = names(record.get("byline")) == {fold(n) for n in gold.get("authors") or []}
        gold_minute = minute(gold.get("publishing_date"))
        got = minute(record.get("published"))
        d = got == gold_minute if len(str(record.get("published") or "")) > 10 else (
            got is not None and gold_minute is not None and got[:10] == gold_minute[:10])
        title += t
        authors += a
        date += d
        rows.append((name, page_f1(c), precision(*c) if c[0] + c[1] else 0.0, recall(*c), t, a, d))
    p, r, f1 = summary(counts)
    n = len(items)
    return {
        "extractor": name_of,
        "pages": n,
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f1, 3),
        "empty_bodies": empty,
        "title": round(title / n, 3),
        "authors": round(authors / n, 3),
        "date": round(date / n, 3),
        "rows": rows,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", default=DEFAULT_PAGES)
    parser.add_argument("--bin", default=DEFAULT_BIN)
    parser.add_argument("--peer", action="append", default=[], choices=["trafilatura"])
    parser.add_argument("--worst", type=int, default=10, help="list the N lowest-F1 pages")
    parser.add_argument("--show", help="print one page's body beside its gold")
    parser.add_argument("--json", action="store_true", help="print every number as JSON")
    args = parser.parse_args()

    items = list(pages(args.pages))
    if not items:
        raise SystemExit(f"{args.pages}: no pages")
    paths = [path for _, path, _ in items]
    runs = [("newsdex", *run_newsdex(args.bin, paths))]
    if "trafilatura" in args.peer:
        runs.append(("trafilatura", *run_trafilatura(paths)))

    if args.show:
        for label, records, _ in runs:
            record = records.get(args.show) or {}
            print(f"== {label}: {record.get('title')!r} / {record.get('byline')!r} / "
                  f"{record.get('published')!r}\n{record.get('body') or ''}\n")
        gold = next(g for name, _, g in items if name == args.show)
        print(f"== gold: {gold.get('title')!r} / {gold.get('authors')!r} / "
              f"{gold.get('publishing_date')!r}\n{gold_body(gold)}")
        return

    results = []
    for label, records, seconds in runs:
        result = score(label, records, items)
        result["seconds"] = round(seconds, 3)
        results.append(result)
    if args.json:
        print(json.dumps(results, indent=1))
        return
    for result in results:
        print(f"\n{result['extractor']}: worst pages (F1 P R title authors date)")
        for row in sorted(result["rows"], key=lambda r: r[1])[: args.worst]:
            name, f1, p, r, t, a, d = row
            print(f"  {name:<40} {f1:.3f} {p:.3f} {r:.3f} {'+' if t else '-'} "
                  f"{'+' if a else '-'} {'+' if d else '-'}")
    print(f"\n{'extractor':<12} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'empty':>5} "
          f"{'title':>6} {'authors':>7} {'date':>6} {'seconds':>8}")
    for r in results:
        print(f"{r['extractor']:<12} {r['pages']:>5} {r['precision']:>6.3f} {r['recall']:>6.3f} "
              f"{r['f1']:>6.3f} {r['empty_bodies']:>5} {r['title']:>6.3f} {r['authors']:>7.3f} "
              f"{r['date']:>6.3f} {r['seconds']:>8.3f}")


if __name__ == "__main__":
    sys.exit(main())
