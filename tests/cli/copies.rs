//! Syndicated copies: the same article text in several files is indexed once, its other files
//! listed as `also_at`, and a copy takes the article over when its file goes.

use newsdex::index::NewsIndex;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::util::{CopyOut, FacetsOutput, Fixture, Report, SearchOutput, Stats, parse};

/// The body of the wire story, as the agency sent it.
const WIRE_BODY: &str = "Ministers from twelve countries agreed on Tuesday to pool their \
    purchases of lithium and cobalt, in a pact meant to cut their reliance on a handful of \
    refiners. The agreement, signed in Canberra after two days of talks, sets up a joint \
    stockpile and a fund for new mines. Australia and Chile, the largest producers, said \
    they would supply the stockpile first.";

/// The same story republished: another headline, other line breaks and case.
fn republished() -> String {
    format!(
        "LITHIUM PACT: MINISTERS AGREE\n\n{}\n",
        WIRE_BODY.replace(". ", ".\n\n").to_uppercase()
    )
}

/// Three files holding the wire story (one as a JSONL record beside another story), and one
/// other article.
fn syndicated_fixture() -> Fixture {
    let fixture = Fixture::new();
    fixture.write(
        "dump/records.jsonl",
        format!(
            "{{\"id\":\"r1\",\"title\":\"Lithium pact agreed\",\"body\":\"{WIRE_BODY}\",\"date\":\"2026-03-03\"}}\n\
             {{\"id\":\"r2\",\"title\":\"Kenya wins relay\",\"body\":\"Kenyan runners won the relay in Nairobi on Sunday.\",\"date\":\"2026-03-01\"}}\n"
        ),
    );
    fixture.write("papers/lithium.txt", republished());
    fixture.write(
        "wire/ap/lithium.txt",
        format!("Lithium pact agreed in Canberra\n\n{WIRE_BODY}\n"),
    );
    fixture.write(
        "scraped/rates.txt",
        "Brazil holds rates\n\nBrazil's central bank kept its benchmark rate unchanged.\n",
    );
    fixture
}

fn reindex(fixture: &Fixture) -> Report {
    parse(&fixture.run_ok(&["index", "--json", "-q"], 0))
}

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

/// The hits of `search QUERY` as (path, also_at).
fn found(fixture: &Fixture, query: &str) -> Vec<(String, Vec<String>)> {
    let output: SearchOutput = parse(&fixture.run_ok(&["search", query, "--json"], 0));
    output
        .hits
        .into_iter()
        .map(|hit| (hit.path, hit.also_at))
        .collect()
}

fn owned(paths: &[&str]) -> Vec<String> {
    paths.iter().map(|p| p.to_string()).collect()
}

