//! Web archives: WARC (1.0, 1.1 and the older 0.17 and 0.18) and ARC files, plain or gzipped
//! (one gzip member a record, as crawlers write them, or the whole file one stream), read record
//! by record in bounded memory whatever the file's size.
//!
//! Each `response` record (an ARC record of an `http` URL) holding an HTTP 2xx response with an
//! HTML, XHTML or plain-text payload becomes one article: its page text as [`super::html`] (or
//! [`super::text`]) reads it, its URL and id the record's target URI, its date the page's own
//! date, else the record's. Chunked transfer encoding and gzip or deflate content encoding are
//! undone (a payload stored decoded under such a header, as Common Crawl stores them, is taken
//! as it is). Request, metadata, warcinfo, resource, revisit and conversion records, `dns:` and
//! other non-HTTP records, error statuses and non-text payloads are skipped without a word.
//!
//! A record whose block is over [`MAX_RECORD_BYTES`] is never trusted: it is skipped up to the
//! next line starting `WARC/`. A gzip member that expands more than [`MAX_INFLATE_RATIO`] times
//! (past [`INFLATE_FLOOR`] bytes) is a decompression bomb. A truncated or corrupt member, a
//! malformed header or a truncated record is reported with its byte offset in the file (for a
//! record inside a whole-file gzip stream, the offset of its member and its offset in the
//! decompressed bytes) and skipped; reading goes on at the next member or the next record.

use std::io::{self, BufRead, Read};

use jiff::Timestamp;

use super::{Parsed, decode, html, parse_date, text};
use crate::article::{Article, ArticleId, Place};

/// A record's block (HTTP headers and payload) longer than this is skipped, as is a payload
/// that decodes (chunks, gzip, deflate) to more than this.
pub const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;

/// A gzip member may expand this many times its compressed size (HTML packs 5 to 10 times)...
pub const MAX_INFLATE_RATIO: u64 = 100;

/// ...once it has given this many bytes.
pub const INFLATE_FLOOR: u64 = 64 * 1024 * 1024;

/// A header line longer than this is malformed.
const MAX_LINE_BYTES: usize = 64 * 1024;

/// A record's header block longer than this is malformed.
const MAX_HEADER_BYTES: usize = 256 * 1024;

/// Articles handed over at once at most.
const CHUNK_ARTICLES: usize = 256;

/// Body bytes of the articles handed over at once at most.
const CHUNK_BYTES: usize = 8 * 1024 * 1024;

/// The read buffer between the file (or a gzip member) and the records.
const BUFFER_BYTES: usize = 64 * 1024;

/// Whether the name of `rel_path` is a web archive's: `.warc`, `.arc`, gzipped or not.
pub fn is_web_archive(rel_path: &str) -> bool {
    let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let name = super::strip_gz(name).unwrap_or(name);
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("warc") || ext.eq_ignore_ascii_case("arc"))
}

/// Whether `bytes` (the start of a file, gzipped or not) look like a web archive: a first
/// record starting `WARC/` or an ARC `filedesc://` header.
pub fn sniff(bytes: &[u8]) -> bool {
    let mut head = Vec::with_capacity(16);
    if bytes.starts_with(&decode::GZIP_MAGIC) {
        let _ = flate2::read::GzDecoder::new(bytes)
            .take(16)
            .read_to_end(&mut head);
    } else {
        head.extend_from_slice(&bytes[..bytes.len().min(16)]);
    }
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&head);
    head.starts_with(b"WARC/") || head.starts_with(b"filedesc://")
}

/// What [`read`] gave besides the articles handed over.
#[derive(Debug, Default)]
pub struct Summary {
    /// Articles handed over.
    pub articles: u64,
    /// Records reported and skipped, as in [`super::Parsed::warnings`].
    pub warnings: Vec<String>,
}

/// Reads the web archive `rel_path` from `raw`, calling `each` with its articles in file order,
/// a chunk at a time. Fails only when the file holds no record at all (empty, or not a web
/// archive) or cannot be read; bad records become warnings.
pub fn read(
    rel_path: &str,
    raw: impl Read,
    mut each: impl FnMut(Vec<Article>),
) -> Result<Summary, String> {
    let mut out = Out {
        rel_path,
        parsed: Parsed::default(),
        chunk_bytes: 0,
        articles: 0,
        records: 0,
        each: &mut each,
    };
    let mut src = Source::new(raw);
    let head = src.peek(2).map_err(|e| e.to_string())?.to_vec();
    if head.is_empty() {
        return Err("empty file".into());
    }
    let named_gz = rel_path
        .rsplit('/')
        .next()
        .and_then(super::strip_gz)
        .is_some();
    if head.starts_with(&decode::GZIP_MAGIC) {
        read_members(&mut src, &mut out).map_err(|e| e.to_string())?;
    } else if named_gz {
        return Err("invalid gzip data: not a gzip stream".into());
    } else {
        read_records(&mut src, &mut out, &|at| format!("offset {at}"))
            .map_err(|e| e.to_string())?;
    }
    out.flush();
    let Out {
        mut parsed,
        articles,
        records,
        ..
    } = out;
    if records == 0 {
        parsed.close_warnings();
        return Err(match parsed.warnings.first() {
            Some(first) => format!("not a web archive ({first})"),
            None => "not a web archive (no WARC or ARC record)".into(),
        });
    }
    parsed.close_warnings();
    Ok(Summary {
        articles,
        warnings: parsed.warnings,
    })
}

/// [`read`] of bytes in memory, every article at once.
pub(crate) fn parse(rel_path: &str, bytes: &[u8]) -> Result<Parsed, String> {
    let mut articles = Vec::new();
    let summary = read(rel_path, bytes, |chunk| articles.extend(chunk))?;
    Ok(Parsed {
        articles,
        warnings: summary.warnings,
        more_warnings: 0,
    })
}

