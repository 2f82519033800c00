//! UAX #29 sentence boundaries, exactly as `unicode-segmentation` gives
//! them, looked up only in the pieces of text that can hold one.
//!
//! The text is cut just after each line feed (always a boundary) and
//! between a letter + space and a lowercase ASCII letter (never one); see
//! the parent module. A piece with no terminator and no paragraph
//! separator (only [`neutral`] characters besides) has no boundary
//! inside; any other piece is handed to `unicode-segmentation` alone.
//!
//! Invariant: [`sentence_byte_starts`] gives the byte offsets of
//! `str::split_sentence_bound_indices`.

use unicode_segmentation::UnicodeSegmentation;

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
    // The block letters first: `is_alphabetic` is slow to ask.
    super::words::is_block_letter(c)
        || c.is_alphabetic()
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
    fn pieces_end_where_the_docs_say() {
        let p = sentence_piece("It is. so", 0);
        assert_eq!((p.end, p.plain, p.after_line), (3, true, false));
        let p = sentence_piece("Go. Now\nx", 0);
        assert_eq!((p.end, p.plain, p.after_line), (8, false, true));
        assert_eq!(sentence_byte_starts("One. Two\nThree"), [0, 5, 9]);
    }
}
