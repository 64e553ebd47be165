#!/usr/bin/env python3
"""Builds `src/enrich/data/topic_model.tsv`: the word counts per top-level topic of the
licence-clean labelled sets, from which newsdex's compiled-in naive Bayes is made.

Run by a developer after a change of the labelled sets (not in CI); it needs only Python 3.8+ and
its standard library, so the output depends on the inputs alone:

    python3 scripts/train_topics.py ../shared/labelled > src/enrich/data/topic_model.tsv

Inputs (each credited in `src/enrich/data/ATTRIBUTION.md`):
  sib200_eng/eng_14/{train,dev}.tsv   SIB-200 English sentences (labels Apache-2.0, text CC BY-SA 4.0);
                                      test.tsv is held out, and its top-1 printed on stderr.
  wikitimes_cep_2015_09/wikitimes_CEP.json   Wikipedia Current Events summaries (CC BY-SA)
  wikinewssum_sample/wikinews_articles.jsonl Wikinews articles and categories (CC BY 2.5 / PD)
  iptc_mediatopic/iptc_mapping.json   IPTC Media Topic names and definitions (CC BY 4.0)

Output: one line per word (lower-cased, split at anything not a letter or digit, as the Rust side
splits), `word<TAB>topic:count topic:count ...`, for words seen at least MIN_COUNT times; and one
`@documents` line with the documents per topic. newsdex reads the words as written (no stemming:
an article's words are looked up as they are, which keeps extraction fast).
"""

import collections
import json
import math
import re
import sys
from pathlib import Path

MIN_COUNT = 2
# An IPTC definition is a description, not news: its words count this much.
IPTC_WEIGHT = 1

SIB = {
    "politics": "politics", "business": "economy", "sports": "sport", "science": "science",
    "technology": "science", "health": "health", "entertainment": "arts", "crime": "crime",
    "disasters": "disaster", "education": "education", "religion": "religion",
    "nature": "environment", "travel": "lifestyle",
}
CEP = {
    "War_Conflict": "conflict", "Disaster_Accident": "disaster",
    "International_Relation": "politics", "Politics": "politics", "Law_Crime": "crime",
    "Business_Finance": "economy", "Entertainment_Culture": "arts", "Sports": "sport",
    "Technology_Internet": "science", "Health_Medical_Pharma": "health",
}
WIKINEWS = {
    "Politics and conflicts": "politics", "Science and technology": "science",
    "Crime and law": "crime", "Disasters and accidents": "disaster",
    "Culture and entertainment": "arts", "Economy and business": "economy", "Sports": "sport",
    "Environment": "environment", "Health": "health", "Education": "education",
    "Religion": "religion", "Weather": "weather",
}
# IPTC top-level qcodes -> newsdex top levels (as in src/enrich/data/topics.tsv).
IPTC = {
    "medtop:01000000": "arts", "medtop:02000000": "crime", "medtop:03000000": "disaster",
    "medtop:04000000": "economy", "medtop:05000000": "education",
    "medtop:06000000": "environment", "medtop:07000000": "health",
    "medtop:08000000": "human-interest", "medtop:09000000": "labour",
    "medtop:10000000": "lifestyle", "medtop:11000000": "politics", "medtop:12000000": "religion",
    "medtop:13000000": "science", "medtop:14000000": "society", "medtop:15000000": "sport",
    "medtop:16000000": "conflict", "medtop:17000000": "weather",
}

WORD = re.compile(r"[^\W_]+")


def words(text):
    return WORD.findall(text.lower())


def wikitext(text):
    """The prose of Wikinews markup: links and templates reduced to their shown text."""
    text = re.sub(r"\{\{w\|[^|}]*\|([^}]*)\}\}", r"\1", text)
    text = re.sub(r"\{\{w\|([^}]*)\}\}", r"\1", text)
    text = re.sub(r"\{\{[^}]*\}\}", " ", text)
    text = re.sub(r"\[\[(?:[^|\]]*\|)?([^\]]*)\]\]", r"\1", text)
    text = re.sub(r"\[https?://\S+ ([^\]]*)\]", r"\1", text)
    return re.sub(r"'{2,}|<[^>]*>", " ", text)


