//! The OpenSearch backend against a real OpenSearch 2.19 node (`NEWSDEX_TEST_OPENSEARCH`, set
//! by `.ci/run`): parity with the local index on the shipped corpus, nightly sync, the `--full`
//! alias swap and export. Without the variable the tests print a note and pass, unless
//! `NEWSDEX_REQUIRE_OPENSEARCH=1`, which makes them fail.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use super::util::Fixture;

/// The test cluster's URL, or `None` (with a note) when the tests are not to run.
pub fn cluster() -> Option<String> {
    match std::env::var("NEWSDEX_TEST_OPENSEARCH") {
        Ok(url) if !url.is_empty() => Some(url.trim_end_matches('/').to_string()),
        _ => {
            assert!(
                std::env::var("NEWSDEX_REQUIRE_OPENSEARCH").as_deref() != Ok("1"),
                "NEWSDEX_REQUIRE_OPENSEARCH=1 but NEWSDEX_TEST_OPENSEARCH is not set"
            );
            eprintln!(
                "skipped: NEWSDEX_TEST_OPENSEARCH is not set (see tests/opensearch/README.md)"
            );
            None
        }
    }
}

/// Deletes a test's indexes when dropped (concrete indexes are NAME-TIMESTAMP behind the alias
/// NAME).
pub struct Cleanup(pub String);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}*", self.0)).call();
    }
}

/// A fresh index URL on the cluster for one test, and the guard deleting its indexes.
pub fn index_url(cluster: &str, test: &str) -> (String, Cleanup) {
    let url = format!("{cluster}/newsdex-test-{test}-{}", std::process::id());
    drop(Cleanup(url.clone()));
    (url.clone(), Cleanup(url))
}

