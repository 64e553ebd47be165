#!/usr/bin/env python3
"""Build the default corpus shipped in ``corpus/``.

Usage::

    python3 scripts/build_corpus.py [CORPORA_DIR]

``CORPORA_DIR`` (default ``../shared/corpora``) must contain:

* ``seed/us-india-critical-minerals.txt`` -- a scraped news page, copied byte for byte;
* ``wikinews/wikinews_2019.csv`` and ``wikinews/wikinews_2020.csv`` -- Wikinews articles
  (columns ``url,date,title,text``; CC BY 2.5), which are spread over every format the
  reader supports (txt, md, html, json, jsonl, csv, jsonl.gz).

Every Wikinews article lands in exactly one file. Article text is not edited: the structured
formats (json, jsonl, csv, jsonl.gz) carry the scraped text with only its leading and trailing
whitespace removed; the document formats (txt, md, html) lay the same text out as paragraphs,
which only changes whitespace (blank-line runs become one blank line, whitespace at line ends
is trimmed, and a dateline glued to the first paragraph gets its own paragraph).

Python 3 standard library only. The output is deterministic: running the script twice gives
byte-identical files.
"""

import csv
import datetime
import gzip
import html
import io
import json
import re
import shutil
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "corpus"
SEED_NAME = "us-india-critical-minerals.txt"

LICENCE_URL = "https://creativecommons.org/licenses/by/2.5/"
LICENCE_NAME = "Creative Commons Attribution 2.5 Generic (CC BY 2.5)"

# How the 2019 articles are shared out (the remainder is split between md and html).
TARGETS_2019 = {"txt": 50, "json": 50, "gz": 20}
# How many 2020 articles of January to September go to md and html (the rest go to jsonl).
# October to December 2020 go to csv/2020-q4.csv.
TARGETS_2020 = {"md": 24, "html": 25}

FILE_OF = {
    "json": "wikinews/json/2019.json",
    "jsonl": "wikinews/jsonl/2020.jsonl",
    "csv": "wikinews/csv/2020-q4.csv",
    "gz": "wikinews/jsonl/2019-archive.jsonl.gz",
}

