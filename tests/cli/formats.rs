//! Web archives (WARC, ARC) and feeds (RSS, Atom) indexed in place from the shared fixtures:
//! their articles searched and exported, an unchanged archive skipped, a changed one re-read.

use super::util::{Fixture, Report, SearchOutput, ids, parse};

/// The shared fixtures (read in place, never copied into the repository).
const ARCHIVES: &str = "/work/shared/archives";

/// A crawl by wget of 15 pages, among them two Creative Commons blog posts and the same
/// allenai.org page fetched three times.
const WGET_CRAWL: &str = "/work/shared/archives/warc/dolma/sample-0001.warc.gz";

/// (added, updated, removed, unchanged, articles, copies) of a report.
fn counts(report: &Report) -> (u64, u64, u64, u64, u64, u64) {
    (
        report.added,
        report.updated,
        report.removed,
        report.unchanged,
        report.articles,
        report.copies,
    )
}

fn search(fixture: &Fixture, query: &str) -> SearchOutput {
    parse(&fixture.run_ok(&["search", query, "--json"], 0))
}

#[test]
fn a_warc_is_indexed_in_place_and_skipped_when_unchanged() {
    let fixture = Fixture::new();
    let report: Report = parse(&fixture.run_ok(&["index", WGET_CRAWL, "--json", "-q"], 0));
    // 15 HTML responses; the page fetched three times is one article and two copies.
    assert_eq!(counts(&report), (15, 0, 0, 0, 13, 2));
    assert!(report.failed.is_empty(), "{:?}", report.failed);

    let found = search(&fixture, "wipo copyright");
    let post = "https://creativecommons.org/2024/04/23/cc-at-wipo-slow-progress-on-copyright-exceptions-for-cultural-heritage-institutions/";
    assert_eq!(ids(&found), [post]);
    let hit = &found.hits[0];
    assert_eq!(hit.url.as_deref(), Some(post));
    assert_eq!(hit.path, "sample-0001.warc.gz");
    // The page's own date, not the crawl's (2024-04-25).
    assert_eq!(hit.published.as_deref(), Some("2024-04-23T12:58:32Z"));

    // The page fetched three times is found once, its copies listed (by file: all three
    // records are in the one archive).
    let found = search(&fixture, "allen institute");
    let allen: Vec<_> = found
        .hits
        .iter()
        .filter(|h| h.id == "https://allenai.org/")
        .collect();
    assert_eq!(allen.len(), 1, "{:?}", ids(&found));
    assert_eq!(
        allen[0].also_at,
        ["sample-0001.warc.gz", "sample-0001.warc.gz"]
    );
    assert_eq!(allen[0].published.as_deref(), Some("2024-04-25T16:27:50Z"));

    let export = fixture.run_ok(&["export"], 0);
    let lines: Vec<serde_json::Value> = export.lines().map(parse).collect();
    assert_eq!(lines.len(), 13);
    let first: Vec<&str> = lines.iter().filter_map(|l| l["id"].as_str()).collect();
    assert!(
        first.contains(&"https://creativecommons.org/mission/"),
        "{first:?}"
    );

    let again: Report = parse(&fixture.run_ok(&["index", WGET_CRAWL, "--json", "-q"], 0));
    assert_eq!(counts(&again), (0, 0, 0, 15, 13, 2));
}

/// A WARC response record of `url` holding a small HTML page.
fn record(url: &str, title: &str, body: &str) -> Vec<u8> {
    let page = format!(
        "<html><head><title>{title}</title></head><body><article><p>{body}</p></article></body></html>"
    );
    let block = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{page}",
        page.len()
    );
    format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2026-11-02T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
        block.len()
    )
    .into_bytes()
}

#[test]
fn a_changed_warc_is_read_again_and_a_bad_record_costs_nothing_else() {
    let fixture = Fixture::new();
    let mut warc = record(
        "https://news.example/quake",
        "Quake shakes the harbour town",
        "A strong earthquake shook the harbour town of Portmere on Monday morning.",
    );
    fixture.write("crawl/night.warc", &warc);
    let report: Report = parse(&fixture.run_ok(&["index", "--json", "-q"], 0));
    assert_eq!(counts(&report), (1, 0, 0, 0, 1, 0));

    let bad_at = warc.len();
    warc.extend_from_slice(b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: lots\r\n\r\n");
    warc.extend(record(
        "https://news.example/flood",
        "Floods close the valley road",
        "Heavy rain flooded the valley road near Ashby on Tuesday.",
    ));
    fixture.write("crawl/night.warc", &warc);
    let report: Report = parse(&fixture.run_ok(&["index", "--json", "-q"], 1));
    assert_eq!(counts(&report), (1, 1, 0, 0, 2, 0));
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].path, "crawl/night.warc");
    assert_eq!(
        report.failed[0].error,
        format!("offset {bad_at}: invalid Content-Length; skipped to the next")
    );
    assert_eq!(
        ids(&search(&fixture, "valley flooded")),
        ["https://news.example/flood"]
    );
    assert_eq!(
        ids(&search(&fixture, "earthquake Portmere")),
        ["https://news.example/quake"]
    );
}

