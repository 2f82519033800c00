//! Splitting a document into blocks and keeping their heights.
//!
//! Invariants: blocks are in text order and never overlap; every block's
//! `text` range lies on char boundaries and excludes the line break that
//! ends its line; together, blocks plus line breaks cover the whole text.
//! The top of block `i` is the sum of the heights of blocks `0..i`, kept in
//! a Fenwick tree: a measured height updates it in O(log n) and lookups by
//! y are O(log n), so no frame does work proportional to the document.

use std::ops::Range;

use crate::model::SourceText;

/// Longest line, in bytes, shown as one block. Longer lines (a transcript
/// or a dump saved as one line) are cut into chunks of at most
/// [`CHUNK_BYTES`]; ordinary paragraphs stay whole.
pub const MAX_BLOCK_BYTES: usize = 4096;

/// Largest chunk of a line longer than [`MAX_BLOCK_BYTES`]. Each chunk is
/// laid out as a unit, so a chunk only partly on screen is laid out whole:
/// small chunks keep a fling or jump through one long line from laying out
/// far more than a screenful (4 KB chunks: ~37 rows each at the measure).
pub const CHUNK_BYTES: usize = 512;

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
    tops: Fenwick,
    /// Wrap width the measurements were made at.
    width: f32,
}

impl Blocks {
    /// Indexes `text` into blocks: one pass over the line starts
    /// ([`SourceText::line_byte_starts`], a memchr scan), no offset lookup
    /// per line (10 MB of prose took 12 ms that way).
    #[must_use]
    pub fn new(text: &SourceText) -> Self {
        let s = text.as_str();
        let bytes = s.as_bytes();
        let lines = text.line_count();
        let mut blocks = Vec::with_capacity(lines);
        let mut starts = text.line_byte_starts().skip(1);
        let mut start_b = 0;
        for line in 0..lines {
            let start_c = text.line_start(line).map_or(0, |c| c.0);
            let next_c = text.line_start(line + 1).map_or(text.char_len(), |c| c.0);
            let next_b = starts.next().unwrap_or(s.len());
            let mut end_b = next_b;
            if end_b > start_b && bytes.get(end_b - 1) == Some(&b'\n') {
                end_b -= 1;
            }
            if end_b > start_b && bytes.get(end_b - 1) == Some(&b'\r') {
                end_b -= 1;
            }
            // The break left out is one or two ASCII bytes: a char each.
            let end_c = next_c.saturating_sub(next_b - end_b);
            push_chunks(s, start_c..end_c, start_b..end_b, &mut blocks);
            start_b = next_b;
        }
        let n = blocks.len();
        let mut this = Self {
            blocks,
            heights: vec![0.0; n],
            measured: vec![false; n],
            tops: Fenwick::default(),
            width: 0.0,
        };
        this.tops = Fenwick::new(&this.heights);
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
    #[allow(clippy::cast_possible_truncation)]
    pub fn top(&self, i: usize) -> f32 {
        self.tops.prefix(i.min(self.blocks.len())) as f32
    }

    /// Height of block `i` (estimated or measured).
    #[must_use]
    pub fn height(&self, i: usize) -> f32 {
        self.heights.get(i).copied().unwrap_or(0.0)
    }

    /// Total height of the document.
    #[must_use]
    pub fn total_height(&self) -> f32 {
        self.top(self.blocks.len())
    }

    /// The block at vertical position `y` (clamped to the first/last block).
    #[must_use]
    pub fn at_y(&self, y: f32) -> usize {
        self.tops
            .last_at_or_below(f64::from(y))
            .min(self.blocks.len().saturating_sub(1))
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
        self.tops = Fenwick::new(&self.heights);
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
        let delta = f64::from(height) - f64::from(*h);
        *h = height;
        self.tops.add(i, delta);
        true
    }
}

/// Prefix sums of block heights (a Fenwick / binary indexed tree), in
/// `f64` so that millions of small updates do not drift.
#[derive(Clone, Debug, Default)]
struct Fenwick {
    /// 1-based: `tree[k]` sums the `k & k.wrapping_neg()` heights ending at `k`.
    tree: Vec<f64>,
}

impl Fenwick {
    /// Built in O(n) from the heights.
    fn new(heights: &[f32]) -> Self {
        let n = heights.len();
        let mut tree = vec![0.0; n + 1];
        for (i, h) in heights.iter().enumerate() {
            let k = i + 1;
            tree[k] += f64::from(*h);
            let parent = k + (k & k.wrapping_neg());
            if parent <= n {
                tree[parent] += tree[k];
            }
        }
        Self { tree }
    }

    /// Adds `delta` to element `i` (0-based).
    fn add(&mut self, i: usize, delta: f64) {
        let mut k = i + 1;
        while k < self.tree.len() {
            self.tree[k] += delta;
            k += k & k.wrapping_neg();
        }
    }

