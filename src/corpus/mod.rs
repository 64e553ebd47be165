//! Reading a corpus: walking a folder into [`SourceFile`]s and parsing each into [`Article`]s.
//!
//! [`walk`] lists the files; [`parse`] reads one (gunzipping `*.gz`, decoding UTF-8 or
//! Windows-1252), picks a [`Format`] from the extension or by sniffing the content, and hands the
//! text to that format's parser. One file per format: `text.rs` (scraped plain text),
//! `markdown.rs`, `html.rs`, `json.rs` (JSON and JSON Lines), `csv.rs`, `warc.rs` (WARC and ARC
//! web archives, read from the raw bytes record by record) and `feed.rs` (RSS and Atom);
//! `record.rs` maps the fields of JSON and CSV records onto an [`Article`].

mod csv;
mod date;
mod decode;
mod feed;
mod html;
mod html_body;
mod html_bounds;
mod json;
mod markdown;
mod record;
mod stream;
mod text;
mod walk;
mod warc;

use std::path::PathBuf;

use crate::article::Article;

pub use date::parse_date;
pub use stream::{Scan, Streamed, is_streamed, open, read_lines, scan_lines};
pub use walk::walk;
pub use warc::{MAX_RECORD_BYTES, is_web_archive};

/// Files larger than this are refused rather than read (after decompression too); web archives
/// (see [`is_web_archive`]), read record by record, have no size limit.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// A single-article file (txt, md, html) larger than this is refused: no real article is that
/// long, and such a file is a dump or a log that would bloat every search.
pub const MAX_ARTICLE_BYTES: u64 = 16 * 1024 * 1024;

/// One file found by [`walk`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// Full path on disk.
    pub full_path: PathBuf,
    /// Path relative to the corpus root, `/`-separated.
    pub rel_path: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i128,
}

/// A file that could not be read or parsed, with the reason.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct FileError {
    /// Path relative to the corpus root (or as given).
    pub path: String,
    /// Why the file failed.
    pub reason: String,
}

impl FileError {
    /// A failure of the file at `path`.
    pub fn new(path: impl Into<String>, reason: impl Into<String>) -> FileError {
        FileError {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

/// The outcome of parsing one file.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Articles in file order.
    pub articles: Vec<Article>,
    /// Problems with single records ("line 7: EOF while parsing a string"), the first
    /// [`MAX_WARNINGS`] of them, then one counting the others.
    pub warnings: Vec<String>,
    /// Problems past the first [`MAX_WARNINGS`], counted.
    more_warnings: usize,
}

/// Problems with single records kept per file; the others are counted in one last warning, so
/// that a file of ten million bad lines costs no memory for them.
pub const MAX_WARNINGS: usize = 100;

impl Parsed {
    /// Records a problem with one record.
    pub(crate) fn warn(&mut self, warning: String) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(warning);
        } else {
            self.more_warnings += 1;
        }
    }

    /// Adds the warning counting those past the first [`MAX_WARNINGS`], if there were any.
    fn close_warnings(&mut self) {
        if self.more_warnings > 0 {
            let more = std::mem::take(&mut self.more_warnings);
            self.warnings.push(format!("{more} more bad records"));
        }
    }
}

/// The article formats a corpus file can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Scraped plain text: headline, dek, byline, body (`.txt`, `.text`).
    Txt,
    /// Markdown with optional YAML or TOML front matter (`.md`, `.markdown`).
    Markdown,
    /// A web page (`.html`, `.htm`, `.xhtml`).
    Html,
    /// One article object, or an array of them (`.json`).
    Json,
    /// One article object a line (`.jsonl`, `.ndjson`).
    Jsonl,
    /// A table with a header row (`.csv`, `.tsv`).
    Csv,
    /// A web archive, one article per HTML response (`.warc`, `.arc`, gzipped or not).
    Warc,
    /// An RSS or Atom feed, one article per item (`.rss`, `.atom`, or XML with a feed root).
    Feed,
}

