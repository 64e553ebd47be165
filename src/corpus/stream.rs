//! JSON Lines files read a chunk of records at a time, so that a file of ten million tiny
//! records costs the memory of one chunk, not of ten million articles.
//!
//! Two passes over the bytes: [`scan_lines`] checks what [`super::parse_bytes`] checks before
//! parsing (size, gzip, binary content) and which encoding the whole file has (UTF-8, or
//! Windows-1252 when any byte is not UTF-8), and hashes the bytes; [`read_lines`] then parses the
//! lines and hands their articles over in chunks. The articles, ids, warnings and errors are
//! those [`super::parse_bytes`] gives for the same bytes.
//!
//! Web archives (WARC and ARC, see [`super::warc`]) go the same two passes: the first only
//! hashes the bytes, the second reads the records; neither has a size limit.

use std::io::{BufRead, BufReader, Cursor, Read};

use super::{FileError, Format, Parsed, SourceFile, decode, json, warc};
use crate::article::{Article, Fnv1a};

/// Articles handed over at once at most.
const CHUNK_ARTICLES: usize = 4096;

/// Bytes of lines whose articles are handed over at once at most (a longer line still makes a
/// chunk of its own).
const CHUNK_BYTES: usize = 8 * 1024 * 1024;

/// The bytes of the read buffer between the file (or the gzip decoder) and the lines.
const BUFFER_BYTES: usize = 64 * 1024;

/// The UTF-8 byte order mark, dropped from the start of a file.
const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// Whether `newsdex index` reads the file at `rel_path` in chunks: JSON Lines and web archives
/// by their extension (`.jsonl`, `.ndjson`, `.warc`, `.arc`, gzipped or not).
pub fn is_streamed(rel_path: &str) -> bool {
    matches!(
        Format::from_path(rel_path),
        Some(Format::Jsonl | Format::Warc)
    )
}

/// What the first pass found: the file can be read in chunks, in this encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scan {
    /// 64-bit FNV-1a of the bytes as stored (before gunzip), as the index fingerprints them.
    pub hash: u64,
    gzip: bool,
    utf8: bool,
}

/// What the second pass read, besides the articles handed over.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Streamed {
    /// Articles handed over.
    pub articles: u64,
    /// Problems with single records, as in [`super::Parsed::warnings`].
    pub warnings: Vec<String>,
}

/// Opens the regular file `file` (refusing one over [`super::MAX_FILE_BYTES`], but for a web
/// archive) for a pass.
pub fn open(file: &SourceFile) -> Result<std::fs::File, FileError> {
    let fail = |reason: String| FileError::new(file.rel_path.clone(), reason);
    let opened = decode::open_regular(&file.full_path).map_err(fail)?;
    if warc::is_web_archive(&file.rel_path) {
        return Ok(opened);
    }
    let len = opened.metadata().map_err(|e| fail(e.to_string()))?.len();
    if len > super::MAX_FILE_BYTES {
        return Err(fail(decode::too_large(super::MAX_FILE_BYTES)));
    }
    Ok(opened)
}

/// The first pass over the bytes `raw` of the JSON Lines file `rel_path`: the file error
/// [`super::parse_bytes`] would give before parsing, if any; `None` when the text starts with a
/// UTF-16 (or a second UTF-8) byte order mark, a file to read whole instead.
pub fn scan_lines(rel_path: &str, raw: impl Read) -> Result<Option<Scan>, FileError> {
    if warc::is_web_archive(rel_path) {
        return scan_archive(rel_path, raw).map(Some);
    }
    scan_limited(rel_path, raw, super::MAX_FILE_BYTES)
}

/// The second pass: parses the lines of `raw`, the same bytes [`scan_lines`] saw, and calls
/// `each` with their articles in file order, a chunk at a time. On an error (the file held no
/// article, or changed since the scan) `each` may have been called already: the caller drops
/// what it was given.
pub fn read_lines(
    rel_path: &str,
    raw: impl Read,
    scan: &Scan,
    each: impl FnMut(Vec<Article>),
) -> Result<Streamed, FileError> {
    if warc::is_web_archive(rel_path) {
        return read_archive(rel_path, raw, scan, each);
    }
    read_limited(
        rel_path,
        raw,
        scan,
        super::MAX_FILE_BYTES,
        CHUNK_ARTICLES,
        each,
    )
}

