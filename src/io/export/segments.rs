//! UAX #29 word and sentence boundaries, fast on mostly-ASCII text, equal to
//! `unicode-segmentation`'s (property-tested and exhaustively tested on
//! short strings against it).
//!
//! `unicode-segmentation` looks up every character's property in a table
//! and runs a general state machine: about 280 ms of CPU for the words and
//! sentences of 10 MB of prose. Here the text is cut into *pieces* at
//! places where the outcome of the rules is known and no rule looks across
//! the cut; a piece that is plain ASCII is segmented by a small byte
//! machine, and any other piece is handed to `unicode-segmentation` on its
//! own, which gives the same boundaries inside it as the whole text would.
//!
//! **Word cuts** fall between an ASCII space and an ASCII letter or digit.
//! There is always a word boundary there (no rule joins a space to a
//! letter or digit: WB3d joins only spaces, WB4 only extending marks, WB5
//! to WB13b need a letter, digit, mid-letter or connector on the left), no
//! rule that decides a later boundary looks back past a letter or digit
//! (WB4 skips only extending marks, WB7/WB7c/WB12 look back two characters,
//! WB15/16 count only regional indicators), and the rules that look ahead
//! (WB6, WB7b, WB11) look one character past a mid-letter, which the
//! space stops. The ASCII machine is `unicode-segmentation`'s own
//! ASCII fast path (used there only for `unicode_word_indices` of an
//! all-ASCII string): runs of spaces; runs of letters, digits and `_`
//! joined through `.` `'` `:` between letters and `.` `,` `;` `'` between
//! digits; CR LF; every other byte alone.
//!
//! **Sentence cuts** fall just after a line feed (SB4 always breaks after
//! a paragraph separator, and no rule looks back across one or ahead past
//! one), and between a space and an ASCII lowercase letter when an ASCII
//! letter comes before the space. There is never a sentence boundary
//! there (a break needs a full stop, `!`, `?` or another terminator
//! followed only by closing marks and spaces, SB11, and here a letter
//! comes first), no later decision looks back past the lowercase letter
//! (SB6 to SB11 look back only through spaces, closing marks and one
//! terminator, and SB7 one letter before it), and the one rule that looks
//! ahead far, SB8, stops at the first letter: the one before the space. A
//! piece without a terminator, a CR or LF, or any non-ASCII character has
//! no boundary inside it (SB998).
//!
//! Invariants: [`word_bounds`] yields exactly
//! `str::split_word_bound_indices`; [`sentence_byte_starts`] the byte
//! offsets of `str::split_sentence_bound_indices`.

use unicode_segmentation::{UWordBoundIndices, UnicodeSegmentation};

/// The word segments of `text` with their byte offsets, as
/// `text.split_word_bound_indices()` gives them.
#[must_use]
pub fn word_bounds(text: &str) -> WordBounds<'_> {
    WordBounds {
        text,
        pos: 0,
        piece_end: 0,
        slow: None,
        slow_base: 0,
    }
}

/// Iterator of [`word_bounds`].
pub struct WordBounds<'a> {
    text: &'a str,
    /// Where the next segment starts.
    pos: usize,
    /// Where the current region ends (a word cut or the end of the text):
    /// plain ASCII up to there, or handed to `slow`.
    piece_end: usize,
    /// The segments of a region that is not plain ASCII.
    slow: Option<UWordBoundIndices<'a>>,
    /// Where that region starts in `text`.
    slow_base: usize,
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
                self.pos = self.piece_end;
            }
            if self.pos < self.piece_end {
                let at = self.pos;
                self.pos += ascii_word(bytes.get(at..self.piece_end)?);
                return Some((at, self.text.get(at..self.pos)?));
            }
            if self.pos >= bytes.len() {
                return None;
            }
            // The next region: plain ASCII up to the last cut before the
            // next non-ASCII byte or, when there is no such cut, from here
            // to the first cut after that byte, for `unicode-segmentation`.
            let Some(other) = next_non_ascii(bytes, self.pos) else {
                self.piece_end = bytes.len();
                continue;
            };
            match last_word_cut(bytes, self.pos, other) {
                Some(cut) => self.piece_end = cut,
                None => {
                    let end = next_word_cut(bytes, other);
                    self.slow = Some(self.text.get(self.pos..end)?.split_word_bound_indices());
                    self.slow_base = self.pos;
                    self.piece_end = end;
                }
            }
        }
    }
}

/// Whether a word cut falls at `i`: just after a space, before an ASCII
/// letter or digit.
fn is_word_cut(bytes: &[u8], i: usize) -> bool {
    i > 0 && bytes.get(i - 1) == Some(&b' ') && bytes.get(i).is_some_and(u8::is_ascii_alphanumeric)
}

