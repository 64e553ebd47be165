//! The word model of topics: a naive Bayes over the words of an article, compiled in from the licence-clean labelled sets (`data/topic_model.tsv`,
//! built by `scripts/train_topics.py`).

use rustc_hash::FxHashMap;

use super::data_lines;
use super::taxonomy;
use super::text::{self, Part, Segment};

pub(crate) const MODEL_TSV: &str = include_str!("data/topic_model.tsv");

/// Words the word models skip: they say nothing of a topic.
pub(crate) const STOPWORDS: &[&str] = &[
    "about", "after", "again", "against", "all", "also", "and", "any", "are", "been", "before",
    "being", "but", "can", "could", "did", "does", "for", "from", "had", "has", "have", "her",
    "here", "him", "his", "how", "into", "its", "just", "more", "most", "not", "now", "off", "one",
    "only", "other", "our", "out", "over", "said", "says", "she", "should", "since", "some",
    "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "through", "two", "under", "until", "very", "was", "were", "what", "when", "where",
    "which", "while", "who", "why", "will", "with", "would", "year", "years", "you", "your",
];

/// Whether `word` (lower-case) is one of [`STOPWORDS`]: a hash lookup, and none at all for a
/// word longer than the longest of them (most words).
fn is_stopword(word: &str) -> bool {
    static SET: std::sync::OnceLock<(usize, rustc_hash::FxHashSet<&'static str>)> =
        std::sync::OnceLock::new();
    let (longest, set) = SET.get_or_init(|| {
        let longest = STOPWORDS.iter().map(|w| w.len()).max().unwrap_or(0);
        (longest, STOPWORDS.iter().copied().collect())
    });
    word.len() <= *longest && set.contains(word)
}

/// Calls `each` with every word of `text` that the word models read: split at anything not a
/// letter or digit, lower-cased, of three to thirty bytes, not a number and not a stopword.
pub fn each_word(text: &str, mut each: impl FnMut(&str)) {
    let mut lower = String::new();
    let mut word = |word: &str| {
        if word.len() < 3 || word.len() > 30 || word.bytes().all(|b| b.is_ascii_digit()) {
            return;
        }
        lower.clear();
        if word.is_ascii() {
            lower.push_str(word);
            lower.make_ascii_lowercase();
        } else {
            lower.extend(word.chars().flat_map(char::to_lowercase));
        }
        if is_stopword(&lower) {
            return;
        }
        each(&lower);
    };
    if !text.is_ascii() {
        text.split(|c: char| !c.is_alphanumeric()).for_each(word);
        return;
    }
    // The same words, found a byte at a time (most text is ASCII).
    let mut start = None;
    for (at, byte) in text.bytes().enumerate() {
        match (byte.is_ascii_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                word(&text[from..at]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        word(&text[from..]);
    }
}

/// Bytes of the body the word model reads (after the headline and standfirst).
const MODEL_BODY_BYTES: usize = 600;
/// Top levels with fewer labelled examples than this are left out of the word model.
const MIN_CLASS_EXAMPLES: u32 = 50;
/// Additive smoothing of the word model's counts.
const MODEL_SMOOTHING: f32 = 0.5;
/// The word model's log-likelihoods are divided by this many words read beyond the first
/// ones, so that a long text does not make it certain: naive Bayes counts words as
/// independent, and they are not.
const MODEL_WORDS_PER_UNIT: f32 = 8.0;

/// The compiled-in naive Bayes over words, from the counts of `topic_model.tsv`.
#[derive(Debug)]
pub(crate) struct WordModel {
    /// Taxonomy index of each class.
    classes: Vec<usize>,
    /// Per word: log P(word | class) for each class.
    rows: Vec<Box<[f32]>>,
    /// Each word of the counts file (lower-case) with its row.
    words: FxHashMap<Box<str>, u32>,
}

impl WordModel {
    /// The model of a counts file; lines that do not parse are skipped (the file's own test
    /// checks it parses whole).
    pub(crate) fn parse(text: &str) -> WordModel {
        let mut classes: Vec<usize> = Vec::new();
        let mut counts: Vec<Vec<f32>> = Vec::new();
        let mut words: FxHashMap<Box<str>, u32> = FxHashMap::default();
        let paths: FxHashMap<&str, usize> = taxonomy()
            .iter()
            .enumerate()
            .map(|(i, topic)| (topic.path, i))
            .collect();
        let cells = |field: &str| -> Vec<(usize, f32)> {
            field
                .split(' ')
                .filter_map(|cell| cell.split_once(':'))
                .filter_map(|(topic, n)| Some((*paths.get(topic)?, n.parse::<f32>().ok()?)))
                .filter(|&(_, n)| n.is_finite() && n > 0.0)
                .collect()
        };
        let mut rows = Vec::new();
        for (_, line) in data_lines(text) {
            let Some((word, field)) = line.split_once('\t') else {
                continue;
            };
            if word == "@documents" {
                classes = cells(field)
                    .into_iter()
                    .filter(|&(_, n)| n >= MIN_CLASS_EXAMPLES as f32)
                    .map(|(topic, _)| topic)
                    .collect();
            } else {
                rows.push((word, cells(field)));
            }
        }
        for (word, cells) in rows {
            let mut read = None;
            each_word(word, |w| read = Some(w == word));
            if read != Some(true) {
                continue;
            }
            let Ok(row) = u32::try_from(counts.len()) else {
                continue;
            };
            if words.insert(word.into(), row).is_some() {
                continue;
            }
            counts.push(vec![0.0; classes.len()]);
            let Some(entry) = counts.last_mut() else {
                continue;
            };
            for (topic, n) in cells {
                if let Some(k) = classes.iter().position(|&c| c == topic) {
                    entry[k] += n;
                }
            }
        }
        let mut totals = vec![0f32; classes.len()];
        for row in &counts {
            for (total, n) in totals.iter_mut().zip(row) {
                *total += n;
            }
        }
        let vocabulary = counts.len() as f32;
        let rows = counts
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&totals)
                    .map(|(n, total)| {
                        ((n + MODEL_SMOOTHING) / (total + MODEL_SMOOTHING * vocabulary)).ln()
                    })
                    .collect()
            })
            .collect();
        WordModel {
            classes,
            rows,
            words,
        }
    }

    /// The taxonomy indexes of the top levels it tells apart.
    #[cfg(test)]
    pub(crate) fn classes(&self) -> impl Iterator<Item = usize> + '_ {
        self.classes.iter().copied()
    }

    /// The number of words it knows.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The posterior over the top levels of the words of an article's headline, standfirst
    /// and the start of its body, as (taxonomy index, probability); empty when it knows none
    /// of the words.
    pub(crate) fn posterior(&self, segments: &[Segment<'_>]) -> Vec<(usize, f32)> {
        let mut sums = vec![0f32; self.classes.len()];
        let mut known = 0usize;
        for segment in segments {
            let text = if segment.part == Part::Body {
                text::prefix(segment.text, MODEL_BODY_BYTES)
            } else {
                segment.text
            };
            each_word(text, |word| {
                if let Some(logs) = self
                    .words
                    .get(word)
                    .and_then(|&row| self.rows.get(row as usize))
                {
                    known += 1;
                    for (sum, log) in sums.iter_mut().zip(logs) {
                        *sum += log;
                    }
                }
            });
        }
        if known == 0 {
            return Vec::new();
        }
        let scale = (known as f32 / MODEL_WORDS_PER_UNIT).max(1.0);
        softmax(&mut sums, scale);
        self.classes.iter().copied().zip(sums).collect()
    }
}

