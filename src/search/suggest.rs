//! Typo tolerance: "did you mean" for query words that match nothing, and the words a fuzzy
//! `word~1` / `word~2` stands for.
//!
//! Titles, deks and bodies are indexed as stems (`critical` -> `critic`), so the edit distance
//! that matters to a reader, between what they typed and a word of the articles, cannot be
//! measured on the term dictionary alone (`critcal` is three edits from `critic`). A search
//! walks each field's dictionary with [`NearPrefix`], an automaton accepting the stems within two
//! edits of a prefix of the typed word and starting with its first letter; the most frequent of them are spelled out as they are
//! written in one article holding them, and those written forms within the distance of the typed
//! word are the suggestions, nearest first, then by the number of articles holding them.

use std::collections::BTreeMap;

use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED, TantivyDocument, Term};
use tantivy_fst::Automaton;

use crate::index::document::from_document;
use crate::index::schema::{Fields, TEXT_KEY};
use crate::index::stem::unstemmed;

/// Largest edit distance of a suggestion.
pub const MAX_DISTANCE: u8 = 2;
/// Suggestions offered per word.
const SUGGESTIONS: usize = 3;
/// Stems spelled out per word (each costs reading one stored article).
const CANDIDATES: usize = 16;
/// Articles read, at most, to find how a stem is written.
const ARTICLES_PER_STEM: usize = 4;
/// A stem may be this many bytes shorter than the typed word (`minerals` -> `miner`).
const STEM_SHORTER_BY: usize = 3;

/// A query word that matched no article and the words of the index nearest to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// The word as typed.
    pub word: String,
    /// Nearest words first (as written in the articles), at most three; empty when nothing is
    /// within two edits.
    pub alternatives: Vec<String>,
}

/// A word of the index near a typed word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Near {
    /// The indexed term (a stem in stemmed fields).
    pub stem: String,
    /// The word as written in an article.
    pub written: String,
    /// Edit distance between the typed word and `written` (ignoring case).
    pub distance: u8,
    /// Articles holding the term, over the fields searched.
    pub doc_freq: u64,
}

/// Finds, in `fields_searched` (stemmed by `analyzer`), the written words within `max` edits of
/// `word` (starting with its first letter when `same_first` is set), nearest first, then most
/// frequent; the stem of the word itself is left out.
pub fn near_words(
    searcher: &Searcher,
    fields: &Fields,
    fields_searched: &[Field],
    analyzer: &mut TextAnalyzer,
    word: &str,
    max: u8,
    same_first: bool,
) -> tantivy::Result<Vec<Near>> {
    let typed = word.to_lowercase();
    let own_stem = stems(analyzer, word)
        .into_iter()
        .next()
        .map(|(stem, _)| stem);
    let min_len = typed.len().saturating_sub(STEM_SHORTER_BY).max(2);
    let automaton = NearPrefix::new(typed.as_bytes(), max, same_first);
    // Stem -> articles holding it, summed over fields (an article in two fields counts twice:
    // it only ranks candidates).
    let mut doc_freqs: BTreeMap<String, u64> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        for &field in fields_searched {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().search(&automaton).into_stream()?;
            while stream.advance() {
                let Ok(stem) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if stem.len() < min_len || Some(stem) == own_stem.as_deref() {
                    continue;
                }
                *doc_freqs.entry(stem.to_string()).or_default() +=
                    u64::from(stream.value().doc_freq);
            }
        }
    }
    let mut ranked: Vec<(usize, u64, String)> = doc_freqs
        .into_iter()
        .map(|(stem, df)| (automaton.prefix_distance(stem.as_bytes()), df, stem))
        .collect();
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    ranked.truncate(CANDIDATES);
    let mut near: Vec<Near> = Vec::new();
    for (_, doc_freq, stem) in ranked {
        // A written form is the stem and a suffix, so it is at least as far from the typed word
        // as the stem is from the nearest prefix of it: once enough nearer forms are found,
        // the candidate is passed over without reading an article.
        let at_least = automaton.edits_to_prefix(stem.as_bytes());
        let mut distances: Vec<u8> = near.iter().map(|n| n.distance).collect();
        distances.sort_unstable();
        if distances
            .get(SUGGESTIONS - 1)
            .is_some_and(|&worst| at_least > worst)
        {
            continue;
        }
        let Some((written, distance)) =
            written_form(searcher, fields, fields_searched, analyzer, &stem, &typed)?
        else {
            continue;
        };
        if distance <= max {
            near.push(Near {
                stem,
                written,
                distance,
                doc_freq,
            });
        }
    }
    near.sort_by(|a, b| {
        (a.distance, b.doc_freq, &a.written).cmp(&(b.distance, a.doc_freq, &b.written))
    });
    // Two stems can be written alike in their articles (`Modi`, `Modi's`): keep the first.
    let mut seen = std::collections::BTreeSet::new();
    near.retain(|n| seen.insert(n.written.to_lowercase()));
    Ok(near)
}