/// The last word cut in `from + 1 ..= before`, if any.
fn last_word_cut(bytes: &[u8], from: usize, before: usize) -> Option<usize> {
    (from + 1..=before).rev().find(|&i| is_word_cut(bytes, i))
}

/// The first word cut after `from`, or the end of the text.
fn next_word_cut(bytes: &[u8], from: usize) -> usize {
    (from + 1..bytes.len())
        .find(|&i| is_word_cut(bytes, i))
        .unwrap_or(bytes.len())
}

/// The index of the first byte at or after `from` that is not ASCII.
fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let mut done = 0;
    for chunk in rest.chunks(32) {
        if chunk.is_ascii() {
            done += chunk.len();
        } else {
            return chunk
                .iter()
                .position(|b| !b.is_ascii())
                .map(|i| from + done + i);
        }
    }
    None
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

/// The length of the first word segment of a non-empty all-ASCII region.
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

/// The byte offsets where the sentences of `text` start, as
/// `text.split_sentence_bound_indices()` gives them (none for an empty
/// text).
#[must_use]
pub fn sentence_byte_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    // Prose has a sentence every hundred bytes or so.
    let mut starts = Vec::with_capacity(bytes.len() / 64 + 1);
    let mut from = 0;
    let mut starts_sentence = true;
    while from < bytes.len() {
        let piece = sentence_piece(text, from);
        if starts_sentence {
            starts.push(from);
        }
        if !piece.plain {
            let Some(s) = text.get(from..piece.end) else {
                break;
            };
            starts.extend(
                s.split_sentence_bound_indices()
                    .map(|(at, _)| from + at)
                    .filter(|&at| at > from),
            );
        }
        starts_sentence = piece.after_line;
        from = piece.end;
    }
    starts
}

/// Whether a non-ASCII character is certainly neither a sentence
/// terminator (STerm, ATerm) nor a paragraph separator (Sep): letters,
/// combining marks, the dashes, quotes and bullets of General Punctuation
/// up to U+2023 (U+2024 ONE DOT LEADER is an ATerm), and the emoji planes
/// with their variation selectors and ZWJ. Checked against
/// `unicode-segmentation` for every character in the tests.
fn neutral(c: char) -> bool {
    c.is_alphabetic()
        || matches!(
            c,
            '\u{300}'..='\u{36f}'
                | '\u{200d}'
                | '\u{2010}'..='\u{2023}'
                | '\u{fe00}'..='\u{fe0f}'
                | '\u{1f000}'..='\u{1faff}'
        )
}

/// A piece of text between two sentence cuts.
struct SentencePiece {
    /// Where it ends (a sentence cut or the end of the text).
    end: usize,
    /// No terminator, CR, LF or other paragraph separator before its end
    /// (only characters [`neutral`] to sentences): no sentence boundary
    /// inside.
    plain: bool,
    /// It ends just after a line feed (a sentence starts after it).
    after_line: bool,
}