#[test]
fn syndicated_copies_are_indexed_once_and_listed_as_also_at() {
    let fixture = syndicated_fixture();
    let report = reindex(&fixture);
    assert_eq!(counts(&report), (5, 0, 0, 0, 3, 2));

    let output: SearchOutput = parse(&fixture.run_ok(&["search", "lithium", "--json"], 0));
    assert_eq!(output.total, 1);
    let hit = &output.hits[0];
    assert_eq!(
        (hit.id.as_str(), hit.path.as_str()),
        ("r1", "dump/records.jsonl")
    );
    assert_eq!(
        hit.also_at,
        owned(&["papers/lithium.txt", "wire/ap/lithium.txt"])
    );

    // Counts see the article once: no query, a filter, and a word.
    for args in [
        vec!["facets", "--by", "country", "--json"],
        vec!["facets", "--by", "year", "--json"],
    ] {
        let facets: FacetsOutput = parse(&fixture.run_ok(&args, 0));
        assert_eq!(facets.total, 3, "{args:?}");
    }
    let facets: FacetsOutput =
        parse(&fixture.run_ok(&["facets", "lithium", "--by", "country", "--json"], 0));
    let australia = facets.buckets.iter().find(|b| b.value == "AU").expect("AU");
    assert_eq!((facets.total, australia.count), (1, 1));
    let everything: SearchOutput = parse(&fixture.run_ok(&["search", "*", "--json"], 0));
    assert_eq!(everything.total, 3);

    let stats: Stats = parse(&fixture.run_ok(&["stats", "--json"], 0));
    assert_eq!((stats.articles, stats.copies, stats.files), (3, 2, 4));

    // A copy's id shows the article, with its copies.
    let copy_id = newsdex::article::ArticleId::derived("wire/ap/lithium.txt", 0);
    let shown: serde_json::Value = parse(&fixture.run_ok(&["show", copy_id.as_str(), "--json"], 0));
    assert_eq!(shown["id"], "r1");
    assert_eq!(
        shown["also_at"],
        serde_json::json!(["papers/lithium.txt", "wire/ap/lithium.txt"])
    );
    let human = fixture.run_ok(&["search", "lithium"], 0);
    assert!(
        human.contains("     also at papers/lithium.txt, wire/ap/lithium.txt\n"),
        "{human}"
    );

    // A rebuild decides the same way.
    let full: Report = parse(&fixture.run_ok(&["index", "--full", "--json", "-q"], 0));
    assert_eq!((full.articles, full.copies), (3, 2));
    assert_eq!(counts(&reindex(&fixture)), (0, 0, 0, 5, 3, 2));
}

/// The wire story as a text file, and copies of it as records: line 3 of a JSON Lines file, a
/// CSV row that starts on line 4 (after a row of two lines), an RSS item; another story in each.
pub fn records_fixture() -> Fixture {
    let fixture = Fixture::new();
    fixture.write(
        "a/lithium.txt",
        format!("Lithium pact agreed in Canberra\n\n{WIRE_BODY}\n"),
    );
    fixture.write(
        "dump/day.jsonl",
        format!(
            "{{\"id\":\"d1\",\"title\":\"Kenya wins relay\",\"body\":\"Kenyan runners won the relay in Nairobi on Sunday.\"}}\n\
             {{\"id\":\"d2\",\"title\":\"Brazil holds rates\",\"body\":\"Brazil's central bank kept its rate unchanged.\"}}\n\
             {{\"id\":\"ap-3\",\"title\":\"WIRE: LITHIUM\",\"body\":\"{}\"}}\n",
            WIRE_BODY.to_uppercase()
        ),
    );
    fixture.write(
        "tables/wire.csv",
        format!(
            "id,title,body\n\
             c1,Floods close the valley road,\"Heavy rain flooded the road.\nIt stays shut.\"\n\
             csv-9,Lithium pact,\"{WIRE_BODY}\"\n"
        ),
    );
    fixture.write(
        "feeds/wire.rss",
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>\
             <item><guid>rss-1</guid><title>Lithium pact</title><description>{WIRE_BODY}</description></item>\
             <item><guid>rss-2</guid><title>Mill fire</title><description>A fire destroyed the old mill.</description></item>\
             </channel></rss>"
        ),
    );
    fixture
}

/// The copies of the records fixture's wire story, as `--json` lists them.
pub fn record_copies() -> serde_json::Value {
    serde_json::json!([
        {"path": "dump/day.jsonl", "id": "ap-3", "line": 3},
        {"path": "feeds/wire.rss", "id": "rss-1"},
        {"path": "tables/wire.csv", "id": "csv-9", "line": 4}
    ])
}