/// Suggestions for `word`, which matched nothing.
pub fn suggest(
    searcher: &Searcher,
    fields: &Fields,
    fields_searched: &[Field],
    analyzer: &mut TextAnalyzer,
    word: &str,
) -> tantivy::Result<Suggestion> {
    let near = near_words(
        searcher,
        fields,
        fields_searched,
        analyzer,
        word,
        MAX_DISTANCE,
        true,
    )?;
    Ok(Suggestion {
        word: word.to_string(),
        alternatives: near
            .into_iter()
            .take(SUGGESTIONS)
            .map(|near| near.written)
            .collect(),
    })
}

/// The query with each word that matched nothing replaced by its first suggestion, when every
/// such word has one.
pub fn corrected_query(text: &str, suggestions: &[Suggestion]) -> Option<String> {
    if suggestions.is_empty() || suggestions.iter().any(|s| s.alternatives.is_empty()) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_alphanumeric()) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        let word = &rest[..end];
        match suggestions
            .iter()
            .find(|s| s.word.eq_ignore_ascii_case(word))
        {
            Some(suggestion) => out.push_str(&suggestion.alternatives[0]),
            None => out.push_str(word),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    Some(out)
}

/// The stems of `text` with the words they come from.
pub fn stems(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        let written = text
            .get(token.offset_from..token.offset_to)
            .unwrap_or(&token.text);
        out.push((token.text.clone(), written.to_string()));
    }
    out
}

