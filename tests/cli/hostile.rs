//! Hostile corpora: files that are not files, and inputs built to make reading slow. Each run
//! finishes, names what it could not read, and indexes the rest.

use std::process::Command;

use super::util::{Failed, Fixture, Report, parse};

fn mkfifo(path: &std::path::Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[test]
fn named_pipe_in_the_corpus_is_skipped_with_a_warning() {
    let fixture = Fixture::new();
    fixture.write(
        "good.txt",
        "Good article headline here\n\nA body about Norway and its fjords.\n",
    );
    mkfifo(&fixture.corpus().join("pipe.txt"));
    std::fs::create_dir(fixture.corpus().join("sub")).expect("mkdir");
    mkfifo(&fixture.corpus().join("sub/feed.jsonl"));

    let output = fixture.run(&["index", "--json"]);
    assert_eq!(output.status.code(), Some(1), "skipped files are reported");
    let report: Report = parse(&String::from_utf8_lossy(&output.stdout));
    assert_eq!(report.added, 1);
    assert_eq!(report.articles, 1);
    assert_eq!(
        report.failed,
        [
            Failed {
                path: "pipe.txt".into(),
                error: "skipped: not a regular file (a named pipe)".into()
            },
            Failed {
                path: "sub/feed.jsonl".into(),
                error: "skipped: not a regular file (a named pipe)".into()
            },
        ]
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(
            "warning: pipe.txt: skipped: not a regular file (a named pipe)\n\
             warning: sub/feed.jsonl: skipped: not a regular file (a named pipe)\n"
        ),
        "{stderr}"
    );

    let output = fixture.run(&["extract", "corpus/pipe.txt"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "warning: pipe.txt: skipped: not a regular file (a named pipe)\n"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn deep_and_wide_pages_are_read_whole_and_deep_json_is_refused() {
    let fixture = Fixture::new();
    fixture.write(
        "deep.html",
        format!(
            "<html><head><title>Deep page about Peru</title></head><body>{}<p>Lima is the \
             capital of Peru.</p>{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        ),
    );
    let attributes: String = (0..50_000).map(|i| format!(" data-a{i}=\"{i}\"")).collect();
    fixture.write(
        "wide.html",
        format!("<h1{attributes}>Wide page about Chile</h1><p{attributes}>Santiago.</p>"),
    );
    fixture.write(
        "deep.json",
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
    );

    let output = fixture.run(&["index", "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: Report = parse(&String::from_utf8_lossy(&output.stdout));
    assert_eq!((report.added, report.articles), (2, 2));
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].path, "deep.json");
    assert!(
        report.failed[0]
            .error
            .starts_with("invalid JSON: recursion limit exceeded"),
        "{:?}",
        report.failed[0]
    );
    let found: super::util::SearchOutput = parse(&fixture.run_ok(&["search", "Lima", "--json"], 0));
    assert_eq!(found.total, 1);
    assert_eq!(found.hits[0].title, "Deep page about Peru");
    let found: super::util::SearchOutput =
        parse(&fixture.run_ok(&["search", "Santiago", "--json"], 0));
    assert_eq!(found.hits[0].title, "Wide page about Chile");
}