/// The first pass over a web archive: its hash.
fn scan_archive(rel_path: &str, raw: impl Read) -> Result<Scan, FileError> {
    let fail = |reason: String| FileError::new(rel_path, reason);
    let mut counted = Counted {
        inner: raw,
        hash: Fnv1a::new(),
        bytes: 0,
    };
    std::io::copy(&mut counted, &mut std::io::sink()).map_err(|e| fail(e.to_string()))?;
    if counted.bytes == 0 {
        return Err(fail("empty file".into()));
    }
    Ok(Scan {
        hash: counted.hash.finish(),
        gzip: false,
        utf8: true,
    })
}

/// The second pass over a web archive: its records, read as [`super::parse_bytes`] reads them.
fn read_archive(
    rel_path: &str,
    raw: impl Read,
    scan: &Scan,
    each: impl FnMut(Vec<Article>),
) -> Result<Streamed, FileError> {
    let fail = |reason: String| FileError::new(rel_path, reason);
    let mut counted = Counted {
        inner: raw,
        hash: Fnv1a::new(),
        bytes: 0,
    };
    let read = warc::read(rel_path, &mut counted, each).map_err(fail)?;
    // Whatever the reader left (nothing, but for a file still being written) is hashed too.
    std::io::copy(&mut counted, &mut std::io::sink()).map_err(|e| fail(e.to_string()))?;
    if counted.hash.finish() != scan.hash {
        return Err(fail("file changed while being read".into()));
    }
    if read.articles == 0 {
        return Err(fail(super::no_article(&read.warnings)));
    }
    Ok(Streamed {
        articles: read.articles,
        warnings: read.warnings,
    })
}

/// [`scan_lines`] with the size limit as a parameter.
fn scan_limited(rel_path: &str, raw: impl Read, limit: u64) -> Result<Option<Scan>, FileError> {
    let mut first = true;
    let mut other_bom = false;
    let mut head: Vec<u8> = Vec::new();
    let mut nul = false;
    let mut utf8 = true;
    let pass = each_line(rel_path, raw, limit, |mut line| {
        if std::mem::take(&mut first) {
            line = line.strip_prefix(UTF8_BOM).unwrap_or(line);
            if encoding_rs::Encoding::for_bom(line).is_some() {
                other_bom = true;
                return Err(String::new());
            }
        }
        if head.len() < decode::SNIFF_BYTES {
            let room = decode::SNIFF_BYTES - head.len();
            head.extend_from_slice(&line[..line.len().min(room)]);
        }
        nul |= line.contains(&0);
        utf8 = utf8 && std::str::from_utf8(line).is_ok();
        Ok(())
    });
    let fail = |reason: String| FileError::new(rel_path, reason);
    if pass.raw_bytes > limit {
        return Err(fail(decode::too_large(limit)));
    }
    if other_bom {
        return Ok(None);
    }
    if let Some(reason) = pass.error {
        return Err(fail(reason));
    }
    if nul || decode::looks_binary(&head) {
        return Err(fail("binary file (not text)".into()));
    }
    Ok(Some(Scan {
        hash: pass.hash,
        gzip: pass.gzip,
        utf8,
    }))
}