/// How `stem` is written nearest to `typed` (then most often) in the first live articles holding
/// it, with that form's edit distance to `typed`: the first article whose forms come within `max`
/// edits, else the nearest of the first few. A stem stands for several words (`critic` for
/// `critical`, `critics`, `criticism`): the one a reader meant is the one nearest their typing.
fn written_form(
    searcher: &Searcher,
    fields: &Fields,
    fields_searched: &[Field],
    analyzer: &mut TextAnalyzer,
    stem: &str,
    typed: &str,
) -> tantivy::Result<Option<(String, u8)>> {
    // Stemming keeps a word's first two letters, so only the words starting like the stem are
    // stemmed: the rest of an article is only split and lower-cased.
    let head = &stem.as_bytes()[..stem.len().min(2)];
    let mut words = unstemmed();
    type Rank = (
        u8,
        std::cmp::Reverse<usize>,
        std::cmp::Reverse<usize>,
        String,
    );
    let mut best: Option<Rank> = None;
    for address in first_docs(searcher, fields_searched, stem, ARTICLES_PER_STEM)? {
        let doc: TantivyDocument = searcher.doc(address)?;
        let stored = from_document(fields, &doc);
        let article = &stored.article;
        let mut forms: BTreeMap<String, usize> = BTreeMap::new();
        let texts = [
            Some(article.title.as_str()),
            article.subtitle.as_deref(),
            Some(article.body.as_str()),
        ];
        for text in texts.into_iter().flatten() {
            let mut stream = words.token_stream(text);
            while let Some(token) = stream.next() {
                if !token.text.as_bytes().starts_with(head) {
                    continue;
                }
                let same_stem = stems(analyzer, &token.text)
                    .first()
                    .is_some_and(|(token_stem, _)| token_stem == stem);
                if same_stem {
                    let written = text.get(token.offset_from..token.offset_to);
                    let written = written.unwrap_or(&token.text).to_string();
                    *forms.entry(written).or_default() += 1;
                }
            }
        }
        // Nearest, then sharing the most of the typed word's start and end (`minerls` is
        // `minerals` with a letter left out rather than `miners` with one added), then most
        // frequent, then sorting first (capitalised before lower case).
        for (form, count) in forms {
            let lower = form.to_lowercase();
            let distance = edit_distance(typed.as_bytes(), lower.as_bytes());
            let shared = shared_ends(typed.as_bytes(), lower.as_bytes());
            let key = (
                distance,
                std::cmp::Reverse(shared),
                std::cmp::Reverse(count),
                form,
            );
            if best.as_ref().is_none_or(|b| key < *b) {
                best = Some(key);
            }
        }
        // Every sampled article is read (a later one may hold a nearer or better-matching
        // form), unless nothing can beat the best.
        if best
            .as_ref()
            .is_some_and(|(distance, _, _, _)| *distance == 0)
        {
            break;
        }
    }
    Ok(best.map(|(distance, _, _, form)| (form, distance)))
}

/// `limit` live documents holding `stem` in one of `fields_searched`, the last field first (the
/// body, where a word takes the most forms: a title may repeat one phrase): within a field,
/// those of the smallest text keys. The choice depends on the articles alone, not on how the
/// indexing threads split them into segments, so a suggestion does not change between builds.
fn first_docs(
    searcher: &Searcher,
    fields_searched: &[Field],
    stem: &str,
    limit: usize,
) -> tantivy::Result<Vec<DocAddress>> {
    let mut found: Vec<DocAddress> = Vec::new();
    for &field in fields_searched.iter().rev() {
        let term = Term::from_field_text(field, stem);
        // (text key, address), the `limit` smallest kept.
        let mut keyed: Vec<(u64, DocAddress)> = Vec::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let inverted = segment.inverted_index(field)?;
            let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)?
            else {
                continue;
            };
            let keys = segment.fast_fields().u64(TEXT_KEY)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                let address = DocAddress::new(ord as u32, doc);
                if !segment.is_deleted(doc) && !found.contains(&address) {
                    keyed.push((keys.first(doc).unwrap_or(u64::MAX), address));
                    if keyed.len() > 4 * limit {
                        keyed.sort_unstable();
                        keyed.truncate(limit);
                    }
                }
                doc = postings.advance();
            }
        }
        keyed.sort_unstable();
        let room = limit - found.len();
        found.extend(keyed.into_iter().take(room).map(|(_, address)| address));
        if found.len() == limit {
            break;
        }
    }
    Ok(found)
}

/// How many bytes `a` and `b` share at their start plus at their end (the two counted apart,
/// never more than the shorter one's length).
fn shared_ends(a: &[u8], b: &[u8]) -> usize {
    let start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let end = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (start + end).min(a.len().min(b.len()))
}

/// Edit distance (insertions, deletions, substitutions and swaps of neighbours, each costing 1)
/// between two byte strings: `strsim`'s optimal string alignment distance, counted in bytes as
/// [`NearPrefix`] counts it (each byte is read as the one character of the same number).
pub fn edit_distance(a: &[u8], b: &[u8]) -> u8 {
    let chars = |bytes: &[u8]| {
        bytes
            .iter()
            .map(|&byte| char::from(byte))
            .collect::<String>()
    };
    u8::try_from(strsim::osa_distance(&chars(a), &chars(b))).unwrap_or(u8::MAX)
}

