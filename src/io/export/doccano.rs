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

use serde::Serialize;

use crate::io::export::report::{Entry, EntryKind};
use crate::io::export::select::{DocPart, span_entry};
use crate::io::export::{Ctx, ExportError, OFFSET_UNIT, json_line};

#[derive(Serialize)]
struct Plain<'a> {
    id: u32,
    text: &'a str,
    label: Vec<(usize, usize, &'a str)>,
    document: &'a str,
    offset_unit: &'static str,
}

#[derive(Serialize)]
struct WithRelations<'a> {
    id: u32,
    text: &'a str,
    entities: Vec<Entity<'a>>,
    relations: Vec<Relation>,
    document: &'a str,
    offset_unit: &'static str,
}

/// One doccano entity.
#[derive(Serialize)]
struct Entity<'a> {
    id: u64,
    label: &'a str,
    start_offset: usize,
    end_offset: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    author: &'a str,
}

/// One doccano relation (none are produced yet).
#[derive(Serialize)]
struct Relation {
    id: u64,
    from_id: u64,
    to_id: u64,
    #[serde(rename = "type")]
    kind: String,
}

fn warn_astral(dp: &DocPart<'_>, ctx: &mut Ctx<'_>) {
    if dp.text.as_str().chars().any(|c| u32::from(c) > 0xFFFF) {
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

/// The plain sequence-labeling JSONL.
///
/// # Errors
/// Cancelled, or a serialiser bug.
pub fn plain(docs: &[DocPart<'_>], ctx: &mut Ctx<'_>) -> Result<String, ExportError> {
    let mut out = String::new();
    for dp in docs {
        ctx.tick()?;
        warn_astral(dp, ctx);
        let mut label = Vec::new();
        for s in &dp.spans {
            if s.ann.note.is_some() {
                ctx.report.push(span_entry(
                    EntryKind::NoteDropped,
                    dp.doc,
                    s,
                    "doccano's label triples have no place for notes".into(),
                ));
            }
            ctx.report.count(&dp.doc.name, &s.label);
            label.push((s.range.start().0, s.range.end().0, s.label.as_str()));
        }
        out.push_str(&json_line(&Plain {
            id: dp.doc.id.0,
            text: dp.text.as_str(),
            label,
            document: &dp.doc.name,
            offset_unit: OFFSET_UNIT,
        })?);
    }
    Ok(out)
}

/// The JSONL with entities and relations.
///
/// # Errors
/// Cancelled, or a serialiser bug.
pub fn with_relations(docs: &[DocPart<'_>], ctx: &mut Ctx<'_>) -> Result<String, ExportError> {
    let mut out = String::new();
    for dp in docs {
        ctx.tick()?;
        warn_astral(dp, ctx);
        let entities = dp
            .spans
            .iter()
            .map(|s| {
                ctx.report.count(&dp.doc.name, &s.label);
                Entity {
                    id: s.ann.id.0,
                    label: &s.label,
                    start_offset: s.range.start().0,
                    end_offset: s.range.end().0,
                    note: s.ann.note.as_deref(),
                    author: &s.ann.author,
                }
            })
            .collect();
        out.push_str(&json_line(&WithRelations {
            id: dp.doc.id.0,
            text: dp.text.as_str(),
            entities,
            relations: Vec::new(),
            document: &dp.doc.name,
            offset_unit: OFFSET_UNIT,
        })?);
    }
    Ok(out)
}
