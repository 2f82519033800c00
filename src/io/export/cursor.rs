//! Char-offset to byte-offset conversion for spans visited in start order.
//!
//! Exporters walk a document's spans sorted by start (annotation key
//! order), so a running `(char, byte)` cursor turns each start into a byte
//! offset by stepping over the few scalar values since the previous one,
//! and each end by stepping from its start; long jumps (and offsets before
//! the cursor) fall back to [`SourceText::byte_of`]'s checkpoints.
//!
//! Invariants: every result equals `SourceText::byte_of` / `slice` for the
//! same offsets (`None` past the end); the cursor only ever rests on char
//! boundaries, so slicing with its results cannot panic.

use crate::model::{ByteOffset, CharOffset, CharRange, SourceText};

/// Scalar values stepped over before falling back to the checkpoint index.
const WALK: usize = 1024;

/// A running char→byte cursor over one text.
pub struct ByteCursor<'t> {
    text: &'t SourceText,
    char: usize,
    byte: usize,
}

impl<'t> ByteCursor<'t> {
    /// A cursor at the start of `text`.
    #[must_use]
    pub fn new(text: &'t SourceText) -> Self {
        Self {
            text,
            char: 0,
            byte: 0,
        }
    }

    fn locate(&self, from: (usize, usize), c: usize) -> Option<usize> {
        if c > self.text.char_len() {
            return None;
        }
        if c >= from.0 && c - from.0 <= WALK {
            self.text
                .advance(ByteOffset(from.1), c - from.0)
                .map(|b| b.0)
        } else {
            self.text.byte_of(CharOffset(c)).map(|b| b.0)
        }
    }

    /// Byte offset of char offset `c`, moving the cursor there.
    pub fn byte_of(&mut self, c: usize) -> Option<usize> {
        let b = self.locate((self.char, self.byte), c)?;
        self.char = c;
        self.byte = b;
        Some(b)
    }

    /// Byte range of `r`; the cursor moves to its start.
    pub fn byte_range(&mut self, r: CharRange) -> Option<std::ops::Range<usize>> {
        let start = self.byte_of(r.start().0)?;
        let end = self.locate((r.start().0, start), r.end().0)?;
        Some(start..end)
    }

    /// The text of `r` (as [`SourceText::slice`]); the cursor moves to its start.
    pub fn slice(&mut self, r: CharRange) -> Option<&'t str> {
        let range = self.byte_range(r)?;
        self.text.as_str().get(range)
    }
}

/// The text of `r` with up to `max` scalar values before and after it,
/// as `(before, text, after)` (as [`SourceText::before`], `slice`,
/// [`SourceText::after`]); `None` when `r` leaves the text.
pub fn context<'t>(
    cursor: &mut ByteCursor<'t>,
    r: CharRange,
    max: usize,
) -> Option<(&'t str, &'t str, &'t str)> {
    let text = cursor.text;
    let range = cursor.byte_range(r)?;
    let bytes = text.as_str().as_bytes();
    let mut from = range.start;
    for _ in 0..max.min(r.start().0) {
        from -= 1;
        while bytes.get(from).is_some_and(|&b| (b as i8) < -0x40) {
            from -= 1;
        }
    }
    let after = max.min(text.char_len() - r.end().0);
    let to = text.advance(ByteOffset(range.end), after)?.0;
    let s = text.as_str();
    Some((
        s.get(from..range.start)?,
        s.get(range.clone())?,
        s.get(range.end..to)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn agrees_with_source_text(
            text in "(\\PC|[a-z ]|\u{1F468}\u{1F3FB}\u{200D}\u{1F692}){0,600}",
            ranges in prop::collection::vec((0usize..700, 0usize..700), 0..40),
        ) {
            let t = SourceText::new(text);
            let mut ranges: Vec<CharRange> =
                ranges.into_iter().map(|(a, b)| CharRange::new(a, b)).collect();
            // Mostly in start order (as exporters visit spans), with a few jumps back.
            ranges.sort_by_key(|r| r.start().0 % 300);
            let mut cur = ByteCursor::new(&t);
            for r in ranges {
                prop_assert_eq!(cur.slice(r), t.slice(r));
                prop_assert_eq!(cur.byte_of(r.end().0), t.byte_of(r.end()).map(|b| b.0));
                let want = t.slice(r).map(|x| (t.before(r.start(), 5), x, t.after(r.end(), 5)));
                prop_assert_eq!(context(&mut cur, r, 5), want);
            }
        }
    }
}
