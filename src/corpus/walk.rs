//! Listing the files of a corpus folder in a stable order.

use std::cmp::Ordering;
use std::path::Path;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use walkdir::{DirEntry, WalkDir};

use super::{FileError, SourceFile};

/// File names (before the first `.`, any case) of a corpus's own documentation, never articles.
const DOC_NAMES: [&str; 4] = ["README", "ATTRIBUTION", "LICENSE", "NOTICE"];

/// Walks `root`, sorted by path, skipping hidden entries and corpus documentation files.
///
/// Every regular file is listed, whatever its extension; [`super::parse`] decides what it holds.
/// Symbolic links are followed; a link that loops back to an ancestor, a broken link, an
/// unreadable folder, or something that is not a file (a named pipe, a socket, a device, which
/// reading could block on forever) becomes a [`FileError`] and the walk goes on. When `root` is a file, that
/// one file is listed under its file name.
pub fn walk(root: &Path) -> (Vec<SourceFile>, Vec<FileError>) {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_skipped(entry));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => entries.push(entry),
            Ok(entry) if entry.file_type().is_dir() => {}
            Ok(entry) => errors.push(FileError::new(
                relative(root, entry.path()),
                not_a_file(entry.file_type()),
            )),
            Err(error) => errors.push(walk_error(root, &error)),
        }
    }
    // Reading each file's size and time is most of the cost of a walk (a nightly run over an
    // unchanged corpus does little else): it runs on every core.
    let stats: Vec<Result<SourceFile, FileError>> = entries
        .into_par_iter()
        .map(|entry| source_file(root, entry))
        .collect();
    let mut files = Vec::with_capacity(stats.len());
    for stat in stats {
        match stat {
            Ok(file) => files.push(file),
            Err(error) => errors.push(error),
        }
    }
    // Folder by folder, names in byte order: sorting once here is cheaper than sorting each
    // folder's entries by `Path::file_name` as they are read.
    files.par_sort_unstable_by(|a, b| by_components(&a.rel_path, &b.rel_path));
    (files, errors)
}

/// The reason given for an entry that is neither a regular file nor a folder.
pub(super) fn not_a_file(kind: std::fs::FileType) -> String {
    format!("skipped: not a regular file ({})", kind_name(kind))
}

#[cfg(unix)]
fn kind_name(kind: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn kind_name(_: std::fs::FileType) -> &'static str {
    "a special file"
}

/// Orders `/`-separated paths component by component (`a/b` before `a-c`, as `a` sorts before
/// `a-c`): byte order with `/` counted lower than any other byte.
fn by_components(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let next = |path: &[u8]| path.get(common).map(|&c| if c == b'/' { 0 } else { c });
    next(a).cmp(&next(b))
}

/// Hidden entries, and documentation files (not folders).
fn is_skipped(entry: &DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    name.starts_with('.') || (!entry.file_type().is_dir() && is_doc_file(&name))
}

/// `README`, `README.md`, `LICENSE-MIT`, `attribution.txt`...
fn is_doc_file(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name);
    DOC_NAMES.iter().any(|doc| {
        stem.get(..doc.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(doc))
            && (stem.len() == doc.len() || stem[doc.len()..].starts_with(['-', '_']))
    })
}

