//! Rebuilding an index written by another schema version, so that a nightly `newsdex index`
//! after an upgrade rebuilds once instead of failing every night.
//!
//! The old index cannot be updated in place (its schema differs), so a new one is built from the
//! corpus in a sibling folder `NAME.rebuild` while the old folder's writer lock is held (a second
//! `newsdex index` finds it locked). When the new index is complete, the old folder is renamed to
//! `NAME.old`, the new one to `NAME`, and the old one is deleted. A run killed while building
//! leaves the old index as it was (its stale `NAME.rebuild` is deleted by the next rebuild); one
//! killed between the two renames is finished by the next run (see [`finish_interrupted_swap`]).
//! Only folders whose commits carry a newsdex payload are rebuilt: another program's tantivy
//! index is never deleted. Files in the folder that are not the index's own (the `README.md`
//! of the repository's `index/` folder, a note a user left there) are copied into the new
//! index before the swap, so a rebuild keeps them as `--full` and nightly runs do.

use std::path::{Path, PathBuf};
use std::time::Instant;

use tantivy::TantivyError;
use tantivy::directory::{Directory, INDEX_WRITER_LOCK, MmapDirectory};

use super::options::{BuildError, BuildOptions};
use super::update::update;
use super::{IndexError, NewsIndex, tantivy_error};
use crate::report::IndexReport;

/// The sibling folders of a rebuild: the new index while it is built, and the old one while it
/// is swapped out.
fn siblings(dir: &Path) -> (PathBuf, PathBuf) {
    let name = dir
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".to_string());
    let sibling = |suffix: &str| dir.with_file_name(format!("{name}.{suffix}"));
    (sibling("rebuild"), sibling("old"))
}

fn io_error(path: &Path, action: &'static str, source: std::io::Error) -> IndexError {
    IndexError::Io {
        path: path.to_path_buf(),
        action,
        source,
    }
}

/// Builds a new index of this schema version from the corpus and swaps it in for the one in
/// `options.index_dir`, written by schema version `found`.
pub(super) fn rebuild(
    options: &BuildOptions,
    found: String,
    started: Instant,
) -> Result<IndexReport, BuildError> {
    let given = &options.index_dir;
    let dir = &std::fs::canonicalize(given)
        .map_err(|source| io_error(given, "resolve the path of", source))?;
    let directory = MmapDirectory::open(dir)
        .map_err(|source| tantivy_error(given, TantivyError::from(source)))?;
    let _lock = directory
        .acquire_lock(&INDEX_WRITER_LOCK)
        .map_err(|error| tantivy_error(given, TantivyError::LockFailure(error, None)))?;
    let (fresh, old) = siblings(dir);
    for stale in [&fresh, &old] {
        if stale.exists() {
            std::fs::remove_dir_all(stale)
                .map_err(|source| io_error(stale, "remove the stale folder", source))?;
        }
    }
    let index = NewsIndex::create(&fresh)?;
    let mut inner = options.clone();
    inner.index_dir = fresh.clone();
    inner.full = true;
    let mut report = update(&index, &inner, started)?;
    drop(index);
    report.rebuilt_from = Some(found);
    if report.interrupted.is_some() {
        // The old index stays; the next run starts the rebuild again.
        return Ok(report);
    }
    carry_over(dir, &fresh)?;
    std::fs::rename(dir, &old).map_err(|source| io_error(dir, "move aside", source))?;
    if let Err(source) = std::fs::rename(&fresh, dir) {
        // Put the old index back rather than leave no index at all.
        let _ = std::fs::rename(&old, dir);
        return Err(io_error(&fresh, "move into place", source).into());
    }
    // The new index is in place; a leftover old folder is removed by the next rebuild.
    let _ = std::fs::remove_dir_all(&old);
    Ok(report)
}

/// Files tantivy writes in an index folder besides those its `.managed.json` lists.
const TANTIVY_OWN_FILES: [&str; 4] = [
    "meta.json",
    ".managed.json",
    ".tantivy-writer.lock",
    ".tantivy-meta.lock",
];

