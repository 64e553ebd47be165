//! One incremental run over an opened index: walk, compare fingerprints, parse and enrich what
//! changed in parallel, replace those files' articles, commit in batches (see [`super::build`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::Timestamp;
use rayon::prelude::*;
use tantivy::{IndexWriter, Searcher, TantivyDocument, Term};

use super::copies::{self, CopyMap, Dedup};
use super::document::{copy_document, from_document, is_copy, text_key_of, to_document};
use super::fingerprint::{Fingerprint, content_hash};
use super::merge::NightlyMergePolicy;
use super::options::{BuildError, BuildOptions};
use super::plan::{Plan, Task, plan};
use super::schema::{Fields, SCHEMA_VERSION};
use super::state::{IndexedFile, indexed_files, stored_documents};
use super::{CommitInfo, NewsIndex};
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

/// Splits the files to read into batches of at most [`PARSE_BATCH`] files and
/// [`PARSE_BATCH_BYTES`] bytes (each batch holds at least one file).
fn batches<'t, 'a>(todo: &'t [Task<'a>]) -> impl Iterator<Item = &'t [Task<'a>]> {
    let mut rest = todo;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut bytes = 0u64;
        let mut len = 0;
        for task in rest.iter().take(PARSE_BATCH) {
            if len > 0 && bytes + task.file.size > PARSE_BATCH_BYTES {
                break;
            }
            bytes += task.file.size;
            len += 1;
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
        let stored_hash = task
            .old
            .and_then(|old| Fingerprint::parse(&old.fingerprint))
            .and_then(|old| old.hash);
        let same = !self.full && stored_hash == Some(hash);
        if same
            && !task.rescue
            && let Ok(Some(docs)) = self.restamp(file, hash)
        {
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

    fn documents(&self, file: &SourceFile, parsed: corpus::Parsed, hash: Option<u64>) -> Outcome {
        let fingerprint = Fingerprint::of(file, hash).to_string();
        let docs = parsed
            .articles
            .into_iter()
            .map(|mut article| {
                let entities = self.enricher.enrich_article(&mut article);
                to_document(self.fields, &article, &entities, &fingerprint)
            })
            .collect();
        Outcome::Parsed {
            docs,
            warnings: parsed.warnings,
        }
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
        .writer_with_num_threads(1, options.memory_budget)
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
            let outcomes: Vec<(&Task, Outcome)> = batch
                .par_iter()
                .map(|task| (task, reader.read(task)))
                .collect();
            for (task, outcome) in outcomes {
                bar.inc(1);
                if matches!(outcome, Outcome::Skipped) {
                    left += 1;
                    if task.rescue {
                        report.unchanged += task.old.map_or(0, |old| old.articles);
                    }
                    continue;
                }
                since_commit += apply(
                    &mut writer,
                    &fields,
                    &mut dedup,
                    options,
                    &mut report,
                    task,
                    outcome,
                )
                .map_err(|e| index.error(e))?;
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

/// Replaces one file's articles in the writer and counts them; returns the articles added.
fn apply(
    writer: &mut IndexWriter<TantivyDocument>,
    fields: &Fields,
    dedup: &mut Dedup,
    options: &BuildOptions,
    report: &mut IndexReport,
    task: &Task,
    outcome: Outcome,
) -> tantivy::Result<u64> {
    let file = task.file;
    if task.old.is_some() {
        writer.delete_term(Term::from_field_text(fields.path, &file.rel_path));
    }
    let old_articles = task.old.map_or(0, |old| old.articles);
    let (docs, same) = match outcome {
        Outcome::Skipped => return Ok(0),
        Outcome::Failed(error) => {
            report.bytes_read += file.size;
            report.removed += old_articles;
            report.failed.push(error.into());
            return Ok(0);
        }
        Outcome::Same { docs } => (docs, true),
        Outcome::Parsed { docs, warnings } => {
            report
                .failed
                .extend(warnings.into_iter().map(|warning| FailedFile {
                    path: file.rel_path.clone(),
                    error: warning,
                }));
            (docs, false)
        }
    };
    report.bytes_read += file.size;
    let count = docs.len() as u64;
    for doc in docs {
        let doc = match text_key_of(fields, &doc) {
            Some(key) if dedup.is_copy(key)? => copy_document(fields, &doc, key),
            _ => doc,
        };
        writer.add_document(doc)?;
    }
    let change = if same || task.rescue {
        FileChange::Unchanged
    } else if task.old.is_some() && !options.full {
        FileChange::Replaced
    } else {
        FileChange::Rewritten
    };
    report.count_file(change, count, old_articles);
    Ok(count)
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
    }
}