impl Format {
    /// The format named by the extension of `path` (after removing a `.gz`), if it names one.
    pub fn from_path(path: &str) -> Option<Format> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let name = strip_gz(name).unwrap_or(name);
        let (_, ext) = name.rsplit_once('.')?;
        match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Txt),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "csv" | "tsv" => Some(Format::Csv),
            "warc" | "arc" => Some(Format::Warc),
            "rss" | "atom" => Some(Format::Feed),
            _ => None,
        }
    }

    /// Guesses the format of decoded text: a leading `{` or `[` is JSON (JSON Lines when the
    /// first line is a whole object and more lines follow), XML whose root is `rss`, `feed` or
    /// `rdf:RDF` a feed, `<html` or `<!doctype` is HTML, front matter is Markdown, anything else
    /// is plain text.
    pub fn sniff(text: &str) -> Format {
        let start = text.trim_start();
        let head: String = start
            .chars()
            .take(64)
            .collect::<String>()
            .to_ascii_lowercase();
        if start.starts_with('[') {
            Format::Json
        } else if start.starts_with('{') {
            let mut lines = start.lines().filter(|l| !l.trim().is_empty());
            let first = lines.next().unwrap_or_default();
            let whole = serde_json::from_str::<serde_json::Value>(first).is_ok();
            if whole && lines.next().is_some() {
                Format::Jsonl
            } else {
                Format::Json
            }
        } else if start.starts_with('<') && feed::is_feed(start) {
            Format::Feed
        } else if head.starts_with("<html")
            || head.starts_with("<!doctype html")
            || head.starts_with("<head")
            || head.starts_with("<body")
            || (head.starts_with("<?xml") && head.contains("<html"))
        {
            Format::Html
        } else if start.starts_with("---\n") || start.starts_with("+++\n") {
            Format::Markdown
        } else {
            Format::Txt
        }
    }
}

/// The name without its `.gz` suffix (any case), or `None` when it has none.
fn strip_gz(name: &str) -> Option<&str> {
    let cut = name.len().checked_sub(3)?;
    let suffix = name.get(cut..)?;
    suffix.eq_ignore_ascii_case(".gz").then(|| &name[..cut])
}

/// Reads and parses one file. Records that fail inside an otherwise good file (a truncated JSON
/// line) are reported in `warnings` while the others are kept.
pub fn parse(file: &SourceFile) -> Result<Parsed, FileError> {
    parse_limited(file, MAX_FILE_BYTES)
}

/// [`parse`] with the size limit as a parameter.
fn parse_limited(file: &SourceFile, limit: u64) -> Result<Parsed, FileError> {
    let fail = |reason: String| FileError::new(file.rel_path.clone(), reason);
    if is_web_archive(&file.rel_path) {
        // Read from the file record by record, whatever its size.
        let opened = decode::open_regular(&file.full_path).map_err(fail)?;
        let mut articles = Vec::new();
        let read = warc::read(&file.rel_path, std::io::BufReader::new(opened), |chunk| {
            articles.extend(chunk)
        })
        .map_err(fail)?;
        return finish(
            &file.rel_path,
            Parsed {
                articles,
                warnings: read.warnings,
                more_warnings: 0,
            },
        );
    }
    let bytes = decode::read_limited(&file.full_path, limit).map_err(fail)?;
    parse_bytes_limited(&file.rel_path, &bytes, limit)
}

/// Reads the bytes of `file` (at most [`MAX_FILE_BYTES`]); anything but a regular file is
/// refused without waiting on it.
pub fn read(file: &SourceFile) -> Result<Vec<u8>, FileError> {
    decode::read_limited(&file.full_path, MAX_FILE_BYTES)
        .map_err(|reason| FileError::new(file.rel_path.clone(), reason))
}

/// Parses the contents of a file named `rel_path` (the name chooses the format and whether to
/// gunzip). Used by [`parse`] once the file is read.
pub fn parse_bytes(rel_path: &str, bytes: &[u8]) -> Result<Parsed, FileError> {
    parse_bytes_limited(rel_path, bytes, MAX_FILE_BYTES)
}

