//! One incremental run over an opened index: walk, compare fingerprints, parse and enrich what
//! changed in parallel, replace those files' articles, commit in batches (see [`super::build`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::Timestamp;
use rayon::prelude::*;
use tantivy::{IndexWriter, Searcher, TantivyDocument, Term};

use super::copies::{self, CopyMap, Dedup};
use super::document::{copy_document, from_document, is_copy, text_key_of, to_document};
use super::fingerprint::{Fingerprint, content_hash};
use super::merge::NightlyMergePolicy;
use super::options::{BuildError, BuildOptions, MIN_THREAD_BUDGET};
use super::plan::{Plan, Task, plan};
use super::schema::{Fields, SCHEMA_VERSION};
use super::state::{IndexedFile, indexed_files, stored_documents};
use super::{CommitInfo, NewsIndex};
use crate::article::Article;
use crate::corpus::{self, FileError, SourceFile};
use crate::enrich::Enricher;
use crate::report::{FailedFile, FileChange, IndexReport};

/// Files parsed per parallel batch at most: keeps both cores busy on small files.
const PARSE_BATCH: usize = 64;

/// Bytes of source files parsed per parallel batch at most (a single larger file still forms a
/// batch of its own): the documents of one batch are held in memory before the writer takes
/// them, so this, not the number of files, bounds a build's memory on large dump files.
const PARSE_BATCH_BYTES: u64 = 16 * 1024 * 1024;

/// A segment with more than this share of deleted articles is merged (rewritten without them),
/// so an index refreshed nightly stays within about 1.25 times the size of a fresh build at
/// worst. Rewriting costs about the deleted articles divided by this share every night, so a
/// lower share buys disk with time (Lucene allows 20 to 50%).
const MAX_DELETED_RATIO: f32 = 0.2;

/// Articles of an unchanged file (its time changed, its bytes did not) taken over from the
/// index with a new fingerprint at most; a larger file is read again, as the documents taken
/// over are all held at once.
const RESTAMP_ARTICLES: u64 = 10_000;

/// Splits the files to read into batches of at most [`PARSE_BATCH`] files and
/// [`PARSE_BATCH_BYTES`] bytes (each batch holds at least one file); a JSON Lines file, read in
/// chunks as it goes into the index (see [`read_streamed`]), makes a batch of its own.
fn batches<'t, 'a>(todo: &'t [Task<'a>]) -> impl Iterator<Item = &'t [Task<'a>]> {
    let mut rest = todo;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut bytes = 0u64;
        let mut len = 0;
        for task in rest.iter().take(PARSE_BATCH) {
            let streamed = corpus::is_streamed(&task.file.rel_path);
            if len > 0 && (streamed || bytes + task.file.size > PARSE_BATCH_BYTES) {
                break;
            }
            bytes += task.file.size;
            len += 1;
            if streamed {
                break;
            }
        }
        let (batch, tail) = rest.split_at(len);
        rest = tail;
        Some(batch)
    })
}

/// What reading a file gave.
enum Outcome {
    /// The run was stopped before the file was read.
    Skipped,
    /// Time or size changed but the bytes did not: the stored articles, with the new fingerprint.
    Same { docs: Vec<TantivyDocument> },
    /// The file's articles as they are now, and the records that failed.
    Parsed {
        docs: Vec<TantivyDocument>,
        warnings: Vec<String>,
    },
    /// The file could not be read or parsed.
    Failed(FileError),
}

/// Shared, read-only state of the parallel reading.
struct Reader<'a> {
    fields: &'a Fields,
    searcher: &'a Searcher,
    enricher: &'a Enricher,
    full: bool,
    stop: &'a AtomicBool,
}

