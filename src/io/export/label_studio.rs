//! Label Studio task JSON: a list of tasks, one per document.
//!
//! Invariants: `start`/`end` count Unicode code points (what Label Studio's
//! `<Text>` tag uses); every result carries the covered `text`, so
//! `data.text[start:end] == value.text` in Python. Results go under one
//! `annotations` entry, or under `predictions` (pre-annotations) when asked.
//! Notes go in the region's `meta.text` (Label Studio's region comment),
//! author and times in `meta` too. Overlaps are kept. Result ids are
//! `a<annotation id>`. The labeling config assumed is
//! `<Labels name="label" toName="text">` over `<Text name="text">`.
//!
//! Written straight into the output by
//! [`crate::io::export::json::JsonWriter`] in its line layout: the bytes
//! `serde_json::to_string_pretty` gives for
//! `[{id, data: {text, document}, annotations: [{id, result}] (or
//! predictions: [{model_version, result}]), meta: {offset_unit}}]`, except
//! that each result is one line, as `serde_json::to_string` writes
//! `{id, from_name, to_name, type, origin, value: {start, end, text,
//! labels}, meta: {text?, author, created, modified}}` (one annotation per
//! line: half the bytes of a fully indented file, and greppable).

use crate::io::export::cursor::ByteCursor;
use crate::io::export::json::JsonWriter;
use crate::io::export::out::Out;
use crate::io::export::report::Tally;
use crate::io::export::select::{DocPart, Span};
use crate::io::export::{Ctx, ExportError, OFFSET_UNIT};

/// Writes `"PREFIX<n>"`.
pub(crate) fn id_string(w: &mut JsonWriter, prefix: &str, n: u64) {
    let out = w.buffer();
    out.push(b'"');
    out.extend_from_slice(prefix.as_bytes());
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    out.push(b'"');
}

/// Writes a timestamp as a JSON string (its text needs no escaping).
pub(crate) fn stamp(w: &mut JsonWriter, t: crate::model::Timestamp) {
    let out = w.buffer();
    out.push(b'"');
    out.extend_from_slice(
        crate::io::project_file::timestamp::text(t)
            .as_str()
            .as_bytes(),
    );
    out.push(b'"');
}

/// Bytes of one result's line (a guess for the buffer size).
const RESULT_BYTES: usize = 400;

/// The depth of the results (task list → task → annotations → entry →
/// result list), each written on one line.
const RESULT_DEPTH: usize = 5;

/// Writes the result of one span.
fn result(w: &mut JsonWriter, s: &Span<'_>, cursor: &mut ByteCursor<'_>, predictions: bool) {
    w.item();
    w.begin_object();
    w.key("id");
    id_string(w, "a", s.ann.id.0);
    w.str_field("from_name", "label");
    w.str_field("to_name", "text");
    w.str_field("type", "labels");
    w.str_field("origin", if predictions { "prediction" } else { "manual" });
    w.key("value");
    w.begin_object();
    w.uint_field("start", s.range.start().0);
    w.uint_field("end", s.range.end().0);
    w.str_field("text", cursor.slice(s.range).unwrap_or_default());
    w.key("labels");
    w.begin_array();
    w.item();
    w.str(s.label);
    w.end_array();
    w.end_object();
    w.key("meta");
    w.begin_object();
    if let Some(note) = s.ann.note.as_deref() {
        w.key("text");
        w.begin_array();
        w.item();
        w.str(note);
        w.end_array();
    }
    w.str_field("author", &s.ann.author);
    w.key("created");
    stamp(w, s.ann.created);
    w.key("modified");
    stamp(w, s.ann.modified);
    w.end_object();
    w.end_object();
}

/// Renders the task list (pretty-printed JSON, one result per line).
///
/// # Errors
/// Cancelled.
pub fn render(docs: &[DocPart<'_>], ctx: &mut Ctx<'_>, mut out: Out) -> Result<Out, ExportError> {
    let guess: usize = docs
        .iter()
        .map(|d| d.text.byte_len() + 256 + d.spans.len() * RESULT_BYTES)
        .sum();
    out.expect(guess);
    let mut w = JsonWriter::lines(out, RESULT_DEPTH);
    let predictions = ctx.opts.predictions;
    w.begin_array();
    for dp in docs {
        ctx.tick()?;
        let mut tally = Tally::new(&dp.doc.name);
        w.item();
        w.begin_object();
        w.uint_field("id", dp.doc.id.0);
        w.key("data");
        w.begin_object();
        w.str_field("text", dp.text.as_str());
        w.str_field("document", &dp.doc.name);
        w.end_object();
        w.key(if predictions {
            "predictions"
        } else {
            "annotations"
        });
        w.begin_array();
        w.item();
        w.begin_object();
        if predictions {
            w.str_field("model_version", "spanmark");
        } else {
            w.uint_field("id", dp.doc.id.0);
        }
        w.key("result");
        w.begin_array();
        for s in &dp.spans {
            tally.add(s.label);
        }
        w.items_in_pieces(&dp.spans, RESULT_BYTES, |w, part| {
            let mut cursor = ByteCursor::new(dp.text);
            for s in part {
                result(w, s, &mut cursor, predictions);
            }
        });
        w.end_array();
        w.end_object();
        w.end_array();
        tally.finish(ctx.report);
        w.key("meta");
        w.begin_object();
        w.str_field("offset_unit", OFFSET_UNIT);
        w.end_object();
        w.end_object();
    }
    w.end_array();
    w.raw(b"\n");
    Ok(w.out())
}
