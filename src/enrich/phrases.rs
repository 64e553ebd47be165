//! Whole-word phrase lookup: finds a list of phrases (`trade deal`, `U.S.`, `al-Qaeda`) where
//! they stand as whole words in a text, leftmost first and longest at each start, without
//! overlaps.
//!
//! Each phrase is filed under its first run of letters and digits (`trade`, `U`, `al`). A text
//! is walked once, run by run; each run is looked up in a hash table, and only the phrases filed
//! under it are compared with the text at that point. A phrase that starts with another
//! character (`$`) is filed under that character. Unlike an automaton over the raw bytes, no
//! time goes to the many matches inside words (`art` in `start`) that a whole-word test would
//! throw away, and a match that is not a whole word never hides one that is.

use rustc_hash::FxHashMap;

use super::text;

/// The phrase lists of the extractors, searched together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum List {
    /// Topic terms in lower case, matched in any case.
    TopicsFolded,
    /// Topic terms with capitals, matched as written.
    TopicsCased,
    /// Country names, demonyms, cities and blockers, matched as written.
    Countries,
    /// The country terms usable in all-caps text, matched in any case.
    CountriesCaps,
}

impl List {
    const ALL: [List; 4] = [
        List::TopicsFolded,
        List::TopicsCased,
        List::Countries,
        List::CountriesCaps,
    ];

    fn folds(self) -> bool {
        matches!(self, List::TopicsFolded | List::CountriesCaps)
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A set of lists to search.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Lists(u8);

impl Lists {
    /// The set of `lists`.
    pub(crate) fn of(lists: &[List]) -> Lists {
        Lists(lists.iter().fold(0, |bits, list| bits | list.bit()))
    }

    fn has(self, list: List) -> bool {
        self.0 & list.bit() != 0
    }
}

/// One phrase filed under a first run: its list, its index there and its length in bytes.
#[derive(Clone, Copy, Debug)]
struct Entry {
    list: List,
    index: u32,
    len: u32,
    /// The first eight bytes of the phrase (fewer when shorter) as a word, in ASCII lower
    /// case when the list folds case: compared with the text's own, they settle a phrase of up
    /// to eight bytes without reading it, and turn most others away.
    head: u64,
    /// The bytes of `head` that belong to the phrase, as a mask.
    head_mask: u64,
}

/// The phrase lists, compiled for one walk over a text.
#[derive(Debug)]
pub(crate) struct Lexicon {
    /// Each list's phrases, as given.
    patterns: [Vec<Box<str>>; 4],
    /// First run in ASCII lower case -> the phrases filed under it, by list, longest first.
    by_head: Heads,
    /// Phrases that start with a character other than a letter or digit, by that character.
    by_symbol: FxHashMap<char, Vec<Entry>>,
    /// The ASCII characters among `by_symbol`'s keys, as bits: most text has none of them.
    ascii_symbols: u128,
    /// Whether `by_symbol` has a key outside ASCII.
    other_symbols: bool,
    /// Length in bytes of the longest first run: longer runs cannot start a phrase.
    longest_head: usize,
    /// The class of each byte value: [`OTHER`], [`ALNUM`], [`SYMBOL`] or [`NON_ASCII`].
    classes: [u8; 256],
}

/// The first runs of the phrases and the phrases filed under each: an open-addressing table
/// of 16-byte slots over two arrays. Most runs of a text (`the`, `said`, numbers) start no
/// phrase; a filter of a bit per hash, small enough to stay in the cache, turns most of them
/// away before the table is read.
#[derive(Debug, Default)]
struct Heads {
    slots: Vec<Slot>,
    /// The runs as words of eight bytes (see [`Run`]), one run's after the other.
    keys: Vec<u64>,
    /// The phrases filed under each run, one run's after the other.
    entries: Vec<Entry>,
    /// [`FILTER_BITS`] bits: 8 KiB.
    filter: Vec<u64>,
}

/// A slot of [`Heads`]; empty when `key_len` is 0.
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    hash: u32,
    key_at: u32,
    entries_at: u32,
    key_len: u16,
    entries_len: u16,
}

/// Bits of [`Heads::filter`].
const FILTER_BITS: usize = 1 << 16;

/// Multiplier of [`Run::hash`] (FxHash's).
const HASH_K: u64 = 0xf135_7aea_2e62_a9c5;

/// Bit 5 of every byte of a word: ASCII upper case to lower case for letters, a no-op for
/// digits.
const FOLD: u64 = 0x2020_2020_2020_2020;

/// `word` with the ASCII capitals among its bytes in lower case, as
/// [`u8::to_ascii_lowercase`] would have them, all eight bytes at once.
fn ascii_lower_word(word: u64) -> u64 {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let seven = word & !HIGH;
    let from_a = (seven + LOW * (0x80 - u64::from(b'A'))) & HIGH;
    let past_z = (seven + LOW * (0x80 - u64::from(b'Z') - 1)) & HIGH;
    let capitals = from_a & !past_z & !word & HIGH;
    word | (capitals >> 2)
}

/// A mask of the low `len` bytes of a word (`len` at most 8).
fn low_bytes(len: usize) -> u64 {
    u64::MAX >> (64 - 8 * len.clamp(1, 8))
}

/// The `len` bytes (1 to 8) of `bytes` from `at` as a little-endian word, zero above: one load
/// when eight bytes are there to read.
#[inline]
fn word_at(bytes: &[u8], at: usize, len: usize) -> u64 {
    let mut word = [0u8; 8];
    if let Some(eight) = bytes.get(at..at + 8) {
        word.copy_from_slice(eight);
        return u64::from_le_bytes(word) & low_bytes(len);
    }
    for (slot, &byte) in word
        .iter_mut()
        .zip(bytes.get(at..at + len).unwrap_or_default())
    {
        *slot = byte;
    }
    u64::from_le_bytes(word)
}

/// A run of letters and digits in ASCII lower case, as words of eight bytes padded with zeros:
/// hashed and compared a word at a time, never copied byte by byte.
struct Run {
    words: [u64; MAX_HEAD / 8],
    len: usize,
}

impl Run {
    /// `bytes[start..start + len]` (`len` from 1 to [`MAX_HEAD`]) with `fold` set in each byte:
    /// [`FOLD`] turns a run of ASCII letters and digits to lower case, 0 keeps a run already in
    /// lower case.
    #[inline]
    fn new(bytes: &[u8], start: usize, len: usize, fold: u64) -> Run {
        let mut run = Run {
            words: [0; MAX_HEAD / 8],
            len,
        };
        for (i, word) in run.words.iter_mut().take(len.div_ceil(8)).enumerate() {
            let n = (len - 8 * i).min(8);
            *word = word_at(bytes, start + 8 * i, n) | (fold & low_bytes(n));
        }
        run
    }