/// An automaton over term bytes accepting the terms within `max` edits of some prefix of the
/// typed word (so that a stem is found from a word typed with its suffix). Its state is the last
/// two rows of the edit-distance table between the term read so far and every prefix of the
/// typed word, with the last byte read (for swaps of neighbours).
pub struct NearPrefix {
    typed: Vec<u8>,
    max: u8,
    same_first: bool,
}

/// Longest typed word the automaton reads, in bytes (a longer one is cut).
const WIDTH: usize = 32;

/// A row of the table: entry `j` for the typed word's first `j` bytes.
type Row = [u8; WIDTH + 1];

/// A state of [`NearPrefix`] (the row before, the row, the last byte, whether a byte was read);
/// `None` once no prefix can be within the distance. Fixed-size, so stepping allocates nothing.
type Rows = Option<(Row, Row, u8, bool)>;

impl NearPrefix {
    /// The automaton for `typed`, lower-cased, within `max` edits; with `same_first`, only
    /// terms starting with the typed word's first byte. Spelling correctors commonly trust the
    /// first letter: the walk over a dictionary then visits a small part of it rather than most
    /// of it. An explicit `word~2` does not.
    pub fn new(typed: &[u8], max: u8, same_first: bool) -> NearPrefix {
        NearPrefix {
            typed: typed[..typed.len().min(WIDTH)].to_vec(),
            max,
            same_first,
        }
    }

    /// How near `term` is to the typed word, in half edits: twice its edit distance to a
    /// prefix of the typed word, plus the length of the rest of the typed word (a stem's missing
    /// suffix costs half an edit a byte), at the best prefix.
    pub fn prefix_distance(&self, term: &[u8]) -> usize {
        let mut state = self.start();
        for &byte in term {
            state = self.accept_any(&state, byte);
        }
        let n = self.typed.len();
        state.as_ref().map_or(usize::MAX, |(_, row, _, _)| {
            row[..=n]
                .iter()
                .enumerate()
                .map(|(j, &d)| 2 * usize::from(d) + (n - j))
                .min()
                .unwrap_or(usize::MAX)
        })
    }

    /// The fewest edits between `term` and a prefix of the typed word.
    pub fn edits_to_prefix(&self, term: &[u8]) -> u8 {
        let mut state = self.start();
        for &byte in term {
            state = self.accept_any(&state, byte);
        }
        state
            .as_ref()
            .map_or(u8::MAX, |(_, row, _, _)| self.floor(row))
    }

    /// The smallest entry of a row.
    fn floor(&self, row: &Row) -> u8 {
        row[..=self.typed.len()]
            .iter()
            .min()
            .copied()
            .unwrap_or(u8::MAX)
    }

    /// Like [`Automaton::accept`], without dropping states past the distance.
    fn accept_any(&self, state: &Rows, byte: u8) -> Rows {
        let (before, row, last, started) = state.as_ref()?;
        let n = self.typed.len();
        let mut next = [0u8; WIDTH + 1];
        next[0] = row[0].saturating_add(1);
        for j in 1..=n {
            let cost = u8::from(self.typed[j - 1] != byte);
            let mut best = row[j]
                .saturating_add(1)
                .min(next[j - 1].saturating_add(1))
                .min(row[j - 1].saturating_add(cost));
            if j > 1 && *started && self.typed[j - 1] == *last && self.typed[j - 2] == byte {
                best = best.min(before[j - 2].saturating_add(1));
            }
            next[j] = best;
        }
        Some((*row, next, byte, true))
    }
}

impl Automaton for NearPrefix {
    type State = Rows;

    fn start(&self) -> Rows {
        let mut row = [0u8; WIDTH + 1];
        for (j, entry) in row.iter_mut().enumerate() {
            *entry = u8::try_from(j).unwrap_or(u8::MAX);
        }
        Some(([0u8; WIDTH + 1], row, 0, false))
    }