/// A GET of `path` on the cluster, as JSON.
pub fn get(cluster: &str, path: &str) -> Value {
    let body = ureq::get(&format!("{cluster}{path}"))
        .call()
        .expect("GET")
        .into_body()
        .read_to_string()
        .expect("body");
    serde_json::from_str(&body).expect("json")
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn json(fixture: &Fixture, args: &[&str]) -> Value {
    let output = fixture.run(args);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "newsdex {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "newsdex {args:?}: {e}\nstderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn ids(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| hit["id"].as_str().expect("id").to_string())
        .collect()
}

/// Stats without what differs by nature between backends (location, size, time, segments).
fn counts(stats: &Value) -> (u64, u64, u64) {
    (
        stats["articles"].as_u64().expect("articles"),
        stats["copies"].as_u64().expect("copies"),
        stats["files"].as_u64().expect("files"),
    )
}

/// What a run reported, without its time.
fn report(value: &Value) -> Value {
    let mut value = value.clone();
    value.as_object_mut().expect("report").remove("seconds");
    value
}

#[test]
fn searches_match_the_local_index_on_the_shipped_corpus() {
    let Some(cluster) = cluster() else { return };
    let (url, _cleanup) = index_url(&cluster, "parity");
    let fixture = Fixture::new();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"),
        &fixture.corpus(),
    );
    let local = report(&json(&fixture, &["index", "corpus", "--json"]));
    let remote = report(&json(
        &fixture,
        &["index", "corpus", "--index", &url, "--json"],
    ));
    assert_eq!(local, remote);
    assert_eq!(local["articles"], 294);

    let queries: &[&[&str]] = &[
        &["trade"],
        &["india"],
        &["election"],
        &["\"prime minister\""],
        &["president OR minister"],
        &["police -fire"],
        &["title:vaccine"],
        &["person:trump"],
        &["country:china"],
        &["*", "--country", "India"],
        &["*", "--country", "UK"],
        &["election", "--country", "us"],
        &["*", "--person", "Trump"],
        &["*", "--person", "Joe Biden"],
        &["*", "--person", "Erdogan"],
        &["*", "--org", "EU"],
        &["trade", "--org", "European Union"],
        &["*", "--topic", "economy"],
        &["*", "--topic", "politics/elections"],
        &["*", "--source", "wikinews"],
        &["court", "--source", "WIKINEWS"],
        &["*", "--since", "2020-03", "--until", "2020-06"],
        &["virus", "--since", "2020"],
        &["*", "--sort", "date"],
        &["*", "--sort", "date", "--offset", "10"],
        &["government", "--sort", "date"],
        &["government", "--offset", "10"],
        &["covid", "--topic", "health", "--country", "US"],
        &["storm", "--recent"],
    ];
    let mut overlaps = Vec::new();
    for query in queries {
        let mut args = vec!["search"];
        args.extend_from_slice(query);
        args.extend(["--facets", "--json"]);
        let here = json(&fixture, &args);
        args.extend(["--index", &url]);
        let there = json(&fixture, &args);
        assert_eq!(here["total"], there["total"], "total of {query:?}");
        assert_eq!(here["facets"], there["facets"], "facets of {query:?}");
        let (a, b) = (ids(&here), ids(&there));
        assert_eq!(a.len(), b.len(), "hits of {query:?}");
        let b: BTreeSet<&String> = b.iter().collect();
        let overlap = a.iter().filter(|id| b.contains(id)).count();
        eprintln!(
            "{query:?}: total {}, top-10 overlap {overlap}/{}",
            here["total"],
            a.len()
        );
        if !a.is_empty() {
            overlaps.push(overlap as f64 / a.len() as f64);
        }
    }
    let average = overlaps.iter().sum::<f64>() / overlaps.len() as f64;
    eprintln!("average top-10 overlap: {:.2}/10", average * 10.0);
    assert!(average >= 0.9, "average top-10 overlap {average}");

    for by in [
        "country", "person", "org", "topic", "source", "month", "year",
    ] {
        let args = ["facets", "--by", by, "--json", "--top", "200"];
        let here = json(&fixture, &args);
        let there = json(&fixture, &[&args[..], &["--index", &url]].concat());
        assert_eq!(here["buckets"], there["buckets"], "facets --by {by}");
        assert_eq!(here["total"], there["total"], "facets --by {by}");
    }
    // The cluster keeps the names the archive resolved: three forms, one person, counted once
    // an article.
    let count = |facets: &Value, name: &str| {
        facets["buckets"]
            .as_array()
            .expect("buckets")
            .iter()
            .find(|b| b["value"] == name)
            .map(|b| b["count"].clone())
    };
    let there = json(
        &fixture,
        &[
            "facets", "--by", "person", "--top", "200", "--json", "--index", &url,
        ],
    );
    assert_eq!(count(&there, "Recep Tayyip Erdoğan"), Some(Value::from(4)));
    assert_eq!(count(&there, "Erdogan"), None);
    let there = json(
        &fixture,
        &[
            "facets", "--by", "org", "--top", "200", "--json", "--index", &url,
        ],
    );
    assert_eq!(count(&there, "European Union"), Some(Value::from(14)));
    assert_eq!(count(&there, "EU"), None);
    let here = json(&fixture, &["stats", "--json"]);
    let there = json(&fixture, &["stats", "--json", "--index", &url]);
    assert_eq!(counts(&here), counts(&there));
    assert_eq!(counts(&there), (294, 0, 155));

    let id = "wikinews-2020-0043";
    let here = json(&fixture, &["show", id, "--json"]);
    let there = json(&fixture, &["show", id, "--json", "--index", &url]);
    assert_eq!(here, there);
    let here = json(&fixture, &["similar", id, "--json"]);
    let there = json(&fixture, &["similar", id, "--json", "--index", &url]);
    assert_eq!(here["total"], there["total"]);
    let (a, b) = (ids(&here), ids(&there));
    let overlap = a.iter().filter(|id| b.contains(id)).count();
    eprintln!(
        "similar {id}: total {}, top-10 overlap {overlap}/10",
        here["total"]
    );
}

