//! Mapping the fields of one JSON or CSV record onto an [`Article`], leniently: field names are
//! matched case-insensitively and without `_`/`-`, and each article field accepts the names
//! common news datasets use for it.

use crate::article::{Article, ArticleId, Place};

use super::date::parse_date;

/// The article fields a record field can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    Id,
    Title,
    Subtitle,
    Body,
    /// A summary, used as the body only when there is no other.
    Description,
    Date,
    Url,
    Source,
    Author,
    Lang,
}

/// The number of [`Slot`]s.
pub(crate) const SLOTS: usize = 10;

/// Normalised field names (lower case, no `_`, `-` or spaces) in order of preference per slot.
const NAMES: [(Slot, &[&str]); SLOTS] = [
    (Slot::Id, &["id", "guid", "uuid", "articleid", "docid"]),
    (Slot::Title, &["title", "headline", "heading"]),
    (
        Slot::Subtitle,
        &["subtitle", "dek", "summary", "standfirst", "subheadline"],
    ),
    (
        Slot::Body,
        &[
            "body",
            "text",
            "content",
            "maintext",
            "article",
            "articlebody",
            "fulltext",
        ],
    ),
    (Slot::Description, &["description", "abstract", "lead"]),
    (
        Slot::Date,
        &[
            "date",
            "published",
            "datepublish",
            "publishedat",
            "pubdate",
            "datetime",
            "datepublished",
            "publishdate",
            "publicationdate",
            "publishedtime",
            "created",
            "createdat",
            "timestamp",
        ],
    ),
    (
        Slot::Url,
        &["url", "link", "canonicalurl", "permalink", "href"],
    ),
    (
        Slot::Source,
        &[
            "source",
            "sourcedomain",
            "publisher",
            "site",
            "sitename",
            "domain",
        ],
    ),
    (
        Slot::Author,
        &["author", "authors", "byline", "creator", "writer"],
    ),
    (Slot::Lang, &["lang", "language", "locale"]),
];

/// The slot a field name fills and its rank among that slot's names (0 is preferred).
pub(crate) fn slot_of(name: &str) -> Option<(Slot, usize)> {
    if name.is_ascii() {
        // The common case, normalised on the stack: no name is longer than the buffer.
        let mut key = [0u8; 24];
        let mut len = 0;
        for byte in name.bytes().filter(|b| !matches!(b, b'_' | b'-' | b' ')) {
            *key.get_mut(len)? = byte.to_ascii_lowercase();
            len += 1;
        }
        return slot_of_key(&key[..len]);
    }
    let key: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    slot_of_key(key.as_bytes())
}

/// The slot and rank of a normalised field name.
fn slot_of_key(key: &[u8]) -> Option<(Slot, usize)> {
    NAMES.iter().find_map(|(slot, names)| {
        names
            .iter()
            .position(|n| n.as_bytes() == key)
            .map(|rank| (*slot, rank))
    })
}

/// The fields of one record, kept by preference.
#[derive(Debug, Default)]
pub(crate) struct Record {
    fields: Vec<(Slot, usize, String)>,
}

impl Record {
    /// Offers `value` for the field called `name`; empty values and unknown names are ignored,
    /// and a value for a less preferred name never replaces one for a more preferred name.
    pub(crate) fn set(&mut self, name: &str, value: String) {
        if let Some((slot, rank)) = slot_of(name) {
            self.set_slot(slot, rank, value);
        }
    }

    /// Offers `value` for `slot` under a name of preference `rank`, as [`Record::set`] does.
    pub(crate) fn set_slot(&mut self, slot: Slot, rank: usize, value: String) {
        let value = if value.trim().len() == value.len() {
            value
        } else {
            value.trim().to_string()
        };
        if value.is_empty() {
            return;
        }
        match self.fields.iter_mut().find(|(s, _, _)| *s == slot) {
            Some(field) if field.1 > rank => *field = (slot, rank, value),
            Some(_) => {}
            None => self.fields.push((slot, rank, value)),
        }
    }

