//! brat standoff: `NAME.txt` + `NAME.ann` per document, plus
//! `annotation.conf`.
//!
//! Invariants: the `.txt` holds the decoded text byte for byte (UTF-8, no
//! BOM, line endings untouched), and `.ann` offsets count its code points,
//! so CRLF cannot shift anything as long as the reader keeps line endings
//! (Python: `open(..., newline="")`). A span never puts a line break into
//! the text column: it is written as fragments (`T2\tquote 0 5;7 12`)
//! split at every character Python's `str.splitlines` breaks on, and the
//! text column joins the fragments with one space. Line breaks at a span's
//! edges cannot be represented and are trimmed (reported). Label names are
//! made brat-safe (ASCII letters, digits, `-`, `_`; reported when changed).
//! `T` ids are the annotation ids. Notes are `#n\tAnnotatorNotes Tid\tnote`
//! with `\\`, `\n`, `\r`, `\t` and other line separators escaped (`\uXXXX`).

use std::collections::BTreeMap;

use crate::io::export::report::{Entry, EntryKind};
use crate::io::export::select::{DocPart, file_safe, span_entry};
use crate::io::export::{Ctx, ExportError, ExportFile};
use crate::model::CharRange;

/// True for the characters Python's `str.splitlines` breaks on.
#[must_use]
pub fn is_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{b}'
            | '\u{c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// A label name brat accepts as a type: ASCII letters, digits, `-`, `_`,
/// starting with a letter.
#[must_use]
pub fn brat_label(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "L_");
    }
    out
}

/// Brat type names for labels, unique (a clash gets `_2`, `_3`…).
#[must_use]
pub fn brat_labels(labels: &[String]) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let mut used: Vec<String> = Vec::new();
    for l in labels {
        let base = brat_label(l);
        let mut name = base.clone();
        let mut n = 2;
        while used.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        used.push(name.clone());
        map.insert(l.clone(), name);
    }
    map
}

/// Escapes a note for one `.ann` line.
#[must_use]
pub fn escape_note(note: &str) -> String {
    let mut out = String::with_capacity(note.len());
    for c in note.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_break(c) => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// The fragments of `range`: maximal runs without line breaks.
#[must_use]
pub fn fragments(text: &str, range: CharRange) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut pos = range.start().0;
    for c in text.chars() {
        match (is_break(c), start) {
            (true, Some(s)) => {
                out.push((s, pos));
                start = None;
            }
            (false, None) => start = Some(pos),
            _ => {}
        }
        pos += 1;
    }
    if let Some(s) = start {
        out.push((s, pos));
    }
    out
}

/// Renders `.txt` and `.ann` files (inside `PART/` when the export is split).
///
/// # Errors
/// Cancelled.
pub fn render(
    docs: &[DocPart<'_>],
    part: Option<&str>,
    labels: &[String],
    ctx: &mut Ctx<'_>,
) -> Result<Vec<ExportFile>, ExportError> {
    let types = brat_labels(labels);
    for (label, t) in &types {
        if label != t {
            ctx.report.push(Entry {
                kind: EntryKind::Renamed,
                document: "(all documents)".into(),
                annotation: None,
                label: Some(label.clone()),
                range: None,
                detail: format!("written as brat type {t:?}"),
            });
        }
    }
    let prefix = part.map(|p| format!("{p}/")).unwrap_or_default();
    let mut stems: Vec<String> = Vec::new();
    let mut files = Vec::new();
    for dp in docs {
        ctx.tick()?;
        let base = file_safe(
            dp.doc
                .name
                .rsplit_once('.')
                .map_or(dp.doc.name.as_str(), |(s, _)| s),
        );
        let mut stem = base.clone();
        let mut n = 2;
        while stems.contains(&stem) {
            stem = format!("{base}-{n}");
            n += 1;
        }
        stems.push(stem.clone());
        let mut ann = String::new();
        let mut note_n = 0;
        // Looked up when a trimmed span could duplicate another (O(log n)).
        let present: std::collections::BTreeSet<(usize, usize, &str)> = dp
            .spans
            .iter()
            .map(|o| (o.range.start().0, o.range.end().0, o.label.as_str()))
            .collect();
        for s in &dp.spans {
            let covered = dp.text.slice(s.range).unwrap_or_default();
            let frags = fragments(covered, s.range);
            let (Some(first), Some(last)) = (frags.first(), frags.last()) else {
                ctx.report.push(span_entry(
                    EntryKind::Dropped,
                    dp.doc,
                    s,
                    "it covers only line breaks, which brat cannot hold".into(),
                ));
                continue;
            };
            if first.0 != s.range.start().0 || last.1 != s.range.end().0 {
                let trimmed = CharRange::new(first.0, last.1);
                let twin = present
                    .contains(&(first.0, last.1, s.label.as_str()))
                    .then(|| {
                        dp.spans
                            .iter()
                            .find(|o| o.range == trimmed && o.label == s.label)
                    })
                    .flatten();
                if let Some(twin) = twin {
                    let detail = format!(
                        "without the line breaks at its edges it would duplicate #{}; left out",
                        twin.ann.id.0
                    );
                    ctx.report
                        .push(span_entry(EntryKind::Dropped, dp.doc, s, detail));
                    continue;
                }
                ctx.report.push(span_entry(
                    EntryKind::Trimmed,
                    dp.doc,
                    s,
                    format!(
                        "line breaks at its edges cannot be held by brat; written as {}..{}",
                        first.0, last.1
                    ),
                ));
            }
            let offsets: Vec<String> = frags.iter().map(|(a, b)| format!("{a} {b}")).collect();
            let texts: Vec<&str> = frags
                .iter()
                .map(|&(a, b)| dp.text.slice(CharRange::new(a, b)).unwrap_or_default())
                .collect();
            let ty = types
                .get(&s.label)
                .cloned()
                .unwrap_or_else(|| brat_label(&s.label));
            let id = s.ann.id.0;
            ann.push_str(&format!(
                "T{id}\t{ty} {}\t{}\n",
                offsets.join(";"),
                texts.join(" ")
            ));
            if let Some(note) = &s.ann.note {
                note_n += 1;
                ann.push_str(&format!(
                    "#{note_n}\tAnnotatorNotes T{id}\t{}\n",
                    escape_note(note)
                ));
            }
            ctx.report.count(&dp.doc.name, &s.label);
        }
        files.push(ExportFile {
            name: format!("{prefix}{stem}.txt"),
            bytes: dp.text.as_str().as_bytes().to_vec(),
        });
        files.push(ExportFile {
            name: format!("{prefix}{stem}.ann"),
            bytes: ann.into_bytes(),
        });
    }
    Ok(files)
}

/// `annotation.conf` declaring every label as an entity type and allowing
/// overlaps.
#[must_use]
pub fn annotation_conf(labels: &[String]) -> ExportFile {
    let types = brat_labels(labels);
    let mut conf = String::from(
        "# Written by Spanmark. Offsets in the .ann files count Unicode code points of the .txt files.\n[entities]\n",
    );
    for l in labels {
        if let Some(t) = types.get(l) {
            conf.push_str(t);
            conf.push('\n');
        }
    }
    conf.push_str("[relations]\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n[events]\n[attributes]\n");
    ExportFile {
        name: "annotation.conf".to_owned(),
        bytes: conf.into_bytes(),
    }
}
