//! Publication dates in the many spellings news archives use, normalised to UTC.
//!
//! Machine formats (RFC 3339, ISO 8601 with or without a zone, RFC 2822, Unix seconds) go through
//! jiff. Human formats with a month name ("26 November 2026", "Friday, January 4, 2019",
//! "26-FEB-1987 15:01:01.79") go through a small strict tokenizer: every word must be a part of
//! a date, so a sentence that merely contains a date is not taken for one.

use std::str::FromStr;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};

/// Parses a date or date-time; a value without a zone is taken as UTC, a date alone as midnight
/// UTC. Returns `None` for anything not recognised (never "now").
pub fn parse_date(s: &str) -> Option<Timestamp> {
    let s = strip_label(s.trim());
    if s.is_empty() || s.len() > 80 {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return parse_unix(s);
    }
    parse_machine(s).or_else(|| parse_human(s))
}

/// Unix time as a JSON number: seconds (9 or 10 digits) or milliseconds (12 or 13 digits).
/// Shorter numbers are years or counts, not times.
fn parse_unix(s: &str) -> Option<Timestamp> {
    let n: i64 = s.parse().ok()?;
    match s.len() {
        9 | 10 => Timestamp::from_second(n).ok(),
        12 | 13 => Timestamp::from_millisecond(n).ok(),
        _ => None,
    }
}

/// Drops a leading "Published:", "Updated:", "Posted:" or "Date:" label.
fn strip_label(s: &str) -> &str {
    for label in ["published", "updated", "posted", "date", "first published"] {
        if let Some(head) = s.get(..label.len())
            && head.eq_ignore_ascii_case(label)
        {
            let rest = s[label.len()..].trim_start();
            let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
            let rest = strip_prefix_ci(rest, "on ").unwrap_or(rest);
            return rest.trim();
        }
    }
    s
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// RFC 3339 / ISO 8601 (a space instead of `T` accepted, no zone means UTC) and RFC 2822.
fn parse_machine(s: &str) -> Option<Timestamp> {
    let iso = if s.len() > 10 && s.as_bytes().get(10) == Some(&b' ') && s.is_char_boundary(10) {
        format!("{}T{}", &s[..10], s[11..].trim_start())
    } else {
        s.to_string()
    };
    let iso = iso.replacen('/', "-", 2);
    if let Ok(ts) = Timestamp::from_str(&iso) {
        return Some(ts);
    }
    if let Ok(zdt) = jiff::fmt::rfc2822::parse(s) {
        return Some(zdt.timestamp());
    }
    if let Ok(dt) = DateTime::from_str(&iso) {
        return TimeZone::UTC.to_timestamp(dt).ok();
    }
    if let Ok(d) = Date::from_str(&iso) {
        return TimeZone::UTC
            .to_timestamp(d.to_datetime(Time::midnight()))
            .ok();
    }
    None
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Zone abbreviations seen in English-language news, with their offsets in minutes.
const ZONES: [(&str, i32); 14] = [
    ("utc", 0),
    ("gmt", 0),
    ("z", 0),
    ("est", -300),
    ("edt", -240),
    ("cst", -360),
    ("cdt", -300),
    ("mst", -420),
    ("mdt", -360),
    ("pst", -480),
    ("pdt", -420),
    ("ist", 330),
    ("bst", 60),
    ("cet", 60),
];

/// A month (full name, three-letter abbreviation, or "sept") from a lower-case word.
fn month_of(word: &str) -> Option<i8> {
    let word = word.trim_end_matches('.');
    if word.len() < 3 {
        return None;
    }
    if word == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| *m == word || (word.len() == 3 && m.starts_with(word)))
        .and_then(|i| i8::try_from(i + 1).ok())
}

fn is_weekday(word: &str) -> bool {
    let word = word.trim_end_matches('.');
    word.len() >= 3
        && WEEKDAYS
            .iter()
            .any(|d| *d == word || (word.len() <= 4 && d.starts_with(word)))
}

/// `hh:mm`, `hh:mm:ss` or `hh:mm:ss.ff`.
fn time_of(word: &str) -> Option<(i8, i8, i8, i32)> {
    if !word.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mut parts = word.split(':');
    let hour: i8 = parts.next()?.parse().ok()?;
    let minute: i8 = parts.next()?.parse().ok()?;
    let (second, nanos) = match parts.next() {
        None => (0, 0),
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            let second: i8 = whole.parse().ok()?;
            let nanos = if frac.is_empty() {
                0
            } else {
                let digits: String = frac.chars().chain("000000000".chars()).take(9).collect();
                digits.parse().ok()?
            };
            (second, nanos)
        }
    };
    if parts.next().is_some() {
        return None;
    }
    Some((hour, minute, second, nanos))
}