#[test]
fn a_truncated_warc_fails_with_the_offset_and_the_others_are_indexed() {
    let fixture = Fixture::new();
    let clipped = format!("{ARCHIVES}/warc/resiliparse/clipped.warc.gz");
    let output = fixture.run(&["index", &clipped, "--json", "-q"]);
    assert_eq!(output.status.code(), Some(1));
    let report: Report = parse(&String::from_utf8_lossy(&output.stdout));
    assert_eq!(report.articles, 0);
    assert_eq!(report.failed.len(), 1);
    assert_eq!(
        report.failed[0].error,
        "no article found (offset 0: truncated gzip member)"
    );
}

#[test]
fn an_rss_feed_is_indexed_in_place_one_article_per_item() {
    let fixture = Fixture::new();
    let guardian = format!("{ARCHIVES}/feeds/rss-parser/guardian.rss");
    let report: Report = parse(&fixture.run_ok(&["index", &guardian, "--json", "-q"], 0));
    assert_eq!(counts(&report), (55, 0, 0, 0, 55, 0));
    let found = search(&fixture, "nunes memo");
    let url = "https://www.theguardian.com/us-news/2018/jan/31/fbi-nunes-memo-release-donald-trump";
    assert_eq!(ids(&found), [url]);
    let hit = &found.hits[0];
    assert_eq!(
        hit.title,
        "FBI has 'grave concerns' about Trump plan to release controversial memo"
    );
    assert_eq!(hit.url.as_deref(), Some(url));
    assert_eq!(hit.published.as_deref(), Some("2018-01-31T20:00:01Z"));
    assert_eq!(hit.source.as_deref(), Some("The Guardian"));

    let shown: serde_json::Value = parse(&fixture.run_ok(&["show", url, "--json"], 0));
    assert_eq!(shown["byline"], "Tom McCarthy in New York");
    let export = fixture.run_ok(&["export"], 0);
    assert_eq!(export.lines().count(), 55);
}

/// An RSS feed of the items `(guid, title, body)`.
fn feed(items: &[(&str, &str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(guid, title, body)| {
            format!(
                "<item><guid>{guid}</guid><title>{title}</title><link>https://news.example/{guid}</link><description>&lt;p&gt;{body}&lt;/p&gt;</description><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Example News</title>{items}</channel></rss>"
    )
}

#[test]
fn a_feed_saved_night_after_night_does_not_duplicate_its_items() {
    let fixture = Fixture::new();
    let quake = (
        "n1",
        "Quake shakes the harbour town",
        "A strong earthquake shook the harbour town of Portmere on Monday morning.",
    );
    let flood = (
        "n2",
        "Floods close the valley road",
        "Heavy rain flooded the valley road near Ashby on Tuesday.",
    );
    let fire = (
        "n3",
        "Fire destroys the old mill",
        "A fire destroyed the old mill in Brackley overnight.",
    );
    fixture.write("feeds/2026-11-02.rss", feed(&[quake, flood]));
    let report: Report = parse(&fixture.run_ok(&["index", "--json", "-q"], 0));
    assert_eq!(counts(&report), (2, 0, 0, 0, 2, 0));
    fixture.write("feeds/2026-11-03.rss", feed(&[flood, fire]));
    let report: Report = parse(&fixture.run_ok(&["index", "--json", "-q"], 0));
    // The flood item seen the night before is a copy of the article it already is.
    assert_eq!(counts(&report), (2, 0, 0, 2, 3, 1));
    let found = search(&fixture, "valley flooded");
    assert_eq!(ids(&found), ["n2"]);
    assert_eq!(found.hits[0].also_at, ["feeds/2026-11-03.rss"]);
    assert_eq!(ids(&search(&fixture, "mill fire")), ["n3"]);
}
