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
