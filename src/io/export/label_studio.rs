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

use serde::Serialize;

use crate::io::export::select::DocPart;
use crate::io::export::{Ctx, ExportError, OFFSET_UNIT};
use crate::io::project_file::timestamp;

#[derive(Serialize)]
struct Task<'a> {
    id: u32,
    data: Data<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    annotations: Option<Vec<Completion<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    predictions: Option<Vec<Prediction<'a>>>,
    meta: TaskMeta,
}

#[derive(Serialize)]
struct Data<'a> {
    text: &'a str,
    document: &'a str,
}

#[derive(Serialize)]
struct TaskMeta {
    offset_unit: &'static str,
}

#[derive(Serialize)]
struct Completion<'a> {
    id: u32,
    result: Vec<ResultItem<'a>>,
}

#[derive(Serialize)]
struct Prediction<'a> {
    model_version: &'static str,
    result: Vec<ResultItem<'a>>,
}

#[derive(Serialize)]
struct ResultItem<'a> {
    id: String,
    from_name: &'static str,
    to_name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    origin: &'static str,
    value: Value<'a>,
    meta: RegionMeta<'a>,
}

#[derive(Serialize)]
struct Value<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    labels: [&'a str; 1],
}

#[derive(Serialize)]
struct RegionMeta<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    text: Vec<&'a str>,
    author: &'a str,
    created: String,
    modified: String,
}

/// Renders the task list (pretty-printed JSON).
///
/// # Errors
/// Cancelled, or a serialiser bug.
pub fn render(docs: &[DocPart<'_>], ctx: &mut Ctx<'_>) -> Result<String, ExportError> {
    let mut tasks = Vec::new();
    for dp in docs {
        ctx.tick()?;
        let mut result = Vec::new();
        for s in &dp.spans {
            ctx.report.count(&dp.doc.name, &s.label);
            result.push(ResultItem {
                id: format!("a{}", s.ann.id.0),
                from_name: "label",
                to_name: "text",
                kind: "labels",
                origin: if ctx.opts.predictions {
                    "prediction"
                } else {
                    "manual"
                },
                value: Value {
                    start: s.range.start().0,
                    end: s.range.end().0,
                    text: dp.text.slice(s.range).unwrap_or_default(),
                    labels: [&s.label],
                },
                meta: RegionMeta {
                    text: s.ann.note.as_deref().into_iter().collect(),
                    author: &s.ann.author,
                    created: timestamp::format(s.ann.created),
                    modified: timestamp::format(s.ann.modified),
                },
            });
        }
        let (annotations, predictions) = if ctx.opts.predictions {
            (
                None,
                Some(vec![Prediction {
                    model_version: "spanmark",
                    result,
                }]),
            )
        } else {
            (
                Some(vec![Completion {
                    id: dp.doc.id.0,
                    result,
                }]),
                None,
            )
        };
        tasks.push(Task {
            id: dp.doc.id.0,
            data: Data {
                text: dp.text.as_str(),
                document: &dp.doc.name,
            },
            annotations,
            predictions,
            meta: TaskMeta {
                offset_unit: OFFSET_UNIT,
            },
        });
    }
    let mut out =
        serde_json::to_string_pretty(&tasks).map_err(|e| ExportError::Serialise(e.to_string()))?;
    out.push('\n');
    Ok(out)
}
