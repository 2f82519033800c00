//! The default tokenizer and sentence splitter of token-based exports.
//!
//! Tokens are the Unicode word-boundary segments (UAX #29, exactly as
//! `unicode-segmentation` gives them, found faster on mostly-ASCII text by
//! [`super::segments`]) that contain something other than whitespace:
//! words and numbers stay whole (`firetrucks`, `3,000`, `don't`), every
//! punctuation mark is its own token (`“`, `”`, `—`, `.`), and an emoji ZWJ
//! sequence such as `👨🏻‍🚒` is one token. Whitespace follows spaCy's
//! convention so a spaCy `Doc(words, spaces)` rebuilds the text exactly: one
//! plain space after a token is that token's trailing `ws`; any other
//! whitespace run (newlines, tabs, a second space) is a whitespace token.
//!
//! Sentences are UAX #29 sentence segments (also via [`super::segments`]),
//! which also end at every line break; exporters merge two sentences when a
//! span crosses the boundary.
//!
//! Long texts are segmented in two halves on two threads (`std::thread::scope`),
//! cut just after a line break that is followed by a non-whitespace
//! character: UAX #29 always breaks words and sentences after a line
//! break and no rule looks back across one, and the whitespace run before
//! the cut ends there, so the halves give exactly the tokens and sentences
//! of the whole (tested against a single pass).
//!
//! Invariants: tokens are sorted, do not overlap, and together with their
//! `ws` spaces cover the text exactly; offsets count Unicode scalar values,
//! and each token also carries its byte range in the text.

use std::ops::Range;

use super::segments;
use crate::model::{ByteOffset, CharRange, SourceText};

/// One token, in Unicode scalar values (and bytes).
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
    /// Byte offset of `start` in the text.
    pub byte_start: usize,
    /// Byte offset of `end` in the text.
    pub byte_end: usize,
}

impl Token {
    /// The token's text (its bytes in `text`).
    #[must_use]
    pub fn text<'t>(&self, text: &'t SourceText) -> &'t str {
        text.as_str()
            .get(self.byte_start..self.byte_end)
            .unwrap_or_default()
    }
}

/// Texts shorter than this are segmented on the calling thread.
const PARALLEL_BYTES: usize = 256 << 10;

/// Where a chunk of the text starts, in bytes and in scalar values.
#[derive(Clone, Copy)]
struct Base {
    byte: usize,
    char: usize,
}

/// The byte offset where a long text may be cut in two (see the module
/// docs), or `None`.
fn cut(text: &SourceText) -> Option<Base> {
    let s = text.as_str();
    if s.len() < PARALLEL_BYTES {
        return None;
    }
    let bytes = s.as_bytes();
    let mid = s.len() / 2;
    memchr::memchr_iter(b'\n', bytes.get(mid..)?)
        .map(|i| mid + i + 1)
        .find(|&b| {
            s.get(b..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(|c| !c.is_whitespace())
        })
        .and_then(|byte| {
            let char = text.char_of(ByteOffset(byte))?.0;
            Some(Base { byte, char })
        })
}

/// Splits a text into tokens (see the module docs for the rules).
#[must_use]
pub fn tokenize(text: &SourceText) -> Vec<Token> {
    segment(text, false).0
}

/// Char offsets where sentences start (the first is 0), per UAX #29.
#[must_use]
pub fn sentence_starts(text: &SourceText) -> Vec<usize> {
    let mut starts = char_starts(text.as_str(), 0);
    if starts.is_empty() {
        starts.push(0);
    }
    starts
}

/// The sentence starts of `s` in scalar values, `s` starting at scalar
/// value `base`.
fn char_starts(s: &str, base: usize) -> Vec<usize> {
    let mut pos = base;
    let mut last = 0;
    segments::sentence_byte_starts(s)
        .into_iter()
        .map(|b| {
            let between = s.get(last..b).unwrap_or_default();
            pos += if between.is_ascii() {
                between.len()
            } else {
                between.chars().count()
            };
            last = b;
            pos
        })
        .collect()
}

/// The tokens and the sentence starts of a text, as [`tokenize`] and
/// [`sentence_starts`] give them, segmented on two threads when long.
#[must_use]
pub fn tokens_and_sentences(text: &SourceText) -> (Vec<Token>, Vec<usize>) {
    segment(text, true)
}

fn segment(text: &SourceText, sentences: bool) -> (Vec<Token>, Vec<usize>) {
    let s = text.as_str();
    let whole = Base { byte: 0, char: 0 };
    let Some(cut) = cut(text) else {
        return segment_chunk(s, whole, sentences);
    };
    let (head, tail) = s.split_at(cut.byte);
    let ((mut tokens, mut starts), (more_tokens, more_starts)) = crate::model::parallel::both(
        || segment_into(head, whole, sentences, s.len()),
        || segment_chunk(tail, cut, sentences),
    );
    tokens.extend_from_slice(&more_tokens);
    starts.extend_from_slice(&more_starts);
    if starts.is_empty() && sentences {
        starts.push(0);
    }
    (tokens, starts)
}

/// Tokens (and sentence starts when asked) of `s`, which starts at `base`.
fn segment_chunk(s: &str, base: Base, sentences: bool) -> (Vec<Token>, Vec<usize>) {
    segment_into(s, base, sentences, s.len())
}

/// [`segment_chunk`] with room for tokens of `room` bytes of text (the
/// first half makes room for the second, which is appended to it).
fn segment_into(s: &str, base: Base, sentences: bool, room: usize) -> (Vec<Token>, Vec<usize>) {
    let tokens = tokenize_chunk(s, base, room);
    let mut starts = Vec::new();
    if sentences {
        starts = char_starts(s, base.char);
        if starts.is_empty() && base.char == 0 {
            starts.push(0);
        }
    }
    (tokens, starts)
}

/// A whitespace run not yet written: chars, bytes, starts with `' '`.
struct Gap {
    chars: Range<usize>,
    bytes: Range<usize>,
    leading_space: bool,
}

fn tokenize_chunk(s: &str, base: Base, room: usize) -> Vec<Token> {
    // Prose has a token every five to six bytes.
    let mut tokens: Vec<Token> = Vec::with_capacity(room / 5 + 1);
    let mut gap: Option<Gap> = None;
    let mut pos = base.char;
    for (at, seg) in segments::word_bounds(s) {
        let b = base.byte + at;
        let len = if seg.is_ascii() {
            seg.len()
        } else {
            seg.chars().count()
        };
        let blank = !seg
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphanumeric)
            && seg.chars().all(char::is_whitespace);
        if blank {
            match &mut gap {
                Some(g) => {
                    g.chars.end = pos + len;
                    g.bytes.end = b + seg.len();
                }
                None => {
                    gap = Some(Gap {
                        chars: pos..pos + len,
                        bytes: b..b + seg.len(),
                        leading_space: seg.starts_with(' '),
                    });
                }
            }
        } else {
            flush_gap(&mut tokens, gap.take());
            tokens.push(Token {
                start: pos,
                end: pos + len,
                ws: false,
                space: false,
                byte_start: b,
                byte_end: b + seg.len(),
            });
        }
        pos += len;
    }
    flush_gap(&mut tokens, gap);
    tokens
}

