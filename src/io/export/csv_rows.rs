//! CSV, one row per annotation: `document,start,end,label,text,note,author,created`.
//!
//! Invariants: RFC 4180 quoting (via the `csv` crate: fields with commas,
//! quotes or line breaks are quoted, quotes doubled), UTF-8 without BOM,
//! `\n` record ends; `start`/`end` are Unicode code points and `text` is the
//! exact covered text (line breaks included, so read it with
//! `newline=""` in Python); `document` is the document name; `created` is
//! RFC 3339 UTC; an absent note is an empty field. Overlaps are kept.

use crate::io::export::select::DocPart;
use crate::io::export::{Ctx, ExportError};
use crate::io::project_file::timestamp;

/// The header row.
pub const HEADER: [&str; 8] = [
    "document", "start", "end", "label", "text", "note", "author", "created",
];

/// Renders the CSV text.
///
/// # Errors
/// Cancelled, or a writer bug.
pub fn render(docs: &[DocPart<'_>], ctx: &mut Ctx<'_>) -> Result<String, ExportError> {
    let err = |e: csv::Error| ExportError::Serialise(e.to_string());
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(HEADER).map_err(err)?;
    for dp in docs {
        ctx.tick()?;
        for s in &dp.spans {
            ctx.report.count(&dp.doc.name, &s.label);
            let start = s.range.start().0.to_string();
            let end = s.range.end().0.to_string();
            let created = timestamp::format(s.ann.created);
            w.write_record([
                dp.doc.name.as_str(),
                &start,
                &end,
                &s.label,
                dp.text.slice(s.range).unwrap_or_default(),
                s.ann.note.as_deref().unwrap_or_default(),
                &s.ann.author,
                &created,
            ])
            .map_err(err)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ExportError::Serialise(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| ExportError::Serialise(e.to_string()))
}
