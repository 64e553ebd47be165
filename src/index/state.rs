//! What the index knows about the corpus files it was built from: each file's fingerprint and
//! article count, read from fast fields, so a reindex can tell new, changed and vanished files;
//! and the stored documents of one file, to re-add them under a new fingerprint.

use std::collections::HashMap;

use tantivy::collector::DocSetCollector;
use tantivy::columnar::StrColumn;
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
pub fn indexed_files(searcher: &Searcher) -> tantivy::Result<HashMap<String, IndexedFile>> {
    let mut files: HashMap<String, IndexedFile> = HashMap::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let (Some(paths), Some(fingerprints)) = (fast.str(PATH)?, fast.str(FINGERPRINT)?) else {
            continue;
        };
        // Reading each dictionary once, in order, is much faster than a lookup per document.
        let path_terms = all_terms(&paths)?;
        let fingerprint_terms = all_terms(&fingerprints)?;
        let mut articles = vec![0u64; path_terms.len()];
        let mut fingerprint_of = vec![None; path_terms.len()];
        for doc in segment.doc_ids_alive() {
            let (Some(path_ord), Some(fp_ord)) = (
                paths.term_ords(doc).next(),
                fingerprints.term_ords(doc).next(),
            ) else {
                continue;
            };
            let (Ok(path_ord), Ok(fp_ord)) = (usize::try_from(path_ord), usize::try_from(fp_ord))
            else {
                continue;
            };
            if let Some(count) = articles.get_mut(path_ord) {
                *count += 1;
                fingerprint_of[path_ord].get_or_insert(fp_ord);
            }
        }
        for (path_ord, path) in path_terms.into_iter().enumerate() {
            let Some(fp_ord) = fingerprint_of[path_ord] else {
                continue;
            };
            let Some(fingerprint) = fingerprint_terms.get(fp_ord) else {
                continue;
            };
            let entry = files.entry(path).or_insert_with(|| IndexedFile {
                fingerprint: fingerprint.clone(),
                articles: 0,
            });
            entry.articles += articles[path_ord];
        }
    }
    Ok(files)
}

/// Every term of a string column's dictionary, indexed by term ordinal.
fn all_terms(column: &StrColumn) -> std::io::Result<Vec<String>> {
    let mut terms = Vec::with_capacity(column.num_terms());
    let mut stream = column.dictionary().stream()?;
    while stream.advance() {
        terms.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok(terms)
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