    /// The value kept for `slot`.
    pub(crate) fn get(&self, slot: Slot) -> Option<&str> {
        self.fields
            .iter()
            .find(|(s, _, _)| *s == slot)
            .map(|(_, _, v)| v.as_str())
    }

    /// The article, or an error when the record has neither title nor body. `ordinal` is the
    /// record's position in its file, for the derived id of a record without `id` or `url`.
    pub(crate) fn into_article(self, rel_path: &str, ordinal: usize) -> Result<Article, String> {
        let raw_body = self
            .get(Slot::Body)
            .or_else(|| self.get(Slot::Description))
            .unwrap_or_default();
        let (dateline, raw_body) = split_dateline(raw_body);
        let body = paragraphs(raw_body);
        let title = match self.get(Slot::Title) {
            Some(title) => collapse_spaces(title),
            None => first_sentence(&body),
        };
        if title.is_empty() && body.is_empty() {
            return Err("no title or body".into());
        }
        let url = self.get(Slot::Url).map(str::to_string);
        let id = match self.get(Slot::Id).or(url.as_deref()) {
            Some(id) => ArticleId(id.to_string()),
            None => ArticleId::derived(rel_path, ordinal),
        };
        let published = self.get(Slot::Date).and_then(parse_date).or(dateline);
        let subtitle = self
            .get(Slot::Subtitle)
            .map(collapse_spaces)
            .filter(|s| *s != title && !body.starts_with(s.as_str()));
        Ok(Article {
            id,
            path: rel_path.to_string(),
            title,
            subtitle,
            byline: self.get(Slot::Author).map(collapse_spaces),
            published,
            source: self.get(Slot::Source).map(collapse_spaces),
            url,
            lang: self.get(Slot::Lang).map(language_code),
            body,
            place: Place::record(ordinal as u64, None),
        })
    }
}

/// A leading line that is only a date ("Friday, January 4, 2019", as Wikinews starts its text)
/// split from the rest of the body.
fn split_dateline(body: &str) -> (Option<jiff::Timestamp>, &str) {
    let trimmed = body.trim_start();
    let (first, rest) = trimmed.split_once('\n').unwrap_or((trimmed, ""));
    match parse_date(first) {
        Some(date) if !first.trim().is_empty() => (Some(date), rest),
        _ => (None, body),
    }
}

/// Body text with every line a paragraph: lines trimmed, inner runs of spaces collapsed,
/// paragraphs separated by one blank line.
pub(crate) fn paragraphs(text: &str) -> String {
    // Each line break may become two: room for one more byte every eight.
    let mut out = String::with_capacity(text.len() + text.len() / 8 + 2);
    for line in text.lines() {
        if is_collapsed(line) {
            // The common case: nothing to trim or collapse.
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(line);
            continue;
        }
        let mut words = line.split_whitespace();
        if let Some(first) = words.next() {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            push_words(&mut out, first, words);
        }
    }
    out
}

/// Whether a line has single spaces between words, none at its ends and no other white space
/// (nor control characters): what [`paragraphs`] would leave as it is.
fn is_collapsed(line: &str) -> bool {
    let bytes = line.as_bytes();
    is_collapsed_printable(bytes).unwrap_or_else(|| is_collapsed_any(line))
}

/// [`is_collapsed`] byte by byte, for any line.
fn is_collapsed_any(line: &str) -> bool {
    let bytes = line.as_bytes();
    let mut previous_space = true;
    for (i, &byte) in bytes.iter().enumerate() {
        let space = byte == b' ';
        let odd = if byte.is_ascii() {
            !space && !(0x21..0x7f).contains(&byte)
        } else {
            // The lead byte of a character outside ASCII: white space (a no-break space) or a
            // control character is left to the slow path.
            byte >= 0xC0
                && line[i..]
                    .chars()
                    .next()
                    .is_none_or(|c| c.is_whitespace() || c.is_control())
        };
        if odd || (space && previous_space) {
            return false;
        }
        previous_space = space;
    }
    !previous_space
}

