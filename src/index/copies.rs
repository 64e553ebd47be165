//! Syndicated copies: the same article text in several files (wire copy republished, a page
//! saved twice) is indexed once.
//!
//! Every article gets a *text key*, a hash of its normalised text. The first file indexed with a
//! key holds the full article; every later article with the same key becomes a *copy*: a small
//! document with its own id, path and fingerprint (so reindexing knows the file) but no text, no
//! entities and no date, so no query or count can find it. Copies are listed on the article as
//! `also_at`, looked up by key when an article is shown. When the file holding the full article
//! vanishes or changes, the files holding its copies are read again and one of them takes over.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use tantivy::collector::{Count, DocSetCollector};
use tantivy::columnar::StrColumn;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, Searcher, TantivyDocument, Term};

use super::document::{copy_at, stored_place};
use super::schema::{COPY, Fields, PATH, TEXT_KEY};
use crate::article::{Article, CopyAt, Fnv1a};

/// A body of fewer words than this is keyed together with its headline, dek and day of
/// publication: short texts ("Markets closed for the holiday.", or a headline with no body at
/// all) recur under other headlines and on other days without being the same article.
const MIN_BODY_WORDS: usize = 40;

/// The text key of an article: a hash of its body's words, lower-cased, with punctuation,
/// whitespace and markup differences ignored, so a republished copy with another headline or
/// other line breaks gets the same key. Short bodies are keyed with their headline, dek and
/// day of publication.
pub fn text_key(article: &Article) -> u64 {
    let mut hash = Fnv1a::new();
    let words = hash_words(&mut hash, &article.body);
    if words < MIN_BODY_WORDS {
        for text in [
            article.subtitle.as_deref().unwrap_or_default(),
            &article.title,
        ] {
            hash.write(&[1]);
            hash_words(&mut hash, text);
        }
        if let Some(published) = article.published {
            hash.write(&[1]);
            hash.write(&published.as_second().div_euclid(86_400).to_le_bytes());
        }
    }
    hash.finish()
}

/// The words of `text` as the text key sees them: runs of alphanumeric characters, as written
/// (the key lower-cases them).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
}

/// Feeds the lower-cased [`words`] of `text` to `hash`, one space after each; returns how many
/// there were. One pass over the bytes: an ASCII byte is a letter, a digit or a break without
/// decoding, and only the other characters are decoded (the same bytes are fed as splitting
/// on [`words`] and lower-casing each would feed).
fn hash_words(hash: &mut Fnv1a, text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut in_word = false;
    let mut buf = [0u8; 4];
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let alphanumeric = if byte.is_ascii() {
            at += 1;
            if byte.is_ascii_alphanumeric() {
                hash.write(&[byte.to_ascii_lowercase()]);
                true
            } else {
                false
            }
        } else {
            let c = text[at..].chars().next().unwrap_or_default();
            at += c.len_utf8().max(1);
            if c.is_alphanumeric() {
                for lower in c.to_lowercase() {
                    hash.write(lower.encode_utf8(&mut buf).as_bytes());
                }
                true
            } else {
                false
            }
        };
        if alphanumeric {
            in_word = true;
        } else if in_word {
            hash.write(b" ");
            count += 1;
            in_word = false;
        }
    }
    if in_word {
        hash.write(b" ");
        count += 1;
    }
    count
}

/// The query matching every full article (and no copy), scoring 1.
pub fn all_articles(fields: &Fields) -> Box<dyn Query> {
    let articles = TermQuery::new(
        Term::from_field_bool(fields.copy, false),
        IndexRecordOption::Basic,
    );
    Box::new(ConstScoreQuery::new(Box::new(articles), 1.0))
}

/// Live full articles and live copies in the index.
pub fn counts(searcher: &Searcher, fields: &Fields) -> tantivy::Result<(u64, u64)> {
    let copies = TermQuery::new(
        Term::from_field_bool(fields.copy, true),
        IndexRecordOption::Basic,
    );
    let copies = searcher.search(&copies, &Count)? as u64;
    Ok((searcher.num_docs().saturating_sub(copies), copies))
}

/// The copies of the article with text key `key` (file, place in it, id), sorted.
pub fn also_at(searcher: &Searcher, fields: &Fields, key: u64) -> tantivy::Result<Vec<CopyAt>> {
    // The key's document frequency counts deleted documents too, so 1 means no copy: a
    // dictionary lookup instead of a search, for almost every hit.
    if searcher.doc_freq(&Term::from_field_u64(fields.text_key, key))? <= 1 {
        return Ok(Vec::new());
    }
    let mut copies = Vec::new();
    for address in docs_with_key(searcher, fields, key, true)? {
        let doc: TantivyDocument = searcher.doc(address)?;
        copies.push(copy_at(fields, &doc));
    }
    copies.sort();
    Ok(copies)
}