    fn words(&self) -> &[u64] {
        &self.words[..self.len.div_ceil(8)]
    }

    fn hash(&self) -> u64 {
        hash_words(self.words(), self.len)
    }
}

/// The hash of a run of `len` bytes given as [`Run`] words.
#[inline]
fn hash_words(words: &[u64], len: usize) -> u64 {
    let mut hash = len as u64;
    for &word in words {
        hash = (hash.rotate_left(5) ^ word).wrapping_mul(HASH_K);
    }
    // The filter takes bits 16 up, the table the low bits and the slot the high half: the
    // high bits of the product mixed down.
    hash ^ (hash >> 29)
}

impl Heads {
    fn new(table: FxHashMap<Vec<u8>, Vec<Entry>>) -> Heads {
        let size = (table.len() * 2).next_power_of_two().max(16);
        let mut heads = Heads {
            slots: vec![Slot::default(); size],
            filter: vec![0; FILTER_BITS / 64],
            ..Heads::default()
        };
        for (key, entries) in table {
            let run = Run::new(&key, 0, key.len(), 0);
            let hash = run.hash();
            let bit = Heads::bit(hash);
            heads.filter[bit / 64] |= 1 << (bit % 64);
            let mut at = hash as usize & (size - 1);
            while heads.slots[at].key_len != 0 {
                at = (at + 1) & (size - 1);
            }
            heads.slots[at] = Slot {
                hash: (hash >> 32) as u32,
                key_at: u32::try_from(heads.keys.len()).unwrap_or(u32::MAX),
                entries_at: u32::try_from(heads.entries.len()).unwrap_or(u32::MAX),
                key_len: u16::try_from(key.len()).unwrap_or(u16::MAX),
                entries_len: u16::try_from(entries.len()).unwrap_or(u16::MAX),
            };
            heads.keys.extend_from_slice(run.words());
            heads.entries.extend(entries);
        }
        heads
    }

    fn bit(hash: u64) -> usize {
        (hash >> 16) as usize % FILTER_BITS
    }

    /// The phrases filed under `run`.
    fn get(&self, run: &Run) -> Option<&[Entry]> {
        self.get_words(run.words(), run.len)
    }

    /// The phrases filed under the run of `len` bytes given as [`Run`] words. The filter is
    /// tested here, inline; the table, read for few runs, out of line.
    #[inline]
    fn get_words(&self, words: &[u64], len: usize) -> Option<&[Entry]> {
        let hash = hash_words(words, len);
        let bit = Heads::bit(hash);
        if self.filter.get(bit / 64)? & (1 << (bit % 64)) == 0 {
            return None;
        }
        self.probe(words, len, hash)
    }

