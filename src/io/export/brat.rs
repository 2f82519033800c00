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

use std::collections::{BTreeMap, BTreeSet};

use crate::io::export::cursor::ByteCursor;
use crate::io::export::report::{Entry, EntryKind, Tally};
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

/// The fragments of `range` (whose text is `text`): maximal runs without
/// line breaks, in char offsets.
#[must_use]
pub fn fragments(text: &str, range: CharRange) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    fragments_into(text, range.start().0, &mut out);
    out.into_iter().map(|f| (f.chars.0, f.chars.1)).collect()
}

/// One fragment: char range in the document, byte range in the span text.
#[derive(Clone, Copy)]
struct Fragment {
    chars: (usize, usize),
    bytes: (usize, usize),
}

/// Appends the fragments of `text`, which starts at char `start`.
fn fragments_into(text: &str, start: usize, out: &mut Vec<Fragment>) {
    out.clear();
    let mut open: Option<(usize, usize)> = None;
    let mut pos = start;
    for (b, c) in text.char_indices() {
        match (is_break(c), open) {
            (true, Some((s, sb))) => {
                out.push(Fragment {
                    chars: (s, pos),
                    bytes: (sb, b),
                });
                open = None;
            }
            (false, None) => open = Some((pos, b)),
            _ => {}
        }
        pos += 1;
    }
    if let Some((s, sb)) = open {
        out.push(Fragment {
            chars: (s, pos),
            bytes: (sb, text.len()),
        });
    }
}

/// The brat file stem of each document: its name without extension, file
/// safe, unique (`-2`, `-3`… on a clash).
fn stems(docs: &[DocPart<'_>]) -> Vec<String> {
    let mut stems: Vec<String> = Vec::new();
    for dp in docs {
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
        stems.push(stem);
    }
    stems
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
    let mut files = Vec::new();
    let mut frags = Vec::new();
    for (dp, stem) in docs.iter().zip(stems(docs)) {
        ctx.tick()?;
        // About 40 bytes per span besides its text.
        let covered_chars: usize = dp.spans.iter().map(|s| s.range.len()).sum();
        let mut ann = String::with_capacity(dp.spans.len() * 48 + covered_chars * 2);
        let mut note_n = 0;
        let mut tally = Tally::new(&dp.doc.name);
        let mut cursor = ByteCursor::new(dp.text);
        // Looked up when a trimmed span could duplicate another (O(log n));
        // built the first time a span is trimmed.
        let mut present: Option<BTreeSet<(usize, usize, &str)>> = None;
        let mut n = itoa::Buffer::new();
        for s in &dp.spans {
            let covered = cursor.slice(s.range).unwrap_or_default();
            fragments_into(covered, s.range.start().0, &mut frags);
            let (Some(first), Some(last)) = (frags.first(), frags.last()) else {
                ctx.report.push(span_entry(
                    EntryKind::Dropped,
                    dp.doc,
                    s,
                    "it covers only line breaks, which brat cannot hold".into(),
                ));
                continue;
            };
            let (first, last) = (first.chars, last.chars);
            if first.0 != s.range.start().0 || last.1 != s.range.end().0 {
                let trimmed = CharRange::new(first.0, last.1);
                let present = present.get_or_insert_with(|| {
                    dp.spans
                        .iter()
                        .map(|o| (o.range.start().0, o.range.end().0, o.label))
                        .collect()
                });
                let twin = present
                    .contains(&(first.0, last.1, s.label))
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
            let id = s.ann.id.0;
            ann.push('T');
            ann.push_str(n.format(id));
            ann.push('\t');
            match types.get(s.label) {
                Some(t) => ann.push_str(t),
                None => ann.push_str(&brat_label(s.label)),
            }
            for (k, f) in frags.iter().enumerate() {
                ann.push(if k == 0 { ' ' } else { ';' });
                ann.push_str(n.format(f.chars.0));
                ann.push(' ');
                ann.push_str(n.format(f.chars.1));
            }
            ann.push('\t');
            for (k, f) in frags.iter().enumerate() {
                if k > 0 {
                    ann.push(' ');
                }
                ann.push_str(covered.get(f.bytes.0..f.bytes.1).unwrap_or_default());
            }
            ann.push('\n');
            if let Some(note) = &s.ann.note {
                note_n += 1;
                ann.push('#');
                ann.push_str(n.format(note_n));
                ann.push_str("\tAnnotatorNotes T");
                ann.push_str(n.format(id));
                ann.push('\t');
                ann.push_str(&escape_note(note));
                ann.push('\n');
            }
            tally.add(s.label);
        }
        tally.finish(ctx.report);
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
