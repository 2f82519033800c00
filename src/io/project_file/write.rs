//! Serialising a project to the text of a `*.spanmark.ron` file.
//!
//! Invariants: the output is a pure function of the project (same project →
//! same bytes on every OS): `\n` newlines, `format_version` first, the offset
//! unit stated, one document, label or annotation per line, annotations in
//! key order.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use ron::ser::PrettyConfig;
use serde::Serialize;

use crate::io::project_file::schema::{DocumentV1, FORMAT_VERSION, LabelV1, OFFSET_UNIT};
use crate::io::project_file::timestamp;
use crate::model::parallel::both;
use crate::model::{Annotation, Document, DocumentId, Label, Project};

/// The file text for a project.
///
/// # Errors
/// Only if ron cannot serialise a value (not expected for valid projects).
pub fn to_ron_string(p: &Project) -> Result<String, ron::Error> {
    to_ron_string_with(p, &BTreeMap::new())
}

/// The file text for a project with these source texts embedded (a
/// single-file project). Texts of documents the project does not have are
/// not written; with no texts this is [`to_ron_string`].
///
/// # Errors
/// Only if ron cannot serialise a value (not expected for valid projects).
pub fn to_ron_string_with(
    p: &Project,
    embedded: &BTreeMap<DocumentId, &str>,
) -> Result<String, ron::Error> {
    let mut pieces = to_ron_pieces_with(p, embedded)?.into_iter();
    let mut text = pieces.next().unwrap_or_default();
    text.extend(pieces);
    Ok(text)
}

/// The text of [`to_ron_string_with`] in pieces to be written one after
/// the other: one, or two for a big project (the second half of its
/// annotation lines, written on another thread, and the end). A save
/// writes, checks and hashes the pieces as they are: joining 15 MB of a
/// 100k-annotation file into fresh memory cost a quarter of serialising.
/// Every piece but the last ends with a line break.
///
/// # Errors
/// As [`to_ron_string_with`].
pub fn to_ron_pieces_with(
    p: &Project,
    embedded: &BTreeMap<DocumentId, &str>,
) -> Result<Vec<String>, ron::Error> {
    let extra: usize = embedded.values().map(|t| t.len() + 32).sum();
    let n = p.annotation_count();
    let here = if n < PARALLEL_FROM { n } else { n / 2 };
    // Generous: pages never written are never touched, while growing would
    // copy the whole text (a 100k-annotation file is ~32 MB).
    let mut out = String::with_capacity(4096 + here * 512 + extra);
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
    let texts: Vec<(DocumentId, &str)> = p
        .documents()
        .iter()
        .filter_map(|d| embedded.get(&d.id).map(|t| (d.id, *t)))
        .collect();
    if !texts.is_empty() {
        out.push_str("    embedded_sources: [\n");
        for (id, text) in texts {
            let _ = write!(out, "        (doc: {}, text: ", id.0);
            quoted(&mut out, text);
            out.push_str("),\n");
        }
        out.push_str("    ],\n");
    }
    if n == 0 {
        out.push_str("    annotations: [],\n)\n");
        return Ok(vec![out]);
    }
    out.push_str("    annotations: [\n");
    let second = annotation_lines(&mut out, p, here);
    let mut pieces = vec![out];
    pieces.extend(second);
    if let Some(last) = pieces.last_mut() {
        last.push_str("    ],\n)\n");
    }
    Ok(pieces)
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
    let config = line_config();
    for item in items {
        out.push_str("        ");
        ron::ser::to_writer_pretty(&mut *out, &item, config.clone())?;
        out.push_str(",\n");
    }
    out.push_str("    ],\n");
    Ok(())
}

/// A value as one line of RON: compact structs and arrays, escaped strings.
fn one_line<T: Serialize + ?Sized>(value: &T) -> Result<String, ron::Error> {
    ron::ser::to_string_pretty(value, line_config())
}

fn line_config() -> PrettyConfig {
    PrettyConfig::new()
        .new_line("\n")
        .compact_structs(true)
        .compact_arrays(true)
        .escape_strings(true)
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
        id: l.id.as_str().to_owned(),
        name: l.name.clone(),
        color: l.color.to_hex(),
        hotkey: l.hotkey.map(String::from).unwrap_or_default(),
        description: l.description.clone(),
    }
}

/// Annotations from this many on are written on two threads.
const PARALLEL_FROM: usize = 10_000;

/// Writes every annotation line in key order: the first `here` into
/// `out`, and (for a big project) the rest on another thread into the
/// piece returned, to follow `out`.
fn annotation_lines(out: &mut String, p: &Project, here: usize) -> Option<String> {
    let n = p.annotation_count();
    if here >= n {
        p.annotations().for_each(|a| annotation_line(out, a));
        return None;
    }
    let ((), second) = both(
        || {
            p.annotations()
                .take(here)
                .for_each(|a| annotation_line(out, a));
        },
        || {
            let mut o = String::with_capacity((n - here) * 512 + 16);
            p.annotations()
                .skip(here)
                .for_each(|a| annotation_line(&mut o, a));
            o
        },
    );
    Some(second)
}