    #[inline(never)]
    fn probe(&self, words: &[u64], len: usize, hash: u64) -> Option<&[Entry]> {
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let slot = self.slots.get(at)?;
            if slot.key_len == 0 {
                return None;
            }
            if slot.hash == (hash >> 32) as u32 && usize::from(slot.key_len) == len {
                let key_at = slot.key_at as usize;
                let key = self.keys.get(key_at..key_at + words.len())?;
                if key.iter().zip(words).all(|(a, b)| a == b) {
                    let entries_at = slot.entries_at as usize;
                    return self
                        .entries
                        .get(entries_at..entries_at + usize::from(slot.entries_len));
                }
            }
            at = (at + 1) & mask;
        }
    }
}

/// A byte that neither is part of a run nor starts a phrase.
const OTHER: u8 = 0;
/// An ASCII letter or digit.
const ALNUM: u8 = 1;
/// An ASCII character that starts a phrase (`$`).
const SYMBOL: u8 = 2;
/// A byte of a character outside ASCII.
const NON_ASCII: u8 = 3;

/// The longest first run looked up: runs are copied to lower case on the stack.
const MAX_HEAD: usize = 64;

/// A phrase found in a text: `text[start..end]` is phrase `pattern` of `list`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    pub list: List,
    pub start: usize,
    pub end: usize,
    pub pattern: usize,
}

impl Lexicon {
    /// Compiles the phrases of each list (empty phrases never match).
    pub(crate) fn new(lists: [Vec<Box<str>>; 4]) -> Lexicon {
        let mut lexicon = Lexicon {
            patterns: Default::default(),
            by_head: Heads::default(),
            by_symbol: FxHashMap::default(),
            ascii_symbols: 0,
            other_symbols: false,
            longest_head: 0,
            classes: [OTHER; 256],
        };
        let mut by_head = FxHashMap::default();
        for (list, patterns) in List::ALL.into_iter().zip(&lists) {
            for (index, pattern) in patterns.iter().enumerate() {
                lexicon.file(list, index, pattern, &mut by_head);
            }
        }
        let order = |list: &mut Vec<Entry>| {
            // Stable: of equal phrases in a list, the first given wins.
            list.sort_by_key(|e| (e.list as u8, std::cmp::Reverse(e.len)));
        };
        by_head.values_mut().for_each(order);
        lexicon.by_head = Heads::new(by_head);
        lexicon.by_symbol.values_mut().for_each(order);
        lexicon.patterns = lists;
        for (byte, class) in (0u8..=255).zip(lexicon.classes.iter_mut()) {
            *class = if byte.is_ascii_alphanumeric() {
                ALNUM
            } else if !byte.is_ascii() {
                NON_ASCII
            } else if lexicon.ascii_symbols & (1 << byte) != 0 {
                SYMBOL
            } else {
                OTHER
            };
        }
        lexicon
    }

    fn file(
        &mut self,
        list: List,
        index: usize,
        pattern: &str,
        by_head: &mut FxHashMap<Vec<u8>, Vec<Entry>>,
    ) {
        let Some(first) = pattern.chars().next() else {
            return;
        };
        let len = pattern.len().min(8);
        let entry = Entry {
            list,
            index: u32::try_from(index).unwrap_or(u32::MAX),
            len: u32::try_from(pattern.len()).unwrap_or(u32::MAX),
            head: if list.folds() {
                ascii_lower_word(word_at(pattern.as_bytes(), 0, len))
            } else {
                word_at(pattern.as_bytes(), 0, len)
            },
            head_mask: low_bytes(len),
        };
        if first.is_alphanumeric() {
            let mut key = pattern.as_bytes()[..run_end(pattern, 0)].to_vec();
            if key.len() > MAX_HEAD {
                return;
            }
            key.make_ascii_lowercase();
            self.longest_head = self.longest_head.max(key.len());
            by_head.entry(key).or_default().push(entry);
        } else {
            match u8::try_from(first).ok().filter(u8::is_ascii) {
                Some(byte) => self.ascii_symbols |= 1 << byte,
                None => self.other_symbols = true,
            }
            self.by_symbol.entry(first).or_default().push(entry);
        }
    }