    /// Sum of the first `count` elements.
    fn prefix(&self, count: usize) -> f64 {
        let mut k = count.min(self.tree.len().saturating_sub(1));
        let mut sum = 0.0;
        while k > 0 {
            sum += self.tree[k];
            k -= k & k.wrapping_neg();
        }
        sum
    }

    /// The largest `count` whose prefix sum is `<= y` (0 when none).
    fn last_at_or_below(&self, y: f64) -> usize {
        let n = self.tree.len().saturating_sub(1);
        let mut pos = 0;
        let mut rest = y;
        let mut step = if n == 0 { 0 } else { 1 << n.ilog2() };
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next] <= rest {
                pos = next;
                rest -= self.tree[next];
            }
            step >>= 1;
        }
        pos
    }
}

/// Pushes `range` (bytes of one line) as one block, or, when longer than
/// [`MAX_BLOCK_BYTES`], as chunks of at most [`CHUNK_BYTES`] — cut where
/// it reads best: after a sentence's end in the chunk's second half, else
/// after a space in its last quarter, else at a char boundary.
fn push_chunks(s: &str, chars: Range<usize>, range: Range<usize>, out: &mut Vec<Block>) {
    if range.len() <= MAX_BLOCK_BYTES {
        out.push(Block {
            chars,
            bytes: range,
        });
        return;
    }
    let (mut start, mut cs) = (range.start, chars.start);
    loop {
        let mut end = range.end;
        if end - start > CHUNK_BYTES {
            end = start + CHUNK_BYTES;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            end = nice_cut(s, start, end);
        }
        let ce = cs + s.get(start..end).map_or(0, |p| p.chars().count());
        out.push(Block {
            chars: cs..ce,
            bytes: start..end,
        });
        if end >= range.end {
            debug_assert_eq!(ce, chars.end);
            break;
        }
        (start, cs) = (end, ce);
    }
}

