//! File fingerprints: what a reindex compares to tell an unchanged file from a changed one.
//!
//! A fingerprint is `size:mtime_ns:hash`, the hash being a 64-bit FNV-1a of the file's bytes as
//! stored on disk. Size and modification time come from the walk and cost nothing; when both
//! match the stored ones the file is taken as unchanged without reading it. When they differ the
//! file is read anyway (to parse it), and the hash tells a real edit from a touched or copied-back
//! file with the same bytes, whose articles are then kept as they were.
//!
//! An edit that keeps both the size and the modification time (to the nanosecond) is not seen:
//! only `newsdex index --full` picks it up. Fingerprints written before the hash existed
//! (`size:mtime_ns`) still compare by size and time.

use crate::article::Fnv1a;
use crate::corpus::SourceFile;

/// A file's size, modification time and, when known, content hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i128,
    /// FNV-1a hash of the bytes on disk.
    pub hash: Option<u64>,
}

impl Fingerprint {
    /// The fingerprint of a walked file whose bytes hash to `hash`.
    pub fn of(file: &SourceFile, hash: Option<u64>) -> Fingerprint {
        Fingerprint {
            size: file.size,
            mtime_ns: file.mtime_ns,
            hash,
        }
    }

    /// Reads a stored fingerprint (`size:mtime_ns` or `size:mtime_ns:hash`).
    pub fn parse(text: &str) -> Option<Fingerprint> {
        let mut parts = text.split(':');
        let size = parts.next()?.parse().ok()?;
        let mtime_ns = parts.next()?.parse().ok()?;
        let hash = match parts.next() {
            Some(hex) => Some(u64::from_str_radix(hex, 16).ok()?),
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Fingerprint {
            size,
            mtime_ns,
            hash,
        })
    }

    /// Whether the walked file has this size and modification time.
    pub fn same_stat(&self, file: &SourceFile) -> bool {
        self.size == file.size && self.mtime_ns == file.mtime_ns
    }
}

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.size, self.mtime_ns)?;
        if let Some(hash) = self.hash {
            write!(f, ":{hash:016x}")?;
        }
        Ok(())
    }
}

/// 64-bit FNV-1a of `bytes`: stable across platforms and releases (unlike `DefaultHasher`).
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut hash = Fnv1a::new();
    hash.write(bytes);
    hash.finish()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn file(size: u64, mtime_ns: i128) -> SourceFile {
        SourceFile {
            full_path: PathBuf::from("/x/a.txt"),
            rel_path: "a.txt".into(),
            size,
            mtime_ns,
        }
    }

    #[test]
    fn fingerprints_round_trip_through_text() {
        let table = [
            (
                Fingerprint::of(&file(12, 34), Some(0xab)),
                "12:34:00000000000000ab",
            ),
            (Fingerprint::of(&file(0, -5), None), "0:-5"),
        ];
        for (fingerprint, text) in table {
            assert_eq!(fingerprint.to_string(), text);
            assert_eq!(Fingerprint::parse(text), Some(fingerprint));
        }
    }

    #[test]
    fn malformed_fingerprints_are_refused() {
        for text in ["", "12", "a:1", "1:2:zz", "1:2:3:4"] {
            assert_eq!(Fingerprint::parse(text), None, "{text}");
        }
    }

    #[test]
    fn same_stat_compares_size_and_time_only() {
        let stored = Fingerprint::parse("12:34:ff").unwrap();
        assert!(stored.same_stat(&file(12, 34)));
        assert!(!stored.same_stat(&file(12, 35)));
        assert!(!stored.same_stat(&file(13, 34)));
    }

    #[test]
    fn content_hash_is_fnv1a() {
        assert_eq!(content_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(content_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(content_hash(b"ab"), content_hash(b"ba"));
    }
}
