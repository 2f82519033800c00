//! Reading and decoding source documents.
//!
//! Invariants: the decoded text keeps every line ending and every scalar
//! value exactly as in the file (no newline or Unicode normalisation); only
//! a byte order mark is removed, and that is recorded. Binary-looking and
//! oversize files are refused, never half-loaded.

use std::io::Read;
use std::path::Path;

use encoding_rs::{Encoding, UTF_8};
use sha2::{Digest, Sha256};

use crate::io::error::SourceError;
use crate::model::{Newline, SourceText};

/// Largest source accepted, in bytes (256 MiB).
pub const MAX_SOURCE_BYTES: u64 = 256 * 1024 * 1024;

/// A decoded source and the facts recorded about its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedSource {
    /// The text, indexed.
    pub text: SourceText,
    /// WHATWG encoding name.
    pub encoding: String,
    /// True when the encoding was guessed (no BOM, not valid UTF-8).
    pub guessed: bool,
    /// True when a BOM was removed.
    pub bom: bool,
    /// Line-ending style.
    pub newline: Newline,
    /// Lowercase hex SHA-256 of the raw bytes.
    pub sha256: String,
    /// Raw size in bytes.
    pub byte_len: u64,
}

/// Lowercase hex SHA-256 of some bytes.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha256_hex_pieces(&[bytes])
}

/// Lowercase hex SHA-256 of `pieces` one after the other (as
/// [`sha256_hex`] of their concatenation).
#[must_use]
pub fn sha256_hex_pieces<T: AsRef<[u8]>>(pieces: &[T]) -> String {
    let mut hasher = Sha256::new();
    for piece in pieces {
        hasher.update(piece);
    }
    hex(&hasher.finalize())
}

/// Lowercase hex SHA-256 of everything `reader` yields, read in 256 KiB
/// pieces (hashing a 30 MB file this way never holds it in memory).
///
/// # Errors
/// A read error.
pub fn sha256_hex_of(mut reader: impl std::io::Read) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 256 * 1024];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return Ok(hex(&hasher.finalize())),
            Ok(n) => hasher.update(buf.get(..n).unwrap_or_default()),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

fn hex(digest: &[u8]) -> String {
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(b & 0xf), 16).unwrap_or('0'));
    }
    out
}

/// Reads a regular file of at most `limit` bytes and decodes it.
///
/// # Errors
/// Missing, unreadable, not a regular file, too large, binary or badly encoded.
pub fn read_source(path: &Path, limit: u64) -> Result<DecodedSource, SourceError> {
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => SourceError::Missing,
        _ => SourceError::Io(e.to_string()),
    })?;
    let meta = file
        .metadata()
        .map_err(|e| SourceError::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(SourceError::NotRegular);
    }
    if meta.len() > limit {
        return Err(SourceError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| SourceError::Io(e.to_string()))?;
    let size = bytes.len() as u64;
    if size > limit {
        return Err(SourceError::TooLarge { size, limit });
    }
    decode(&bytes)
}

