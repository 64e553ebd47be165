//! The stemming analyzer of titles and bodies: tantivy's `en_stem` (its simple tokenizer,
//! tokens over 40 bytes dropped, lower-casing, the English Snowball stemmer), with each
//! analyzer remembering the stems it computed. News repeats its words, and stemming every
//! occurrence afresh was about a sixth of the work of indexing; a lookup costs a fraction of
//! that. The output is token for token that of tantivy's `en_stem`, which a test checks, so
//! queries and indexes built before read the same terms.

use std::borrow::Cow;

use frostem::{Algorithm, Stemmer};
use tantivy::Index;
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, TextAnalyzerBuilder, Token,
    TokenFilter, TokenStream, Tokenizer,
};

use super::schema::STEM_TOKENIZER;

/// Tokens longer than this (in bytes) are dropped, as by tantivy's `en_stem`.
const MAX_TOKEN_BYTES: usize = 40;

/// Slots of the stem cache (a power of two): 4,096 of 48 bytes, 192 KiB per analyzer. News
/// vocabularies are Zipfian: the most frequent few thousand words are most of the tokens.
const CACHED_STEMS: usize = 1 << 12;

/// Registers the caching analyzer as [`STEM_TOKENIZER`] on `index`, in place of tantivy's.
pub(crate) fn register(index: &Index) {
    index.tokenizers().register(STEM_TOKENIZER, analyzer());
}

/// The caching equivalent of tantivy's `en_stem` analyzer.
pub(crate) fn analyzer() -> TextAnalyzer {
    words().filter(CachedStemmer).build()
}

/// The words of a text as [`analyzer`] sees them before stemming.
pub(crate) fn unstemmed() -> TextAnalyzer {
    words().build()
}

/// `en_stem` up to its stemmer: split, long tokens dropped, lower-cased.
fn words() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
}

/// A token filter that stems English words through a cache.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner: tokenizer,
            stems: Stems::default(),
        }
    }
}

/// The tokenizer [`CachedStemmer`] makes of another.
#[derive(Clone)]
pub(crate) struct CachedStemmerFilter<T> {
    inner: T,
    stems: Stems,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stems: &mut self.stems,
        }
    }
}

/// The stems computed so far, in a direct-mapped cache: each word has one slot, chosen by its
/// hash, holding the last word stemmed there with its stem. Words and stems are kept in the slot
/// itself, so a lookup reads one or two cache lines of a table that stays in the processor's
/// cache (a hash map of boxed strings spent longer chasing pointers than stemming took). A
/// clone starts empty: tantivy clones the registered analyzer for each segment it writes.
struct Stems {
    stemmer: Stemmer,
    slots: Vec<Slot>,
}

/// One slot of [`Stems`]: a word of up to [`SLOT_BYTES`] bytes and its stem.
#[derive(Clone, Copy)]
struct Slot {
    word_len: u8,
    stem_len: u8,
    word: [u8; SLOT_BYTES],
    stem: [u8; SLOT_BYTES],
}

/// Longer words are stemmed each time.
const SLOT_BYTES: usize = 22;

const EMPTY: Slot = Slot {
    word_len: 0,
    stem_len: 0,
    word: [0; SLOT_BYTES],
    stem: [0; SLOT_BYTES],
};

impl Default for Stems {
    fn default() -> Self {
        Stems {
            stemmer: Stemmer::new(Algorithm::English),
            slots: vec![EMPTY; CACHED_STEMS],
        }
    }
}

impl Clone for Stems {
    fn clone(&self) -> Self {
        Stems::default()
    }
}