/// The text keys of the articles with a copy from one of `sources` (exact values).
pub fn keys_from_sources(
    searcher: &Searcher,
    fields: &Fields,
    sources: &[String],
) -> tantivy::Result<BTreeSet<u64>> {
    let copy = Term::from_field_bool(fields.copy, true);
    if sources.is_empty() || searcher.doc_freq(&copy)? == 0 {
        return Ok(BTreeSet::new());
    }
    let from = sources
        .iter()
        .map(|source| term_query(Term::from_field_text(fields.source, source)))
        .collect();
    let query = BooleanQuery::new(vec![
        (Occur::Must, term_query(copy)),
        (Occur::Must, Box::new(BooleanQuery::union(from))),
    ]);
    let mut keys = BTreeSet::new();
    for address in searcher.search(&query, &DocSetCollector)? {
        let segment = searcher.segment_reader(address.segment_ord);
        if let Some(key) = segment.fast_fields().u64(TEXT_KEY)?.first(address.doc_id) {
            keys.insert(key);
        }
    }
    Ok(keys)
}

/// The full article with text key `key`, if one is live (the first by path, then in its file,
/// should there be more than one).
pub fn article_with_key(
    searcher: &Searcher,
    fields: &Fields,
    key: u64,
) -> tantivy::Result<Option<DocAddress>> {
    let mut first = None;
    for address in docs_with_key(searcher, fields, key, false)? {
        let doc: TantivyDocument = searcher.doc(address)?;
        let rank = (
            path_of(searcher, address),
            stored_place(fields, &doc),
            address,
        );
        if first.as_ref().is_none_or(|first| rank < *first) {
            first = Some(rank);
        }
    }
    Ok(first.map(|(_, _, address)| address))
}

fn docs_with_key(
    searcher: &Searcher,
    fields: &Fields,
    key: u64,
    copy: bool,
) -> tantivy::Result<BTreeSet<DocAddress>> {
    let query = BooleanQuery::new(vec![
        (
            Occur::Must,
            term_query(Term::from_field_u64(fields.text_key, key)),
        ),
        (
            Occur::Must,
            term_query(Term::from_field_bool(fields.copy, copy)),
        ),
    ]);
    Ok(searcher
        .search(&query, &DocSetCollector)?
        .into_iter()
        .collect())
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

/// The source path of a document, from its fast field.
fn path_of(searcher: &Searcher, address: DocAddress) -> Option<String> {
    let segment = searcher.segment_reader(address.segment_ord);
    let paths = segment.fast_fields().str(PATH).ok()??;
    column_path(&paths, address.doc_id).ok()?
}

/// The path of document `doc` in a segment's path column.
fn column_path(paths: &StrColumn, doc: DocId) -> std::io::Result<Option<String>> {
    let Some(ord) = paths.term_ords(doc).next() else {
        return Ok(None);
    };
    let mut path = String::new();
    paths.ord_to_str(ord, &mut path)?;
    Ok(Some(path))
}

/// The full articles and copies of the committed index, by text key, for the keys that have
/// copies: what a reindex needs to tell which copies lose their article.
#[derive(Debug, Default)]
pub struct CopyMap {
    /// Per key with copies: the file holding the full article (if any is live) and the files
    /// holding copies.
    keys: BTreeMap<u64, Holders>,
}

#[derive(Debug, Default)]
struct Holders {
    article: Option<String>,
    copies: BTreeSet<String>,
}

impl CopyMap {
    /// Reads the map from the fast fields of every segment.
    pub fn read(searcher: &Searcher) -> tantivy::Result<CopyMap> {
        let mut keys: BTreeMap<u64, Holders> = BTreeMap::new();
        // First the copies (usually few), then the full articles of their keys.
        for pass_copies in [true, false] {
            for segment in searcher.segment_readers() {
                let fast = segment.fast_fields();
                let (Ok(text_keys), Ok(copy), Ok(Some(paths))) =
                    (fast.u64(TEXT_KEY), fast.bool(COPY), fast.str(PATH))
                else {
                    continue;
                };
                for doc in segment.doc_ids_alive() {
                    if copy.first(doc) != Some(pass_copies) {
                        continue;
                    }
                    let Some(key) = text_keys.first(doc) else {
                        continue;
                    };
                    let holders = if pass_copies {
                        keys.entry(key).or_default()
                    } else if let Some(holders) = keys.get_mut(&key) {
                        holders
                    } else {
                        continue;
                    };
                    let Some(path) = column_path(&paths, doc)? else {
                        continue;
                    };
                    if pass_copies {
                        holders.copies.insert(path);
                    } else {
                        holders.article.get_or_insert(path);
                    }
                }
            }
        }
        Ok(CopyMap { keys })
    }

    /// Records that the file at `path` holds a copy with text key `key` (for a map read from
    /// another backend: record every copy before any article).
    pub fn insert_copy(&mut self, key: u64, path: String) {
        self.keys.entry(key).or_default().copies.insert(path);
    }

    /// Records that the file at `path` holds the full article with text key `key`, when that key
    /// has copies.
    pub fn insert_article(&mut self, key: u64, path: String) {
        if let Some(holders) = self.keys.get_mut(&key) {
            holders.article.get_or_insert(path);
        }
    }

    /// The text keys that have copies.
    pub fn keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.keys.keys().copied()
    }

    /// The files holding copies that lose their full article when the files for which `gone`
    /// is true are deleted or read again (or that have none now, after an interrupted run),
    /// leaving out files that are themselves gone.
    pub fn orphaned(&self, gone: impl Fn(&str) -> bool) -> BTreeSet<String> {
        let mut orphaned = BTreeSet::new();
        for holders in self.keys.values() {
            if holders.article.as_deref().is_none_or(&gone) {
                orphaned.extend(holders.copies.iter().filter(|p| !gone(p)).cloned());
            }
        }
        orphaned
    }
}