impl Reader<'_> {
    fn read(&self, task: &Task) -> Outcome {
        if self.stop.load(Ordering::Relaxed) {
            return Outcome::Skipped;
        }
        let file = task.file;
        if file.size > corpus::MAX_FILE_BYTES {
            return match corpus::parse(file) {
                Err(error) => Outcome::Failed(error),
                Ok(parsed) => self.documents(file, parsed, None),
            };
        }
        let bytes = match corpus::read(file) {
            Ok(bytes) => bytes,
            Err(error) => return Outcome::Failed(error),
        };
        let hash = content_hash(&bytes);
        let same = self.same(task, hash);
        if let Some(docs) = self.restamped(task, same, hash) {
            return Outcome::Same { docs };
        }
        match corpus::parse_bytes(&file.rel_path, &bytes) {
            Ok(parsed) => match self.documents(file, parsed, Some(hash)) {
                // Read again only to decide its copies anew.
                Outcome::Parsed { docs, .. } if same => Outcome::Same { docs },
                outcome => outcome,
            },
            Err(error) => Outcome::Failed(error),
        }
    }

    /// Whether the bytes of the task's file, hashing to `hash`, are those indexed.
    fn same(&self, task: &Task, hash: u64) -> bool {
        let stored = task
            .old
            .and_then(|old| Fingerprint::parse(&old.fingerprint))
            .and_then(|old| old.hash);
        !self.full && stored == Some(hash)
    }

    /// The stored articles of a file whose bytes are the `same`, with its new fingerprint, when
    /// they can be taken over (see [`Reader::restamp`] and [`RESTAMP_ARTICLES`]).
    fn restamped(&self, task: &Task, same: bool, hash: u64) -> Option<Vec<TantivyDocument>> {
        let small = task.old.is_some_and(|old| old.articles <= RESTAMP_ARTICLES);
        if !same || task.rescue || !small {
            return None;
        }
        self.restamp(task.file, hash).ok().flatten()
    }

    fn documents(&self, file: &SourceFile, parsed: corpus::Parsed, hash: Option<u64>) -> Outcome {
        let fingerprint = Fingerprint::of(file, hash).to_string();
        let docs = parsed
            .articles
            .into_iter()
            .map(|mut article| self.document(&mut article, &fingerprint))
            .collect();
        Outcome::Parsed {
            docs,
            warnings: parsed.warnings,
        }
    }

    /// The document of `article`, enriched.
    fn document(&self, article: &mut Article, fingerprint: &str) -> TantivyDocument {
        let entities = self.enricher.enrich_article(article);
        to_document(self.fields, article, &entities, fingerprint)
    }

    /// The stored articles of an unchanged file, as documents carrying its new fingerprint
    /// (tantivy cannot update a field in place); `None` when the file holds copies, whose text
    /// is not stored.
    fn restamp(
        &self,
        file: &SourceFile,
        hash: u64,
    ) -> tantivy::Result<Option<Vec<TantivyDocument>>> {
        let fingerprint = Fingerprint::of(file, Some(hash)).to_string();
        let stored = stored_documents(self.searcher, self.fields.path, &file.rel_path)?;
        if stored.iter().any(|doc| is_copy(self.fields, doc)) {
            return Ok(None);
        }
        Ok(Some(
            stored
                .iter()
                .map(|doc| {
                    let stored = from_document(self.fields, doc);
                    to_document(self.fields, &stored.article, &stored.entities, &fingerprint)
                })
                .collect(),
        ))
    }
}

