//! A JSON Lines dump larger than the chunks it is read in: indexed, replaced and refused as a
//! small file is, with the same ids and copies.

use super::util::{Failed, Fixture, Report, SearchOutput, ids, parse};

/// (added, updated, removed, unchanged, articles) of a report.
fn counts(report: &Report) -> (u64, u64, u64, u64, u64) {
    (
        report.added,
        report.updated,
        report.removed,
        report.unchanged,
        report.articles,
    )
}

/// Runs `index --json -q` with `extra` flags, expecting exit 1 (a file or line failed).
fn reindex(fixture: &Fixture, extra: &[&str]) -> Report {
    let mut args = vec!["index", "--json", "-q"];
    args.extend_from_slice(extra);
    parse(&fixture.run_ok(&args, 1))
}

/// Every indexed article's id, sorted.
fn indexed(fixture: &Fixture) -> Vec<String> {
    let output: SearchOutput =
        parse(&fixture.run_ok(&["search", "*", "--json", "-n", "100000"], 0));
    let mut ids: Vec<String> = output.hits.into_iter().map(|h| h.id).collect();
    ids.sort();
    ids
}

/// A JSON Lines dump of `records` records `r0`, `r1`...: the records 7, 2507, 5007... carry one
/// shared text (one article and its copies), record `changed` another text, and a bad line
/// follows record 4999.
fn dump(records: usize, changed: usize) -> String {
    let mut text = String::new();
    for i in 0..records {
        let (title, body) = match i {
            _ if i == changed => ("Changed record".to_string(), format!("Now {i}.")),
            _ if i % 2500 == 7 => ("Shared wire story".to_string(), "The same text.".into()),
            _ => (format!("Record {i}"), format!("Body of record {i}.")),
        };
        text.push_str(&format!(
            "{{\"id\":\"r{i}\",\"title\":\"{title}\",\"body\":\"{body}\"}}\n"
        ));
        if i == 4999 {
            text.push_str("{\"id\": \"bad\n");
        }
    }
    text
}

#[test]
fn jsonl_dump_of_many_chunks_is_indexed_and_replaced_like_a_small_file() {
    let fixture = Fixture::new();
    fixture.write("big.jsonl", dump(9_000, usize::MAX));
    let report = reindex(&fixture, &[]);
    assert_eq!(counts(&report), (9_000, 0, 0, 0, 8_997));
    assert_eq!(report.copies, 3);
    assert_eq!(
        report.failed,
        [Failed {
            path: "big.jsonl".into(),
            error: "line 5001: EOF while parsing a string at column 11".into(),
        }]
    );
    let found = indexed(&fixture);
    let mut want: Vec<String> = (0..9_000)
        .filter(|i| i % 2500 != 7 || *i == 7)
        .map(|i| format!("r{i}"))
        .collect();
    want.sort();
    assert_eq!(found, want);

    // 6,000 records left, one of them changed: 9,000 records (8,997 articles and 3 copies) are
    // replaced by 6,000 (5,998 and 2), and 3,000 are gone.
    fixture.write("big.jsonl", dump(6_000, 1));
    let report = reindex(&fixture, &[]);
    assert_eq!(counts(&report), (0, 6_000, 3_000, 0, 5_998));
    assert_eq!(report.copies, 2);
    let hit: SearchOutput = parse(&fixture.run_ok(&["search", "\"Changed record\"", "--json"], 0));
    assert_eq!(ids(&hit), ["r1"]);

    // The file turns binary: its articles go, and it is named.
    let mut bytes = dump(6_000, 1).into_bytes();
    bytes.extend_from_slice(b"\0");
    fixture.write("big.jsonl", bytes);
    let report = reindex(&fixture, &["--allow-purge"]);
    assert_eq!(counts(&report), (0, 0, 6_000, 0, 0));
    assert_eq!(
        report.failed,
        [Failed {
            path: "big.jsonl".into(),
            error: "binary file (not text)".into(),
        }]
    );
}