/// Decodes raw bytes: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM, or
/// a detected legacy encoding.
///
/// # Errors
/// Binary content (NUL bytes, many control characters), UTF-32, or bytes
/// invalid for the declared encoding.
pub fn decode(bytes: &[u8]) -> Result<DecodedSource, SourceError> {
    if bytes.starts_with(&[0xff, 0xfe, 0, 0]) || bytes.starts_with(&[0, 0, 0xfe, 0xff]) {
        return Err(SourceError::BadEncoding(
            "UTF-32 (unsupported; save it as UTF-8)".into(),
        ));
    }
    let (text, encoding, bom, guessed) = match Encoding::for_bom(bytes) {
        Some((enc, bom_len)) => {
            let body = bytes.get(bom_len..).unwrap_or_default();
            let text = enc
                .decode_without_bom_handling_and_without_replacement(body)
                .ok_or_else(|| SourceError::BadEncoding(enc.name().to_owned()))?;
            (text.into_owned(), enc, true, false)
        }
        None => {
            if let Some(pos) = memchr::memchr(0, bytes) {
                let hint = if looks_like_utf16(bytes) {
                    "it may be UTF-16 without a byte order mark"
                } else {
                    "it contains NUL bytes"
                };
                return Err(SourceError::Binary(format!("{hint}; first at byte {pos}")));
            }
            match std::str::from_utf8(bytes) {
                Ok(s) => (s.to_owned(), UTF_8, false, false),
                Err(_) => {
                    let mut detector = chardetng::EncodingDetector::new();
                    detector.feed(bytes, true);
                    let enc = detector.guess(None, true);
                    let text = enc
                        .decode_without_bom_handling_and_without_replacement(bytes)
                        .ok_or_else(|| SourceError::BadEncoding(enc.name().to_owned()))?;
                    (text.into_owned(), enc, false, true)
                }
            }
        }
    };
    check_not_binary(&text)?;
    let newline = Newline::detect(&text);
    Ok(DecodedSource {
        text: SourceText::new(text),
        encoding: encoding.name().to_owned(),
        guessed,
        bom,
        newline,
        sha256: sha256_hex(bytes),
        byte_len: bytes.len() as u64,
    })
}

/// Every other byte zero in the first KiB: UTF-16 text without a BOM.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(1024)).unwrap_or_default();
    let zeros_even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let zeros_odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let half = head.len() / 2;
    half > 0 && (zeros_even * 10 > half * 8 || zeros_odd * 10 > half * 8)
}

/// Refuses text with NUL or a high share of C0 control characters.
fn check_not_binary(text: &str) -> Result<(), SourceError> {
    if let Some(pos) = text.find('\0') {
        return Err(SourceError::Binary(format!(
            "it contains NUL characters; first at byte {pos}"
        )));
    }
    let controls = text
        .chars()
        .filter(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c' | '\x0b'))
        .count();
    let total = text.chars().count();
    if controls > 8 && controls * 100 > total {
        return Err(SourceError::Binary(format!(
            "{controls} control characters"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_removed_and_recorded() {
        let d = decode(b"\xef\xbb\xbfHi\r\n").ok();
        let d = d.as_ref();
        assert_eq!(d.map(|d| d.text.as_str()), Some("Hi\r\n"));
        assert_eq!(
            d.map(|d| (d.bom, d.newline, d.encoding.as_str())),
            Some((true, Newline::CrLf, "UTF-8"))
        );
    }

    #[test]
    fn utf16_with_bom_decodes() {
        let le: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("é😀".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain("é😀".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(
            decode(&le).map(|d| (d.text.as_str().to_owned(), d.encoding)),
            Ok(("é😀".into(), "UTF-16LE".into()))
        );
        assert_eq!(decode(&be).map(|d| d.encoding), Ok("UTF-16BE".into()));
    }

    #[test]
    fn legacy_is_detected() {
        let d =
            decode(b"Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve r\xe9sum\xe9 \xe0 la fran\xe7aise")
                .ok();
        assert_eq!(
            d.as_ref().map(|d| d.text.as_str()),
            Some("Café crème brûlée, naïve résumé à la française")
        );
        assert_eq!(d.map(|d| d.guessed), Some(true));
    }

    #[test]
    fn binary_is_refused() {
        assert!(matches!(decode(b"ab\0cd"), Err(SourceError::Binary(_))));
        let utf16_no_bom: Vec<u8> = "hello".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(
            matches!(decode(&utf16_no_bom), Err(SourceError::Binary(m)) if m.contains("UTF-16"))
        );
        assert!(matches!(
            decode(&[0xff, 0xfe, 0, 0, 65, 0, 0, 0]),
            Err(SourceError::BadEncoding(_))
        ));
        assert!(matches!(decode(&[0x01; 64]), Err(SourceError::Binary(_))));
    }
}
