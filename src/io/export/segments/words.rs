//! UAX #29 word boundaries, exactly as `unicode-segmentation` gives them,
//! without its per-character table look-ups where the text is made of
//! *simple* characters (see [`class`]).
//!
//! The text is cut between an ASCII space and a simple letter or digit:
//! there is always a boundary there and no rule looks across (see the
//! parent module). Up to the last cut before the first character that is
//! not simple, the segments come from a small machine over classes; from
//! there to the first cut after that character, from
//! `unicode-segmentation` on that piece alone.
//!
//! Invariant: [`word_bounds`] yields exactly
//! `str::split_word_bound_indices`.

use std::sync::OnceLock;

use unicode_segmentation::{UWordBoundIndices, UnicodeSegmentation};

/// The word segments of `text` with their byte offsets, as
/// `text.split_word_bound_indices()` gives them.
#[must_use]
pub fn word_bounds(text: &str) -> WordBounds<'_> {
    WordBounds {
        text,
        pos: 0,
        region_end: 0,
        slow: None,
        slow_base: 0,
        ascii: true,
    }
}

/// Iterator of [`word_bounds`].
pub struct WordBounds<'a> {
    text: &'a str,
    /// Where the next segment starts.
    pos: usize,
    /// Where the current region ends (a word cut or the end of the text):
    /// simple characters up to there, or handed to `slow`.
    region_end: usize,
    /// The segments of a region that is not all simple characters.
    slow: Option<UWordBoundIndices<'a>>,
    /// Where that region starts in `text`.
    slow_base: usize,
    /// The current region is plain ASCII (segmented byte by byte).
    ascii: bool,
}

impl<'a> Iterator for WordBounds<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        loop {
            if let Some(slow) = &mut self.slow {
                if let Some((at, seg)) = slow.next() {
                    return Some((self.slow_base + at, seg));
                }
                self.slow = None;
                self.pos = self.region_end;
            }
            if self.pos < self.region_end {
                let at = self.pos;
                let region = self.text.get(at..self.region_end)?;
                self.pos += if self.ascii {
                    ascii_word(region.as_bytes())
                } else {
                    simple_word(region)
                };
                return Some((at, self.text.get(at..self.pos)?));
            }
            if self.pos >= bytes.len() {
                return None;
            }
            // The next region: plain ASCII up to the last cut before the
            // next non-ASCII character; else from here to the first cut
            // after it, segmented by classes when its characters are all
            // simple, or else handed to `unicode-segmentation`.
            let first = self.pos + ascii_run(bytes.get(self.pos..)?);
            if first >= bytes.len() {
                (self.region_end, self.ascii) = (bytes.len(), true);
                continue;
            }
            if let Some(cut) = last_word_cut(self.text, self.pos, first) {
                (self.region_end, self.ascii) = (cut, true);
                continue;
            }
            let end = next_word_cut(self.text, first);
            let word = self.text.get(first..end)?;
            if word.chars().all(|c| class(c).is_some()) {
                (self.region_end, self.ascii) = (end, false);
            } else {
                self.slow = Some(self.text.get(self.pos..end)?.split_word_bound_indices());
                self.slow_base = self.pos;
                self.region_end = end;
            }
        }
    }
}

/// Whether a word cut falls at `i`: just after a space, before a letter
/// or digit of the simple characters.
fn is_word_cut(text: &str, i: usize) -> bool {
    let bytes = text.as_bytes();
    if i == 0 || bytes.get(i - 1) != Some(&b' ') {
        return false;
    }
    match bytes.get(i) {
        Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
        Some(_) => at(text, i).is_some_and(|(_, k)| k == Class::Letter),
        None => false,
    }
}

/// The last word cut in `from + 1 ..= before`, if any.
fn last_word_cut(text: &str, from: usize, before: usize) -> Option<usize> {
    (from + 1..=before).rev().find(|&i| is_word_cut(text, i))
}

/// The first word cut after `from`, or the end of the text.
fn next_word_cut(text: &str, from: usize) -> usize {
    (from + 1..text.len())
        .find(|&i| is_word_cut(text, i))
        .unwrap_or(text.len())
}

/// The number of ASCII bytes `b` starts with.
fn ascii_run(b: &[u8]) -> usize {
    let mut done = 0;
    for chunk in b.chunks(32) {
        if chunk.is_ascii() {
            done += chunk.len();
        } else {
            return done + chunk.iter().take_while(|b| b.is_ascii()).count();
        }
    }
    done
}

