//! `newsdex search`, `facets` and `show` over the standard fixture corpus.

use std::path::Path;

use newsdex::article::ArticleId;

use super::util::{Bucket, FacetsOutput, Fixture, SearchOutput, ids, parse};

fn indexed() -> Fixture {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    fixture
}

fn search(fixture: &Fixture, args: &[&str]) -> SearchOutput {
    let mut all = vec!["search", "--json"];
    all.extend_from_slice(args);
    parse(&fixture.run_ok(&all, 0))
}

fn japan() -> String {
    ArticleId::derived("notes/japan.md", 0).to_string()
}

fn kenya() -> String {
    ArticleId::derived("scraped/kenya.txt", 0).to_string()
}

#[test]
fn derived_ids_are_stable_across_versions() {
    assert_eq!(japan(), ArticleId::derived("notes/japan.md", 0).to_string());
    assert_eq!(ArticleId::derived("a.txt", 0).as_str(), "ee033580070c063a");
}

#[test]
fn search_json_has_the_documented_shape() {
    let fixture = indexed();
    let output = search(&fixture, &["trade"]);
    assert_eq!(output.query, "trade");
    assert_eq!(output.total, 1);
    assert!(output.facets.is_none());
    let hit = &output.hits[0];
    assert_eq!(hit.id, "w1");
    assert_eq!(hit.path, "wire/2024.jsonl");
    assert_eq!(hit.title, "India and France sign trade deal");
    assert_eq!(hit.published.as_deref(), Some("2024-03-05T00:00:00Z"));
    assert_eq!(hit.source.as_deref(), Some("Wire"));
    assert_eq!(hit.url, None);
    assert!(hit.score > 0.0);
    assert!(hit.snippet.contains("<b>trade</b>"), "{}", hit.snippet);
    let codes: Vec<&str> = hit.countries.iter().map(|c| c.code.as_str()).collect();
    assert!(codes.contains(&"IN") && codes.contains(&"FR"), "{codes:?}");
    let india = hit.countries.iter().find(|c| c.code == "IN").unwrap();
    assert_eq!(india.name, "India");
    assert!(hit.people.is_empty(), "{:?}", hit.people);
}

#[test]
fn stemming_matches_other_word_forms() {
    let fixture = indexed();
    assert_eq!(ids(&search(&fixture, &["flooding"])), ["w2"]);
    assert_eq!(ids(&search(&fixture, &["floods"])), ["w2"]);
}

#[test]
fn filter_by_country_excludes_other_countries() {
    let fixture = indexed();
    for alias in ["India", "IN", "in", "Indian", "india"] {
        let output = search(&fixture, &["*", "--country", alias]);
        assert_eq!(ids(&output), ["w1"], "--country {alias}");
    }
    let output = search(&fixture, &["trade", "--country", "India"]);
    assert!(
        output
            .hits
            .iter()
            .all(|h| h.countries.iter().any(|c| c.code == "IN"))
    );
    let output = search(
        &fixture,
        &[
            "*",
            "--country",
            "Japan",
            "--country",
            "Kenya",
            "--sort",
            "date",
        ],
    );
    assert_eq!(ids(&output), [japan(), kenya()]);
}

#[test]
fn filters_of_different_kinds_combine_with_and() {
    let fixture = indexed();
    let output = fixture.run(&["search", "--json", "trade", "--country", "Japan"]);
    assert_eq!(output.status.code(), Some(1));
    let parsed: SearchOutput = parse(&String::from_utf8_lossy(&output.stdout));
    assert_eq!((parsed.total, parsed.hits.len()), (0, 0));
}

