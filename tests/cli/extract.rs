//! `newsdex extract` on the shipped seed article and on JSONL records.

use std::path::Path;

use super::util::{Extracted, Fixture, SearchOutput, parse};

fn seed_path() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/seed/us-india-critical-minerals.txt")
        .display()
        .to_string()
}

/// The articles of `extract --json`'s output, one a line.
fn records(stdout: &str) -> Vec<Extracted> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn seed_article_gives_its_title_people_countries_and_topics() {
    let fixture = Fixture::new();
    let stdout = fixture.run_ok(&["extract", "--json", &seed_path()], 0);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1);
    let article: Extracted = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(
        article.title,
        "US, India discuss critical minerals, broader strategic ties in Washington talks"
    );
    assert_eq!(article.path, "us-india-critical-minerals.txt");
    let mut codes: Vec<&str> = article.countries.iter().map(|c| c.code.as_str()).collect();
    codes.sort_unstable();
    assert_eq!(codes, ["IN", "RU", "US"]);
    for person in [
        "Subrahmanyam Jaishankar",
        "Marco Rubio",
        "Scott Bessent",
        "Donald Trump",
        "Narendra Modi",
        "Piyush Goyal",
    ] {
        assert!(
            article.people.iter().any(|p| p == person),
            "{person} in {:?}",
            article.people
        );
    }
    for not_person in [
        "News Desk",
        "Critical Minerals Ministerial",
        "X",
        "Jaishankar",
        "Rubio",
    ] {
        assert!(
            !article.people.iter().any(|p| p == not_person),
            "{not_person}: {:?}",
            article.people
        );
    }
    for topic in ["economy/trade", "politics/diplomacy"] {
        assert!(
            article.topics.iter().any(|t| t == topic),
            "{topic} in {:?}",
            article.topics
        );
    }
}

#[test]
fn a_page_shows_the_byline_and_body_it_read() {
    let fixture = Fixture::new();
    let page = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/wikinews/html/2019-01-05-florida-highway-pileup-fire-kills-five-children-two-truck.html");
    let stdout = fixture.run_ok(&["extract", "--json", &page.display().to_string()], 0);
    let articles = records(&stdout);
    assert_eq!(articles.len(), 1);
    let article = &articles[0];
    assert_eq!(article.byline, None);
    let paragraphs: Vec<&str> = article.body.split("\n\n").collect();
    assert_eq!(paragraphs.len(), 9);
    assert_eq!(
        paragraphs[1],
        "A road accident followed by a fire on a Florida highway near Gainesville on Thursday \
         killed five children in a church bus and two truck drivers. One semi truck and a car \
         broke through the center guardrail before colliding with other vehicles; around 50 \
         gallons of diesel fuel, officials said, spilled and ignited."
    );
    assert!(
        paragraphs[8]
            .ends_with("without specifying if this resource is operating 24/7 as it usually does."),
        "{}",
        paragraphs[8]
    );
}

#[test]
fn jsonl_records_keep_their_ids() {
    let fixture = Fixture::new();
    fixture.write(
        "set.jsonl",
        "{\"id\":\"doc-7\",\"title\":\"Rain in Spain\",\"body\":\"It rained in Madrid.\"}\n{\"id\":12,\"title\":\"Snow\",\"body\":\"Snow fell in Oslo, Norway.\"}\n",
    );
    let stdout = fixture.run_ok(&["extract", "--json", "corpus/set.jsonl"], 0);
    let records = records(&stdout);
    let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["doc-7", "12"]);
    assert_eq!(records[0].countries[0].code, "ES");
    assert_eq!(records[1].countries[0].code, "NO");
}