/// [`read_lines`] with the size limit and the articles of a chunk as parameters.
fn read_limited(
    rel_path: &str,
    raw: impl Read,
    scan: &Scan,
    limit: u64,
    chunk_articles: usize,
    mut each: impl FnMut(Vec<Article>),
) -> Result<Streamed, FileError> {
    const CHANGED: &str = "file changed while being read";
    let mut parsed = Parsed::default();
    let mut first = true;
    let mut i = 0usize;
    let mut chunk_bytes = 0usize;
    let mut articles = 0u64;
    let mut text = false;
    let pass = each_line(rel_path, raw, limit, |mut line| {
        if std::mem::take(&mut first) {
            line = line.strip_prefix(UTF8_BOM).unwrap_or(line);
        }
        // The lines as `str::lines` splits the text once `\r\n` and a lone `\r` became `\n`.
        let line = match line.strip_suffix(b"\n") {
            Some(line) => line.strip_suffix(b"\r").unwrap_or(line),
            None => line,
        };
        let decoded = if scan.utf8 {
            std::borrow::Cow::Borrowed(std::str::from_utf8(line).map_err(|_| CHANGED.to_string())?)
        } else {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(line)
                .0
        };
        for part in decoded.split('\r') {
            text |= !part.trim().is_empty();
            json::parse_line(&mut parsed, part, i, rel_path);
            i += 1;
        }
        chunk_bytes += line.len();
        if parsed.articles.len() >= chunk_articles || chunk_bytes >= CHUNK_BYTES {
            articles += parsed.articles.len() as u64;
            each(std::mem::take(&mut parsed.articles));
            chunk_bytes = 0;
        }
        Ok(())
    });
    if !parsed.articles.is_empty() {
        articles += parsed.articles.len() as u64;
        each(std::mem::take(&mut parsed.articles));
    }
    let fail = |reason: String| FileError::new(rel_path, reason);
    if pass.raw_bytes > limit {
        return Err(fail(decode::too_large(limit)));
    }
    if let Some(reason) = pass.error {
        return Err(fail(reason));
    }
    if pass.hash != scan.hash || pass.gzip != scan.gzip {
        return Err(fail(CHANGED.into()));
    }
    if !text {
        return Err(fail("empty file".into()));
    }
    parsed.close_warnings();
    if articles == 0 {
        return Err(fail(super::no_article(&parsed.warnings)));
    }
    Ok(Streamed {
        articles,
        warnings: parsed.warnings,
    })
}

