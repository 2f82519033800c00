//! Serialising a project to the text of a `*.spanmark.ron` file.
//!
//! Invariants: the output is a pure function of the project (same project →
//! same bytes on every OS): `\n` newlines, `format_version` first, the offset
//! unit stated, one document, label or annotation per line, annotations in
//! key order.

use std::fmt::Write as _;

use ron::ser::PrettyConfig;
use serde::Serialize;

use crate::io::project_file::schema::{
    AnnotationV1, DocumentV1, FORMAT_VERSION, LabelV1, OFFSET_UNIT,
};
use crate::io::project_file::timestamp;
use crate::model::{Annotation, Document, Label, Project};

/// The file text for a project.
///
/// # Errors
/// Only if ron cannot serialise a value (not expected for valid projects).
pub fn to_ron_string(p: &Project) -> Result<String, ron::Error> {
    let mut out = String::with_capacity(256 + p.annotation_count() * 256);
    out.push_str(
        "// Spanmark project file. See ARCHITECTURE.md, section Project file.\n\
         // Offsets (start, end) count Unicode scalar values (Python str indices),\n\
         // half-open, over the decoded source text with line endings untouched.\n",
    );
    out.push_str("(\n");
    let _ = writeln!(out, "    format_version: {FORMAT_VERSION},");
    let _ = writeln!(out, "    offset_unit: {},", one_line(&OFFSET_UNIT)?);
    let _ = writeln!(out, "    name: {},", one_line(&p.name)?);
    let _ = writeln!(out, "    authors: {},", one_line(&p.all_authors())?);
    list(&mut out, "documents", p.documents().iter().map(document))?;
    list(&mut out, "labels", p.labels().iter().map(label))?;
    list(&mut out, "annotations", p.annotations().map(annotation))?;
    out.push_str(")\n");
    Ok(out)
}

fn list<T: Serialize>(
    out: &mut String,
    name: &str,
    items: impl ExactSizeIterator<Item = T>,
) -> Result<(), ron::Error> {
    if items.len() == 0 {
        let _ = writeln!(out, "    {name}: [],");
        return Ok(());
    }
    let _ = writeln!(out, "    {name}: [");
    for item in items {
        let _ = writeln!(out, "        {},", one_line(&item)?);
    }
    out.push_str("    ],\n");
    Ok(())
}

/// A value as one line of RON: compact structs and arrays, escaped strings.
fn one_line<T: Serialize + ?Sized>(value: &T) -> Result<String, ron::Error> {
    let config = PrettyConfig::new()
        .new_line("\n")
        .compact_structs(true)
        .compact_arrays(true)
        .escape_strings(true);
    ron::ser::to_string_pretty(value, config)
}

fn document(d: &Document) -> DocumentV1 {
    DocumentV1 {
        id: d.id.0,
        name: d.name.clone(),
        path: d.path.clone(),
        status: d.status.as_str().to_owned(),
        sha256: d.sha256.clone(),
        byte_len: d.byte_len,
        encoding: d.encoding.clone(),
        bom: d.bom,
        newline: d.newline.as_str().to_owned(),
        char_len: d.char_len,
    }
}

fn label(l: &Label) -> LabelV1 {
    LabelV1 {
        id: l.id.0.clone(),
        name: l.name.clone(),
        color: l.color.to_hex(),
        hotkey: l.hotkey.map(String::from).unwrap_or_default(),
        description: l.description.clone(),
    }
}

fn annotation(a: &Annotation) -> AnnotationV1 {
    AnnotationV1 {
        id: a.id.0,
        doc: a.doc.0,
        start: a.range.start().0,
        end: a.range.end().0,
        label: a.label.0.clone(),
        quote: a.anchor.quote.clone(),
        note: a.note.clone().unwrap_or_default(),
        author: a.author.clone(),
        created: timestamp::format(a.created),
        modified: timestamp::format(a.modified),
        origin: a.origin.clone().unwrap_or_default(),
        prefix: a.anchor.prefix.clone(),
        suffix: a.anchor.suffix.clone(),
    }
}
