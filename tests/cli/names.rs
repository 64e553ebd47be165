//! People resolved across the archive: one person under one name, whichever form an article
//! used, in facets, filters, articles and `extract`, and kept current by each run.

use std::collections::BTreeMap;

use super::util::{EntityOut, Extracted, FacetsOutput, Fixture, SearchOutput, parse};

fn reagan_archive() -> Fixture {
    let fixture = Fixture::new();
    let articles = [
        (
            "a1.txt",
            "Reagan meets allies on trade",
            "President Ronald Reagan said on Monday that the United States would press Japan on trade. Ronald Reagan spoke at the White House.",
        ),
        (
            "a2.txt",
            "Reagan signs the budget",
            "President Reagan signed the budget bill on Tuesday, aides said. Reagan said the deficit would fall.",
        ),
        (
            "a3.txt",
            "Nancy Reagan visits a school",
            "First lady Nancy Reagan visited a school in Chicago on Wednesday. Nancy Reagan said drugs were a danger.",
        ),
        (
            "a4.txt",
            "Congress debates the tax plan",
            "Ronald Reagan urged Congress on Thursday to pass the tax plan. Senator Bob Dole said he would vote for it.",
        ),
        (
            "a6.txt",
            "Summit planned for spring",
            "Ronald Reagan will meet Mikhail Gorbachev in the spring, officials said on Saturday.",
        ),
    ];
    for (file, title, body) in articles {
        fixture.write(file, format!("{title}\n\n{body}\n"));
    }
    fixture
}

fn person_counts(fixture: &Fixture) -> BTreeMap<String, u64> {
    let output: FacetsOutput = parse(&fixture.run_ok(&["facets", "--by", "person", "--json"], 0));
    output
        .buckets
        .into_iter()
        .map(|b| (b.value, b.count))
        .collect()
}

fn paths(fixture: &Fixture, args: &[&str]) -> Vec<String> {
    let mut all = vec!["search", "*", "--json", "--sort", "date"];
    all.extend_from_slice(args);
    let output: SearchOutput = parse(&fixture.run_ok(&all, 0));
    let mut paths: Vec<String> = output.hits.into_iter().map(|h| h.path).collect();
    paths.sort();
    paths
}

#[test]
fn a_bare_surname_is_counted_filtered_and_shown_as_the_person_the_archive_knows() {
    let fixture = reagan_archive();
    let stderr = fixture.run_ok(&["index"], 0);
    assert!(stderr.is_empty());
    let counts = person_counts(&fixture);
    assert_eq!(
        counts,
        BTreeMap::from([
            ("Bob Dole".to_string(), 1),
            ("Mikhail Gorbachev".to_string(), 1),
            ("Nancy Reagan".to_string(), 1),
            ("Ronald Reagan".to_string(), 4),
        ])
    );
    // Any form finds the entity, and only it: Nancy Reagan is another person.
    let ronald = ["a1.txt", "a2.txt", "a4.txt", "a6.txt"];
    assert_eq!(paths(&fixture, &["--person", "Reagan"]), ronald);
    assert_eq!(paths(&fixture, &["--person", "ronald reagan"]), ronald);
    assert_eq!(paths(&fixture, &["--person", "Nancy Reagan"]), ["a3.txt"]);
    // A name the archive has not resolved is read as before: a surname finds every full name.
    assert_eq!(paths(&fixture, &["--person", "Dole"]), ["a4.txt"]);

    let output: SearchOutput = parse(&fixture.run_ok(
        &["search", "budget", "--json", "--person", "Ronald Reagan"],
        0,
    ));
    let hit = &output.hits[0];
    assert_eq!(hit.path, "a2.txt");
    assert_eq!(hit.people, ["Ronald Reagan"]);
    let first = parse::<SearchOutput>(&fixture.run_ok(&["search", "allies", "--json"], 0));
    let id = &first.hits[0].entities[0].id;
    assert_eq!(
        hit.entities,
        [EntityOut {
            kind: "person".into(),
            id: id.clone(),
            name: "Ronald Reagan".into(),
            forms: vec!["Reagan".into()],
        }]
    );
    let shown = fixture.run_ok(&["show", &hit.id], 0);
    assert!(shown.contains("    people  Ronald Reagan\n"), "{shown}");

    // `extract` resolves across what it read the same way; `--per-article` does not.
    let line = |stdout: &str| -> Extracted {
        stdout
            .lines()
            .map(|l| serde_json::from_str::<Extracted>(l).unwrap())
            .find(|e| e.path == "a2.txt")
            .unwrap()
    };
    let resolved = line(&fixture.run_ok(&["extract", "--json", "corpus"], 0));
    assert_eq!(resolved.people, ["Ronald Reagan"]);
    assert_eq!(resolved.entities[0].id, *id);
    let alone = line(&fixture.run_ok(&["extract", "--json", "--per-article", "corpus"], 0));
    assert_eq!(alone.people, ["Reagan"]);
    assert!(alone.entities.is_empty());
}

#[test]
fn a_nightly_run_that_removes_the_evidence_undoes_the_resolution() {
    let fixture = reagan_archive();
    fixture.run_ok(&["index", "-q"], 0);
    assert_eq!(person_counts(&fixture)["Ronald Reagan"], 4);
    std::fs::remove_file(fixture.corpus().join("a4.txt")).unwrap();
    std::fs::remove_file(fixture.corpus().join("a6.txt")).unwrap();
    fixture.run_ok(&["index", "-q"], 0);
    // One article with the full name against one of Nancy Reagan: `Reagan` is no longer
    // clearly either, and stays as written.
    assert_eq!(
        person_counts(&fixture),
        BTreeMap::from([
            ("Nancy Reagan".to_string(), 1),
            ("Reagan".to_string(), 1),
            ("Ronald Reagan".to_string(), 1),
        ])
    );
    assert_eq!(paths(&fixture, &["--person", "Ronald Reagan"]), ["a1.txt"]);
    let output: SearchOutput = parse(&fixture.run_ok(&["search", "*", "--json", "--facets"], 0));
    let facets = output.facets.unwrap();
    assert_eq!(facets.person.len(), 3);
    assert!(facets.org.is_empty());
}