/// Hashes and counts the bytes read through it.
struct Counted<R> {
    inner: R,
    hash: Fnv1a,
    bytes: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.write(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

/// One pass over the bytes of a file.
struct Pass {
    /// FNV-1a of the bytes read (all of them, unless reading stopped early).
    hash: u64,
    /// Bytes read, up to one past the limit.
    raw_bytes: u64,
    /// Whether the bytes were a gzip stream.
    gzip: bool,
    /// Why reading stopped early: the reason from `line`, or the file error of a bad gzip
    /// stream, one too large once gunzipped, or an empty file.
    error: Option<String>,
}

/// Calls `line` with each line of the text in `raw` (gunzipped when the name ends in `.gz` or
/// the bytes start as gzip does), each line with its `\n` but the last; stops at the first error.
fn each_line(
    rel_path: &str,
    raw: impl Read,
    limit: u64,
    mut line: impl FnMut(&[u8]) -> Result<(), String>,
) -> Pass {
    let mut counted = Counted {
        inner: raw.take(limit.saturating_add(1)),
        hash: Fnv1a::new(),
        bytes: 0,
    };
    let mut gzip = false;
    let error = lines_of(rel_path, &mut counted, limit, &mut gzip, &mut line).err();
    if error.is_none() {
        // Whatever follows the end of the text (nothing, but for a file still being written)
        // is hashed too.
        let _ = std::io::copy(&mut counted, &mut std::io::sink());
    }
    Pass {
        hash: counted.hash.finish(),
        raw_bytes: counted.bytes,
        gzip,
        error,
    }
}

/// The loop of [`each_line`].
fn lines_of(
    rel_path: &str,
    raw: &mut impl Read,
    limit: u64,
    gzip: &mut bool,
    line: &mut impl FnMut(&[u8]) -> Result<(), String>,
) -> Result<(), String> {
    let mut magic = Vec::with_capacity(2);
    raw.take(2)
        .read_to_end(&mut magic)
        .map_err(|e| e.to_string())?;
    if magic.is_empty() {
        return Err("empty file".into());
    }
    let named = rel_path
        .rsplit('/')
        .next()
        .and_then(super::strip_gz)
        .is_some();
    let is_gzip = magic.starts_with(&decode::GZIP_MAGIC);
    *gzip = named || is_gzip;
    if *gzip && !is_gzip {
        return Err("invalid gzip data: not a gzip stream".into());
    }
    let source = Cursor::new(magic).chain(raw);
    let text: Box<dyn Read + '_> = if *gzip {
        Box::new(flate2::read::MultiGzDecoder::new(source))
    } else {
        Box::new(source)
    };
    let mut reader = BufReader::with_capacity(BUFFER_BYTES, text.take(limit.saturating_add(1)));
    let mut buf = Vec::new();
    let mut total = 0u64;
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).map_err(|e| {
            if *gzip {
                format!("invalid gzip data: {e}")
            } else {
                e.to_string()
            }
        })?;
        if n == 0 {
            return Ok(());
        }
        total += n as u64;
        if total > limit {
            return Err(format!(
                "file too large (over {limit} bytes after decompression)"
            ));
        }
        line(&buf)?;
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    type Read = Result<(Vec<Article>, Vec<String>), String>;

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).expect("write to memory");
        encoder.finish().expect("finish gzip in memory")
    }

    /// The file read whole, as every other format is.
    fn whole(name: &str, bytes: &[u8], limit: u64) -> Read {
        super::super::parse_bytes_limited(name, bytes, limit)
            .map(|parsed| (parsed.articles, parsed.warnings))
            .map_err(|error| error.reason)
    }

    /// The file read in chunks of at most `chunk` articles; `None` when left to [`whole`].
    fn streamed(name: &str, bytes: &[u8], limit: u64, chunk: usize) -> Option<Read> {
        let scan = match scan_limited(name, bytes, limit) {
            Ok(None) => return None,
            Ok(Some(scan)) => scan,
            Err(error) => return Some(Err(error.reason)),
        };
        let mut articles = Vec::new();
        let read = read_limited(name, bytes, &scan, limit, chunk, |got| {
            assert!(
                !got.is_empty() && got.len() <= chunk,
                "chunk of {}",
                got.len()
            );
            articles.extend(got);
        });
        Some(match read {
            Ok(read) => {
                assert_eq!(read.articles, articles.len() as u64);
                Ok((articles, read.warnings))
            }
            Err(error) => Err(error.reason),
        })
    }

    #[test]
    fn chunks_read_as_the_whole_file() {
        let mut many_bad = String::from("{\"title\": \"Good\"}\n");
        for _ in 0..150 {
            many_bad.push_str("{oops\n");
        }
        let many_good: String = (0..10)
            .map(|i| format!("{{\"title\": \"T{i}\", \"body\": \"B{i}\"}}\n"))
            .collect();
        let cases: [&[u8]; 16] = [
            b"{\"id\": 1, \"title\": \"One\"}\n{\"id\": 2, \"text\": \"Two\"}\n",
            b"{\"title\": \"No newline at the end\"}",
            b"\n\n{\"title\": \"After blanks\"}\n\n\n{\"title\": \"Later\"}\n",
            b"{\"title\": \"A\"}\r\n{\"title\": \"B\"}\r\n",
            b"{\"title\": \"A\"}\r{\"title\": \"B\"}\r\r{oops\r\r\n{\"title\": \"C\"}\r",
            b"\xef\xbb\xbf{\"title\": \"After a BOM\"}\n{\"title\": \"x\"}\n",
            b"{\"title\": \"Caf\xe9\"}\n{\"title\": \"caf\xc3\xa9\"}\n",
            "{\"title\": \"Café 日本\"}\n".as_bytes(),
            many_bad.as_bytes(),
            many_good.as_bytes(),
            b"",
            b"  \n \r\n\t\n",
            b"\xef\xbb\xbf",
            b"{oops\n[1]\n",
            b"{\"title\": \"a\0b\"}\n",
            b"\x01\x02\x03\x04\x05\x06{\"title\": \"x\"}",
        ];
        for bytes in cases {
            for name in ["f.jsonl", "dir/f.ndjson"] {
                let got = streamed(name, bytes, 1 << 20, 3).expect("streamed");
                assert_eq!(got, whole(name, bytes, 1 << 20), "bytes {bytes:?}");
            }
            let packed = gz(bytes);
            for name in ["f.jsonl.gz", "f.jsonl"] {
                let got = streamed(name, &packed, 1 << 20, 3).expect("streamed");
                assert_eq!(got, whole(name, &packed, 1 << 20), "gzipped {bytes:?}");
            }
        }
    }

    #[test]
    fn ids_and_chunks_of_a_large_file() {
        let text = "{\"title\":\"t\"}\n".repeat(10_000);
        let scan = scan_lines("f.jsonl", text.as_bytes())
            .expect("valid")
            .expect("streamable");
        assert_eq!(
            scan.hash,
            crate::index::fingerprint::content_hash(text.as_bytes())
        );
        let mut chunks = Vec::new();
        let mut last = None;
        let read = read_lines("f.jsonl", text.as_bytes(), &scan, |articles| {
            chunks.push(articles.len());
            last = articles.last().map(|a| a.id.clone());
        })
        .expect("read");
        assert_eq!(read.articles, 10_000);
        assert_eq!(chunks, [4096, 4096, 1808]);
        assert_eq!(
            last,
            Some(crate::article::ArticleId::derived("f.jsonl", 9_999))
        );
    }

    #[test]
    fn bad_files_give_the_errors_of_the_whole_file() {
        let mut truncated = gz(b"{\"title\": \"t\"}\n{\"title\": \"u\"}\n");
        truncated.truncate(truncated.len() / 2);
        let cases: [(&str, &[u8], &str); 5] = [
            ("f.jsonl", &[b'{'; 100], "file too large (over 50 bytes)"),
            (
                "f.jsonl.gz",
                b"not gzip",
                "invalid gzip data: not a gzip stream",
            ),
            ("f.jsonl.gz", &truncated, "invalid gzip data: "),
            (
                "f.jsonl.gz",
                &gz(&[b'\n'; 100]),
                "file too large (over 50 bytes after decompression)",
            ),
            (
                "f.jsonl",
                b"{\"title\": \n{oops\n",
                "no article found (line 1: ",
            ),
        ];
        for (name, bytes, reason) in cases {
            let Some(Err(got)) = streamed(name, bytes, 50, 3) else {
                panic!("{name}: {bytes:?} read");
            };
            assert!(got.starts_with(reason), "{got}");
            assert_eq!(Err(got), whole(name, bytes, 50));
        }
    }

    #[test]
    fn utf16_files_are_left_to_the_whole_reader() {
        let bytes = b"\xff\xfe{\0\"\0t\0i\0t\0l\0e\0\"\0:\0\"\0x\0\"\0}\0";
        assert_eq!(streamed("f.jsonl", bytes, 1 << 20, 3), None);
        assert_eq!(
            streamed("f.jsonl", b"\xef\xbb\xbf\xef\xbb\xbf{}", 1 << 20, 3),
            None
        );
        let (articles, _) = whole("f.jsonl", bytes, 1 << 20).expect("read whole");
        assert_eq!(articles[0].title, "x");
    }

    #[test]
    fn a_file_changed_between_the_passes_is_an_error() {
        let before = b"{\"title\": \"t\"}\n";
        let scan = scan_lines("f.jsonl", &before[..])
            .expect("valid")
            .expect("streamable");
        let mut given = 0;
        let err = read_lines("f.jsonl", &b"{\"title\": \"u\"}\n"[..], &scan, |articles| {
            given += articles.len();
        })
        .expect_err("changed");
        assert_eq!(err.reason, "file changed while being read");
        assert_eq!(given, 1);
        let err = read_lines("f.jsonl", &b"{\"title\": \"\xe9\"}\n"[..], &scan, |_| {})
            .expect_err("changed to Windows-1252");
        assert_eq!(err.reason, "file changed while being read");
    }

    #[test]
    fn jsonl_and_web_archives_are_streamed() {
        let cases = [
            ("a.jsonl", true),
            ("a.warc.gz", true),
            ("d/a.ARC", true),
            ("a.xml", false),
            ("d/a.ndjson", true),
            ("a.JSONL.gz", true),
            ("a.json", false),
            ("a.csv.gz", false),
            ("jsonl", false),
        ];
        for (path, want) in cases {
            assert_eq!(is_streamed(path), want, "{path}");
        }
    }

    #[test]
    fn a_web_archive_streams_as_it_reads_whole() {
        let path = "/work/shared/archives/warc/warcio/example.warc.gz";
        let bytes = std::fs::read(path).expect("fixture");
        let scan = scan_lines("x.warc.gz", bytes.as_slice())
            .expect("valid")
            .expect("streamable");
        assert_eq!(scan.hash, crate::index::fingerprint::content_hash(&bytes));
        let mut articles = Vec::new();
        let read = read_lines("x.warc.gz", bytes.as_slice(), &scan, |chunk| {
            articles.extend(chunk)
        })
        .expect("read");
        assert_eq!(read.articles, 1);
        let whole = super::super::parse_bytes("x.warc.gz", &bytes).expect("whole");
        assert_eq!(articles, whole.articles);
        let err =
            read_lines("x.warc.gz", &bytes[..bytes.len() - 1], &scan, |_| {}).expect_err("changed");
        assert_eq!(err.reason, "file changed while being read");
    }
}