/// Decides, article by article in the order a run adds them, which are full articles and which
/// are copies: an article is a copy when a full article with its key is live in the committed
/// index (in a file this run does not delete or read again) or was added earlier in the run.
pub struct Dedup<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    /// The files whose committed articles this run deletes.
    replaced: &'a HashSet<&'a str>,
    /// Text keys of the committed full articles that may still be live.
    committed: KeySet,
    added: KeySet,
}

impl<'a> Dedup<'a> {
    /// A decider over the index as `searcher` sees it at the start of the run, in which the
    /// committed articles of the `replaced` files are deleted; with `full`, every committed
    /// article is.
    pub fn new(
        searcher: &'a Searcher,
        fields: &'a Fields,
        replaced: &'a HashSet<&'a str>,
        full: bool,
    ) -> tantivy::Result<Dedup<'a>> {
        let mut committed = KeySet::default();
        for segment in searcher.segment_readers().iter().filter(|_| !full) {
            let fast = segment.fast_fields();
            let (Ok(text_keys), Ok(copy)) = (fast.u64(TEXT_KEY), fast.bool(COPY)) else {
                continue;
            };
            committed.extend(
                segment
                    .doc_ids_alive()
                    .filter(|&doc| copy.first(doc) == Some(false))
                    .filter_map(|doc| text_keys.first(doc)),
            );
        }
        Ok(Dedup {
            searcher,
            fields,
            replaced,
            committed,
            added: KeySet::default(),
        })
    }

    /// Whether the article with `key` is a copy; if not, it is recorded as the full article.
    pub fn is_copy(&mut self, key: u64) -> tantivy::Result<bool> {
        if self.added.contains(key) {
            return Ok(true);
        }
        if !self.committed.contains(key) {
            self.added.insert(key);
            return Ok(false);
        }
        let committed = docs_with_key(self.searcher, self.fields, key, false)?;
        let live = committed.into_iter().any(|address| {
            path_of(self.searcher, address)
                .is_some_and(|path| !self.replaced.contains(path.as_str()))
        });
        if !live {
            self.added.insert(key);
        }
        Ok(live)
    }
}

/// Bits of a key that choose its bucket in a [`KeySet`].
const BUCKET_BITS: u32 = 16;

/// A set of text keys in about 10 bytes a key that grows a little at a time: the keys are spread
/// over 65,536 sorted vectors by their top bits, each grown by a quarter when full. A hash set
/// of ten million keys takes 150 MB, and 225 MB while it doubles; this takes under 100 MB.
#[derive(Debug, Default)]
pub struct KeySet {
    buckets: Vec<Vec<u64>>,
}

impl KeySet {
    fn bucket(key: u64) -> usize {
        (key >> (u64::BITS - BUCKET_BITS)) as usize
    }

    /// Whether `key` is in the set.
    pub fn contains(&self, key: u64) -> bool {
        self.buckets
            .get(KeySet::bucket(key))
            .is_some_and(|bucket| bucket.binary_search(&key).is_ok())
    }

