#!/usr/bin/env python3
"""Scores a `newsdex export` of the wikinews-gold articles against gold.jsonl (stdlib only).

usage: score.py GOLD.jsonl EXPORT.jsonl [--kit PATH/score.py] [score.py options: --misses N --json ...]

A thin wrapper around the shared eval kit's score.py.  EXPORT is `newsdex export` output: one JSON
object per line (a JSON array is accepted too) with "id", "people" and, when the engine extracts
them, "orgs" -- each a list of strings or of objects with a "name".  It is rewritten to the
kit's NDJSON, one line {"id", "people": [names], "orgs": [names]} per article, in a temporary
file, and the kit is run on GOLD and that file; every other argument is passed through to it.

- An article exported once for several syndicated copies (its "copies": [{"id", ...}]) also
  stands for each copy's id, unless that id has a line of its own.
- "orgs" (or "organizations" / "organisations") is written only for records that have one, so
  an export without organisations is reported by the kit as "orgs absent", not as zero.

The kit is found at, in this order: --kit PATH, $EVAL_SCORE, <repo>/../shared/eval/score.py
(<repo> being two folders above this script, i.e. ../shared/eval/score.py from the repo root).
"""

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_KIT = os.path.normpath(os.path.join(REPO, "..", "shared", "eval", "score.py"))
ORG_KEYS = ("orgs", "organizations", "organisations")
USAGE = "usage: score.py GOLD.jsonl EXPORT.jsonl [--kit PATH] [kit options, e.g. --misses 20 --json]"


def names(values):
    """Names from a list of strings or {"name": ...} objects, order kept."""
    out = []
    for v in values if isinstance(values, list) else []:
        name = v.get("name") if isinstance(v, dict) else v
        if isinstance(name, str) and name.strip():
            out.append(name.strip())
    return out


def read_export(path):
    """The export's article objects: JSON Lines, or one JSON array."""
    f = sys.stdin if path == "-" else open(path, encoding="utf-8")
    with f:
        text = f.read()
    if text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            sys.exit(f"score.py: {path}: not JSON: {e}")
        return [o for o in data if isinstance(o, dict)]
    objs = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            sys.exit(f"score.py: {path}:{n}: not JSON: {e}")
        if isinstance(obj, dict):
            objs.append(obj)
    return objs


def convert(objs):
    """Kit NDJSON records, one per id (first line wins), then copies' ids not seen yet."""
    out, seen, copies = [], set(), []
    for o in objs:
        oid = o.get("id")
        if not isinstance(oid, str) or not oid:
            continue
        rec = {"id": oid, "people": names(o.get("people"))}
        for k in ORG_KEYS:
            if k in o:
                rec["orgs"] = names(o[k])
                break
        if oid not in seen:
            seen.add(oid)
            out.append(rec)
        for c in o.get("copies") or []:
            cid = c.get("id") if isinstance(c, dict) else None
            if isinstance(cid, str) and cid:
                copies.append(dict(rec, id=cid))
    for rec in copies:
        if rec["id"] not in seen:
            seen.add(rec["id"])
            out.append(rec)
    return out


def main(argv):
    kit = os.environ.get("EVAL_SCORE") or DEFAULT_KIT
    pos, rest = [], []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help") and not pos:
            print(__doc__.strip())
            return 0
        if a == "--kit":
            if i + 1 >= len(argv):
                sys.exit("score.py: --kit needs a path\n" + USAGE)
            kit = argv[i + 1]
            i += 2
            continue
        if a in ("--misses", "--top") and i + 1 < len(argv):  # the kit's options taking a value
            rest += [a, argv[i + 1]]
            i += 2
            continue
        if a.startswith("--kit="):
            kit = a.split("=", 1)[1]
        elif len(pos) < 2 and (a == "-" or not a.startswith("-")):
            pos.append(a)
        else:
            rest.append(a)
        i += 1
    if len(pos) != 2:
        sys.exit(USAGE)
    if not os.path.isfile(kit):
        sys.exit(f"score.py: eval kit not found at {kit} (use --kit PATH or EVAL_SCORE)")
    gold, export = pos
    recs = convert(read_export(export))
    base = "stdin" if export == "-" else os.path.splitext(os.path.basename(export))[0]
    fd, tmp = tempfile.mkstemp(prefix=f"{base}.", suffix=".kit.ndjson")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for r in recs:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        return subprocess.call([sys.executable, kit, gold, tmp] + rest, env=env)
    finally:
        os.unlink(tmp)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