#[test]
fn copies_that_are_records_are_listed_with_their_id_and_line() {
    let fixture = records_fixture();
    let report = reindex(&fixture);
    assert_eq!(counts(&report), (8, 0, 0, 0, 5, 3));

    let output: SearchOutput = parse(&fixture.run_ok(&["search", "lithium", "--json"], 0));
    assert_eq!(output.total, 1);
    let hit = &output.hits[0];
    assert_eq!(hit.path, "a/lithium.txt");
    assert_eq!(
        hit.also_at,
        owned(&["dump/day.jsonl", "feeds/wire.rss", "tables/wire.csv"])
    );
    let copy = |path: &str, id: &str, line: Option<u64>| CopyOut {
        path: path.to_string(),
        id: id.to_string(),
        line,
    };
    assert_eq!(
        hit.copies,
        [
            copy("dump/day.jsonl", "ap-3", Some(3)),
            copy("feeds/wire.rss", "rss-1", None),
            copy("tables/wire.csv", "csv-9", Some(4)),
        ]
    );

    // `show` by the id of a copy, in JSON and in the terminal, and `export`.
    let shown: serde_json::Value = parse(&fixture.run_ok(&["show", "ap-3", "--json"], 0));
    assert_eq!(shown["path"], "a/lithium.txt");
    assert_eq!(shown["copies"], record_copies());
    let human = fixture.run_ok(&["show", "csv-9"], 0);
    assert!(
        human.contains(
            "   also at  dump/day.jsonl line 3 (id ap-3), feeds/wire.rss (id rss-1), \
             tables/wire.csv line 4 (id csv-9)\n"
        ),
        "{human}"
    );
    let human = fixture.run_ok(&["search", "lithium"], 0);
    assert!(
        human.contains(
            "     also at dump/day.jsonl line 3 (id ap-3), feeds/wire.rss (id rss-1), \
             tables/wire.csv line 4 (id csv-9)\n"
        ),
        "{human}"
    );
    let export = fixture.run_ok(&["export"], 0);
    let exported: Vec<serde_json::Value> = export
        .lines()
        .map(|line| serde_json::from_str(line).expect("json line"))
        .collect();
    assert_eq!(exported.len(), 5);
    let article = exported
        .iter()
        .find(|a| a["path"] == "a/lithium.txt")
        .expect("the article");
    assert_eq!(article["copies"], record_copies());
    // Articles without copies have neither list.
    let relay = exported.iter().find(|a| a["id"] == "d1").expect("d1");
    assert_eq!((relay.get("also_at"), relay.get("copies")), (None, None));
}