/// Applies what changed in the corpus to an opened index.
pub(super) fn update(
    index: &NewsIndex,
    options: &BuildOptions,
    started: Instant,
) -> Result<IndexReport, BuildError> {
    let fields = index.fields().clone();
    let reader = index.reader()?;
    let searcher = reader.searcher();
    // The walk (mostly waiting on stat calls) runs while the index's file state is read.
    let ((files, walk_errors), known) = std::thread::scope(|scope| {
        let walk = scope.spawn(|| corpus::walk(&options.corpus));
        let known = indexed_files(&searcher);
        let walked = walk
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (walked, known)
    });
    let known = known.map_err(|e| index.error(e))?;
    let extraction = crate::enrich::extraction_fingerprint(options.gazetteer.as_deref())?;
    let reextract = !known.is_empty()
        && !options.full
        && index
            .commit_info()
            .is_some_and(|info| info.extraction != extraction);
    let forced;
    let options = if reextract {
        forced = BuildOptions {
            full: true,
            ..options.clone()
        };
        &forced
    } else {
        options
    };
    let mut writer: IndexWriter<TantivyDocument> = index
        .index()
        .writer_with_num_threads(
            indexing_threads(options.memory_budget),
            options.memory_budget,
        )
        .map_err(|e| index.error(e))?;
    writer.set_merge_policy(Box::new(NightlyMergePolicy::new(MAX_DELETED_RATIO)));

    let copy_map = CopyMap::read(&searcher).map_err(|e| index.error(e))?;
    let Plan {
        todo,
        vanished,
        replaced,
        unchanged,
    } = plan(&files, &known, &copy_map, options.full);
    if !options.allow_purge {
        purge_guard(options, &files, &known, &vanished)?;
    }
    let mut report = IndexReport {
        failed: walk_errors.into_iter().map(FailedFile::from).collect(),
        reextracted: reextract,
        unchanged,
        ..IndexReport::default()
    };
    // Vanished files go with the first commit: at no commit does a moved file's article exist
    // under both its old and its new path.
    for path in vanished {
        report.removed += known[path].articles;
        writer.delete_term(Term::from_field_text(fields.path, path));
    }

    let bar = progress_bar(options.progress, todo.len() as u64);
    let enricher = match (&options.gazetteer, todo.is_empty()) {
        (_, true) => None,
        (None, false) => Some(Enricher::new()),
        (Some(dir), false) => Some(Enricher::with_extra(dir)?),
    };
    let mut since_commit: u64 = 0;
    let mut left: u64 = 0;
    if let Some(enricher) = &enricher {
        let reader = Reader {
            fields: &fields,
            searcher: &searcher,
            enricher,
            full: options.full,
            stop: &options.stop,
        };
        let mut dedup =
            Dedup::new(&searcher, &fields, &replaced, options.full).map_err(|e| index.error(e))?;
        for batch in batches(&todo) {
            // A JSON Lines file is read, enriched and added a chunk at a time (unless the run
            // was stopped: then it is skipped as any other file).
            let streamed = match batch {
                [task] if corpus::is_streamed(&task.file.rel_path) => Some(task),
                _ => None,
            }
            .filter(|_| !options.stop.load(Ordering::Relaxed));
            let outcomes: Vec<(&Task, Outcome)> = match streamed {
                Some(_) => Vec::new(),
                None => batch
                    .par_iter()
                    .map(|task| (task, reader.read(task)))
                    .collect(),
            };
            let mut target = Target {
                writer: &mut writer,
                fields: &fields,
                dedup: &mut dedup,
                options,
                report: &mut report,
            };
            if let Some(task) = streamed {
                bar.inc(1);
                since_commit +=
                    read_streamed(&mut target, &reader, task).map_err(|e| index.error(e))?;
            }
            for (task, outcome) in outcomes {
                bar.inc(1);
                if matches!(outcome, Outcome::Skipped) {
                    left += 1;
                    if task.rescue {
                        target.report.unchanged += task.old.map_or(0, |old| old.articles);
                    }
                    continue;
                }
                since_commit += apply(&mut target, task, outcome).map_err(|e| index.error(e))?;
            }
            if since_commit >= options.commit_every {
                commit(&mut writer, options, &extraction).map_err(|e| index.error(e))?;
                report.commits += 1;
                since_commit = 0;
            }
        }
    }
    bar.finish_and_clear();
    commit(&mut writer, options, &extraction).map_err(|e| index.error(e))?;
    report.commits += 1;
    writer.wait_merging_threads().map_err(|e| index.error(e))?;

    reader.reload().map_err(|e| index.error(e))?;
    (report.articles, report.copies) =
        copies::counts(&reader.searcher(), &fields).map_err(|e| index.error(e))?;
    report.failed.sort_by(|a, b| a.path.cmp(&b.path));
    report.interrupted = (left > 0).then_some(left);
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Refuses a run that would remove every article (the corpus holds no file) or more than half
/// of them (their files vanished, and fewer new files appeared: a renamed or moved folder
/// passes), as an unmounted drive or a wrong path would.
fn purge_guard(
    options: &BuildOptions,
    files: &[SourceFile],
    known: &HashMap<String, IndexedFile>,
    vanished: &[&str],
) -> Result<(), BuildError> {
    let articles: u64 = known.values().map(|file| file.articles).sum();
    if articles == 0 {
        return Ok(());
    }
    if files.is_empty() {
        return Err(BuildError::EmptyCorpus {
            corpus: options.corpus.clone(),
            articles,
        });
    }
    let removed: u64 = vanished.iter().map(|path| known[*path].articles).sum();
    let new_files = files
        .iter()
        .filter(|file| !known.contains_key(&file.rel_path))
        .count();
    if removed * 2 > articles && new_files < vanished.len() {
        return Err(BuildError::WouldPurge {
            corpus: options.corpus.clone(),
            removed,
            articles,
        });
    }
    Ok(())
}

/// Where the articles of the files read go, and what the run reports of them.
struct Target<'w, 'd> {
    writer: &'w mut IndexWriter<TantivyDocument>,
    fields: &'w Fields,
    dedup: &'w mut Dedup<'d>,
    options: &'w BuildOptions,
    report: &'w mut IndexReport,
}

impl Target<'_, '_> {
    /// Deletes the committed articles of the task's file, if the index holds it.
    fn delete_old(&mut self, task: &Task) {
        if task.old.is_some() {
            self.delete(task);
        }
    }

    /// Deletes every article of the task's file, committed or added by this run so far.
    fn delete(&mut self, task: &Task) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.path, &task.file.rel_path));
    }

    /// Adds one article of a file, as a copy when its text is already in the index.
    fn add(&mut self, doc: TantivyDocument) -> tantivy::Result<()> {
        let doc = match text_key_of(self.fields, &doc) {
            Some(key) if self.dedup.is_copy(key)? => copy_document(self.fields, &doc, key),
            _ => doc,
        };
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Reports a file that could not be read: its old articles are gone.
    fn failed(&mut self, task: &Task, error: FileError) {
        self.report.bytes_read += task.file.size;
        self.report.removed += task.old.map_or(0, |old| old.articles);
        self.report.failed.push(error.into());
    }

    /// Reports a file read with `count` articles (`same`: its bytes had not changed) and the
    /// records that failed.
    fn read(&mut self, task: &Task, same: bool, count: u64, warnings: Vec<String>) {
        let file = task.file;
        self.report
            .failed
            .extend(warnings.into_iter().map(|warning| FailedFile {
                path: file.rel_path.clone(),
                error: warning,
            }));
        self.report.bytes_read += file.size;
        let change = if same || task.rescue {
            FileChange::Unchanged
        } else if task.old.is_some() && !self.options.full {
            FileChange::Replaced
        } else {
            FileChange::Rewritten
        };
        let old_articles = task.old.map_or(0, |old| old.articles);
        self.report.count_file(change, count, old_articles);
    }
}

