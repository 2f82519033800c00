//! The immutable decoded text of one document.
//!
//! Invariants: the text is never modified after construction; `checkpoints[k]`
//! is the byte offset of scalar value `k * STRIDE`; `line_starts` holds the
//! char offset of every line start (the first is 0), where a line ends after
//! `\n`, after `\r\n`, or after a lone `\r`. Every conversion is
//! `O(log n + STRIDE)`; nothing counts from the start of the text per call.

use crate::model::offset::{ByteOffset, CharOffset, CharRange};
use unicode_segmentation::GraphemeCursor;

/// Scalar values between two checkpoints.
const STRIDE: usize = 64;

/// A decoded document text with fast char↔byte conversion and a line index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceText {
    text: String,
    char_len: usize,
    /// Byte offset of every `STRIDE`-th scalar value; empty for ASCII text.
    checkpoints: Vec<usize>,
    line_starts: Vec<usize>,
}

impl SourceText {
    /// Indexes `text`. Linear in its length; done once per document.
    #[must_use]
    pub fn new(text: String) -> Self {
        let bytes = text.as_bytes();
        let ascii = text.is_ascii();
        let mut checkpoints = Vec::new();
        let char_len = if ascii {
            bytes.len()
        } else {
            checkpoints.reserve(bytes.len() / STRIDE + 1);
            let mut count = 0usize;
            for (i, &b) in bytes.iter().enumerate() {
                // A byte that is not a UTF-8 continuation byte starts a scalar value.
                if (b as i8) >= -0x40 {
                    if count.is_multiple_of(STRIDE) {
                        checkpoints.push(i);
                    }
                    count += 1;
                }
            }
            count
        };
        let mut this = Self {
            text,
            char_len,
            checkpoints,
            line_starts: vec![0],
        };
        this.line_starts = this.index_lines();
        this
    }

    fn index_lines(&self) -> Vec<usize> {
        self.line_byte_starts()
            // Line breaks are ASCII, so a line starts on a char boundary.
            .map(|b| self.char_of(ByteOffset(b)).map_or(0, |c| c.0))
            .collect()
    }