impl Stems {
    /// Replaces `word` with its stem.
    fn stem(&mut self, word: &mut String) {
        let bytes = word.as_bytes();
        if bytes.is_empty() || bytes.len() > SLOT_BYTES {
            if let Cow::Owned(stem) = self.stemmer.stem(word) {
                *word = stem;
            }
            return;
        }
        let slot = &mut self.slots[slot_of(bytes)];
        if usize::from(slot.word_len) == bytes.len() && slot.word[..bytes.len()] == *bytes {
            let stem = &slot.stem[..usize::from(slot.stem_len)];
            if stem != bytes {
                word.clear();
                // The slot holds a stem computed from a `String`: valid UTF-8.
                word.push_str(std::str::from_utf8(stem).unwrap_or_default());
            }
            return;
        }
        let stem = self.stemmer.stem(word);
        // Snowball stems never grow a word; a longer one would simply not be kept.
        if stem.len() <= SLOT_BYTES {
            slot.word_len = bytes.len() as u8;
            slot.word[..bytes.len()].copy_from_slice(bytes);
            slot.stem_len = stem.len() as u8;
            slot.stem[..stem.len()].copy_from_slice(stem.as_bytes());
        } else {
            slot.word_len = 0;
        }
        if let Cow::Owned(stem) = stem {
            *word = stem;
        }
    }
}

/// The slot of a word: a multiplicative hash of its bytes.
fn slot_of(bytes: &[u8]) -> usize {
    let mut hash = bytes.len() as u64;
    for chunk in bytes.chunks(8) {
        let mut lane = [0u8; 8];
        lane[..chunk.len()].copy_from_slice(chunk);
        hash = (hash ^ u64::from_le_bytes(lane)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    (hash >> (64 - CACHED_STEMS.trailing_zeros())) as usize
}

/// The token stream of [`CachedStemmerFilter`].
pub(crate) struct CachedStemmerStream<'a, T> {
    tail: T,
    stems: &'a mut Stems,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.stems.stem(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::TokenizerManager;

    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((
                token.text.clone(),
                token.position,
                token.offset_from,
                token.offset_to,
            ));
        }
        out
    }

    #[test]
    fn stems_as_tantivy_en_stem_does_and_again_from_the_cache() {
        let mut tantivy = TokenizerManager::default().get("en_stem").unwrap();
        let mut cached = analyzer();
        let text = "Running runners ran; the miners' MINERALS, critical minerals and \
                    Ärzte in Zürich. Antidisestablishmentarianismwithextralettersbeyondforty \
                    generously generalised generalizations, 70-63, U.S. relations";
        let expected = tokens(&mut tantivy, text);
        assert_eq!(tokens(&mut cached, text), expected);
        // The second pass reads every stem from the cache.
        assert_eq!(tokens(&mut cached, text), expected);
        let words: Vec<&str> = expected.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(
            words,
            [
                "run",
                "runner",
                "ran",
                "the",
                "miner",
                "miner",
                "critic",
                "miner",
                "and",
                "ärzte",
                "in",
                "zürich",
                "generous",
                "generalis",
                "general",
                "70",
                "63",
                "u",
                "s",
                "relat"
            ]
        );
    }

    #[test]
    fn words_sharing_a_slot_replace_each_other() {
        let mut stems = Stems::default();
        let plain = Stemmer::new(Algorithm::English);
        let mut words: Vec<String> = (0..CACHED_STEMS * 2)
            .map(|i| format!("word{i}ing"))
            .collect();
        words.push("internationalisations".to_string());
        words.push("a".repeat(SLOT_BYTES + 1) + "ing");
        for _ in 0..2 {
            for word in &words {
                let mut text = word.clone();
                stems.stem(&mut text);
                assert_eq!(text, plain.stem(word), "{word}");
            }
        }
        let mut word = "word17ing".to_string();
        stems.stem(&mut word);
        assert_eq!(word, "word17");
    }

    #[test]
    fn a_clone_starts_empty() {
        let mut stems = Stems::default();
        stems.stem(&mut "minerals".to_string());
        let filled = |s: &Stems| s.slots.iter().filter(|slot| slot.word_len > 0).count();
        assert_eq!(filled(&stems), 1);
        assert_eq!(filled(&stems.clone()), 0);
    }
}
