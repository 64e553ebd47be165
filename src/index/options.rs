//! What a build is asked to do and how it can fail, shared by the local build, the rebuild
//! beside an index of another schema version, and the OpenSearch sync.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::IndexError;

/// Default number of added articles after which a run commits.
pub const DEFAULT_COMMIT_EVERY: u64 = 10_000;

/// The index writer's memory budget: its one indexing thread writes a segment when its buffers
/// reach it. Finishing a segment takes about half as much again, so with the text keys of the
/// run and the chunk being read, `newsdex index` stays under 400 MB of anonymous memory even on
/// ten million tiny articles (see `docs/limits.md`).
pub const WRITER_BUDGET: usize = 128 * 1024 * 1024;

/// The smallest memory budget tantivy gives an indexing thread (its
/// `MEMORY_BUDGET_NUM_BYTES_MIN`, not exported): a writer's budget is split between its threads.
pub const MIN_THREAD_BUDGET: usize = 15_000_000;

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
    /// The writer's memory budget in bytes ([`WRITER_BUDGET`] by default).
    pub memory_budget: usize,
    /// A folder of extra gazetteers for the enricher.
    pub gazetteer: Option<PathBuf>,
    /// Commit once at least this many articles were added since the last commit (and at the
    /// end), so a killed run loses at most about one batch.
    pub commit_every: u64,
    /// Set it (from a Ctrl-C handler, say) to stop reading files: the files already read are
    /// committed and the run ends with [`IndexReport::interrupted`] set.
    pub stop: Arc<AtomicBool>,
    /// Let a run remove every article when the corpus is empty, or more than half of them
    /// when their files vanished; without it such a run is refused with
    /// [`BuildError::EmptyCorpus`] or [`BuildError::WouldPurge`].
    pub allow_purge: bool,
}

impl BuildOptions {
    /// Options with the defaults: incremental, no progress bar, 128 MiB writer budget, a commit
    /// every [`DEFAULT_COMMIT_EVERY`] articles.
    pub fn new(corpus: &Path, index_dir: &Path) -> BuildOptions {
        BuildOptions {
            corpus: corpus.to_path_buf(),
            index_dir: index_dir.to_path_buf(),
            full: false,
            progress: false,
            memory_budget: WRITER_BUDGET,
            gazetteer: None,
            commit_every: DEFAULT_COMMIT_EVERY,
            stop: Arc::new(AtomicBool::new(false)),
            allow_purge: false,
        }
    }
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
    /// The corpus holds no file while the index holds articles: an unmounted drive or a wrong
    /// path would otherwise empty the index.
    #[error(
        "corpus {} holds no files but the index holds {articles} articles: refusing to remove \
         them all (is a drive unmounted, or the path wrong?); run `newsdex index --allow-purge` \
         to remove them",
        corpus.display()
    )]
    EmptyCorpus {
        /// The corpus path as given.
        corpus: PathBuf,
        /// Articles in the index.
        articles: u64,
    },
    /// More than half of the index's articles are in files gone from the corpus.
    #[error(
        "{removed} of the index's {articles} articles are in files no longer in corpus {}: \
         refusing to remove more than half of the index in one run (is a folder missing?); run \
         `newsdex index --allow-purge` to remove them",
        corpus.display()
    )]
    WouldPurge {
        /// The corpus path as given.
        corpus: PathBuf,
        /// Articles the run would remove.
        removed: u64,
        /// Articles in the index.
        articles: u64,
    },
    /// The extra gazetteers could not be read.
    #[error(transparent)]
    Gazetteer(#[from] crate::enrich::EnrichError),
    /// The index could not be opened or written.
    #[error(transparent)]
    Index(#[from] IndexError),
}
