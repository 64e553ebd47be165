//! Facet counts checked against counts computed independently from `extract --json` over the
//! shipped corpus; alias forms of filters; co-occurrence; similar articles; recency.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::util::{Extracted, FacetsOutput, Fixture, SearchOutput, ids, parse};

fn shipped_corpus() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .display()
        .to_string()
}

/// A fixture whose index holds the shipped corpus, and that corpus's extracted articles.
fn shipped() -> (Fixture, Vec<Extracted>) {
    let fixture = Fixture::new();
    let corpus = shipped_corpus();
    fixture.run_ok(&["index", "-q", &corpus], 0);
    let stdout = fixture.run_ok(&["extract", "--json", &corpus], 0);
    let articles = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (fixture, articles)
}

fn values(article: &Extracted, by: &str) -> BTreeSet<String> {
    match by {
        "country" => article.countries.iter().map(|c| c.code.clone()).collect(),
        "person" => article.people.iter().cloned().collect(),
        _ => article
            .topics
            .iter()
            .flat_map(|t| {
                let parts: Vec<&str> = t.split('/').collect();
                (1..=parts.len()).map(move |n| parts[..n].join("/"))
            })
            .collect(),
    }
}

fn expected<'a>(articles: impl Iterator<Item = &'a Extracted>, by: &str) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for article in articles {
        for value in values(article, by) {
            *counts.entry(value).or_default() += 1;
        }
    }
    counts
}

fn counted(fixture: &Fixture, args: &[&str]) -> (u64, BTreeMap<String, u64>) {
    let mut all = vec!["facets", "--json", "--top", "100000"];
    all.extend_from_slice(args);
    let output: FacetsOutput = parse(&fixture.run_ok(&all, 0));
    (
        output.total,
        output
            .buckets
            .into_iter()
            .map(|b| (b.value, b.count))
            .collect(),
    )
}

#[test]
fn facet_counts_equal_counts_from_extract() {
    let (fixture, articles) = shipped();
    assert_eq!(articles.len(), 294);
    for by in ["country", "person", "topic"] {
        let (total, counts) = counted(&fixture, &["--by", by]);
        assert_eq!(total, 294);
        assert_eq!(counts, expected(articles.iter(), by), "--by {by}");
        assert!(!counts.is_empty());

        let about_india = articles
            .iter()
            .filter(|a| a.countries.iter().any(|c| c.code == "IN"));
        let (total, counts) = counted(&fixture, &["--by", by, "--country", "India"]);
        assert_eq!(
            counts,
            expected(about_india.clone(), by),
            "--by {by} --country India"
        );
        assert_eq!(total, about_india.count() as u64);

        let search: SearchOutput =
            parse(&fixture.run_ok(&["search", "--json", "-n", "1000", "election OR vote"], 0));
        let matching: BTreeSet<&str> = ids(&search).into_iter().collect();
        let (total, counts) = counted(&fixture, &["--by", by, "election OR vote"]);
        assert_eq!(total, search.total);
        let subset = articles.iter().filter(|a| matching.contains(a.id.as_str()));
        assert_eq!(
            counts,
            expected(subset, by),
            "--by {by} \"election OR vote\""
        );
    }
}

#[test]
fn country_alias_forms_give_identical_results() {
    let (fixture, _) = shipped();
    let reference: SearchOutput = parse(&fixture.run_ok(
        &["search", "--json", "-n", "500", "*", "--country", "US"],
        0,
    ));
    assert!(reference.total > 100, "{}", reference.total);
    for alias in ["U.S.", "USA", "United States", "america", "American", "us"] {
        let output: SearchOutput = parse(&fixture.run_ok(
            &["search", "--json", "-n", "500", "*", "--country", alias],
            0,
        ));
        assert_eq!(ids(&output), ids(&reference), "--country {alias}");
    }
}

#[test]
fn person_filter_takes_a_full_name_or_a_surname() {
    let (fixture, articles) = shipped();
    let with_biden = articles
        .iter()
        .filter(|a| a.people.iter().any(|p| p.ends_with("Biden")));
    let expected = with_biden.count() as u64;
    let full: SearchOutput =
        parse(&fixture.run_ok(&["search", "--json", "*", "--person", "Joe Biden"], 0));
    let surname: SearchOutput =
        parse(&fixture.run_ok(&["search", "--json", "*", "--person", "biden"], 0));
    assert_eq!((full.total, surname.total), (expected, expected));
}

