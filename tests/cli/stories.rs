//! Stories: the articles about one event grouped together by the index run, given by `show`
//! and `export`, kept current by each later run, and scored on the ECB+ development half.

use std::collections::{BTreeMap, BTreeSet};

use super::util::{Fixture, StoryOut, parse};

/// The development half of the stories set (ECB+, odd topics), with and without its gold.
const DEV_GOLD: &str = "/work/shared/eval/sets/stories-dev.jsonl";
const DEV_INPUT: &str = "/work/shared/eval/sets/input/stories-dev.jsonl";

fn record(id: &str, date: &str, title: &str, body: &str) -> String {
    let source = if id.ends_with('2') { "AP" } else { "Reuters" };
    format!(
        "{{\"id\":\"{id}\",\"date\":\"{date}\",\"source\":\"{source}\",\"title\":\"{title}\",\"body\":\"{body}\"}}\n"
    )
}

const QUAKE_1: &str = "A strong earthquake of magnitude 6.1 struck the Indonesian province of Aceh on Tuesday, \
    killing a child and injuring dozens as houses collapsed in the highland district of Bener Meriah, \
    the disaster agency said. Rescuers searched the rubble of mosques and schools near Takengon.";
const QUAKE_2: &str = "Rescuers in Aceh pulled more bodies from collapsed houses on Wednesday after the magnitude \
    6.1 earthquake, raising the toll to five, the disaster agency said. Thousands of villagers in Bener \
    Meriah and Takengon slept in tents, fearing aftershocks of the quake.";
const QUAKE_3: &str = "Aid reached the earthquake zone in Aceh on Thursday as the toll of the magnitude 6.1 quake \
    rose to twelve, the disaster agency said, with villages around Takengon and Bener Meriah cut off by \
    landslides and rescuers still searching the rubble.";
const TAKEOVER: &str = "Hewlett-Packard agreed on Monday to buy the data storage company 3PAR for two billion dollars \
    after a bidding war with Dell, the companies said. Shareholders of 3PAR will receive cash for each \
    share, and the boards of both companies approved the deal unanimously.";

/// Two articles on an earthquake and one on a takeover, in three files.
fn archive() -> Fixture {
    let fixture = Fixture::new();
    fixture.write(
        "wire/quake.jsonl",
        record("q1", "2013-07-02", "Quake kills child in Aceh", QUAKE_1)
            + &record("q2", "2013-07-03", "Aceh quake toll rises to five", QUAKE_2),
    );
    fixture.write(
        "wire/deal.jsonl",
        record(
            "d1",
            "2013-07-05",
            "HP buys 3PAR after bidding war",
            TAKEOVER,
        ),
    );
    fixture
}

fn story(fixture: &Fixture, id: &str) -> Option<StoryOut> {
    let shown: serde_json::Value = parse(&fixture.run_ok(&["show", id, "--json"], 0));
    shown
        .get("story")
        .map(|story| serde_json::from_value(story.clone()).expect("a story"))
}

