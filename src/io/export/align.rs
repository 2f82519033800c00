//! Aligning spans with tokens, as the alignment policy says — the pre-flight
//! that tells which spans spaCy's `char_span(alignment_mode="strict")`
//! would reject when the document is built from our tokens.
//!
//! Invariant: a span that is not exactly on token boundaries always gets a
//! report entry, whatever the policy: snapped, dropped, or kept-and-reported.

use crate::io::export::options::AlignPolicy;
use crate::io::export::report::{EntryKind, FidelityReport};
use crate::io::export::select::{Span, span_entry};
use crate::io::export::tokenize::{Token, covering_tokens, exact_tokens};
use crate::model::{CharRange, Document};

/// A span placed on tokens: its range and first/last token (inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placed {
    /// Range written.
    pub range: CharRange,
    /// First token index.
    pub first: usize,
    /// Last token index (inclusive).
    pub last: usize,
}

/// Finds the tokens around spans visited in start order by galloping
/// forward from the previous span instead of searching the whole list
/// (a binary search over millions of tokens misses the cache at each
/// step). Spans out of order fall back to a full search.
#[derive(Default)]
pub struct Window {
    lo: usize,
}

/// Smallest index `>= from` whose token fails `pred` (`pred` holds for
/// every token before `from` and is monotone).
fn gallop(tokens: &[Token], from: usize, pred: impl Fn(&Token) -> bool) -> usize {
    let (mut known, mut probe, mut step) = (from, from, 1usize);
    while tokens.get(probe).is_some_and(&pred) {
        known = probe + 1;
        probe = from.saturating_add(step);
        step = step.saturating_mul(2);
    }
    let end = probe.min(tokens.len());
    known
        + tokens
            .get(known..end)
            .map_or(0, |w| w.partition_point(&pred))
}

impl Window {
    /// `(lo, hi)`: the tokens before `lo` end at or before `range`'s start
    /// and those from `hi` on start at or after its end, so every search
    /// for the span's tokens can look at `tokens[lo..hi]` only.
    fn around(&mut self, tokens: &[Token], range: CharRange) -> (usize, usize) {
        let (s, e) = (range.start().0, range.end().0);
        let before = |t: &Token| t.end <= s;
        if self.lo > 0 && tokens.get(self.lo - 1).is_some_and(|t| !before(t)) {
            self.lo = 0;
        }
        let lo = gallop(tokens, self.lo, before);
        self.lo = lo;
        (lo, gallop(tokens, lo, |t| t.start < e))
    }
}

/// Places `span` on `tokens`. `whole_tokens` is true for tag formats,
/// which cannot keep a partial token (`Keep` then snaps, and says so).
/// Returns `None` when the span is dropped (reported).
#[must_use]
pub fn align(
    doc: &Document,
    span: &Span<'_>,
    tokens: &[Token],
    policy: AlignPolicy,
    whole_tokens: bool,
    report: &mut FidelityReport,
) -> Option<Placed> {
    align_in(
        doc,
        span,
        tokens,
        &mut Window::default(),
        policy,
        whole_tokens,
        report,
    )
}

