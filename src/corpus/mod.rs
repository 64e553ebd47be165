//! Reading a corpus: walking a folder into [`SourceFile`]s and parsing each into [`Article`]s.

use std::path::{Path, PathBuf};

use crate::article::Article;

/// Files larger than this are refused rather than read (after decompression too).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// One file found by [`walk`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// Full path on disk.
    pub full_path: PathBuf,
    /// Path relative to the corpus root, `/`-separated.
    pub rel_path: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i128,
}

/// A file that could not be read or parsed, with the reason.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct FileError {
    /// Path relative to the corpus root (or as given).
    pub path: String,
    /// Why the file failed.
    pub reason: String,
}

/// Walks `root`, sorted by path, skipping hidden entries and corpus documentation files.
pub fn walk(root: &Path) -> (Vec<SourceFile>, Vec<FileError>) {
    let _ = root;
    todo!("corpus::walk")
}

/// Reads and parses one file. Records that fail inside an otherwise good file (a truncated JSON
/// line) are reported in `warnings` while the others are kept.
pub fn parse(file: &SourceFile) -> Result<Parsed, FileError> {
    let _ = file;
    todo!("corpus::parse")
}

/// The outcome of parsing one file.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Articles in file order.
    pub articles: Vec<Article>,
    /// Problems with single records ("line 7: EOF while parsing a string").
    pub warnings: Vec<String>,
}
