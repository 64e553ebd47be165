//! Tests of the whole enricher: the seed article, gazetteer extension and odd input.

use std::fs;

use super::*;
use crate::article::{Article, CountryCode};

fn seed_article() -> Article {
    Article {
        title: "US, India discuss critical minerals, broader strategic ties in Washington talks"
            .to_string(),
        subtitle: Some(
            "S. Jaishankar meets Marco Rubio in Washington to advance bilateral cooperation and \
             shared interests"
                .to_string(),
        ),
        byline: Some("News Desk".to_string()),
        body: include_str!("testdata/seed.txt").to_string(),
        ..Article::default()
    }
}

fn article(title: &str, body: &str) -> Article {
    Article {
        title: title.to_string(),
        body: body.to_string(),
        ..Article::default()
    }
}

fn codes(entities: &Entities) -> Vec<&str> {
    entities.countries.iter().map(CountryCode::as_str).collect()
}

#[test]
fn seed_article_countries_are_india_us_and_russia() {
    let entities = Enricher::new().enrich(&seed_article());
    let found = codes(&entities);
    let mut sorted = found.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["IN", "RU", "US"]);
    assert!(matches!(found[0], "IN" | "US"), "{found:?}");
}

#[test]
fn seed_article_people_are_canonical_full_names() {
    let entities = Enricher::new().enrich(&seed_article());
    for name in [
        "Subrahmanyam Jaishankar",
        "Marco Rubio",
        "Scott Bessent",
        "Donald Trump",
        "Narendra Modi",
        "Piyush Goyal",
    ] {
        assert!(
            entities.people.contains(&name.to_string()),
            "{name}: {:?}",
            entities.people
        );
    }
    for wrong in [
        "News Desk",
        "Critical Minerals Ministerial",
        "X",
        "Reuters",
        "Washington",
    ] {
        assert!(
            !entities
                .people
                .iter()
                .any(|p| p.contains(wrong) && p.len() <= wrong.len() + 1)
        );
    }
    assert_eq!(entities.people.len(), 6, "{:?}", entities.people);
    assert_eq!(entities.people[0], "Subrahmanyam Jaishankar");
}

#[test]
fn seed_article_topics_include_trade_and_diplomacy() {
    let entities = Enricher::new().enrich(&seed_article());
    for topic in [
        "economy/trade",
        "politics/diplomacy",
        "economy/mining",
        "economy/energy",
    ] {
        assert!(
            entities.topics.contains(&topic.to_string()),
            "{topic}: {:?}",
            entities.topics
        );
    }
    assert!(
        entities.topics[0].starts_with("economy/"),
        "{:?}",
        entities.topics
    );
    // Subtopics stand for their parents, which are not repeated.
    for parent in ["economy", "politics"] {
        assert!(
            !entities.topics.contains(&parent.to_string()),
            "{parent}: {:?}",
            entities.topics
        );
    }
}

#[test]
fn empty_and_odd_input_does_not_panic() {
    let enricher = Enricher::new();
    assert_eq!(enricher.enrich(&Article::default()), Entities::default());
    for body in [
        "’s",
        "S.",
        "Mr.",
        "A. B. C.",
        "\u{0301}é\u{200d}",
        "🇮🇳 India",
        "al-",
        "'s 's",
    ] {
        let entities = enricher.enrich(&article(body, body));
        assert!(entities.topics.len() <= 1 || !body.is_empty());
    }
    // No term evidence, no topic: the word model's two words leave the confidence far below
    // the threshold, and the article is left without a topic rather than given a guess.
    let entities = enricher.enrich(&article("", "Nothing to see."));
    assert_eq!(entities.topics, Vec::<String>::new());
    assert_eq!((entities.topic_confidence * 1000.0).round(), 40.0);
}

#[test]
fn the_language_is_filled_in_and_decides_what_is_looked_for() {
    let enricher = Enricher::new();
    let mut english = article(
        "Minister Sarah Jones visits Paris",
        "Foreign Minister Sarah Jones said on Monday that the trade talks with France would \
         resume, after the tariffs and duties on steel imports were cut.",
    );
    let entities = enricher.enrich_article(&mut english);
    assert_eq!(english.lang.as_deref(), Some("en"));
    assert_eq!(entities.people, ["Sarah Jones"]);
    assert_eq!(codes(&entities), ["FR"]);
    // Trade talks on tariffs and duties: trade first, the minister's diplomacy with it.
    assert_eq!(
        entities.topics.first().map(String::as_str),
        Some("economy/trade")
    );
    assert!(entities.topics.contains(&"politics/diplomacy".to_string()));
    assert!(
        entities.topic_confidence > 0.15 && entities.topic_confidence < 1.0,
        "{}",
        entities.topic_confidence
    );

    let mut french = article(
        "La ministre Sarah Jones en visite en France",
        "La ministre des Affaires étrangères Sarah Jones a déclaré lundi que les négociations \
         commerciales avec la France reprendraient après la baisse des droits de douane.",
    );
    let entities = enricher.enrich_article(&mut french);
    assert_eq!(french.lang.as_deref(), Some("fr"));
    assert_eq!(codes(&entities), ["FR"]);
    assert_eq!(entities.people, Vec::<String>::new());
    assert_eq!(entities.topics, Vec::<String>::new());

    // The record's own code wins, normalised; it is left as the record gave it.
    let mut tagged = english.clone();
    tagged.lang = Some("de-DE".to_string());
    let entities = enricher.enrich_article(&mut tagged);
    assert_eq!(tagged.lang.as_deref(), Some("de-DE"));
    assert_eq!(entities.people, Vec::<String>::new());
    assert_eq!(codes(&entities), ["FR"]);
}