    /// The byte offset where each line starts, in order (the first is 0):
    /// just after every `\n`, and after every `\r` not followed by `\n`.
    /// One memchr pass; [`Self::line_start`] gives the same lines in chars.
    pub fn line_byte_starts(&self) -> impl Iterator<Item = usize> + '_ {
        let bytes = self.text.as_bytes();
        let breaks = memchr::memchr2_iter(b'\n', b'\r', bytes)
            .filter(move |&i| !(bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) == Some(&b'\n')))
            .map(|i| i + 1);
        std::iter::once(0).chain(breaks)
    }

    /// The whole text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Length in Unicode scalar values.
    #[must_use]
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// Length in UTF-8 bytes.
    #[must_use]
    pub fn byte_len(&self) -> usize {
        self.text.len()
    }

    /// Byte offset of a char offset, or `None` past the end.
    #[must_use]
    pub fn byte_of(&self, c: CharOffset) -> Option<ByteOffset> {
        if c.0 > self.char_len {
            return None;
        }
        if self.checkpoints.is_empty() {
            return Some(ByteOffset(c.0));
        }
        if c.0 == self.char_len {
            return Some(ByteOffset(self.text.len()));
        }
        let k = c.0 / STRIDE;
        let base = *self.checkpoints.get(k)?;
        self.advance(ByteOffset(base), c.0 - k * STRIDE)
    }

    /// The byte offset `n` scalar values after `from` (a char boundary), or
    /// `None` when that passes the end of the text (or `from` is not a
    /// boundary). Linear in the bytes crossed, counting UTF-8 continuation
    /// bytes a chunk at a time.
    #[must_use]
    pub fn advance(&self, from: ByteOffset, n: usize) -> Option<ByteOffset> {
        let bytes = self.text.as_bytes();
        if !self.text.is_char_boundary(from.0) {
            return None;
        }
        let is_cont = |b: u8| (b as i8) < -0x40;
        let (mut pos, mut need) = (from.0, n);
        // Invariant: `need` = n - (scalar values starting in from..pos).
        while need > 0 {
            let end = pos.checked_add(need)?.min(bytes.len());
            let chunk = bytes.get(pos..end)?;
            if chunk.is_empty() {
                return None;
            }
            let conts = chunk.iter().filter(|&&b| is_cont(b)).count();
            pos = end;
            need = conts;
        }
        // `pos` may sit inside the last scalar value passed: go to its end.
        while bytes.get(pos).is_some_and(|&b| is_cont(b)) {
            pos += 1;
        }
        Some(ByteOffset(pos))
    }

    /// Char offset of a byte offset, or `None` when it is past the end or
    /// inside a multi-byte scalar value.
    #[must_use]
    pub fn char_of(&self, b: ByteOffset) -> Option<CharOffset> {
        if !self.text.is_char_boundary(b.0) {
            return None;
        }
        if self.checkpoints.is_empty() {
            return Some(CharOffset(b.0));
        }
        let k = self
            .checkpoints
            .partition_point(|&x| x <= b.0)
            .saturating_sub(1);
        let base = *self.checkpoints.get(k)?;
        let counted = self.text.get(base..b.0)?.chars().count();
        Some(CharOffset(k * STRIDE + counted))
    }

    /// Byte range of a char range, or `None` when it leaves the text.
    #[must_use]
    pub fn byte_range(&self, r: CharRange) -> Option<std::ops::Range<usize>> {
        Some(self.byte_of(r.start())?.0..self.byte_of(r.end())?.0)
    }

    /// The text covered by a char range, or `None` when it leaves the text.
    #[must_use]
    pub fn slice(&self, r: CharRange) -> Option<&str> {
        self.text.get(self.byte_range(r)?)
    }

    /// Up to `max` scalar values just before `at` (clamped to the text).
    #[must_use]
    pub fn before(&self, at: CharOffset, max: usize) -> &str {
        let end = at.0.min(self.char_len);
        self.slice(CharRange::new(end.saturating_sub(max), end))
            .unwrap_or_default()
    }

    /// Up to `max` scalar values starting at `at` (clamped to the text).
    #[must_use]
    pub fn after(&self, at: CharOffset, max: usize) -> &str {
        let start = at.0.min(self.char_len);
        self.slice(CharRange::new(start, (start + max).min(self.char_len)))
            .unwrap_or_default()
    }

    /// Number of lines (an empty text has one empty line).
    #[must_use]
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Zero-based line containing `c` (offsets past the end map to the last line).
    #[must_use]
    pub fn line_of(&self, c: CharOffset) -> usize {
        self.line_starts
            .partition_point(|&s| s <= c.0)
            .saturating_sub(1)
    }

    /// Char offset where zero-based `line` starts, or `None` past the last line.
    #[must_use]
    pub fn line_start(&self, line: usize) -> Option<CharOffset> {
        self.line_starts.get(line).copied().map(CharOffset)
    }

    /// Zero-based (line, column-in-chars) of an offset.
    #[must_use]
    pub fn line_col(&self, c: CharOffset) -> (usize, usize) {
        let line = self.line_of(c);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        (line, c.0.saturating_sub(start))
    }

    /// True when `c` lies on a grapheme cluster boundary (the ends always do).
    #[must_use]
    pub fn is_grapheme_boundary(&self, c: CharOffset) -> bool {
        let Some(b) = self.byte_of(c) else {
            return false;
        };
        let mut cursor = GraphemeCursor::new(b.0, self.text.len(), true);
        cursor.is_boundary(&self.text, 0).unwrap_or(true)
    }

    /// The nearest grapheme boundary at or before `c`.
    #[must_use]
    pub fn grapheme_floor(&self, c: CharOffset) -> CharOffset {
        if self.is_grapheme_boundary(c) {
            return CharOffset(c.0.min(self.char_len));
        }
        self.prev_grapheme(c)
    }

    /// The nearest grapheme boundary at or after `c`.
    #[must_use]
    pub fn grapheme_ceil(&self, c: CharOffset) -> CharOffset {
        if self.is_grapheme_boundary(c) {
            return CharOffset(c.0.min(self.char_len));
        }
        self.next_grapheme(c)
    }

    /// The grapheme boundary strictly after `c` (or the end of the text).
    #[must_use]
    pub fn next_grapheme(&self, c: CharOffset) -> CharOffset {
        let Some(b) = self.byte_of(CharOffset(c.0.min(self.char_len))) else {
            return CharOffset(self.char_len);
        };
        let mut cursor = GraphemeCursor::new(b.0, self.text.len(), true);
        match cursor.next_boundary(&self.text, 0) {
            Ok(Some(n)) => self
                .char_of(ByteOffset(n))
                .unwrap_or(CharOffset(self.char_len)),
            _ => CharOffset(self.char_len),
        }
    }

    /// The grapheme boundary strictly before `c` (or the start of the text).
    #[must_use]
    pub fn prev_grapheme(&self, c: CharOffset) -> CharOffset {
        let Some(b) = self.byte_of(CharOffset(c.0.min(self.char_len))) else {
            return CharOffset(0);
        };
        let mut cursor = GraphemeCursor::new(b.0, self.text.len(), true);
        match cursor.prev_boundary(&self.text, 0) {
            Ok(Some(p)) => self.char_of(ByteOffset(p)).unwrap_or(CharOffset(0)),
            _ => CharOffset(0),
        }
    }

    /// Widens a range outward so that both ends sit on grapheme boundaries.
    #[must_use]
    pub fn snap_to_graphemes(&self, r: CharRange) -> CharRange {
        let start = self.grapheme_floor(r.start());
        let end = self.grapheme_ceil(r.end());
        CharRange::new(start.0, end.0)
    }

    /// Narrows a range so it neither starts nor ends with whitespace.
    #[must_use]
    pub fn trim_whitespace(&self, r: CharRange) -> CharRange {
        let Some(s) = self.slice(r) else {
            return r;
        };
        let lead = s.chars().take_while(|c| c.is_whitespace()).count();
        if lead == s.chars().count() {
            return CharRange::new(r.start().0, r.start().0);
        }
        let trail = s.chars().rev().take_while(|c| c.is_whitespace()).count();
        CharRange::new(r.start().0 + lead, r.end().0 - trail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn firefighter_test_vector() {
        // formats.md: in this string `firetrucks` starts at byte 30, code point 19.
        let t = SourceText::new("👨🏻‍🚒 firemen drive firetrucks".to_owned());
        assert_eq!(t.byte_of(CharOffset(19)), Some(ByteOffset(30)));
        assert_eq!(t.char_of(ByteOffset(30)), Some(CharOffset(19)));
        assert_eq!(t.char_of(ByteOffset(1)), None);
        assert_eq!(t.slice(CharRange::new(19, 29)), Some("firetrucks"));
        // The fire-fighter emoji is one grapheme of five scalar values.
        assert_eq!(t.next_grapheme(CharOffset(0)), CharOffset(4));
        assert_eq!(
            t.snap_to_graphemes(CharRange::new(1, 2)),
            CharRange::new(0, 4)
        );
    }

    #[test]
    fn lines_split_on_lf_crlf_and_cr() {
        let t = SourceText::new("a\r\nb\rc\nd".to_owned());
        assert_eq!(t.line_count(), 4);
        assert_eq!(t.line_col(CharOffset(3)), (1, 0));
        assert_eq!(t.line_col(CharOffset(5)), (2, 0));
        assert_eq!(t.line_col(CharOffset(7)), (3, 0));
    }

    #[test]
    fn whitespace_is_trimmed() {
        let t = SourceText::new("  héllo \n".to_owned());
        assert_eq!(
            t.trim_whitespace(CharRange::new(0, 9)),
            CharRange::new(2, 7)
        );
        assert!(t.trim_whitespace(CharRange::new(0, 2)).is_empty());
    }
}
