//! Nightly reindexing: renamed, moved, edited, touched and grown files; batch commits, killed and
//! interrupted runs, and indexes written by another schema version.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use newsdex::index::NewsIndex;
use newsdex::index::state::indexed_files;

use super::util::{Fixture, Report, SearchOutput, Stats, parse};

/// (added, updated, removed, unchanged, articles) of a report.
fn counts(report: &Report) -> (u64, u64, u64, u64, u64) {
    (
        report.added,
        report.updated,
        report.removed,
        report.unchanged,
        report.articles,
    )
}

/// Runs `index --json -q`, expecting exit 0, and returns the report.
fn reindex(fixture: &Fixture) -> Report {
    parse(&fixture.run_ok(&["index", "--json", "-q"], 0))
}

/// Sets a corpus file's modification time to `seconds` after the epoch.
fn set_mtime(fixture: &Fixture, rel: &str, seconds: u64) {
    let file = std::fs::File::options()
        .write(true)
        .open(fixture.corpus().join(rel))
        .expect("open corpus file");
    file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
        .expect("set mtime");
}

/// Every indexed article's id and path, sorted by id.
fn indexed(fixture: &Fixture) -> Vec<(String, String)> {
    let output: SearchOutput =
        parse(&fixture.run_ok(&["search", "*", "--json", "-n", "100000"], 0));
    let mut hits: Vec<(String, String)> = output.hits.into_iter().map(|h| (h.id, h.path)).collect();
    hits.sort();
    hits
}

/// The fingerprint stored for a corpus file.
fn stored_fingerprint(fixture: &Fixture, rel: &str) -> String {
    let index = NewsIndex::open(&fixture.root().join("index")).expect("open index");
    let reader = index.reader().expect("reader");
    let files = indexed_files(&reader.searcher()).expect("indexed files");
    files[rel].fingerprint.clone()
}

#[test]
fn renamed_file_is_removed_under_its_old_path_and_added_under_the_new() {
    let fixture = Fixture::standard();
    reindex(&fixture);
    let corpus = fixture.corpus();
    std::fs::rename(
        corpus.join("scraped/kenya.txt"),
        corpus.join("scraped/kenya-marathon.txt"),
    )
    .unwrap();
    assert_eq!(counts(&reindex(&fixture)), (1, 0, 1, 4, 5));
    let paths: BTreeSet<String> = indexed(&fixture).into_iter().map(|(_, p)| p).collect();
    assert!(paths.contains("scraped/kenya-marathon.txt"), "{paths:?}");
    assert!(!paths.contains("scraped/kenya.txt"), "{paths:?}");
    assert_eq!(counts(&reindex(&fixture)), (0, 0, 0, 5, 5));
}

#[test]
fn file_moved_to_another_folder_keeps_its_record_ids_once() {
    let fixture = Fixture::standard();
    reindex(&fixture);
    let corpus = fixture.corpus();
    std::fs::create_dir(corpus.join("archive")).unwrap();
    std::fs::rename(
        corpus.join("wire/2024.jsonl"),
        corpus.join("archive/2024.jsonl"),
    )
    .unwrap();
    assert_eq!(counts(&reindex(&fixture)), (3, 0, 3, 2, 5));
    let wire: Vec<(String, String)> = indexed(&fixture)
        .into_iter()
        .filter(|(id, _)| id.starts_with('w'))
        .collect();
    let expected: Vec<(String, String)> = ["w1", "w2", "w3"]
        .iter()
        .map(|id| (id.to_string(), "archive/2024.jsonl".to_string()))
        .collect();
    assert_eq!(wire, expected);
}

#[test]
fn same_size_edit_with_a_new_mtime_is_reindexed() {
    let fixture = Fixture::standard();
    set_mtime(&fixture, "scraped/kenya.txt", 1_700_000_000);
    reindex(&fixture);
    let path = fixture.corpus().join("scraped/kenya.txt");
    let before = std::fs::read_to_string(&path).unwrap();
    let after = before.replace("Berlin marathon", "Boston marathon");
    assert_eq!(before.len(), after.len());
    std::fs::write(&path, after).unwrap();
    set_mtime(&fixture, "scraped/kenya.txt", 1_700_000_100);
    assert_eq!(counts(&reindex(&fixture)), (0, 1, 0, 4, 5));
    let output: SearchOutput = parse(&fixture.run_ok(&["search", "Boston", "--json"], 0));
    assert_eq!(output.total, 1);
    assert_eq!(output.hits[0].path, "scraped/kenya.txt");
}

