//! Import of Spanmark's own CSV (`document,start,end,label,text,note,author,created`).
//!
//! Invariants: columns are found by header name (order free, extra columns
//! ignored; `document`, `start`, `end` and `label` are required); rows are
//! grouped by document in order of first appearance; the `text` column is
//! kept as the quote each span must still cover.

use std::path::Path;

use crate::io::import::{ImportError, Incoming, IncomingSpan, read_utf8};
use crate::io::project_file::timestamp;

/// Reads the CSV into one incoming document per `document` value.
///
/// # Errors
/// Unreadable file, a missing required column, or a malformed row.
pub fn read(path: &Path) -> Result<Vec<Incoming>, ImportError> {
    let text = read_utf8(path)?;
    let bad = |place: String, message: String| ImportError::Parse {
        place,
        message,
        path: path.to_path_buf(),
    };
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = r
        .headers()
        .map_err(|e| bad("the header".into(), e.to_string()))?
        .clone();
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(doc), Some(start), Some(end), Some(label)) =
        (col("document"), col("start"), col("end"), col("label"))
    else {
        return Err(bad(
            "the header".into(),
            "it needs document, start, end and label columns".into(),
        ));
    };
    let (quote, note, author, created) = (col("text"), col("note"), col("author"), col("created"));
    let mut out: Vec<Incoming> = Vec::new();
    for (i, row) in r.records().enumerate() {
        let place = format!("row {}", i + 2);
        let row = row.map_err(|e| bad(place.clone(), e.to_string()))?;
        let field = |c: Option<usize>| c.and_then(|c| row.get(c)).map(str::to_owned);
        let num = |c: usize| -> Result<usize, ImportError> {
            row.get(c)
                .and_then(|v| v.trim().parse().ok())
                .ok_or_else(|| bad(place.clone(), "start and end must be whole numbers".into()))
        };
        let span = IncomingSpan {
            start: num(start)?,
            end: num(end)?,
            label: field(Some(label)).unwrap_or_default(),
            note: field(note).filter(|n| !n.is_empty()),
            author: field(author).filter(|a| !a.is_empty()),
            created: field(created).and_then(|c| timestamp::parse(&c)),
            quote: field(quote),
        };
        let name = field(Some(doc)).unwrap_or_default();
        match out
            .iter_mut()
            .find(|d| d.name.as_deref() == Some(name.as_str()))
        {
            Some(d) => d.spans.push(span),
            None => out.push(Incoming {
                text: None,
                name: Some(name),
                place,
                spans: vec![span],
            }),
        }
    }
    Ok(out)
}
