//! Text helpers shared by the extractors: weighted segments of an article, word boundaries,
//! the dateline, and a small tokenizer for capitalised-name spans.

use crate::article::Article;

/// Weight of a match in the headline.
const TITLE_WEIGHT: f32 = 3.0;
/// Weight of a match in the standfirst.
const SUBTITLE_WEIGHT: f32 = 2.0;
/// Weight of a match in the lead of the body.
const LEAD_WEIGHT: f32 = 1.5;
/// Weight of a match in the rest of the body.
const BODY_WEIGHT: f32 = 1.0;
/// Bytes of the body that count as its lead.
const LEAD_BYTES: usize = 400;

/// Which part of an article a segment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    Title,
    Subtitle,
    Body,
}

/// One part of an article with what the extractors need to know about it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Segment<'a> {
    pub text: &'a str,
    pub part: Part,
    /// Letters almost all upper case (a wire headline): case carries no information.
    pub all_caps: bool,
}

impl Segment<'_> {
    /// Whether byte `offset` lies in the headline, standfirst or lead of the body.
    pub fn is_lead(&self, offset: usize) -> bool {
        self.part != Part::Body || offset < LEAD_BYTES
    }

    /// The salience weight of a match starting at byte `offset` of this segment.
    pub fn weight_at(&self, offset: usize) -> f32 {
        match self.part {
            Part::Title => TITLE_WEIGHT,
            Part::Subtitle => SUBTITLE_WEIGHT,
            Part::Body if offset < LEAD_BYTES => LEAD_WEIGHT,
            Part::Body => BODY_WEIGHT,
        }
    }
}

/// The title, subtitle and body of an article, skipping empty ones; never the byline.
pub(crate) fn segments(article: &Article) -> Vec<Segment<'_>> {
    let parts = [
        (article.title.as_str(), Part::Title),
        (article.subtitle.as_deref().unwrap_or(""), Part::Subtitle),
        (article.body.as_str(), Part::Body),
    ];
    parts
        .into_iter()
        .filter(|(text, _)| !text.trim().is_empty())
        .map(|(text, part)| Segment {
            text,
            part,
            all_caps: is_all_caps(text),
        })
        .collect()
}

/// Whether the letters of `text` are (almost) all capitals: at least four upper-case letters
/// and fewer than one lower-case letter to four capitals (`SOCCER - JAPAN WIN - close.`).
pub(crate) fn is_all_caps(text: &str) -> bool {
    if text.is_ascii() {
        // The common case, counted byte by byte, a block at a time: a body in sentence case
        // is settled once a fifth of it or so is read.
        const BLOCK: usize = 64;
        let bytes = text.as_bytes();
        let (mut upper, mut lower) = (0usize, 0usize);
        for (index, block) in bytes.chunks(BLOCK).enumerate() {
            let (block_upper, block_lower) = block.iter().fold((0u32, 0u32), |(u, l), &b| {
                (
                    u + u32::from(b.wrapping_sub(b'A') < 26),
                    l + u32::from(b.wrapping_sub(b'a') < 26),
                )
            });
            upper += block_upper as usize;
            lower += block_lower as usize;
            let unread = bytes.len().saturating_sub((index + 1) * BLOCK);
            if lower * 4 >= upper + unread {
                return false;
            }
        }
        return upper >= 4 && lower * 4 < upper;
    }
    let (mut upper, mut lower, mut check) = (0usize, 0usize, 0usize);
    for (i, c) in text.char_indices() {
        upper += usize::from(c.is_uppercase());
        lower += usize::from(!c.is_uppercase() && c.is_lowercase());
        // Even if every byte left were a capital, lower case has won.
        if i >= check {
            if lower * 4 >= upper + (text.len() - i) {
                return false;
            }
            check = i + 256;
        }
    }
    upper >= 4 && lower * 4 < upper
}

/// Whether `text[start..end]` stands as whole words: no letter or digit touches either end.
pub(crate) fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|s| s.chars().next_back());
    let after = text.get(end..).and_then(|s| s.chars().next());
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// A dateline at the start of a body: its place and, when one follows, its region
/// (`PORTLAND, Ore., Feb 26 -` -> `PORTLAND`, `Ore.`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Dateline<'a> {
    pub place: &'a str,
    pub region: Option<&'a str>,
}

/// The dateline of a body (`NEW DELHI, Nov 26 (Reuters) -`, `TOKYO, March 3 -`,
/// `BRUSSELS 1996-08-22`), looked for on the first two non-empty lines.
pub(crate) fn dateline(body: &str) -> Option<Dateline<'_>> {
    body.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .take(2)
        .find_map(dateline_of_line)
}

