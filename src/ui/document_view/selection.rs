//! The analyst's text selection, in char offsets, and text search.
//!
//! Invariants: a [`Selection`]'s ends are char offsets into the document
//! text; [`Selection::range`] is always snapped outward to grapheme clusters
//! (and to word boundaries when word snapping is on), so a tag never splits
//! `👨🏻‍🚒` or `e` + combining accent. Search results are sorted and disjoint.

use unicode_segmentation::UnicodeSegmentation;

use crate::model::{CharOffset, CharRange, SourceText};

/// A text selection: where the drag started and where it is now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Fixed end (where the drag started).
    pub anchor: usize,
    /// Moving end (under the pointer).
    pub head: usize,
    /// Made with Alt held: snapped to characters only, never to words.
    pub exact: bool,
}

impl Selection {
    /// A collapsed selection at `at`.
    #[must_use]
    pub fn at(at: usize) -> Self {
        Self {
            anchor: at,
            head: at,
            exact: false,
        }
    }

    /// The selected range, snapped to graphemes (and words when `words`).
    #[must_use]
    pub fn range(self, text: &SourceText, words: bool) -> CharRange {
        let raw = CharRange::new(self.anchor, self.head);
        if raw.is_empty() {
            return raw;
        }
        let r = text.snap_to_graphemes(raw);
        if words && !self.exact {
            snap_to_words(text, r)
        } else {
            r
        }
    }
}

/// The end of the next word after `at` (skipping spaces and punctuation
/// between), or the end of the text.
#[must_use]
pub fn next_word_end(text: &SourceText, at: usize) -> usize {
    let Some(b) = text.byte_of(CharOffset(at)) else {
        return text.char_len();
    };
    let rest = text.as_str().get(b.0..).unwrap_or_default();
    rest.split_word_bound_indices()
        .find(|(_, w)| w.chars().any(char::is_alphanumeric))
        .and_then(|(i, w)| text.char_of(crate::model::ByteOffset(b.0 + i + w.len())))
        .map_or(text.char_len(), |c| c.0)
}

/// The start of the word before `at` (skipping spaces and punctuation
/// between), or the start of the text.
#[must_use]
pub fn prev_word_start(text: &SourceText, at: usize) -> usize {
    let Some(b) = text.byte_of(CharOffset(at)) else {
        return 0;
    };
    let head = text.as_str().get(..b.0).unwrap_or_default();
    head.split_word_bound_indices()
        .rev()
        .find(|(_, w)| w.chars().any(char::is_alphanumeric))
        .and_then(|(i, _)| text.char_of(crate::model::ByteOffset(i)))
        .map_or(0, |c| c.0)
}

/// The word (per Unicode word boundaries) around `at`, or an empty range on whitespace.
#[must_use]
pub fn word_at(text: &SourceText, at: usize) -> CharRange {
    let (lo, hi) = window(text, at);
    let Some(s) = text.slice(CharRange::new(lo, hi)) else {
        return CharRange::new(at, at);
    };
    let mut pos = lo;
    for w in s.split_word_bounds() {
        let n = w.chars().count();
        if at < pos + n || pos + n == hi {
            if w.chars().all(char::is_whitespace) {
                return CharRange::new(at, at);
            }
            return CharRange::new(pos, pos + n);
        }
        pos += n;
    }
    CharRange::new(at, at)
}

/// Widens `r` so both ends sit on word boundaries.
#[must_use]
pub fn snap_to_words(text: &SourceText, r: CharRange) -> CharRange {
    let start = word_at(text, r.start().0);
    let end = word_at(text, r.end().0.saturating_sub(1));
    let s = if start.is_empty() {
        r.start().0
    } else {
        start.start().0
    };
    let e = if end.is_empty() {
        r.end().0
    } else {
        end.end().0
    };
    CharRange::new(s, e.max(s))
}

/// The line-bounded neighbourhood of `at` examined for word boundaries.
fn window(text: &SourceText, at: usize) -> (usize, usize) {
    let line = text.line_of(CharOffset(at));
    let lo = text
        .line_start(line)
        .map_or(0, |c| c.0)
        .max(at.saturating_sub(256));
    let hi = text
        .line_start(line + 1)
        .map_or(text.char_len(), |c| c.0)
        .min(at + 256)
        .min(text.char_len());
    (lo, hi.max(lo))
}

/// Most matches [`find_all`] returns.
pub const MAX_MATCHES: usize = 10_000;

/// All case-insensitive, non-overlapping occurrences of `needle`, in order.
#[must_use]
pub fn find_all(text: &SourceText, needle: &str) -> Vec<CharRange> {
    let fold = |c: char| c.to_lowercase().next().unwrap_or(c);
    let pat: Vec<char> = needle.chars().map(fold).collect();
    if pat.is_empty() {
        return Vec::new();
    }
    let hay: Vec<char> = text.as_str().chars().map(fold).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + pat.len() <= hay.len() && out.len() < MAX_MATCHES {
        if hay.get(i..i + pat.len()) == Some(pat.as_slice()) {
            out.push(CharRange::new(i, i + pat.len()));
            i += pat.len();
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_snaps_to_graphemes_and_words() {
        let t = SourceText::new("👨🏻‍🚒 firemen drive".to_owned());
        assert_eq!(
            Selection {
                anchor: 1,
                head: 2,
                exact: false
            }
            .range(&t, false),
            CharRange::new(0, 4)
        );
        assert_eq!(
            Selection {
                anchor: 8,
                head: 10,
                exact: false
            }
            .range(&t, true),
            CharRange::new(5, 12)
        );
        assert_eq!(
            Selection {
                anchor: 10,
                head: 8,
                exact: false
            }
            .range(&t, false),
            CharRange::new(8, 10)
        );
    }

    #[test]
    fn alt_drag_is_exact_and_words_step_over_punctuation() {
        let t = SourceText::new("He said: “no comment”.".to_owned());
        let exact = Selection {
            anchor: 4,
            head: 5,
            exact: true,
        };
        assert_eq!(exact.range(&t, true), CharRange::new(4, 5));
        assert_eq!(next_word_end(&t, 0), 2);
        assert_eq!(next_word_end(&t, 2), 7);
        assert_eq!(next_word_end(&t, 7), 12);
        assert_eq!(prev_word_start(&t, 12), 10);
        assert_eq!(prev_word_start(&t, 10), 3);
        assert_eq!(prev_word_start(&t, 0), 0);
        assert_eq!(next_word_end(&t, 22), 22);
    }

    #[test]
    fn word_at_finds_words_not_spaces() {
        let t = SourceText::new("Είδαμε τις φλόγες".to_owned());
        assert_eq!(word_at(&t, 2), CharRange::new(0, 6));
        assert!(word_at(&t, 6).is_empty());
        assert_eq!(word_at(&t, 16), CharRange::new(11, 17));
    }

    #[test]
    fn find_is_case_insensitive() {
        let t = SourceText::new("Fire, fire! FIRE".to_owned());
        assert_eq!(find_all(&t, "fire").len(), 3);
        assert_eq!(find_all(&t, "re, f"), vec![CharRange::new(2, 7)]);
        assert!(find_all(&t, "").is_empty());
    }
}
