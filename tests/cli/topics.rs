//! Topics learned from the archive: the articles extraction labels with confidence teach the
//! archive's own names (a club's nickname, a company), which decide the short articles; the
//! stored topics change, so filters and facet counts follow on both backends, and a nightly
//! run that takes the teachers away gives the short articles their extracted topics back.

use serde_json::Value;

use super::opensearch::{cluster, get, index_url};
use super::util::Fixture;

/// 22 match reports of the Gunners and 22 results of Zentrix, each sure of its topic, and four
/// short articles whose words alone say little: `short-gunners.txt` (no topic extracted),
/// `short-zentrix.txt` (politics, unsure) and, in `dump.jsonl` under one id, one of each
/// (no topic extracted).
fn archive() -> Fixture {
    let fixture = Fixture::new();
    let rivals = [
        "Villa",
        "Everton",
        "Spurs",
        "Chelsea",
        "Leeds",
        "Fulham",
        "Wolves",
        "Burnley",
        "Brighton",
        "Newcastle",
        "Southampton",
        "Watford",
        "Norwich",
        "Reading",
        "Derby",
        "Stoke",
        "Hull",
        "Bolton",
        "Wigan",
        "Sunderland",
        "Blackburn",
        "Portsmouth",
    ];
    for (i, rival) in rivals.iter().enumerate() {
        fixture.write(
            &format!("sport-{i:02}.txt"),
            format!(
                "Gunners beat {rival} in the league\n\nThe Gunners beat {rival} 2-1 in a Premier \
                 League match on Saturday. Their striker scored twice and the goalkeeper saved a \
                 penalty before the final whistle at the Emirates.\n"
            ),
        );
    }
    for i in 0..22 {
        let quarter = ["first", "second", "third", "fourth"][i % 4];
        fixture.write(
            &format!("econ-{i:02}.txt"),
            format!(
                "Zentrix shares rise after {quarter}-quarter profit {i}\n\nShares of Zentrix \
                 rose {} percent on the stock market after the company reported quarterly \
                 profit and revenue above forecasts. Investors bought the shares as earnings \
                 beat expectations, traders said.\n",
                i + 3
            ),
        );
    }
    fixture.write(
        "short-gunners.txt",
        "Gunners edge out Emirates rivals\n\nThe Gunners did it again on Saturday.\n",
    );
    fixture.write(
        "short-zentrix.txt",
        "Zentrix plans a new beginning\n\nZentrix said on Monday it has a new plan.\n",
    );
    // Two records of one file under one id: each is decided and rewritten on its own.
    fixture.write(
        "dump.jsonl",
        concat!(
            r#"{"id": "same", "title": "Gunners back at the Emirates", "body": "The Gunners were back on Sunday."}"#,
            "\n",
            r#"{"id": "same", "title": "Zentrix looks ahead", "body": "Zentrix told staff on Friday about its plan."}"#,
            "\n"
        ),
    );
    fixture
}

fn json(fixture: &Fixture, args: &[&str]) -> Value {
    let stdout = fixture.run_ok(args, 0);
    serde_json::from_str(&stdout).expect("json")
}

