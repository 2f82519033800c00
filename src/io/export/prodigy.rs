//! Prodigy / spaCy JSONL: `text`, `tokens` and `spans` per document.
//!
//! Invariants: one line per document, in project order; token and span
//! offsets in Unicode code points; `token_end` is inclusive (Prodigy's
//! convention); tokens follow [`crate::io::export::tokenize`], so
//! `Doc(vocab, words, spaces)` rebuilt from them reproduces the text and
//! every span that was aligned (or snapped) is accepted by
//! `char_span(alignment_mode="strict")`. Overlapping spans are kept
//! (`spans_manual` style). Each span carries its `note` and `author`; `meta`
//! names the document and the offset unit. The `spacy` format writes the
//! same lines (spans snapped by default) next to the DocBin helper.

use serde::Serialize;

use crate::io::export::align::align;
use crate::io::export::select::DocPart;
use crate::io::export::tokenize::tokenize;
use crate::io::export::{Ctx, ExportError, OFFSET_UNIT, json_line};
use crate::model::CharRange;

#[derive(Serialize)]
struct Line<'a> {
    text: &'a str,
    tokens: Vec<Tok<'a>>,
    spans: Vec<SpanOut<'a>>,
    meta: Meta<'a>,
}

#[derive(Serialize)]
struct Tok<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    id: usize,
    ws: bool,
}

#[derive(Serialize)]
struct SpanOut<'a> {
    start: usize,
    end: usize,
    label: &'a str,
    token_start: usize,
    token_end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    author: &'a str,
}

#[derive(Serialize)]
struct Meta<'a> {
    document: &'a str,
    offset_unit: &'static str,
}

/// Renders the JSONL (tokens for every document, spans aligned per policy).
///
/// # Errors
/// Cancelled, or a serialiser bug.
pub fn render(docs: &[DocPart<'_>], ctx: &mut Ctx<'_>) -> Result<String, ExportError> {
    let policy = ctx.opts.align_policy();
    let mut out = String::new();
    for dp in docs.iter() {
        ctx.tick()?;
        let tokens = tokenize(dp.text);
        let mut spans = Vec::new();
        for s in &dp.spans {
            let Some(p) = align(dp.doc, s, &tokens, policy, false, ctx.report) else {
                continue;
            };
            ctx.report.count(&dp.doc.name, s.label);
            spans.push(SpanOut {
                start: p.range.start().0,
                end: p.range.end().0,
                label: s.label,
                token_start: p.first,
                token_end: p.last,
                note: s.ann.note.as_deref(),
                author: &s.ann.author,
            });
        }
        // Snapping can make two spans identical or reorder them.
        spans.sort_by(|a, b| (a.start, a.end, a.label).cmp(&(b.start, b.end, b.label)));
        let toks = tokens
            .iter()
            .enumerate()
            .map(|(id, t)| Tok {
                text: dp
                    .text
                    .slice(CharRange::new(t.start, t.end))
                    .unwrap_or_default(),
                start: t.start,
                end: t.end,
                id,
                ws: t.ws,
            })
            .collect();
        out.push_str(&json_line(&Line {
            text: dp.text.as_str(),
            tokens: toks,
            spans,
            meta: Meta {
                document: &dp.doc.name,
                offset_unit: OFFSET_UNIT,
            },
        })?);
    }
    Ok(out)
}
