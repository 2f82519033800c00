//! The default tokenizer and sentence splitter of token-based exports.
//!
//! Tokens are the Unicode word-boundary segments (UAX #29, via
//! `unicode-segmentation`) that contain something other than whitespace:
//! words and numbers stay whole (`firetrucks`, `3,000`, `don't`), every
//! punctuation mark is its own token (`“`, `”`, `—`, `.`), and an emoji ZWJ
//! sequence such as `👨🏻‍🚒` is one token. Whitespace follows spaCy's
//! convention so a spaCy `Doc(words, spaces)` rebuilds the text exactly: one
//! plain space after a token is that token's trailing `ws`; any other
//! whitespace run (newlines, tabs, a second space) is a whitespace token.
//!
//! Sentences are UAX #29 sentence segments, which also end at every line
//! break; exporters merge two sentences when a span crosses the boundary.
//!
//! Invariants: tokens are sorted, do not overlap, and together with their
//! `ws` spaces cover the text exactly; offsets count Unicode scalar values.

use unicode_segmentation::UnicodeSegmentation;

use crate::model::{CharRange, SourceText};

/// One token, in Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// First scalar value.
    pub start: usize,
    /// One past the last scalar value.
    pub end: usize,
    /// True when a single space follows and belongs to this token.
    pub ws: bool,
    /// True for a whitespace token (line breaks, runs of spaces).
    pub space: bool,
}

/// Splits a text into tokens (see the module docs for the rules).
#[must_use]
pub fn tokenize(text: &SourceText) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut gap: Option<(usize, usize, bool)> = None; // start, end, starts with ' '
    let mut pos = 0usize;
    for seg in text.as_str().split_word_bounds() {
        let len = seg.chars().count();
        if seg.chars().all(char::is_whitespace) {
            gap = Some(match gap {
                Some((s, _, sp)) => (s, pos + len, sp),
                None => (pos, pos + len, seg.starts_with(' ')),
            });
        } else {
            flush_gap(&mut tokens, gap.take());
            tokens.push(Token {
                start: pos,
                end: pos + len,
                ws: false,
                space: false,
            });
        }
        pos += len;
    }
    flush_gap(&mut tokens, gap);
    tokens
}

fn flush_gap(tokens: &mut Vec<Token>, gap: Option<(usize, usize, bool)>) {
    let Some((mut start, end, leading_space)) = gap else {
        return;
    };
    if leading_space && let Some(last) = tokens.last_mut().filter(|t| !t.space) {
        last.ws = true;
        start += 1;
    }
    if start < end {
        tokens.push(Token {
            start,
            end,
            ws: false,
            space: true,
        });
    }
}

/// Char offsets where sentences start (the first is 0), per UAX #29.
#[must_use]
pub fn sentence_starts(text: &SourceText) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut pos = 0usize;
    for s in text.as_str().split_sentence_bounds() {
        starts.push(pos);
        pos += s.chars().count();
    }
    if starts.is_empty() {
        starts.push(0);
    }
    starts
}

/// Indices `(first, last)` (inclusive) of the tokens whose boundaries match
/// `range` exactly, or `None` when a boundary falls inside a token or on
/// whitespace.
#[must_use]
pub fn exact_tokens(tokens: &[Token], range: CharRange) -> Option<(usize, usize)> {
    let (s, e) = (range.start().0, range.end().0);
    let first = tokens.partition_point(|t| t.start < s);
    let last = tokens.partition_point(|t| t.end < e);
    let (a, b) = (tokens.get(first)?, tokens.get(last)?);
    (a.start == s && b.end == e && first <= last && !a.space && !b.space).then_some((first, last))
}

/// Indices `(first, last)` (inclusive) of the non-whitespace tokens that
/// share at least one scalar value with `range`, or `None` when it covers
/// only whitespace.
#[must_use]
pub fn covering_tokens(tokens: &[Token], range: CharRange) -> Option<(usize, usize)> {
    let (s, e) = (range.start().0, range.end().0);
    let mut first = tokens.partition_point(|t| t.end <= s);
    let mut last = tokens.partition_point(|t| t.start < e).checked_sub(1)?;
    while first <= last && tokens.get(first)?.space {
        first += 1;
    }
    while last > first && tokens.get(last)?.space {
        last -= 1;
    }
    let t = tokens.get(first)?;
    (first <= last && !t.space && t.start < e).then_some((first, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let t = SourceText::new(text.to_owned());
        tokenize(&t)
            .iter()
            .map(|k| {
                let s = t.slice(CharRange::new(k.start, k.end)).unwrap_or("?");
                if k.ws { format!("{s}+") } else { s.to_owned() }
            })
            .collect()
    }

    #[test]
    fn firefighter_vector() {
        let t = SourceText::new("👨🏻‍🚒 firemen drive firetrucks".to_owned());
        let toks = tokenize(&t);
        assert_eq!(toks.len(), 4);
        assert_eq!((toks[3].start, toks[3].end), (19, 29));
        assert_eq!(exact_tokens(&toks, CharRange::new(19, 29)), Some((3, 3)));
        assert_eq!(exact_tokens(&toks, CharRange::new(20, 29)), None);
        assert_eq!(covering_tokens(&toks, CharRange::new(20, 22)), Some((3, 3)));
    }

    #[test]
    fn punctuation_quotes_dashes_and_spaces() {
        assert_eq!(
            words("“We had 3,000 tonnes,” she said — no.\n\nOK"),
            [
                "“", "We+", "had+", "3,000+", "tonnes", ",", "”+", "she+", "said+", "—+", "no",
                ".", "\n\n", "OK"
            ]
        );
        assert_eq!(words("a  b"), ["a+", " ", "b"]);
        assert_eq!(words(" a\r\n"), [" ", "a", "\r\n"]);
    }

    #[test]
    fn sentences_break_at_stops_and_lines() {
        let t = SourceText::new("One. Two\nThree".to_owned());
        assert_eq!(sentence_starts(&t), [0, 5, 9]);
    }
}