    fn is_match(&self, state: &Rows) -> bool {
        state
            .as_ref()
            .is_some_and(|(_, row, _, _)| self.floor(row) <= self.max)
    }

    fn can_match(&self, state: &Rows) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Rows, byte: u8) -> Rows {
        if self.same_first
            && state.as_ref().is_some_and(|(_, _, _, started)| !started)
            && self.typed.first().is_some_and(|&first| first != byte)
        {
            return None;
        }
        let next = self.accept_any(state, byte)?;
        // A row's minimum grows by at most one a byte, and a swap reaches back only to the row
        // before, one edit dearer: once the minimum passes the distance, no longer term matches.
        (self.floor(&next.1) <= self.max).then_some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_ends_count_start_and_end() {
        assert_eq!(shared_ends(b"minerls", b"minerals"), 7);
        assert_eq!(shared_ends(b"minerls", b"miners"), 6);
        assert_eq!(shared_ends(b"aaa", b"aa"), 2);
        assert_eq!(shared_ends(b"abc", b"xyz"), 0);
    }

    #[test]
    fn edit_distance_counts_swaps_as_one_edit() {
        for (a, b, distance) in [
            ("modhi", "modi", 1),
            ("critcal", "critical", 1),
            ("jaishanker", "jaishankar", 1),
            ("minerls", "minerals", 1),
            ("tarde", "trade", 1),
            ("modhi", "mode", 2),
            ("critcal", "critic", 3),
            ("", "abc", 3),
        ] {
            assert_eq!(
                edit_distance(a.as_bytes(), b.as_bytes()),
                distance,
                "{a} {b}"
            );
        }
    }

    #[test]
    fn corrected_query_replaces_whole_words_only() {
        let suggestion = |word: &str, alternatives: &[&str]| Suggestion {
            word: word.to_string(),
            alternatives: alternatives.iter().map(|a| a.to_string()).collect(),
        };
        assert_eq!(
            corrected_query(
                "\"critcal minerals\" OR critcal2 -tarde",
                &[
                    suggestion("critcal", &["critical"]),
                    suggestion("Tarde", &["trade", "tirade"])
                ]
            )
            .as_deref(),
            Some("\"critical minerals\" OR critcal2 -trade")
        );
        assert_eq!(corrected_query("zzyzx", &[suggestion("zzyzx", &[])]), None);
        assert_eq!(corrected_query("trade", &[]), None);
    }

    #[test]
    fn near_prefix_accepts_stems_of_the_typed_word() {
        let automaton = NearPrefix::new(b"critcal", 2, true);
        // `critc` + 2 missing bytes; `crit` + 3 missing; `critical` 1 edit.
        assert_eq!(automaton.prefix_distance(b"critic"), 4);
        assert_eq!(automaton.prefix_distance(b"crit"), 3);
        assert_eq!(automaton.prefix_distance(b"critical"), 2);
        assert_eq!(automaton.prefix_distance(b"zebra"), 11);
        assert_eq!(automaton.edits_to_prefix(b"critic"), 1);
        assert_eq!(automaton.edits_to_prefix(b"crit"), 0);
        assert_eq!(automaton.edits_to_prefix(b"crime"), 2);
        let accepts = |term: &[u8]| {
            let mut state = automaton.start();
            for &byte in term {
                state = automaton.accept(&state, byte);
            }
            automaton.is_match(&state)
        };
        assert!(accepts(b"critic"));
        assert!(accepts(b"crtical"));
        assert!(!accepts(b"zebra"));
        assert!(!accepts(b"political"));
        // The first letter is trusted.
        assert!(!accepts(b"kritic"));
        assert!(accepts(b"cirtic"));
        let free = NearPrefix::new(b"critcal", 2, false);
        let mut state = free.start();
        for &byte in b"kritic" {
            state = free.accept(&state, byte);
        }
        assert!(free.is_match(&state));
    }
}