/// The piece starting at `from`: up to just after the next line feed, or to
/// the next lowercase ASCII letter after a space after an ASCII letter.
fn sentence_piece(text: &str, from: usize) -> SentencePiece {
    let bytes = text.as_bytes();
    let mut plain = true;
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        if b == b'\n' {
            return SentencePiece {
                end: i,
                plain: false,
                after_line: true,
            };
        }
        plain &= match b {
            b'.' | b'!' | b'?' | b'\r' => false,
            // ASCII, or inside a character already looked at.
            0..0xc0 => true,
            _ => text
                .get(i - 1..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(neutral),
        };
        if b == b' '
            && bytes.get(i).is_some_and(u8::is_ascii_lowercase)
            && i >= 2
            && bytes.get(i - 2).is_some_and(u8::is_ascii_alphabetic)
        {
            return SentencePiece {
                end: i,
                plain,
                after_line: false,
            };
        }
    }
    SentencePiece {
        end: bytes.len(),
        plain,
        after_line: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reference_words(s: &str) -> Vec<(usize, &str)> {
        s.split_word_bound_indices().collect()
    }

    fn reference_sentences(s: &str) -> Vec<usize> {
        s.split_sentence_bound_indices().map(|(at, _)| at).collect()
    }

    /// Characters that exercise every rule the cuts rely on: letters of
    /// both cases, digits, mid-letters and mid-numbers, connectors, spaces
    /// of several kinds, line breaks, terminators, closing marks,
    /// extending marks, ZWJ, emoji, regional indicators, Hebrew and
    /// Katakana, non-ASCII letters and terminators.
    const ALPHABET: &[char] = &[
        'a', 'b', 'Z', 'Q', '1', '9', ' ', ' ', ' ', '.', ',', ';', ':', '\'', '"', '_', '!', '?',
        '\n', '\r', '\t', '\u{b}', '\u{c}', '(', ')', '-', 'é', 'Ж', '”', '“', '’', '\u{301}',
        '\u{200d}', '\u{200b}', '\u{a0}', '\u{3000}', '🔥', '👨', '🇫', '🇷', 'א', 'ア', '北', '。',
        '！', '\u{85}', '\u{2028}', '\u{2029}', '\u{ad}', '\u{fe0f}',
    ];

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(ALPHABET), 0..80)
            .prop_map(|cs| cs.into_iter().collect())
    }

    /// Mostly-ASCII prose, where the fast paths do the work.
    fn prose() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            8 => proptest::sample::select(&["the", "Port", "said", "fire", "a", "3,000", "e.g", "don't", "x_y"][..]),
            4 => proptest::sample::select(&[" ", " ", "  ", ". ", "! ", "? ", ", ", "\n", "\r\n", ".\n"][..]),
            1 => proptest::sample::select(&["café", "“q”", "—", "🔥", "\u{301}", "。", ".)", "\u{2028}", "Ж"][..]),
        ];
        proptest::collection::vec(piece, 0..60).prop_map(|ps| ps.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn words_match_unicode_segmentation(s in text()) {
            prop_assert_eq!(word_bounds(&s).collect::<Vec<_>>(), reference_words(&s));
        }

        #[test]
        fn sentences_match_unicode_segmentation(s in text()) {
            prop_assert_eq!(sentence_byte_starts(&s), reference_sentences(&s));
        }

        #[test]
        fn prose_words_match(s in prose()) {
            prop_assert_eq!(word_bounds(&s).collect::<Vec<_>>(), reference_words(&s));
        }

        #[test]
        fn prose_sentences_match(s in prose()) {
            prop_assert_eq!(sentence_byte_starts(&s), reference_sentences(&s));
        }
    }

    /// Every string of up to five characters over a small alphabet chosen
    /// around the cuts (space, letters of both cases, terminators, a
    /// closing mark, an extending mark, a line feed, a digit).
    #[test]
    fn every_short_string_matches() {
        let alphabet = [
            'a', 'B', ' ', '.', '?', '\n', '1', '”', '\u{301}', 'é', '\'',
        ];
        let n = alphabet.len();
        let mut s = String::new();
        for len in 0..=5u32 {
            for mut k in 0..n.pow(len) {
                s.clear();
                for _ in 0..len {
                    s.push(alphabet[k % n]);
                    k /= n;
                }
                assert_eq!(
                    word_bounds(&s).collect::<Vec<_>>(),
                    reference_words(&s),
                    "{s:?}"
                );
                assert_eq!(sentence_byte_starts(&s), reference_sentences(&s), "{s:?}");
            }
        }
    }

    /// No character taken as neutral ends a sentence: after a terminator
    /// or a paragraph separator, a space and a capital start a new one.
    #[test]
    fn neutral_characters_never_end_a_sentence() {
        let mut n = 0;
        for c in ('\u{80}'..=char::MAX).filter(|&c| neutral(c)) {
            let s = format!("{c} A");
            assert_eq!(s.split_sentence_bounds().count(), 1, "{c:?}");
            n += 1;
        }
        assert!(n > 100_000, "{n}");
        for c in [
            '\u{85}', '\u{2024}', '\u{2028}', '。', '！', '\u{964}', '\u{203c}',
        ] {
            assert!(!neutral(c), "{c:?}");
            assert_eq!(format!("{c} A").split_sentence_bounds().count(), 2, "{c:?}");
        }
    }

    #[test]
    fn cuts_are_where_the_docs_say() {
        assert_eq!(next_word_cut(b"ab cd", 0), 3);
        assert_eq!(last_word_cut(b"ab cd e", 0, 6), Some(6));
        assert_eq!(last_word_cut(b"ab cd e", 0, 5), Some(3));
        assert_eq!(next_non_ascii("ab é".as_bytes(), 0), Some(3));
        assert_eq!(next_non_ascii(b"abc", 0), None);
        let p = sentence_piece("It is. so", 0);
        assert_eq!((p.end, p.plain, p.after_line), (3, true, false));
        let p = sentence_piece("Go. Now\nx", 0);
        assert_eq!((p.end, p.plain, p.after_line), (8, false, true));
        assert_eq!(sentence_byte_starts("One. Two\nThree"), [0, 5, 9]);
    }
}