#[test]
fn unknown_country_suggests_the_nearest() {
    let fixture = indexed();
    let output = fixture.run(&["search", "trade", "--country", "Inida"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown country `Inida`; did you mean India (IN)"),
        "{stderr}"
    );
    assert!(stderr.contains("--country"), "{stderr}");
}

#[test]
fn date_filters_and_date_sort() {
    let fixture = indexed();
    let output = search(&fixture, &["*", "--sort", "date"]);
    assert_eq!(
        ids(&output),
        ["w2".to_string(), "w1".into(), japan(), "w3".into(), kenya()]
    );
    let output = search(&fixture, &["*", "--since", "2024-03", "--sort", "date"]);
    assert_eq!(ids(&output), ["w2", "w1"]);
    let output = search(&fixture, &["*", "--until", "2024-02", "--sort", "date"]);
    assert_eq!(ids(&output), [japan(), "w3".into()]);
    let output = search(
        &fixture,
        &["*", "--since", "2024-02-01", "--until", "2024-03-05"],
    );
    assert_eq!(output.total, 2);
}

#[test]
fn paging_with_limit_and_offset() {
    let fixture = indexed();
    let output = search(
        &fixture,
        &["*", "--sort", "date", "-n", "2", "--offset", "1"],
    );
    assert_eq!(output.total, 5);
    assert_eq!(ids(&output), ["w1".to_string(), japan()]);
}

#[test]
fn source_filter_ignores_case() {
    let fixture = indexed();
    let output = search(&fixture, &["*", "--source", "wire", "--sort", "date"]);
    assert_eq!(ids(&output), ["w2", "w1"]);
    let output = search(&fixture, &["*", "--source", "MARKETS DAILY"]);
    assert_eq!(ids(&output), ["w3"]);
}

#[test]
fn query_language_fields_and_operators() {
    let fixture = indexed();
    assert_eq!(ids(&search(&fixture, &["title:brazil"])), ["w3"]);
    assert_eq!(ids(&search(&fixture, &["country:indonesia"])), ["w2"]);
    assert_eq!(search(&fixture, &["jakarta OR tokyo"]).total, 2);
    assert_eq!(ids(&search(&fixture, &["\"trade deal\""])), ["w1"]);
    assert_eq!(ids(&search(&fixture, &["rain"])), ["w2"]);
    let excluded: SearchOutput = parse(&fixture.run_ok(&["search", "--json", "rain -jakarta"], 1));
    assert_eq!(excluded.total, 0);
}

#[test]
fn no_hits_exit_with_one() {
    let fixture = indexed();
    let output = fixture.run(&["search", "zeppelin"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "no articles match\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "note: no article contains `zeppelin`\n"
    );
}

#[test]
fn syntax_errors_give_their_position() {
    let fixture = indexed();
    let output = fixture.run(&["search", "trade AND (india"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: invalid query at position"),
        "{stderr}"
    );
    assert!(stderr.contains("trade AND (india"), "{stderr}");
    let output = fixture.run(&["search", "nosuch:value"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("invalid query at position 0") && stderr.contains("nosuch"),
        "{stderr}"
    );
}

#[test]
fn human_output_lists_rank_title_meta_and_snippet() {
    let fixture = indexed();
    let stdout = fixture.run_ok(&["search", "trade"], 0);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "  1. India and France sign trade deal");
    assert!(
        lines[1].starts_with("     2024-03-05 · Wire · wire/2024.jsonl · "),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains("[trade]"), "{}", lines[2]);
    assert_eq!(lines[3], "     id w1");
    assert_eq!(lines.last(), Some(&"1-1 of 1 article"));
}

#[test]
fn search_without_an_index_builds_it_first() {
    let fixture = Fixture::standard();
    let output = fixture.run(&["search", "--json", "jakarta"]);
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("note: no index in index; building it from corpus first\n"),
        "{stderr}"
    );
    let parsed: SearchOutput = parse(&String::from_utf8_lossy(&output.stdout));
    assert_eq!(ids(&parsed), ["w2"]);
}

#[test]
fn a_missing_index_named_elsewhere_is_reported_not_built_from_the_sample_corpus() {
    let fixture = Fixture::standard();
    let output = fixture.run(&["search", "jakarta", "--index", "elsewhere"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: no index in elsewhere (run `newsdex index` first)\n"
    );
    assert!(output.stdout.is_empty());
    assert!(!fixture.root().join("elsewhere").exists());
    assert!(!fixture.root().join("index").exists());
}

#[test]
fn facet_counts_cover_the_whole_result_set() {
    let fixture = indexed();
    let output = search(&fixture, &["*", "--facets", "-n", "1"]);
    assert_eq!(output.hits.len(), 1);
    let facets = output.facets.expect("facets");
    let india = facets
        .country
        .iter()
        .find(|b| b.value == "IN")
        .expect("IN counted");
    assert_eq!(
        india,
        &Bucket {
            value: "IN".into(),
            name: Some("India".into()),
            count: 1
        }
    );
    let total: u64 = facets.country.iter().map(|b| b.count).sum();
    assert!(total >= 6, "{:?}", facets.country);
    assert!(facets.person.iter().all(|b| b.name.is_none()));
    assert!(!facets.topic.is_empty());
}

#[test]
fn facets_by_year_and_month_include_empty_periods() {
    let fixture = indexed();
    let years: FacetsOutput = parse(&fixture.run_ok(&["facets", "--by", "year", "--json"], 0));
    assert_eq!(
        (years.by.as_str(), years.query.as_deref(), years.total),
        ("year", None, 5)
    );
    assert_eq!(
        years.buckets,
        vec![
            Bucket {
                value: "2023".into(),
                name: None,
                count: 1
            },
            Bucket {
                value: "2024".into(),
                name: None,
                count: 3
            },
        ]
    );
    let months: FacetsOutput =
        parse(&fixture.run_ok(&["facets", "--by", "month", "--json", "--since", "2024"], 0));
    let got: Vec<(&str, u64)> = months
        .buckets
        .iter()
        .map(|b| (b.value.as_str(), b.count))
        .collect();
    assert_eq!(got, [("2024-02", 1), ("2024-03", 1), ("2024-04", 1)]);
    let months: FacetsOutput = parse(&fixture.run_ok(&["facets", "--by", "month", "--json"], 0));
    assert_eq!(months.buckets.len(), 6);
    assert_eq!(
        months.buckets[1],
        Bucket {
            value: "2023-12".into(),
            name: None,
            count: 0
        }
    );
}

#[test]
fn facets_by_source_with_a_query() {
    let fixture = indexed();
    let out: FacetsOutput =
        parse(&fixture.run_ok(&["facets", "--by", "source", "--json", "bank OR rain"], 0));
    assert_eq!(out.query.as_deref(), Some("bank OR rain"));
    assert_eq!(out.total, 2);
    assert_eq!(
        out.buckets,
        vec![
            Bucket {
                value: "Markets Daily".into(),
                name: None,
                count: 1
            },
            Bucket {
                value: "Wire".into(),
                name: None,
                count: 1
            },
        ]
    );
    let table = fixture.run_ok(&["facets", "--by", "source"], 0);
    assert_eq!(
        table.lines().next(),
        Some("Wire           2  ████████████████████████████████████████")
    );
}

#[test]
fn show_prints_one_article() {
    let fixture = indexed();
    let stdout = fixture.run_ok(&["show", "w3", "--json"], 0);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["title"], "Brazil central bank holds rates");
    assert_eq!(value["source"], "Markets Daily");
    assert!(
        value["body"]
            .as_str()
            .unwrap()
            .starts_with("Brazil's central bank kept")
    );
    let output = fixture.run(&["show", "nope"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: no article with id `nope` in index\n"
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let fixture = Fixture::new();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    fixture.run_ok(&["index", "-q", corpus.to_str().unwrap()], 0);
    let cases: [&[&str]; 2] = [
        &["search", "*", "--json", "-n", "300"],
        &["search", "*", "-n", "300"],
    ];
    for args in cases {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("newsdex"))
            .current_dir(fixture.root())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 16];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{args:?}");
    }
}

#[test]
fn zero_hits_asked_gives_the_count_and_facets_only() {
    let fixture = indexed();
    let output = search(&fixture, &["*", "-n", "0", "--facets"]);
    assert_eq!((output.total, output.hits.len()), (5, 0));
    let facets = output.facets.expect("facets");
    let countries: Vec<(&str, u64)> = facets
        .country
        .iter()
        .map(|b| (b.value.as_str(), b.count))
        .collect();
    assert_eq!(
        countries,
        [
            ("BR", 1),
            ("FR", 1),
            ("ID", 1),
            ("IN", 1),
            ("JP", 1),
            ("KE", 1)
        ]
    );
}