/// Replaces one file's articles in the writer and counts them; returns the articles added.
fn apply(target: &mut Target, task: &Task, outcome: Outcome) -> tantivy::Result<u64> {
    target.delete_old(task);
    let (docs, same, warnings) = match outcome {
        Outcome::Skipped => return Ok(0),
        Outcome::Failed(error) => {
            target.failed(task, error);
            return Ok(0);
        }
        Outcome::Same { docs } => (docs, true, Vec::new()),
        Outcome::Parsed { docs, warnings } => (docs, false, warnings),
    };
    let count = docs.len() as u64;
    for doc in docs {
        target.add(doc)?;
    }
    target.read(task, same, count, warnings);
    Ok(count)
}

/// Reads a JSON Lines file a chunk of records at a time, each chunk enriched on every core and
/// added to the writer before the next is parsed, so that memory does not grow with the file's
/// records (the writer flushes its segments within its budget; nothing is committed before the
/// whole file is in). The articles, ids and copies are those of a file read whole. A file that
/// turns out bad halfway (changed while read) has what was added of it deleted again.
fn read_streamed(target: &mut Target, reader: &Reader, task: &Task) -> tantivy::Result<u64> {
    let file = task.file;
    let scan = match corpus::open(file).and_then(|raw| corpus::scan_lines(&file.rel_path, raw)) {
        Err(error) => return apply(target, task, Outcome::Failed(error)),
        // A UTF-16 file is read whole.
        Ok(None) => return apply(target, task, reader.read(task)),
        Ok(Some(scan)) => scan,
    };
    let same = reader.same(task, scan.hash);
    if let Some(docs) = reader.restamped(task, same, scan.hash) {
        return apply(target, task, Outcome::Same { docs });
    }
    target.delete_old(task);
    let fingerprint = Fingerprint::of(file, Some(scan.hash)).to_string();
    // The file is parsed on a thread of its own, a chunk ahead of the enrichment of the chunk
    // before it, so that parsing never leaves the other cores waiting.
    let (streamed, added) = std::thread::scope(|scope| {
        let (chunks, received) = mpsc::sync_channel::<Vec<Article>>(1);
        let scan = &scan;
        let parser = scope.spawn(move || {
            corpus::open(file).and_then(|raw| {
                corpus::read_lines(&file.rel_path, raw, scan, |articles| {
                    // The receiver lives until every chunk is taken.
                    let _ = chunks.send(articles);
                })
            })
        });
        let mut added: tantivy::Result<u64> = Ok(0);
        for articles in received {
            let Ok(count) = &mut added else {
                // After an error the chunks are only drained, so that the parser finishes.
                continue;
            };
            *count += articles.len() as u64;
            let docs: Vec<TantivyDocument> = articles
                .into_par_iter()
                .map(|mut article| reader.document(&mut article, &fingerprint))
                .collect();
            if let Some(error) = docs.into_iter().find_map(|doc| target.add(doc).err()) {
                added = Err(error);
            }
        }
        let streamed = parser
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (streamed, added)
    });
    let added = added?;
    match streamed {
        Ok(streamed) => {
            target.read(task, same, streamed.articles, streamed.warnings);
            Ok(added)
        }
        Err(error) => {
            if added > 0 {
                target.delete(task);
            }
            target.failed(task, error);
            Ok(0)
        }
    }
}

