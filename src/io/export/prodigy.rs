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
//!
//! Lines are written straight into the output (the bytes `serde_json`
//! gives for `{text, tokens: [{text, start, end, id, ws}], spans: [{start,
//! end, label, token_start, token_end, note?, author?}], meta: {document,
//! offset_unit}}`); a long token list is written in pieces on two
//! threads and joined in order ([`Out::in_pieces`]).

use crate::io::export::align::{Window, align_in};
use crate::io::export::json::{JsonWriter, write_str};
use crate::io::export::out::Out;
use crate::io::export::report::Tally;
use crate::io::export::select::DocPart;
use crate::io::export::tokenize::{Token, tokenize};
use crate::io::export::{Ctx, ExportError, OFFSET_UNIT};
use crate::model::SourceText;

/// One span line entry, before sorting.
struct SpanOut<'a> {
    start: usize,
    end: usize,
    label: &'a str,
    token_start: usize,
    token_end: usize,
    note: Option<&'a str>,
    author: &'a str,
}

/// Appends `{"text":…,"start":…,"end":…,"id":…,"ws":…}` for each token,
/// ids counted from `first_id`, each preceded by a comma unless it is
/// token 0.
fn write_tokens(out: &mut Vec<u8>, text: &SourceText, tokens: &[Token], first_id: usize) {
    let mut n = itoa::Buffer::new();
    for (k, t) in tokens.iter().enumerate() {
        let id = first_id + k;
        out.extend_from_slice(if id == 0 {
            b"{\"text\":"
        } else {
            b",{\"text\":"
        });
        write_str(out, t.text(text));
        out.extend_from_slice(b",\"start\":");
        out.extend_from_slice(n.format(t.start).as_bytes());
        out.extend_from_slice(b",\"end\":");
        out.extend_from_slice(n.format(t.end).as_bytes());
        out.extend_from_slice(b",\"id\":");
        out.extend_from_slice(n.format(id).as_bytes());
        out.extend_from_slice(if t.ws {
            b",\"ws\":true}"
        } else {
            b",\"ws\":false}"
        });
    }
}

/// Bytes of a token entry without its text and numbers.
const TOKEN_OVERHEAD: usize = 48;

/// Writes the token list (without brackets), on two threads when long
/// ([`Out::in_pieces`]: the bytes of one pass).
fn tokens_json(out: &mut Out, text: &SourceText, tokens: &[Token]) {
    let avg = tokens
        .last()
        .zip(tokens.first())
        .map_or(0, |(l, f)| l.byte_end - f.byte_start)
        / tokens.len().max(1);
    out.in_pieces(tokens, avg + TOKEN_OVERHEAD + 24, |buf, first, piece| {
        write_tokens(buf, text, piece, first);
    });
}

/// Renders the JSONL (tokens for every document, spans aligned per policy).
///
/// # Errors
/// Cancelled.
pub fn render(docs: &[DocPart<'_>], ctx: &mut Ctx<'_>, mut out: Out) -> Result<Out, ExportError> {
    let policy = ctx.opts.align_policy();
    let guess: usize = docs
        .iter()
        .map(|d| d.text.byte_len() * 2 + 256 + d.spans.len() * 128)
        .sum();
    out.expect(guess);
    let mut w = JsonWriter::new(out, false);
    for dp in docs {
        ctx.tick()?;
        let tokens = tokenize(dp.text);
        let mut tally = Tally::new(&dp.doc.name);
        let mut spans = Vec::with_capacity(dp.spans.len());
        let mut window = Window::default();
        for s in &dp.spans {
            let Some(p) = align_in(dp.doc, s, &tokens, &mut window, policy, false, ctx.report)
            else {
                continue;
            };
            tally.add(s.label);
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
        tally.finish(ctx.report);
        // Snapping can make two spans identical or reorder them.
        spans.sort_by(|a, b| (a.start, a.end, a.label).cmp(&(b.start, b.end, b.label)));
        w.begin_object();
        w.str_field("text", dp.text.as_str());
        w.key("tokens");
        // The brackets of a compact array, the tokens written in between.
        w.raw(b"[");
        tokens_json(w.out_mut(), dp.text, &tokens);
        w.raw(b"]");
        w.key("spans");
        w.begin_array();
        for s in &spans {
            w.item();
            w.begin_object();
            w.uint_field("start", s.start);
            w.uint_field("end", s.end);
            w.str_field("label", s.label);
            w.uint_field("token_start", s.token_start);
            w.uint_field("token_end", s.token_end);
            if let Some(note) = s.note {
                w.str_field("note", note);
            }
            if !s.author.is_empty() {
                w.str_field("author", s.author);
            }
            w.end_object();
        }
        w.end_array();
        w.key("meta");
        w.begin_object();
        w.str_field("document", &dp.doc.name);
        w.str_field("offset_unit", OFFSET_UNIT);
        w.end_object();
        w.end_object();
        w.raw(b"\n");
    }
    Ok(w.out())
}