    /// The whole-word matches of the phrases of `lists` in `text`, left to right; within a
    /// list, matches do not overlap, and at one start the longest phrase that stands as a
    /// whole word wins (lists are independent of each other).
    pub(crate) fn find(&self, text: &str, lists: Lists) -> Vec<Found> {
        let bytes = text.as_bytes();
        // News text holds a match every few hundred bytes: room for them up front, rather
        // than growing the list a step at a time.
        let mut found = Vec::with_capacity(text.len() / 128 + 4);
        // Per list, where its next match may start.
        let mut free = [0usize; 4];
        let mut key = [0u8; MAX_HEAD];
        let mut at = 0;
        while at < bytes.len() {
            let start = at;
            let class = self.classes[usize::from(bytes[start])];
            let candidates = match class {
                OTHER => {
                    at += 1;
                    continue;
                }
                SYMBOL => {
                    at += 1;
                    self.by_symbol
                        .get(&char::from(bytes[start]))
                        .map(Vec::as_slice)
                }
                ALNUM => {
                    // A run of ASCII letters and digits, the common case: scanned first, then
                    // copied to lower case a word at a time when short enough.
                    let end = text::ascii_alnum_end(bytes, start + 1);
                    if bytes
                        .get(end)
                        .is_some_and(|&byte| self.classes[usize::from(byte)] == NON_ASCII)
                    {
                        // It may go on with a letter outside ASCII: the general case below.
                        self.run_candidates(text, start, &mut at, &mut key)
                    } else {
                        at = end;
                        let run = &bytes[start..end];
                        if run.len() > self.longest_head {
                            continue;
                        }
                        if run.len() <= 8 {
                            // One word, the common case: no [`Run`] to fill.
                            let word =
                                word_at(bytes, start, run.len()) | (FOLD & low_bytes(run.len()));
                            self.by_head.get_words(&[word], run.len())
                        } else {
                            self.by_head.get(&Run::new(bytes, start, run.len(), FOLD))
                        }
                    }
                }
                _ => {
                    let c = text[start..].chars().next().unwrap_or(' ');
                    if !c.is_alphanumeric() {
                        at += c.len_utf8();
                        if !self.other_symbols {
                            continue;
                        }
                        self.by_symbol.get(&c).map(Vec::as_slice)
                    } else {
                        self.run_candidates(text, start, &mut at, &mut key)
                    }
                }
            };
            let Some(candidates) = candidates else {
                continue;
            };
            // The text's first eight bytes here, as written and in lower case, to compare with
            // the phrases' own.
            let here = word_at(bytes, start, (bytes.len() - start).min(8));
            let here_lower = ascii_lower_word(here);
            for entry in candidates {
                let list = entry.list;
                if !lists.has(list) || start < free[list as usize] {
                    continue;
                }
                let head = if list.folds() { here_lower } else { here };
                if head & entry.head_mask != entry.head {
                    continue;
                }
                if let Some(end) = self.matches_at(entry, text, start) {
                    found.push(Found {
                        list,
                        start,
                        end,
                        pattern: entry.index as usize,
                    });
                    // Longest first: the list is done at this start.
                    free[list as usize] = end.max(start + 1);
                }
            }
        }
        found
    }

    /// The phrases filed under the run of letters and digits that starts at `start`, any
    /// character outside ASCII included: the run is copied to lower case in `key` while short
    /// enough to start a phrase, and looked up whole. Sets `at` to the end of the run.
    fn run_candidates(
        &self,
        text: &str,
        start: usize,
        at: &mut usize,
        key: &mut [u8; MAX_HEAD],
    ) -> Option<&[Entry]> {
        let bytes = text.as_bytes();
        let mut len = 0;
        *at = start;
        while let Some(&byte) = bytes.get(*at) {
            match self.classes[usize::from(byte)] {
                ALNUM => {
                    if let Some(slot) = key.get_mut(len) {
                        *slot = byte.to_ascii_lowercase();
                    }
                    len += 1;
                    *at += 1;
                }
                NON_ASCII => {
                    let end = run_end(text, *at);
                    if end == *at {
                        break;
                    }
                    for (offset, &byte) in bytes[*at..end].iter().enumerate() {
                        if let Some(slot) = key.get_mut(len + offset) {
                            *slot = byte.to_ascii_lowercase();
                        }
                    }
                    len += end - *at;
                    *at = end;
                }
                _ => break,
            }
        }
        if len > self.longest_head {
            return None;
        }
        self.by_head.get(&Run::new(&key[..], 0, len, 0))
    }

