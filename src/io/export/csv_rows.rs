//! CSV, one row per annotation: `document,start,end,label,text,note,author,created`.
//!
//! Invariants: RFC 4180 quoting (via the `csv` crate: fields with commas,
//! quotes or line breaks are quoted, quotes doubled), UTF-8 without BOM,
//! `\n` record ends; `start`/`end` are Unicode code points and `text` is the
//! exact covered text (line breaks included, so read it with
//! `newline=""` in Python); `document` is the document name; `created` is
//! RFC 3339 UTC; an absent note is an empty field. Overlaps are kept.
//! Fields go to the writer as borrowed bytes (numbers and times formatted
//! on the stack or in one reused buffer), into the export's [`Out`].

use crate::io::export::cursor::ByteCursor;
use crate::io::export::out::Out;
use crate::io::export::report::Tally;
use crate::io::export::select::DocPart;
use crate::io::export::{Ctx, ExportError};

/// The header row.
pub const HEADER: [&str; 8] = [
    "document", "start", "end", "label", "text", "note", "author", "created",
];

/// Renders the CSV bytes.
///
/// # Errors
/// Cancelled, or a writer bug.
pub fn render(docs: &[DocPart<'_>], ctx: &mut Ctx<'_>, mut out: Out) -> Result<Out, ExportError> {
    let err = |e: csv::Error| ExportError::Serialise(e.to_string());
    let guess: usize = docs
        .iter()
        .map(|d| d.spans.len() * (d.doc.name.len() + 96))
        .sum();
    out.expect(guess + 64);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(HEADER).map_err(err)?;
    let (mut start, mut end) = (itoa::Buffer::new(), itoa::Buffer::new());
    for dp in docs {
        ctx.tick()?;
        let mut tally = Tally::new(&dp.doc.name);
        let mut cursor = ByteCursor::new(dp.text);
        for s in &dp.spans {
            tally.add(s.label);
            let created = crate::io::project_file::timestamp::text(s.ann.created);
            let author: &str = &s.ann.author;
            w.write_record([
                dp.doc.name.as_bytes(),
                start.format(s.range.start().0).as_bytes(),
                end.format(s.range.end().0).as_bytes(),
                s.label.as_bytes(),
                cursor.slice(s.range).unwrap_or_default().as_bytes(),
                s.ann.note.as_deref().unwrap_or_default().as_bytes(),
                author.as_bytes(),
                created.as_str().as_bytes(),
            ])
            .map_err(err)?;
        }
        tally.finish(ctx.report);
    }
    w.into_inner()
        .map_err(|e| ExportError::Serialise(e.to_string()))
}