DATELINE = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), "
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December) "
    r"\d{1,2}, \d{4}"
)
REVIEW_NOTICE = "This article requires pre-publication review"
BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
TRANSLIT = str.maketrans(
    {"æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ß": "ss", "ł": "l",
     "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "–": "-", "—": "-"}
)


class Article:
    def __init__(self, source, row_no, url, date, title, text):
        self.source = source  # e.g. "wikinews_2019.csv"
        self.row_no = row_no  # 1-based data row in the source CSV
        self.url = url
        self.date = date  # datetime.date
        self.title = title
        self.text = text  # scraped text, outer whitespace stripped
        self.fmt = None
        self.path = None  # output path relative to corpus/
        self.record = None  # record id or number inside a multi-article file
        self.record_no = 0  # 1-based position inside a multi-article file

    def paragraphs(self):
        """The text as paragraphs: whitespace-only changes, words untouched."""
        paras = []
        for block in BLANK_LINE.split(self.text):
            lines = [line.rstrip() for line in block.strip().split("\n")]
            if not paras and len(lines) > 1 and DATELINE.fullmatch(lines[0]):
                paras.append(lines.pop(0))
            block = "\n".join(lines).strip()
            if block:
                paras.append(block)
        return paras

    def iso_date(self):
        return self.date.isoformat()

    def timestamp(self):
        return self.date.isoformat() + "T00:00:00Z"


def slugify(title, date, taken):
    ascii_title = unicodedata.normalize("NFKD", title.translate(TRANSLIT))
    ascii_title = ascii_title.encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", ascii_title)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > 60:
            break
        slug = candidate
    slug = f"{date.isoformat()}-{slug or 'article'}"
    base, n = slug, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    taken.add(slug)
    return slug


def read_wikinews(path, year, skipped):
    """Reads one scraped CSV; broken, empty and test rows go to ``skipped``."""
    csv.field_size_limit(sys.maxsize)
    articles = []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        if header != ["url", "date", "title", "text"]:
            raise SystemExit(f"{path}: unexpected header {header}")
        for row_no, row in enumerate(reader, start=1):
            where = f"{path.name} row {row_no}"
            if len(row) != 4:
                skipped.append((where, f"{len(row)} fields instead of 4"))
                continue
            url, date, title, text = (field.strip() for field in row)
            if not (url and date and title and text):
                skipped.append((where, "empty field"))
                continue
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError:
                skipped.append((where, f"bad date {date!r}"))
                continue
            if title.upper().startswith("TEST PAGE"):
                skipped.append((where, f"wiki test page, not an article: {title!r}"))
                continue
            if day.year != year:
                skipped.append((where, f"dated {date}, outside {year}"))
                continue
            article = Article(path.name, row_no, url, day, title, text)
            body = [p for p in article.paragraphs() if not DATELINE.fullmatch(p)]
            if not body:
                skipped.append((where, f"no body text: {title!r}"))
                continue
            articles.append(article)
    return articles


def spread(articles, weights):
    """Deals articles to formats in proportion to ``weights`` (smooth weighted round robin),
    so every format gets articles from across the whole period."""
    total = sum(weights.values())
    assert total == len(articles), (weights, len(articles))
    current = {fmt: 0 for fmt in weights}
    for article in articles:
        for fmt, weight in weights.items():
            current[fmt] += weight
        fmt = max(weights, key=lambda k: current[k])
        current[fmt] -= total
        article.fmt = fmt


def assign(a2019, a2020):
    rest = len(a2019) - sum(TARGETS_2019.values())
    weights = dict(TARGETS_2019, md=(rest + 1) // 2, html=rest // 2)
    spread(a2019, weights)
    q4 = [a for a in a2020 if a.date.month >= 10]
    early = [a for a in a2020 if a.date.month < 10]
    for a in q4:
        a.fmt = "csv"
    rest = len(early) - sum(TARGETS_2020.values())
    spread(early, dict(TARGETS_2020, jsonl=rest))


def write_text(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def yaml_str(value):
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(value, ensure_ascii=False)


def render_txt(a):
    return a.title + "\n\n" + "\n\n".join(a.paragraphs()) + "\n"


def render_md(a):
    front = [
        "---",
        f"title: {yaml_str(a.title)}",
        f"date: {a.iso_date()}",
        f"url: {yaml_str(a.url)}",
        "source: Wikinews",
        "lang: en",
        "---",
        "",
        f"# {a.title}",
        "",
        "",
    ]
    return "\n".join(front) + "\n\n".join(a.paragraphs()) + "\n"


def render_html(a):
    e = lambda s: html.escape(s, quote=True)  # noqa: E731
    paras = "\n".join(f"      <p>{e(p)}</p>" for p in a.paragraphs())
    return f"""<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>{e(a.title)} - Wikinews</title>
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta property="og:type" content="article">
    <meta property="og:title" content="{e(a.title)}">
    <meta property="og:site_name" content="Wikinews">
    <meta property="og:url" content="{e(a.url)}">
    <meta property="article:published_time" content="{a.timestamp()}">
    <link rel="canonical" href="{e(a.url)}">
    <script>
      window.dataLayer = window.dataLayer || [];
      function track(event) {{ window.dataLayer.push({{ event: event, page: "article" }}); }}
      track("pageview");
    </script>
  </head>
  <body>
    <nav class="site-nav" aria-label="Site">
      <a href="https://en.wikinews.org/wiki/Main_Page">Main page</a>
      <a href="https://en.wikinews.org/wiki/Wikinews:Newsroom">Newsroom</a>
      <a href="https://en.wikinews.org/wiki/Category:{a.date.year}">{a.date.year} archive</a>
      <a href="https://en.wikinews.org/wiki/Special:Random">Random article</a>
    </nav>
    <main>
      <article>
      <h1>{e(a.title)}</h1>
{paras}
      </article>
    </main>
    <footer>
      <p>Text from <a href="{e(a.url)}">Wikinews</a> by Wikinews contributors, available under the
      <a href="{LICENCE_URL}" rel="license">{LICENCE_NAME}</a> licence.
      Converted from the scraped original; text otherwise unchanged.</p>
    </footer>
  </body>
</html>
"""


def write_json(path, articles):
    records = []
    for n, a in enumerate(articles, start=1):
        a.record, a.record_no = f"record {n}", n
        records.append(
            {
                "headline": a.title,
                "text": a.text,
                "date_publish": f"{a.iso_date()} 00:00:00",
                "link": a.url,
                "source_domain": "en.wikinews.org",
            }
        )
    write_text(path, json.dumps(records, ensure_ascii=False, indent=2) + "\n")


def jsonl_lines(articles, year):
    lines = []
    for n, a in enumerate(articles, start=1):
        a.record, a.record_no = f"wikinews-{year}-{n:04d}", n
        record = {
            "id": a.record,
            "title": a.title,
            "body": a.text,
            "published": a.timestamp(),
            "url": a.url,
            "source": "Wikinews",
        }
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    return "".join(lines)


def write_csv(path, articles):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["url", "date", "title", "text"])
    for n, a in enumerate(articles, start=1):
        a.record, a.record_no = f"record {n}", n
        writer.writerow([a.url, a.iso_date(), a.title, a.text])
    write_text(path, buf.getvalue())


def write_gz(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as raw:
        # filename="" and mtime=0 keep the gzip header free of run-dependent data.
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
            gz.write(text.encode("utf-8"))


def md_cell(value):
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def write_attribution(articles, source_rows, skipped):
    lines = [
        "# Attribution",
        "",
        "This folder is the default corpus of newsdex: real news articles spread over every",
        "file format the reader supports, so that each format is exercised by real text.",
        "It is generated by `scripts/build_corpus.py`; do not edit the article files by hand.",
        "",
        "## Wikinews articles",
        "",
        f"{len(articles)} articles published on [Wikinews](https://en.wikinews.org/) in 2019 and",
        "2020, by **Wikinews contributors**, licensed under the",
        f"[{LICENCE_NAME}]({LICENCE_URL}) licence. Each article's original URL is",
        "listed below.",
        "",
        "They come from a collection of Wikinews articles scraped into CSV files",
        "(`wikinews_2019.csv`, `wikinews_2020.csv`; columns `url,date,title,text`) by a small",
        "R script that reads the pages listed in `https://en.wikinews.org/wiki/Category:2019`",
        "and `Category:2020`; the collection is distributed under CC BY 2.5 as",
        "\"Wikinews sample articles\", <https://github.com/vanatteveldt/wikinews>.",
        "",
        "Changes made: converted from CSV into txt/md/html/json/jsonl/csv/gz; text otherwise",
        "unchanged. In detail:",
        "",
        "- each article was written to exactly one file, in one of the formats below, with its",
        "  title, date and URL as that format's metadata (front matter, `<meta>` tags, fields);",
        "- leading and trailing whitespace of the scraped text was removed;",
        "- in the txt, md and html files the text is laid out as paragraphs, which changes",
        "  whitespace only (runs of blank lines become one blank line or one `<p>` element,",
        "  whitespace at line ends is dropped, and a dateline directly followed by text on the",
        "  next line becomes its own paragraph); the html files add page furniture (navigation,",
        "  a script, a licence footer) around the article;",
        "- the json, jsonl, csv and jsonl.gz records carry the scraped text as it was;",
        "- the URLs are kept exactly as scraped, including the doubled slash in",
        "  `https://en.wikinews.org//wiki/...`;",
        f"- {len(skipped)} of the {source_rows} scraped rows were left out (data rows, counting",
        "  from 1 after the header):",
    ]
    for where, why in skipped:
        lines.append(f"  - {where}: {why}")
    drafts = sum(1 for a in articles if a.text.startswith(REVIEW_NOTICE))
    lines += [
        "",
        "Some articles keep scraped page text that is not part of the story, exactly as it",
        "was scraped, such as image credits (\"Image: Nicholas Moreau.\").",
    ]
    if drafts:
        lines += [
            f"{drafts} of them were scraped as drafts awaiting review and start with the notice",
            f"\"{REVIEW_NOTICE} ...\".",
        ]
    lines += [
        "",
        "| Format | File(s) | Articles |",
        "|---|---|---:|",
    ]
    order = ["txt", "md", "html", "json", "jsonl", "csv", "gz"]
    where_of = {
        "txt": "wikinews/txt/*.txt",
        "md": "wikinews/md/*.md",
        "html": "wikinews/html/*.html",
        **FILE_OF,
    }
    for fmt in order:
        count = sum(1 for a in articles if a.fmt == fmt)
        lines.append(f"| {fmt} | `{where_of[fmt]}` | {count} |")
    lines += [
        "",
        "Record ids: in `.jsonl` and `.jsonl.gz` files the record's `id` field; in `.json`",
        "and `.csv` files \"record n\" is the n-th article of the file (array element or data",
        "row, counting from 1).",
        "",
        "| File | Record | Title | Original URL |",
        "|---|---|---|---|",
    ]
    for a in sorted(articles, key=lambda a: (a.path, a.record_no)):
        lines.append(
            f"| `{a.path}` | {a.record or ''} | {md_cell(a.title)} | <{md_cell(a.url)}> |"
        )
    lines += [
        "",
        "## Seed article",
        "",
        f"`seed/{SEED_NAME}` is the sample scraped article kept verbatim as a",
        "typical input: the text of a news page as a scraper returns it, page furniture",
        "(section label, author box, image credit) included. Its source is an unknown",
        "scraped news page; it is attributed as \"sample article supplied with the project's",
        "design\". It is copied byte for byte and not otherwise changed.",
        "",
    ]
    write_text(OUT / "ATTRIBUTION.md", "\n".join(lines))


def main(argv):
    if len(argv) > 2:
        raise SystemExit(__doc__)
    corpora = Path(argv[1] if len(argv) > 1 else "../shared/corpora")
    wikinews = corpora / "wikinews"
    seed = corpora / "seed" / SEED_NAME

    skipped = []
    a2019 = read_wikinews(wikinews / "wikinews_2019.csv", 2019, skipped)
    a2020 = read_wikinews(wikinews / "wikinews_2020.csv", 2020, skipped)
    source_rows = len(a2019) + len(a2020) + len(skipped)

    # No article twice: the same URL or the same title in both files counts as a duplicate.
    seen_urls, seen_titles, unique = set(), set(), []
    for a in a2019 + a2020:
        key_url = a.url.replace("//wiki/", "/wiki/")
        key_title = a.title.casefold()
        if key_url in seen_urls or key_title in seen_titles:
            skipped.append((f"{a.source} row {a.row_no}", f"duplicate of an earlier row: {a.title!r}"))
            continue
        seen_urls.add(key_url)
        seen_titles.add(key_title)
        unique.append(a)
    a2019 = [a for a in unique if a.date.year == 2019]
    a2020 = sorted((a for a in unique if a.date.year == 2020), key=lambda a: (a.date, a.row_no))
    assign(a2019, a2020)
    articles = a2019 + a2020

    # Start from a clean tree so removed articles do not linger.
    for sub in ("wikinews", "seed"):
        if (OUT / sub).exists():
            shutil.rmtree(OUT / sub)
    OUT.mkdir(exist_ok=True)

    (OUT / "seed").mkdir()
    shutil.copyfile(seed, OUT / "seed" / SEED_NAME)
    assert (OUT / "seed" / SEED_NAME).read_bytes() == seed.read_bytes()

    taken = set()
    renderers = {"txt": render_txt, "md": render_md, "html": render_html}
    for a in articles:
        if a.fmt in renderers:
            slug = slugify(a.title, a.date, taken)
            a.path = f"wikinews/{a.fmt}/{slug}.{a.fmt}"
            write_text(OUT / a.path, renderers[a.fmt](a))
        else:
            a.path = FILE_OF[a.fmt]

    by_fmt = lambda fmt: [a for a in articles if a.fmt == fmt]  # noqa: E731
    write_json(OUT / FILE_OF["json"], by_fmt("json"))
    write_text(OUT / FILE_OF["jsonl"], jsonl_lines(by_fmt("jsonl"), 2020))
    write_csv(OUT / FILE_OF["csv"], by_fmt("csv"))
    write_gz(OUT / FILE_OF["gz"], jsonl_lines(by_fmt("gz"), 2019))

    write_attribution(articles, source_rows, skipped)

    print(f"read {source_rows} rows, wrote {len(articles)} Wikinews articles + 1 seed article")
    for fmt in ["txt", "md", "html", "json", "jsonl", "csv", "gz"]:
        print(f"  {fmt:5} {len(by_fmt(fmt)):4}")
    print(f"skipped {len(skipped)} rows:")
    for where, why in skipped:
        print(f"  {where}: {why}")


if __name__ == "__main__":
    main(sys.argv)