    /// Where the phrase of `entry` ends when `text` holds it at `start` as a whole word, its
    /// first eight bytes being known to match: only a longer phrase is read, past them.
    fn matches_at(&self, entry: &Entry, text: &str, start: usize) -> Option<usize> {
        let len = entry.len as usize;
        let end = start + len;
        let found = text.as_bytes().get(start..end)?;
        if len > 8 {
            let pattern = self.patterns[entry.list as usize]
                .get(entry.index as usize)?
                .as_bytes();
            let (found, pattern) = (found.get(8..)?, pattern.get(8..)?);
            let equal = if entry.list.folds() {
                found.eq_ignore_ascii_case(pattern)
            } else {
                found == pattern
            };
            if !equal {
                return None;
            }
        }
        text::is_whole_word(text, start, end).then_some(end)
    }
}

/// The end of the run of letters and digits that starts at byte `start` of `text`.
fn run_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = start;
    while end < bytes.len() {
        let byte = bytes[end];
        if byte.is_ascii() {
            if !byte.is_ascii_alphanumeric() {
                break;
            }
            end += 1;
        } else {
            match text[end..].chars().next() {
                Some(c) if c.is_alphanumeric() => end += c.len_utf8(),
                _ => break,
            }
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxed(patterns: &[&str]) -> Vec<Box<str>> {
        patterns.iter().map(|p| Box::from(*p)).collect()
    }

    /// A lexicon with `patterns` in `list` alone.
    fn lexicon(list: List, patterns: &[&str]) -> Lexicon {
        let mut lists: [Vec<Box<str>>; 4] = Default::default();
        lists[list as usize] = boxed(patterns);
        Lexicon::new(lists)
    }

    fn found(lexicon: &Lexicon, list: List, text: &str) -> Vec<String> {
        lexicon
            .find(text, Lists::of(&[list]))
            .iter()
            .map(|m| format!("{}@{}", &text[m.start..m.end], m.start))
            .collect()
    }

    #[test]
    fn whole_words_only_longest_first() {
        let list = List::TopicsFolded;
        let phrases = lexicon(
            list,
            &["art", "trade", "trade deal", "U.S.", "al-Qaeda", "$"],
        );
        assert_eq!(
            found(
                &phrases,
                list,
                "Start the Trade Deal talks; art, trades, U.S. and al-Qaeda; $5 or $ 5."
            ),
            ["Trade Deal@10", "art@28", "U.S.@41", "al-Qaeda@50", "$@66"]
        );
        // A possessive and a hyphen end a word; a longer phrase that is not whole gives way
        // to a shorter one that is.
        assert_eq!(
            found(&phrases, list, "trade's art-deco trade dealer"),
            ["trade@0", "art@8", "trade@17"]
        );
        // A phrase that starts with a symbol stands alone on its left too.
        assert_eq!(found(&phrases, list, "US$ 5 and $ 6"), ["$@10"]);
    }

    #[test]
    fn words_fold_to_lower_case_as_bytes_do() {
        for first in (0u8..=255).step_by(8) {
            let bytes: [u8; 8] = std::array::from_fn(|i| first + i as u8);
            let lower = bytes.map(|b| b.to_ascii_lowercase());
            assert_eq!(
                ascii_lower_word(u64::from_le_bytes(bytes)),
                u64::from_le_bytes(lower),
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn case_is_kept_unless_folding_and_only_ascii_folds() {
        let cased = lexicon(List::Countries, &["Apple", "Côte d'Ivoire"]);
        assert_eq!(
            found(
                &cased,
                List::Countries,
                "apple Apple Côte d'Ivoire CÔTE D'IVOIRE"
            ),
            ["Apple@6", "Côte d'Ivoire@12"]
        );
        let folded = lexicon(List::CountriesCaps, &["côte d'ivoire", "über"]);
        assert_eq!(
            found(
                &folded,
                List::CountriesCaps,
                "CôTE D'IVOIRE, CÔTE D'IVOIRE, Über über"
            ),
            ["CôTE D'IVOIRE@0", "über@38"]
        );
    }

    #[test]
    fn overlaps_within_a_list_only_and_empty_patterns() {
        let list = List::Countries;
        let phrases = lexicon(list, &["New York", "York", "", "new"]);
        assert_eq!(
            found(&phrases, list, "New York and York, newly"),
            ["New York@0", "York@13"]
        );
        // Lists are independent: one list's match does not hide another's.
        let lexicon = Lexicon::new([
            boxed(&["york"]),
            boxed(&[]),
            boxed(&["New York"]),
            boxed(&[]),
        ]);
        let all = Lists::of(&[List::TopicsFolded, List::Countries]);
        let lists: Vec<(List, usize)> = lexicon
            .find("New York", all)
            .iter()
            .map(|m| (m.list, m.start))
            .collect();
        assert_eq!(lists, [(List::Countries, 0), (List::TopicsFolded, 4)]);
        assert!(lexicon.find("New York", Lists::default()).is_empty());
    }
}
