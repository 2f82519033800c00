//! The persisted shape of `*.spanmark.ron`, format version 1.
//!
//! Invariants: fields are only ever added (with `#[serde(default)]`), never
//! renamed or retyped within a format version; no floats, flattening,
//! untagged enums or byte strings (ron's weak spots); optional text fields
//! are empty strings, omitted when empty, so lines stay short and diffable.

use serde::{Deserialize, Serialize};

/// Format version this build writes.
pub const FORMAT_VERSION: u32 = 1;

/// The offset unit, stated in every file.
pub const OFFSET_UNIT: &str = "unicode_scalar_value";

/// Just enough to read the version before trusting the rest.
#[derive(Deserialize)]
pub struct VersionProbe {
    /// The file's format version.
    pub format_version: u32,
}

/// The whole file.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct FileV1 {
    /// Always first.
    pub format_version: u32,
    /// Must equal [`OFFSET_UNIT`].
    pub offset_unit: String,
    /// Project name.
    pub name: String,
    /// Annotators.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Source documents.
    #[serde(default)]
    pub documents: Vec<DocumentV1>,
    /// Labels in display order.
    #[serde(default)]
    pub labels: Vec<LabelV1>,
    /// Source texts carried inside the file (a single-file project), one
    /// per line; omitted when empty. Written before `annotations`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embedded_sources: Vec<EmbeddedV1>,
    /// Annotations in key order, one per line.
    #[serde(default)]
    pub annotations: Vec<AnnotationV1>,
}

/// One embedded source line: a document's decoded text. Its bytes are
/// reproduced from the document's `encoding` and `bom`; their SHA-256 must
/// equal the document's `sha256`, or the text counts as changed.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedV1 {
    /// Document id.
    pub doc: u32,
    /// The decoded text, line endings untouched.
    pub text: String,
}

/// One document line.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct DocumentV1 {
    /// Document id.
    pub id: u32,
    /// Display name.
    pub name: String,
    /// Relative `/`-separated path.
    pub path: String,
    /// `todo`, `in progress` or `done`.
    #[serde(default = "todo")]
    pub status: String,
    /// Lowercase hex SHA-256 of the raw bytes.
    pub sha256: String,
    /// Raw size.
    pub byte_len: u64,
    /// WHATWG encoding name.
    pub encoding: String,
    /// Whether a BOM was present.
    #[serde(default)]
    pub bom: bool,
    /// `none`, `lf`, `crlf`, `cr` or `mixed`.
    pub newline: String,
    /// Decoded length in scalar values.
    pub char_len: usize,
}

fn todo() -> String {
    "todo".to_owned()
}

/// One label line.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct LabelV1 {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `#rrggbb`.
    pub color: String,
    /// One character, or empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hotkey: String,
    /// Guideline text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// One annotation line.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct AnnotationV1 {
    /// Stable id.
    pub id: u64,
    /// Document id.
    pub doc: u32,
    /// First scalar value.
    pub start: usize,
    /// One past the last scalar value.
    pub end: usize,
    /// Label id.
    pub label: String,
    /// Covered text.
    pub quote: String,
    /// Note, or empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Author, or empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    /// Other analysts who made the same span and label (merges), or empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agreed: Vec<String>,
    /// RFC 3339 UTC.
    #[serde(default)]
    pub created: String,
    /// RFC 3339 UTC.
    #[serde(default)]
    pub modified: String,
    /// Import origin, or empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub origin: String,
    /// Why a merge marked this annotation as a conflict, or empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub conflict: String,
    /// Context before.
    #[serde(default)]
    pub prefix: String,
    /// Context after.
    #[serde(default)]
    pub suffix: String,
}
