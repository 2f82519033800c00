//! Metadata of one source document in a project.
//!
//! Invariants: `path` is relative to the project file's folder and
//! `/`-separated (checked by `io::paths` before any file is touched);
//! `sha256`, `byte_len`, `encoding`, `bom`, `newline` and `char_len` describe
//! the source exactly as it was when added.

use std::fmt;

/// Stable identifier of a document within a project.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct DocumentId(pub u32);

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "d{}", self.0)
    }
}

/// Line-ending style found in a source.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Newline {
    /// No line break at all.
    #[default]
    None,
    /// `\n` only.
    Lf,
    /// `\r\n` only.
    CrLf,
    /// Lone `\r` only.
    Cr,
    /// More than one style.
    Mixed,
}

impl Newline {
    /// The name used in project files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Lf => "lf",
            Self::CrLf => "crlf",
            Self::Cr => "cr",
            Self::Mixed => "mixed",
        }
    }

    /// Parses a name written by [`Newline::as_str`].
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "none" => Self::None,
            "lf" => Self::Lf,
            "crlf" => Self::CrLf,
            "cr" => Self::Cr,
            "mixed" => Self::Mixed,
            _ => return None,
        })
    }

    /// Classifies the line endings of a text.
    #[must_use]
    pub fn detect(text: &str) -> Self {
        let bytes = text.as_bytes();
        let (mut lf, mut crlf, mut cr) = (false, false, false);
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => crlf = true,
                b'\r' => cr = true,
                _ if i > 0 && bytes[i - 1] == b'\r' => {}
                _ => lf = true,
            }
        }
        match (lf, crlf, cr) {
            (false, false, false) => Self::None,
            (true, false, false) => Self::Lf,
            (false, true, false) => Self::CrLf,
            (false, false, true) => Self::Cr,
            _ => Self::Mixed,
        }
    }
}

/// How far the analyst has got with a document.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Status {
    /// Not started.
    #[default]
    Todo,
    /// Started.
    InProgress,
    /// Finished.
    Done,
}

impl Status {
    /// The name used in project files and the UI.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Todo => "todo",
            Self::InProgress => "in progress",
            Self::Done => "done",
        }
    }

    /// Parses a name written by [`Status::as_str`].
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "todo" => Self::Todo,
            "in progress" => Self::InProgress,
            "done" => Self::Done,
            _ => return None,
        })
    }
}

/// A source document: where it is and exactly what it was.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Document {
    /// Stable id.
    pub id: DocumentId,
    /// Name shown to the analyst.
    pub name: String,
    /// Path relative to the project folder, `/`-separated.
    pub path: String,
    /// Lowercase hex SHA-256 of the raw bytes.
    pub sha256: String,
    /// Size of the raw file in bytes.
    pub byte_len: u64,
    /// Encoding label (WHATWG name, e.g. `UTF-8`, `UTF-16LE`, `windows-1252`).
    pub encoding: String,
    /// True when the file starts with a byte order mark (removed from the text).
    pub bom: bool,
    /// Line-ending style, preserved in the text.
    pub newline: Newline,
    /// Length of the decoded text in Unicode scalar values.
    pub char_len: usize,
    /// The analyst's progress.
    pub status: Status,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newline_styles() {
        assert_eq!(Newline::detect("a"), Newline::None);
        assert_eq!(Newline::detect("a\nb\n"), Newline::Lf);
        assert_eq!(Newline::detect("a\r\nb\r\n"), Newline::CrLf);
        assert_eq!(Newline::detect("a\rb"), Newline::Cr);
        assert_eq!(Newline::detect("a\r\nb\n"), Newline::Mixed);
        assert_eq!(Newline::parse(Newline::CrLf.as_str()), Some(Newline::CrLf));
    }
}