/// Where to end a chunk that may run from `start` to `end` (a char
/// boundary): just after the last sentence end (`.`, `!`, `?` before a
/// space, or a CJK full stop) in the second half, else just after the last
/// space in the last quarter, else `end`.
fn nice_cut(s: &str, start: usize, end: usize) -> usize {
    let half = start + (end - start) / 2;
    let Some(piece) = s.get(half..end) else {
        return end;
    };
    let mut space = None;
    let mut after = None::<char>;
    for (i, c) in piece.char_indices().rev() {
        let next = after;
        after = Some(c);
        if matches!(c, '。' | '！' | '？') {
            return half + i + c.len_utf8();
        }
        if next.is_some_and(char::is_whitespace) && matches!(c, '.' | '!' | '?') {
            // Cut after the spaces that follow, so the chunk starts on a word.
            let rest = piece.get(i + c.len_utf8()..).unwrap_or_default();
            return end - rest.trim_start().len();
        }
        if space.is_none() && c == ' ' && half + i >= start + (end - start) * 3 / 4 {
            space = Some(half + i + 1);
        }
    }
    space.unwrap_or(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ByteOffset, CharOffset};
    use proptest::prelude::*;

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
            assert!(x.bytes.len() <= CHUNK_BYTES);
            assert!(line.is_char_boundary(x.bytes.end));
            next = x.chars.end;
        }
        assert_eq!(next, t.char_len());
    }

    #[test]
    fn paragraphs_stay_whole_and_long_lines_cut_after_sentences() {
        let para = "A claim. ".repeat(400); // 3,600 bytes: one block
        let long = "Ünd then.  Next one said so! ".repeat(400); // 12,000 bytes
        let cjk = "他说了这句话。".repeat(600);
        let text = format!("{para}\n{long}\n{cjk}");
        let t = SourceText::new(text.clone());
        let b = Blocks::new(&t);
        let blocks: Vec<Block> = (0..b.len()).filter_map(|i| b.get(i).cloned()).collect();
        assert_eq!(blocks[0].bytes, 0..para.len());
        let long_start = para.len() + 1;
        let mut chunks = 0;
        for x in &blocks[1..] {
            assert!(x.bytes.len() <= CHUNK_BYTES);
            let piece = text.get(x.bytes.clone()).unwrap_or_default();
            if x.bytes.end < long_start + long.len() {
                assert!(piece.ends_with(".  ") || piece.ends_with("! "), "{piece:?}");
                assert!(piece.len() >= CHUNK_BYTES / 2);
                chunks += 1;
            } else if x.bytes.start > long_start + long.len() && x.bytes.end < text.len() {
                assert!(piece.ends_with('。'), "{piece:?}");
            }
        }
        assert!(chunks >= long.len() / CHUNK_BYTES);
        // Chunks and lines still cover the text in order.
        let chars: usize = blocks.iter().map(|x| x.chars.len()).sum::<usize>() + 2;
        assert_eq!(chars, t.char_len());
    }

    #[test]
    fn a_cut_never_splits_a_char_even_without_spaces() {
        let line = "x".repeat(3) + &"é😀".repeat(3000);
        let t = SourceText::new(line.clone());
        let b = Blocks::new(&t);
        let mut next = 0;
        for i in 0..b.len() {
            let x = b.get(i).cloned().unwrap_or(Block {
                chars: 0..0,
                bytes: 0..0,
            });
            assert!(line.is_char_boundary(x.bytes.start) && line.is_char_boundary(x.bytes.end));
            assert!(!x.bytes.is_empty() && x.bytes.len() <= CHUNK_BYTES);
            assert_eq!(x.bytes.start, next);
            next = x.bytes.end;
        }
        assert_eq!(next, line.len());
    }

    #[test]
    fn heights_and_lookup() {
        let t = SourceText::new("a\nb\nc".to_owned());
        let mut b = Blocks::new(&t);
        b.set_width(100.0, 10.0, 5.0);
        assert_eq!(b.total_height(), 30.0);
        assert!(b.set_measured(1, 25.0));
        assert_eq!(b.at_y(12.0), 1);
        assert_eq!(b.at_y(36.0), 2);
        assert_eq!(b.at_y(1000.0), 2);
        assert_eq!(b.total_height(), 45.0);
    }

    #[test]
    fn prefix_sums_match_a_plain_sum_after_updates() {
        let line = "word ".repeat(30) + "\n";
        let t = SourceText::new(line.repeat(777));
        let mut b = Blocks::new(&t);
        b.set_width(100.0, 10.0, 5.0);
        let mut heights: Vec<f32> = (0..b.len()).map(|i| b.height(i)).collect();
        for k in 0..500 {
            let i = (k * 7919) % b.len();
            let h = 10.0 + ((k * 31) % 90) as f32;
            b.set_measured(i, h);
            heights[i] = h;
        }
        let mut y = 0.0f32;
        for (i, h) in heights.iter().enumerate() {
            assert!((b.top(i) - y).abs() < 0.01, "top of {i}");
            // Just inside the block, and exactly at its top.
            assert_eq!(b.at_y(y + h / 2.0), i);
            if *h > 0.0 {
                assert_eq!(b.at_y(y), i);
            }
            y += h;
        }
        assert_eq!(b.at_y(-5.0), 0);
        assert_eq!(b.at_y(y + 100.0), b.len() - 1);
    }

    /// The index as it was built before the one-pass [`Blocks::new`]: each
    /// line's and each chunk's offsets looked up in the text.
    fn by_lookups(t: &SourceText) -> Vec<Block> {
        let s = t.as_str();
        let char_of = |x: usize| t.char_of(ByteOffset(x)).map_or(0, |c| c.0);
        let mut out = Vec::new();
        for line in 0..t.line_count() {
            let start_c = t.line_start(line).map_or(0, |c| c.0);
            let next_c = t.line_start(line + 1).map_or(t.char_len(), |c| c.0);
            let start_b = t.byte_of(CharOffset(start_c)).map_or(0, |b| b.0);
            let next_b = t.byte_of(CharOffset(next_c)).map_or(s.len(), |b| b.0);
            let mut end_b = next_b;
            if end_b > start_b && s.as_bytes().get(end_b - 1) == Some(&b'\n') {
                end_b -= 1;
            }
            if end_b > start_b && s.as_bytes().get(end_b - 1) == Some(&b'\r') {
                end_b -= 1;
            }
            let mut one = Vec::new();
            push_chunks(
                s,
                char_of(start_b)..char_of(end_b),
                start_b..end_b,
                &mut one,
            );
            for x in one {
                out.push(Block {
                    chars: char_of(x.bytes.start)..char_of(x.bytes.end),
                    bytes: x.bytes,
                });
            }
        }
        out
    }

    fn check_against_lookups(text: &str) {
        let t = SourceText::new(text.to_owned());
        let b = Blocks::new(&t);
        let blocks: Vec<Block> = (0..b.len()).filter_map(|i| b.get(i).cloned()).collect();
        assert_eq!(blocks, by_lookups(&t));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn blocks_match_offset_lookups(
            parts in prop::collection::vec(
                prop_oneof![
                    Just("word ".to_owned()),
                    Just("é".to_owned()),
                    Just("😀".to_owned()),
                    Just("他说。".to_owned()),
                    Just(". ".to_owned()),
                    Just("\n".to_owned()),
                    Just("\r\n".to_owned()),
                    Just("\r".to_owned()),
                    Just("\u{2028}".to_owned()),
                    (1usize..1500).prop_map(|n| "ab é. ".repeat(n)),
                ],
                0..40,
            )
        ) {
            check_against_lookups(&parts.concat());
        }
    }
}
