//! Labels (tags) an analyst applies to spans.
//!
//! Invariants held by the project's label list: ids are unique, display names are unique
//! (case-insensitively), and no two labels share a hotkey. The set keeps the
//! analyst's display order.

use std::fmt;

use crate::model::name::Name;

/// Stable identifier of a label; renaming a label never changes it. Shared
/// text ([`Name`]): every annotation of a label holds the same copy.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct LabelId(Name);

impl LabelId {
    /// Wraps a string id.
    #[must_use]
    pub fn new(id: impl Into<Name>) -> Self {
        Self(id.into())
    }

    /// The id as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<Name> for LabelId {
    fn from(n: Name) -> Self {
        Self(n)
    }
}

impl fmt::Display for LabelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An sRGB colour, stored in files as `#rrggbb`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    /// Parses `#rrggbb` (case-insensitive).
    #[must_use]
    pub fn parse_hex(s: &str) -> Option<Self> {
        let hex = s.strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let byte = |i: usize| {
            hex.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        };
        Some(Self([byte(0)?, byte(2)?, byte(4)?]))
    }

    /// Formats as lowercase `#rrggbb`.
    #[must_use]
    pub fn to_hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }
}

/// Grey used for labels that a project file references but does not define.
pub const PLACEHOLDER_COLOR: Rgb = Rgb([0x99, 0x99, 0x99]);

/// A tag with its display name, colour and keyboard shortcut.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Label {
    /// Stable id used by annotations.
    pub id: LabelId,
    /// Name shown to the analyst and written to exports.
    pub name: String,
    /// Highlight colour.
    pub color: Rgb,
    /// Single-key shortcut (`0`–`9` or `a`–`z`), if any.
    pub hotkey: Option<char>,
    /// What the label means, for annotation guidelines.
    pub description: String,
    /// True when the label was invented on load for an unknown id.
    pub placeholder: bool,
}

impl Label {
    /// A label with no hotkey and no description.
    #[must_use]
    pub fn new(id: &str, name: &str, color: Rgb) -> Self {
        Self {
            id: LabelId::new(id),
            name: name.to_owned(),
            color,
            hotkey: None,
            description: String::new(),
            placeholder: false,
        }
    }

    /// A grey stand-in for a label id that is used but not defined.
    #[must_use]
    pub fn placeholder(id: &LabelId) -> Self {
        Self {
            description: "Placeholder: this label was used but not defined in the project file."
                .to_owned(),
            placeholder: true,
            ..Self::new(id.as_str(), id.as_str(), PLACEHOLDER_COLOR)
        }
    }

    /// True when `key` can serve as a label hotkey.
    #[must_use]
    pub fn is_valid_hotkey(key: char) -> bool {
        key.is_ascii_digit() || key.is_ascii_lowercase()
    }
}

/// The default labels: `claim` (1), `quote` (2), `unverified` (3).
#[must_use]
pub fn default_labels() -> Vec<Label> {
    let make = |id: &str, color: [u8; 3], key: char, description: &str| Label {
        hotkey: Some(key),
        description: description.to_owned(),
        ..Label::new(id, id, Rgb(color))
    };
    vec![
        make(
            "claim",
            [0xf2, 0x8e, 0x2b],
            '1',
            "A factual assertion that could be checked.",
        ),
        make(
            "quote",
            [0x4e, 0x79, 0xa7],
            '2',
            "Words attributed to a named or unnamed speaker.",
        ),
        make(
            "unverified",
            [0xe1, 0x57, 0x59],
            '3',
            "A statement the source does not support or that needs checking.",
        ),
    ]
}

/// Turns a display name into an id candidate: lowercase ASCII letters,
/// digits and `_`, never empty.
#[must_use]
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("label");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        let c = Rgb::parse_hex("#F28E2b");
        assert_eq!(c, Some(Rgb([0xf2, 0x8e, 0x2b])));
        assert_eq!(c.map(Rgb::to_hex).as_deref(), Some("#f28e2b"));
        assert_eq!(Rgb::parse_hex("f28e2b"), None);
        assert_eq!(Rgb::parse_hex("#f28e2"), None);
        assert_eq!(Rgb::parse_hex("#ééé"), None);
    }

    #[test]
    fn slugs_are_plain() {
        assert_eq!(slug("Needs Review!"), "needs_review");
        assert_eq!(slug("  "), "label");
        assert_eq!(slug("Zitat (DE)"), "zitat_de");
    }
}
