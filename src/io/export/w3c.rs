//! W3C Web Annotation Data Model, as a JSON-LD `AnnotationCollection`.
//!
//! Invariants: each annotation targets its document's project-relative
//! path with a `TextQuoteSelector` (exact text, up to 32 code points of
//! prefix and suffix, taken from the current text) and a
//! `TextPositionSelector` (`start`/`end` in Unicode code points, which is
//! what the model specifies); the label is a `TextualBody` with
//! `purpose: tagging`, a note a second `TextualBody` with
//! `purpose: commenting`; `creator`, `created` and `modified` carry the
//! author and times. Ids are `urn:spanmark:annotation:<id>`. Overlaps are
//! kept; nothing is lost.
//!
//! Written straight into the output by
//! [`crate::io::export::json::JsonWriter`] in its line layout: the bytes
//! `serde_json::to_string_pretty` gives for `{@context, type, label,
//! total, first: {type, items}}`, except that each item is one line, as
//! `serde_json::to_string` writes `{id, type, body, target: {source,
//! selector: [quote, position]}, creator?, created, modified}` (one
//! annotation per line: half the bytes of a fully indented file).

use crate::io::export::cursor::{ByteCursor, context};
use crate::io::export::json::JsonWriter;
use crate::io::export::label_studio::{id_string, stamp};
use crate::io::export::out::Out;
use crate::io::export::report::Tally;
use crate::io::export::select::{DocPart, Span};
use crate::io::export::{Ctx, ExportError};
use crate::model::annotation::CONTEXT_CHARS;

fn body(w: &mut JsonWriter, purpose: &str, value: &str) {
    w.item();
    w.begin_object();
    w.str_field("type", "TextualBody");
    w.str_field("purpose", purpose);
    w.str_field("value", value);
    w.str_field("format", "text/plain");
    w.end_object();
}

/// Bytes of one item's line (a guess for the buffer size).
const ITEM_BYTES: usize = 560;

/// The depth of the items (collection → first page → items), each written
/// on one line.
const ITEM_DEPTH: usize = 3;

/// Writes one annotation of `dp`.
fn item(w: &mut JsonWriter, dp: &DocPart<'_>, s: &Span<'_>, cursor: &mut ByteCursor<'_>) {
    w.item();
    w.begin_object();
    w.key("id");
    id_string(w, "urn:spanmark:annotation:", s.ann.id.0);
    w.str_field("type", "Annotation");
    w.key("body");
    w.begin_array();
    body(w, "tagging", s.label);
    if let Some(note) = &s.ann.note {
        body(w, "commenting", note);
    }
    w.end_array();
    w.key("target");
    w.begin_object();
    w.str_field("source", &dp.doc.path);
    w.key("selector");
    w.begin_array();
    let (prefix, exact, suffix) = context(cursor, s.range, CONTEXT_CHARS).unwrap_or_default();
    w.item();
    w.begin_object();
    w.str_field("type", "TextQuoteSelector");
    w.str_field("exact", exact);
    w.str_field("prefix", prefix);
    w.str_field("suffix", suffix);
    w.end_object();
    w.item();
    w.begin_object();
    w.str_field("type", "TextPositionSelector");
    w.uint_field("start", s.range.start().0);
    w.uint_field("end", s.range.end().0);
    w.end_object();
    w.end_array();
    w.end_object();
    let author: &str = &s.ann.author;
    if !author.is_empty() {
        w.key("creator");
        w.begin_object();
        w.str_field("type", "Person");
        w.str_field("name", author);
        w.end_object();
    }
    w.key("created");
    stamp(w, s.ann.created);
    w.key("modified");
    stamp(w, s.ann.modified);
    w.end_object();
}

/// Renders the collection (pretty-printed JSON-LD, one item per line).
///
/// # Errors
/// Cancelled.
pub fn render(docs: &[DocPart<'_>], ctx: &mut Ctx<'_>, mut out: Out) -> Result<Out, ExportError> {
    let total: usize = docs.iter().map(|d| d.spans.len()).sum();
    out.expect(512 + total * ITEM_BYTES);
    let mut w = JsonWriter::lines(out, ITEM_DEPTH);
    w.begin_object();
    w.str_field("@context", "http://www.w3.org/ns/anno.jsonld");
    w.str_field("type", "AnnotationCollection");
    w.str_field("label", &ctx.opts.stem);
    w.uint_field("total", total);
    w.key("first");
    w.begin_object();
    w.str_field("type", "AnnotationPage");
    w.key("items");
    w.begin_array();
    for dp in docs {
        ctx.tick()?;
        let mut tally = Tally::new(&dp.doc.name);
        for s in &dp.spans {
            tally.add(s.label);
        }
        w.items_in_pieces(&dp.spans, ITEM_BYTES, |w, part| {
            let mut cursor = ByteCursor::new(dp.text);
            for s in part {
                item(w, dp, s, &mut cursor);
            }
        });
        tally.finish(ctx.report);
    }
    w.end_array();
    w.end_object();
    w.end_object();
    w.raw(b"\n");
    Ok(w.out())
}