/// Where the articles go, and what was seen.
struct Out<'a, F: FnMut(Vec<Article>)> {
    rel_path: &'a str,
    parsed: Parsed,
    chunk_bytes: usize,
    articles: u64,
    /// Records seen, good or bad (a file without any is not a web archive).
    records: u64,
    each: &'a mut F,
}

impl<F: FnMut(Vec<Article>)> Out<'_, F> {
    fn push(&mut self, mut article: Article) {
        article.place = Place::record(self.articles + self.parsed.articles.len() as u64, None);
        self.chunk_bytes += article.body.len();
        self.parsed.articles.push(article);
        if self.parsed.articles.len() >= CHUNK_ARTICLES || self.chunk_bytes >= CHUNK_BYTES {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if !self.parsed.articles.is_empty() {
            self.articles += self.parsed.articles.len() as u64;
            (self.each)(std::mem::take(&mut self.parsed.articles));
            self.chunk_bytes = 0;
        }
    }
}

/// A buffered reader that counts the bytes consumed and can look ahead.
struct Source<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// Bytes consumed since the start.
    pos: u64,
}

impl<R: Read> Source<R> {
    fn new(inner: R) -> Source<R> {
        Source {
            inner,
            buf: vec![0; BUFFER_BYTES],
            start: 0,
            end: 0,
            pos: 0,
        }
    }

    /// At least `n` bytes ahead (fewer at the end of the stream), not consumed.
    fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        while self.end - self.start < n {
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            if self.end == self.buf.len() {
                self.buf.resize(self.buf.len() * 2, 0);
            }
            let got = read_retrying(&mut self.inner, &mut self.buf[self.end..])?;
            if got == 0 {
                break;
            }
            self.end += got;
        }
        Ok(&self.buf[self.start..self.end])
    }
}

fn read_retrying(inner: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match inner.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Source<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start == self.end {
            self.start = 0;
            self.end = read_retrying(&mut self.inner, &mut self.buf)?;
        }
        Ok(&self.buf[self.start..self.end])
    }

    fn consume(&mut self, amt: usize) {
        let amt = amt.min(self.end - self.start);
        self.start += amt;
        self.pos += amt as u64;
    }
}

/// One gzip member's bytes, refusing to expand past the bomb limit.
struct Inflated<'a, R: Read> {
    decoder: flate2::bufread::GzDecoder<&'a mut Source<R>>,
    start: u64,
    out: u64,
}

impl<R: Read> Read for Inflated<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.decoder.read(buf)?;
        self.out += n as u64;
        let packed = self.decoder.get_ref().pos - self.start;
        if self.out > INFLATE_FLOOR && self.out > packed.saturating_mul(MAX_INFLATE_RATIO) {
            return Err(io::Error::other(format!(
                "gzip member expands over {MAX_INFLATE_RATIO} times (a decompression bomb); skipped"
            )));
        }
        Ok(n)
    }
}

/// Reads the gzip members of `src` one after the other, the records of each.
fn read_members<R: Read, F: FnMut(Vec<Article>)>(
    src: &mut Source<R>,
    out: &mut Out<F>,
) -> io::Result<()> {
    loop {
        let at = src.pos;
        let head = src.peek(3)?;
        if head.is_empty() {
            return Ok(());
        }
        if !head.starts_with(&[0x1f, 0x8b, 0x08]) {
            // Padding between members (NULs, newlines) is no record; anything else is.
            let junk = head.iter().all(|&b| matches!(b, 0 | b'\r' | b'\n' | b' '));
            if !next_member(src)? {
                if !junk {
                    out.parsed.warn(format!(
                        "offset {at}: not a gzip member; skipped to the end"
                    ));
                }
                return Ok(());
            }
            if !junk {
                out.parsed.warn(format!(
                    "offset {at}: not a gzip member; skipped to the next at {}",
                    src.pos
                ));
            }
            continue;
        }
        let member = src.pos;
        let inflated = Inflated {
            decoder: flate2::bufread::GzDecoder::new(&mut *src),
            start: member,
            out: 0,
        };
        let mut records = Source::new(inflated);
        let offset = move |inner: u64| {
            if inner == 0 {
                format!("offset {member}")
            } else {
                format!("offset {member} (+{inner} decompressed)")
            }
        };
        let result = read_records(&mut records, out, &offset);
        drop(records);
        if let Err(error) = result {
            let reason = match error.kind() {
                io::ErrorKind::UnexpectedEof => "truncated gzip member".to_string(),
                io::ErrorKind::Other => error.to_string(),
                _ => format!("invalid gzip member ({error})"),
            };
            out.records += 1;
            out.parsed.warn(format!("offset {member}: {reason}"));
            if src.pos == member {
                src.consume(1);
            }
            next_member(src)?;
        }
    }
}

/// Skips to the next gzip magic (`1f 8b 08`); `false` at the end of the file.
fn next_member<R: Read>(src: &mut Source<R>) -> io::Result<bool> {
    loop {
        let buf = src.peek(3)?;
        if buf.len() < 3 {
            let n = buf.len();
            src.consume(n);
            return Ok(false);
        }
        match buf.windows(3).position(|w| w == [0x1f, 0x8b, 0x08]) {
            Some(0) => return Ok(true),
            Some(at) => src.consume(at),
            None => {
                let n = buf.len() - 2;
                src.consume(n);
            }
        }
    }
}

/// The fields of a record header that matter here.
#[derive(Debug, Default)]
struct Header {
    kind: String,
    target: String,
    date: Option<Timestamp>,
    content_type: String,
    length: u64,
}

