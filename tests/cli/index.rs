//! `newsdex index`: reports, incremental runs, stats.

use super::util::{Fixture, Report, Stats, parse};

#[test]
fn first_run_adds_every_article_and_reports_json() {
    let fixture = Fixture::standard();
    let output = fixture.run(&["index", "--json"]);
    assert_eq!(output.status.code(), Some(0));
    let report: Report = parse(&String::from_utf8_lossy(&output.stdout));
    assert_eq!(
        (
            report.added,
            report.updated,
            report.removed,
            report.unchanged,
            report.articles
        ),
        (5, 0, 0, 0, 5)
    );
    assert!(report.failed.is_empty());
    assert!(report.seconds >= 0.0);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(
            "indexed: 5 added, 0 updated, 0 removed, 0 unchanged, 0 failed; 5 articles"
        ),
        "{stderr}"
    );
}

#[test]
fn quiet_prints_nothing_on_stderr() {
    let fixture = Fixture::standard();
    let output = fixture.run(&["index", "-q"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
}

#[test]
fn second_run_only_touches_what_changed() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);

    let report: Report = parse(&fixture.run_ok(&["index", "--json", "-q"], 0));
    assert_eq!(
        (
            report.added,
            report.updated,
            report.removed,
            report.unchanged
        ),
        (0, 0, 0, 5)
    );

    fixture.write(
        "scraped/kenya.txt",
        "Kenya marathon runners dominate Berlin and Boston races\n\nKenyan athletes won again.\n",
    );
    std::fs::remove_file(fixture.corpus().join("notes/japan.md")).unwrap();
    fixture.write(
        "wire/2024.jsonl",
        concat!(
            r#"{"id":"w1","title":"India and France sign trade deal","body":"Signed in New Delhi.","date":"2024-03-05"}"#,
            "\n",
            r#"{"id":"w4","title":"Chile copper output rises","body":"Copper mines in Chile produced more in March.","date":"2024-04-01"}"#,
            "\n"
        ),
    );
    let report: Report = parse(&fixture.run_ok(&["index", "--json", "-q"], 0));
    // kenya.txt (1 article) and 2024.jsonl (3 -> 2) changed, japan.md (1) vanished: 3 articles
    // replaced, 2 gone.
    assert_eq!(
        (
            report.added,
            report.updated,
            report.removed,
            report.unchanged,
            report.articles
        ),
        (0, 3, 2, 0, 3)
    );

    let stats: Stats = parse(&fixture.run_ok(&["stats", "--json"], 0));
    assert_eq!((stats.articles, stats.files), (3, 2));
}

#[test]
fn full_rebuild_reindexes_everything() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    let report: Report = parse(&fixture.run_ok(&["index", "--full", "--json", "-q"], 0));
    assert_eq!((report.added, report.unchanged, report.articles), (5, 0, 5));
}

#[test]
fn stats_describe_the_index() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    let stats: Stats = parse(&fixture.run_ok(&["stats", "--json"], 0));
    assert_eq!(
        (stats.articles, stats.files, stats.schema_version),
        (5, 3, 6)
    );
    assert!(stats.size_bytes > 0 && stats.segments >= 1);
    assert_eq!(stats.corpus.as_deref(), Some("corpus"));
    assert!(stats.last_indexed.unwrap().ends_with('Z'));
}

#[test]
fn index_option_and_environment_choose_the_folder() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q", "--index", "elsewhere"], 0);
    assert!(fixture.root().join("elsewhere/meta.json").is_file());
    assert!(!fixture.root().join("index").exists());
    let output = assert_cmd::Command::cargo_bin("newsdex")
        .unwrap()
        .current_dir(fixture.root())
        .env("NEWSDEX_INDEX", "elsewhere")
        .args(["stats", "--json"])
        .output()
        .unwrap();
    let stats: Stats = parse(&String::from_utf8_lossy(&output.stdout));
    assert_eq!(stats.articles, 5);
}

#[test]
fn missing_corpus_is_an_error_naming_it() {
    let fixture = Fixture::new();
    let output = fixture.run(&["index", "nowhere"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: corpus nowhere does not exist\n"
    );
}

#[test]
fn stats_without_an_index_says_how_to_make_one() {
    let fixture = Fixture::new();
    let output = fixture.run(&["stats"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: no index in index (run `newsdex index` first)\n"
    );
}

#[test]
fn a_second_writer_exits_at_once_naming_the_index() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    let index = tantivy::Index::open_in_dir(fixture.root().join("index")).unwrap();
    let writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
    let output = fixture.run(&["index"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: another `newsdex index` is writing to index; wait for it to finish (the lock is \
         released when it exits)\n"
    );
    // Searches still answer while the writer holds the lock.
    let stats: Stats = parse(&fixture.run_ok(&["stats", "--json"], 0));
    assert_eq!(stats.articles, 5);
    drop(writer);
    let report: Report = parse(&fixture.run_ok(&["index", "--json", "-q"], 0));
    assert_eq!(report.unchanged, 5);
}