/// A wire story long enough to be keyed by its body alone.
const WIRE_BODY: &str = "Ministers from twelve countries agreed on Tuesday to pool their \
    purchases of lithium and cobalt, in a pact meant to cut their reliance on a handful of \
    refiners. The agreement, signed in Canberra after two days of talks, sets up a joint \
    stockpile and a fund for new mines. Australia and Chile, the largest producers, said \
    they would supply the stockpile first.";

/// Runs `newsdex ARGS` against the local index and against `url`: both reports (without
/// time) must be equal; returns the cluster's.
fn index_both(fixture: &Fixture, url: &str, extra: &[&str]) -> Value {
    let args = [&["index", "corpus", "--json"][..], extra].concat();
    let local = report(&json(fixture, &args));
    let remote = report(&json(fixture, &[&args[..], &["--index", url]].concat()));
    assert_eq!(local, remote, "index {extra:?}");
    remote
}

/// The same answers from both indexes: totals, facets, ids of every article, copies.
fn assert_same_answers(fixture: &Fixture, url: &str) {
    let args = ["search", "*", "--facets", "--json", "-n", "100"];
    let here = json(fixture, &args);
    let there = json(fixture, &[&args[..], &["--index", url]].concat());
    assert_eq!(here["total"], there["total"]);
    assert_eq!(here["facets"], there["facets"]);
    let (mut a, mut b) = (ids(&here), ids(&there));
    a.sort();
    b.sort();
    assert_eq!(a, b);
    let here = json(fixture, &["stats", "--json"]);
    let there = json(fixture, &["stats", "--json", "--index", url]);
    assert_eq!(counts(&here), counts(&there));
    for id in ["r1", "copy-a", "copy-b"] {
        let here = fixture.run(&["show", id, "--json"]);
        let there = fixture.run(&["show", id, "--json", "--index", url]);
        assert_eq!(here.status.code(), there.status.code(), "show {id}");
        assert_eq!(
            String::from_utf8_lossy(&here.stdout),
            String::from_utf8_lossy(&there.stdout),
            "show {id}"
        );
    }
}

