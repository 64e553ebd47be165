#!/usr/bin/env python3
"""How well an export resolves people across an archive, against gold people per document.

    newsdex index corpus --index idx && newsdex export --index idx > export.ndjson
    scripts/name_resolution.py GOLD.jsonl export.ndjson [--kit DIR] [--show N]

GOLD is an evaluation set with `gold.people` per document (lists of names, or lists of name
clusters). Each gold person whose fullest name has two or more words is one person across the
archive (its normalised tokens are its key); bare surnames alone are skipped, since they name
no one person. In each document the predicted people are paired with the gold people as the
scorer pairs them (strongest name match first, each used once). Then:

- split: of the gold people matched in two or more documents, the share seen under exactly one
  predicted value (`Reagan` in one article and `Ronald Reagan` in another is a split);
- merged: of the predicted values matched to a gold person, the share matched to two or more
  gold people with different full names (`Waugh` standing for Mark and Steve Waugh).

Needs the evaluation kit (`kit.py`, default `../shared/eval` from the project root); it only
measures, and nothing it reads is kept.
"""

import argparse
import collections
import json
import os
import sys

sys.dont_write_bytecode = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold")
    ap.add_argument("pred")
    ap.add_argument("--kit", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "eval"))
    ap.add_argument("--show", type=int, default=10, help="list this many splits and merges")
    args = ap.parse_args()
    sys.path.insert(0, args.kit)
    import kit  # noqa: E402

    preds = {}
    with open(args.pred, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                obj = json.loads(line)
                preds[obj.get("id")] = obj
    values_of = collections.defaultdict(collections.Counter)  # person key -> predicted values
    people_of = collections.defaultdict(set)  # predicted value -> person keys
    for record in kit.read_jsonl(args.gold):
        gold = record.get("gold", {}).get("people") or []
        names = [n for g in gold for n in (g if isinstance(g, list) else [g])]
        clusters = kit.cluster_names(names)
        pred = preds.get(record["id"], {})
        predicted = [p if isinstance(p, str) else p.get("name", "") for p in pred.get("people") or []]
        toks = [kit.name_tokens(p) for p in predicted]
        pairs = sorted(
            (-m, pi, ci)
            for pi, t in enumerate(toks)
            for ci, c in enumerate(clusters)
            if (m := kit.name_match(c["rep"], t))
        )
        used_p, used_c = set(), set()
        for _, pi, ci in pairs:
            if pi in used_p or ci in used_c:
                continue
            used_p.add(pi)
            used_c.add(ci)
            rep = clusters[ci]["rep"]
            if len(rep) < 2:
                continue
            key = " ".join(rep)
            values_of[key][predicted[pi]] += 1
            people_of[predicted[pi]].add(key)
    seen = {k: v for k, v in values_of.items() if sum(v.values()) >= 2}
    one = [k for k, v in seen.items() if len(v) == 1]
    splits = sorted((k for k, v in seen.items() if len(v) > 1), key=lambda k: -sum(seen[k].values()))

    def different(keys):
        firsts = {k.split()[0] for k in keys}
        return len(firsts) > 1 and not any(len(f) == 1 for f in firsts)

    merged = sorted((v for v, ks in people_of.items() if different(ks)), key=lambda v: -len(people_of[v]))
    print(f"gold people in 2+ documents: {len(seen)}; under exactly one value: {len(one)} "
          f"({len(one) / max(len(seen), 1):.3f})")
    print(f"predicted values matched: {len(people_of)}; standing for 2+ people: {len(merged)} "
          f"({len(merged) / max(len(people_of), 1):.3f})")
    for k in splits[: args.show]:
        print(f"  split  {k}: {dict(seen[k])}")
    for v in merged[: args.show]:
        print(f"  merged {v}: {sorted(people_of[v])}")


if __name__ == "__main__":
    main()
