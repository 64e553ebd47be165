//! What an index run did, as plain data: the same report whichever backend was written, read by
//! the renderers (`output/`) and printed as the `index --json` line.

use serde::Serialize;

use crate::corpus::FileError;

/// A file (or a record of one) that could not be indexed.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FailedFile {
    /// Path relative to the corpus root.
    pub path: String,
    /// Why ("invalid gzip stream", "line 7: EOF while parsing a string").
    pub error: String,
}

impl From<FileError> for FailedFile {
    fn from(error: FileError) -> FailedFile {
        FailedFile {
            path: error.path,
            error: error.reason,
        }
    }
}

/// What a run did. Counts are articles.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct IndexReport {
    /// Articles of new files, and those a changed file holds beyond its old count (with
    /// `--full`, every article written).
    pub added: u64,
    /// Articles of changed files that replace one of their old articles.
    pub updated: u64,
    /// Articles gone: those of vanished or unreadable files, and those a changed file holds
    /// no longer (with `--full`, every article the index held). Articles before the run, plus
    /// `added`, minus `removed`, are the articles after it.
    pub removed: u64,
    /// Articles of unchanged files, left as they were; a file whose time or size changed but
    /// whose bytes did not counts here too.
    pub unchanged: u64,
    /// Files and records that failed, in path order.
    pub failed: Vec<FailedFile>,
    /// Articles in the index after the run, each counted once however many files hold it.
    pub articles: u64,
    /// Copies in the index after the run: articles whose text is already indexed from another
    /// file, kept as that article's `also_at` locations.
    pub copies: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Bytes of corpus files read (not part of the JSON report).
    #[serde(skip)]
    pub bytes_read: u64,
    /// Commits made.
    #[serde(skip)]
    pub commits: u64,
    /// Files left for the next run because the run was stopped.
    #[serde(skip)]
    pub interrupted: Option<u64>,
    /// The schema version of an index that was rebuilt because it was written by another one.
    #[serde(skip)]
    pub rebuilt_from: Option<String>,
    /// What was wrong with a damaged index that `--full` replaced with a new one.
    #[serde(skip)]
    pub repaired: Option<String>,
    /// Every article was extracted again because extraction changed since the last run.
    #[serde(skip)]
    pub reextracted: bool,
}

impl IndexReport {
    /// Megabytes of corpus read per second of the run.
    pub fn megabytes_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.bytes_read as f64 / 1e6 / self.seconds
        } else {
            0.0
        }
    }
}
