//! From bytes on disk to text: bounded reads, gunzip, UTF-8 or Windows-1252, BOMs and CRLF.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The first two bytes of every gzip stream.
pub(crate) const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// How many leading bytes are inspected to tell text from binary.
pub(crate) const SNIFF_BYTES: usize = 8192;

/// The reason given for a file over `limit`.
pub(crate) fn too_large(limit: u64) -> String {
    format!("file too large (over {limit} bytes)")
}

/// Reads at most `limit` bytes of the file at `path`; a longer file is refused. Memory stays
/// bounded even when the file grows while it is read. Only a regular file is read: a named
/// pipe or a device put there after the walk is refused, never waited on.
pub(crate) fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = open_regular(path)?;
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    if len > limit {
        return Err(too_large(limit));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

/// Opens `path` for reading if it is a regular file (following links). The file is opened
/// without blocking, as opening a named pipe would wait for a writer, then checked.
pub(crate) fn open_regular(path: &Path) -> Result<File, String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| e.to_string())?;
    let kind = file.metadata().map_err(|e| e.to_string())?.file_type();
    if !kind.is_file() {
        return Err(super::walk::not_a_file(kind));
    }
    Ok(file)
}

/// Decompresses a gzip stream (all members), refusing output over `limit` bytes.
pub(crate) fn gunzip(bytes: &[u8], limit: u64) -> Result<Vec<u8>, String> {
    if !bytes.starts_with(&GZIP_MAGIC) {
        return Err("invalid gzip data: not a gzip stream".into());
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| format!("invalid gzip data: {e}"))?;
    if u64::try_from(out.len()).unwrap_or(u64::MAX) > limit {
        return Err(format!(
            "file too large (over {limit} bytes after decompression)"
        ));
    }
    Ok(out)
}

/// Decodes file contents to text with `\n` line ends: a UTF-16 BOM is honoured, a UTF-8 BOM
/// removed; then UTF-8, falling back to Windows-1252 when the bytes are not valid UTF-8.
/// NUL bytes or many control characters near the start mean a binary file, an error.
pub(crate) fn decode_text(bytes: &[u8]) -> Result<String, String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, bom_len)) => {
            let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
            text.into_owned()
        }
        None => {
            if looks_binary(bytes) {
                return Err("binary file (not text)".into());
            }
            match std::str::from_utf8(bytes) {
                Ok(text) => text.to_string(),
                Err(_) => {
                    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
                    text.into_owned()
                }
            }
        }
    };
    if text.contains('\0') {
        return Err("binary file (not text)".into());
    }
    Ok(normalise_newlines(&text))
}

/// True when the start of `bytes` holds a NUL or more than 10% control characters other than
/// tab, newline, carriage return and form feed.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    controls * 10 > head.len()
}

/// CRLF and lone CR become LF.
fn normalise_newlines(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_text_encodings() {
        let cases: [(&[u8], &str); 8] = [
            (b"plain", "plain"),
            ("café".as_bytes(), "café"),
            (b"\xef\xbb\xbfcaf\xc3\xa9", "café"),
            (b"caf\xe9", "café"),
            (
                b"\x93quoted\x94 \x96 dash",
                "\u{201c}quoted\u{201d} \u{2013} dash",
            ),
            (b"a\r\nb\rc\n", "a\nb\nc\n"),
            (b"\xff\xfea\0b\0", "ab"),
            (b"\xfe\xff\0a\0b", "ab"),
        ];
        for (bytes, want) in cases {
            assert_eq!(decode_text(bytes).as_deref(), Ok(want), "bytes {bytes:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_without_waiting() {
        let dir = tempfile::tempdir().expect("temp dir");
        let pipe = dir.path().join("pipe.txt");
        let status = std::process::Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .expect("run mkfifo");
        assert!(status.success());
        assert_eq!(
            read_limited(&pipe, 100),
            Err("skipped: not a regular file (a named pipe)".to_string())
        );
        assert_eq!(
            read_limited(Path::new("/dev/zero"), 100),
            Err("skipped: not a regular file (a device)".to_string())
        );
    }

    #[test]
    fn binary_is_refused() {
        for bytes in [
            &b"abc\0def"[..],
            b"\x01\x02\x03\x04\x05abc",
            b"\xff\xfea\0\0\0",
        ] {
            assert_eq!(
                decode_text(bytes),
                Err("binary file (not text)".to_string()),
                "bytes {bytes:?}"
            );
        }
    }
}
