//! Date values of `--since` and `--until`: a day (`2026-11-01`), a month (`2026-11`), a year
//! (`2026`) or a span back from now (`7d`, `2w`, `3m`, `1y`).

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, ToSpan};

/// A stretch of time, `[start, end)`, in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    /// First instant.
    pub start: Timestamp,
    /// First instant after the period.
    pub end: Timestamp,
}

/// Parses a period; `now` anchors relative spans. The error says what forms are accepted.
pub fn parse_period(value: &str, now: Timestamp) -> Result<Period, String> {
    let value = value.trim();
    let invalid = || {
        format!(
            "invalid date `{value}`: expected YYYY-MM-DD, YYYY-MM, YYYY or a span back from now \
             such as 7d, 2w, 3m, 1y"
        )
    };
    if let Some(span) = relative_span(value) {
        let zoned = now.to_zoned_datetime(TimeZone::UTC);
        let start = zoned.checked_sub(span).map_err(|_| invalid())?.timestamp();
        return Ok(Period { start, end: now });
    }
    let parts: Vec<&str> = value.split('-').collect();
    let number = |s: &str, len: usize| -> Option<i16> {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    let (start, step): (Date, Span) = match parts.as_slice() {
        [year] => (
            date(number(year, 4), Some(1), Some(1)).ok_or_else(invalid)?,
            1.year(),
        ),
        [year, month] => (
            date(number(year, 4), number(month, 2), Some(1)).ok_or_else(invalid)?,
            1.month(),
        ),
        [year, month, day] => (
            date(number(year, 4), number(month, 2), number(day, 2)).ok_or_else(invalid)?,
            1.day(),
        ),
        _ => return Err(invalid()),
    };
    let end = start.checked_add(step).map_err(|_| invalid())?;
    let utc = |d: Date| {
        d.to_zoned_datetime(TimeZone::UTC)
            .map(|z| z.timestamp())
            .map_err(|_| invalid())
    };
    Ok(Period {
        start: utc(start)?,
        end: utc(end)?,
    })
}

fn date(year: Option<i16>, month: Option<i16>, day: Option<i16>) -> Option<Date> {
    let (year, month, day) = (year?, i8::try_from(month?).ok()?, i8::try_from(day?).ok()?);
    Date::new(year, month, day).ok()
}

fn relative_span(value: &str) -> Option<Span> {
    let unit = value.chars().last()?;
    let amount: i64 = value[..value.len() - unit.len_utf8()].parse().ok()?;
    if !(0..=10_000).contains(&amount) {
        return None;
    }
    match unit {
        'd' => Some(amount.days()),
        'w' => Some(amount.weeks()),
        'm' => Some(amount.months()),
        'y' => Some(amount.years()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days_months_years_and_spans() {
        let now: Timestamp = "2026-11-26T12:00:00Z".parse().unwrap();
        let cases = [
            ("2026-11-01", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"),
            ("2026-11", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"),
            ("2026-12", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z"),
            ("2019", "2019-01-01T00:00:00Z", "2020-01-01T00:00:00Z"),
            ("7d", "2026-11-19T12:00:00Z", "2026-11-26T12:00:00Z"),
            ("2w", "2026-11-12T12:00:00Z", "2026-11-26T12:00:00Z"),
            ("3m", "2026-08-26T12:00:00Z", "2026-11-26T12:00:00Z"),
            ("1y", "2025-11-26T12:00:00Z", "2026-11-26T12:00:00Z"),
        ];
        for (input, start, end) in cases {
            let period = parse_period(input, now).unwrap();
            assert_eq!(period.start.to_string(), start, "{input}");
            assert_eq!(period.end.to_string(), end, "{input}");
        }
    }

    #[test]
    fn rejects_other_forms_naming_the_value() {
        let now = Timestamp::UNIX_EPOCH;
        for input in [
            "",
            "yesterday",
            "2026-13",
            "2026-02-30",
            "26-11-2026",
            "7x",
            "-3d",
            "20261",
        ] {
            let error = parse_period(input, now).unwrap_err();
            assert!(
                error.starts_with(&format!("invalid date `{input}`")),
                "{error}"
            );
        }
    }
}
