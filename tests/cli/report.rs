//! The index report tells the truth: `removed` counts articles that are gone, `updated` those
//! replaced, and the counts add up to what `stats` shows.

use super::util::{Fixture, Report, Stats, parse};

/// Twelve one-article files about distinct places.
fn twelve_files(fixture: &Fixture) {
    let places = [
        "Norway", "Chile", "Kenya", "Peru", "Japan", "Brazil", "Egypt", "Canada", "Poland",
        "Vietnam", "Ghana", "Mexico",
    ];
    for (i, place) in places.iter().enumerate() {
        fixture.write(
            &format!("news/{i:02}.txt"),
            format!("Story number {i} from {place}\n\nA short body about {place}.\n"),
        );
    }
}

fn articles(fixture: &Fixture) -> u64 {
    parse::<Stats>(&fixture.run_ok(&["stats", "--json"], 0)).articles
}

#[test]
fn edited_files_are_updated_and_deleted_files_removed_once() {
    let fixture = Fixture::new();
    twelve_files(&fixture);
    fixture.run_ok(&["index", "-q"], 0);
    let before = articles(&fixture);
    assert_eq!(before, 12);

    for i in 0..6 {
        fixture.write(
            &format!("news/{i:02}.txt"),
            format!("Story number {i}, edited\n\nThe body was rewritten at length.\n"),
        );
    }
    for i in 6..12 {
        std::fs::remove_file(fixture.corpus().join(format!("news/{i:02}.txt"))).unwrap();
    }
    fixture.write("news/new-a.txt", "A new story here\n\nAbout Chad.\n");
    fixture.write("news/new-b.txt", "Another new story\n\nAbout Fiji.\n");

    let output = fixture.run(&["index", "--json"]);
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(
            "indexed: 2 added, 6 updated, 6 removed, 0 unchanged, 0 failed; 8 articles in "
        ),
        "{stderr}"
    );
    let report: Report = parse(&String::from_utf8_lossy(&output.stdout));
    assert_eq!(
        (
            report.added,
            report.updated,
            report.removed,
            report.unchanged
        ),
        (2, 6, 6, 0)
    );
    let after = articles(&fixture);
    assert_eq!(after, 8);
    assert_eq!(before + report.added - report.removed, after);
    assert_eq!(report.updated + report.unchanged + report.added, after);
}

#[test]
fn a_file_that_loses_records_counts_only_the_lost_ones_as_removed() {
    let fixture = Fixture::new();
    let record = |id: u32| {
        format!("{{\"id\":\"r{id}\",\"title\":\"Record {id}\",\"body\":\"Body {id}.\"}}\n")
    };
    fixture.write("dump.jsonl", (1..=5).map(record).collect::<String>());
    fixture.run_ok(&["index", "-q"], 0);

    fixture.write("dump.jsonl", (1..=3).map(record).collect::<String>());
    let report: Report = parse(&fixture.run_ok(&["index", "--json", "-q"], 0));
    assert_eq!(
        (
            report.added,
            report.updated,
            report.removed,
            report.unchanged
        ),
        (0, 3, 2, 0)
    );
    assert_eq!(articles(&fixture), 3);

    fixture.write("dump.jsonl", (1..=7).map(record).collect::<String>());
    let report: Report = parse(&fixture.run_ok(&["index", "--json", "-q"], 0));
    assert_eq!(
        (
            report.added,
            report.updated,
            report.removed,
            report.unchanged
        ),
        (4, 3, 0, 0)
    );
    assert_eq!(articles(&fixture), 7);
}
