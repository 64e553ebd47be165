//! Faults around a run: a corpus that vanished, an index that cannot be written or read. Each
//! is refused or reported with a message that says what happened, and no article is lost.

use super::util::{Fixture, Report, Stats, parse};

fn stats(fixture: &Fixture) -> Stats {
    parse(&fixture.run_ok(&["stats", "--json"], 0))
}

/// Runs `newsdex ARGS`, expects exit code 2, and returns stderr.
fn fails(fixture: &Fixture, args: &[&str]) -> String {
    let output = fixture.run(args);
    assert_eq!(output.status.code(), Some(2), "newsdex {args:?}");
    assert!(output.stdout.is_empty());
    String::from_utf8(output.stderr).expect("utf-8 stderr")
}

#[test]
fn an_empty_corpus_does_not_empty_the_index() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    std::fs::remove_dir_all(fixture.corpus()).unwrap();
    std::fs::create_dir(fixture.corpus()).unwrap();

    assert_eq!(
        fails(&fixture, &["index", "-q"]),
        "error: corpus corpus holds no files but the index holds 5 articles: refusing to remove \
         them all (is a drive unmounted, or the path wrong?); run `newsdex index --allow-purge` \
         to remove them\n"
    );
    assert_eq!(stats(&fixture).articles, 5);
    fixture.run_ok(&["search", "marathon"], 0);

    let report: Report = parse(&fixture.run_ok(&["index", "--allow-purge", "--json", "-q"], 0));
    assert_eq!((report.removed, report.articles), (5, 0));
    assert_eq!(stats(&fixture).articles, 0);
}

#[test]
fn a_missing_corpus_is_an_error_that_keeps_the_index() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    assert_eq!(
        fails(&fixture, &["index", "elsewhere", "-q"]),
        "error: corpus elsewhere does not exist\n"
    );
    assert_eq!(stats(&fixture).articles, 5);
}

#[test]
fn removing_more_than_half_of_the_index_asks_for_the_flag() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    // The JSON Lines file holds 3 of the 5 articles.
    std::fs::remove_dir_all(fixture.corpus().join("wire")).unwrap();

    assert_eq!(
        fails(&fixture, &["index"]),
        "error: 3 of the index's 5 articles are in files no longer in corpus corpus: refusing \
         to remove more than half of the index in one run (is a folder missing?); run \
         `newsdex index --allow-purge` to remove them\n"
    );
    assert_eq!(stats(&fixture).articles, 5);

    let report: Report = parse(&fixture.run_ok(&["index", "--allow-purge", "--json", "-q"], 0));
    assert_eq!(
        (report.removed, report.unchanged, report.articles),
        (3, 2, 2)
    );
}

#[test]
fn removing_half_or_moving_a_folder_needs_no_flag() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    std::fs::rename(
        fixture.corpus().join("wire"),
        fixture.corpus().join("feeds"),
    )
    .unwrap();
    let report: Report = parse(&fixture.run_ok(&["index", "--json", "-q"], 0));
    assert_eq!((report.added, report.removed, report.articles), (3, 3, 5));

    std::fs::remove_dir_all(fixture.corpus().join("notes")).unwrap();
    std::fs::remove_dir_all(fixture.corpus().join("scraped")).unwrap();
    let report: Report = parse(&fixture.run_ok(&["index", "--json", "-q"], 0));
    assert_eq!((report.removed, report.articles), (2, 3));
}
