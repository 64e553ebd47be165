//! Building and refreshing an index from a corpus folder: walk, compare fingerprints, parse and
//! enrich what changed in parallel, replace those files' articles, commit once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::Timestamp;
use rayon::prelude::*;
use serde::Serialize;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::document::to_document;
use super::schema::SCHEMA_VERSION;
use super::state::{IndexedFile, indexed_files};
use super::{CommitInfo, IndexError, NewsIndex};
use crate::corpus::{self, SourceFile};
use crate::enrich::Enricher;

/// Files parsed per parallel batch: bounds memory while keeping both cores busy.
const PARSE_BATCH: usize = 64;

/// How to build.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// The corpus folder (or single file).
    pub corpus: PathBuf,
    /// The index folder.
    pub index_dir: PathBuf,
    /// Rebuild every article instead of only what changed.
    pub full: bool,
    /// Draw a progress bar on stderr.
    pub progress: bool,
    /// The writer's memory budget in bytes.
    pub memory_budget: usize,
    /// A folder of extra gazetteers for the enricher.
    pub gazetteer: Option<PathBuf>,
}

impl BuildOptions {
    /// Options with the defaults: incremental, no progress bar, 256 MB writer budget.
    pub fn new(corpus: &Path, index_dir: &Path) -> BuildOptions {
        BuildOptions {
            corpus: corpus.to_path_buf(),
            index_dir: index_dir.to_path_buf(),
            full: false,
            progress: false,
            memory_budget: 256 * 1024 * 1024,
            gazetteer: None,
        }
    }
}

/// A file (or a record of one) that could not be indexed.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FailedFile {
    /// Path relative to the corpus root.
    pub path: String,
    /// Why ("invalid gzip stream", "line 7: EOF while parsing a string").
    pub error: String,
}

/// What a run did. Counts are articles.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct IndexReport {
    /// Articles of new files.
    pub added: u64,
    /// Articles of changed files (as they are now).
    pub updated: u64,
    /// Articles of vanished or changed files taken out of the index.
    pub removed: u64,
    /// Articles of unchanged files, left as they were.
    pub unchanged: u64,
    /// Files and records that failed, in path order.
    pub failed: Vec<FailedFile>,
    /// Articles in the index after the run.
    pub articles: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// Errors that stop a build (per-file problems never do).
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The corpus folder does not exist.
    #[error("corpus {path} does not exist")]
    MissingCorpus {
        /// The corpus path as given.
        path: PathBuf,
    },
    /// The extra gazetteers could not be read.
    #[error(transparent)]
    Gazetteer(#[from] crate::enrich::EnrichError),
    /// The index could not be opened or written.
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// Brings the index in `options.index_dir` up to date with `options.corpus`.
pub fn build(options: &BuildOptions) -> Result<IndexReport, BuildError> {
    let started = Instant::now();
    if !options.corpus.exists() {
        return Err(BuildError::MissingCorpus {
            path: options.corpus.clone(),
        });
    }
    let index = NewsIndex::open_for_write(&options.index_dir)?;
    let fields = index.fields().clone();
    let reader = index.reader()?;
    let known: BTreeMap<String, IndexedFile> = if options.full {
        BTreeMap::new()
    } else {
        indexed_files(&reader.searcher()).map_err(|e| index.error(e))?
    };
    let mut writer: IndexWriter<TantivyDocument> = index
        .index()
        .writer_with_num_threads(1, options.memory_budget)
        .map_err(|e| index.error(e))?;

    let (files, walk_errors) = corpus::walk(&options.corpus);
    let mut report = IndexReport {
        added: 0,
        updated: 0,
        removed: 0,
        unchanged: 0,
        failed: walk_errors
            .into_iter()
            .map(|e| FailedFile {
                path: e.path,
                error: e.reason,
            })
            .collect(),
        articles: 0,
        seconds: 0.0,
    };
    if options.full {
        writer.delete_all_documents().map_err(|e| index.error(e))?;
    }

    let mut todo: Vec<(SourceFile, String, bool)> = Vec::new();
    let seen: BTreeSet<&str> = files.iter().map(|f| f.rel_path.as_str()).collect();
    for file in &files {
        let fingerprint = fingerprint(file);
        match known.get(&file.rel_path) {
            Some(old) if old.fingerprint == fingerprint => report.unchanged += old.articles,
            Some(old) => {
                report.removed += old.articles;
                writer.delete_term(Term::from_field_text(fields.path, &file.rel_path));
                todo.push((file.clone(), fingerprint, true));
            }
            None => todo.push((file.clone(), fingerprint, false)),
        }
    }
    for (path, old) in &known {
        if !seen.contains(path.as_str()) {
            report.removed += old.articles;
            writer.delete_term(Term::from_field_text(fields.path, path));
        }
    }

    let bar = progress_bar(options.progress, todo.len() as u64);
    let enricher = match (&options.gazetteer, todo.is_empty()) {
        (_, true) => None,
        (None, false) => Some(Enricher::new()),
        (Some(dir), false) => Some(Enricher::with_extra(dir)?),
    };
    for batch in todo.chunks(PARSE_BATCH) {
        let parsed: Vec<_> = batch
            .par_iter()
            .map(|(file, fingerprint, changed)| {
                let Some(enricher) = enricher.as_ref() else {
                    return (file, *changed, Ok((Vec::new(), Vec::new())));
                };
                let result = corpus::parse(file).map(|parsed| {
                    let docs: Vec<TantivyDocument> = parsed
                        .articles
                        .iter()
                        .map(|article| {
                            to_document(&fields, article, &enricher.enrich(article), fingerprint)
                        })
                        .collect();
                    (docs, parsed.warnings)
                });
                (file, *changed, result)
            })
            .collect();
        for (file, changed, result) in parsed {
            bar.inc(1);
            match result {
                Ok((docs, warnings)) => {
                    let count = docs.len() as u64;
                    for doc in docs {
                        writer.add_document(doc).map_err(|e| index.error(e))?;
                    }
                    if changed {
                        report.updated += count;
                    } else {
                        report.added += count;
                    }
                    report
                        .failed
                        .extend(warnings.into_iter().map(|warning| FailedFile {
                            path: file.rel_path.clone(),
                            error: warning,
                        }));
                }
                Err(error) => report.failed.push(FailedFile {
                    path: error.path,
                    error: error.reason,
                }),
            }
        }
    }
    bar.finish_and_clear();

    let info = CommitInfo {
        schema_version: SCHEMA_VERSION,
        last_indexed: Timestamp::now(),
        corpus: options.corpus.display().to_string(),
    };
    let payload = serde_json::to_string(&info).unwrap_or_default();
    let mut prepared = writer.prepare_commit().map_err(|e| index.error(e))?;
    prepared.set_payload(&payload);
    prepared.commit().map_err(|e| index.error(e))?;
    writer.wait_merging_threads().map_err(|e| index.error(e))?;

    reader.reload().map_err(|e| index.error(e))?;
    report.articles = reader.searcher().num_docs();
    report.failed.sort_by(|a, b| a.path.cmp(&b.path));
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// A file's fingerprint: size and modification time, compared exactly on the next run.
fn fingerprint(file: &SourceFile) -> String {
    format!("{}:{}", file.size, file.mtime_ns)
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