/// `+hh:mm`, `+hhmm` or `-hh`.
fn offset_of(word: &str) -> Option<i32> {
    let sign = match word.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = word[1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    Some(sign * (h * 60 + m))
}

/// Dates written with a month name; every token must be part of the date.
fn parse_human(s: &str) -> Option<Timestamp> {
    let lower = s.to_lowercase();
    let mut tokens: Vec<&str> = Vec::new();
    for word in lower.split(|c: char| c.is_whitespace() || c == ',') {
        if word.is_empty() {
            continue;
        }
        // "26-FEB-1987" and "4-Jan-2019": split on hyphens unless the word is an offset.
        if word.contains('-') && !word.starts_with('-') {
            tokens.extend(word.split('-').filter(|t| !t.is_empty()));
        } else {
            tokens.push(word);
        }
    }
    let (mut year, mut month, mut day) = (None::<i16>, None::<i8>, None::<i8>);
    let mut time = None;
    let mut offset_minutes = 0;
    let mut pm = None::<bool>;
    for token in tokens {
        if let Some(m) = month_of(token) {
            if month.replace(m).is_some() {
                return None;
            }
        } else if is_weekday(token) || token == "at" || token == "on" || token == "the" {
            continue;
        } else if let Some(t) = time_of(token) {
            if time.replace(t).is_some() {
                return None;
            }
        } else if token == "am" || token == "a.m." || token == "pm" || token == "p.m." {
            pm = Some(token.starts_with('p'));
        } else if let Some(&(_, minutes)) = ZONES.iter().find(|(name, _)| *name == token) {
            offset_minutes = minutes;
        } else if let Some(minutes) = offset_of(token) {
            offset_minutes = minutes;
        } else {
            let digits = token.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h', '.']);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: i32 = digits.parse().ok()?;
            if digits.len() == 4 && year.is_none() {
                year = Some(i16::try_from(n).ok()?);
            } else if digits.len() <= 2 && day.is_none() {
                day = Some(i8::try_from(n).ok()?);
            } else {
                return None;
            }
        }
    }
    let date = Date::new(year?, month?, day?).ok()?;
    let (mut hour, minute, second, nanos) = time.unwrap_or((0, 0, 0, 0));
    match pm {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    let time = Time::new(hour, minute, second, nanos).ok()?;
    let offset = Offset::from_seconds(offset_minutes * 60).ok()?;
    offset.to_timestamp(date.to_datetime(time)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_known_formats_to_utc() {
        let cases = [
            ("2026-11-26T01:11:00Z", "2026-11-26T01:11:00Z"),
            ("2026-11-26T06:41:00+05:30", "2026-11-26T01:11:00Z"),
            ("2026-11-26T01:11:00.250Z", "2026-11-26T01:11:00.25Z"),
            ("2026-11-26 01:11:00+00:00", "2026-11-26T01:11:00Z"),
            ("2026-11-26", "2026-11-26T00:00:00Z"),
            ("2026/11/26", "2026-11-26T00:00:00Z"),
            ("2026-11-26 01:11", "2026-11-26T01:11:00Z"),
            ("2026-11-26T01:11:00", "2026-11-26T01:11:00Z"),
            ("Thu, 26 Nov 2026 01:11:00 +0000", "2026-11-26T01:11:00Z"),
            ("Thu, 26 Nov 2026 01:11:00 GMT", "2026-11-26T01:11:00Z"),
            ("26 November 2026", "2026-11-26T00:00:00Z"),
            ("November 26, 2026", "2026-11-26T00:00:00Z"),
            ("Nov 26, 2026", "2026-11-26T00:00:00Z"),
            ("Sept. 4, 2019", "2019-09-04T00:00:00Z"),
            ("Friday, January 4, 2019", "2019-01-04T00:00:00Z"),
            ("Friday, January 4, 2019 ", "2019-01-04T00:00:00Z"),
            ("Friday 4th January 2019", "2019-01-04T00:00:00Z"),
            ("26-FEB-1987 15:01:01.79", "1987-02-26T15:01:01.79Z"),
            ("Nov 26, 2026 1:11 pm EST", "2026-11-26T18:11:00Z"),
            ("November 26, 2026 at 01:11 +05:30", "2026-11-25T19:41:00Z"),
            ("Published: Nov 26, 2026", "2026-11-26T00:00:00Z"),
            ("Updated on 26 November 2026", "2026-11-26T00:00:00Z"),
            ("1795655460", "2026-11-26T01:11:00Z"),
            ("1795655460000", "2026-11-26T01:11:00Z"),
        ];
        for (input, want) in cases {
            let got = parse_date(input).map(|t| t.to_string());
            assert_eq!(got.as_deref(), Some(want), "input {input:?}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for input in [
            "",
            "2019",
            "tomorrow",
            "News Desk",
            "He arrived on November 26, 2026 in Washington",
            "February 30, 2026",
            "Nov 26",
            "May the force be with you",
            "2026-13-45",
            "99:99 Nov 26, 2026",
            "Published:",
        ] {
            assert_eq!(parse_date(input), None, "input {input:?}");
        }
    }
}