/// The names of the files in the index folder `dir` that belong to the index: tantivy's own and
/// the segment files its `.managed.json` lists (an unreadable list lists nothing).
fn index_files(dir: &Path) -> std::collections::BTreeSet<String> {
    let mut names: std::collections::BTreeSet<String> = std::fs::read(dir.join(".managed.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Vec<String>>(&bytes).ok())
        .unwrap_or_default()
        .into_iter()
        .collect();
    names.extend(TANTIVY_OWN_FILES.iter().map(|name| name.to_string()));
    names
}

/// Copies the regular files of the index folder `from` that are not the index's own (see
/// [`index_files`]) into the new index folder `to`, unless `to` has a file of that name.
fn carry_over(from: &Path, to: &Path) -> Result<(), IndexError> {
    let own = index_files(from);
    let entries =
        std::fs::read_dir(from).map_err(|source| io_error(from, "list the folder", source))?;
    for entry in entries {
        let entry = entry.map_err(|source| io_error(from, "list the folder", source))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let target = to.join(&name);
        if own.contains(&name) || !entry.path().is_file() || target.exists() {
            continue;
        }
        std::fs::copy(entry.path(), &target)
            .map_err(|source| io_error(&entry.path(), "copy into the rebuilt index", source))?;
    }
    Ok(())
}

/// Whether a rebuild of the index in `dir` is under way (or was interrupted): a sibling
/// `NAME.rebuild` or `NAME.old` folder exists.
pub(crate) fn in_progress(dir: &Path) -> bool {
    let (fresh, old) = siblings(dir);
    fresh.is_dir() || old.is_dir()
}

/// Waits up to about a second for the index folder to come back when a rebuild may be swapping
/// it in (between its two renames there is none).
pub(crate) fn wait_for_swap(dir: &Path) {
    for _ in 0..20 {
        if NewsIndex::exists(dir) || !in_progress(dir) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Finishes a swap that a killed rebuild left half done: no index folder, but a complete new
/// one beside the old one.
pub(super) fn finish_interrupted_swap(dir: &Path) -> Result<(), IndexError> {
    let (fresh, old) = siblings(dir);
    if dir.exists() || !old.is_dir() || !NewsIndex::exists(&fresh) {
        return Ok(());
    }
    std::fs::rename(&fresh, dir).map_err(|source| io_error(&fresh, "move into place", source))?;
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carry_over_copies_only_files_that_are_not_the_index() {
        let root = tempfile::tempdir().unwrap();
        let (old, new) = (root.path().join("old"), root.path().join("new"));
        std::fs::create_dir_all(old.join("sub")).unwrap();
        std::fs::create_dir(&new).unwrap();
        let managed = r#"["meta.json","0a1b.idx","0a1b.store"]"#;
        for (name, text) in [
            (".managed.json", managed),
            ("meta.json", "{}"),
            ("0a1b.idx", "x"),
            ("0a1b.store", "x"),
            (".tantivy-writer.lock", ""),
            ("README.md", "what this folder holds"),
            (".gitkeep", ""),
            ("notes.txt", "old notes"),
        ] {
            std::fs::write(old.join(name), text).unwrap();
        }
        std::fs::write(new.join("notes.txt"), "new notes").unwrap();
        carry_over(&old, &new).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(&new)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".gitkeep", "README.md", "notes.txt"]);
        assert_eq!(
            std::fs::read_to_string(new.join("notes.txt")).unwrap(),
            "new notes"
        );
        assert_eq!(
            std::fs::read_to_string(new.join("README.md")).unwrap(),
            "what this folder holds"
        );
    }

    #[test]
    fn siblings_sit_next_to_the_index() {
        assert_eq!(
            siblings(Path::new("index")),
            (PathBuf::from("index.rebuild"), PathBuf::from("index.old"))
        );
        assert_eq!(
            siblings(Path::new("/srv/news/idx")),
            (
                PathBuf::from("/srv/news/idx.rebuild"),
                PathBuf::from("/srv/news/idx.old")
            )
        );
    }
}