#[test]
fn enricher_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Enricher>();
}

#[test]
fn extra_gazetteers_add_people_aliases_and_terms() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join(EXTRA_PEOPLE_FILE),
        "# people\nZorblax Quintavo\n",
    )
    .unwrap();
    fs::write(dir.path().join(EXTRA_COUNTRIES_FILE), "Hindustan\tIN\n").unwrap();
    fs::write(
        dir.path().join(EXTRA_TOPICS_FILE),
        "science/space\tmoonbase\t3\n",
    )
    .unwrap();
    let enricher = Enricher::with_extra(dir.path()).unwrap();
    let entities = enricher.enrich(&article(
        "Moonbase plans",
        "Zorblax Quintavo unveiled a moonbase design in Hindustan. The moonbase is big.",
    ));
    assert_eq!(entities.people, ["Zorblax Quintavo"]);
    assert_eq!(codes(&entities), ["IN"]);
    assert_eq!(entities.topics[0], "science/space");
}

#[test]
fn extra_gazetteer_errors_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join(EXTRA_COUNTRIES_FILE),
        "# c\nHindustan\tIN\nAtlantis\tQQ\n",
    )
    .unwrap();
    let error = Enricher::with_extra(dir.path()).unwrap_err();
    let file = dir.path().join(EXTRA_COUNTRIES_FILE);
    assert_eq!(
        error.to_string(),
        format!("{}:3: unknown country code `QQ`", file.display())
    );
    fs::write(dir.path().join(EXTRA_COUNTRIES_FILE), "").unwrap();
    fs::write(
        dir.path().join(EXTRA_TOPICS_FILE),
        "economy/nowhere\tx\t1\n",
    )
    .unwrap();
    let error = Enricher::with_extra(dir.path()).unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with(":1: unknown topic `economy/nowhere`"),
        "{error}"
    );
    let missing = Enricher::with_extra(&dir.path().join("missing")).unwrap_err();
    assert!(
        missing.to_string().starts_with("cannot read gazetteer"),
        "{missing}"
    );
}

#[test]
fn every_rule_source_and_data_file_is_fingerprinted() {
    // A source file of the extractors, or a data file, left out of the fingerprint would let
    // an index keep entities that this version no longer extracts.
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/enrich");
    let mut missing = Vec::new();
    for sub in ["", "data"] {
        for entry in fs::read_dir(folder.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let is_test = name == "tests.rs" || name.ends_with("_tests.rs");
            let is_rule = sub.is_empty() && name.ends_with(".rs") && !is_test;
            // `given_names_extra.txt` is not compiled in: `scripts/build_names.mjs` merges it
            // into `given_names.txt`.
            let is_data = !sub.is_empty()
                && (name.ends_with(".tsv") || name.ends_with(".txt"))
                && name != "given_names_extra.txt";
            if !is_rule && !is_data {
                continue;
            }
            let text = fs::read_to_string(&path).unwrap();
            if !COMPILED_DATA.iter().chain(RULES).any(|part| *part == text) {
                missing.push(name);
            }
        }
    }
    assert_eq!(missing, Vec::<String>::new());
}

#[test]
fn any_change_of_data_rules_or_gazetteer_changes_the_fingerprint() {
    let base = extraction_fingerprint(None).unwrap();
    assert_eq!(base, extraction_fingerprint(None).unwrap());
    assert!(
        base.starts_with(concat!(env!("CARGO_PKG_VERSION"), "-")),
        "{base}"
    );
    let parts: Vec<&str> = COMPILED_DATA.iter().chain(RULES).copied().collect();
    assert_eq!(parts.len(), 25);
    assert_eq!(fingerprint_of(parts.iter(), None).unwrap(), base);
    // Editing any one table or rule source, even by a byte, gives another fingerprint.
    for changed in 0..parts.len() {
        let edited = format!("{} ", parts[changed]);
        let mut variant = parts.clone();
        variant[changed] = &edited;
        assert_ne!(
            fingerprint_of(variant.iter(), None).unwrap(),
            base,
            "part {changed}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let empty = extraction_fingerprint(Some(dir.path())).unwrap();
    fs::write(dir.path().join(EXTRA_TOPICS_FILE), "economy\tzorbium\t5\n").unwrap();
    assert_ne!(extraction_fingerprint(Some(dir.path())).unwrap(), empty);
}

#[test]
fn org_fragments_are_lone_non_names_or_leading_or_of_words_without_a_given_name() {
    let given = |word: &str| word == "Berti";
    let fragment = |person, org| is_org_fragment(person, org, &given);
    assert!(fragment("Electric", "General Electric"));
    assert!(fragment("Accounting", "General Accounting Office"));
    assert!(fragment("Shearson Lehman", "Shearson Lehman Brothers"));
    assert!(fragment("Raymond James", "Raymond James Financial"));
    assert!(fragment(
        "California Davis",
        "University of California Davis"
    ));
    // The last words count only right after `of`, and not from a given name.
    assert!(!fragment(
        "Constand Viljoen",
        "Freedom Front of General Constand Viljoen"
    ));
    assert!(!fragment("Berti Vogts", "Friends of Berti Vogts"));
    // A full name inside a longer name stays a person; so does one as long as the name.
    assert!(!fragment("Berti Vogts", "Trainer Berti Vogts"));
    assert!(!fragment("Berti Vogts", "Berti Vogts Foundation"));
    assert!(!fragment("Berti", "Trainer Berti Vogts"));
    assert!(!fragment("General Electric", "General Electric"));
    // Words, not letters: `Shear` opens `Shearson Lehman` only as text.
    assert!(!fragment("Shear", "Shearson Lehman"));
    assert!(!fragment("Shearson Leh", "Shearson Lehman Brothers"));
}
