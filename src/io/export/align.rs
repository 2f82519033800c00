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
    if let Some((first, last)) = exact_tokens(tokens, span.range) {
        return Some(Placed {
            range: span.range,
            first,
            last,
        });
    }
    let covering = covering_tokens(tokens, span.range);
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
            let (s, e) = (span.range.start().0, span.range.end().0);
            let first = tokens
                .partition_point(|t| t.end <= s)
                .min(tokens.len().saturating_sub(1));
            let last = tokens.partition_point(|t| t.start < e).saturating_sub(1);
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
                    format!("{why}snapped outward to {}", p.range),
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