#[test]
fn same_size_and_mtime_edit_is_only_seen_by_full() {
    let fixture = Fixture::standard();
    set_mtime(&fixture, "scraped/kenya.txt", 1_700_000_000);
    reindex(&fixture);
    let path = fixture.corpus().join("scraped/kenya.txt");
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("Berlin marathon", "Boston marathon");
    std::fs::write(&path, edited).unwrap();
    set_mtime(&fixture, "scraped/kenya.txt", 1_700_000_000);
    assert_eq!(counts(&reindex(&fixture)), (0, 0, 0, 5, 5));
    fixture.run_ok(&["search", "Boston", "--json"], 1);
    let full: Report = parse(&fixture.run_ok(&["index", "--full", "--json", "-q"], 0));
    assert_eq!(counts(&full), (5, 0, 5, 0, 5));
    fixture.run_ok(&["search", "Boston", "--json"], 0);
}

#[test]
fn touched_but_identical_file_keeps_its_articles_and_gets_the_new_fingerprint() {
    let fixture = Fixture::standard();
    set_mtime(&fixture, "scraped/kenya.txt", 1_700_000_000);
    reindex(&fixture);
    let id = indexed(&fixture)
        .into_iter()
        .find(|(_, path)| path == "scraped/kenya.txt")
        .map(|(id, _)| id)
        .unwrap();
    let shown_before = fixture.run_ok(&["show", &id, "--json"], 0);
    let size = std::fs::metadata(fixture.corpus().join("scraped/kenya.txt"))
        .unwrap()
        .len();
    assert!(
        stored_fingerprint(&fixture, "scraped/kenya.txt")
            .starts_with(&format!("{size}:1700000000000000000:"))
    );

    set_mtime(&fixture, "scraped/kenya.txt", 1_800_000_000);
    assert_eq!(counts(&reindex(&fixture)), (0, 0, 0, 5, 5));
    assert!(
        stored_fingerprint(&fixture, "scraped/kenya.txt")
            .starts_with(&format!("{size}:1800000000000000000:"))
    );
    assert_eq!(fixture.run_ok(&["show", &id, "--json"], 0), shown_before);
    let output = fixture.run(&["index"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("indexed: 0 added, 0 updated, 0 removed, 5 unchanged, 0 failed;")
            && stderr.contains("(0.0 MB read, 0.0 MB/s)"),
        "{stderr}"
    );
}

#[test]
fn jsonl_file_that_gains_and_loses_records_is_replaced_whole() {
    let fixture = Fixture::standard();
    reindex(&fixture);
    let path = fixture.corpus().join("wire/2024.jsonl");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(
        r#"{"id":"w4","title":"Chile copper output rises","body":"Copper mines in Chile produced more in March.","date":"2024-04-01"}"#,
    );
    text.push('\n');
    std::fs::write(&path, &text).unwrap();
    assert_eq!(counts(&reindex(&fixture)), (1, 3, 0, 2, 6));

    let first = text.lines().next().unwrap().to_string() + "\n";
    std::fs::write(&path, first).unwrap();
    assert_eq!(counts(&reindex(&fixture)), (0, 1, 3, 2, 3));
    let ids: Vec<String> = indexed(&fixture).into_iter().map(|(id, _)| id).collect();
    assert!(ids.contains(&"w1".to_string()));
    assert!(
        !ids.iter()
            .any(|id| ["w2", "w3", "w4"].contains(&id.as_str()))
    );
}

#[test]
fn summary_line_reports_megabytes_per_second() {
    let fixture = Fixture::standard();
    let output = fixture.run(&["index"]);
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stderr.lines().next().unwrap();
    assert!(line.ends_with(" MB/s)"), "{line}");
    assert!(line.contains("(0.0 MB read, "), "{line}");
}

#[test]
fn commit_every_must_be_positive() {
    let fixture = Fixture::standard();
    let output = fixture.run(&["index", "--commit-every", "0"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--commit-every"), "{stderr}");
}

#[test]
fn small_commit_batches_give_the_same_index() {
    let fixture = Fixture::standard();
    let report: Report =
        parse(&fixture.run_ok(&["index", "--json", "-q", "--commit-every", "1"], 0));
    assert_eq!(counts(&report), (5, 0, 0, 0, 5));
    let stats: Stats = parse(&fixture.run_ok(&["stats", "--json"], 0));
    assert_eq!((stats.articles, stats.files), (5, 3));
}

/// Writes `files` small articles: every tenth file is JSON Lines with ten records, the others
/// plain text. Returns the number of articles.
/// Writes `files` generated files (every tenth a JSONL file of ten records, the others one
/// article each, one in twenty of those a syndicated copy of the file before it under another
/// headline); returns the articles written and how many of them are copies.
fn write_generated_corpus(fixture: &Fixture, files: usize) -> (u64, u64) {
    let words = [
        "trade", "energy", "minister", "talks", "market", "bank", "rain", "flood", "election",
        "court", "strike", "copper", "wheat", "school", "hospital", "storm",
    ];
    let places = ["India", "France", "Kenya", "Brazil", "Japan", "Chile"];
    let mut articles = 0;
    let mut copies = 0;
    for i in 0..files {
        let word = |k: usize| words[(i * 7 + k * 13) % words.len()];
        let place = places[i % places.len()];
        let body: Vec<&str> = (0..40).map(word).collect();
        if i % 10 == 0 {
            let lines: String = (0..10)
                .map(|k| {
                    format!(
                        "{{\"id\":\"g{i}-{k}\",\"title\":\"{place} {} report {i} {k}\",\"body\":\"Report {i} {k}: {}\"}}\n",
                        word(k),
                        body.join(" ")
                    )
                })
                .collect();
            fixture.write(&format!("wire/{i:05}.jsonl"), lines);
            articles += 10;
        } else {
            // The text of story `from`, with its headline.
            let story = |from: usize, headline: &str| {
                let word = |k: usize| words[(from * 7 + k * 13) % words.len()];
                let place = places[from % places.len()];
                let body: Vec<&str> = (0..40).map(word).collect();
                format!(
                    "{headline}\n\n{place} officials said in story {from} {}.\n",
                    body.join(" ")
                )
            };
            let text = if i % 20 == 5 {
                copies += 1;
                story(i - 1, &format!("Syndicated story {i}"))
            } else {
                story(i, &format!("{place} {} story {i}", word(1)))
            };
            fixture.write(&format!("text/{:02}/{i:05}.txt", i % 20), text);
            articles += 1;
        }
    }
    (articles, copies)
}

fn spawn_index(fixture: &Fixture, args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("newsdex"))
        .current_dir(fixture.root())
        .env_remove("NEWSDEX_INDEX")
        .args(["index", "--json", "-q"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn newsdex")
}

/// Ids of every indexed article; fails if one appears twice.
fn unique_ids(fixture: &Fixture) -> BTreeSet<String> {
    let pairs = indexed(fixture);
    let ids: BTreeSet<String> = pairs.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(ids.len(), pairs.len(), "an id appears twice");
    ids
}

/// When a test kills a run: after some milliseconds, or once the index holds some articles.
enum Kill {
    After(u64),
    AtArticles(u64),
}

/// Articles in the last commit of the index in `dir` (0 while it cannot be opened).
fn committed_articles(dir: &Path) -> u64 {
    NewsIndex::open(dir)
        .ok()
        .and_then(|index| index.reader().ok())
        .map_or(0, |reader| reader.searcher().num_docs())
}

/// Waits until the run has committed at least `articles` articles.
fn wait_for_articles(child: &mut Child, dir: &Path, articles: u64) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while committed_articles(dir) < articles {
        let exited = child.try_wait().expect("try_wait");
        assert!(
            exited.is_none(),
            "the run ended before committing {articles} articles"
        );
        assert!(
            Instant::now() < deadline,
            "no commit of {articles} articles in time"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn killed_runs_leave_an_index_that_opens_and_the_next_run_converges() {
    let fixture = Fixture::new();
    let (records, copies) = write_generated_corpus(&fixture, 2_000);
    let total = records - copies;
    let index_dir = fixture.root().join("index");
    // Early kills (while starting up or reading the first batch), then kills right after the
    // first commit and halfway through, whatever the speed of the machine.
    let kills = [
        Kill::After(50),
        Kill::After(200),
        Kill::AtArticles(1),
        Kill::AtArticles(total / 2),
    ];
    for kill in kills {
        let mut child = spawn_index(&fixture, &["--commit-every", "200"]);
        match kill {
            Kill::After(millis) => std::thread::sleep(Duration::from_millis(millis)),
            Kill::AtArticles(articles) => wait_for_articles(&mut child, &index_dir, articles),
        }
        child.kill().expect("kill");
        child.wait().expect("wait");
        if NewsIndex::exists(&index_dir) {
            let stats: Stats = parse(&fixture.run_ok(&["stats", "--json"], 0));
            assert!(stats.articles <= total, "{} > {total}", stats.articles);
            if stats.articles > 0 {
                unique_ids(&fixture);
            }
        }
    }
    let report = reindex(&fixture);
    // The killed runs committed batches that the last run kept.
    assert!(report.unchanged > 0, "{report:?}");
    assert_eq!((report.articles, report.copies), (total, copies));
    assert_eq!(report.added + report.updated + report.unchanged, records);
    assert!(report.failed.is_empty());
    assert_eq!(unique_ids(&fixture).len() as u64, total);
    assert_eq!(counts(&reindex(&fixture)), (0, 0, 0, records, total));

    // Removing the files that hold the copied articles: the copies take them over, even when
    // the runs doing it are killed.
    for i in (0..2_000).filter(|i| i % 20 == 4) {
        std::fs::remove_file(fixture.corpus().join(format!("text/04/{i:05}.txt"))).expect("rm");
    }
    for millis in [20, 80, 160] {
        let mut child = spawn_index(&fixture, &["--commit-every", "20"]);
        std::thread::sleep(Duration::from_millis(millis));
        child.kill().expect("kill");
        child.wait().expect("wait");
        let stats: Stats = parse(&fixture.run_ok(&["stats", "--json"], 0));
        assert!(stats.articles <= total, "{} > {total}", stats.articles);
    }
    let report = reindex(&fixture);
    assert_eq!((report.articles, report.copies), (total, 0));
    assert_eq!(unique_ids(&fixture).len() as u64, total);
}

#[test]
fn interrupt_commits_what_was_read_and_the_next_run_finishes() {
    let fixture = Fixture::new();
    let (records, copies) = write_generated_corpus(&fixture, 2_000);
    let total = records - copies;
    let mut child = spawn_index(&fixture, &["--commit-every", "100"]);
    wait_for_articles(&mut child, &fixture.root().join("index"), 1);
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: interrupted: what was read is committed, "),
        "{stderr}"
    );
    let first: Report = parse(&String::from_utf8_lossy(&output.stdout));
    assert!(
        first.articles > 0 && first.articles < total,
        "{}",
        first.articles
    );
    assert_eq!(first.added, first.articles + first.copies);

    let second = reindex(&fixture);
    assert_eq!(
        (
            second.added,
            second.unchanged,
            second.articles,
            second.copies
        ),
        (records - first.added, first.added, total, copies)
    );
    assert_eq!(unique_ids(&fixture).len() as u64, total);
}

/// Replaces the index with a tantivy index of another schema whose commit says it was written by
/// newsdex schema version 0.
fn write_version_zero_index(dir: &Path) {
    std::fs::remove_dir_all(dir).ok();
    std::fs::create_dir_all(dir).unwrap();
    let mut builder = tantivy::schema::Schema::builder();
    let title = builder.add_text_field("title", tantivy::schema::TEXT | tantivy::schema::STORED);
    let index = tantivy::Index::create_in_dir(dir, builder.build()).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
    let mut doc = tantivy::TantivyDocument::default();
    doc.add_text(title, "an article of the old index");
    writer.add_document(doc).unwrap();
    let mut prepared = writer.prepare_commit().unwrap();
    prepared.set_payload(r#"{"schema_version":0,"corpus":"corpus"}"#);
    prepared.commit().unwrap();
}

#[test]
fn index_of_another_schema_version_is_rebuilt_and_swapped_in() {
    let fixture = Fixture::standard();
    let dir = fixture.root().join("index");
    write_version_zero_index(&dir);
    let output = fixture.run(&["stats"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("schema version 0"));

    let output = fixture.run(&["index", "--json"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.starts_with(
            "note: the index in index was written with schema version 0; rebuilt it from corpus \
             with version 6\nindexed: 5 added, 0 updated, 0 removed, 0 unchanged, 0 failed;"
        ),
        "{stderr}"
    );
    let report: Report = parse(&String::from_utf8_lossy(&output.stdout));
    assert_eq!(counts(&report), (5, 0, 0, 0, 5));
    let stats: Stats = parse(&fixture.run_ok(&["stats", "--json"], 0));
    assert_eq!(
        (stats.articles, stats.files, stats.schema_version),
        (5, 3, 6)
    );
    assert!(!fixture.root().join("index.rebuild").exists());
    assert!(!fixture.root().join("index.old").exists());
    assert_eq!(counts(&reindex(&fixture)), (0, 0, 0, 5, 5));
}

#[test]
fn foreign_index_without_a_newsdex_payload_is_left_alone() {
    let fixture = Fixture::standard();
    let dir = fixture.root().join("index");
    std::fs::create_dir_all(&dir).unwrap();
    let mut builder = tantivy::schema::Schema::builder();
    let title = builder.add_text_field("title", tantivy::schema::TEXT);
    let index = tantivy::Index::create_in_dir(&dir, builder.build()).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
    let mut doc = tantivy::TantivyDocument::default();
    doc.add_text(title, "someone else's document");
    writer.add_document(doc).unwrap();
    writer.commit().unwrap();
    drop(writer);
    let meta = std::fs::read(dir.join("meta.json")).unwrap();

    let output = fixture.run(&["index"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("schema version unknown"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(std::fs::read(dir.join("meta.json")).unwrap(), meta);
}

#[test]
fn a_swap_killed_half_way_is_finished_by_the_next_run() {
    let fixture = Fixture::standard();
    reindex(&fixture);
    let root = fixture.root();
    std::fs::rename(root.join("index"), root.join("index.rebuild")).unwrap();
    std::fs::create_dir(root.join("index.old")).unwrap();
    assert_eq!(counts(&reindex(&fixture)), (0, 0, 0, 5, 5));
    assert!(!root.join("index.old").exists());
    assert!(!root.join("index.rebuild").exists());
}

#[test]
fn changed_gazetteers_reextract_every_article() {
    let fixture = Fixture::standard();
    fixture.run_ok(&["index", "-q"], 0);
    let gazetteer = fixture.root().join("gazetteer");
    std::fs::create_dir(&gazetteer).unwrap();
    std::fs::write(gazetteer.join("countries.tsv"), "Berlin marathon\tDE\n").unwrap();

    let output = fixture.run(&["index", "--json", "--gazetteer", "gazetteer"]);
    assert_eq!(output.status.code(), Some(0));
    let report: Report = parse(&String::from_utf8_lossy(&output.stdout));
    assert_eq!((report.added, report.unchanged, report.articles), (5, 0, 5));
    assert!(
        String::from_utf8_lossy(&output.stderr).starts_with(
            "note: extraction changed since the last run (another newsdex version or other \
             gazetteers); every article was extracted again\n"
        ),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let found: SearchOutput =
        parse(&fixture.run_ok(&["search", "--json", "marathon", "--country", "DE"], 0));
    assert_eq!(found.total, 1);

    let report: Report =
        parse(&fixture.run_ok(&["index", "--json", "-q", "--gazetteer", "gazetteer"], 0));
    assert_eq!((report.added, report.unchanged), (0, 5));
}

#[test]
fn searches_answer_from_the_last_commit_while_a_run_goes_on() {
    let fixture = Fixture::new();
    let (records, copies) = write_generated_corpus(&fixture, 2_000);
    let total = records - copies;
    let mut child = spawn_index(&fixture, &["--commit-every", "100"]);
    wait_for_articles(&mut child, &fixture.root().join("index"), 1);
    let mut totals = Vec::new();
    while child.try_wait().expect("try_wait").is_none() {
        let output: SearchOutput = parse(&fixture.run_ok(&["search", "*", "--json", "-n", "1"], 0));
        totals.push(output.total);
    }
    let output = child.wait_with_output().expect("wait");
    assert_eq!(output.status.code(), Some(0));
    // Every search saw a whole commit: the counts only grow, up to the corpus.
    assert!(!totals.is_empty());
    assert!(totals.windows(2).all(|w| w[0] <= w[1]), "{totals:?}");
    assert!(totals.iter().all(|&t| t > 0 && t <= total), "{totals:?}");
    let output: SearchOutput = parse(&fixture.run_ok(&["search", "*", "--json", "-n", "1"], 0));
    assert_eq!(output.total, total);
}

const REBUILDING: &str = "error: the index in index is being rebuilt by `newsdex index` for this \
    version of newsdex; searches work again when it finishes (if no run is going on, run \
    `newsdex index`)\n";

#[test]
fn searches_during_an_upgrade_rebuild_say_so() {
    let fixture = Fixture::standard();
    let root = fixture.root();
    write_version_zero_index(&root.join("index"));
    std::fs::create_dir(root.join("index.rebuild")).unwrap();
    for args in [&["search", "trade"][..], &["stats"]] {
        let output = fixture.run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), REBUILDING);
    }
}

#[test]
fn a_search_between_the_renames_of_a_swap_does_not_build_an_index() {
    let fixture = Fixture::standard();
    reindex(&fixture);
    let root = fixture.root();
    std::fs::rename(root.join("index"), root.join("index.rebuild")).unwrap();
    std::fs::create_dir(root.join("index.old")).unwrap();
    let output = fixture.run(&["search", "trade"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&output.stderr), REBUILDING);
    assert!(!root.join("index").exists());

    // The next run finishes the swap.
    assert_eq!(counts(&reindex(&fixture)), (0, 0, 0, 5, 5));
    let output: SearchOutput = parse(&fixture.run_ok(&["search", "trade", "--json"], 0));
    assert_eq!(output.total, 1);
}

#[test]
fn search_rebuilds_an_index_of_another_version_built_from_the_default_corpus() {
    let fixture = Fixture::standard();
    write_version_zero_index(&fixture.root().join("index"));
    let output = fixture.run(&["search", "trade", "--json"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.starts_with(
            "note: another version of newsdex wrote the index in index; building it from corpus \
             first\nindexed: 5 added, 0 updated, 0 removed, 0 unchanged, 0 failed; 5 articles in "
        ),
        "{stderr}"
    );
    let output: SearchOutput = parse(&String::from_utf8_lossy(&output.stdout));
    assert_eq!(output.total, 1);
}

#[test]
fn search_leaves_an_index_of_another_version_built_from_elsewhere() {
    let fixture = Fixture::standard();
    let dir = fixture.root().join("index");
    write_version_zero_index(&dir);
    let index = tantivy::Index::open_in_dir(&dir).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
    let mut prepared = writer.prepare_commit().unwrap();
    prepared.set_payload(r#"{"schema_version":0,"corpus":"/srv/archive"}"#);
    prepared.commit().unwrap();
    drop(writer);
    let output = fixture.run(&["search", "trade"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: the index in index was written with schema version 0, this newsdex uses version \
         6: rebuild it with `newsdex index --full`\n"
    );
}