fn flush_gap(tokens: &mut Vec<Token>, gap: Option<Gap>) {
    let Some(Gap {
        mut chars,
        mut bytes,
        leading_space,
    }) = gap
    else {
        return;
    };
    if leading_space && let Some(last) = tokens.last_mut().filter(|t| !t.space) {
        last.ws = true;
        chars.start += 1;
        bytes.start += 1;
    }
    if chars.start < chars.end {
        tokens.push(Token {
            start: chars.start,
            end: chars.end,
            ws: false,
            space: true,
            byte_start: bytes.start,
            byte_end: bytes.end,
        });
    }
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

    /// The reference: one pass over the whole text, on this thread.
    fn one_pass(t: &SourceText) -> (Vec<Token>, Vec<usize>) {
        let whole = Base { byte: 0, char: 0 };
        segment_chunk(t.as_str(), whole, true)
    }

    #[test]
    fn halves_give_the_tokens_and_sentences_of_the_whole() {
        // Long enough to be cut; every kind of paragraph start after the cut.
        let pieces = [
            "Ελλάδα said “no.” ",
            "3,000 tonnes\n\n",
            "e\u{301}t\u{e9} 👨🏻‍🚒 fire.\n",
            "\u{301}lone mark\r\n",
            "  spaced  \n\t\n",
            "🇫🇷🇩🇪 flags\n",
            "\u{200d}\u{1f692} zwj\n",
            "a.b\n",
            "x\u{2028}y\u{85}\n",
            "'quoted' \"dq\" 1.5\n",
        ];
        let mut text = String::new();
        let mut k = 0usize;
        while text.len() < 2 * PARALLEL_BYTES {
            text.push_str(pieces[k % pieces.len()]);
            k = (k * 7 + 3) % 1009;
        }
        for trim in [0usize, 1, 2, 5, 17] {
            let n = text.chars().count() - trim;
            let t = SourceText::new(text.chars().take(n).collect());
            assert!(cut(&t).is_some());
            let (tokens, starts) = tokens_and_sentences(&t);
            let (want_tokens, want_starts) = one_pass(&t);
            assert_eq!(tokens, want_tokens);
            assert_eq!(starts, want_starts);
            assert_eq!(tokenize(&t), want_tokens);
            assert_eq!(sentence_starts(&t), want_starts);
            for tok in &tokens {
                assert_eq!(
                    Some(tok.text(&t)),
                    t.slice(CharRange::new(tok.start, tok.end))
                );
            }
        }
    }

    #[test]
    fn sentences_break_at_stops_and_lines() {
        let t = SourceText::new("One. Two\nThree".to_owned());
        assert_eq!(sentence_starts(&t), [0, 5, 9]);
    }
}