/// Indexing threads for the writer: one per core (at most 8), as long as each keeps tantivy's
/// smallest share of the memory budget (the budget is split between them, so memory stays
/// the same). Parsing and extraction run on the same cores, a chunk ahead.
fn indexing_threads(memory_budget: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let affordable = memory_budget / MIN_THREAD_BUDGET;
    cores.min(8).min(affordable).max(1)
}

/// Commits what the writer holds, with this run's [`CommitInfo`] as payload.
fn commit(
    writer: &mut IndexWriter<TantivyDocument>,
    options: &BuildOptions,
    extraction: &str,
) -> tantivy::Result<()> {
    let info = CommitInfo {
        schema_version: SCHEMA_VERSION,
        last_indexed: Timestamp::now(),
        corpus: options.corpus.display().to_string(),
        extraction: extraction.to_string(),
    };
    let payload = serde_json::to_string(&info).unwrap_or_default();
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    Ok(())
}

fn progress_bar(visible: bool, len: u64) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} indexing [{bar:30}] {pos}/{len} files {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn file(size: u64) -> SourceFile {
        SourceFile {
            full_path: PathBuf::new(),
            rel_path: String::new(),
            size,
            mtime_ns: 0,
        }
    }

    #[test]
    fn batches_are_bounded_by_files_and_bytes() {
        let mb = 1024 * 1024;
        let sizes = [mb, 10 * mb, 10 * mb, 40 * mb, 1, 1];
        let files: Vec<SourceFile> = sizes.iter().map(|&s| file(s)).collect();
        let tasks: Vec<Task> = files.iter().map(|file| Task::new(file, None)).collect();
        let lens: Vec<usize> = batches(&tasks).map(<[Task]>::len).collect();
        assert_eq!(lens, [2, 1, 1, 2]);

        let small: Vec<SourceFile> = (0..150).map(|_| file(10)).collect();
        let tasks: Vec<Task> = small.iter().map(|file| Task::new(file, None)).collect();
        let lens: Vec<usize> = batches(&tasks).map(<[Task]>::len).collect();
        assert_eq!(lens, [64, 64, 22]);
        assert_eq!(batches(&[]).count(), 0);

        let named: Vec<SourceFile> = ["a.txt", "b.jsonl.gz", "c.txt", "d.ndjson", "e.md"]
            .iter()
            .map(|name| SourceFile {
                rel_path: name.to_string(),
                ..file(10)
            })
            .collect();
        let tasks: Vec<Task> = named.iter().map(|file| Task::new(file, None)).collect();
        let lens: Vec<usize> = batches(&tasks).map(<[Task]>::len).collect();
        assert_eq!(lens, [1, 1, 1, 1, 1]);
    }
}