/// Writes one annotation line. Hand-written for speed (100k lines are
/// common); the fields, order and escaping are those ron itself would write
/// for [`crate::io::project_file::schema::AnnotationV1`], and tests parse the
/// output with ron to prove it.
fn annotation_line(out: &mut String, a: &Annotation) {
    let mut n = itoa::Buffer::new();
    out.push_str("        (id: ");
    out.push_str(n.format(a.id.0));
    out.push_str(", doc: ");
    out.push_str(n.format(a.doc.0));
    out.push_str(", start: ");
    out.push_str(n.format(a.range.start().0));
    out.push_str(", end: ");
    out.push_str(n.format(a.range.end().0));
    out.push_str(", label: ");
    quoted(out, a.label.as_str());
    out.push_str(", quote: ");
    quoted(out, &a.anchor.quote);
    let mut optional = |key: &str, value: &str| {
        if !value.is_empty() {
            let _ = write!(out, ", {key}: ");
            quoted(out, value);
        }
    };
    optional("note", a.note.as_deref().unwrap_or_default());
    optional("author", &a.author);
    if !a.agreed.is_empty() {
        out.push_str(", agreed: [");
        for (i, name) in a.agreed.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            quoted(out, name);
        }
        out.push(']');
    }
    out.push_str(", created: \"");
    out.push_str(timestamp::text(a.created).as_str());
    out.push_str("\", modified: \"");
    out.push_str(timestamp::text(a.modified).as_str());
    out.push('"');
    if let Some(origin) = a.origin.as_deref().filter(|o| !o.is_empty()) {
        out.push_str(", origin: ");
        quoted(out, origin);
    }
    if let Some(conflict) = a.conflict.as_deref().filter(|c| !c.is_empty()) {
        out.push_str(", conflict: ");
        quoted(out, conflict);
    }
    out.push_str(", prefix: ");
    quoted(out, &a.anchor.prefix);
    out.push_str(", suffix: ");
    quoted(out, &a.anchor.suffix);
    out.push_str("),\n");
}

/// ASCII bytes that `escape_debug` leaves as they are: printable, not a
/// quote or a backslash.
const PLAIN: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = b' ';
    while b <= b'~' {
        t[b as usize] = !matches!(b, b'"' | b'\\' | b'\'');
        b += 1;
    }
    t
};

thread_local! {
    /// Non-ASCII characters already found to escape to themselves, by their
    /// low bits: a save meets the same few thousand characters again and
    /// again, and `escape_debug` looks each one up in Unicode tables.
    static PLAIN_SEEN: [Cell<u32>; 1024] = const { [const { Cell::new(0) }; 1024] };
}

/// True when `escape_debug` leaves the non-ASCII `c` as it is.
fn escapes_to_itself(c: char) -> bool {
    let code = u32::from(c);
    PLAIN_SEEN.with(|seen| {
        let slot = &seen[(code & 1023) as usize];
        if slot.get() == code {
            return true;
        }
        let plain = c.escape_debug().len() == 1;
        if plain {
            slot.set(code);
        }
        plain
    })
}

/// A RON string literal, escaped exactly as ron escapes (`char::escape_debug`
/// of every char). Runs of characters that escape to themselves are copied
/// in one piece; plain ASCII is recognised by table, and only other
/// characters go through `escape_debug`.
fn quoted(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 && PLAIN[usize::from(b)] {
            i += 1;
            continue;
        }
        let Some(c) = s.get(i..).and_then(|rest| rest.chars().next()) else {
            break; // not reached: `i` is always at a char boundary
        };
        if b >= 0x80 && escapes_to_itself(c) {
            i += c.len_utf8();
            continue;
        }
        let escaped = c.escape_debug();
        if escaped.len() != 1 {
            out.push_str(s.get(run..i).unwrap_or_default());
            out.extend(escaped);
            run = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Characters where `escape_debug` does something: quotes, backslash,
    /// controls, combining marks (grapheme extenders), format and private
    /// use characters, line separators, plus plain ASCII and non-ASCII.
    fn tricky() -> impl Strategy<Value = String> {
        let chars = prop::sample::select(vec![
            'a',
            'Z',
            '0',
            ' ',
            '~',
            '"',
            '\'',
            '\\',
            '\n',
            '\r',
            '\t',
            '\0',
            '\u{7f}',
            '\u{1b}',
            '\u{85}',
            '\u{a0}',
            '\u{ad}',
            'é',
            '\u{301}',
            '\u{300}',
            '\u{200d}',
            '\u{200b}',
            '\u{2028}',
            '\u{feff}',
            '\u{e000}',
            '\u{fe0f}',
            'ж',
            '中',
            '😀',
            '\u{1f3fb}',
            '\u{10ffff}',
            '\u{e0001}',
        ]);
        prop::collection::vec(chars, 0..24).prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #[test]
        fn quoted_is_what_ron_writes(s in prop_oneof![any::<String>(), tricky()]) {
            let mut out = String::new();
            quoted(&mut out, &s);
            prop_assert_eq!(out, one_line(&s).unwrap_or_default());
        }
    }
}
