//! What the index knows about the corpus files it was built from: each file's fingerprint and
//! article count, read from fast fields, so a reindex can tell new, changed and vanished files;
//! and the stored documents of one file, to re-add them under a new fingerprint.

use std::collections::BTreeMap;

use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::schema::{FINGERPRINT, PATH};

/// One indexed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexedFile {
    /// The fingerprint the file had when indexed.
    pub fingerprint: String,
    /// How many live articles it contributed.
    pub articles: u64,
}

/// Reads every indexed file's fingerprint, keyed by relative path.
pub fn indexed_files(searcher: &Searcher) -> tantivy::Result<BTreeMap<String, IndexedFile>> {
    let mut files: BTreeMap<String, IndexedFile> = BTreeMap::new();
    let (mut path, mut fingerprint) = (String::new(), String::new());
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let (Some(paths), Some(fingerprints)) = (fast.str(PATH)?, fast.str(FINGERPRINT)?) else {
            continue;
        };
        for doc in segment.doc_ids_alive() {
            let (Some(path_ord), Some(fp_ord)) = (
                paths.term_ords(doc).next(),
                fingerprints.term_ords(doc).next(),
            ) else {
                continue;
            };
            path.clear();
            fingerprint.clear();
            paths.ord_to_str(path_ord, &mut path)?;
            fingerprints.ord_to_str(fp_ord, &mut fingerprint)?;
            let entry = files.entry(path.clone()).or_insert_with(|| IndexedFile {
                fingerprint: fingerprint.clone(),
                articles: 0,
            });
            entry.articles += 1;
        }
    }
    Ok(files)
}

/// The stored documents of the file at `path`, in the order they were added.
pub fn stored_documents(
    searcher: &Searcher,
    path_field: Field,
    path: &str,
) -> tantivy::Result<Vec<TantivyDocument>> {
    let query = TermQuery::new(
        Term::from_field_text(path_field, path),
        IndexRecordOption::Basic,
    );
    let mut addresses: Vec<DocAddress> = searcher
        .search(&query, &DocSetCollector)?
        .into_iter()
        .collect();
    addresses.sort_unstable();
    addresses
        .into_iter()
        .map(|address| searcher.doc(address))
        .collect()
}