#[test]
fn records_carry_their_language_and_the_main_topic_confidence() {
    let fixture = Fixture::new();
    fixture.write(
        "set.jsonl",
        concat!(
            "{\"id\":\"a\",\"title\":\"Troops guard pipeline\",\"body\":\"Soldiers and troops ",
            "guarded the oil pipeline as crude prices rose and investors bought shares.\"}\n",
            "{\"id\":\"b\",\"lang\":\"fr-FR\",\"title\":\"Pluie\",\"body\":\"Il pleut.\"}\n",
            "{\"id\":\"c\",\"title\":\"A note\",\"body\":\"We will see you there on the day.\"}\n",
        ),
    );
    let stdout = fixture.run_ok(&["extract", "--json", "corpus/set.jsonl"], 0);
    let records = records(&stdout);
    let seen: Vec<(&str, Option<&str>, f64, Option<&str>)> = records
        .iter()
        .map(|r| {
            (
                r.id.as_str(),
                r.lang.as_deref(),
                r.topic_confidence,
                r.topics.first().map(String::as_str),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("a", Some("en"), 0.732, Some("economy/energy")),
            ("b", Some("fr"), 0.0, None),
            ("c", Some("en"), 0.06, None),
        ]
    );
    // The index keeps the confidence: search hits carry what extraction found.
    fixture.run_ok(&["index", "-q"], 0);
    let found: SearchOutput = parse(&fixture.run_ok(&["search", "*", "--json"], 0));
    let mut kept: Vec<(&str, f64)> = found
        .hits
        .iter()
        .map(|hit| (hit.id.as_str(), hit.topic_confidence))
        .collect();
    kept.sort_by(|x, y| x.0.cmp(y.0));
    assert_eq!(kept, [("a", 0.732), ("b", 0.0), ("c", 0.06)]);
    let shown = fixture.run_ok(&["show", "a"], 0);
    assert!(
        shown.contains(
            "\n    topics  economy/energy, conflict/war, economy/markets (confidence 0.73)\n"
        ),
        "{shown}"
    );
}

#[test]
fn missing_paths_are_reported_and_the_rest_extracted() {
    let fixture = Fixture::standard();
    let output = fixture.run(&["extract", "--json", "nowhere.txt", "corpus/scraped"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: nowhere.txt: no such file or folder\n"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 1);
    let article: Extracted = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(article.path, "kenya.txt");
    assert_eq!(article.title, "Kenya marathon runners dominate Berlin race");
}

#[test]
fn extra_gazetteers_add_people_aliases_and_topic_terms() {
    let fixture = Fixture::new();
    fixture.write(
        "story.txt",
        "Ruritania holds snap vote\n\nOfficials in Ruritania met Zq Xv on Monday to discuss the zorbium shortage.\n",
    );
    let gazetteer = fixture.root().join("gazetteer");
    std::fs::create_dir(&gazetteer).unwrap();
    std::fs::write(gazetteer.join("people.txt"), "Zq Xv\n").unwrap();
    std::fs::write(gazetteer.join("countries.tsv"), "Ruritania\tAT\n").unwrap();
    std::fs::write(gazetteer.join("topics.tsv"), "economy/mining\tzorbium\t5\n").unwrap();

    let plain: Extracted = serde_json::from_str(
        fixture
            .run_ok(&["extract", "--json", "corpus/story.txt"], 0)
            .trim(),
    )
    .unwrap();
    assert!(plain.countries.is_empty(), "{:?}", plain.countries);
    assert!(!plain.people.contains(&"Zq Xv".to_string()));

    let args = [
        "extract",
        "--json",
        "--gazetteer",
        "gazetteer",
        "corpus/story.txt",
    ];
    let extended: Extracted = serde_json::from_str(fixture.run_ok(&args, 0).trim()).unwrap();
    assert_eq!(extended.countries[0].code, "AT");
    assert!(
        extended.people.contains(&"Zq Xv".to_string()),
        "{:?}",
        extended.people
    );
    assert!(
        extended.topics.contains(&"economy/mining".to_string()),
        "{:?}",
        extended.topics
    );

    let output = fixture.run(&["index", "--gazetteer", "nowhere"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: gazetteer folder nowhere does not exist (`--gazetteer`)\n"
    );
}
