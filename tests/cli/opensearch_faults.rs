//! A nightly run into a two-node OpenSearch cluster (2 shards, 1 replica) that loses its data
//! node half-way: the run finishes or stops with a clear message, searches keep answering from
//! the remaining copies, and once the node is back the next run converges on the local article
//! count. The pair is started with `NEWSDEX_OPENSEARCH_CLUSTER` (`cluster.sh`, set by `.ci/run`).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::opensearch::{Cleanup, get};
use super::util::Fixture;

/// HTTP ports of the pair (transport ports are these + 100).
const N1_PORT: u16 = 19_410;
const N2_PORT: u16 = 19_411;

/// Stops the pair (by the pids `cluster.sh` recorded) when dropped.
struct Pair {
    script: String,
    dir: tempfile::TempDir,
}

impl Pair {
    fn cluster(&self, args: &[&str]) {
        let status = Command::new(&self.script)
            .args(args)
            .status()
            .expect("run cluster.sh");
        assert!(status.success(), "cluster.sh {args:?} failed");
    }

    fn dir(&self) -> &str {
        self.dir.path().to_str().expect("utf-8 temp dir")
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        let _ = Command::new(&self.script)
            .args(["stop", self.dir()])
            .status();
    }
}

/// `files` JSONL files of 50 distinct articles each.
fn write_corpus(fixture: &Fixture, files: usize) {
    let places = [
        "India", "France", "Kenya", "Brazil", "Japan", "Peru", "Canada",
    ];
    for file in 0..files {
        let mut text = String::new();
        for n in 0..50 {
            let place = places[(file + n) % places.len()];
            text.push_str(&format!(
                "{{\"id\":\"f{file}-{n}\",\"title\":\"Report {file}-{n} from {place}\",\
                 \"body\":\"Officials in {place} published report number {file} {n} on trade, \
                 rainfall and elections on Monday. The report, the {n}th of series {file}, \
                 covers prices, harvests, schools and roads across the country in detail, \
                 with tables for every region and a summary for ministers.\",\
                 \"date\":\"2024-{:02}-{:02}\",\"source\":\"Desk {}\"}}\n",
                1 + n % 12,
                1 + file % 28,
                file % 5
            ));
        }
        fixture.write(&format!("batch/{file:03}.jsonl"), text);
    }
}

fn count(cluster: &str, index: &str) -> u64 {
    let answer = ureq::get(&format!("{cluster}/{index}/_count"))
        .call()
        .ok()
        .and_then(|response| response.into_body().read_to_string().ok());
    answer
        .and_then(|body| serde_json::from_str::<serde_json::Value>(&body).ok())
        .and_then(|value| value["count"].as_u64())
        .unwrap_or(0)
}

#[test]
fn a_run_that_loses_the_data_node_stops_cleanly_and_the_next_converges() {
    if super::opensearch::cluster().is_none() {
        return;
    }
    let Ok(script) = std::env::var("NEWSDEX_OPENSEARCH_CLUSTER") else {
        assert!(
            std::env::var("NEWSDEX_REQUIRE_OPENSEARCH").as_deref() != Ok("1"),
            "NEWSDEX_REQUIRE_OPENSEARCH=1 but NEWSDEX_OPENSEARCH_CLUSTER is not set"
        );
        eprintln!("skipped: NEWSDEX_OPENSEARCH_CLUSTER is not set");
        return;
    };
    let pair = Pair {
        script,
        dir: tempfile::tempdir().expect("temp dir"),
    };
    let (p1, p2) = (N1_PORT.to_string(), N2_PORT.to_string());
    pair.cluster(&["start-pair", &p1, &p2, pair.dir()]);
    let cluster = format!("http://127.0.0.1:{N1_PORT}");
    let url = format!("{cluster}/news");
    let _cleanup = Cleanup(url.clone());

    let fixture = Fixture::new();
    write_corpus(&fixture, 80);
    let local = fixture.run_ok(&["index", "corpus", "--json", "-q"], 0);
    let local: serde_json::Value = serde_json::from_str(&local).expect("report");
    assert_eq!(local["articles"], 4_000);

    let newsdex = assert_cmd::cargo::cargo_bin("newsdex");
    let run = Command::new(&newsdex)
        .current_dir(fixture.root())
        .env("NEWSDEX_OPENSEARCH_SHARDS", "2")
        .env("NEWSDEX_OPENSEARCH_REPLICAS", "1")
        .args(["index", "corpus", "-q", "--index", &url])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn newsdex index");
    // Mid-run: once the cluster holds some of the articles, the data node dies.
    let started = Instant::now();
    while count(&cluster, "news") == 0 && started.elapsed() < Duration::from_secs(300) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let settings = get(&cluster, "/news/_settings");
    let index = settings
        .as_object()
        .expect("settings")
        .values()
        .next()
        .expect("index");
    assert_eq!(index["settings"]["index"]["number_of_shards"], "2");
    pair.cluster(&["kill-node", pair.dir(), "n2"]);
    eprintln!(
        "n2 killed with {} of 4000 articles in the cluster",
        count(&cluster, "news")
    );

    // Searches during the outage answer from the remaining copies.
    let during = fixture.run(&["search", "report", "-n", "1", "--json", "--index", &url]);
    assert_eq!(during.status.code(), Some(0), "{during:?}");
    let during: serde_json::Value = serde_json::from_slice(&during.stdout).expect("json");
    assert!(during["total"].as_u64().expect("total") > 0);

    let output = run.wait_with_output().expect("wait newsdex index");
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!(
        "run during the outage: {:?}\n{stderr}",
        output.status.code()
    );
    if !output.status.success() {
        assert!(
            stderr.contains(&format!("error: {cluster}/"))
                || stderr.contains("not indexed by OpenSearch"),
            "{stderr}"
        );
    }

    pair.cluster(&["restart-node", pair.dir(), "n2"]);
    let next = fixture.run_ok(&["index", "corpus", "--json", "-q", "--index", &url], 0);
    let next: serde_json::Value = serde_json::from_str(&next).expect("report");
    eprintln!("next run: {next}");
    assert_eq!(next["articles"], local["articles"]);
    assert_eq!(next["copies"], local["copies"]);
    let stats = fixture.run_ok(&["stats", "--json", "--index", &url], 0);
    let stats: serde_json::Value = serde_json::from_str(&stats).expect("stats");
    assert_eq!(
        (&stats["articles"], &stats["files"]),
        (&local["articles"], &serde_json::Value::from(80))
    );
}
