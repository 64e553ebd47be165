//! What a run has to do, decided from the walk and what the index holds before any file is
//! read: new, changed, unchanged and vanished files, and unchanged files read again because
//! they hold copies of an article that goes away. Both backends (the local index and an
//! OpenSearch cluster) run the same plan.

use std::collections::{HashMap, HashSet};

use super::copies::CopyMap;
use super::fingerprint::Fingerprint;
use super::state::IndexedFile;
use crate::corpus::SourceFile;

/// One file to read: new (`old` is `None`), changed, or every file with `--full`; or an
/// unchanged file read again because it holds copies of an article that is going away.
pub(crate) struct Task<'a> {
    /// The file.
    pub file: &'a SourceFile,
    /// What the index holds of it, when it holds it.
    pub old: Option<&'a IndexedFile>,
    /// Read again only to rescue copies.
    pub rescue: bool,
}

impl<'a> Task<'a> {
    /// A new (`old` is `None`) or changed file.
    pub fn new(file: &'a SourceFile, old: Option<&'a IndexedFile>) -> Task<'a> {
        Task {
            file,
            old,
            rescue: false,
        }
    }
}

/// What a run has to do, decided from the walk and the index before any file is read.
pub(crate) struct Plan<'a> {
    /// Files to read, in order: new and changed files, then files read again to rescue copies.
    pub todo: Vec<Task<'a>>,
    /// Indexed files no longer in the corpus.
    pub vanished: Vec<&'a str>,
    /// Files whose committed articles the run deletes: the vanished ones and those to read.
    pub replaced: HashSet<&'a str>,
    /// Articles of the files left as they are.
    pub unchanged: u64,
}

/// Compares the walked `files` with the `known` indexed files: which to read, which vanished.
pub(crate) fn plan<'a>(
    files: &'a [SourceFile],
    known: &'a HashMap<String, IndexedFile>,
    copy_map: &CopyMap,
    full: bool,
) -> Plan<'a> {
    let mut todo: Vec<Task> = Vec::new();
    let mut unchanged = 0;
    let mut still_there = 0;
    for file in files {
        let old = known.get(&file.rel_path);
        still_there += usize::from(old.is_some());
        let same = old
            .and_then(|old| Fingerprint::parse(&old.fingerprint))
            .is_some_and(|stored| stored.same_stat(file));
        match old {
            Some(old) if same && !full => unchanged += old.articles,
            old => todo.push(Task::new(file, old)),
        }
    }
    // Most nights no file vanished: then there is no need to list the walked paths.
    let vanished: Vec<&str> = if still_there == known.len() {
        Vec::new()
    } else {
        let seen: HashSet<&str> = files.iter().map(|f| f.rel_path.as_str()).collect();
        known
            .keys()
            .map(String::as_str)
            .filter(|path| !seen.contains(path))
            .collect()
    };
    let mut replaced: HashSet<&str> = vanished.iter().copied().collect();
    replaced.extend(todo.iter().map(|task| task.file.rel_path.as_str()));
    // Files holding copies of articles whose file vanishes or is read again are read again too,
    // after the others, so one of them can take the article over.
    let rescued = copy_map.orphaned(|path| replaced.contains(path));
    if !rescued.is_empty() {
        let by_path: HashMap<&str, &SourceFile> =
            files.iter().map(|f| (f.rel_path.as_str(), f)).collect();
        for path in &rescued {
            let (Some(file), Some((path, old))) =
                (by_path.get(path.as_str()), known.get_key_value(path))
            else {
                continue;
            };
            unchanged -= old.articles.min(unchanged);
            replaced.insert(path.as_str());
            todo.push(Task {
                file,
                old: Some(old),
                rescue: true,
            });
        }
    }
    Plan {
        todo,
        vanished,
        replaced,
        unchanged,
    }
}