#[test]
fn topic_filter_includes_subtopics() {
    let (fixture, articles) = shipped();
    let politics = articles
        .iter()
        .filter(|a| a.topics.iter().any(|t| t.starts_with("politics")));
    let output: SearchOutput =
        parse(&fixture.run_ok(&["search", "--json", "*", "--topic", "politics"], 0));
    assert_eq!(output.total, politics.count() as u64);
    let elections = articles
        .iter()
        .filter(|a| a.topics.iter().any(|t| t == "politics/elections"));
    let output: SearchOutput = parse(&fixture.run_ok(
        &["search", "--json", "*", "--topic", "politics/elections"],
        0,
    ));
    assert_eq!(output.total, elections.count() as u64);
}

#[test]
fn co_occurrence_counts_people_within_a_country() {
    let (fixture, articles) = shipped();
    // `-n`/`--limit` as `search` spells it, and `--top`, its alias.
    let outputs: Vec<BTreeMap<String, u64>> = ["-n", "--limit", "--top"]
        .into_iter()
        .map(|flag| {
            let args = [
                "facets",
                "--json",
                "--by",
                "person",
                "--country",
                "US",
                flag,
                "5",
            ];
            let output: FacetsOutput = parse(&fixture.run_ok(&args, 0));
            output
                .buckets
                .into_iter()
                .map(|b| (b.value, b.count))
                .collect()
        })
        .collect();

    let mut expected: Vec<(String, u64)> = expected(
        articles
            .iter()
            .filter(|a| a.countries.iter().any(|c| c.code == "US")),
        "person",
    )
    .into_iter()
    .collect();
    expected.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let top5: BTreeMap<String, u64> = expected.into_iter().take(5).collect();
    for counts in outputs {
        assert_eq!(counts, top5);
    }
}

#[test]
fn weeks_and_days_list_empty_periods() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    let weeks: FacetsOutput = parse(&fixture.run_ok(
        &["facets", "--by", "week", "--json", "--since", "2024-03"],
        0,
    ));
    let got: Vec<(&str, u64)> = weeks
        .buckets
        .iter()
        .map(|b| (b.value.as_str(), b.count))
        .collect();
    assert_eq!(got.first(), Some(&("2024-W10", 1)));
    assert_eq!(got.last(), Some(&("2024-W15", 1)));
    assert_eq!(got.len(), 6);
    assert!(got[1..5].iter().all(|(_, count)| *count == 0));
    let days: FacetsOutput = parse(&fixture.run_ok(
        &["facets", "--by", "day", "--json", "--since", "2024-04"],
        0,
    ));
    assert_eq!(days.buckets.len(), 1);
    assert_eq!(days.buckets[0].value, "2024-04-10");
}

#[test]
fn recent_orders_equal_scores_newest_first() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    let recent: SearchOutput = parse(&fixture.run_ok(&["search", "--json", "*", "--recent"], 0));
    let by_date: SearchOutput =
        parse(&fixture.run_ok(&["search", "--json", "*", "--sort", "date"], 0));
    assert_eq!(ids(&recent), ids(&by_date));
    let output = fixture.run(&["search", "*", "--recent", "--sort", "date"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn similar_articles_survive_unmerged_deletes() {
    let fixture = Fixture::standard();
    fixture.write(
        "wire/more.jsonl",
        concat!(
            r#"{"id":"m1","title":"India and France extend trade talks","body":"Trade ministers from India and France agreed to extend talks on tariffs and wine exports.","date":"2024-05-01"}"#,
            "\n",
            r#"{"id":"m2","title":"Volcano erupts in Iceland","body":"Lava flowed near Grindavik in Iceland as a volcano erupted again.","date":"2024-05-02"}"#,
            "\n"
        ),
    );
    fixture.run_ok(&["index", "-q"], 0);
    // Rewriting a file deletes and re-adds its articles; the deletes stay unmerged.
    fixture.write(
        "wire/more.jsonl",
        concat!(
            r#"{"id":"m1","title":"India and France extend trade talks","body":"Trade ministers from India and France agreed to extend talks on tariffs and wine exports to Europe.","date":"2024-05-01"}"#,
            "\n",
            r#"{"id":"m2","title":"Volcano erupts in Iceland","body":"Lava flowed near Grindavik in Iceland as a volcano erupted once more.","date":"2024-05-02"}"#,
            "\n"
        ),
    );
    fixture.run_ok(&["index", "-q"], 0);
    let output: SearchOutput = parse(&fixture.run_ok(&["similar", "w1", "--json", "-n", "1"], 0));
    assert_eq!(output.query, "w1");
    assert_eq!(ids(&output), ["m1"]);
    let output: SearchOutput = parse(&fixture.run_ok(&["similar", "m1", "--json"], 0));
    assert!(!ids(&output).contains(&"m1"));
    assert_eq!(ids(&output)[0], "w1");
    let missing = fixture.run(&["similar", "nope"]);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&missing.stderr),
        "error: no article with id `nope` in index\n"
    );
}
