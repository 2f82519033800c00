//! Splitting a document into blocks and keeping their heights.
//!
//! Invariants: blocks are in text order and never overlap; every block's
//! `text` range lies on char boundaries and excludes the line break that
//! ends its line; together, blocks plus line breaks cover the whole text.
//! `tops[i]` is the sum of the heights of blocks `0..i` (so `tops` has one
//! more entry than there are blocks) and is rebuilt whenever a height changes.

use std::ops::Range;

use crate::model::{ByteOffset, CharOffset, SourceText};

/// Largest block, in bytes, before a long line is cut into chunks.
pub const MAX_BLOCK_BYTES: usize = 4096;

/// One piece of a document laid out as a unit (a line, or a chunk of a long line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// Char offsets covered (without the trailing line break).
    pub chars: Range<usize>,
    /// Byte offsets covered (without the trailing line break).
    pub bytes: Range<usize>,
}

/// The blocks of a document and their (estimated or measured) heights.
#[derive(Clone, Debug, Default)]
pub struct Blocks {
    blocks: Vec<Block>,
    heights: Vec<f32>,
    measured: Vec<bool>,
    tops: Vec<f32>,
    /// Wrap width the measurements were made at.
    width: f32,
}

impl Blocks {
    /// Indexes `text` into blocks. Linear in the text length.
    #[must_use]
    pub fn new(text: &SourceText) -> Self {
        let s = text.as_str();
        let mut blocks = Vec::new();
        for line in 0..text.line_count() {
            let start_c = text.line_start(line).map_or(0, |c| c.0);
            let next_c = text.line_start(line + 1).map_or(text.char_len(), |c| c.0);
            let start_b = text.byte_of(CharOffset(start_c)).map_or(0, |b| b.0);
            let mut end_b = text.byte_of(CharOffset(next_c)).map_or(s.len(), |b| b.0);
            let bytes = s.as_bytes();
            if end_b > start_b && bytes.get(end_b - 1) == Some(&b'\n') {
                end_b -= 1;
            }
            if end_b > start_b && bytes.get(end_b - 1) == Some(&b'\r') {
                end_b -= 1;
            }
            push_chunks(text, start_b..end_b, &mut blocks);
        }
        let n = blocks.len();
        let mut this = Self {
            blocks,
            heights: vec![0.0; n],
            measured: vec![false; n],
            tops: Vec::new(),
            width: 0.0,
        };
        this.rebuild_tops();
        this
    }

    /// Number of blocks.
    #[must_use]
    pub fn len(&self) -> usize {
        self.blocks.len()
    }

    /// True when there are no blocks (never, for a real text).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// A block by index.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<&Block> {
        self.blocks.get(i)
    }

    /// Top of block `i` relative to the top of the document.
    #[must_use]
    pub fn top(&self, i: usize) -> f32 {
        self.tops.get(i).copied().unwrap_or(0.0)
    }

    /// Total height of the document.
    #[must_use]
    pub fn total_height(&self) -> f32 {
        self.tops.last().copied().unwrap_or(0.0)
    }

    /// The block at vertical position `y` (clamped to the first/last block).
    #[must_use]
    pub fn at_y(&self, y: f32) -> usize {
        let i = self.tops.partition_point(|&t| t <= y);
        i.saturating_sub(1).min(self.blocks.len().saturating_sub(1))
    }

    /// The block containing char offset `c` (a line break belongs to the block before it).
    #[must_use]
    pub fn at_char(&self, c: usize) -> usize {
        let i = self.blocks.partition_point(|b| b.chars.start <= c);
        i.saturating_sub(1)
    }

    /// Sets the wrap width; a change forgets every measurement and re-estimates.
    pub fn set_width(&mut self, width: f32, row_height: f32, char_width: f32) {
        if (width - self.width).abs() < 0.5 && self.heights.first().is_some_and(|h| *h > 0.0) {
            return;
        }
        self.width = width;
        let per_row = (width / char_width.max(1.0)).max(1.0);
        for (i, b) in self.blocks.iter().enumerate() {
            let rows = ((b.chars.len() as f32) / per_row).ceil().max(1.0);
            self.heights[i] = rows * row_height;
            self.measured[i] = false;
        }
        self.rebuild_tops();
    }

    /// Records the laid-out height of block `i`; returns true when it changed.
    pub fn set_measured(&mut self, i: usize, height: f32) -> bool {
        let Some(h) = self.heights.get_mut(i) else {
            return false;
        };
        if let Some(m) = self.measured.get_mut(i) {
            *m = true;
        }
        if (*h - height).abs() < 0.01 {
            return false;
        }
        *h = height;
        true
    }

    /// Recomputes the prefix sums after heights changed.
    pub fn rebuild_tops(&mut self) {
        self.tops.clear();
        self.tops.reserve(self.heights.len() + 1);
        let mut y = 0.0;
        self.tops.push(y);
        for h in &self.heights {
            y += h;
            self.tops.push(y);
        }
    }
}