/// What a simple character is to the word rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// U+0020 (WSegSpace): runs of it are one segment.
    Space,
    /// A letter (ALetter).
    Letter,
    /// An ASCII digit (Numeric).
    Digit,
    /// `_` (ExtendNumLet): joins letters, digits and itself.
    Connector,
    /// `.` `'` `‘` `’` (MidNumLet, Single_Quote): joins two letters or
    /// two digits.
    MidBoth,
    /// `:` (MidLetter): joins two letters.
    MidLetter,
    /// `,` `;` (MidNum): joins two digits.
    MidNum,
    /// CR, which joins a following LF.
    Cr,
    /// A segment of its own (WB999): every other ASCII character, and the
    /// dashes, curly double quotes, guillemets and ellipsis.
    Alone,
}

/// The class of a simple character, or `None` for any other: simple are
/// ASCII, the letters of the Latin-1, Latin Extended-A/B, Greek and
/// Cyrillic blocks, and a few punctuation marks common in prose. Every
/// non-ASCII one is checked against `unicode-segmentation` in the tests.
fn class(c: char) -> Option<Class> {
    match ASCII_CLASSES.get(c as usize) {
        Some(&k) => Some(k),
        None if is_block_letter(c) => Some(Class::Letter),
        None => match c {
            '\u{2018}' | '\u{2019}' => Some(Class::MidBoth),
            '\u{ab}' | '\u{bb}' | '\u{2013}' | '\u{2014}' | '\u{201c}' | '\u{201d}'
            | '\u{2026}' => Some(Class::Alone),
            _ => None,
        },
    }
}

/// First code point of the letter table.
const TABLE_FROM: u32 = 0xc0;
/// One past the last code point of the letter table.
const TABLE_TO: u32 = 0x500;

/// Whether `c` is alphabetic and in the Latin-1 letters, Latin
/// Extended-A/B, Greek or Cyrillic blocks; a bit table computed once from
/// `char::is_alphabetic` (which is slow to ask per character).
pub(super) fn is_block_letter(c: char) -> bool {
    static TABLE: OnceLock<[u64; 17]> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [0u64; 17];
        for cp in TABLE_FROM..TABLE_TO {
            let in_blocks = cp <= 0x24f || cp >= 0x370;
            if in_blocks && char::from_u32(cp).is_some_and(char::is_alphabetic) {
                let i = (cp - TABLE_FROM) as usize;
                if let Some(word) = t.get_mut(i / 64) {
                    *word |= 1 << (i % 64);
                }
            }
        }
        t
    });
    let Some(i) = u32::from(c).checked_sub(TABLE_FROM) else {
        return false;
    };
    let i = i as usize;
    table
        .get(i / 64)
        .is_some_and(|word| word >> (i % 64) & 1 == 1)
}

/// The classes of the ASCII characters (all simple).
const ASCII_CLASSES: [Class; 128] = {
    let mut table = [Class::Alone; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b' ' => Class::Space,
            b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
            b'0'..=b'9' => Class::Digit,
            b'_' => Class::Connector,
            b'.' | b'\'' => Class::MidBoth,
            b':' => Class::MidLetter,
            b',' | b';' => Class::MidNum,
            b'\r' => Class::Cr,
            _ => Class::Alone,
        };
        b += 1;
    }
    table
};

/// The length and class of the character at byte `i` of `s` (`Alone` for
/// one that is not simple, which a simple region does not hold).
fn at(s: &str, i: usize) -> Option<(usize, Class)> {
    let b = *s.as_bytes().get(i)?;
    if let Some(&k) = ASCII_CLASSES.get(usize::from(b)) {
        return Some((1, k));
    }
    let c = s.get(i..)?.chars().next()?;
    Some((c.len_utf8(), class(c).unwrap_or(Class::Alone)))
}

