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

use serde::Serialize;

use crate::io::export::select::DocPart;
use crate::io::export::{Ctx, ExportError};
use crate::io::project_file::timestamp;
use crate::model::annotation::CONTEXT_CHARS;

#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    label: &'a str,
    total: usize,
    first: Page<'a>,
}

#[derive(Serialize)]
struct Page<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    items: Vec<Annotation<'a>>,
}

#[derive(Serialize)]
struct Annotation<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    body: Vec<Body<'a>>,
    target: Target<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<Creator<'a>>,
    created: String,
    modified: String,
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    value: &'a str,
    format: &'static str,
}

#[derive(Serialize)]
struct Creator<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct Target<'a> {
    source: &'a str,
    selector: (QuoteSelector<'a>, PositionSelector),
}

#[derive(Serialize)]
struct QuoteSelector<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
}

#[derive(Serialize)]
struct PositionSelector {
    #[serde(rename = "type")]
    kind: &'static str,
    start: usize,
    end: usize,
}

/// Renders the collection (pretty-printed JSON-LD).
///
/// # Errors
/// Cancelled, or a serialiser bug.
pub fn render(docs: &[DocPart<'_>], ctx: &mut Ctx<'_>) -> Result<String, ExportError> {
    let mut items = Vec::new();
    for dp in docs {
        ctx.tick()?;
        for s in &dp.spans {
            ctx.report.count(&dp.doc.name, &s.label);
            let mut body = vec![Body {
                kind: "TextualBody",
                purpose: "tagging",
                value: &s.label,
                format: "text/plain",
            }];
            if let Some(note) = &s.ann.note {
                body.push(Body {
                    kind: "TextualBody",
                    purpose: "commenting",
                    value: note,
                    format: "text/plain",
                });
            }
            items.push(Annotation {
                id: format!("urn:spanmark:annotation:{}", s.ann.id.0),
                kind: "Annotation",
                body,
                target: Target {
                    source: &dp.doc.path,
                    selector: (
                        QuoteSelector {
                            kind: "TextQuoteSelector",
                            exact: dp.text.slice(s.range).unwrap_or_default(),
                            prefix: dp.text.before(s.range.start(), CONTEXT_CHARS),
                            suffix: dp.text.after(s.range.end(), CONTEXT_CHARS),
                        },
                        PositionSelector {
                            kind: "TextPositionSelector",
                            start: s.range.start().0,
                            end: s.range.end().0,
                        },
                    ),
                },
                creator: (!s.ann.author.is_empty()).then_some(Creator {
                    kind: "Person",
                    name: &s.ann.author,
                }),
                created: timestamp::format(s.ann.created),
                modified: timestamp::format(s.ann.modified),
            });
        }
    }
    let collection = Collection {
        context: "http://www.w3.org/ns/anno.jsonld",
        kind: "AnnotationCollection",
        label: &ctx.opts.stem,
        total: items.len(),
        first: Page {
            kind: "AnnotationPage",
            items,
        },
    };
    let mut out = serde_json::to_string_pretty(&collection)
        .map_err(|e| ExportError::Serialise(e.to_string()))?;
    out.push('\n');
    Ok(out)
}
