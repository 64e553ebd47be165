//! Snippets: the passage of a body with the most distinct query terms, with byte ranges of the
//! matched words.
//!
//! tantivy's `SnippetGenerator` runs the stemmer over every word of every shown body, which is
//! most of a search's time on news-length articles. Here words are split and lower-cased
//! cheaply, and only the words that begin like a query stem are stemmed (English stems keep
//! the word's first letters), each distinct word once per search.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{Searcher, TantivyError};

use super::Snippet;

/// Letters of a stem a word must start with to be stemmed and compared.
const PREFIX_LEN: usize = 3;
/// Context kept before the first matched word, in bytes at most.
const LEAD_IN: usize = 60;

/// Builds snippets for one query.
pub struct Snippeter {
    stems: BTreeSet<String>,
    prefixes: Vec<String>,
    stemmer: TextAnalyzer,
    words: TextAnalyzer,
    known: HashMap<String, Option<usize>>,
    max_len: usize,
}

impl Snippeter {
    /// A snippeter for the terms `query` looks for in `field`; passages of about `max_len` bytes.
    pub fn new(
        searcher: &Searcher,
        query: &dyn Query,
        field: Field,
        max_len: usize,
    ) -> Result<Snippeter, TantivyError> {
        let mut stems = BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field
                && let Some(text) = term.value().as_str()
            {
                stems.insert(text.to_string());
            }
        });
        let prefixes = stems
            .iter()
            .map(|s| s.chars().take(PREFIX_LEN).collect())
            .collect();
        Ok(Snippeter {
            stems,
            prefixes,
            stemmer: searcher.index().tokenizer_for_field(field)?,
            words: searcher
                .index()
                .tokenizers()
                .get("default")
                .unwrap_or_default(),
            known: HashMap::new(),
            max_len,
        })
    }

    /// The best passage of `text`; `None` when no query word occurs in it.
    pub fn snippet(&mut self, text: &str) -> Option<Snippet> {
        if self.stems.is_empty() {
            return None;
        }
        let mut matches: Vec<(Range<usize>, usize)> = Vec::new();
        let mut stream = self.words.token_stream(text);
        while let Some(token) = stream.next() {
            if !self
                .prefixes
                .iter()
                .any(|p| token.text.starts_with(p.as_str()))
            {
                continue;
            }
            let stem = match self.known.get(&token.text) {
                Some(stem) => *stem,
                None => {
                    let stem = stem_index(&mut self.stemmer, &self.stems, &token.text);
                    self.known.insert(token.text.clone(), stem);
                    stem
                }
            };
            if let Some(stem) = stem {
                matches.push((token.offset_from..token.offset_to, stem));
            }
        }
        let best = best_window(&matches, self.max_len)?;
        let first = matches[best].0.start;
        let start = passage_start(text, first);
        let end = floor_boundary(text, (start + self.max_len).min(text.len()));
        let end = text[..end]
            .rfind(char::is_whitespace)
            .filter(|&e| e > first)
            .unwrap_or(end);
        let highlights = matches
            .iter()
            .filter(|(range, _)| range.start >= start && range.end <= end)
            .map(|(range, _)| range.start - start..range.end - start)
            .collect();
        Some(Snippet {
            text: text[start..end].to_string(),
            highlights,
        })
    }
}

/// The index of the stem `word` reduces to, if it is a query stem.
fn stem_index(stemmer: &mut TextAnalyzer, stems: &BTreeSet<String>, word: &str) -> Option<usize> {
    let mut stream = stemmer.token_stream(word);
    let token = stream.next()?;
    stems.iter().position(|s| *s == token.text)
}

/// The match that starts the window with the most distinct stems (then the most matches).
fn best_window(matches: &[(Range<usize>, usize)], max_len: usize) -> Option<usize> {
    let mut best: Option<(usize, usize, usize)> = None;
    for (i, (range, _)) in matches.iter().enumerate() {
        let inside = matches[i..]
            .iter()
            .take_while(|(r, _)| r.end <= range.start + max_len);
        let mut distinct = BTreeSet::new();
        let mut count = 0;
        for (_, stem) in inside {
            distinct.insert(*stem);
            count += 1;
        }
        let key = (distinct.len(), count);
        if best.is_none_or(|(d, c, _)| key > (d, c)) {
            best = Some((key.0, key.1, i));
        }
    }
    best.map(|(_, _, i)| i)
}

/// Where a passage whose first match is at `first` begins: the start of its sentence if that is
/// close, else a word boundary a little before it.
fn passage_start(text: &str, first: usize) -> usize {
    let floor = floor_boundary(text, first.saturating_sub(LEAD_IN));
    let before = &text[floor..first];
    if let Some(end) = before.rfind(['.', '!', '?', '\n']) {
        let start = floor + end + 1;
        return start + (text[start..first].len() - text[start..first].trim_start().len());
    }
    if floor == 0 {
        return 0;
    }
    // After the first space, whatever its width (a no-break space is two bytes).
    match before.char_indices().find(|(_, c)| c.is_whitespace()) {
        Some((space, c)) => floor + space + c.len_utf8(),
        None => first,
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_prefer_distinct_terms() {
        let matches = vec![(0..4, 0), (10..14, 0), (100..104, 0), (120..124, 1)];
        assert_eq!(best_window(&matches, 50), Some(2));
        assert_eq!(best_window(&matches, 500), Some(0));
        assert_eq!(best_window(&[], 50), None);
    }

    #[test]
    fn passages_start_at_a_nearby_sentence_or_word() {
        let text = "First sentence here. Second one mentions trade deals today.";
        assert_eq!(
            &text[passage_start(text, 41)..],
            "Second one mentions trade deals today."
        );
        let long = format!("{} trade", "word ".repeat(30));
        let start = passage_start(&long, long.len() - 5);
        assert!(long[start..].starts_with("word"));
        assert!(long.len() - start <= LEAD_IN + 5);
        assert_eq!(passage_start("trade", 0), 0);
        // The first space of the lead-in is a no-break space, two bytes long (found by the
        // `snippet` fuzz target: slicing one byte after it panicked).
        let nbsp = format!("{}2)\u{a0}estimate talks", "x".repeat(70));
        let first = nbsp.find("talks").expect("talks");
        assert_eq!(&nbsp[passage_start(&nbsp, first)..], "estimate talks");
    }
}
