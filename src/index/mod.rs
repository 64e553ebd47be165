//! The on-disk tantivy index: opening and creating it, its schema, the per-commit metadata, and
//! building it from a corpus (and rebuilding it when it was written by another schema version).

pub mod build;
pub mod copies;
mod directory;
pub mod document;
pub mod fingerprint;
mod merge;
mod options;
pub mod plan;
mod rebuild;
pub mod schema;
pub mod state;
pub(crate) mod stem;
mod update;

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use tantivy::directory::error::{LockError, OpenReadError, OpenWriteError};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyError};

pub use crate::report::{FailedFile, IndexReport};
pub use build::build;
pub use options::{BuildError, BuildOptions, DEFAULT_COMMIT_EVERY};
use schema::{Fields, SCHEMA_VERSION};

/// Errors opening, writing or reading an index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// No index exists in the folder.
    #[error("no index in {path} (run `newsdex index` first)")]
    Missing {
        /// The index folder.
        path: PathBuf,
    },
    /// The index was written by another schema version.
    #[error(
        "the index in {path} was written with schema version {found}, this newsdex uses \
         version {expected}: rebuild it with `newsdex index --full`"
    )]
    SchemaVersion {
        /// The index folder.
        path: PathBuf,
        /// The version found in the index.
        found: String,
        /// The version this binary writes.
        expected: u32,
    },
    /// Another process holds the writer lock.
    #[error(
        "another `newsdex index` is writing to {path}; wait for it to finish (the lock is \
         released when it exits)"
    )]
    Locked {
        /// The index folder.
        path: PathBuf,
    },
    /// The folder could not be created.
    #[error("cannot create index folder {path}")]
    CreateDir {
        /// The index folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The index is being rebuilt for this schema version (or a rebuild was interrupted).
    #[error(
        "the index in {path} is being rebuilt by `newsdex index` for this version of newsdex; \
         searches work again when it finishes (if no run is going on, run `newsdex index`)"
    )]
    Rebuilding {
        /// The index folder.
        path: PathBuf,
    },
    /// A file operation on the index folder failed.
    #[error("cannot {action} {path}")]
    Io {
        /// The folder or file.
        path: PathBuf,
        /// What was being done ("move aside").
        action: &'static str,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A file of the index is damaged: truncated, overwritten or missing.
    #[error("the index in {path} is damaged ({damage}): rebuild it with `newsdex index --full`")]
    Damaged {
        /// The index folder.
        path: PathBuf,
        /// What is wrong ("meta.json cannot be read", "abc.idx is truncated or corrupted").
        damage: String,
    },
    /// The index folder cannot be written (a read-only mount, or no permission).
    #[error(
        "cannot write to the index in {path} ({reason}); searches still read it, but \
         `newsdex index` needs a folder it can write"
    )]
    ReadOnly {
        /// The index folder.
        path: PathBuf,
        /// The system's reason ("Read-only file system (os error 30)").
        reason: String,
    },
    /// The file system of the index is full.
    #[error(
        "no space left on the device of the index in {path}: the last commit (if any) is intact \
         and still answers searches; free some space and run `newsdex index` again"
    )]
    NoSpace {
        /// The index folder.
        path: PathBuf,
    },
    /// A tantivy operation failed.
    #[error("index {path}: {source}")]
    Tantivy {
        /// The index folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: TantivyError,
    },
}

/// What each commit records besides the documents (tantivy's commit payload, as JSON).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CommitInfo {
    /// Schema version of the writer.
    pub schema_version: u32,
    /// When the commit was made.
    pub last_indexed: Timestamp,
    /// The corpus folder indexed, as given.
    pub corpus: String,
    /// What extraction produced the entities (see [`crate::enrich::extraction_fingerprint`]);
    /// empty in indexes written before it was recorded.
    #[serde(default)]
    pub extraction: String,
}

/// Times a reader is opened again when a concurrent commit removed files under it.
const READER_ATTEMPTS: u32 = 5;

/// An opened newsdex index.
pub struct NewsIndex {
    index: Index,
    fields: Fields,
    dir: PathBuf,
    reader: std::sync::OnceLock<IndexReader>,
    /// Whether the reader follows new commits (a server) or keeps its snapshot.
    reload_on_commit: bool,
}