#[test]
fn articles_about_one_event_share_a_story_that_show_and_export_give() {
    let fixture = archive();
    assert_eq!(fixture.run_ok(&["index", "-q"], 0), "");
    let quake = story(&fixture, "q1").expect("q1 has a story");
    assert_eq!(story(&fixture, "q2"), Some(quake.clone()));
    assert_eq!(quake.articles, 2);
    assert_eq!(quake.headline, "Quake kills child in Aceh");
    assert!(
        quake.id.starts_with('s') && quake.id.len() == 13,
        "{}",
        quake.id
    );
    let deal = story(&fixture, "d1").expect("d1 has a story");
    assert_ne!(deal.id, quake.id);
    assert_eq!(deal.articles, 1);

    // Every exported line carries its story, as `show --json` gives it.
    let export = fixture.run_ok(&["export"], 0);
    let stories: BTreeMap<String, String> = export
        .lines()
        .map(|line| {
            let object: serde_json::Value = parse(line);
            (
                object["id"].as_str().unwrap().to_string(),
                object["story"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        stories,
        BTreeMap::from([
            ("d1".to_string(), deal.id.clone()),
            ("q1".to_string(), quake.id.clone()),
            ("q2".to_string(), quake.id.clone()),
        ])
    );
    let human = fixture.run_ok(&["show", "q2"], 0);
    assert!(
        human.contains(&format!(
            "     story  {} (Quake kills child in Aceh; 1 other article)\n",
            quake.id
        )),
        "{human}"
    );
}

#[test]
fn a_later_run_adds_an_article_to_its_story_and_a_copy_is_no_new_coverage() {
    let fixture = archive();
    fixture.run_ok(&["index", "-q"], 0);
    let quake = story(&fixture, "q1").unwrap();
    let deal = story(&fixture, "d1").unwrap();
    fixture.write(
        "papers/quake.jsonl",
        record("q3", "2013-07-04", "Aid reaches Aceh quake zone", QUAKE_3),
    );
    // The takeover republished by another paper: a copy of d1.
    fixture.write(
        "papers/deal.jsonl",
        record("d2", "2013-07-05", "HP to buy 3PAR", TAKEOVER),
    );
    fixture.run_ok(&["index", "-q"], 0);
    let grown = story(&fixture, "q3").expect("q3 has a story");
    assert_eq!(grown.id, quake.id);
    assert_eq!(grown.articles, 3);
    assert_eq!(story(&fixture, "d1"), Some(deal.clone()));
    assert_eq!(story(&fixture, "d2"), Some(deal));

    // The article that started the story goes: its story keeps the others.
    std::fs::remove_file(fixture.corpus().join("wire/quake.jsonl")).unwrap();
    fixture.run_ok(&["index", "-q"], 0);
    let left = story(&fixture, "q3").expect("q3 keeps its story");
    assert_eq!(left.id, quake.id);
    assert_eq!(left.articles, 1);
    assert_eq!(left.headline, "Aid reaches Aceh quake zone");
}

/// B-cubed precision, recall and F1 of `predicted` against `gold` (article -> story).
fn b_cubed(gold: &BTreeMap<String, String>, predicted: &BTreeMap<String, String>) -> [f64; 3] {
    let group = |of: &BTreeMap<String, String>| {
        let mut groups: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for id in gold.keys() {
            let story = of.get(id).cloned().unwrap_or_else(|| format!("alone:{id}"));
            groups.entry(story).or_default().insert(id.clone());
        }
        let mut of_article = BTreeMap::new();
        for members in groups.values() {
            for id in members {
                of_article.insert(id.clone(), members.clone());
            }
        }
        of_article
    };
    let (p, g) = (group(predicted), group(gold));
    let n = gold.len() as f64;
    let mut precision = 0.0;
    let mut recall = 0.0;
    for id in gold.keys() {
        let shared = p[id].intersection(&g[id]).count() as f64;
        precision += shared / p[id].len() as f64;
        recall += shared / g[id].len() as f64;
    }
    let (precision, recall) = (precision / n, recall / n);
    let f1 = 2.0 * precision * recall / (precision + recall);
    [precision, recall, f1].map(|x| (x * 10_000.0).round() / 10_000.0)
}

#[test]
fn the_development_half_of_ecb_plus_is_grouped_with_a_b_cubed_f1_of_0_874() {
    let fixture = Fixture::new();
    std::os::unix::fs::symlink(DEV_INPUT, fixture.corpus().join("stories-dev.jsonl")).unwrap();
    fixture.run_ok(&["index", "-q"], 0);
    let gold: BTreeMap<String, String> = std::fs::read_to_string(DEV_GOLD)
        .unwrap()
        .lines()
        .map(|line| {
            let record: serde_json::Value = parse(line);
            (
                record["id"].as_str().unwrap().to_string(),
                record["gold"]["story"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let predicted: BTreeMap<String, String> = fixture
        .run_ok(&["export"], 0)
        .lines()
        .map(|line| {
            let object: serde_json::Value = parse(line);
            (
                object["id"].as_str().unwrap().to_string(),
                object["story"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(predicted.len(), 496);
    let stories: BTreeSet<&String> = predicted.values().collect();
    assert_eq!(stories.len(), 54);
    assert_eq!(b_cubed(&gold, &predicted), [0.869, 0.8791, 0.8741]);
}

/// Each article's id and story, as `export` gives them.
fn exported_stories(fixture: &Fixture, extra: &[&str]) -> BTreeMap<String, serde_json::Value> {
    let mut args = vec!["export"];
    args.extend_from_slice(extra);
    fixture
        .run_ok(&args, 0)
        .lines()
        .map(|line| {
            let object: serde_json::Value = parse(line);
            (
                object["id"].as_str().unwrap().to_string(),
                object["story"].clone(),
            )
        })
        .collect()
}

#[test]
fn an_opensearch_index_gives_the_stories_of_the_local_index_run_after_run() {
    let Some(cluster) = super::opensearch::cluster() else {
        return;
    };
    let (url, _cleanup) = super::opensearch::index_url(&cluster, "stories");
    let fixture = archive();
    let both = |fixture: &Fixture| {
        fixture.run_ok(&["index", "-q"], 0);
        fixture.run_ok(&["index", "corpus", "--index", &url, "-q"], 0);
    };
    both(&fixture);
    let here = exported_stories(&fixture, &[]);
    assert_eq!(here.len(), 3);
    assert_eq!(here["q1"], here["q2"]);
    assert_eq!(exported_stories(&fixture, &["--index", &url]), here);
    let shown = fixture.run_ok(&["show", "q1", "--json", "--index", &url], 0);
    assert_eq!(shown, fixture.run_ok(&["show", "q1", "--json"], 0));

    // A later run adds an article to its story and a copy, on both.
    fixture.write(
        "papers/quake.jsonl",
        record("q3", "2013-07-04", "Aid reaches Aceh quake zone", QUAKE_3),
    );
    fixture.write(
        "papers/deal.jsonl",
        record("d2", "2013-07-05", "HP to buy 3PAR", TAKEOVER),
    );
    both(&fixture);
    let here = exported_stories(&fixture, &[]);
    assert_eq!(here["q3"]["id"], here["q1"]["id"]);
    assert_eq!(here["q3"]["articles"], 3);
    assert_eq!(exported_stories(&fixture, &["--index", &url]), here);

    // A search reads the records beside the stories document: one per article (the copy
    // shares its article's), one per story, the document and the record saying they are
    // complete.
    let stories_index = format!("{}.stories", url.rsplit('/').next().unwrap());
    let count =
        || super::opensearch::get(&cluster, &format!("/{stories_index}/_count"))["count"].clone();
    assert_eq!(count(), 4 + 2 + 2);
    let show = |id: &str| fixture.run_ok(&["show", id, "--json", "--index", &url], 0);
    let shown = show("q3");
    assert_eq!(shown, fixture.run_ok(&["show", "q3", "--json"], 0));
    let filtered = |index: &str| {
        let story = here["q1"]["id"].as_str().unwrap();
        fixture.run_ok(
            &["search", "", "--story", story, "--json", "--index", index],
            0,
        )
    };
    assert_eq!(filtered(&url), filtered("index"));
    // Without the record saying they are complete (stories kept by an older version), a search
    // reads the document whole, and the next run writes the records again though nothing
    // changed.
    ureq::delete(&format!(
        "{cluster}/{stories_index}/_doc/lookup?refresh=true"
    ))
    .call()
    .expect("DELETE");
    assert_eq!(count(), 4 + 2 + 1);
    assert_eq!(show("q3"), shown);
    fixture.run_ok(&["index", "corpus", "--index", &url, "-q"], 0);
    assert_eq!(count(), 4 + 2 + 2);
    assert_eq!(show("q3"), shown);
}

#[test]
fn a_damaged_stories_file_is_an_error_that_names_it_and_another_versions_is_built_again() {
    let fixture = archive();
    fixture.run_ok(&["index", "-q"], 0);
    let q1 = story(&fixture, "q1").unwrap();
    std::fs::write(
        fixture.root().join("index/stories.json"),
        "{\"version\":1,\"arch",
    )
    .unwrap();
    let output = fixture.run(&["stories"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: index/stories.json: not a stories file of newsdex (EOF while parsing a string at \
         line 1 column 18); delete it and `newsdex index` writes it again\n"
    );
    // A search reads the lookup beside it, not the stories file.
    assert_eq!(story(&fixture, "q1"), Some(q1));
    let lookup = fixture.root().join("index/stories.lookup");
    let bytes = std::fs::read(&lookup).unwrap();
    std::fs::write(&lookup, &bytes[..bytes.len() - 3]).unwrap();
    let output = fixture.run(&["show", "q1"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: index/stories.lookup: not a stories file of newsdex (its size does not match its \
         header); delete it and `newsdex index` writes it again\n"
    );
    // Another version's stories file is built again by the next run, and the lookup with it.
    std::fs::write(fixture.root().join("index/stories.json"), "{\"version\":0}").unwrap();
    std::fs::remove_file(&lookup).unwrap();
    assert_eq!(story(&fixture, "q1"), None);
    fixture.write(
        "papers/quake.jsonl",
        record("q3", "2013-07-04", "Aid reaches Aceh quake zone", QUAKE_3),
    );
    fixture.run_ok(&["index", "-q"], 0);
    for id in ["q1", "q2", "q3", "d1"] {
        assert!(story(&fixture, id).is_some(), "{id} has no story");
    }
    assert!(lookup.exists());
}

#[test]
fn a_lookup_left_out_is_written_by_the_next_run_even_with_nothing_new() {
    let fixture = archive();
    fixture.run_ok(&["index", "-q"], 0);
    let q1 = story(&fixture, "q1").unwrap();
    let lookup = fixture.root().join("index/stories.lookup");
    let written = std::fs::read(&lookup).unwrap();
    // An index whose stories were placed before the lookup existed reads the stories whole.
    std::fs::remove_file(&lookup).unwrap();
    assert_eq!(story(&fixture, "q1"), Some(q1.clone()));
    fixture.run_ok(&["index", "-q"], 0);
    assert_eq!(std::fs::read(&lookup).unwrap(), written);
    assert_eq!(story(&fixture, "q1"), Some(q1));
}

#[test]
fn stories_lists_the_stories_of_the_matching_articles_largest_or_newest_first() {
    let fixture = archive();
    fixture.run_ok(&["index", "-q"], 0);
    let quake = story(&fixture, "q1").unwrap().id;
    let deal = story(&fixture, "d1").unwrap().id;
    let listed: serde_json::Value = parse(&fixture.run_ok(&["stories", "--json"], 0));
    assert_eq!(
        listed,
        serde_json::json!({
            "query": null,
            "total": 3,
            "found": 2,
            "stories": [
                {
                    "id": quake,
                    "headline": "Quake kills child in Aceh",
                    "articles": 2,
                    "matching": 2,
                    "first": "2013-07-02",
                    "last": "2013-07-03",
                    "sources": [{"value": "AP", "count": 1}, {"value": "Reuters", "count": 1}],
                    "people": [],
                    "countries": [{"value": "ID", "name": "Indonesia", "count": 1}]
                },
                {
                    "id": deal,
                    "headline": "HP buys 3PAR after bidding war",
                    "articles": 1,
                    "matching": 1,
                    "first": "2013-07-05",
                    "last": "2013-07-05",
                    "sources": [{"value": "Reuters", "count": 1}],
                    "people": [],
                    "countries": []
                }
            ]
        })
    );
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["stories", "--json"];
        all.extend_from_slice(args);
        let listed: serde_json::Value = parse(&fixture.run_ok(&all, 0));
        listed["stories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|story| story["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&["--sort", "newest"]), [deal.clone(), quake.clone()]);
    assert_eq!(ids(&["-n", "1"]), vec![quake.clone()]);
    assert_eq!(ids(&["toll"]), vec![quake.clone()]);
    assert_eq!(ids(&["--country", "Indonesia"]), vec![quake.clone()]);
    let human = fixture.run_ok(&["stories", "toll"], 0);
    assert_eq!(
        human,
        format!(
            "1 matching article in 1 story\n\n{quake}  Quake kills child in Aceh\n   \
             articles  2 articles (1 matching), 2013-07-02 to 2013-07-03\n    sources  AP (1), \
             Reuters (1)\n  countries  Indonesia (1)\n"
        )
    );
    assert_eq!(
        fixture.run_ok(&["stories", "zeppelin"], 1),
        "0 matching articles in 0 stories\n"
    );
}

/// A search matching nothing exits with 1: the made-up id below does.
fn expected_exit(story: &str) -> i32 {
    if story == "s000000000000" { 1 } else { 0 }
}

/// The ids of the hits of `search "" --story ID --json` (and any `extra` flags), sorted.
fn story_hits(fixture: &Fixture, story: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["search", "", "--story", story, "--json", "-n", "50"];
    args.extend_from_slice(extra);
    let results: serde_json::Value = parse(&fixture.run_ok(&args, expected_exit(story)));
    let mut ids: Vec<String> = results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| hit["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn the_story_filter_keeps_a_storys_articles_on_both_backends() {
    let fixture = archive();
    fixture.run_ok(&["index", "-q"], 0);
    let quake = story(&fixture, "q1").expect("q1 has a story").id;
    let deal = story(&fixture, "d1").expect("d1 has a story").id;
    assert_eq!(story_hits(&fixture, &quake, &[]), ["q1", "q2"]);
    assert_eq!(story_hits(&fixture, &deal, &[]), ["d1"]);
    // Repeated, the flag ORs; with a query, both must hold; an id of no story matches nothing.
    let both: serde_json::Value = parse(&fixture.run_ok(
        &["search", "", "--story", &quake, "--story", &deal, "--json"],
        0,
    ));
    assert_eq!(both["total"], 3);
    let rescuers: serde_json::Value =
        parse(&fixture.run_ok(&["search", "rescuers", "--story", &deal, "--json"], 1));
    assert_eq!(rescuers["total"], 0);
    assert_eq!(
        story_hits(&fixture, "s000000000000", &[]),
        Vec::<String>::new()
    );
    // Facets count within the story.
    let sources = fixture.run_ok(&["facets", "--by", "source", "--story", &quake], 0);
    assert!(
        sources.contains("AP ") && sources.contains("Reuters "),
        "{sources}"
    );
    let table: serde_json::Value = parse(&fixture.run_ok(
        &["facets", "--by", "source", "--story", &quake, "--json"],
        0,
    ));
    assert_eq!(table["total"], 2, "{table}");

    let Some(cluster) = super::opensearch::cluster() else {
        return;
    };
    let (url, _cleanup) = super::opensearch::index_url(&cluster, "story-filter");
    fixture.run_ok(&["index", "corpus", "--index", &url, "-q"], 0);
    assert_eq!(
        story_hits(&fixture, &quake, &["--index", &url]),
        ["q1", "q2"]
    );
    assert_eq!(story_hits(&fixture, &deal, &["--index", &url]), ["d1"]);
    assert_eq!(
        story_hits(&fixture, "s000000000000", &["--index", &url]),
        Vec::<String>::new()
    );
}