/// What a record line started.
enum Start {
    Warc,
    Arc(Header),
}

/// Reads the records of one stream (a plain file, or one gzip member). Errors are those of
/// reading the stream (for a member: a truncated or corrupt one); a bad record is a warning.
fn read_records<R: Read, F: FnMut(Vec<Article>)>(
    r: &mut Source<R>,
    out: &mut Out<F>,
    offset: &dyn Fn(u64) -> String,
) -> io::Result<()> {
    loop {
        skip_blank_lines(r)?;
        let at = r.pos;
        let Some(line) = read_line(r)? else {
            return Ok(());
        };
        let start = if line.starts_with(b"WARC/") {
            Start::Warc
        } else if let Some(header) = arc_header(&line) {
            Start::Arc(header)
        } else {
            out.parsed.warn(format!(
                "{}: not a WARC or ARC record header ({}); skipped to the next",
                offset(at),
                quoted(&line)
            ));
            resync(r, u64::MAX)?;
            continue;
        };
        out.records += 1;
        let header = match start {
            Start::Arc(header) => header,
            Start::Warc => match warc_header(r)? {
                Ok(header) => header,
                Err(reason) => {
                    out.parsed
                        .warn(format!("{}: {reason}; skipped to the next", offset(at)));
                    resync(r, u64::MAX)?;
                    continue;
                }
            },
        };
        if header.target.starts_with("filedesc://") {
            skip(r, header.length)?;
            continue;
        }
        if header.length > MAX_RECORD_BYTES {
            out.parsed.warn(format!(
                "{}: record of {} bytes, over the {MAX_RECORD_BYTES}-byte limit; skipped",
                offset(at),
                header.length
            ));
            resync(r, header.length)?;
            continue;
        }
        if !is_http_response(&header) {
            let skipped = skip(r, header.length)?;
            if skipped < header.length {
                out.parsed.warn(truncated(&offset(at), &header, skipped));
            }
            continue;
        }
        let mut block = Vec::with_capacity(usize::try_from(header.length).unwrap_or(0));
        (&mut *r).take(header.length).read_to_end(&mut block)?;
        if (block.len() as u64) < header.length {
            out.parsed
                .warn(truncated(&offset(at), &header, block.len() as u64));
            continue;
        }
        match article(out.rel_path, &header, &block) {
            Ok(Some(article)) => out.push(article),
            Ok(None) => {}
            Err(reason) => out.parsed.warn(format!("{}: {reason}", offset(at))),
        }
    }
}

fn truncated(at: &str, header: &Header, got: u64) -> String {
    format!(
        "{at}: truncated record (Content-Length {}, {got} bytes left)",
        header.length
    )
}

/// A line's text for a message: at most 40 characters, lossy.
fn quoted(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(line);
    let text = text.trim_end();
    let short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        format!("{short:?}...")
    } else {
        format!("{short:?}")
    }
}

/// Skips the line ends between records.
fn skip_blank_lines<R: Read>(r: &mut Source<R>) -> io::Result<()> {
    loop {
        let buf = r.fill_buf()?;
        let blank = buf
            .iter()
            .take_while(|&&b| matches!(b, b'\r' | b'\n'))
            .count();
        if blank == 0 {
            return Ok(());
        }
        r.consume(blank);
    }
}

/// The next line without its line end, at most [`MAX_LINE_BYTES`] (the rest of a longer line is
/// consumed and dropped); `None` at the end of the stream.
fn read_line<R: Read>(r: &mut Source<R>) -> io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    let mut any = false;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (buf.len(), false),
        };
        let room = (MAX_LINE_BYTES + 1).saturating_sub(line.len());
        line.extend_from_slice(&buf[..take.min(room)]);
        r.consume(take);
        if done {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    while line.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
        line.pop();
    }
    Ok(Some(line))
}

/// Consumes up to `n` bytes; returns how many there were.
fn skip<R: Read>(r: &mut Source<R>, n: u64) -> io::Result<u64> {
    io::copy(&mut r.take(n), &mut io::sink())
}

/// Skips at most `limit` bytes, up to the next line that starts `WARC/`.
fn resync<R: Read>(r: &mut Source<R>, limit: u64) -> io::Result<()> {
    let end = r.pos.saturating_add(limit);
    let mut line_start = true;
    while r.pos < end {
        if line_start && r.peek(5)?.starts_with(b"WARC/") {
            return Ok(());
        }
        let room = usize::try_from(end - r.pos).unwrap_or(usize::MAX);
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        let buf = &buf[..buf.len().min(room)];
        let (take, newline) = match buf.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (buf.len(), false),
        };
        r.consume(take);
        line_start = newline;
    }
    Ok(())
}

/// The named fields of a WARC header block, read up to its blank line; the reason when it is
/// malformed.
fn warc_header<R: Read>(r: &mut Source<R>) -> io::Result<Result<Header, String>> {
    let mut header = Header::default();
    let mut length = None;
    let mut bytes = 0usize;
    loop {
        let Some(line) = read_line(r)? else {
            return Ok(Err("truncated record header".into()));
        };
        if line.is_empty() {
            break;
        }
        bytes += line.len();
        if bytes > MAX_HEADER_BYTES || line.len() > MAX_LINE_BYTES {
            return Ok(Err("record header too long".into()));
        }
        let line = String::from_utf8_lossy(&line);
        let Some((name, value)) = line.split_once(':') else {
            if line.starts_with([' ', '\t']) {
                continue;
            }
            return Ok(Err(format!(
                "malformed header line {}",
                quoted(line.as_bytes())
            )));
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "warc-type" => header.kind = value.to_ascii_lowercase(),
            "warc-target-uri" => header.target = target_uri(value),
            "warc-date" => header.date = parse_date(value),
            "content-type" => header.content_type = value.to_ascii_lowercase(),
            "content-length" => length = Some(value.parse::<u64>()),
            _ => {}
        }
    }
    match length {
        Some(Ok(n)) => header.length = n,
        Some(Err(_)) => return Ok(Err("invalid Content-Length".into())),
        None => return Ok(Err("no Content-Length".into())),
    }
    Ok(Ok(header))
}

