#!/usr/bin/env python3
"""newsdex's stories beside a TF-IDF centroid baseline, both scored by B-cubed in one run.

    newsdex --index idx index FOLDER_HOLDING_THE_SET && newsdex --index idx export > export.ndjson
    scripts/stories_baseline.py GOLD.jsonl export.ndjson [--threshold T ...]

GOLD is an evaluation set with `gold.story` per article (`stories-dev.jsonl`). The export gives
both the articles' text (title and body, as `export` prints them) and newsdex's `story` field.

The baseline reads only the text: words of three letters or more, numbers and a short list of
function words dropped, the headline counted twice; each article a TF-IDF vector, `(1 + ln tf)
* ln((N + 1) / (df + 0.5))`, its 40 strongest terms, unit length. Articles are taken in id order,
and each joins the story whose centroid (the normalised sum of its articles) is most similar by
cosine when that reaches the threshold, else starts one. Each threshold given is scored (by
default a sweep from 0.10 to 0.40); the best of the sweep is what the baseline reaches with its
threshold set on that same set, an upper bound for it.

B-cubed: for each article, precision is the share of its predicted story that shares its gold
story, recall the share of its gold story in its predicted story; both averaged over the gold
articles (an article without a story is a story of its own), F1 their harmonic mean.
"""

import argparse
import collections
import json
import math
import re

FUNCTION_WORDS = set(
    "the a an of to in and or for on at by with from as is was were be been are it its this "
    "that he she they his her their said says say will would has have had not but who which "
    "after before about over into than more also one two new up out".split()
)
TERMS = 40


def words(text):
    return [
        w
        for w in re.findall(r"[a-z0-9]+", text.lower())
        if len(w) >= 3 and not w.isdigit() and w not in FUNCTION_WORDS
    ]


def b_cubed(gold, predicted):
    by_p, by_g = collections.defaultdict(set), collections.defaultdict(set)
    story = {d: predicted.get(d) or f"alone:{d}" for d in gold}
    for d in gold:
        by_p[story[d]].add(d)
        by_g[gold[d]].add(d)
    n = len(gold)
    p = sum(len(by_p[story[d]] & by_g[gold[d]]) / len(by_p[story[d]]) for d in gold) / n
    r = sum(len(by_p[story[d]] & by_g[gold[d]]) / len(by_g[gold[d]]) for d in gold) / n
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, len(by_p)


def vectors(articles):
    counts = [collections.Counter(words(a["title"]) * 2 + words(a.get("body") or "")) for a in articles]
    df = collections.Counter()
    for tf in counts:
        df.update(tf.keys())
    n = len(articles)
    out = []
    for tf in counts:
        weighted = {w: (1 + math.log(c)) * math.log((n + 1) / (df[w] + 0.5)) for w, c in tf.items()}
        top = sorted(weighted.items(), key=lambda x: (-x[1], x[0]))[:TERMS]
        norm = math.sqrt(sum(x * x for _, x in top)) or 1.0
        out.append({w: x / norm for w, x in top})
    return out


def cosine(a, b):
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(k, 0.0) for k, x in a.items())


def centroid_clusters(vecs, threshold):
    sums, units, assign = [], [], []
    for v in vecs:
        best, score = None, threshold
        for s, unit in enumerate(units):
            sim = cosine(v, unit)
            if sim >= score:
                best, score = s, sim
        if best is None:
            sums.append({})
            units.append({})
            best = len(sums) - 1
        total = sums[best]
        for k, x in v.items():
            total[k] = total.get(k, 0.0) + x
        norm = math.sqrt(sum(x * x for x in total.values())) or 1.0
        units[best] = {k: x / norm for k, x in total.items()}
        assign.append(best)
    return assign


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold")
    parser.add_argument("export")
    parser.add_argument("--threshold", type=float, action="append")
    args = parser.parse_args()
    gold = {}
    for line in open(args.gold, encoding="utf-8"):
        if line.strip():
            record = json.loads(line)
            gold[record["id"]] = str(record["gold"]["story"])
    articles = []
    for line in open(args.export, encoding="utf-8"):
        if line.strip():
            record = json.loads(line)
            if record.get("id") in gold:
                articles.append(record)
    articles.sort(key=lambda a: a["id"])
    newsdex = {a["id"]: (a.get("story") or {}).get("id") for a in articles}
    p, r, f, k = b_cubed(gold, newsdex)
    print(f"{len(gold)} articles, {len(set(gold.values()))} gold stories")
    print(f"newsdex             P={p:.4f} R={r:.4f} F1={f:.4f} stories={k}")
    vecs = vectors(articles)
    thresholds = args.threshold or [round(0.10 + 0.05 * i, 2) for i in range(7)]
    best = None
    for t in thresholds:
        assign = centroid_clusters(vecs, t)
        predicted = {a["id"]: str(s) for a, s in zip(articles, assign)}
        p, r, f, k = b_cubed(gold, predicted)
        print(f"baseline t={t:.2f}     P={p:.4f} R={r:.4f} F1={f:.4f} stories={k}")
        if best is None or f > best[0]:
            best = (f, t)
    print(f"baseline best: F1={best[0]:.4f} at t={best[1]:.2f}")


if __name__ == "__main__":
    main()