def sib(folder, split):
    rows = []
    with open(folder / "sib200_eng" / "eng_14" / f"{split}.tsv", encoding="utf-8") as f:
        next(f)
        for line in f:
            _, label, text = line.rstrip("\n").split("\t", 2)
            if label in SIB:
                rows.append((SIB[label], text))
    return rows


def examples(folder):
    rows = sib(folder, "train") + sib(folder, "dev")
    cep = json.loads((folder / "wikitimes_cep_2015_09" / "wikitimes_CEP.json").read_text("utf-8"))
    for event in cep:
        topic = CEP.get(event["category"]["name"])
        if topic:
            rows.append((topic, event["description"]))
    with open(folder / "wikinewssum_sample" / "wikinews_articles.jsonl", encoding="utf-8") as f:
        for line in f:
            article = json.loads(line)
            topics = {WIKINEWS[c] for c in article["categories"] if c in WIKINEWS}
            if len(topics) == 1:
                body = wikitext(" ".join(article["wikitext_paragraphs"]))
                rows.append((topics.pop(), article["title"] + " " + body))
    iptc = (folder / "iptc_mediatopic" / "iptc_mapping.json").read_text("utf-8")
    for code, entry in json.loads(iptc.replace("NaN", "null")).items():
        topic = IPTC.get(entry.get("Level1/NewsCode") or "")
        if topic and not entry.get("RetiredDate"):
            text = f"{entry.get('Name (en-GB)') or ''}. {entry.get('Definition (en-GB)') or ''}"
            rows.extend([(topic, text)] * IPTC_WEIGHT)
    return rows


def count(rows):
    counts = collections.defaultdict(collections.Counter)
    documents = collections.Counter()
    for topic, text in rows:
        documents[topic] += 1
        for word in words(text):
            counts[word][topic] += 1
    return counts, documents


def held_out_top1(counts, documents, rows):
    """Top-1 of an unstemmed, uniform-prior naive Bayes on held-out rows: a sanity check."""
    topics = sorted(documents)
    totals = collections.Counter()
    for per_topic in counts.values():
        totals.update(per_topic)
    vocabulary = len(counts)
    right = 0
    for gold, text in rows:
        best = max(
            topics,
            key=lambda t: sum(
                math.log((counts[w][t] + 0.5) / (totals[t] + 0.5 * vocabulary))
                for w in words(text)
                if w in counts
            ),
        )
        right += best == gold
    return right / max(1, len(rows))


def main():
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/labelled")
    rows = examples(folder)
    counts, documents = count(rows)
    kept = {w: c for w, c in counts.items() if sum(c.values()) >= MIN_COUNT}
    top1 = held_out_top1(kept, documents, sib(folder, "test"))
    print(f"{len(rows)} examples, {len(kept)} words; SIB-200 test top-1 {top1:.3f}", file=sys.stderr)
    out = sys.stdout
    out.write(
        "# Word counts per top-level topic, by scripts/train_topics.py from the labelled sets\n"
        "# credited in ATTRIBUTION.md (SIB-200 English, Wikipedia Current Events, Wikinews, IPTC\n"
        "# Media Topics). Derived from CC BY-SA text: this file is under CC BY-SA 4.0.\n"
        "# word<TAB>topic:count ...; @documents counts the examples per topic.\n"
    )
    out.write("@documents\t" + " ".join(f"{t}:{n}" for t, n in sorted(documents.items())) + "\n")
    for word in sorted(kept):
        cells = " ".join(f"{t}:{n}" for t, n in sorted(kept[word].items()))
        out.write(f"{word}\t{cells}\n")


if __name__ == "__main__":
    main()
