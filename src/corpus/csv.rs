//! CSV (and TSV) tables with a header row, one article a record.

use super::Parsed;
use super::record::Record;
use crate::article::Place;

/// Parses a table. The delimiter (`,`, `;`, tab or `|`) is the one most frequent in the header
/// line. A record with the wrong number of fields, or with neither title nor body, is a warning
/// naming the line it starts on; a header with no known column is an error.
pub(crate) fn parse(text: &str, rel_path: &str) -> Result<Parsed, String> {
    let header = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let delimiter = [b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|d| (header.bytes().filter(|b| b == d).count(), *d == b','))
        .unwrap_or(b',');
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .trim(::csv::Trim::Headers)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("invalid CSV header: {e}"))?
        .clone();
    if !headers.iter().any(|h| super::record::slot_of(h).is_some()) {
        return Err(format!(
            "CSV header has no title, body or text column (found: {})",
            headers.iter().collect::<Vec<_>>().join(", ")
        ));
    }
    let mut parsed = Parsed::default();
    for (ordinal, row) in reader.records().enumerate() {
        let row = match row {
            Ok(row) => row,
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line());
                parsed.warn(format!("line {line}: {}", error_text(&error)));
                continue;
            }
        };
        let line = row.position().map_or(0, |p| p.line());
        let mut record = Record::default();
        for (name, value) in headers.iter().zip(row.iter()) {
            record.set(name, value.to_string());
        }
        match record.into_article(rel_path, ordinal) {
            Ok(mut article) => {
                article.place = Place::record(ordinal as u64, Some(line));
                parsed.articles.push(article);
            }
            Err(reason) => parsed.warn(format!("line {line}: {reason}")),
        }
    }
    Ok(parsed)
}

/// The error without the position the warning already gives.
fn error_text(error: &::csv::Error) -> String {
    match error.kind() {
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use crate::article::ArticleId;
    use crate::corpus::parse_bytes;

    use super::*;

    #[test]
    fn wikinews_rows_strip_the_dateline() {
        let text = "url,date,title,text\n\
            \"https://en.wikinews.org/wiki/A\",2019-01-04,\"Building collapses, dozens dead\",\"Friday, January 4, 2019 \n\n\nAn apartment building collapsed.\n\n\nThe 1973 building was home to \"\"over 1,000\"\" people.\"\n\
            \"https://en.wikinews.org/wiki/B\",,Second,\"Saturday, January 5, 2019\n\nText B.\"\n";
        let parsed = parse(text, "wikinews.csv").expect("valid");
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let a = &parsed.articles[0];
        assert_eq!(a.id, ArticleId("https://en.wikinews.org/wiki/A".into()));
        assert_eq!(a.title, "Building collapses, dozens dead");
        assert_eq!(
            a.body,
            "An apartment building collapsed.\n\nThe 1973 building was home to \"over 1,000\" people."
        );
        assert_eq!(
            a.published.map(|t| t.to_string()).as_deref(),
            Some("2019-01-04T00:00:00Z")
        );
        let b = &parsed.articles[1];
        assert_eq!(b.body, "Text B.");
        assert_eq!(
            b.published.map(|t| t.to_string()).as_deref(),
            Some("2019-01-05T00:00:00Z")
        );
    }

    #[test]
    fn bad_rows_are_warnings_naming_their_line() {
        let text = "Headline;Content;Author\nOne;Body one.;Jane Doe\nbroken row\n;;Nobody\nFour;Body four.;\n";
        let parsed = parse(text, "t.csv").expect("valid");
        let titles: Vec<&str> = parsed.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["One", "Four"]);
        assert_eq!(
            parsed.warnings,
            [
                "line 3: 1 fields where the header has 3",
                "line 4: no title or body"
            ]
        );
        assert_eq!(parsed.articles[0].byline.as_deref(), Some("Jane Doe"));
        assert_eq!(parsed.articles[1].byline, None);
        assert_eq!(parsed.articles[1].id, ArticleId::derived("t.csv", 3));
        assert_eq!(parsed.articles[0].place, Place::record(0, Some(2)));
        assert_eq!(parsed.articles[1].place, Place::record(3, Some(5)));
    }

    #[test]
    fn a_record_is_at_the_line_it_starts_on() {
        let text = "title,body\nOne,\"Two lines\nof body.\"\nTwo,Body two.\n";
        let parsed = parse(text, "t.csv").expect("valid");
        let places: Vec<Place> = parsed.articles.iter().map(|a| a.place).collect();
        assert_eq!(
            places,
            [Place::record(0, Some(2)), Place::record(1, Some(4))]
        );
    }

    #[test]
    fn header_without_known_columns_is_an_error() {
        let err = parse_bytes("t.csv", b"a,b\n1,2\n").expect_err("unknown columns");
        assert_eq!(
            err.reason,
            "CSV header has no title, body or text column (found: a, b)"
        );
    }

    #[test]
    fn crlf_and_bom_are_handled() {
        let parsed = parse_bytes(
            "t.csv",
            b"\xef\xbb\xbftitle,body\r\nT\xe9l\xe9,\"Line 1\r\nLine 2\"\r\n",
        )
        .expect("valid");
        let a = &parsed.articles[0];
        assert_eq!(a.title, "Télé");
        assert_eq!(a.body, "Line 1\n\nLine 2");
    }
}