#[test]
fn nightly_sync_sends_what_changed_and_ends_like_the_local_index() {
    let Some(cluster) = cluster() else { return };
    let (url, _cleanup) = index_url(&cluster, "sync");
    let fixture = Fixture::standard();
    fixture.write(
        "dump/records.jsonl",
        format!("{{\"id\":\"r1\",\"title\":\"Lithium pact agreed\",\"body\":\"{WIRE_BODY}\",\"date\":\"2026-03-03\"}}\n"),
    );
    fixture.write(
        "papers/lithium.json",
        format!(
            "{{\"id\":\"copy-a\",\"title\":\"LITHIUM PACT\",\"body\":\"{}\",\"source\":\"Paper\"}}",
            WIRE_BODY.to_uppercase()
        ),
    );
    fixture.write(
        "wire/ap/lithium.json",
        format!("{{\"id\":\"copy-b\",\"title\":\"Pact agreed\",\"body\":\"{WIRE_BODY}\",\"source\":\"AP\"}}"),
    );
    let first = index_both(&fixture, &url, &[]);
    assert_eq!(
        (&first["added"], &first["articles"], &first["copies"]),
        (&Value::from(8), &Value::from(6), &Value::from(2))
    );
    assert_same_answers(&fixture, &url);

    // The night's changes: a record edited and one dropped, a file gone, a file added, the
    // file of an article with copies gone (a copy takes it over), a file touched.
    fixture.write(
        "wire/2024.jsonl",
        concat!(
            r#"{"id":"w1","title":"India and France sign trade deal","body":"Indian and French ministers signed a trade agreement in New Delhi on Monday.","date":"2024-03-05","source":"Wire"}"#,
            "\n",
            r#"{"id":"w2","title":"Flooding hits Jakarta again","body":"Heavy rain flooded Jakarta, Indonesia, for a second week.","date":"2024-04-17","source":"Wire"}"#,
            "\n"
        ),
    );
    std::fs::remove_file(fixture.corpus().join("notes/japan.md")).expect("remove");
    std::fs::remove_file(fixture.corpus().join("dump/records.jsonl")).expect("remove");
    fixture.write(
        "new/peru.txt",
        "Peru elects a new congress\n\nVoters in Lima and across Peru chose a new congress on Sunday.\n",
    );
    let kenya = fixture.corpus().join("scraped/kenya.txt");
    let bytes = std::fs::read(&kenya).expect("read");
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&kenya, bytes).expect("touch");
    let second = index_both(&fixture, &url, &[]);
    assert_eq!(
        (
            &second["added"],
            &second["updated"],
            &second["removed"],
            &second["articles"],
            &second["copies"]
        ),
        (
            &Value::from(1),
            &Value::from(2),
            &Value::from(3),
            &Value::from(5),
            &Value::from(1)
        )
    );
    assert_same_answers(&fixture, &url);

    // Nothing changed: nothing sent.
    let third = index_both(&fixture, &url, &[]);
    assert_eq!(
        (&third["added"], &third["updated"], &third["unchanged"]),
        (&Value::from(0), &Value::from(0), &Value::from(6))
    );

    // --full builds a new index and moves the alias in one step; the old index is gone.
    let name = url.rsplit('/').next().expect("name");
    let before: Vec<String> = get(&cluster, &format!("/_alias/{name}"))
        .as_object()
        .expect("alias")
        .keys()
        .cloned()
        .collect();
    assert_eq!(before.len(), 1);
    let full = index_both(&fixture, &url, &["--full"]);
    assert_eq!(
        (&full["added"], &full["articles"]),
        (&Value::from(6), &Value::from(5))
    );
    let after: Vec<String> = get(&cluster, &format!("/_alias/{name}"))
        .as_object()
        .expect("alias")
        .keys()
        .cloned()
        .collect();
    assert_eq!(after.len(), 1);
    assert_ne!(before, after);
    assert!(after[0].starts_with(&format!("{name}-")));
    let old = ureq::get(&format!("{cluster}/{}", before[0]))
        .config()
        .http_status_as_error(false)
        .build()
        .call()
        .expect("GET");
    assert_eq!(old.status().as_u16(), 404);
    assert_same_answers(&fixture, &url);

    // Export: every article once, with its copies, as locally.
    let here = fixture.run_ok(&["export"], 0);
    let there = fixture.run_ok(&["export", "--index", &url], 0);
    assert_eq!(here.lines().count(), 5);
    let sorted = |text: &str| {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        lines.sort();
        lines
    };
    assert_eq!(sorted(&here), sorted(&there));
}