fn dateline_of_line(line: &str) -> Option<Dateline<'_>> {
    let mut end = 0;
    for (i, c) in line.char_indices() {
        if c.is_uppercase() || c == ' ' || c == '.' || c == '-' || c == '\'' {
            end = i + c.len_utf8();
            continue;
        }
        if c.is_lowercase() {
            return None;
        }
        break;
    }
    let rest = &line[end..];
    let place = line[..end].trim_end_matches([' ', '-']).trim();
    let letters = place.chars().filter(|c| c.is_alphabetic()).count();
    let followed_ok = rest.starts_with(',')
        || rest.starts_with('(')
        || rest.starts_with(|c: char| c.is_ascii_digit()) && line[..end].ends_with(' ');
    if letters < 3 || place.len() > 40 || !followed_ok {
        return None;
    }
    let region = rest
        .strip_prefix(',')
        .and_then(|r| r.split(',').next())
        .map(str::trim)
        .filter(|r| is_capitalised(r) && r.len() <= 24 && !r.chars().any(|c| c.is_ascii_digit()));
    Some(Dateline { place, region })
}

/// What kind of token the tokenizer found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// Letters and digits, with inner apostrophes and hyphens (`al-Assad`, `O'Neill`).
    Word,
    /// Any other single non-space character.
    Punct,
}

/// A token of a segment.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub kind: TokenKind,
    /// A line break lies between the previous token and this one.
    pub after_newline: bool,
}

impl Token<'_> {
    /// Whether the token is punctuation equal to `c`.
    pub fn is_punct(&self, c: char) -> bool {
        self.kind == TokenKind::Punct && self.text.starts_with(c)
    }
}

fn is_inner_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '‐')
}

/// Classes of bytes for [`tokenize`]: white space other than a line break.
const SPACE: u8 = 0;
/// A line break (`\n`).
const NEWLINE: u8 = 1;
/// An ASCII letter or digit.
const ALNUM: u8 = 2;
/// Any other ASCII character.
const PUNCT: u8 = 3;
/// A byte of a character outside ASCII.
const HIGH: u8 = 4;

/// The class of each byte value, for ASCII text decided byte by byte.
static BYTE_CLASSES: [u8; 256] = byte_classes();

const fn byte_classes() -> [u8; 256] {
    let mut classes = [HIGH; 256];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        classes[byte] = if b == b'\n' {
            NEWLINE
        } else if (b as char).is_whitespace() {
            SPACE
        } else if b.is_ascii_alphanumeric() {
            ALNUM
        } else {
            PUNCT
        };
        byte += 1;
    }
    classes
}

fn class_of(byte: u8) -> u8 {
    BYTE_CLASSES[usize::from(byte)]
}

/// The end of the run of ASCII letters and digits that starts at byte `at` of `bytes` (`at`
/// itself when there is none), eight bytes at a time: one test for a short word rather than
/// a branch per letter.
pub(crate) fn ascii_alnum_end(bytes: &[u8], mut at: usize) -> usize {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The top bit of each byte of `word` that is in `from..=to` (bytes below 0x80 only).
    let within = |seven: u64, from: u8, to: u8| {
        let from_on = seven + LOW * (0x80 - u64::from(from));
        let past_to = seven + LOW * (0x80 - u64::from(to) - 1);
        from_on & !past_to & HIGH
    };
    while let Some(eight) = bytes.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(eight);
        let word = u64::from_le_bytes(word);
        let seven = word & !HIGH;
        let alnum =
            (within(seven, b'0', b'9') | within(seven | (LOW * 0x20), b'a', b'z')) & !word & HIGH;
        let other = !alnum & HIGH;
        if other != 0 {
            return at + (other.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while bytes.get(at).is_some_and(u8::is_ascii_alphanumeric) {
        at += 1;
    }
    at
}

/// The tokens of each segment that the people and organisation finders read, tokenised once;
/// none for a segment in capitals, which they skip (or tokenise themselves).
pub(crate) fn segment_tokens<'a>(segments: &[Segment<'a>]) -> Vec<Vec<Token<'a>>> {
    segments
        .iter()
        .map(|segment| {
            if segment.all_caps {
                Vec::new()
            } else {
                tokenize(segment.text)
            }
        })
        .collect()
}

/// Splits `text` into word and punctuation tokens.
pub(crate) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut newline = true;
    let mut start = 0;
    while let Some(&byte) = bytes.get(start) {
        // ASCII is decided byte by byte; other characters are decoded.
        let (end, kind) = match class_of(byte) {
            SPACE => {
                start += 1;
                continue;
            }
            NEWLINE => {
                newline = true;
                start += 1;
                continue;
            }
            ALNUM => (word_end(text, start + 1), TokenKind::Word),
            PUNCT => (start + 1, TokenKind::Punct),
            _ => {
                let Some(c) = char_at(text, start) else {
                    break;
                };
                let width = c.len_utf8();
                if c.is_whitespace() {
                    start += width;
                    continue;
                }
                if c.is_alphanumeric() {
                    (word_end(text, start + width), TokenKind::Word)
                } else {
                    (start + width, TokenKind::Punct)
                }
            }
        };
        tokens.push(Token {
            text: text.get(start..end).unwrap_or_default(),
            start,
            kind,
            after_newline: newline,
        });
        newline = false;
        start = end;
    }
    tokens
}

