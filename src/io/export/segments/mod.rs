//! UAX #29 word and sentence boundaries, fast on prose in Latin, Greek
//! and Cyrillic script, equal to `unicode-segmentation`'s (property-tested
//! and exhaustively tested on short strings against it).
//!
//! `unicode-segmentation` looks up every character's property in a table
//! and runs a general state machine: about 280 ms of CPU for the words and
//! sentences of 10 MB of prose. Here the text is cut into *pieces* at
//! places where the outcome of the rules is known and no rule looks across
//! the cut; a piece made of simple characters is segmented by a small
//! machine, and any other piece is handed to `unicode-segmentation` on its
//! own, which gives the same boundaries inside it as the whole text would.
//!
//! **Word cuts** fall between an ASCII space and a letter or digit (an
//! ASCII one, or a Latin, Greek or Cyrillic letter).
//! There is always a word boundary there (no rule joins a space to a
//! letter or digit: WB3d joins only spaces, WB4 only extending marks, WB5
//! to WB13b need a letter, digit, mid-letter or connector on the left), no
//! rule that decides a later boundary looks back past a letter or digit
//! (WB4 skips only extending marks, WB7/WB7c/WB12 look back two characters,
//! WB15/16 count only regional indicators), and the rules that look ahead
//! (WB6, WB7b, WB11) look one character past a mid-letter, which the
//! space stops. The machine is `unicode-segmentation`'s own ASCII fast
//! path (used there only for `unicode_word_indices` of an all-ASCII
//! string) over character classes: runs of spaces; runs of letters, digits
//! and `_` joined through `.` `'` `’` `‘` `:` between letters and `.` `,`
//! `;` `'` `’` `‘` between digits; CR LF; every other character alone. Its
//! simple characters are ASCII, the letters of the Latin, Greek and
//! Cyrillic blocks, dashes, curly double quotes, guillemets and the
//! ellipsis; each non-ASCII one is tested in every class's company.
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
//! piece without a terminator, a CR or LF or another paragraph separator
//! has no boundary inside it (SB998).
//!
//! Invariants: [`word_bounds`] yields exactly
//! `str::split_word_bound_indices`; [`sentence_byte_starts`] the byte
//! offsets of `str::split_sentence_bound_indices`.

mod sentences;
mod words;

pub use sentences::sentence_byte_starts;
pub use words::{WordBounds, word_bounds};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

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

    /// `word_bounds` and `sentence_byte_starts` of `s` equal the crate's.
    fn check(s: &str) -> Result<(), TestCaseError> {
        prop_assert_eq!(
            word_bounds(s).collect::<Vec<_>>(),
            reference_words(s),
            "{:?}",
            s
        );
        prop_assert_eq!(sentence_byte_starts(s), reference_sentences(s), "{:?}", s);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn words_and_sentences_match_unicode_segmentation(s in text()) {
            check(&s)?;
        }

        #[test]
        fn prose_words_and_sentences_match(s in prose()) {
            check(&s)?;
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
                if let Err(e) = check(&s) {
                    panic!("{e}");
                }
            }
        }
    }
}