impl NewsIndex {
    /// Whether `dir` holds an index (of any version).
    pub fn exists(dir: &Path) -> bool {
        dir.join("meta.json").is_file()
    }

    /// Opens the index in `dir` for writing: like [`NewsIndex::open`], but a missing index is
    /// created.
    pub(crate) fn open_for_write(dir: &Path) -> Result<NewsIndex, IndexError> {
        if !NewsIndex::exists(dir) {
            return NewsIndex::create(dir);
        }
        NewsIndex::open_as_is(dir)
    }

    /// Opens the index in `dir`, checking its schema version. An index that was created and
    /// never committed (a first run killed early) opens as an empty one when its fields are
    /// this version's.
    ///
    /// While `newsdex index` rebuilds an index written by another schema version, the old index
    /// cannot be read and, for an instant, there is none: both are reported as
    /// [`IndexError::Rebuilding`].
    pub fn open(dir: &Path) -> Result<NewsIndex, IndexError> {
        if !NewsIndex::exists(dir) {
            rebuild::wait_for_swap(dir);
        }
        match NewsIndex::open_as_is(dir) {
            Err(IndexError::Missing { .. } | IndexError::SchemaVersion { .. })
                if rebuild::in_progress(dir) =>
            {
                Err(IndexError::Rebuilding {
                    path: dir.to_path_buf(),
                })
            }
            result => result,
        }
    }

    /// [`NewsIndex::open`] without looking for a rebuild.
    fn open_as_is(dir: &Path) -> Result<NewsIndex, IndexError> {
        if !NewsIndex::exists(dir) {
            return Err(IndexError::Missing {
                path: dir.to_path_buf(),
            });
        }
        let index = directory::IndexDirectory::open(dir)
            .and_then(Index::open)
            .map_err(|source| tantivy_error(dir, source))?;
        stem::register(&index);
        // The payload and the segments from one read of `meta.json`: read apart, a commit
        // landing between the reads made a fresh index look written by an unknown version.
        let metas = index.load_metas().ok();
        let version = metas.as_ref().and_then(|metas| {
            let payload: serde_json::Value =
                serde_json::from_str(metas.payload.as_deref()?).ok()?;
            payload.get("schema_version")?.as_u64()
        });
        let found = match version {
            Some(version) => version.to_string(),
            None => "unknown".to_string(),
        };
        let never_committed =
            version.is_none() && metas.is_some_and(|metas| metas.segments.is_empty());
        if found != SCHEMA_VERSION.to_string() && !never_committed {
            return Err(IndexError::SchemaVersion {
                path: dir.to_path_buf(),
                found,
                expected: SCHEMA_VERSION,
            });
        }
        // The right version number with fields missing: still not an index this binary can use.
        let fields = Fields::resolve(&index.schema()).map_err(|_| IndexError::SchemaVersion {
            path: dir.to_path_buf(),
            found: format!("{found} (with other fields)"),
            expected: SCHEMA_VERSION,
        })?;
        Ok(NewsIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
            reader: std::sync::OnceLock::new(),
            reload_on_commit: false,
        })
    }

    /// The corpus folder the last commit of the index in `dir` was indexed from, whatever
    /// schema version wrote it.
    pub fn recorded_corpus(dir: &Path) -> Option<String> {
        let index = Index::open_in_dir(dir).ok()?;
        match payload_field(&index, "corpus")? {
            serde_json::Value::String(corpus) => Some(corpus),
            _ => None,
        }
    }

    /// Whether a rebuild of the index in `dir` is under way or was interrupted.
    pub fn rebuilding(dir: &Path) -> bool {
        rebuild::in_progress(dir)
    }

    /// Whether the index in `dir` was committed by some version of newsdex (its commit payload
    /// carries a schema version), so that rebuilding it deletes nothing else's.
    pub fn written_by_newsdex(dir: &Path) -> bool {
        Index::open_in_dir(dir)
            .ok()
            .is_some_and(|index| payload_version(&index).is_some())
    }

    /// Creates an empty index in `dir` (creating the folder if needed).
    pub fn create(dir: &Path) -> Result<NewsIndex, IndexError> {
        std::fs::create_dir_all(dir).map_err(|source| IndexError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
        let index = Index::create_in_dir(dir, schema::build_schema())
            .map_err(|source| tantivy_error(dir, source))?;
        stem::register(&index);
        let fields =
            Fields::resolve(&index.schema()).map_err(|source| tantivy_error(dir, source))?;
        Ok(NewsIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
            reader: std::sync::OnceLock::new(),
            reload_on_commit: false,
        })
    }

    /// The tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The field handles.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// This index with a reader that follows new commits of other processes (it reloads shortly
    /// after `meta.json` changes), for a long-running server.
    pub fn reload_on_commit(mut self) -> NewsIndex {
        self.reload_on_commit = true;
        self
    }

    /// A reader on the last commit (no reloading: one process, one snapshot; see
    /// [`NewsIndex::reload_on_commit`]).
    ///
    /// The reader is made once per `NewsIndex` and shared (a clone is cheap); it sees new commits
    /// only after `reload()`.
    pub fn reader(&self) -> Result<IndexReader, IndexError> {
        if let Some(reader) = self.reader.get() {
            return Ok(reader.clone());
        }
        // A run committing at the same time may delete the files of the commit this reader
        // started from (after a merge) before it opens them: the next attempt finds a newer
        // commit.
        let mut attempts = 0;
        let reader: IndexReader = loop {
            match self
                .index
                .reader_builder()
                .reload_policy(if self.reload_on_commit {
                    ReloadPolicy::OnCommitWithDelay
                } else {
                    ReloadPolicy::Manual
                })
                .try_into()
            {
                Ok(reader) => break reader,
                Err(TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(_)))
                    if attempts < READER_ATTEMPTS =>
                {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(source) => return Err(self.error(source)),
            }
        };
        Ok(self.reader.get_or_init(|| reader).clone())
    }

    /// The metadata of the last commit, if it has any.
    pub fn commit_info(&self) -> Option<CommitInfo> {
        commit_info(&self.index)
    }

    /// Wraps a tantivy error with this index's path.
    pub(crate) fn error(&self, source: TantivyError) -> IndexError {
        tantivy_error(&self.dir, source)
    }
}

