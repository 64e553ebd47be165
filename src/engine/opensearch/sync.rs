//! `newsdex index CORPUS --index URL`: bringing an OpenSearch index up to date with a corpus,
//! deciding what changed with the same walk, fingerprints and plan as the local build
//! ([`crate::index::plan`]), and sending only that.
//!
//! - The first run creates a concrete index `NAME-TIMESTAMP` with the explicit mapping and
//!   points the alias `NAME` (the URL's index) at it. `--full`, or an index of another schema
//!   version, builds a new concrete index and moves the alias in one `_aliases` call, so
//!   readers never see a missing or half-built index.
//! - Every document carries its file's fingerprint, and `_id` names its file and its place in
//!   it ([`document::doc_id`]; the article id is a field, as the local index keeps one
//!   document per article of each file): what the cluster did not acknowledge is not recorded
//!   as indexed, and a run that stops half-way (killed, or the cluster lost) leaves files
//!   whose stored fingerprints differ from the walk (or disagree among themselves), which the
//!   next run sends again, without duplicates.
//! - `_bulk` requests are bounded by bytes and by articles, [`IN_FLIGHT`] at a time; a request
//!   refused with 429 or 503, or without an answer, is retried with backoff, and so are the
//!   items refused with 429 or 503. Other item failures are reported by path (exit 1).
//! - Files that vanished are deleted by path first; the articles a changed file no longer has
//!   are deleted once all of its new articles are acknowledged.
//! - A rebuild left unfinished by a killed run is deleted by the next run ([`lease`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rayon::prelude::*;
use serde_json::{Value, json};

use super::client::{Client, Method};
use super::lease::{self, Heartbeat};
use super::{OpenSearch, OpenSearchError, document};
use crate::article::{Article, Entities};
use crate::corpus::{self, FileError};
use crate::enrich::{EnrichError, Enricher};
use crate::index::BuildOptions;
use crate::index::copies::{CopyMap, text_key};
use crate::index::fingerprint::{Fingerprint, content_hash};
use crate::index::plan::{Plan, Task, plan};
use crate::index::schema::SCHEMA_VERSION;
use crate::index::state::IndexedFile;
use crate::report::{FailedFile, FileChange, IndexReport};

/// `_bulk` requests sent at once.
pub const IN_FLIGHT: usize = 3;
/// Largest `_bulk` request body, in bytes (a single larger article is sent alone).
const BULK_BYTES: usize = 5 * 1024 * 1024;
/// Most articles in one `_bulk` request.
const BULK_ARTICLES: usize = 1_000;
/// Files parsed per parallel batch at most.
const PARSE_BATCH: usize = 64;
/// Bytes of files parsed per parallel batch at most.
const PARSE_BATCH_BYTES: u64 = 16 * 1024 * 1024;
/// Attempts of one request (or item) refused for a passing reason.
const ATTEMPTS: u32 = 8;
/// Wait before the first retry; doubled each time, up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(16);
/// Values per `terms` clause of a delete.
const DELETE_CHUNK: usize = 1_000;

/// Environment variable: primary shards of a new index (default 1).
pub const SHARDS_VAR: &str = "NEWSDEX_OPENSEARCH_SHARDS";
/// Environment variable: replicas of a new index (default 1).
pub const REPLICAS_VAR: &str = "NEWSDEX_OPENSEARCH_REPLICAS";