#[test]
fn when_the_file_holding_an_article_goes_a_copy_takes_it_over() {
    let fixture = syndicated_fixture();
    reindex(&fixture);

    std::fs::remove_file(fixture.corpus().join("dump/records.jsonl")).expect("remove");
    let report = reindex(&fixture);
    assert_eq!(counts(&report), (0, 0, 2, 3, 2, 1));
    assert_eq!(
        found(&fixture, "lithium"),
        [(
            "papers/lithium.txt".to_string(),
            owned(&["wire/ap/lithium.txt"])
        )]
    );

    // The new holder is edited into another story: the last copy takes over.
    fixture.write(
        "papers/lithium.txt",
        "Copper prices rise\n\nCopper rose for a third day in London trading.\n",
    );
    let report = reindex(&fixture);
    assert_eq!(counts(&report), (0, 1, 0, 2, 3, 0));
    assert_eq!(
        found(&fixture, "lithium"),
        [("wire/ap/lithium.txt".to_string(), Vec::new())]
    );

    std::fs::remove_file(fixture.corpus().join("wire/ap/lithium.txt")).expect("remove");
    assert_eq!(counts(&reindex(&fixture)), (0, 0, 1, 2, 2, 0));
    let output = fixture.run(&["search", "lithium"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_copy_arriving_later_joins_the_article_already_indexed() {
    let fixture = Fixture::new();
    fixture.write(
        "wire/lithium.txt",
        format!("Lithium pact agreed\n\n{WIRE_BODY}\n"),
    );
    assert_eq!(counts(&reindex(&fixture)), (1, 0, 0, 0, 1, 0));

    // Sorts before the indexed file, but the article stays where it was first indexed.
    fixture.write("a-blog/lithium.txt", republished());
    assert_eq!(counts(&reindex(&fixture)), (1, 0, 0, 1, 1, 1));
    assert_eq!(
        found(&fixture, "lithium"),
        [(
            "wire/lithium.txt".to_string(),
            owned(&["a-blog/lithium.txt"])
        )]
    );

    // Touching the copy (same bytes) keeps it a copy.
    let file = std::fs::File::options()
        .write(true)
        .open(fixture.corpus().join("a-blog/lithium.txt"))
        .expect("open");
    file.set_modified(std::time::SystemTime::UNIX_EPOCH)
        .expect("set mtime");
    assert_eq!(counts(&reindex(&fixture)), (0, 0, 0, 2, 1, 1));
    assert_eq!(
        found(&fixture, "lithium"),
        [(
            "wire/lithium.txt".to_string(),
            owned(&["a-blog/lithium.txt"])
        )]
    );
}

#[test]
fn copies_left_without_their_article_by_a_killed_run_are_taken_over_by_the_next() {
    let fixture = syndicated_fixture();
    reindex(&fixture);
    // What a run killed after committing the removal of a vanished file, and before reading
    // that file's copies again, leaves behind.
    std::fs::remove_file(fixture.corpus().join("dump/records.jsonl")).expect("remove");
    {
        let index = NewsIndex::open(&fixture.root().join("index")).expect("open");
        let mut writer: IndexWriter<TantivyDocument> =
            index.index().writer(15_000_000).expect("writer");
        writer.delete_term(Term::from_field_text(
            index.fields().path,
            "dump/records.jsonl",
        ));
        let mut prepared = writer.prepare_commit().expect("prepare");
        let payload = index.index().load_metas().expect("metas").payload;
        prepared.set_payload(&payload.unwrap_or_default());
        prepared.commit().expect("commit");
    }
    let output = fixture.run(&["search", "lithium"]);
    assert_eq!(output.status.code(), Some(1));

    let report = reindex(&fixture);
    assert_eq!(counts(&report), (0, 0, 0, 3, 2, 1));
    assert_eq!(
        found(&fixture, "lithium"),
        [(
            "papers/lithium.txt".to_string(),
            owned(&["wire/ap/lithium.txt"])
        )]
    );
}

#[test]
fn a_source_filter_finds_articles_through_their_copies_and_counts_each_once() {
    let fixture = Fixture::new();
    let record = |id: &str, source: &str| {
        format!(
            "{{\"id\":\"{id}\",\"title\":\"Lithium pact agreed\",\"body\":\"{WIRE_BODY}\",\"source\":\"{source}\"}}\n"
        )
    };
    fixture.write("agency.jsonl", record("ap-1", "Agency Wire"));
    fixture.write("papers/times.jsonl", record("dt-1", "Daily Times"));
    fixture.write(
        "papers/other.jsonl",
        "{\"id\":\"dt-2\",\"title\":\"Rates held\",\"body\":\"The central bank held rates.\",\"source\":\"Daily Times\"}\n",
    );
    assert_eq!(counts(&reindex(&fixture)), (3, 0, 0, 0, 2, 1));

    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["search", "--json"];
        all.extend_from_slice(args);
        let output: SearchOutput = parse(&fixture.run_ok(&all, 0));
        output.hits.into_iter().map(|hit| hit.id).collect()
    };
    assert_eq!(ids(&["lithium", "--source", "daily times"]), ["ap-1"]);
    assert_eq!(
        ids(&["*", "--source", "Daily Times", "--sort", "date"]).len(),
        2
    );
    assert_eq!(ids(&["lithium", "--source", "Agency Wire"]), ["ap-1"]);

    // Counted once, under the source of the file that holds it.
    let facets: FacetsOutput = parse(&fixture.run_ok(&["facets", "--by", "source", "--json"], 0));
    let buckets: Vec<(&str, u64)> = facets
        .buckets
        .iter()
        .map(|b| (b.value.as_str(), b.count))
        .collect();
    assert_eq!(buckets, [("Agency Wire", 1), ("Daily Times", 1)]);
}