/// [`parse_bytes`] with the size limit (applied after decompression) as a parameter.
fn parse_bytes_limited(rel_path: &str, bytes: &[u8], limit: u64) -> Result<Parsed, FileError> {
    let fail = |reason: String| FileError::new(rel_path, reason);
    if bytes.is_empty() {
        return Err(fail("empty file".into()));
    }
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(fail(decode::too_large(limit)));
    }
    if is_web_archive(rel_path) || warc::sniff(bytes) {
        let parsed = warc::parse(rel_path, bytes).map_err(fail)?;
        return finish(rel_path, parsed);
    }
    let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let gunzipped;
    let (name, bytes) = match strip_gz(name) {
        Some(inner) => {
            gunzipped = decode::gunzip(bytes, limit).map_err(fail)?;
            (inner, gunzipped.as_slice())
        }
        None if bytes.starts_with(&decode::GZIP_MAGIC) => {
            gunzipped = decode::gunzip(bytes, limit).map_err(fail)?;
            (name, gunzipped.as_slice())
        }
        None => (name, bytes),
    };
    let text = decode::decode_text(bytes).map_err(fail)?;
    if text.trim().is_empty() {
        return Err(fail("empty file".into()));
    }
    let format = Format::from_path(name).unwrap_or_else(|| Format::sniff(&text));
    let single = matches!(format, Format::Txt | Format::Markdown | Format::Html);
    if single && text.len() as u64 > MAX_ARTICLE_BYTES.min(limit) {
        return Err(fail(format!(
            "file too large for one article (over {MAX_ARTICLE_BYTES} bytes)"
        )));
    }
    let parsed = match format {
        Format::Txt => one(text::parse(&text, rel_path)),
        Format::Markdown => one(markdown::parse(&text, rel_path)),
        Format::Html => one(html::parse(&text, rel_path)),
        Format::Json => json::parse_json(&text, rel_path).map_err(fail)?,
        Format::Jsonl => json::parse_jsonl(&text, rel_path),
        Format::Csv => csv::parse(&text, rel_path).map_err(fail)?,
        Format::Warc => warc::parse(rel_path, bytes).map_err(fail)?,
        Format::Feed => match feed::redecode(bytes) {
            Some(text) => feed::parse(&text, rel_path),
            None => feed::parse(&text, rel_path),
        }
        .map_err(fail)?,
    };
    let mut parsed = parsed;
    parsed.close_warnings();
    finish(rel_path, parsed)
}

/// A file's articles, or its error when it held none.
fn finish(rel_path: &str, parsed: Parsed) -> Result<Parsed, FileError> {
    if parsed.articles.is_empty() {
        return Err(FileError::new(rel_path, no_article(&parsed.warnings)));
    }
    Ok(parsed)
}

/// The reason given for a file without any article, quoting the first bad record.
fn no_article(warnings: &[String]) -> String {
    match warnings {
        [] => "no article found".into(),
        [only] => format!("no article found ({only})"),
        [first, rest @ ..] => {
            format!(
                "no article found ({first}; {} more bad records)",
                rest.len()
            )
        }
    }
}

