//! JSON (one article object, an array of them, or a wrapper such as `{"articles": [...]}`) and
//! JSON Lines (one object a line).

use std::fmt;

use serde::Deserializer as _;
use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde_json::Value;

use super::Parsed;
use super::record::{self, Record, Slot};
use crate::article::{Article, Place};

/// Keys of a wrapper object whose array holds the articles (NewsAPI's `articles`, and so on).
const WRAPPER_KEYS: [&str; 8] = [
    "articles", "items", "data", "results", "records", "docs", "entries", "posts",
];

/// Parses a `.json` file. An invalid document is an error, unless it reads as JSON Lines.
pub(crate) fn parse_json(text: &str, rel_path: &str) -> Result<Parsed, String> {
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(error) => {
            let lines = parse_jsonl(text, rel_path);
            if lines.articles.len() > 1 {
                return Ok(lines);
            }
            return Err(format!("invalid JSON: {error}"));
        }
    };
    let mut parsed = Parsed::default();
    match unwrap_array(value) {
        Value::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                push(
                    &mut parsed,
                    item,
                    rel_path,
                    i,
                    None,
                    &format!("record {}", i + 1),
                );
            }
        }
        other => push(&mut parsed, other, rel_path, 0, None, "record 1"),
    }
    Ok(parsed)
}

/// Parses a `.jsonl` / `.ndjson` file: blank lines skipped, a bad line is a warning.
pub(crate) fn parse_jsonl(text: &str, rel_path: &str) -> Parsed {
    let mut parsed = Parsed::default();
    for (i, line) in text.lines().enumerate() {
        parse_line(&mut parsed, line, i, rel_path);
    }
    parsed
}

/// Parses line `i` (counted from 0) of a JSON Lines file into `parsed`: an article, a warning,
/// or nothing for a blank line.
pub(crate) fn parse_line(parsed: &mut Parsed, line: &str, i: usize, rel_path: &str) {
    let line = line.trim();
    if line.is_empty() {
        return;
    }
    if let Some(record) = read_record(line) {
        match record.into_article(rel_path, i) {
            Ok(article) => parsed.articles.push(at_line(article, i)),
            Err(reason) => parsed.warn(format!("line {}: {reason}", i + 1)),
        }
        return;
    }
    parse_value_line(parsed, line, i, rel_path);
}

/// [`parse_line`] of a trimmed line that is not blank, by way of a [`Value`]: the general
/// path, which reads any line as the fast one would and reports what is wrong with the others.
fn parse_value_line(parsed: &mut Parsed, line: &str, i: usize, rel_path: &str) {
    let label = format!("line {}", i + 1);
    match serde_json::from_str::<Value>(line) {
        Ok(value) => push(parsed, value, rel_path, i, Some(i), &label),
        Err(error) => parsed.warn(format!("{label}: {}", without_position(&error))),
    }
}

/// The record of a line read straight into its fields, without building the object first;
/// `None` sends the line to the general path: anything but a well-formed object, or an
/// object with two fields for one slot (which of them wins depends on the order of names).
fn read_record(line: &str) -> Option<Record> {
    let mut deserializer = serde_json::Deserializer::from_str(line);
    let record = deserializer.deserialize_map(RecordVisitor).ok()?;
    deserializer.end().ok()?;
    record
}

/// Reads an object's fields into a [`Record`], for [`read_record`].
struct RecordVisitor;

impl<'de> Visitor<'de> for RecordVisitor {
    type Value = Option<Record>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Record>, A::Error> {
        let mut record = Record::default();
        let mut seen = [false; record::SLOTS];
        while let Some(name) = map.next_key_seed(NameSlot)? {
            // Every value is read as the general path reads it, so that the same lines fail.
            let value: Value = map.next_value()?;
            let Some((slot, rank)) = name else {
                continue;
            };
            if std::mem::replace(&mut seen[slot as usize], true) {
                return Ok(None);
            }
            let text = match value {
                Value::String(text) => Some(text),
                other => text_of(&other),
            };
            if let Some(text) = text {
                record.set_slot(slot, rank, text);
            }
        }
        Ok(Some(record))
    }
}

/// Reads a field name as the slot it fills and its rank there, without keeping the name.
struct NameSlot;