/// Turns log-likelihoods into probabilities in place, after dividing them by `scale`.
pub(crate) fn softmax(values: &mut [f32], scale: f32) {
    let max = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in values.iter_mut() {
        *v = ((*v - max) / scale).exp();
        sum += *v;
    }
    if sum > 0.0 {
        for v in values.iter_mut() {
            *v /= sum;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words as the char-by-char split finds them, the reference for the ASCII path.
    fn by_chars(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() >= 3 && w.len() <= 30 && !w.bytes().all(|b| b.is_ascii_digit()))
            .map(|w| w.chars().flat_map(char::to_lowercase).collect::<String>())
            .filter(|w| STOPWORDS.binary_search(&w.as_str()).is_err())
            .collect()
    }

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        each_word(text, |w| out.push(w.to_string()));
        out
    }

    #[test]
    fn ascii_text_gives_the_words_the_char_split_gives() {
        for text in [
            "Shares of IBM rose 3.5% to $120 in New York, the company's biggest gain since 1987.",
            "ends on a word",
            "  ..leading and trailing--  ",
            "",
            "a-b-c 12345 x9y9z abcdefghijklmnopqrstuvwxyzabcdefgh hello",
            "The U.N. said the quake (magnitude 6.1) hit at 0400 GMT",
        ] {
            assert_eq!(words(text), by_chars(text), "{text}");
        }
        assert_eq!(
            words("Shares of IBM rose 3.5% in 1987."),
            ["shares", "ibm", "rose"]
        );
        // Text that is not ASCII goes the char-by-char way.
        assert_eq!(
            words("Zürich's Börse fell"),
            by_chars("Zürich's Börse fell")
        );
    }
}