    /// Adds `key`; returns whether it was not there yet.
    pub fn insert(&mut self, key: u64) -> bool {
        if self.buckets.is_empty() {
            self.buckets.resize_with(1 << BUCKET_BITS, Vec::new);
        }
        let bucket = &mut self.buckets[KeySet::bucket(key)];
        match bucket.binary_search(&key) {
            Ok(_) => false,
            Err(at) => {
                if bucket.len() == bucket.capacity() {
                    bucket.reserve_exact(bucket.len() / 4 + 4);
                }
                bucket.insert(at, key);
                true
            }
        }
    }
}

impl Extend<u64> for KeySet {
    fn extend<I: IntoIterator<Item = u64>>(&mut self, keys: I) {
        for key in keys {
            self.insert(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: &str, body: &str) -> Article {
        Article {
            title: title.to_string(),
            body: body.to_string(),
            ..Article::default()
        }
    }

    fn long_body(extra: &str) -> String {
        let mut body = "Ministers met in Delhi on Tuesday to agree rules for lithium. ".repeat(5);
        body.push_str(extra);
        body
    }

    #[test]
    fn key_set_holds_what_was_inserted_and_nothing_else() {
        let mut set = KeySet::default();
        assert!(!set.contains(0));
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut inserted = BTreeSet::new();
        for round in 0..20_000u64 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // Every third key is a small number, so one bucket holds many keys.
            let key = if round % 3 == 0 { round % 1000 } else { state };
            assert_eq!(set.insert(key), inserted.insert(key), "key {key}");
        }
        assert_eq!(inserted.len(), 14_333);
        for key in [0, 1, 999, 1000, u64::MAX, 1 << 63] {
            assert_eq!(set.contains(key), inserted.contains(&key), "key {key}");
        }
        assert!(inserted.iter().all(|&key| set.contains(key)));
        set.extend([u64::MAX]);
        assert!(set.contains(u64::MAX));
    }

    #[test]
    fn republished_text_with_another_headline_and_layout_gets_the_same_key() {
        let original = article("Minerals pact agreed", &long_body(""));
        let copy = article(
            "WIRE: MINERALS PACT",
            &long_body("").to_uppercase().replace(". ", ".\n\n  "),
        );
        assert_eq!(text_key(&original), text_key(&copy));
        assert_eq!(text_key(&original), 0x4590_cb75_8ad1_b4ff);
    }

    #[test]
    fn the_one_pass_hash_feeds_what_splitting_into_words_feeds() {
        // The definition: every word of `words`, lower-cased, a space after each.
        fn by_words(text: &str) -> (u64, usize) {
            let mut hash = Fnv1a::new();
            let mut buf = [0u8; 4];
            let mut count = 0;
            for word in words(text) {
                for c in word.chars().flat_map(char::to_lowercase) {
                    hash.write(c.encode_utf8(&mut buf).as_bytes());
                }
                hash.write(b" ");
                count += 1;
            }
            (hash.finish(), count)
        }
        for text in [
            "",
            " ",
            "One",
            "Ministers met in Delhi -- on Tuesday, 3.5% (again)!",
            "Erdoğan's İstanbul: ÉTÉ naïve café… ẞtraße",
            "日本の首相 said 東京 x\u{301}y",
            "tail-word",
            "\u{a0}non\u{2009}breaking\u{a0}",
        ] {
            let mut hash = Fnv1a::new();
            let count = hash_words(&mut hash, text);
            assert_eq!((hash.finish(), count), by_words(text), "{text:?}");
        }
    }

    #[test]
    fn different_words_give_different_keys() {
        let original = article("Minerals pact agreed", &long_body(""));
        let longer = article("Minerals pact agreed", &long_body("A late sentence."));
        assert_ne!(text_key(&original), text_key(&longer));
    }

    #[test]
    fn short_bodies_are_keyed_with_their_headline_dek_and_day() {
        let a = article("Markets closed", "Closed for the holiday.");
        let b = article("Banks closed", "Closed for the holiday.");
        let c = article("markets CLOSED!", "closed, for the holiday");
        assert_ne!(text_key(&a), text_key(&b));
        assert_eq!(text_key(&a), text_key(&c));
        let with_dek = Article {
            subtitle: Some("Trading resumes on Monday".to_string()),
            ..a.clone()
        };
        assert_ne!(text_key(&a), text_key(&with_dek));
        let day = |text: &str| Article {
            published: Some(text.parse().expect("timestamp")),
            ..a.clone()
        };
        assert_eq!(
            text_key(&day("2026-11-26T01:00:00Z")),
            text_key(&day("2026-11-26T23:00:00Z"))
        );
        assert_ne!(
            text_key(&day("2026-11-26T01:00:00Z")),
            text_key(&day("2026-11-27T01:00:00Z"))
        );
        assert_ne!(text_key(&a), text_key(&day("2026-11-26T01:00:00Z")));
    }
}
