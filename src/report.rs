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
    /// Rebuilds left unfinished by runs that were killed, deleted at the start of this one
    /// (OpenSearch concrete index names).
    #[serde(skip)]
    pub abandoned: Vec<String>,
}

/// How a file read in a run relates to what the index held of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileChange {
    /// Its articles stay as they were (the same bytes, or copies read again to take over).
    Unchanged,
    /// A changed file: its articles replace its old ones.
    Replaced,
    /// A new file, or any file in a `--full` run: its old articles (if any) are gone, its
    /// articles are added.
    Rewritten,
}

impl IndexReport {
    /// Counts a file read in the run that holds `count` articles now and held `old` before.
    /// A changed file's articles replace its old ones one for one: only the difference is
    /// added or gone, so articles before, plus `added`, minus `removed`, are the articles after.
    pub fn count_file(&mut self, change: FileChange, count: u64, old: u64) {
        match change {
            FileChange::Unchanged => self.unchanged += count,
            FileChange::Replaced => {
                let replaced = count.min(old);
                self.updated += replaced;
                self.added += count - replaced;
                self.removed += old - replaced;
            }
            FileChange::Rewritten => {
                self.removed += old;
                self.added += count;
            }
        }
    }

    /// Megabytes of corpus read per second of the run.
    pub fn megabytes_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.bytes_read as f64 / 1e6 / self.seconds
        } else {
            0.0
        }
    }
}