/// Errors that stop a run (per-file and per-article problems never do).
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The corpus folder does not exist.
    #[error("corpus {path} does not exist")]
    MissingCorpus {
        /// The corpus path as given.
        path: std::path::PathBuf,
    },
    /// The extra gazetteers could not be read.
    #[error(transparent)]
    Gazetteer(#[from] EnrichError),
    /// The cluster refused or did not answer, even after retries.
    #[error("{0}; what was acknowledged is kept, the next run sends the rest")]
    OpenSearch(#[from] OpenSearchError),
    /// The URL names an index newsdex cannot write or swap.
    #[error("{url}: {reason}")]
    Unusable {
        /// The index URL.
        url: String,
        /// Why.
        reason: String,
    },
}

/// Brings the index at the engine's URL up to date with `options.corpus`.
pub fn sync(os: &OpenSearch, options: &BuildOptions) -> Result<IndexReport, SyncError> {
    let started = Instant::now();
    if !options.corpus.exists() {
        return Err(SyncError::MissingCorpus {
            path: options.corpus.clone(),
        });
    }
    let client = os.client();
    let extraction = crate::enrich::extraction_fingerprint(options.gazetteer.as_deref())?;
    let existing = os.meta()?;
    let mut report = IndexReport {
        // Cleaning up is no reason to stop a run: a user who may not list indexes keeps them.
        abandoned: lease::remove_abandoned(client).unwrap_or_default(),
        ..IndexReport::default()
    };
    let building = lease::building(Timestamp::now());
    let (target, swap_from, full) = match &existing {
        None => (create_index(client, None)?, None, true),
        Some((concrete, meta)) => {
            let version = meta["schema_version"].as_u64();
            if version.is_none() {
                return Err(SyncError::Unusable {
                    url: client.index_url(),
                    reason: format!(
                        "index {concrete} was not written by newsdex (no schema version in its \
                         _meta); name another index"
                    ),
                });
            }
            if options.full || version != Some(u64::from(SCHEMA_VERSION)) {
                if version != Some(u64::from(SCHEMA_VERSION)) {
                    report.rebuilt_from = Some(version.map_or("?".into(), |v| v.to_string()));
                }
                (
                    create_index(client, Some(&building))?,
                    Some(concrete.clone()),
                    true,
                )
            } else {
                let reextract = meta["extraction"].as_str() != Some(extraction.as_str());
                report.reextracted = reextract;
                (concrete.clone(), None, reextract)
            }
        }
    };
    let writer = OpenSearch {
        client: client.with_index(&target),
    };
    let heartbeat = swap_from.is_some().then(|| {
        let meta = json!({"schema_version": SCHEMA_VERSION, "building": building});
        Heartbeat::start(writer.client().clone(), meta, lease::HEARTBEAT)
    });
    let outcome = run(&writer, options, full, &extraction, heartbeat, &mut report);
    // A rebuild that did not finish is dropped: the alias keeps the old index.
    if swap_from.is_some() && (outcome.is_err() || report.interrupted.is_some()) {
        let _ = client.send(Method::Delete, &format!("/{target}"), None);
    }
    outcome?;
    if let Some(old) = swap_from.filter(|_| report.interrupted.is_none()) {
        // Every article and copy of the replaced index goes, as with a local `--full`.
        let (articles, copies) = os.counts()?;
        report.removed += articles + copies;
        move_alias(client, &target, &old)?;
    }
    client.send(Method::Post, &format!("/{}/_refresh", client.index()), None)?;
    (report.articles, report.copies) = os.counts()?;
    report.failed.sort_by(|a, b| a.path.cmp(&b.path));
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Creates a concrete index `NAME-TIMESTAMP` with the mapping. A rebuild's index carries its
/// run's `building` mark ([`lease`]) until the run finishes; without one, `NAME` points at the
/// new index from the start.
fn create_index(client: &Client, building: Option<&Value>) -> Result<String, OpenSearchError> {
    let name = format!(
        "{}-{}",
        client.index(),
        Timestamp::now().strftime("%Y%m%d%H%M%S%3f")
    );
    let env_number = |var: &str, default: u32| {
        std::env::var(var)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let mut meta = json!({"schema_version": SCHEMA_VERSION});
    if let Some(building) = building {
        meta["building"] = building.clone();
    }
    let mut body = document::index_body(
        env_number(SHARDS_VAR, 1),
        env_number(REPLICAS_VAR, 1),
        &meta,
    );
    if building.is_none() {
        body["aliases"] = json!({client.index(): {}});
    }
    client.send(Method::Put, &format!("/{name}"), Some(&body))?;
    Ok(name)
}

/// Points the alias at `new` and deletes `old`, in one step.
fn move_alias(client: &Client, new: &str, old: &str) -> Result<(), SyncError> {
    let alias = client.index();
    client
        .send(
            Method::Post,
            "/_aliases",
            Some(&json!({"actions": [
                {"add": {"index": new, "alias": alias}},
                {"remove_index": {"index": old}}
            ]})),
        )
        .map_err(|error| match error.status() {
            Some(400) if old == alias => SyncError::Unusable {
                url: client.index_url(),
                reason: format!("{error} (the rebuilt index {new} is kept)"),
            },
            _ => error.into(),
        })?;
    Ok(())
}

/// What the index holds: files with their fingerprint and number of documents (a file with
/// more than one fingerprint gets an empty one, so it is read again), copies and full
/// articles by text key.
struct Known {
    files: HashMap<String, IndexedFile>,
    copy_map: CopyMap,
    /// Paths of the full articles by text key.
    articles: HashMap<u64, Vec<String>>,
}

fn read_known(os: &OpenSearch) -> Result<Known, OpenSearchError> {
    let mut files: HashMap<String, IndexedFile> = HashMap::new();
    os.each_file(&mut |path, fingerprint, count| {
        let entry = files
            .entry(path.to_string())
            .or_insert_with(|| IndexedFile {
                fingerprint: fingerprint.to_string(),
                articles: 0,
            });
        if entry.fingerprint != fingerprint {
            entry.fingerprint = String::new();
        }
        entry.articles += count;
    })?;
    let mut copy_map = CopyMap::default();
    let mut articles: HashMap<u64, Vec<String>> = HashMap::new();
    each_key_path(os, true, &mut |key, path| copy_map.insert_copy(key, path))?;
    each_key_path(os, false, &mut |key, path| {
        copy_map.insert_article(key, path.clone());
        articles.entry(key).or_default().push(path);
    })?;
    Ok(Known {
        files,
        copy_map,
        articles,
    })
}

/// Every (text key, path) of the copies (`copy`) or full articles, by composite aggregation.
fn each_key_path(
    os: &OpenSearch,
    copy: bool,
    each: &mut dyn FnMut(u64, String),
) -> Result<(), OpenSearchError> {
    let mut after: Option<Value> = None;
    loop {
        let mut composite = json!({
            "size": 10_000,
            "sources": [
                {"key": {"terms": {"field": "text_key"}}},
                {"path": {"terms": {"field": "path"}}}
            ]
        });
        if let Some(after) = after.take() {
            composite["after"] = after;
        }
        let answer = os.search_raw(&json!({
            "size": 0,
            "query": {"term": {"copy": copy}},
            "aggs": {"pairs": {"composite": composite}}
        }))?;
        let pairs = &answer["aggregations"]["pairs"];
        let mut any = false;
        for bucket in super::buckets(pairs) {
            any = true;
            let key = bucket["key"]["key"].as_str().and_then(|k| k.parse().ok());
            if let (Some(key), Some(path)) = (key, bucket["key"]["path"].as_str()) {
                each(key, path.to_string());
            }
        }
        match pairs.get("after_key") {
            Some(key) if any => after = Some(key.clone()),
            _ => return Ok(()),
        }
    }
}

/// Which articles are copies, in the order the run sends them (as [`crate::index::copies::Dedup`]
/// decides locally): an article is a copy when a full article with its key stays in the index
/// (in a file this run does not replace) or was sent earlier in the run.
struct Dedup<'a> {
    articles: &'a HashMap<u64, Vec<String>>,
    replaced: &'a HashSet<&'a str>,
    sent: HashSet<u64>,
}

impl Dedup<'_> {
    fn is_copy(&mut self, key: u64) -> bool {
        if self.sent.contains(&key) {
            return true;
        }
        let stays = self.articles.get(&key).is_some_and(|paths| {
            paths
                .iter()
                .any(|path| !self.replaced.contains(path.as_str()))
        });
        if !stays {
            self.sent.insert(key);
        }
        stays
    }
}

/// One file's articles as read.
enum Read {
    Skipped,
    Parsed {
        /// The bytes are those indexed (only the file's time or size changed).
        same: bool,
        fingerprint: String,
        articles: Vec<(Article, Entities)>,
        warnings: Vec<String>,
    },
    Failed(FileError),
}

fn read(
    task: &Task,
    full: bool,
    enricher: &Enricher,
    stop: &std::sync::atomic::AtomicBool,
) -> Read {
    let file = task.file;
    if stop.load(Ordering::Relaxed) {
        return Read::Skipped;
    }
    let (parsed, hash) = if file.size > corpus::MAX_FILE_BYTES {
        (corpus::parse(file), None)
    } else {
        match std::fs::read(&file.full_path) {
            Ok(bytes) => (
                corpus::parse_bytes(&file.rel_path, &bytes),
                Some(content_hash(&bytes)),
            ),
            Err(error) => {
                return Read::Failed(FileError::new(file.rel_path.clone(), error.to_string()));
            }
        }
    };
    let stored_hash = task
        .old
        .and_then(|old| Fingerprint::parse(&old.fingerprint))
        .and_then(|old| old.hash);
    match parsed {
        Ok(parsed) => Read::Parsed {
            same: !full && hash.is_some() && stored_hash == hash,
            fingerprint: Fingerprint::of(file, hash).to_string(),
            articles: parsed
                .articles
                .into_iter()
                .map(|mut article| {
                    let entities = enricher.enrich_article(&mut article);
                    (article, entities)
                })
                .collect(),
            warnings: parsed.warnings,
        },
        Err(error) => Read::Failed(error),
    }
}

/// A `_bulk` request: its body and, per item, the index of the file it belongs to.
#[derive(Default)]
struct Bulk {
    body: String,
    files: Vec<usize>,
}

/// What the cluster said of a request's items: per item, the file index and the error (if
/// any); or the request's error.
type BulkResult = Result<Vec<(usize, Option<String>)>, OpenSearchError>;

/// Sends what changed into `os` (a concrete index), in the steps of a local build: plan from
/// the walk and what the index holds, read and send the files, acknowledge what the cluster
/// answered, finish by recording the run.
fn run(
    os: &OpenSearch,
    options: &BuildOptions,
    full: bool,
    extraction: &str,
    heartbeat: Option<Heartbeat>,
    report: &mut IndexReport,
) -> Result<(), SyncError> {
    let client = os.client();
    let ((files, walk_errors), known) = walk_and_read_known(os, options);
    let known = known?;
    let plan = plan(&files, &known.files, &known.copy_map, full);
    report.failed = walk_errors.into_iter().map(FailedFile::from).collect();
    report.unchanged = plan.unchanged;
    remove_vanished(client, &plan, &known, report)?;
    let mut progress = read_and_send(os, options, full, &plan, &known, report)?;
    acknowledge(client, &plan, &known, &mut progress, report)?;
    finish(
        client,
        options,
        extraction,
        heartbeat,
        progress.left,
        report,
    )
}

/// The corpus walked and what the index holds read, at the same time.
fn walk_and_read_known(
    os: &OpenSearch,
    options: &BuildOptions,
) -> (
    (Vec<corpus::SourceFile>, Vec<FileError>),
    Result<Known, OpenSearchError>,
) {
    std::thread::scope(|scope| {
        let walk = scope.spawn(|| corpus::walk(&options.corpus));
        let known = read_known(os);
        let walked = walk
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (walked, known)
    })
}

/// Deletes the articles of vanished files. They go first: a moved file's article never exists
/// under both paths.
fn remove_vanished(
    client: &Client,
    plan: &Plan,
    known: &Known,
    report: &mut IndexReport,
) -> Result<(), SyncError> {
    for chunk in plan.vanished.chunks(DELETE_CHUNK) {
        report.removed += chunk.iter().map(|p| known.files[*p].articles).sum::<u64>();
        delete_by_query(client, &json!({"terms": {"path": chunk}}))?;
    }
    Ok(())
}

/// Per file of `plan.todo`, what the run did with it, and a request that failed for good.
struct Progress {
    /// Its new fingerprint, once all of its articles are queued.
    fingerprints: Vec<Option<String>>,
    /// Its articles queued to send.
    sent: Vec<u64>,
    /// Its articles the cluster acknowledged.
    acked: Vec<u64>,
    /// The first error the cluster gave for one of its articles.
    errors: BTreeMap<usize, String>,
    /// Files left unread because the run was stopped.
    left: u64,
    /// The first request that failed even after retries.
    failure: Option<OpenSearchError>,
}

impl Progress {
    fn new(files: usize) -> Progress {
        Progress {
            fingerprints: vec![None; files],
            sent: vec![0; files],
            acked: vec![0; files],
            errors: BTreeMap::new(),
            left: 0,
            failure: None,
        }
    }

    /// Counts a request's acknowledged and failed items, or keeps its error.
    fn absorb(&mut self, result: BulkResult) {
        match result {
            Ok(items) => {
                for (file, error) in items {
                    match error {
                        None => self.acked[file] += 1,
                        Some(error) => {
                            self.errors.entry(file).or_insert(error);
                        }
                    }
                }
            }
            Err(error) => {
                self.failure.get_or_insert(error);
            }
        }
    }
}

/// Reads the files to read, a batch at a time on every core, and sends their articles in
/// `_bulk` requests, [`IN_FLIGHT`] at a time, until every request is answered.
fn read_and_send(
    os: &OpenSearch,
    options: &BuildOptions,
    full: bool,
    plan: &Plan,
    known: &Known,
    report: &mut IndexReport,
) -> Result<Progress, SyncError> {
    let client = os.client();
    let enricher = match &options.gazetteer {
        _ if plan.todo.is_empty() => None,
        None => Some(Enricher::new()),
        Some(dir) => Some(Enricher::with_extra(dir)?),
    };
    let (bulk_tx, bulk_rx) = mpsc::sync_channel::<Bulk>(IN_FLIGHT);
    let (result_tx, result_rx) = mpsc::channel::<BulkResult>();
    let bulk_rx = std::sync::Mutex::new(bulk_rx);
    let mut queue = Queue {
        dedup: Dedup {
            articles: &known.articles,
            replaced: &plan.replaced,
            sent: HashSet::new(),
        },
        bulk: Bulk::default(),
        bulk_tx,
        progress: Progress::new(plan.todo.len()),
    };
    Ok(std::thread::scope(|scope| {
        for _ in 0..IN_FLIGHT {
            let result_tx = result_tx.clone();
            let bulk_rx = &bulk_rx;
            scope.spawn(move || {
                loop {
                    let next = bulk_rx.lock().map(|rx| rx.recv());
                    let Ok(Ok(bulk)) = next else { break };
                    if result_tx.send(send_bulk(client, &bulk)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(result_tx);
        'batches: for batch in batches(&plan.todo) {
            let reads: Vec<Read> = match &enricher {
                Some(enricher) => batch
                    .par_iter()
                    .map(|(_, task)| read(task, full, enricher, &options.stop))
                    .collect(),
                None => Vec::new(),
            };
            for ((at, task), read) in batch.iter().zip(reads) {
                if !queue.take(*at, task, read, full, report) {
                    break 'batches;
                }
            }
            while let Ok(result) = result_rx.try_recv() {
                queue.progress.absorb(result);
            }
            if queue.progress.failure.is_some() {
                break;
            }
        }
        let mut progress = queue.close();
        for result in result_rx.iter() {
            progress.absorb(result);
        }
        progress
    }))
}

/// The articles read, on their way into `_bulk` requests.
struct Queue<'a> {
    /// Which articles are copies.
    dedup: Dedup<'a>,
    /// The request being filled.
    bulk: Bulk,
    /// Full requests, to the senders.
    bulk_tx: mpsc::SyncSender<Bulk>,
    progress: Progress,
}

impl Queue<'_> {
    /// Counts one file's read in the report and queues its articles; false once the senders
    /// are gone.
    fn take(
        &mut self,
        at: usize,
        task: &Task,
        read: Read,
        full: bool,
        report: &mut IndexReport,
    ) -> bool {
        let file = task.file;
        let old = task.old.map_or(0, |old| old.articles);
        let (same, fingerprint, articles, warnings) = match read {
            Read::Skipped => {
                self.progress.left += 1;
                if task.rescue {
                    report.unchanged += old;
                }
                return true;
            }
            Read::Failed(error) => {
                report.bytes_read += file.size;
                report.failed.push(error.into());
                return true;
            }
            Read::Parsed {
                same,
                fingerprint,
                articles,
                warnings,
            } => (same, fingerprint, articles, warnings),
        };
        report.bytes_read += file.size;
        report
            .failed
            .extend(warnings.into_iter().map(|warning| FailedFile {
                path: file.rel_path.clone(),
                error: warning,
            }));
        let count = articles.len() as u64;
        let change = if task.rescue || same {
            FileChange::Unchanged
        } else if task.old.is_some() && !full {
            FileChange::Replaced
        } else {
            FileChange::Rewritten
        };
        report.count_file(change, count, old);
        for (article, entities) in &articles {
            let key = text_key(article);
            let doc = if self.dedup.is_copy(key) {
                document::copy_json(article, key, &fingerprint)
            } else {
                document::to_json(article, entities, &fingerprint)
            };
            let id = document::doc_id(&article.path, article.place.ordinal());
            let line = format!("{}\n{}\n", json!({"index": {"_id": id}}), doc);
            if !self.push(line, at) {
                return false;
            }
        }
        self.progress.fingerprints[at] = Some(fingerprint);
        true
    }

    /// Adds one article's action and document to the request being filled, sending that first
    /// when the article would take it past [`BULK_BYTES`] or [`BULK_ARTICLES`]; false once the
    /// senders are gone.
    fn push(&mut self, line: String, at: usize) -> bool {
        if !self.bulk.files.is_empty()
            && (self.bulk.body.len() + line.len() > BULK_BYTES
                || self.bulk.files.len() >= BULK_ARTICLES)
        {
            let full_bulk = std::mem::take(&mut self.bulk);
            if self.bulk_tx.send(full_bulk).is_err() {
                return false;
            }
        }
        self.bulk.body.push_str(&line);
        self.bulk.files.push(at);
        self.progress.sent[at] += 1;
        true
    }

    /// Sends the last request, unless one failed for good, and lets the senders finish.
    fn close(self) -> Progress {
        if !self.bulk.files.is_empty() && self.progress.failure.is_none() {
            let _ = self.bulk_tx.send(self.bulk);
        }
        self.progress
    }
}

/// What the cluster answered: the articles it refused are reported by file, a request that
/// failed for good stops the run, and the files read again lose what they no longer hold.
fn acknowledge(
    client: &Client,
    plan: &Plan,
    known: &Known,
    progress: &mut Progress,
    report: &mut IndexReport,
) -> Result<(), SyncError> {
    // Per-article failures, by file.
    for (&at, error) in &progress.errors {
        report.failed.push(FailedFile {
            path: plan.todo[at].file.rel_path.clone(),
            error: format!("not indexed by OpenSearch: {error}"),
        });
    }
    if let Some(error) = progress.failure.take() {
        return Err(error.into());
    }
    remove_stale(client, plan, progress)?;
    remove_unreadable(client, plan, known, progress, report)
}

/// A file read again whose every article was acknowledged loses the articles it no longer
/// has (those still carrying an older fingerprint); a failed file keeps them, and its mixed
/// fingerprints make the next run read it again.
fn remove_stale(client: &Client, plan: &Plan, progress: &Progress) -> Result<(), SyncError> {
    let done: Vec<(&str, &str)> = plan
        .todo
        .iter()
        .enumerate()
        .filter(|(at, task)| {
            task.old.is_some()
                && progress.acked[*at] == progress.sent[*at]
                && !progress.errors.contains_key(at)
        })
        .filter_map(|(at, task)| {
            Some((
                task.file.rel_path.as_str(),
                progress.fingerprints[at].as_deref()?,
            ))
        })
        .collect();
    for chunk in done.chunks(DELETE_CHUNK) {
        let stale: Vec<Value> = chunk
            .iter()
            .map(|(path, fingerprint)| {
                json!({"bool": {
                    "filter": [{"term": {"path": path}}],
                    "must_not": [{"term": {"fingerprint": fingerprint}}]
                }})
            })
            .collect();
        delete_by_query(
            client,
            &json!({"bool": {"should": stale, "minimum_should_match": 1}}),
        )?;
    }
    Ok(())
}

/// A file that failed to read as a whole: its old articles go, as locally.
fn remove_unreadable(
    client: &Client,
    plan: &Plan,
    known: &Known,
    progress: &Progress,
    report: &mut IndexReport,
) -> Result<(), SyncError> {
    let unreadable: Vec<&str> = plan
        .todo
        .iter()
        .enumerate()
        .filter(|(at, task)| task.old.is_some() && progress.fingerprints[*at].is_none())
        .filter(|(_, task)| report.failed.iter().any(|f| f.path == task.file.rel_path))
        .map(|(_, task)| task.file.rel_path.as_str())
        .collect();
    for chunk in unreadable.chunks(DELETE_CHUNK) {
        report.removed += chunk
            .iter()
            .filter_map(|p| known.files.get(*p))
            .map(|f| f.articles)
            .sum::<u64>();
        delete_by_query(client, &json!({"terms": {"path": chunk}}))?;
    }
    Ok(())
}

/// Records the run in the index's `_meta` (schema version, extraction fingerprint, corpus,
/// time) and refreshes it; `left` files unread make the run an interrupted one.
fn finish(
    client: &Client,
    options: &BuildOptions,
    extraction: &str,
    heartbeat: Option<Heartbeat>,
    left: u64,
    report: &mut IndexReport,
) -> Result<(), SyncError> {
    // No renewal of a rebuild's `building` mark may land after the `_meta` that drops it.
    drop(heartbeat);
    let meta = json!({
        "schema_version": SCHEMA_VERSION,
        "extraction": extraction,
        "corpus": options.corpus.display().to_string(),
        "last_indexed": Timestamp::now().to_string(),
    });
    client.send(
        Method::Put,
        &format!("/{}/_mapping", client.index()),
        Some(&json!({"_meta": meta})),
    )?;
    client.send(Method::Post, &format!("/{}/_refresh", client.index()), None)?;
    report.commits = 1;
    report.interrupted = (left > 0).then_some(left);
    Ok(())
}

/// The tasks in batches of at most [`PARSE_BATCH`] files and [`PARSE_BATCH_BYTES`] bytes, each
/// with its position in `todo`.
fn batches<'t, 'a>(todo: &'t [Task<'a>]) -> Vec<Vec<(usize, &'t Task<'a>)>> {
    let mut batches = Vec::new();
    let mut batch: Vec<(usize, &Task)> = Vec::new();
    let mut bytes = 0;
    for (at, task) in todo.iter().enumerate() {
        if !batch.is_empty()
            && (batch.len() >= PARSE_BATCH || bytes + task.file.size > PARSE_BATCH_BYTES)
        {
            batches.push(std::mem::take(&mut batch));
            bytes = 0;
        }
        bytes += task.file.size;
        batch.push((at, task));
    }
    if !batch.is_empty() {
        batches.push(batch);
    }
    batches
}

/// Waits before retry `attempt` (0 for the first).
fn backoff(attempt: u32) {
    let wait = FIRST_BACKOFF
        .saturating_mul(1 << attempt.min(8))
        .min(MAX_BACKOFF);
    std::thread::sleep(wait);
}

/// Sends one `_bulk` request, retrying the request and the items refused for a passing
/// reason; returns per item its file and error.
fn send_bulk(client: &Client, bulk: &Bulk) -> BulkResult {
    let path = format!("/{}/_bulk", client.index());
    let lines: Vec<&str> = bulk.body.split_inclusive('\n').collect();
    // Positions (in `bulk.files`) still to send, and the outcome of each item.
    let mut pending: Vec<usize> = (0..bulk.files.len()).collect();
    let mut outcome: Vec<Option<String>> = vec![None; bulk.files.len()];
    let mut attempt = 0;
    while !pending.is_empty() {
        let body: String = if pending.len() == bulk.files.len() {
            bulk.body.clone()
        } else {
            pending
                .iter()
                .flat_map(|&i| [lines[2 * i], lines[2 * i + 1]])
                .collect()
        };
        let answer =
            match client.send_raw(Method::Post, &path, Some(("application/x-ndjson", &body))) {
                Ok(answer) => answer,
                Err(error) if error.is_transient() && attempt + 1 < ATTEMPTS => {
                    backoff(attempt);
                    attempt += 1;
                    continue;
                }
                Err(error) => return Err(error),
            };
        let items = answer["items"].as_array().cloned().unwrap_or_default();
        if items.len() != pending.len() {
            return Err(client.answer_error(&path, "the _bulk answer does not list every item"));
        }
        let mut retry = Vec::new();
        for (&i, item) in pending.iter().zip(&items) {
            let result = &item["index"];
            let status = result["status"].as_u64().unwrap_or(0);
            if (200..300).contains(&status) {
                outcome[i] = None;
            } else {
                let reason = result["error"]["reason"]
                    .as_str()
                    .unwrap_or("no reason given");
                let kind = result["error"]["type"].as_str().unwrap_or("error");
                outcome[i] = Some(format!("{status} {kind}: {reason}"));
                if matches!(status, 429 | 503) {
                    retry.push(i);
                }
            }
        }
        if retry.is_empty() || attempt + 1 >= ATTEMPTS {
            break;
        }
        backoff(attempt);
        attempt += 1;
        pending = retry;
    }
    Ok(bulk.files.iter().copied().zip(outcome).collect())
}

/// Deletes the documents matching `query` and waits for it.
fn delete_by_query(client: &Client, query: &Value) -> Result<(), OpenSearchError> {
    let path = format!(
        "/{}/_delete_by_query?conflicts=proceed&refresh=true",
        client.index()
    );
    let mut attempt = 0;
    loop {
        match client.send(Method::Post, &path, Some(&json!({"query": query}))) {
            Ok(answer) => {
                let failures = answer["failures"].as_array().map_or(0, Vec::len);
                if failures == 0 {
                    return Ok(());
                }
                if attempt + 1 >= ATTEMPTS {
                    return Err(client.answer_error(
                        &path,
                        format!(
                            "{failures} documents could not be deleted: {}",
                            answer["failures"][0]
                        ),
                    ));
                }
            }
            Err(error) if error.is_transient() && attempt + 1 < ATTEMPTS => {}
            Err(error) => return Err(error),
        }
        backoff(attempt);
        attempt += 1;
    }
}