/// A one-article format's result as a [`Parsed`].
fn one(article: Option<Article>) -> Parsed {
    Parsed {
        articles: article.into_iter().collect(),
        ..Parsed::default()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).expect("write to memory");
        encoder.finish().expect("finish gzip in memory")
    }

    #[test]
    fn format_from_extension() {
        let cases = [
            ("a/b.txt", Some(Format::Txt)),
            ("b.TXT", Some(Format::Txt)),
            ("b.md", Some(Format::Markdown)),
            ("b.markdown", Some(Format::Markdown)),
            ("b.htm", Some(Format::Html)),
            ("b.html.gz", Some(Format::Html)),
            ("b.json", Some(Format::Json)),
            ("b.ndjson", Some(Format::Jsonl)),
            ("b.jsonl.GZ", Some(Format::Jsonl)),
            ("b.csv", Some(Format::Csv)),
            ("b", None),
            ("b.gz", None),
            ("b.dat", None),
        ];
        for (path, want) in cases {
            assert_eq!(Format::from_path(path), want, "path {path}");
        }
    }

    #[test]
    fn format_sniffed_from_content() {
        let cases = [
            ("{\"title\": \"a\"}", Format::Json),
            ("[{\"title\": \"a\"}]", Format::Json),
            ("{\"title\": \"a\"}\n{\"title\": \"b\"}\n", Format::Jsonl),
            ("{\n  \"title\": \"a\"\n}\n", Format::Json),
            ("<!DOCTYPE html><html></html>", Format::Html),
            ("  <html lang=en>", Format::Html),
            ("---\ntitle: a\n---\nbody", Format::Markdown),
            ("A headline here\n\nBody.", Format::Txt),
        ];
        for (text, want) in cases {
            assert_eq!(Format::sniff(text), want, "text {text:?}");
        }
    }

    #[test]
    fn unknown_extension_is_sniffed() {
        let parsed = parse_bytes("feed.dat", b"{\"title\": \"T\", \"body\": \"B.\"}\n")
            .expect("sniffed as JSON");
        assert_eq!(parsed.articles[0].title, "T");
        let parsed = parse_bytes(
            "page",
            b"<!doctype html><h1>Heading of page</h1><p>Para.</p>",
        )
        .expect("html");
        assert_eq!(parsed.articles[0].title, "Heading of page");
        assert_eq!(parsed.articles[0].body, "Para.");
    }

    #[test]
    fn empty_and_blank_files_are_errors() {
        for bytes in [&b""[..], b"  \n\n \r\n"] {
            let err = parse_bytes("x.txt", bytes).expect_err("empty");
            assert_eq!(err.reason, "empty file");
            assert_eq!(err.path, "x.txt");
        }
        let err = parse_bytes("x.txt.gz", &gz(b"")).expect_err("empty inside gzip");
        assert_eq!(err.reason, "empty file");
    }

    #[test]
    fn binary_file_is_an_error() {
        let err =
            parse_bytes("photo.jpg", b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01").expect_err("binary");
        assert_eq!(err.reason, "binary file (not text)");
        assert_eq!(err.to_string(), "photo.jpg: binary file (not text)");
    }

    #[test]
    fn gzip_round_trip_uses_inner_extension() {
        let jsonl = b"{\"id\": 1, \"title\": \"One\", \"body\": \"First.\"}\n{\"id\": 2, \"title\": \"Two\", \"body\": \"Second.\"}\n";
        let parsed = parse_bytes("dump/x.jsonl.gz", &gz(jsonl)).expect("gzipped jsonl");
        let ids: Vec<&str> = parsed.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["1", "2"]);
        assert_eq!(parsed.articles[1].path, "dump/x.jsonl.gz");
    }

    #[test]
    fn invalid_gzip_is_an_error() {
        let err = parse_bytes("x.json.gz", b"not gzip at all").expect_err("bad gzip");
        assert!(err.reason.starts_with("invalid gzip"), "{}", err.reason);
        let mut truncated = gz(b"{\"title\": \"t\", \"body\": \"b\"}");
        truncated.truncate(truncated.len() / 2);
        let err = parse_bytes("x.json.gz", &truncated).expect_err("truncated gzip");
        assert!(err.reason.starts_with("invalid gzip"), "{}", err.reason);
    }

    #[test]
    fn oversize_is_refused_before_and_after_decompression() {
        let err = parse_bytes_limited("x.txt", &[b'a'; 100], 10).expect_err("too large");
        assert_eq!(err.reason, "file too large (over 10 bytes)");
        let packed = gz(&[b'a'; 10_000]);
        assert!(packed.len() < 100);
        let err = parse_bytes_limited("x.txt.gz", &packed, 100).expect_err("bomb");
        assert_eq!(
            err.reason,
            "file too large (over 100 bytes after decompression)"
        );
    }

    #[test]
    fn oversize_file_on_disk_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("big.txt");
        std::fs::write(&path, [b'a'; 100]).expect("write");
        let file = SourceFile {
            full_path: path,
            rel_path: "big.txt".into(),
            size: 100,
            mtime_ns: 0,
        };
        let err = parse_limited(&file, 10).expect_err("too large");
        assert_eq!(err.reason, "file too large (over 10 bytes)");
        assert_eq!(err.path, "big.txt");
        let parsed = parse(&file).expect("within the default limit");
        assert_eq!(parsed.articles.len(), 1);
    }

    #[test]
    fn unreadable_file_reports_the_io_error() {
        let file = SourceFile {
            full_path: PathBuf::from("/nonexistent/newsdex/x.txt"),
            rel_path: "x.txt".into(),
            size: 0,
            mtime_ns: 0,
        };
        let err = parse(&file).expect_err("missing");
        assert!(err.reason.contains("No such file"), "{}", err.reason);
    }

    #[test]
    fn every_bad_record_makes_a_file_error() {
        let err = parse_bytes("x.jsonl", b"{\"title\": \n{oops\n").expect_err("all bad");
        assert!(
            err.reason.starts_with("no article found (line 1: "),
            "{}",
            err.reason
        );
        assert!(
            err.reason.ends_with("; 1 more bad records)"),
            "{}",
            err.reason
        );
    }

    #[test]
    fn no_input_panics() {
        let samples: [&[u8]; 8] = [
            include_bytes!("testdata/seed.txt"),
            b"---\ntitle: \"T\"\ndate: Nov 26, 2026\n---\n# H\n\n**a** [b](c) ![d](e) `f` <g>",
            b"<html lang=en><article><h1>T</h1><p>A &amp; B</p></article></html>",
            b"[{\"title\": \"T\", \"body\": \"B\", \"date\": 1795655460}]",
            b"{\"id\": 1, \"title\": \"T\"}\n{\"id\": 2, \"text\": \"B\"}\n",
            b"url,date,title,text\nu,2019-01-04,T,\"Friday, January 4, 2019\n\nB\"\n",
            b"[[[[[[[[[[ ```` ** __ ~~ <<<< \\ \xe9\xff ]]]]",
            "Ünïcödé — “quotes” ‘x’ 日本語 🙂\n\nBy Jäne Dœ".as_bytes(),
        ];
        let names = [
            "x.txt", "x.md", "x.html", "x.json", "x.jsonl", "x.csv", "x.dat", "x",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut noise = Vec::new();
        for _ in 0..2000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            noise.push(b"{}[]<>\"',:;#*_`!-|\n\r\t abc19\xe9\xc3"[(state % 27) as usize]);
        }
        for sample in samples.iter().copied().chain([noise.as_slice()]) {
            for name in names {
                for cut in (0..=sample.len()).step_by(7).chain([sample.len()]) {
                    let _ = parse_bytes(name, &sample[..cut]);
                }
            }
        }
    }

    #[test]
    fn warnings_past_the_limit_are_counted_in_one() {
        let mut jsonl = String::from("{\"title\": \"Good\", \"body\": \"Fine.\"}\n");
        for _ in 0..250 {
            jsonl.push_str("{oops\n");
        }
        let parsed = parse_bytes("x.jsonl", jsonl.as_bytes()).expect("one good record");
        assert_eq!(parsed.articles.len(), 1);
        assert_eq!(parsed.warnings.len(), MAX_WARNINGS + 1);
        assert!(
            parsed.warnings[0].starts_with("line 2: "),
            "{}",
            parsed.warnings[0]
        );
        assert_eq!(parsed.warnings[MAX_WARNINGS], "150 more bad records");
    }

    #[test]
    fn no_article_in_markup_without_text() {
        let err = parse_bytes("x.html", b"<html><body><script>x()</script></body></html>")
            .expect_err("nothing");
        assert_eq!(err.reason, "no article found");
    }
}