impl<'de> DeserializeSeed<'de> for NameSlot {
    type Value = Option<(Slot, usize)>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for NameSlot {
    type Value = Option<(Slot, usize)>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_str<E>(self, name: &str) -> Result<Self::Value, E> {
        Ok(record::slot_of(name))
    }
}

/// serde_json's message with "at line 1 column 20" (always line 1 here) shortened to
/// "at column 20".
fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(at) => format!("{} at column {}", &message[..at], error.column()),
        None => message,
    }
}

/// The array inside a wrapper object without article fields of its own, else `value`.
fn unwrap_array(value: Value) -> Value {
    if let Value::Object(map) = &value {
        let has_article = map.keys().any(|k| super::record::slot_of(k).is_some());
        if !has_article {
            for key in WRAPPER_KEYS {
                if let Some(Value::Array(_)) = map.get(key) {
                    if let Value::Object(mut map) = value {
                        return map.remove(key).unwrap_or(Value::Null);
                    }
                    break;
                }
            }
        }
    }
    value
}

/// Turns one JSON value into an article (the record of line `line`, counted from 0, of a JSON
/// Lines file), or a warning labelled `label`.
fn push(
    parsed: &mut Parsed,
    value: Value,
    rel_path: &str,
    ordinal: usize,
    line: Option<usize>,
    label: &str,
) {
    let Value::Object(map) = value else {
        parsed.warn(format!("{label}: not an object"));
        return;
    };
    let mut record = Record::default();
    for (key, value) in map {
        // Strings, the common case, are moved rather than copied.
        let text = match value {
            Value::String(text) => Some(text),
            other => text_of(&other),
        };
        if let Some(text) = text {
            record.set(&key, text);
        }
    }
    match record.into_article(rel_path, ordinal) {
        Ok(article) => parsed.articles.push(match line {
            Some(i) => at_line(article, i),
            None => article,
        }),
        Err(reason) => parsed.warn(format!("{label}: {reason}")),
    }
}

/// The article of line `i` (counted from 0) of a JSON Lines file, its line recorded.
fn at_line(mut article: Article, i: usize) -> Article {
    article.place = Place::record(i as u64, Some(i as u64 + 1));
    article
}