/// A target URI without the `<angle brackets>` some writers (wget 1.19) put around it.
fn target_uri(value: &str) -> String {
    let value = value.trim();
    value
        .strip_prefix('<')
        .and_then(|v| v.strip_suffix('>'))
        .unwrap_or(value)
        .to_string()
}

/// An ARC record's header line (`URL IP-address Archive-date Content-type [...] Length`), when
/// `line` is one.
fn arc_header(line: &[u8]) -> Option<Header> {
    let line = std::str::from_utf8(line).ok()?;
    let fields: Vec<&str> = line.split_ascii_whitespace().collect();
    if fields.len() < 5 {
        return None;
    }
    let date = fields[2];
    if !(date.len() >= 8 && date.len() <= 17 && date.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    if !fields[0].contains(':') {
        return None;
    }
    let length: u64 = fields.last()?.parse().ok()?;
    Some(Header {
        kind: "arc".into(),
        target: fields[0].to_string(),
        date: arc_date(date),
        content_type: fields[3].to_ascii_lowercase(),
        length,
    })
}

/// `YYYYMMDDhhmmss` (or a prefix of it down to the day), in UTC.
fn arc_date(digits: &str) -> Option<Timestamp> {
    let part = |from: usize, to: usize| -> Option<i16> {
        digits.get(from..to).map_or(Some(0), |s| s.parse().ok())
    };
    let datetime = jiff::civil::DateTime::new(
        part(0, 4)?,
        i8::try_from(part(4, 6)?).ok()?,
        i8::try_from(part(6, 8)?).ok()?,
        i8::try_from(part(8, 10)?).ok()?,
        i8::try_from(part(10, 12)?).ok()?,
        i8::try_from(part(12, 14)?).ok()?,
        0,
    )
    .ok()?;
    jiff::tz::TimeZone::UTC.to_timestamp(datetime).ok()
}

/// Whether the record holds an HTTP response: a WARC `response` record of an `http(s)` target
/// (`application/http`, or no content type as some writers leave it), or an ARC record of an
/// `http(s)` URL.
fn is_http_response(header: &Header) -> bool {
    let http = header.target.starts_with("http://") || header.target.starts_with("https://");
    match header.kind.as_str() {
        "response" => {
            http && (header.content_type.is_empty()
                || header.content_type.starts_with("application/http"))
        }
        "arc" => http,
        _ => false,
    }
}

/// The HTTP message of a record: status, the headers that matter, the body.
struct Http<'a> {
    status: u16,
    content_type: String,
    chunked: bool,
    encoding: String,
    body: &'a [u8],
}

/// Splits an HTTP response message; `None` when it is not one.
fn http(block: &[u8]) -> Option<Http<'_>> {
    let (head_end, body_start) = match find(block, b"\r\n\r\n") {
        Some(at) => (at, at + 4),
        None => match find(block, b"\n\n") {
            Some(at) => (at, at + 2),
            None => (block.len(), block.len()),
        },
    };
    // A message with LF-only line ends ahead of a CRLF blank line in the payload.
    let (head_end, body_start) = match find(&block[..head_end], b"\n\n") {
        Some(at) => (at, at + 2),
        None => (head_end, body_start),
    };
    let head = String::from_utf8_lossy(&block[..head_end]);
    let mut lines = head.lines();
    let status_line = lines.next()?;
    let mut parts = status_line.split_ascii_whitespace();
    if !parts.next()?.starts_with("HTTP/") {
        return None;
    }
    let status: u16 = parts.next()?.parse().ok()?;
    let mut message = Http {
        status,
        content_type: String::new(),
        chunked: false,
        encoding: String::new(),
        body: &block[body_start..],
    };
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().to_ascii_lowercase();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => message.content_type = value,
            "transfer-encoding" => message.chunked = value.contains("chunked"),
            "content-encoding" => message.encoding = value,
            _ => {}
        }
    }
    Some(message)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// What kind of page a payload is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Page {
    Html,
    Text,
}

/// The page kind of a content type (`text/html; charset=utf-8`), `None` for one not read; a
/// missing content type is sniffed from the payload.
fn page_kind(content_type: &str, body: &[u8]) -> Option<Page> {
    let mime = content_type.split(';').next().unwrap_or_default().trim();
    match mime {
        "text/html" | "application/xhtml+xml" => Some(Page::Html),
        "text/plain" => Some(Page::Text),
        "" => {
            let head = String::from_utf8_lossy(&body[..body.len().min(256)]).to_ascii_lowercase();
            let head = head.trim_start();
            (head.starts_with("<!doctype html") || head.starts_with("<html")).then_some(Page::Html)
        }
        _ => None,
    }
}