fn commit_info(index: &Index) -> Option<CommitInfo> {
    let metas = index.load_metas().ok()?;
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

/// The `schema_version` of the last commit's payload, whatever else the payload holds.
fn payload_version(index: &Index) -> Option<u64> {
    payload_field(index, "schema_version")?.as_u64()
}

/// A field of the last commit's JSON payload, whatever version wrote it.
fn payload_field(index: &Index, key: &str) -> Option<serde_json::Value> {
    let metas = index.load_metas().ok()?;
    let mut payload: serde_json::Value = serde_json::from_str(metas.payload.as_deref()?).ok()?;
    Some(payload.get_mut(key)?.take())
}

fn tantivy_error(dir: &Path, source: TantivyError) -> IndexError {
    let path = dir.to_path_buf();
    if is_no_space(&source) {
        return IndexError::NoSpace { path };
    }
    match source {
        TantivyError::LockFailure(LockError::LockBusy, _) => IndexError::Locked { path },
        TantivyError::LockFailure(LockError::IoError(error), _)
            if directory::is_read_only(&error) =>
        {
            IndexError::ReadOnly {
                path,
                reason: error.to_string(),
            }
        }
        TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, .. })
            if directory::is_read_only(&io_error) =>
        {
            IndexError::ReadOnly {
                path,
                reason: io_error.to_string(),
            }
        }
        TantivyError::DataCorruption(corruption) => IndexError::Damaged {
            path,
            damage: if format!("{corruption:?}").contains("meta.json") {
                "meta.json cannot be read".to_string()
            } else {
                "a file is corrupted".to_string()
            },
        },
        TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath })
            if io_error.kind() == std::io::ErrorKind::InvalidData =>
        {
            IndexError::Damaged {
                path,
                damage: format!("{} is truncated or corrupted", filepath.display()),
            }
        }
        TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(file)) => IndexError::Damaged {
            path,
            damage: format!("{} is missing", file.display()),
        },
        source => IndexError::Tantivy { path, source },
    }
}

/// Whether a tantivy error comes from a full file system (tantivy passes some write errors on
/// as text only).
fn is_no_space(error: &TantivyError) -> bool {
    match error {
        TantivyError::IoError(io) => io.raw_os_error() == Some(libc::ENOSPC),
        TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, .. }) => {
            io_error.raw_os_error() == Some(libc::ENOSPC)
        }
        other => other.to_string().contains("(os error 28)"),
    }
}