/// The text of a field value: strings as they are, numbers in decimal (an integral float
/// without its `.0`), arrays joined with ", ", objects by their `name` (`{"name": "BBC"}`).
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
            Some(f) if n.is_f64() && f.abs() < 1e15 && f > 1e8 => format!("{:.0}", f.trunc()),
            _ => n.to_string(),
        }),
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(text_of)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        Value::Object(map) => ["name", "title", "value", "@value"]
            .iter()
            .find_map(|k| map.get(*k).and_then(text_of)),
        Value::Bool(_) | Value::Null => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::article::ArticleId;
    use crate::corpus::parse_bytes;

    use super::*;

    #[test]
    fn one_object_with_lenient_fields() {
        let json = r#"{"_id": 42, "Headline": "Talks in Washington", "maintext": "Line one.\nLine two.",
            "date_publish": "2026-11-26 01:11:00", "source_domain": "example.com",
            "authors": ["Jane Doe", "John Roe"], "language": "en-GB", "dek": "A dek",
            "link": "https://example.com/a", "tags": ["x"], "extra": {"deep": true}}"#;
        let parsed = parse_json(json, "a.json").expect("valid");
        assert!(parsed.warnings.is_empty());
        let a = &parsed.articles[0];
        assert_eq!(a.id, ArticleId("42".into()));
        assert_eq!(a.path, "a.json");
        assert_eq!(a.title, "Talks in Washington");
        assert_eq!(a.subtitle.as_deref(), Some("A dek"));
        assert_eq!(a.body, "Line one.\n\nLine two.");
        assert_eq!(a.byline.as_deref(), Some("Jane Doe, John Roe"));
        assert_eq!(a.source.as_deref(), Some("example.com"));
        assert_eq!(a.url.as_deref(), Some("https://example.com/a"));
        assert_eq!(a.lang.as_deref(), Some("en"));
        assert_eq!(
            a.published.map(|t| t.to_string()).as_deref(),
            Some("2026-11-26T01:11:00Z")
        );
    }

    #[test]
    fn array_and_wrapper_objects() {
        let json = r#"{"status": "ok", "articles": [
            {"title": "A", "description": "Desc A.", "url": "https://x/a", "source": {"id": null, "name": "BBC News"}, "publishedAt": 1795655460},
            {"title": "B", "content": "Body B.", "description": "Desc B."},
            "stray",
            {"url": "https://x/c"}
        ]}"#;
        let parsed = parse_json(json, "news.json").expect("valid");
        assert_eq!(
            parsed.warnings,
            ["record 3: not an object", "record 4: no title or body"]
        );
        let a = &parsed.articles[0];
        assert_eq!(a.id, ArticleId("https://x/a".into()));
        assert_eq!(a.body, "Desc A.");
        assert_eq!(a.source.as_deref(), Some("BBC News"));
        assert_eq!(
            a.published.map(|t| t.to_string()).as_deref(),
            Some("2026-11-26T01:11:00Z")
        );
        let b = &parsed.articles[1];
        assert_eq!(b.body, "Body B.");
        assert_eq!(b.id, ArticleId::derived("news.json", 1));
    }

    #[test]
    fn jsonl_keeps_good_lines_and_names_bad_ones() {
        let text = "{\"id\": \"a\", \"title\": \"First\", \"text\": \"One.\"}\n\n{\"id\": \"b\", \"title\": \"Sec\n[1, 2]\n{\"id\": \"c\", \"title\": \"Third\"}\n";
        let parsed = parse_jsonl(text, "f.jsonl");
        let ids: Vec<&str> = parsed.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
        assert_eq!(
            parsed.warnings,
            [
                "line 3: EOF while parsing a string at column 25",
                "line 4: not an object"
            ]
        );
        assert_eq!(parsed.articles[1].body, "");
        assert_eq!(parsed.articles[1].title, "Third");
        // Each record is at its own line, blank and bad lines counted.
        let places: Vec<Place> = parsed.articles.iter().map(|a| a.place).collect();
        assert_eq!(
            places,
            [Place::record(0, Some(1)), Place::record(4, Some(5))]
        );
    }

    #[test]
    fn lines_read_straight_into_fields_read_as_through_a_value() {
        let lines = [
            r#"{"id": "a", "title": "One", "body": "Text.", "date": "2026-11-26"}"#,
            r#"{"title": "Two", "Title": "Deux", "text": "B"}"#,
            r#"{"title": "Three", "title": "Trois"}"#,
            r#"{"headline": "H", "title": "T", "content": " padded "}"#,
            r#"{"ti\u0074le": "Escaped", "id": 7, "authors": ["A", "B"], "x": {"y": [1, 2e3]}}"#,
            r#"{"title": "Big", "n": 1e400}"#,
            r#"{"title": "", "description": "Only a summary."}"#,
            r#"{"title": null, "body": 12.0, "source": {"name": "BBC"}}"#,
            r#"{"url": "https://x/a"}"#,
            r#"{"title": "Trailing"} x"#,
            r#"[1, 2]"#,
            r#""text""#,
            r#"{"title": "Cut"#,
        ];
        for (i, line) in lines.iter().enumerate() {
            let (mut fast, mut general) = (Parsed::default(), Parsed::default());
            parse_line(&mut fast, line, i, "f.jsonl");
            parse_value_line(&mut general, line, i, "f.jsonl");
            assert_eq!(fast.articles, general.articles, "{line}");
            assert_eq!(fast.warnings, general.warnings, "{line}");
        }
    }

    #[test]
    fn json_file_holding_lines_is_read_as_lines() {
        let text = "{\"title\": \"One\"}\n{\"title\": \"Two\"}\n";
        let parsed = parse_json(text, "f.json").expect("read as lines");
        assert_eq!(parsed.articles.len(), 2);
    }

    #[test]
    fn invalid_json_document_is_a_file_error() {
        let err = parse_bytes("f.json", b"{\"title\": ").expect_err("invalid");
        assert_eq!(
            err.reason,
            "invalid JSON: EOF while parsing a value at line 1 column 10"
        );
    }

    #[test]
    fn windows_1252_record_is_decoded() {
        let parsed =
            parse_bytes("f.jsonl", b"{\"title\": \"Caf\xe9 society\"}\n").expect("decoded");
        assert_eq!(parsed.articles[0].title, "Café society");
    }
}