/// The article of an HTTP response record: `Ok(None)` for a record that holds no article (not
/// 2xx, not a page, a page without text), an error for one that should have and could not.
fn article(rel_path: &str, header: &Header, block: &[u8]) -> Result<Option<Article>, String> {
    let Some(message) = http(block) else {
        return Err("not an HTTP response".into());
    };
    if !(200..300).contains(&message.status) {
        return Ok(None);
    }
    if header.target.ends_with("/robots.txt") {
        return Ok(None);
    }
    let body = payload(&message)?;
    let Some(kind) = page_kind(&message.content_type, &body) else {
        return Ok(None);
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    if decode::looks_binary(&body) {
        return Err("binary payload under a text content type".into());
    }
    let text = decode_page(&message.content_type, &body);
    let article = match kind {
        Page::Html => html::parse(&text, rel_path),
        Page::Text => text::parse(&text, rel_path),
    };
    Ok(article.map(|mut article| {
        article.id = ArticleId(header.target.clone());
        // Numbered as it joins the file's articles (`Out::push`).
        article.place = Place::record(0, None);
        article.url = Some(header.target.clone());
        article.published = article.published.or(header.date);
        article
    }))
}

/// The payload of a message with its transfer and content encodings undone, as far as they
/// apply: a body stored decoded under an encoding header is taken as it is.
fn payload(message: &Http) -> Result<Vec<u8>, String> {
    let mut body = std::borrow::Cow::Borrowed(message.body);
    if message.chunked
        && let Some(joined) = dechunk(&body)
    {
        body = std::borrow::Cow::Owned(joined);
    }
    let encoding = message.encoding.trim();
    let decoded = match encoding {
        "gzip" | "x-gzip" if body.starts_with(&decode::GZIP_MAGIC) => Some(inflate(
            flate2::read::MultiGzDecoder::new(&body[..]),
            "gzip",
        )?),
        "deflate" if looks_zlib(&body) => Some(inflate(
            flate2::read::ZlibDecoder::new(&body[..]),
            "deflate",
        )?),
        "deflate" if decode::looks_binary(&body) => Some(inflate(
            flate2::read::DeflateDecoder::new(&body[..]),
            "deflate",
        )?),
        "" | "identity" | "gzip" | "x-gzip" | "deflate" => None,
        other if decode::looks_binary(&body) => {
            return Err(format!("unsupported content encoding {other:?}"));
        }
        _ => None,
    };
    Ok(decoded.unwrap_or_else(|| body.into_owned()))
}

/// Whether bytes start with a zlib header (deflate, a window of at most 32 KiB, a valid check).
fn looks_zlib(bytes: &[u8]) -> bool {
    match bytes {
        [cmf, flg, ..] => cmf & 0x0f == 8 && (u16::from(*cmf) * 256 + u16::from(*flg)) % 31 == 0,
        _ => false,
    }
}

/// Everything `decoder` gives, at most [`MAX_RECORD_BYTES`].
fn inflate(decoder: impl Read, name: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    decoder
        .take(MAX_RECORD_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("invalid {name} payload ({e})"))?;
    if out.len() as u64 > MAX_RECORD_BYTES {
        return Err(format!(
            "payload over {MAX_RECORD_BYTES} bytes once decompressed; skipped"
        ));
    }
    Ok(out)
}

/// The chunks of a chunked body joined; `None` when the body does not start as chunks do (it
/// was stored decoded). A last chunk cut short keeps what there is.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let end = rest.iter().take(1024).position(|&b| b == b'\n')?;
        let line = std::str::from_utf8(&rest[..end]).ok()?;
        let size = line.split(';').next().unwrap_or_default().trim();
        if size.is_empty() || size.len() > 15 || !size.bytes().all(|b| b.is_ascii_hexdigit()) {
            return if out.is_empty() { None } else { Some(out) };
        }
        let size = usize::from_str_radix(size, 16).ok()?;
        rest = &rest[end + 1..];
        if size == 0 {
            return Some(out);
        }
        let take = size.min(rest.len());
        out.extend_from_slice(&rest[..take]);
        rest = &rest[take..];
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
        if rest.is_empty() {
            return Some(out);
        }
    }
}

/// The payload as text: a byte order mark, else the HTTP header's charset, else a
/// `<meta charset>` near the start, else UTF-8 falling back to Windows-1252.
fn decode_page(content_type: &str, body: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(body) {
        return encoding
            .decode_without_bom_handling(&body[bom..])
            .0
            .into_owned();
    }
    let declared = charset_of(content_type.as_bytes())
        .or_else(|| charset_of(&body[..body.len().min(2048)]))
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        // A page that says UTF-16 in ASCII is not UTF-16 (as browsers read it).
        .map(|e| e.output_encoding());
    match declared {
        Some(encoding) if encoding != encoding_rs::UTF_8 => {
            encoding.decode_without_bom_handling(body).0.into_owned()
        }
        _ => match std::str::from_utf8(body) {
            Ok(text) => text.to_string(),
            Err(_) if declared.is_some() => String::from_utf8_lossy(body).into_owned(),
            Err(_) => encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(body)
                .0
                .into_owned(),
        },
    }
}

