//! doccano JSONL: sequence labeling (`label: [[start, end, "claim"]]`) and
//! the relation variant (`entities` + `relations`).
//!
//! Invariants: one line per document, in project order; offsets in Unicode
//! code points, stated on each line as `offset_unit`; overlapping spans are
//! kept. doccano's web UI counts UTF-16 units, so documents with characters
//! above U+FFFF get a warning entry. Spanmark has no relations yet, so
//! `relations` is always empty. The plain variant cannot hold notes (each
//! is reported); the relation variant carries `note` and `author` on each
//! entity, which doccano keeps as extra fields.
//!
//! Lines are written straight into one buffer by
//! [`crate::io::export::json::JsonWriter`] (the bytes `serde_json` would
//! write for `{id, text, label, document, offset_unit}` /
//! `{id, text, entities, relations, document, offset_unit}`).

use crate::io::export::json::JsonWriter;
use crate::io::export::out::Out;
use crate::io::export::report::{Entry, EntryKind, Tally};
use crate::io::export::select::{DocPart, span_entry};
use crate::io::export::{Ctx, ExportError, OFFSET_UNIT};

fn warn_astral(dp: &DocPart<'_>, ctx: &mut Ctx<'_>) {
    // A scalar value above U+FFFF is exactly one whose UTF-8 lead byte is
    // 0xF0 or more.
    if dp.text.as_str().bytes().any(|b| b >= 0xF0) {
        ctx.report.push(Entry {
            kind: EntryKind::OffsetUnitWarning,
            document: dp.doc.name.clone(),
            annotation: None,
            label: None,
            range: None,
            detail: "the text has characters above U+FFFF (emoji): offsets here are code points, while doccano's web UI counts UTF-16 units".into(),
        });
    }
}

/// Output size guess: the texts plus a few dozen bytes per span.
fn capacity(docs: &[DocPart<'_>], per_span: usize) -> usize {
    docs.iter()
        .map(|d| d.text.byte_len() + 128 + d.spans.len() * per_span)
        .sum()
}

fn tail(w: &mut JsonWriter, dp: &DocPart<'_>) {
    w.str_field("document", &dp.doc.name);
    w.str_field("offset_unit", OFFSET_UNIT);
    w.end_object();
    w.raw(b"\n");
}

/// The plain sequence-labeling JSONL.
///
/// # Errors
/// Cancelled.
pub fn plain(docs: &[DocPart<'_>], ctx: &mut Ctx<'_>, mut out: Out) -> Result<Out, ExportError> {
    out.expect(capacity(docs, 32));
    let mut w = JsonWriter::new(out, false);
    for dp in docs {
        ctx.tick()?;
        warn_astral(dp, ctx);
        let mut tally = Tally::new(&dp.doc.name);
        w.begin_object();
        w.uint_field("id", dp.doc.id.0);
        w.str_field("text", dp.text.as_str());
        w.key("label");
        w.begin_array();
        for s in &dp.spans {
            if s.ann.note.is_some() {
                ctx.report.push(span_entry(
                    EntryKind::NoteDropped,
                    dp.doc,
                    s,
                    "doccano's label triples have no place for notes".into(),
                ));
            }
            tally.add(s.label);
            w.item();
            w.begin_array();
            w.item();
            w.uint(s.range.start().0);
            w.item();
            w.uint(s.range.end().0);
            w.item();
            w.str(s.label);
            w.end_array();
        }
        w.end_array();
        tally.finish(ctx.report);
        tail(&mut w, dp);
    }
    Ok(w.out())
}

/// The JSONL with entities and relations.
///
/// # Errors
/// Cancelled.
pub fn with_relations(
    docs: &[DocPart<'_>],
    ctx: &mut Ctx<'_>,
    mut out: Out,
) -> Result<Out, ExportError> {
    out.expect(capacity(docs, 100));
    let mut w = JsonWriter::new(out, false);
    for dp in docs {
        ctx.tick()?;
        warn_astral(dp, ctx);
        let mut tally = Tally::new(&dp.doc.name);
        w.begin_object();
        w.uint_field("id", dp.doc.id.0);
        w.str_field("text", dp.text.as_str());
        w.key("entities");
        w.begin_array();
        for s in &dp.spans {
            tally.add(s.label);
            w.item();
            w.begin_object();
            w.uint_field("id", s.ann.id.0);
            w.str_field("label", s.label);
            w.uint_field("start_offset", s.range.start().0);
            w.uint_field("end_offset", s.range.end().0);
            if let Some(note) = s.ann.note.as_deref() {
                w.str_field("note", note);
            }
            let author: &str = &s.ann.author;
            if !author.is_empty() {
                w.str_field("author", author);
            }
            w.end_object();
        }
        w.end_array();
        tally.finish(ctx.report);
        // Spanmark has no relations yet.
        w.key("relations");
        w.begin_array();
        w.end_array();
        tail(&mut w, dp);
    }
    Ok(w.out())
}