/// [`is_collapsed`] of a line of printable ASCII (spaces and `!` to `~`), eight bytes at a
/// time; `None` when the line has any other byte.
fn is_collapsed_printable(bytes: &[u8]) -> Option<bool> {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut previous_space = true;
    let chunks = bytes.chunks_exact(8);
    let tail = chunks.remainder();
    let mut padded = [b'x'; 8];
    padded[..tail.len()].copy_from_slice(tail);
    for chunk in chunks
        .map(|c| c.try_into().unwrap_or(padded))
        .chain([padded])
    {
        let word = u64::from_le_bytes(chunk);
        // Some byte below a space, or above `~`.
        let below = word.wrapping_sub(LOW * 0x20) & !word & HIGH;
        let above = (word.wrapping_add(LOW) | word) & HIGH;
        if below | above != 0 {
            return None;
        }
        // The top bit of each space byte, exactly.
        let other = word ^ (LOW * u64::from(b' '));
        let spaces = !(((other & !HIGH) + !HIGH) | other) & HIGH;
        if spaces & (spaces >> 8) != 0 || (previous_space && spaces & 0x80 != 0) {
            return Some(false);
        }
        previous_space = spaces >> 63 != 0;
    }
    Some(bytes.last().is_some_and(|&last| last != b' '))
}

/// Trims and collapses runs of whitespace into one space.
pub(crate) fn collapse_spaces(text: &str) -> String {
    if is_collapsed(text) {
        // The common case (a headline, a name): nothing to trim or collapse.
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut words = text.split_whitespace();
    if let Some(first) = words.next() {
        push_words(&mut out, first, words);
    }
    out
}

/// Appends `first` and then each of `rest`, one space before each.
fn push_words<'a>(out: &mut String, first: &str, rest: impl Iterator<Item = &'a str>) {
    out.push_str(first);
    for word in rest {
        out.push(' ');
        out.push_str(word);
    }
}

/// A language tag reduced to its lower-case primary subtag: `en-GB` -> `en`.
pub(crate) fn language_code(tag: &str) -> String {
    let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
    primary.to_ascii_lowercase()
}

/// Longest title made from the start of a body.
const MAX_TITLE_CHARS: usize = 120;