/// [`align`] for spans visited in start order, with a [`Window`] kept
/// from one span to the next (same results).
#[must_use]
pub fn align_in(
    doc: &Document,
    span: &Span<'_>,
    tokens: &[Token],
    window: &mut Window,
    policy: AlignPolicy,
    whole_tokens: bool,
    report: &mut FidelityReport,
) -> Option<Placed> {
    // For a non-empty span (s < e) the searches give the same indices on
    // tokens[lo..hi] as on all tokens (see `Window::around`).
    let (s, e) = (span.range.start().0, span.range.end().0);
    let (lo, hi) = if span.range.is_empty() {
        (
            tokens.partition_point(|t| t.end <= s),
            tokens.partition_point(|t| t.start < e),
        )
    } else {
        window.around(tokens, span.range)
    };
    let (base, near) = if span.range.is_empty() {
        (0, tokens)
    } else {
        (lo, tokens.get(lo..hi).unwrap_or_default())
    };
    let shift = |(a, b): (usize, usize)| (a + base, b + base);
    if let Some((first, last)) = exact_tokens(near, span.range).map(shift) {
        return Some(Placed {
            range: span.range,
            first,
            last,
        });
    }
    let covering = covering_tokens(near, span.range).map(shift);
    let snapped = covering.and_then(|(a, b)| {
        let (ta, tb) = (tokens.get(a)?, tokens.get(b)?);
        Some(Placed {
            range: CharRange::new(ta.start, tb.end),
            first: a,
            last: b,
        })
    });
    match (policy, whole_tokens) {
        (AlignPolicy::Keep, false) => {
            // lo and hi are these partition points over all tokens.
            let first = lo.min(tokens.len().saturating_sub(1));
            let last = hi.saturating_sub(1);
            report.push(span_entry(
                EntryKind::Misaligned,
                doc,
                span,
                "a boundary falls inside a token; kept exact (spaCy's char_span(strict) on these tokens would return None)".into(),
            ));
            Some(Placed {
                range: span.range,
                first,
                last: last.max(first),
            })
        }
        (AlignPolicy::Drop, _) => {
            report.push(span_entry(
                EntryKind::DroppedMisaligned,
                doc,
                span,
                "a boundary falls inside a token; left out".into(),
            ));
            None
        }
        _ => match snapped {
            Some(p) => {
                let why = if policy == AlignPolicy::Keep {
                    "tags mark whole tokens: "
                } else {
                    ""
                };
                report.push(span_entry(
                    EntryKind::Snapped,
                    doc,
                    span,
                    snapped_detail(why, p.range),
                ));
                Some(p)
            }
            None => {
                report.push(span_entry(
                    EntryKind::Dropped,
                    doc,
                    span,
                    "it covers only whitespace, which has no tokens".into(),
                ));
                None
            }
        },
    }
}

/// `"{why}snapped outward to START..END"`, built without the formatting
/// machinery (one per snapped span: tens of thousands in a big export).
fn snapped_detail(why: &str, r: CharRange) -> String {
    let mut s = String::with_capacity(why.len() + 48);
    s.push_str(why);
    s.push_str("snapped outward to ");
    crate::io::export::report::push_range(&mut s, r);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::export::tokenize::tokenize;
    use crate::model::SourceText;
    use proptest::prelude::*;

    #[test]
    fn snapped_detail_reads_as_the_range_is_shown() {
        let r = CharRange::new(7, 12_345);
        assert_eq!(snapped_detail("", r), format!("snapped outward to {r}"));
        assert_eq!(
            snapped_detail("tags mark whole tokens: ", r),
            "tags mark whole tokens: snapped outward to 7..12345"
        );
    }

    proptest! {
        #[test]
        fn window_searches_agree_with_whole_list_searches(
            text in "([a-z]{1,6}|[ .,\n]|  |\u{e9}|\u{1F692}){0,200}",
            ranges in prop::collection::vec((0usize..400, 1usize..30), 0..60),
        ) {
            let t = SourceText::new(text);
            let tokens = tokenize(&t);
            let mut ranges: Vec<CharRange> =
                ranges.into_iter().map(|(a, n)| CharRange::new(a, a + n)).collect();
            // Mostly in start order, with jumps back.
            ranges.sort_by_key(|r| r.start().0 % 150);
            let mut window = Window::default();
            for r in ranges {
                let (s, e) = (r.start().0, r.end().0);
                let (lo, hi) = window.around(&tokens, r);
                prop_assert_eq!(lo, tokens.partition_point(|t| t.end <= s));
                prop_assert_eq!(hi, tokens.partition_point(|t| t.start < e));
                let near = &tokens[lo..hi];
                let shift = |(a, b): (usize, usize)| (a + lo, b + lo);
                prop_assert_eq!(exact_tokens(near, r).map(shift), exact_tokens(&tokens, r));
                prop_assert_eq!(covering_tokens(near, r).map(shift), covering_tokens(&tokens, r));
            }
        }
    }
}