/// Pushes `range` (bytes of one line) as one or more blocks of at most
/// [`MAX_BLOCK_BYTES`], cutting after whitespace where possible.
fn push_chunks(text: &SourceText, range: Range<usize>, out: &mut Vec<Block>) {
    let s = text.as_str();
    let mut start = range.start;
    loop {
        let mut end = range.end;
        if end - start > MAX_BLOCK_BYTES {
            end = start + MAX_BLOCK_BYTES;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            // Prefer cutting just after a space in the last quarter.
            if let Some(piece) = s.get(start + MAX_BLOCK_BYTES * 3 / 4..end)
                && let Some(p) = piece.rfind(' ')
            {
                end = start + MAX_BLOCK_BYTES * 3 / 4 + p + 1;
            }
        }
        let cs = text.char_of(ByteOffset(start)).map_or(0, |c| c.0);
        let ce = text.char_of(ByteOffset(end)).map_or(cs, |c| c.0);
        out.push(Block {
            chars: cs..ce,
            bytes: start..end,
        });
        if end >= range.end {
            break;
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_blocks_without_breaks() {
        let t = SourceText::new("ab\r\n\ncé\n".to_owned());
        let b = Blocks::new(&t);
        let chars: Vec<_> = (0..b.len())
            .filter_map(|i| b.get(i))
            .map(|x| x.chars.clone())
            .collect();
        assert_eq!(chars, vec![0..2, 4..4, 5..7, 8..8]);
        assert_eq!(b.at_char(3), 0);
        assert_eq!(b.at_char(6), 2);
    }

    #[test]
    fn long_lines_are_chunked_on_boundaries() {
        let line = "é word ".repeat(2000);
        let t = SourceText::new(line.clone());
        let b = Blocks::new(&t);
        assert!(b.len() > 1);
        let mut next = 0;
        for i in 0..b.len() {
            let x = b.get(i).cloned().unwrap_or(Block {
                chars: 0..0,
                bytes: 0..0,
            });
            assert_eq!(x.chars.start, next);
            assert!(x.bytes.len() <= MAX_BLOCK_BYTES);
            assert!(line.is_char_boundary(x.bytes.end));
            next = x.chars.end;
        }
        assert_eq!(next, t.char_len());
    }

    #[test]
    fn heights_and_lookup() {
        let t = SourceText::new("a\nb\nc".to_owned());
        let mut b = Blocks::new(&t);
        b.set_width(100.0, 10.0, 5.0);
        assert_eq!(b.total_height(), 30.0);
        assert!(b.set_measured(1, 25.0));
        b.rebuild_tops();
        assert_eq!(b.at_y(12.0), 1);
        assert_eq!(b.at_y(36.0), 2);
        assert_eq!(b.at_y(1000.0), 2);
    }
}