/// A letter, digit or `_` (ALetter, Numeric, ExtendNumLet).
fn is_core(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `b`, between `prev` and `next`, joins them (WB6/7, WB11/12).
fn is_infix(b: u8, prev: u8, next: u8) -> bool {
    match b {
        b'.' | b',' | b';' | b'\'' if prev.is_ascii_digit() && next.is_ascii_digit() => true,
        b'\'' | b'.' | b':' => prev.is_ascii_alphabetic() && next.is_ascii_alphabetic(),
        _ => false,
    }
}

/// The length of the first word segment of a non-empty all-ASCII region:
/// [`simple_word`] restricted to ASCII bytes, kept because plain-ASCII
/// regions (most of English prose) segment faster this way than through
/// character classes (`segment_10mb`: 82–101 against 108–138 ms).
fn ascii_word(b: &[u8]) -> usize {
    let Some(&first) = b.first() else {
        return 0;
    };
    if first == b' ' {
        return b.iter().take_while(|&&c| c == b' ').count();
    }
    if is_core(first) {
        let mut i = 1;
        while let Some(&c) = b.get(i) {
            let joined = is_core(c)
                || match (b.get(i - 1), b.get(i + 1)) {
                    (Some(&prev), Some(&next)) => is_infix(c, prev, next),
                    _ => false,
                };
            if !joined {
                break;
            }
            i += 1;
        }
        return i;
    }
    if first == b'\r' && b.get(1) == Some(&b'\n') {
        2
    } else {
        1
    }
}

/// The length in bytes of the first word segment of a non-empty region of
/// simple characters.
fn simple_word(s: &str) -> usize {
    let Some((len0, k0)) = at(s, 0) else {
        return 0;
    };
    match k0 {
        Class::Space => s.bytes().take_while(|&b| b == b' ').count(),
        Class::Cr if s.as_bytes().get(1) == Some(&b'\n') => 2,
        Class::Letter | Class::Digit | Class::Connector => {
            let mut end = len0;
            let mut prev = k0;
            while let Some((len, k)) = at(s, end) {
                match k {
                    Class::Letter | Class::Digit | Class::Connector => {
                        end += len;
                        prev = k;
                    }
                    Class::MidBoth | Class::MidLetter | Class::MidNum => {
                        let Some((next_len, kn)) =
                            at(s, end + len).filter(|&(_, kn)| joins(prev, k, kn))
                        else {
                            break;
                        };
                        end += len + next_len;
                        prev = kn;
                    }
                    _ => break,
                }
            }
            end
        }
        _ => len0,
    }
}

/// Whether `mid` between `prev` and `next` keeps them in one word (WB6/7
/// for letters, WB11/12 for digits).
fn joins(prev: Class, mid: Class, next: Class) -> bool {
    match (prev, next) {
        (Class::Letter, Class::Letter) => matches!(mid, Class::MidBoth | Class::MidLetter),
        (Class::Digit, Class::Digit) => matches!(mid, Class::MidBoth | Class::MidNum),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(s: &str) -> Vec<(usize, &str)> {
        s.split_word_bound_indices().collect()
    }

    /// Every non-ASCII simple character, between and beside one of each
    /// class (and another non-ASCII letter and quote), segments as
    /// `unicode-segmentation` segments it: its class is its role.
    #[test]
    fn every_simple_character_acts_as_its_class() {
        let others = [
            'a', 'Z', '7', '_', ' ', '.', '\'', ':', ',', ';', '\r', '\n', '!', '"', 'é', '’',
        ];
        let mut n = 0;
        let mut s = String::new();
        for c in ('\u{80}'..=char::MAX).filter(|&c| class(c).is_some()) {
            for x in others {
                for y in others {
                    for t in [[x, c, y], [c, x, y], [x, y, c], [c, x, c]] {
                        s.clear();
                        s.extend(t);
                        assert_eq!(word_bounds(&s).collect::<Vec<_>>(), reference(&s), "{s:?}");
                    }
                }
            }
            n += 1;
        }
        assert!(n > 700, "{n}");
    }

    #[test]
    fn cuts_and_regions() {
        assert_eq!(next_word_cut("ab cd", 0), 3);
        assert_eq!(next_word_cut("ab  é", 0), 4);
        assert_eq!(next_word_cut("ab “x", 0), 7);
        assert_eq!(last_word_cut("ab cd e", 0, 6), Some(6));
        assert_eq!(last_word_cut("ab cd e", 0, 5), Some(3));
        assert_eq!(ascii_run("ab é 🔥".as_bytes()), 3);
        assert_eq!(ascii_run(b"abc"), 3);
        assert_eq!(ascii_word(b"3,000.5 t"), 7);
        assert_eq!(simple_word("café’s x"), "café’s".len());
        assert_eq!(simple_word("3,000.5 t"), 7);
        assert_eq!(simple_word("a.1"), 1);
        for cp in 0x80..0x600u32 {
            let c = char::from_u32(cp).unwrap_or_default();
            let in_blocks = (0xc0..0x250).contains(&cp) || (0x370..0x500).contains(&cp);
            assert_eq!(is_block_letter(c), in_blocks && c.is_alphabetic(), "{c:?}");
        }
        for c in '\0'..='\u{7f}' {
            let want = match c {
                ' ' => Class::Space,
                'a'..='z' | 'A'..='Z' => Class::Letter,
                '0'..='9' => Class::Digit,
                '_' => Class::Connector,
                '.' | '\'' => Class::MidBoth,
                ':' => Class::MidLetter,
                ',' | ';' => Class::MidNum,
                '\r' => Class::Cr,
                _ => Class::Alone,
            };
            assert_eq!(class(c), Some(want), "{c:?}");
        }
    }
}
