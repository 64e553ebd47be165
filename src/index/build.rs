//! Building and refreshing an index from a corpus folder: walk, compare fingerprints, parse and
//! enrich what changed in parallel, replace those files' articles, commit in batches.
//!
//! Every commit leaves a consistent index: a file's old articles are deleted in the same commit
//! that adds its new ones, and the articles of vanished files go with the first commit. So a run
//! that is killed, or stopped with Ctrl-C, keeps what it committed, and the next run picks up the
//! files whose stored fingerprint is still the old one, without duplicates.

use std::time::Instant;

use super::options::{BuildError, BuildOptions};
use super::update::update;
use super::{IndexError, NewsIndex, rebuild};
use crate::report::IndexReport;

/// Brings the index in `options.index_dir` up to date with `options.corpus`. An index written
/// by another schema version is rebuilt beside it and swapped in (see [`rebuild`]).
pub fn build(options: &BuildOptions) -> Result<IndexReport, BuildError> {
    let started = Instant::now();
    if !options.corpus.exists() {
        return Err(BuildError::MissingCorpus {
            path: options.corpus.clone(),
        });
    }
    rebuild::finish_interrupted_swap(&options.index_dir)?;
    let result = match NewsIndex::open_for_write(&options.index_dir) {
        Ok(index) => update(&index, options, started),
        Err(IndexError::SchemaVersion { found, .. })
            if NewsIndex::written_by_newsdex(&options.index_dir) =>
        {
            return rebuild::rebuild(options, found, started);
        }
        Err(error) => Err(error.into()),
    };
    match result {
        // `--full` on a damaged index: build a new one beside it and swap it in.
        Err(BuildError::Index(IndexError::Damaged { damage, .. })) if options.full => {
            let mut report = rebuild::rebuild(options, String::new(), started)?;
            report.rebuilt_from = None;
            report.repaired = Some(damage);
            Ok(report)
        }
        result => result,
    }
}