/// The first sentence of `body`, cut at a word boundary with `…` when over 120 characters.
pub(crate) fn first_sentence(body: &str) -> String {
    let first = body.split("\n\n").next().unwrap_or_default().trim();
    let mut end = first.len();
    for (i, c) in first.char_indices() {
        if matches!(c, '.' | '!' | '?') {
            let next = first[i + c.len_utf8()..].chars().next();
            let after = first[i + c.len_utf8()..].trim_start().chars().next();
            if next.is_none_or(char::is_whitespace)
                && after.is_none_or(|a| a.is_uppercase() || a.is_numeric() || a == '"' || a == '“')
                && !is_abbreviation(&first[..i])
            {
                end = i + c.len_utf8();
                break;
            }
        }
    }
    let sentence = &first[..end];
    if sentence.chars().count() <= MAX_TITLE_CHARS {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(MAX_TITLE_CHARS).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(space) if space > MAX_TITLE_CHARS / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// True when the text before a period ends with a short abbreviation ("U.S", "Mr", "Dr").
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or_default();
    let word = word.trim_start_matches(['(', '"', '“']);
    word.contains('.')
        || matches!(
            word,
            "Mr" | "Mrs" | "Ms" | "Dr" | "St" | "Jr" | "Sr" | "Gen" | "Sen" | "Rep" | "Gov" | "No"
        )
        || (word.chars().count() == 1 && word.chars().all(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_trim_and_collapse_every_line_alike() {
        // Clean lines are copied; others are trimmed and collapsed, whatever their spaces.
        let text =
            "First line.\n  Second\t line  here \n\n\u{a0}Third\u{a0}line\u{2003}x\r\nLast one";
        assert_eq!(
            paragraphs(text),
            "First line.\n\nSecond line here\n\nThird line x\n\nLast one"
        );
        assert!(is_collapsed("Shr 34 cts vs 1.19 dlrs"));
        assert!(!is_collapsed("two  spaces"));
        assert!(!is_collapsed(" leading"));
        // Eight bytes at a time or one at a time, the same answer.
        for line in [
            "",
            " ",
            "a",
            "exactly8",
            "exactly 8 plus 8",
            "sixteen bytes. x",
            "seven  ",
            "across the  edge",
            "across t  he edge",
            "bytes 0-7 end in ",
            "ends in a space ",
            " starts with one",
            "tab\there and more",
            "no-break\u{a0}space here",
            "curly ’quotes’ here",
            "a plain line of words with single spaces.",
        ] {
            assert_eq!(is_collapsed(line), is_collapsed_any(line), "{line:?}");
            let words: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(collapse_spaces(line), words.join(" "), "{line:?}");
        }
        assert!(!is_collapsed("trailing "));
        assert!(!is_collapsed("tab\there"));
        assert!(is_collapsed("caf\u{e9} \u{201c}quoted\u{201d}"));
        assert!(!is_collapsed("no-break\u{a0}space"));
        assert!(!is_collapsed("em\u{2003}space"));
        assert!(!is_collapsed(""));
    }

    #[test]
    fn field_names_are_lenient() {
        let cases = [
            ("Title", Some((Slot::Title, 0))),
            ("HEADLINE", Some((Slot::Title, 1))),
            ("date_publish", Some((Slot::Date, 2))),
            ("publishedAt", Some((Slot::Date, 3))),
            ("pub-date", Some((Slot::Date, 4))),
            ("_id", Some((Slot::Id, 0))),
            ("source_domain", Some((Slot::Source, 1))),
            ("maintext", Some((Slot::Body, 3))),
            ("Description", Some((Slot::Description, 0))),
            ("colour", None),
        ];
        for (name, want) in cases {
            assert_eq!(slot_of(name), want, "name {name}");
        }
    }

    #[test]
    fn preferred_names_win_whatever_the_order() {
        let mut record = Record::default();
        record.set("description", "Summary.".into());
        record.set("content", "Content.".into());
        record.set("text", "Text.".into());
        record.set("text", "".into());
        record.set("headline", "Headline".into());
        let article = record.into_article("f.json", 0).expect("article");
        assert_eq!(article.body, "Text.");
        assert_eq!(article.title, "Headline");
    }

    #[test]
    fn first_sentence_makes_a_title() {
        let long = "word ".repeat(40);
        let cases = [
            ("One. Two.", "One."),
            (
                "The U.S. and India met. Then more.",
                "The U.S. and India met.",
            ),
            (
                "Mr. Smith left on 3.5 days notice! Next.",
                "Mr. Smith left on 3.5 days notice!",
            ),
            ("No end at all", "No end at all"),
            ("First para.\n\nSecond.", "First para."),
            (
                long.as_str(),
                &format!("{}…", "word ".repeat(24).trim_end()),
            ),
        ];
        for (body, want) in cases {
            assert_eq!(first_sentence(body), want, "body {body:?}");
        }
    }

    #[test]
    fn leading_dateline_becomes_the_date() {
        let mut record = Record::default();
        record.set(
            "text",
            "Friday, January 4, 2019 \n\n\nAn apartment collapsed.\n\n".into(),
        );
        let article = record.into_article("w.csv", 3).expect("article");
        assert_eq!(article.body, "An apartment collapsed.");
        assert_eq!(article.title, "An apartment collapsed.");
        assert_eq!(
            article.published.map(|t| t.to_string()).as_deref(),
            Some("2019-01-04T00:00:00Z")
        );
        assert_eq!(article.id, ArticleId::derived("w.csv", 3));
    }

    #[test]
    fn record_without_title_or_body_is_refused() {
        let mut record = Record::default();
        record.set("url", "https://example.com/a".into());
        assert_eq!(
            record.into_article("f.json", 0),
            Err("no title or body".to_string())
        );
    }
}