#[test]
fn credentials_in_the_url_never_appear_in_messages() {
    let Some(cluster) = cluster() else { return };
    let fixture = Fixture::new();
    let with_secret = cluster.replacen("://", "://admin:s3cret@", 1);
    let output = fixture.run(&[
        "search",
        "x",
        "--index",
        &format!("{with_secret}/newsdex-test-missing"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("s3cret") && !stderr.contains("admin"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{cluster}/newsdex-test-missing/_search: OpenSearch answered 404: index_not_found_exception")),
        "{stderr}"
    );
}

#[test]
fn an_index_not_written_by_newsdex_is_never_replaced() {
    let Some(cluster) = cluster() else { return };
    let (url, _cleanup) = index_url(&cluster, "foreign");
    ureq::put(&url)
        .send_empty()
        .expect("create a foreign index");
    let fixture = Fixture::standard();
    for extra in [&[][..], &["--full"][..]] {
        let output = fixture.run(&[&["index", "corpus", "--index", &url][..], extra].concat());
        assert_eq!(output.status.code(), Some(2));
        let name = url.rsplit('/').next().expect("name");
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            format!(
                "error: {url}: index {name} was not written by newsdex (no schema version in its \
                 _meta); name another index\n"
            )
        );
    }
    let exists = ureq::head(&url).call().expect("HEAD");
    assert_eq!(exists.status().as_u16(), 200);
}

#[test]
fn a_ca_cert_that_holds_no_certificate_is_refused_before_any_request() {
    let fixture = Fixture::new();
    fixture.write("not-a-cert.pem", "hello\n");
    let output = fixture.run(&[
        "search",
        "x",
        "--index",
        "https://127.0.0.1:1/news",
        "--ca-cert",
        "corpus/not-a-cert.pem",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: --ca-cert corpus/not-a-cert.pem: no PEM certificate in the file\n"
    );
}

/// An export reads one point in time: an article written or deleted while it runs neither
/// appears nor goes missing, though the export spans two pages (500 articles each).
/// Both exports of `fixture` (local, then `url`), each line parsed, sorted by path and id.
fn exports(fixture: &Fixture, url: &str) -> (Vec<Value>, Vec<Value>) {
    let parse_sorted = |text: String| {
        let mut lines: Vec<Value> = text
            .lines()
            .map(|line| serde_json::from_str(line).expect("json line"))
            .collect();
        lines.sort_by_key(|a| (a["path"].to_string(), a["id"].to_string()));
        lines
    };
    (
        parse_sorted(fixture.run_ok(&["export"], 0)),
        parse_sorted(fixture.run_ok(&["export", "--index", url], 0)),
    )
}

/// `show ID --json` on both backends: the same exit code and output; returns the output.
fn show_both(fixture: &Fixture, url: &str, id: &str) -> Value {
    let here = fixture.run(&["show", id, "--json"]);
    let there = fixture.run(&["show", id, "--json", "--index", url]);
    assert_eq!(here.status.code(), there.status.code(), "show {id}");
    assert_eq!(
        String::from_utf8_lossy(&here.stdout),
        String::from_utf8_lossy(&there.stdout),
        "show {id}"
    );
    serde_json::from_slice(&here.stdout).unwrap_or(Value::Null)
}

#[test]
fn copies_that_are_records_are_listed_alike_on_both_backends() {
    let Some(cluster) = cluster() else { return };
    let (url, _cleanup) = index_url(&cluster, "record-copies");
    let fixture = super::copies::records_fixture();
    let report = index_both(&fixture, &url, &[]);
    assert_eq!(
        (&report["articles"], &report["copies"]),
        (&Value::from(5), &Value::from(3))
    );
    for id in ["ap-3", "csv-9", "rss-1"] {
        let shown = show_both(&fixture, &url, id);
        assert_eq!(shown["copies"], super::copies::record_copies(), "show {id}");
    }
    let args = ["search", "lithium", "--json"];
    let here = json(&fixture, &args);
    let there = json(&fixture, &[&args[..], &["--index", &url]].concat());
    assert_eq!(here["hits"][0]["copies"], super::copies::record_copies());
    assert_eq!(here["hits"][0]["copies"], there["hits"][0]["copies"]);
    let (here, there) = exports(&fixture, &url);
    assert_eq!(here.len(), 5);
    assert_eq!(here, there);
    let human = fixture.run_ok(&["show", "ap-3", "--index", &url], 0);
    assert!(
        human.contains(
            "   also at  dump/day.jsonl line 3 (id ap-3), feeds/wire.rss (id rss-1), \
             tables/wire.csv line 4 (id csv-9)\n"
        ),
        "{human}"
    );
}

/// One JSON Lines record.
fn record(id: &str, title: &str, body: &str) -> String {
    format!("{{\"id\":\"{id}\",\"title\":\"{title}\",\"body\":\"{body}\"}}\n")
}

#[test]
fn the_same_id_in_two_files_is_two_articles_on_both_backends() {
    let Some(cluster) = cluster() else { return };
    let (url, _cleanup) = index_url(&cluster, "same-id");
    let fixture = Fixture::new();
    let harbour = "Ships crowded the harbour of Portmere as the ferry strike ended on Monday.";
    let mill = "A fire destroyed the old mill in Brackley overnight, the county said.";
    let vote = "Voters in Lima chose a new congress on Sunday after a long campaign.";
    fixture.write("a/day.jsonl", record("x1", "Ferry strike ends", harbour));
    fixture.write("b/day.jsonl", record("x1", "Old mill burns", mill));
    // The same id twice in one file, two stories.
    fixture.write(
        "c/twice.jsonl",
        record(
            "x2",
            "Ferry strike ends",
            "The ferries ran again in Portmere on Tuesday.",
        ) + &record("x2", "Peru votes", vote),
    );
    let first = index_both(&fixture, &url, &[]);
    assert_eq!(
        (&first["added"], &first["articles"], &first["copies"]),
        (&Value::from(4), &Value::from(4), &Value::from(0))
    );
    let stats = json(&fixture, &["stats", "--json", "--index", &url]);
    assert_eq!(counts(&stats), (4, 0, 3));
    assert_same_totals(&fixture, &url);
    // `show` chooses the first file by path, and the first record in a file.
    assert_eq!(show_both(&fixture, &url, "x1")["path"], "a/day.jsonl");
    let twice = show_both(&fixture, &url, "x2");
    assert_eq!(
        (&twice["path"], &twice["title"]),
        (
            &Value::from("c/twice.jsonl"),
            &Value::from("Ferry strike ends")
        )
    );
    let (here, there) = exports(&fixture, &url);
    assert_eq!((here.len(), &here), (4, &there));

    // A copy of b's story with the same id in a third file, and a's file gone: deleted by
    // file, b's article is the one shown, with its copy.
    fixture.write("d/wire.jsonl", record("x1", "OLD MILL BURNS", mill));
    std::fs::remove_file(fixture.corpus().join("a/day.jsonl")).expect("remove");
    let second = index_both(&fixture, &url, &[]);
    assert_eq!(
        (&second["removed"], &second["articles"], &second["copies"]),
        (&Value::from(1), &Value::from(3), &Value::from(1))
    );
    let shown = show_both(&fixture, &url, "x1");
    assert_eq!(shown["path"], "b/day.jsonl");
    assert_eq!(
        shown["copies"],
        serde_json::json!([{"path": "d/wire.jsonl", "id": "x1", "line": 1}])
    );
    assert_same_totals(&fixture, &url);

    // b's file edited to another story: the copy takes the mill over, on both; b's article is
    // still the one `show x1` shows.
    fixture.write("b/day.jsonl", record("x1", "Peru votes again", vote));
    let third = index_both(&fixture, &url, &[]);
    assert_eq!(
        (&third["updated"], &third["articles"], &third["copies"]),
        (&Value::from(1), &Value::from(4), &Value::from(0))
    );
    let shown = show_both(&fixture, &url, "x1");
    assert_eq!(
        (&shown["path"], &shown["title"]),
        (
            &Value::from("b/day.jsonl"),
            &Value::from("Peru votes again")
        )
    );
    assert_same_totals(&fixture, &url);
    let (here, there) = exports(&fixture, &url);
    assert_eq!(here, there);
}

/// The same totals, facets and ids of `search *` on both backends, and the same counts.
fn assert_same_totals(fixture: &Fixture, url: &str) {
    let args = ["search", "*", "--facets", "--json", "-n", "200"];
    let here = json(fixture, &args);
    let there = json(fixture, &[&args[..], &["--index", url]].concat());
    assert_eq!(here["total"], there["total"]);
    assert_eq!(here["facets"], there["facets"]);
    let (mut a, mut b) = (ids(&here), ids(&there));
    a.sort();
    b.sort();
    assert_eq!(a, b);
    let here = json(fixture, &["stats", "--json"]);
    let there = json(fixture, &["stats", "--json", "--index", url]);
    assert_eq!(counts(&here), counts(&there));
}

/// The shared web archives and feeds (read in place, never copied into the repository).
const ARCHIVES: &str = "/work/shared/archives";

#[test]
fn web_archives_and_feeds_read_in_place_index_alike_on_both_backends() {
    let Some(cluster) = cluster() else { return };
    // (folder, name, articles, copies): the two wget crawls of dolma hold the same URLs (in
    // both archives, and three times in one), which the cluster held as 34 articles and 1 copy
    // while its `_id` was the article id; every web archive (five of them fail, alike), and
    // every feed.
    for (folder, name, articles, copies) in [
        ("warc/dolma", "dolma", 35, 2),
        ("warc", "warc", 85, 7),
        ("feeds", "feeds", 121, 0),
    ] {
        let (url, _cleanup) = index_url(&cluster, &format!("archives-{name}"));
        let fixture = Fixture::new();
        let corpus = format!("{ARCHIVES}/{folder}");
        let args = ["index", corpus.as_str(), "--json", "-q"];
        let local = report(&json(&fixture, &args));
        let remote = report(&json(&fixture, &[&args[..], &["--index", &url]].concat()));
        assert_eq!(local, remote, "{folder}");
        eprintln!("{folder}: {local}");
        assert_eq!(
            (&local["articles"], &local["copies"]),
            (&Value::from(articles), &Value::from(copies)),
            "{folder}"
        );
        assert_same_totals(&fixture, &url);
        let (here, there) = exports(&fixture, &url);
        assert_eq!(here, there, "{folder}");
        if name == "dolma" {
            // The page fetched three times into one archive: the article and its two copies,
            // named by their record id (the URL).
            let allen = "https://allenai.org/";
            let shown = show_both(&fixture, &url, allen);
            assert_eq!(shown["path"], "sample-0001.warc.gz");
            let copy = serde_json::json!({"path": "sample-0001.warc.gz", "id": allen});
            assert_eq!(shown["copies"], serde_json::json!([copy, copy]));
        }
    }
}

#[test]
fn export_reads_one_point_in_time() {
    use newsdex::engine::Engine;
    use newsdex::engine::opensearch::{OpenSearch, TlsOptions};
    let Some(cluster) = cluster() else { return };
    let (url, _cleanup) = index_url(&cluster, "export-pit");
    let fixture = Fixture::new();
    let lines: String = (0..600)
        .map(|n| {
            format!(
                "{{\"id\":\"a{n:04}\",\"title\":\"Harbour report {n}\",\"body\":\"Ships came \
                 and went on day {n}.\"}}\n"
            )
        })
        .collect();
    fixture.write("harbour.jsonl", lines);
    fixture.run_ok(&["index", "-q", "corpus", "--index", &url], 0);
    let engine = OpenSearch::new(&url, &TlsOptions::default()).expect("connect");
    let name = url.rsplit('/').next().expect("name").to_string();
    let mut seen = Vec::new();
    let exported = engine
        .export(&mut |stored| {
            if seen.is_empty() {
                // Written after the first page was read, before the second.
                let last = newsdex::engine::opensearch::document::doc_id("harbour.jsonl", 599);
                ureq::delete(&format!("{cluster}/{name}/_doc/{last}?refresh=true"))
                    .call()
                    .expect("delete an article");
                ureq::put(&format!("{cluster}/{name}/_doc/a9999?refresh=true"))
                    .content_type("application/json")
                    .send(r#"{"id":"a9999","path":"late.jsonl","copy":false,"title":"Late"}"#)
                    .expect("add an article");
            }
            seen.push(stored.article.id.to_string());
            Ok(())
        })
        .expect("export");
    assert_eq!(exported, 600);
    assert_eq!(seen.first().map(String::as_str), Some("a0000"));
    assert_eq!(seen.last().map(String::as_str), Some("a0599"));
    // A new export sees the change.
    let mut after = Vec::new();
    engine
        .export(&mut |stored| {
            after.push(stored.article.id.to_string());
            Ok(())
        })
        .expect("export");
    assert_eq!(after.len(), 600);
    assert_eq!(after.last().map(String::as_str), Some("a9999"));
    assert!(!after.contains(&"a0599".to_string()));
}

/// The concrete indexes named `NAME-…` on the cluster, sorted.
fn indexes_named(cluster: &str, name: &str) -> Vec<String> {
    let listed = get(
        cluster,
        &format!("/_cat/indices/{name}-*?format=json&h=index"),
    );
    let mut names: Vec<String> = listed
        .as_array()
        .expect("index list")
        .iter()
        .map(|row| row["index"].as_str().expect("index").to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn a_rebuild_left_by_a_killed_run_is_deleted_by_the_next_and_nothing_else() {
    let Some(cluster) = cluster() else { return };
    let (url, _cleanup) = index_url(&cluster, "killed");
    let name = url.rsplit('/').next().expect("name").to_string();
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "corpus", "--index", &url, "-q"], 0);
    let live = indexes_named(&cluster, &name);
    assert_eq!(live.len(), 1);

    // Enough articles that a rebuild takes seconds, and is killed while its index is unaliased.
    for file in 0..40 {
        let lines: String = (0..50)
            .map(|n| {
                format!(
                    "{{\"id\":\"k{file}-{n}\",\"title\":\"Harvest report {file}-{n}\",\
                     \"body\":\"Farmers in region {file} reported yield {n} on Monday, with \
                     prices, rainfall and roads covered in detail for ministers.\"}}\n"
                )
            })
            .collect();
        fixture.write(&format!("bulk/{file:02}.jsonl"), lines);
    }
    let mut rebuild = std::process::Command::new(assert_cmd::cargo::cargo_bin("newsdex"))
        .current_dir(fixture.root())
        .args(["index", "corpus", "--index", &url, "--full", "-q"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the rebuild");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while indexes_named(&cluster, &name).len() < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "no rebuild index appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    rebuild.kill().expect("kill the rebuild");
    rebuild.wait().expect("reap the rebuild");
    let after_kill = indexes_named(&cluster, &name);
    assert_eq!(after_kill.len(), 2, "the killed run left its index");
    let orphan = after_kill
        .iter()
        .find(|n| **n != live[0])
        .expect("orphan")
        .clone();
    let aliased = get(&cluster, &format!("/_alias/{name}"));
    assert_eq!(
        aliased
            .as_object()
            .expect("aliases")
            .keys()
            .collect::<Vec<_>>(),
        vec![&live[0]]
    );

    // Beside it: another machine's rebuild that is still running, and a user's own index.
    let elsewhere = format!("{name}-20200101000000000");
    ureq::put(&format!("{cluster}/{elsewhere}"))
        .content_type("application/json")
        .send(
            serde_json::json!({"mappings": {"_meta": {
                "schema_version": 4,
                "building": {
                    "host": "another-machine",
                    "boot": "another-boot",
                    "pid": 1,
                    "heartbeat": jiff::Timestamp::now().to_string(),
                }
            }}})
            .to_string(),
        )
        .expect("create another machine's rebuild");
    let users = format!("{name}-archive");
    ureq::put(&format!("{cluster}/{users}"))
        .send_empty()
        .expect("create a user's index");

    let output = fixture.run(&["index", "corpus", "--index", &url, "-q"]);
    assert_eq!(
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned()
        ),
        (
            Some(0),
            format!(
                "note: deleted index {orphan}, a rebuild left unfinished by a run that was \
                 killed\n"
            )
        )
    );
    let mut expected = vec![elsewhere, users, live[0].clone()];
    expected.sort();
    assert_eq!(indexes_named(&cluster, &name), expected);
    // The run itself went on as a nightly run does: the new files are in, beside the standard
    // corpus's five articles.
    let stats = json(&fixture, &["stats", "--index", &url, "--json"]);
    assert_eq!(stats["articles"].as_u64(), Some(2_000 + 5));
}