/// The value after the first `charset=` in `bytes`, any case.
fn charset_of(bytes: &[u8]) -> Option<String> {
    let lower = bytes.to_ascii_lowercase();
    let at = find(&lower, b"charset=")? + b"charset=".len();
    let value: String = lower[at..]
        .iter()
        .skip_while(|&&b| b == b'"' || b == b'\'' || b == b' ')
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
        .map(|&b| char::from(b))
        .collect();
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = "/work/shared/archives/warc";

    fn read_fixture(rel: &str) -> Result<(Vec<Article>, Vec<String>), String> {
        let bytes = std::fs::read(format!("{FIXTURES}/{rel}")).expect("fixture");
        let mut articles = Vec::new();
        let summary = read(rel, bytes.as_slice(), |chunk| articles.extend(chunk))?;
        assert_eq!(summary.articles, articles.len() as u64);
        Ok((articles, summary.warnings))
    }

    /// (url, title, date) of each article. Page text is html.rs's to pin: these tests pin
    /// what the archive reader decides.
    fn summary(articles: &[Article]) -> Vec<(String, String, String)> {
        articles
            .iter()
            .map(|a| {
                (
                    a.url.clone().unwrap_or_default(),
                    a.title.clone(),
                    a.published.map(|t| t.to_string()).unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn fixtures_give_one_article_per_page_response() {
        let cases: [(&str, usize); 16] = [
            ("dolma/sample-0000.warc.gz", 22),
            ("dolma/sample-0001.warc.gz", 15),
            ("jwarc/cc.warc.gz", 1),
            ("resiliparse/clueweb-quirk.warc.gz", 29),
            ("resiliparse/warcfile.warc.gz", 16),
            (
                "ukwa/IAH-20080430204825-00000-blackbook-truncated.arc.gz",
                1,
            ),
            (
                "ukwa/IAH-20080430204825-00000-blackbook-truncated.warc.gz",
                1,
            ),
            ("warcio/example-digest.warc", 0),
            ("warcio/example-iana.org-chunked.warc", 1),
            ("warcio/example-resource.warc.gz", 0),
            ("warcio/example-wget-bad-target-uri.warc.gz", 1),
            ("warcio/example.arc", 1),
            ("warcio/example.arc.gz", 1),
            ("warcio/example.warc", 1),
            ("warcio/example.warc.gz", 1),
            ("warcio/post-test.warc.gz", 0),
        ];
        for (rel, want) in cases {
            let (articles, warnings) = read_fixture(rel).expect(rel);
            assert_eq!(articles.len(), want, "{rel}");
            assert_eq!(warnings, Vec::<String>::new(), "{rel}");
            for article in &articles {
                assert_eq!(article.path, rel);
                assert_eq!(Some(article.id.as_str()), article.url.as_deref());
            }
        }
    }

    #[test]
    fn a_wget_crawl_keeps_urls_titles_and_dates() {
        let (articles, _) = read_fixture("dolma/sample-0001.warc.gz").expect("read");
        let got = summary(&articles);
        assert_eq!(
            got[2].0,
            "https://creativecommons.org/2024/03/28/cc-joins-civil-society-letter-urging-u-s-to-support-openness-and-transparency-in-ai/"
        );
        assert!(
            got[2]
                .1
                .starts_with("CC Joins Civil Society Letter Urging U.S. to Support Openness"),
            "{}",
            got[2].1
        );
        // The page's own date, not the crawl's (2024-04-25).
        assert_eq!(got[2].2, "2024-03-28T21:37:08Z");
        assert!(
            articles[2].body.contains("civil society"),
            "{}",
            articles[2].body
        );
        // A page without a date of its own takes the record's.
        assert_eq!(got[4].0, "https://allenai.org/");
        assert_eq!(got[4].2, "2024-04-25T16:27:50Z");
        // The same page fetched three times is three records.
        let allenai = got.iter().filter(|a| a.0 == "https://allenai.org/").count();
        assert_eq!(allenai, 3);
    }

    #[test]
    fn common_crawl_payloads_stored_decoded_under_encoding_headers_are_read() {
        let (articles, _) = read_fixture("resiliparse/warcfile.warc.gz").expect("read");
        let got = summary(&articles);
        assert_eq!(got[1].0, "http://01spb.ru/company/");
        assert_eq!(got[1].2, "2020-08-08T18:31:12Z");
        // Windows-1251 or UTF-8, the Cyrillic reads as Cyrillic.
        assert!(got[1].1.contains("пожарной безопасности"), "{}", got[1].1);
        let (articles, _) = read_fixture("jwarc/cc.warc.gz").expect("read");
        assert_eq!(
            summary(&articles),
            [(
                "http://commoncrawl.org/".to_string(),
                "Common Crawl".to_string(),
                "2019-12-10T10:00:01Z".to_string(),
            )]
        );
    }

    #[test]
    fn chunked_bodies_arc_dates_and_bracketed_uris() {
        let (articles, _) = read_fixture("warcio/example-iana.org-chunked.warc").expect("read");
        assert_eq!(articles[0].title, "Internet Assigned Numbers Authority");
        // The one chunk's size line ("001c37") is not left in the text.
        assert!(
            articles[0].body.contains("Management of the DNS Root Zone"),
            "{}",
            articles[0].body
        );
        assert!(!articles[0].body.contains("001c37"), "{}", articles[0].body);
        for rel in ["warcio/example.arc", "warcio/example.arc.gz"] {
            let (articles, _) = read_fixture(rel).expect("read");
            assert_eq!(
                summary(&articles),
                [(
                    "http://example.com/".to_string(),
                    "Example Domain".to_string(),
                    "2014-02-16T05:02:21Z".to_string(),
                )]
            );
        }
        let (articles, _) =
            read_fixture("warcio/example-wget-bad-target-uri.warc.gz").expect("read");
        assert_eq!(articles[0].url.as_deref(), Some("http://example.com/"));
    }

    #[test]
    fn legacy_warcs_with_bad_dates_and_japanese_pages() {
        let (articles, _) = read_fixture("resiliparse/clueweb-quirk.warc.gz").expect("read");
        assert_eq!(
            articles[0].title,
            "ヘッドポーター 吉田カバン PORTER 限定品 取扱専門 通販店【e-brand】"
        );
        // "2008-10-294T.." is no date.
        assert!(articles.iter().all(|a| a.published.is_none()));
    }

    #[test]
    fn truncated_files_report_the_offset() {
        let (articles, warnings) = read_fixture("resiliparse/clipped.warc.gz").expect("read");
        assert!(articles.is_empty());
        assert_eq!(warnings, ["offset 0: truncated gzip member"]);
        let bytes = std::fs::read(format!("{FIXTURES}/resiliparse/clipped.warc.gz")).expect("x");
        let err = super::super::parse_bytes("clipped.warc.gz", &bytes).expect_err("nothing");
        assert_eq!(
            err.to_string(),
            "clipped.warc.gz: no article found (offset 0: truncated gzip member)"
        );
        let (articles, warnings) = read_fixture("warcio/example-trunc.warc").expect("read");
        assert!(articles.is_empty());
        assert_eq!(
            warnings,
            [
                "offset 1197: invalid gzip payload (unexpected end of file)",
                "offset 2560: not a WARC or ARC record header (\"\\0\\0\"); skipped to the next"
            ]
        );
    }

    const PAGE: &str = "<html><head><title>Quake hits the coast</title></head><body><article><p>A strong earthquake struck the coast on Monday.</p></article></body></html>";

    /// A WARC response record of `url` with the HTTP `headers` and `body`.
    fn response(url: &str, headers: &str, body: &[u8]) -> Vec<u8> {
        let mut block = format!("HTTP/1.1 200 OK\r\n{headers}\r\n").into_bytes();
        block.extend_from_slice(body);
        record(
            "response",
            url,
            "application/http; msgtype=response",
            &block,
        )
    }

    fn record(kind: &str, url: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2026-11-02T10:00:00Z\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).expect("write to memory");
        encoder.finish().expect("finish gzip in memory")
    }

    fn read_bytes(name: &str, bytes: &[u8]) -> (Vec<(String, String)>, Vec<String>) {
        let mut articles = Vec::new();
        let summary = read(name, bytes, |chunk| articles.extend(chunk)).expect("read");
        let got = articles
            .iter()
            .map(|a| (a.url.clone().unwrap_or_default(), a.title.clone()))
            .collect();
        (got, summary.warnings)
    }

    fn pair(url: &str) -> (String, String) {
        (url.to_string(), "Quake hits the coast".to_string())
    }

    #[test]
    fn encodings_are_undone_and_other_records_skipped() {
        let (head, tail) = PAGE.split_at(15);
        let chunked = format!(
            "{:x}\r\n{head}\r\n{:x}; ext=1\r\n{tail}\r\n0\r\n\r\n",
            head.len(),
            tail.len()
        );
        let chunked = chunked.as_bytes();
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut zlib, PAGE.as_bytes()).expect("zlib");
        let zlib = zlib.finish().expect("zlib");
        let latin = b"<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9 reopens</title></head><body><p>Text.</p></body></html>";
        let mut file = Vec::new();
        file.extend(record(
            "warcinfo",
            "",
            "application/warc-fields",
            b"software: x\r\n",
        ));
        file.extend(record(
            "request",
            "http://a/1",
            "application/http; msgtype=request",
            b"GET / HTTP/1.1\r\n\r\n",
        ));
        file.extend(response(
            "http://a/1",
            "Content-Type: text/html\r\n",
            PAGE.as_bytes(),
        ));
        file.extend(response(
            "http://a/2",
            "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
            chunked,
        ));
        file.extend(response(
            "http://a/3",
            "Content-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n",
            &gz(PAGE.as_bytes()),
        ));
        file.extend(response(
            "http://a/4",
            "Content-Type: text/html\r\nContent-Encoding: deflate\r\n",
            &zlib,
        ));
        file.extend(response("http://a/5", "Content-Type: text/html\r\n", latin));
        file.extend(response(
            "http://a/6",
            "Content-Type: image/png\r\n",
            b"\x89PNG\r\n",
        ));
        file.extend(response(
            "http://a/7",
            "Content-Type: application/json\r\n",
            b"{}",
        ));
        file.extend(record(
            "response",
            "http://a/8",
            "application/http; msgtype=response",
            format!("HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n{PAGE}").as_bytes(),
        ));
        file.extend(record(
            "revisit",
            "http://a/1",
            "application/http; msgtype=response",
            b"HTTP/1.1 200 OK\r\n\r\n",
        ));
        file.extend(record(
            "resource",
            "http://a/9",
            "text/html",
            PAGE.as_bytes(),
        ));
        file.extend(record(
            "response",
            "dns:a",
            "text/dns",
            b"a. 60 IN A 1.2.3.4\n",
        ));
        let want = vec![
            pair("http://a/1"),
            pair("http://a/2"),
            pair("http://a/3"),
            pair("http://a/4"),
            ("http://a/5".to_string(), "Café reopens".to_string()),
        ];
        assert_eq!(read_bytes("x.warc", &file), (want.clone(), vec![]));
        // One gzip member a record, as crawlers write them; and the whole file one stream.
        let mut members = Vec::new();
        let mut at = 0;
        while let Some(next) = find(&file[at + 1..], b"WARC/1.1").map(|n| n + at + 1) {
            members.extend(gz(&file[at..next]));
            at = next;
        }
        members.extend(gz(&file[at..]));
        assert_eq!(read_bytes("x.warc.gz", &members), (want.clone(), vec![]));
        assert_eq!(read_bytes("x.warc.gz", &gz(&file)), (want, vec![]));
    }

    #[test]
    fn bad_records_and_members_cost_nothing_else() {
        let good = response("http://a/1", "Content-Type: text/html\r\n", PAGE.as_bytes());
        let mut file = Vec::new();
        file.extend(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: many\r\n\r\nxx\r\n\r\n");
        file.extend(&good);
        let third = file.len();
        file.extend(b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://big/\r\nContent-Length: 1073741824\r\n\r\nHTTP/1.1 200 OK\r\n\r\n");
        file.extend(response(
            "http://a/2",
            "Content-Type: text/html\r\n",
            PAGE.as_bytes(),
        ));
        let (got, warnings) = read_bytes("x.warc", &file);
        assert_eq!(got, [pair("http://a/1"), pair("http://a/2")]);
        assert_eq!(
            warnings,
            [
                "offset 0: invalid Content-Length; skipped to the next".to_string(),
                format!(
                    "offset {third}: record of 1073741824 bytes, over the 16777216-byte limit; skipped"
                ),
            ]
        );

        // Per-record gzip: a corrupt member, a truncated one, garbage between members.
        let mut members = gz(&good);
        let junk_at = members.len();
        members.extend(b"junk");
        let corrupt_at = members.len();
        let mut corrupt = gz(&good);
        corrupt[20] ^= 0xff;
        corrupt[21] ^= 0xff;
        members.extend(&corrupt);
        members.extend(gz(&response(
            "http://a/2",
            "Content-Type: text/html\r\n",
            PAGE.as_bytes(),
        )));
        let cut_at = members.len();
        let cut = gz(&response(
            "http://a/3",
            "Content-Type: text/html\r\n",
            PAGE.as_bytes(),
        ));
        members.extend(&cut[..cut.len() / 2]);
        let (got, warnings) = read_bytes("x.warc.gz", &members);
        assert_eq!(got, [pair("http://a/1"), pair("http://a/2")]);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert_eq!(
            warnings[0],
            format!("offset {junk_at}: not a gzip member; skipped to the next at {corrupt_at}")
        );
        assert_eq!(
            warnings[1],
            format!("offset {corrupt_at}: invalid gzip member (corrupt deflate stream)")
        );
        assert_eq!(
            warnings[2],
            format!("offset {cut_at}: truncated gzip member")
        );
    }

    #[test]
    fn a_gzip_bomb_is_stopped() {
        // A record claiming 200 MiB of zeros in one small member, then a good record.
        let mut block = b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: http://bomb/\r\nContent-Length: 209715200\r\n\r\n".to_vec();
        block.resize(block.len() + 200 * 1024 * 1024, 0);
        let bomb = gz(&block);
        drop(block);
        assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
        let mut file = bomb.clone();
        file.extend(gz(&response(
            "http://a/1",
            "Content-Type: text/html\r\n",
            PAGE.as_bytes(),
        )));
        let (got, warnings) = read_bytes("x.warc.gz", &file);
        assert_eq!(got, [pair("http://a/1")]);
        assert_eq!(
            warnings,
            [
                "offset 0: record of 209715200 bytes, over the 16777216-byte limit; skipped",
                "offset 0: gzip member expands over 100 times (a decompression bomb); skipped"
            ]
        );
        // A payload bomb inside a record of reasonable size.
        let zeros = gz(&vec![0u8; 64 * 1024 * 1024]);
        let file = response(
            "http://a/1",
            "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
            &zeros,
        );
        let (got, warnings) = read_bytes("x.warc", &file);
        assert!(got.is_empty());
        assert_eq!(
            warnings,
            ["offset 0: payload over 16777216 bytes once decompressed; skipped"]
        );
    }

    #[test]
    fn articles_come_in_bounded_chunks_with_stable_ids() {
        let mut file = Vec::new();
        for i in 0..600 {
            file.extend(response(
                &format!("http://a/{i}"),
                "Content-Type: text/html\r\n",
                PAGE.as_bytes(),
            ));
        }
        let mut chunks = Vec::new();
        let mut ids = Vec::new();
        let mut places = Vec::new();
        let summary = read("x.warc", file.as_slice(), |chunk| {
            chunks.push(chunk.len());
            places.extend(chunk.iter().map(|a| a.place));
            ids.extend(chunk.into_iter().map(|a| a.id.0));
        })
        .expect("read");
        assert_eq!(summary.articles, 600);
        assert_eq!(chunks, [256, 256, 88]);
        assert_eq!(ids[599], "http://a/599");
        // Numbered across chunks, in file order.
        assert_eq!(places[257], Place::record(257, None));
        assert_eq!(places[599], Place::record(599, None));
    }

    #[test]
    fn not_a_web_archive() {
        assert_eq!(
            read("x.warc", &b"hello\nworld\n"[..], |_| {}).map(|_| ()),
            Err("not a web archive (offset 0: not a WARC or ARC record header (\"hello\"); skipped to the next)".to_string())
        );
        assert_eq!(
            read("x.warc", &b""[..], |_| {}).map(|_| ()),
            Err("empty file".to_string())
        );
        assert_eq!(
            read("x.warc.gz", &b"WARC/1.0"[..], |_| {}).map(|_| ()),
            Err("invalid gzip data: not a gzip stream".to_string())
        );
        assert!(sniff(b"WARC/1.0\r\n"));
        assert!(sniff(&gz(
            b"filedesc://x.arc 0.0.0.0 20080430204825 text/plain 75\n"
        )));
        assert!(!sniff(b"<html>"));
        for (name, want) in [
            ("a.warc", true),
            ("a.WARC.gz", true),
            ("b/a.arc.gz", true),
            ("a.arc", true),
            ("a.warcx", false),
            ("warc", false),
        ] {
            assert_eq!(is_web_archive(name), want, "{name}");
        }
    }

    #[test]
    fn no_input_panics() {
        let good = response(
            "http://a/1",
            "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
            PAGE.as_bytes(),
        );
        let arc = std::fs::read(format!("{FIXTURES}/warcio/example.arc")).expect("arc");
        for sample in [good.clone(), gz(&good), arc] {
            for cut in 0..sample.len() {
                for name in ["x.warc", "x.warc.gz", "x.arc"] {
                    let _ = read(name, &sample[..cut], |_| {});
                }
            }
        }
    }
}
