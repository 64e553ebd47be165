//! Tests of the archive's topic model: its features, its counts and posterior, its file.

use super::*;
use crate::article::{ArticleId, Entities};

fn stored(title: &str, body: &str, path: &str, url: Option<&str>) -> StoredArticle {
    let article = Article {
        id: ArticleId(path.to_string()),
        path: path.to_string(),
        title: title.to_string(),
        subtitle: None,
        byline: None,
        published: None,
        source: Some("Reuters".into()),
        url: url.map(str::to_string),
        lang: Some("en".into()),
        body: body.to_string(),
        place: crate::article::Place::File,
    };
    let entities = Entities {
        people: vec!["Wenger".into()],
        orgs: vec!["Arsenal FC".into()],
        ..Entities::default()
    };
    StoredArticle::new(article, entities)
}

#[test]
fn features_are_words_names_source_and_sections_each_once() {
    let article = stored(
        "Gunners win again",
        "The Gunners won at home, and won again: a gunner's business, no crisis, no virus.",
        "feeds/sport-2004/0042.txt",
        Some("https://news.example.com/football/gunners-win-again-in-the-cup-12345"),
    );
    assert_eq!(
        features(&article, &Names::default()),
        [
            "/feeds",
            "/football",
            "/news",
            "/sport",
            "@arsenal fc",
            "@wenger",
            "^reuters",
            "business",
            "crisis",
            "gunner",
            "home",
            "virus",
            "win",
            "won",
        ]
    );
}

#[test]
fn a_long_slug_and_a_number_are_not_sections() {
    let mut out = Vec::new();
    let article = stored(
        "",
        "",
        "2004/05/a.txt",
        Some("http://example.com/a-b-c-d/77"),
    );
    sections(&article.article, &mut out);
    assert_eq!(out, ["/a"]);
}

fn model(rows: &[(&str, &[&str], u32)]) -> Model {
    let mut model = Model::new();
    for &(top, features, times) in rows {
        let features: Vec<String> = features.iter().map(|f| f.to_string()).collect();
        for _ in 0..times {
            model.add(top, &features);
        }
    }
    model.finish();
    model
}

#[test]
fn the_archive_vocabulary_decides_between_the_top_levels_it_has_learned() {
    let model = model(&[
        ("sport", &["gunners", "match"], 20),
        ("economy", &["zentrix", "shares"], 20),
        ("economy", &["zentrix", "match"], 1),
    ]);
    let posterior = model.posterior(&["gunners".into(), "unknown".into()]);
    assert_eq!(posterior.len(), 2);
    let sport = posterior
        .iter()
        .find(|(top, _)| *top == "sport")
        .expect("sport")
        .1;
    assert_eq!((sport * 1000.0).round(), 977.0);
    assert!(model.posterior(&["unknown".into()]).is_empty());
    assert_eq!(
        model.trained(),
        BTreeMap::from([("economy".into(), 21), ("sport".into(), 20)])
    );
    assert_eq!(model.kept_counts()["match"], "economy:1 sport:20");
}

#[test]
fn a_model_of_one_top_level_or_of_too_few_articles_says_nothing() {
    let one = model(&[("sport", &["gunners"], 40)]);
    assert!(one.posterior(&["gunners".into()]).is_empty());
    let few = model(&[("sport", &["gunners"], 19), ("economy", &["zentrix"], 40)]);
    assert!(few.posterior(&["gunners".into()]).is_empty());
    let unknown = model(&[("no-such-topic", &["gunners"], 40)]);
    assert!(unknown.trained().is_empty());
}

#[test]
fn the_kept_file_reads_back_and_another_version_is_learned_again() {
    let file = TopicsFile {
        version: TOPICS_VERSION,
        report: TopicsReport {
            decided: 3,
            ..TopicsReport::default()
        },
        counts: BTreeMap::from([("gunners".into(), "sport:20".into())]),
    };
    assert_eq!(from_json(&to_json(&file)), Ok(Some(file)));
    let other = br#"{"version": 999, "report": {"trained": {}, "decided": 0, "reassigned": 0,
        "abstained": 0, "rewritten": 0}, "counts": {}}"#;
    assert_eq!(from_json(other), Ok(None));
    let error = from_json(b"{\"version\": 1").expect_err("truncated");
    assert!(error.contains("EOF"), "{error}");
}

#[test]
fn a_damaged_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join(TOPICS_FILE), "not json").expect("write");
    let error = load(dir.path()).expect_err("damaged").to_string();
    assert!(error.starts_with(&format!("{}", dir.path().join(TOPICS_FILE).display())));
    assert_eq!(
        load(tempfile::tempdir().expect("dir").path()).ok(),
        Some(None)
    );
}

#[test]
fn an_unsure_article_is_decided_by_what_the_archive_learned() {
    let enricher = Enricher::new();
    let model = model(&[
        ("sport", &["gunner", "emirate"], 20),
        ("economy", &["zentrix", "share"], 20),
    ]);
    let short = stored(
        "Gunners edge out Emirates rivals",
        "The Gunners did it again on Saturday.",
        "short.txt",
        None,
    );
    let words = features(&short, &Names::default());
    assert_eq!(
        decide(&model, &enricher, &short.article, &words),
        Some(Decision {
            extracted: vec![],
            topics: vec!["sport".to_string()]
        })
    );
    let nothing = Model::new();
    assert_eq!(
        decide(&nothing, &enricher, &short.article, &words),
        Some(Decision {
            extracted: vec![],
            topics: vec![]
        })
    );
    let mut french = short.article.clone();
    french.lang = Some("fr".into());
    assert_eq!(decide(&model, &enricher, &french, &words), None);
}