/// `path` relative to `root`, `/`-separated; the file name when `path` is `root` itself.
fn relative(root: &Path, path: &Path) -> String {
    // Paths under `root` start with its text: cutting that is much cheaper than comparing
    // components with `Path::strip_prefix`.
    let full = path.to_string_lossy();
    let root_text = root.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/'
        && let Some(rest) = full.strip_prefix(&*root_text)
        && (root_text.ends_with('/') || rest.starts_with('/'))
    {
        let rest = rest.trim_start_matches('/');
        if !rest.is_empty() {
            return rest.to_string();
        }
    }
    let rel = path.strip_prefix(root).unwrap_or(path);
    if rel.as_os_str().is_empty() {
        return path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.to_string_lossy().into_owned());
    }
    let rel = rel.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        rel.into_owned()
    } else {
        rel.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

fn source_file(root: &Path, entry: DirEntry) -> Result<SourceFile, FileError> {
    let rel_path = relative(root, entry.path());
    let metadata = entry
        .metadata()
        .map_err(|e| FileError::new(rel_path.clone(), e.to_string()))?;
    let mtime_ns = metadata
        .modified()
        .ok()
        .map(|t| match t.duration_since(UNIX_EPOCH) {
            Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
            Err(before) => -i128::try_from(before.duration().as_nanos()).unwrap_or(i128::MAX),
        })
        .unwrap_or(0);
    Ok(SourceFile {
        full_path: entry.into_path(),
        rel_path,
        size: metadata.len(),
        mtime_ns,
    })
}

fn walk_error(root: &Path, error: &walkdir::Error) -> FileError {
    let path = error
        .path()
        .map(|p| relative(root, p))
        .unwrap_or_else(|| root.to_string_lossy().into_owned());
    let reason = match (error.loop_ancestor(), error.io_error()) {
        (Some(ancestor), _) => format!(
            "symbolic link loop (points back to {})",
            relative(root, ancestor)
        ),
        (None, Some(io)) => io.to_string(),
        (None, None) => error.to_string(),
    };
    FileError::new(path, reason)
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    fn touch(root: &Path, rel: &str) {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create folders");
        }
        fs::write(path, "Headline of the article\n\nBody.\n").expect("write file");
    }

    fn rel_paths(files: &[SourceFile]) -> Vec<&str> {
        files.iter().map(|f| f.rel_path.as_str()).collect()
    }

    #[test]
    fn paths_sort_component_by_component() {
        let mut paths = ["ab.txt", "a.txt", "a/b.txt", "a-c/x.txt", "a/b/c.txt"];
        paths.sort_by(|a, b| by_components(a, b));
        assert_eq!(
            paths,
            ["a/b/c.txt", "a/b.txt", "a-c/x.txt", "a.txt", "ab.txt"]
        );
    }

    #[test]
    fn walk_is_sorted_and_skips_hidden_and_docs() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        for rel in [
            "b.txt",
            "a/z.json",
            "a/c.md",
            "README.md",
            "readme",
            "LICENSE-MIT",
            "Attribution.txt",
            "sub/NOTICE",
            ".hidden.txt",
            ".git/config",
            "sub/.cache/x.txt",
            "sub/licensed-data.csv",
            "sub/image.jpg",
        ] {
            touch(root, rel);
        }
        let (files, errors) = walk(root);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            rel_paths(&files),
            [
                "a/c.md",
                "a/z.json",
                "b.txt",
                "sub/image.jpg",
                "sub/licensed-data.csv"
            ]
        );
        assert_eq!(files[0].size, 31);
        assert!(files[0].mtime_ns > 0);
        assert_eq!(files[0].full_path, root.join("a/c.md"));
    }

    #[test]
    fn walk_of_a_file_lists_that_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        touch(dir.path(), "one.txt");
        let (files, errors) = walk(&dir.path().join("one.txt"));
        assert!(errors.is_empty());
        assert_eq!(rel_paths(&files), ["one.txt"]);
    }

    #[test]
    fn walk_of_a_missing_root_is_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (files, errors) = walk(&dir.path().join("missing"));
        assert!(files.is_empty());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path, "missing");
    }

    #[cfg(unix)]
    #[test]
    fn walk_survives_symlink_loops_and_follows_links() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        touch(root, "a/x.txt");
        touch(root, "elsewhere/y.txt");
        let outside = tempfile::tempdir().expect("temp dir");
        touch(outside.path(), "z.txt");
        std::os::unix::fs::symlink(root.join("a"), root.join("a/loop")).expect("symlink");
        std::os::unix::fs::symlink(outside.path(), root.join("linked")).expect("symlink");
        std::os::unix::fs::symlink(root.join("gone"), root.join("broken.txt")).expect("symlink");
        let (files, errors) = walk(root);
        assert_eq!(
            rel_paths(&files),
            ["a/x.txt", "elsewhere/y.txt", "linked/z.txt"]
        );
        let mut failed: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.path.as_str(), e.reason.as_str()))
            .collect();
        failed.sort();
        assert_eq!(failed.len(), 2, "{failed:?}");
        assert_eq!(
            failed[0],
            ("a/loop", "symbolic link loop (points back to a)")
        );
        assert_eq!(failed[1].0, "broken.txt");
        assert!(failed[1].1.contains("No such file"), "{}", failed[1].1);
    }

    #[cfg(unix)]
    #[test]
    fn walk_skips_pipes_sockets_and_devices_naming_them() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        touch(root, "a.txt");
        let status = std::process::Command::new("mkfifo")
            .arg(root.join("pipe.txt"))
            .status()
            .expect("run mkfifo");
        assert!(status.success());
        let _socket =
            std::os::unix::net::UnixListener::bind(root.join("sock.txt")).expect("bind socket");
        std::os::unix::fs::symlink("/dev/zero", root.join("zero.txt")).expect("symlink");
        std::os::unix::fs::symlink(root.join("pipe.txt"), root.join("to-pipe.txt"))
            .expect("symlink");
        let (files, errors) = walk(root);
        assert_eq!(rel_paths(&files), ["a.txt"]);
        let mut failed: Vec<String> = errors.iter().map(ToString::to_string).collect();
        failed.sort();
        assert_eq!(
            failed,
            [
                "pipe.txt: skipped: not a regular file (a named pipe)",
                "sock.txt: skipped: not a regular file (a socket)",
                "to-pipe.txt: skipped: not a regular file (a named pipe)",
                "zero.txt: skipped: not a regular file (a device)",
            ]
        );
        let (files, errors) = walk(&root.join("pipe.txt"));
        assert!(files.is_empty());
        assert_eq!(
            errors[0].to_string(),
            "pipe.txt: skipped: not a regular file (a named pipe)"
        );
    }
}
