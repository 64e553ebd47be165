//! Typo tolerance over the shipped corpus: "did you mean" for words that match nothing, on
//! stderr and in `search --json`, and fuzzy `word~N` searches.

use std::path::Path;
use std::sync::OnceLock;

use super::util::{Fixture, SearchOutput, Suggestion, ids, parse};

/// One index of the shipped corpus, shared by the tests of this file (they only read it).
fn shipped() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let fixture = Fixture::new();
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        fixture.run_ok(&["index", "-q", &corpus.display().to_string()], 0);
        fixture
    })
}

/// Runs a search, expecting exit code `code`; returns stderr and the parsed JSON.
fn search(query: &str, code: i32) -> (String, SearchOutput) {
    let output = shipped().run(&["search", query, "--json", "-n", "20"]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(code), "{query}: {stderr}");
    (stderr, parse(&String::from_utf8_lossy(&output.stdout)))
}

fn suggestion(word: &str, alternatives: &[&str]) -> Suggestion {
    Suggestion {
        word: word.to_string(),
        alternatives: alternatives.iter().map(|a| a.to_string()).collect(),
    }
}

/// The article about the US-India talks on critical minerals.
const MINERALS_TALKS: &str = "9920a22a5324ab5f";

#[test]
fn misspelled_name_suggests_the_name_and_the_suggestion_finds_the_article() {
    let (stderr, output) = search("Jaishanker", 1);
    assert_eq!(
        stderr,
        "note: no article contains `Jaishanker`; did you mean Jaishankar?\n\
         try: newsdex search 'Jaishankar'\n"
    );
    assert_eq!(output.total, 0);
    assert_eq!(
        output.suggestions,
        [suggestion("Jaishanker", &["Jaishankar"])]
    );
    let (stderr, output) = search("Jaishankar", 0);
    assert_eq!((stderr.as_str(), ids(&output)), ("", vec![MINERALS_TALKS]));
}

#[test]
fn nearest_suggestions_come_first_then_the_most_frequent() {
    let (stderr, output) = search("Modhi", 1);
    assert_eq!(
        stderr,
        "note: no article contains `Modhi`; did you mean Modi, model, Mohr?\n\
         try: newsdex search 'Modi'\n"
    );
    assert_eq!(
        output.suggestions,
        [suggestion("Modhi", &["Modi", "model", "Mohr"])]
    );
    let (_, output) = search("Modi", 0);
    assert_eq!(
        ids(&output)[..4],
        [
            "wikinews-2020-0039",
            "8b622ae1d0d5f4cd",
            MINERALS_TALKS,
            "wikinews-2020-0043"
        ]
    );
    assert_eq!(output.total, 5);
}

#[test]
fn one_misspelled_word_of_two_is_corrected_in_the_suggested_query() {
    let (stderr, output) = search("critcal minerals", 1);
    assert_eq!(
        stderr,
        "note: no article contains `critcal`; did you mean critical?\n\
         try: newsdex search 'critical minerals'\n"
    );
    assert_eq!(output.suggestions, [suggestion("critcal", &["critical"])]);
    let (_, output) = search("critical minerals", 0);
    assert_eq!(ids(&output), [MINERALS_TALKS]);
}

#[test]
fn a_word_near_nothing_is_reported_without_suggestions() {
    let (stderr, output) = search("zzyzxquux", 1);
    assert_eq!(stderr, "note: no article contains `zzyzxquux`\n");
    assert_eq!(output.suggestions, [suggestion("zzyzxquux", &[])]);
}

#[test]
fn words_that_match_get_no_suggestion_even_when_others_do() {
    let (stderr, output) = search("minerals", 0);
    assert_eq!((stderr.as_str(), output.suggestions.len()), ("", 0));
    let (stderr, output) = search("minerals OR minerls", 0);
    assert_eq!(output.total, 4);
    assert_eq!(
        stderr,
        "note: no article contains `minerls`; did you mean minerals?\n\
         try: newsdex search 'minerals OR minerals'\n"
    );
}

#[test]
fn fuzzy_words_match_within_their_edit_distance() {
    let (stderr, output) = search("Jaishanker~2", 0);
    assert_eq!((stderr.as_str(), ids(&output)), ("", vec![MINERALS_TALKS]));
    let (_, output) = search("Jaishanker~1", 0);
    assert_eq!(ids(&output), [MINERALS_TALKS]);
    let (_, output) = search("minerls~1", 0);
    assert_eq!((output.total, ids(&output)[0]), (4, MINERALS_TALKS));
    let (_, output) = search("critcal~1 minerals", 0);
    assert_eq!(ids(&output), [MINERALS_TALKS]);
    let (_, output) = search("person:modhi~1", 0);
    assert_eq!(output.total, 4);
}

#[test]
fn fuzzy_distance_beyond_two_is_an_error_with_its_position() {
    let output = shipped().run(&["search", "trade minerals~3"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: invalid query at position 14: a fuzzy word allows 1 or 2 edits (`minerals~2`), \
         not 3\n  trade minerals~3\n                ^\n"
    );
}
