//! Languages on the search side: `--lang` filters and `facets --by lang`, over records that
//! carry a `lang` (or `language`) field.

use super::util::{FacetsOutput, Fixture, SearchOutput, ids, parse};

/// Four articles about elections: two French (one tagged `fr-FR`), one English, one German,
/// and one without a language.
fn fixture() -> Fixture {
    let fixture = Fixture::new();
    fixture.write(
        "wire/2024.jsonl",
        concat!(
            r#"{"id":"fr1","title":"Élection municipale à Lyon","body":"Les électeurs de Lyon votent dimanche pour l'élection municipale.","lang":"fr","date":"2024-03-01"}"#,
            "\n",
            r#"{"id":"fr2","title":"Résultats de l'élection à Paris","body":"Le maire sortant remporte l'élection à Paris avec une large avance.","language":"fr-FR","date":"2024-03-02"}"#,
            "\n",
            r#"{"id":"en1","title":"Election day in Leeds","body":"Voters in Leeds went to the polls on Thursday for the local election.","lang":"en","date":"2024-03-03"}"#,
            "\n",
            r#"{"id":"de1","title":"Wahl in Köln","body":"Die Wähler in Köln haben am Sonntag über den neuen Stadtrat abgestimmt, die Wahl verlief ruhig.","lang":"de","date":"2024-03-04"}"#,
            "\n",
            r#"{"id":"xx1","title":"Election notice","body":"The election office opens on Monday.","date":"2024-03-05"}"#,
            "\n",
        ),
    );
    fixture.run_ok(&["index", "-q"], 0);
    fixture
}

fn search(fixture: &Fixture, args: &[&str], code: i32) -> SearchOutput {
    let mut all = vec!["search", "--json", "--sort", "date"];
    all.extend_from_slice(args);
    parse(&fixture.run_ok(&all, code))
}

#[test]
fn lang_filter_keeps_only_that_language() {
    let fixture = fixture();
    assert_eq!(
        ids(&search(&fixture, &["*", "--lang", "fr"], 0)),
        ["fr2", "fr1"]
    );
    assert_eq!(
        ids(&search(&fixture, &["*", "--lang", "FR"], 0)),
        ["fr2", "fr1"]
    );
    // xx1 gives no language: it is detected as English.
    assert_eq!(
        ids(&search(&fixture, &["election", "--lang", "en"], 0)),
        ["xx1", "en1"]
    );
    assert_eq!(
        ids(&search(&fixture, &["election", "--lang", "de"], 1)),
        Vec::<&str>::new()
    );
}

#[test]
fn repeated_lang_flags_or_and_other_filters_and() {
    let fixture = fixture();
    assert_eq!(
        ids(&search(&fixture, &["*", "--lang", "en", "--lang", "de"], 0)),
        ["xx1", "de1", "en1"]
    );
    assert_eq!(
        ids(&search(
            &fixture,
            &["*", "--lang", "fr", "--until", "2024-03-01"],
            0
        )),
        ["fr1"]
    );
    assert_eq!(
        ids(&search(&fixture, &["*", "--lang", "it"], 1)),
        Vec::<&str>::new()
    );
}

#[test]
fn facets_by_lang_count_each_language() {
    let fixture = fixture();
    let output: FacetsOutput = parse(&fixture.run_ok(&["facets", "--by", "lang", "--json"], 0));
    let buckets: Vec<(&str, u64)> = output
        .buckets
        .iter()
        .map(|b| (b.value.as_str(), b.count))
        .collect();
    assert_eq!((output.by.as_str(), output.total), ("lang", 5));
    assert_eq!(buckets, [("en", 2), ("fr", 2), ("de", 1)]);
    let table = fixture.run_ok(&["facets", "--by", "lang", "--lang", "fr"], 0);
    assert!(table.starts_with("fr  2  "), "{table}");
    assert!(table.ends_with("2 matching articles, by lang\n"), "{table}");
}