/// Each exported article (`path: title`) with its topics, sorted.
fn topics_by_path(fixture: &Fixture, extra: &[&str]) -> Vec<(String, Value)> {
    let stdout = fixture.run_ok(&[&["export"][..], extra].concat(), 0);
    let mut out: Vec<(String, Value)> = stdout
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("json line"))
        .map(|article| {
            let (path, title) = (&article["path"], &article["title"]);
            (
                format!(
                    "{}: {}",
                    path.as_str().expect("path"),
                    title.as_str().expect("title")
                ),
                article["topics"].clone(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn topics_of<'a>(all: &'a [(String, Value)], path: &str) -> &'a Value {
    let found: Vec<&Value> = all
        .iter()
        .filter(|(key, _)| key == path || key.starts_with(&format!("{path}: ")))
        .map(|(_, topics)| topics)
        .collect();
    assert_eq!(found.len(), 1, "{path}");
    found[0]
}

fn total(fixture: &Fixture, args: &[&str]) -> u64 {
    let all = [&["search", "*", "--json"][..], args].concat();
    let output = fixture.run(&all);
    let value: Value = serde_json::from_slice(&output.stdout).expect("json");
    value["total"].as_u64().expect("total")
}

fn topic_counts(fixture: &Fixture, extra: &[&str]) -> Vec<(String, u64)> {
    let args = [&["facets", "--by", "topic", "--json"][..], extra].concat();
    json(fixture, &args)["buckets"]
        .as_array()
        .expect("buckets")
        .iter()
        .map(|b| {
            (
                b["value"].as_str().expect("value").to_string(),
                b["count"].as_u64().expect("count"),
            )
        })
        .collect()
}

#[test]
fn short_articles_get_the_topic_their_archive_teaches_in_filters_facets_and_articles() {
    let fixture = archive();
    let output = fixture.run(&["index", "corpus"]);
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "topics: 4 unsure articles decided with a model of 44 confident ones (4 \
             re-assigned, 0 left without a topic; 4 rewritten)"
        ),
        "{stderr}"
    );
    let all = topics_by_path(&fixture, &[]);
    assert_eq!(all.len(), 48);
    let sport = serde_json::json!(["sport"]);
    let economy = serde_json::json!(["economy"]);
    assert_eq!(topics_of(&all, "short-gunners.txt"), &sport);
    assert_eq!(topics_of(&all, "short-zentrix.txt"), &economy);
    assert_eq!(
        topics_of(&all, "dump.jsonl: Gunners back at the Emirates"),
        &sport
    );
    assert_eq!(topics_of(&all, "dump.jsonl: Zentrix looks ahead"), &economy);
    assert_eq!(total(&fixture, &["--topic", "sport"]), 24);
    assert_eq!(total(&fixture, &["--topic", "economy"]), 24);
    assert_eq!(total(&fixture, &["--topic", "politics"]), 0);
    let counts = topic_counts(&fixture, &[]);
    assert_eq!(counts[..2], [("economy".into(), 24), ("sport".into(), 24)]);
    assert!(!counts.iter().any(|(value, _)| value == "politics"));
    // The extraction's confidence is kept: the article is decided again by every run.
    let stdout = fixture.run_ok(&["search", "title:edge", "--json"], 0);
    let hit = &serde_json::from_str::<Value>(&stdout).expect("json")["hits"][0];
    assert_eq!(hit["path"], "short-gunners.txt");
    assert_eq!(hit["topics"], serde_json::json!(["sport"]));

    // A run that changes nothing keeps the model and rewrites nothing.
    let output = fixture.run(&["index", "corpus"]);
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("topics:"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(topics_by_path(&fixture, &[]), all);
}

#[test]
fn a_nightly_run_that_removes_the_teachers_gives_the_extracted_topics_back() {
    let fixture = archive();
    fixture.run_ok(&["index", "corpus", "-q"], 0);
    for i in 0..22 {
        std::fs::remove_file(fixture.corpus().join(format!("sport-{i:02}.txt"))).expect("rm");
    }
    let output = fixture.run(&["index", "corpus"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // One top level left: the model decides nothing, and each article is as extracted.
    assert!(
        stderr.contains(
            "topics: 4 unsure articles decided with a model of 22 confident ones (0 \
             re-assigned, 3 left without a topic; 4 rewritten)"
        ),
        "{stderr}"
    );
    let all = topics_by_path(&fixture, &[]);
    assert_eq!(all.len(), 26);
    assert_eq!(topics_of(&all, "short-gunners.txt"), &serde_json::json!([]));
    assert_eq!(
        topics_of(&all, "short-zentrix.txt"),
        &serde_json::json!(["politics"])
    );
    assert_eq!(total(&fixture, &["--topic", "sport"]), 0);
    assert_eq!(total(&fixture, &["--topic", "politics"]), 1);
    let model: Value = serde_json::from_slice(
        &std::fs::read(fixture.root().join("index/topics.json")).expect("topics.json"),
    )
    .expect("json");
    assert_eq!(
        model["report"]["trained"],
        serde_json::json!({"economy": 22})
    );
    assert_eq!(model["counts"]["zentrix"], "economy:22");
}

#[test]
fn the_cluster_learns_and_rewrites_the_same_topics_as_the_local_index() {
    let Some(cluster) = cluster() else { return };
    let (url, _cleanup) = index_url(&cluster, "topics");
    let fixture = archive();
    fixture.run_ok(&["index", "corpus", "-q"], 0);
    fixture.run_ok(&["index", "corpus", "-q", "--index", &url], 0);
    let here = topics_by_path(&fixture, &[]);
    let there = topics_by_path(&fixture, &["--index", &url]);
    assert_eq!(here, there);
    assert_eq!(
        topics_of(&there, "short-gunners.txt"),
        &serde_json::json!(["sport"])
    );
    assert_eq!(
        topic_counts(&fixture, &[]),
        topic_counts(&fixture, &["--index", &url])
    );
    for topic in ["sport", "economy", "politics"] {
        assert_eq!(
            total(&fixture, &["--topic", topic]),
            total(&fixture, &["--topic", topic, "--index", &url]),
            "--topic {topic}"
        );
    }
    let name = url.rsplit('/').next().expect("index name");
    let kept = get(&cluster, &format!("/{name}.names/_doc/topics"));
    let file: Value =
        serde_json::from_str(kept["_source"]["file"].as_str().expect("file")).expect("json");
    let local: Value = serde_json::from_slice(
        &std::fs::read(fixture.root().join("index/topics.json")).expect("topics.json"),
    )
    .expect("json");
    assert_eq!(file, local);
}