/// The end of the word that goes on at byte `end` of `text`: letters and digits, and inner
/// joiners between them.
fn word_end(text: &str, mut end: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        end = ascii_alnum_end(bytes, end);
        match bytes.get(end) {
            None => return end,
            // Most words end at a space or at punctuation that joins nothing.
            Some(&byte) if class_of(byte) != HIGH && byte != b'\'' && byte != b'-' => {
                return end;
            }
            Some(_) => {}
        }
        let Some(d) = char_at(text, end) else {
            return end;
        };
        let after = end + d.len_utf8();
        let joins = is_inner_joiner(d) && char_at(text, after).is_some_and(char::is_alphanumeric);
        if d.is_alphanumeric() || joins {
            end = after;
        } else {
            return end;
        }
    }
}

/// The character at byte `at` of `text` (a character boundary), decoding ASCII directly.
fn char_at(text: &str, at: usize) -> Option<char> {
    match text.as_bytes().get(at) {
        Some(&byte) if byte.is_ascii() => Some(char::from(byte)),
        Some(_) => text.get(at..).and_then(|rest| rest.chars().next()),
        None => None,
    }
}

/// A word with a trailing possessive (`'s`, `’s`, or a bare apostrophe) removed, and whether
/// one was.
#[inline]
pub(crate) fn strip_possessive(word: &str) -> (&str, bool) {
    // Most words end otherwise: one byte tells.
    if !matches!(word.as_bytes().last(), Some(b's' | b'S')) {
        return (word, false);
    }
    for suffix in ["'s", "’s", "'S", "’S"] {
        if let Some(stem) = word.strip_suffix(suffix).filter(|s| !s.is_empty()) {
            return (stem, true);
        }
    }
    (word, false)
}

/// At most the first `max` bytes of `text`, cut back to a character boundary.
pub(crate) fn prefix(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Whether a word starts with an upper-case letter.
pub(crate) fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines_give_the_place() {
        let cases = [
            (
                "NEW DELHI, Nov 26 (Reuters) - India",
                Some(("NEW DELHI", None)),
            ),
            ("TOKYO, March 3 - Japan's", Some(("TOKYO", None))),
            (
                "PORTLAND, Ore., Feb 26 - Red",
                Some(("PORTLAND", Some("Ore."))),
            ),
            (
                "CALGARY, Alberta, Feb 26 - Shr",
                Some(("CALGARY", Some("Alberta"))),
            ),
            (
                "Peter Blackburn\nBRUSSELS 1996-08-22\nThe",
                Some(("BRUSSELS", None)),
            ),
            ("The minister said", None),
            ("US, India discuss", None),
            ("", None),
        ];
        for (body, want) in cases {
            let got = dateline(body).map(|d| (d.place, d.region));
            assert_eq!(got, want, "{body}");
        }
    }

    #[test]
    fn all_caps_needs_four_capitals_and_no_lower_case() {
        assert!(is_all_caps("BAHIA COCOA REVIEW"));
        assert!(!is_all_caps("US, India discuss"));
        assert!(!is_all_caps("US"));
        // Long texts are read a block at a time: the answer is the same.
        let caps = "GRAIN PRICES ROSE. ".repeat(40);
        assert!(is_all_caps(&caps));
        assert!(is_all_caps(&format!(
            "{caps}{}",
            "a few words. ".repeat(10)
        )));
        assert!(!is_all_caps(&format!(
            "{caps}{}",
            "many more words. ".repeat(80)
        )));
        assert!(!is_all_caps(&format!(
            "{}{caps}",
            "Sentence case. ".repeat(40)
        )));
    }

    #[test]
    fn tokens_keep_inner_hyphens_and_apostrophes() {
        let words: Vec<&str> = tokenize("al-Assad's S. O'Neill -- x")
            .iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(words, ["al-Assad's", "S", ".", "O'Neill", "-", "-", "x"]);
    }

    #[test]
    fn runs_of_letters_and_digits_end_as_byte_by_byte() {
        let mut bytes: Vec<u8> = (0u8..=255).collect();
        bytes.extend_from_slice(b"abcdefghij0123456789XYZ xyz`{@[/:");
        for at in 0..bytes.len() {
            let mut end = at;
            while bytes.get(end).is_some_and(u8::is_ascii_alphanumeric) {
                end += 1;
            }
            assert_eq!(ascii_alnum_end(&bytes, at), end, "from {at}");
        }
    }

    #[test]
    fn whole_words() {
        assert!(is_whole_word("the U.S.-led force", 4, 8));
        assert!(!is_whole_word("Americana", 0, 8));
    }
}
