//! The JSON-based importers: doccano JSONL, Prodigy/spaCy JSONL and Label
//! Studio task JSON.
//!
//! Invariants: a line or task that is not the expected shape fails the
//! whole import with its line or task number (nothing is half-imported);
//! unknown fields are ignored; offsets are read as code points.

use std::path::Path;

use serde_json::Value;

use crate::io::import::{ImportError, Incoming, IncomingSpan, read_utf8};
use crate::io::project_file::timestamp;

fn perr(path: &Path, place: &str, message: impl Into<String>) -> ImportError {
    ImportError::Parse {
        place: place.to_owned(),
        message: message.into(),
        path: path.to_path_buf(),
    }
}

fn jsonl(path: &Path) -> Result<Vec<(String, Value)>, ImportError> {
    let text = read_utf8(path)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let place = format!("line {}", i + 1);
        let v: Value = serde_json::from_str(line)
            .map_err(|e| perr(path, &place, format!("not JSON ({e})")))?;
        out.push((place, v));
    }
    Ok(out)
}

fn offset(v: &Value, key: &str) -> Option<usize> {
    v.get(key)?.as_u64().and_then(|n| usize::try_from(n).ok())
}

fn string(v: &Value, key: &str) -> Option<String> {
    v.get(key)?.as_str().map(str::to_owned)
}

fn document_name(v: &Value) -> Option<String> {
    string(v, "document").or_else(|| v.get("meta").and_then(|m| string(m, "document")))
}

fn span(start: usize, end: usize, label: String, v: &Value) -> IncomingSpan {
    IncomingSpan {
        start,
        end,
        label,
        note: string(v, "note").filter(|n| !n.is_empty()),
        author: string(v, "author").filter(|a| !a.is_empty()),
        created: string(v, "created").and_then(|c| timestamp::parse(&c)),
        quote: None,
    }
}

/// doccano JSONL: `label: [[s, e, "x"]]` or `entities: [{start_offset…}]`.
///
/// # Errors
/// Unreadable file or a malformed line.
pub fn doccano(path: &Path) -> Result<Vec<Incoming>, ImportError> {
    let mut out = Vec::new();
    for (place, v) in jsonl(path)? {
        let text = string(&v, "text").ok_or_else(|| perr(path, &place, "no \"text\" field"))?;
        let mut spans = Vec::new();
        if let Some(entities) = v.get("entities").and_then(Value::as_array) {
            for e in entities {
                let (Some(s), Some(en), Some(l)) = (
                    offset(e, "start_offset"),
                    offset(e, "end_offset"),
                    string(e, "label"),
                ) else {
                    return Err(perr(
                        path,
                        &place,
                        "an entity lacks start_offset, end_offset or label",
                    ));
                };
                spans.push(span(s, en, l, e));
            }
        }
        let triples = v
            .get("label")
            .or_else(|| v.get("labels"))
            .and_then(Value::as_array);
        for t in triples.into_iter().flatten() {
            let parts = t.as_array().map(Vec::as_slice).unwrap_or_default();
            let [s, e, l] = parts else {
                return Err(perr(path, &place, "a label is not [start, end, label]"));
            };
            let (Some(s), Some(e), Some(l)) = (s.as_u64(), e.as_u64(), l.as_str()) else {
                return Err(perr(path, &place, "a label is not [start, end, label]"));
            };
            let (Ok(s), Ok(e)) = (usize::try_from(s), usize::try_from(e)) else {
                continue;
            };
            spans.push(span(s, e, l.to_owned(), &Value::Null));
        }
        out.push(Incoming {
            text: Some(text),
            name: document_name(&v),
            place,
            spans,
        });
    }
    Ok(out)
}

/// Prodigy / spaCy JSONL: `text` and `spans` (lines answered `reject` or
/// `ignore` are skipped).
///
/// # Errors
/// Unreadable file or a malformed line.
pub fn prodigy(path: &Path) -> Result<Vec<Incoming>, ImportError> {
    let mut out = Vec::new();
    for (place, v) in jsonl(path)? {
        if matches!(
            v.get("answer").and_then(Value::as_str),
            Some("reject" | "ignore")
        ) {
            continue;
        }
        let text = string(&v, "text").ok_or_else(|| perr(path, &place, "no \"text\" field"))?;
        let mut spans = Vec::new();
        for s in v
            .get("spans")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(a), Some(b), Some(l)) =
                (offset(s, "start"), offset(s, "end"), string(s, "label"))
            else {
                return Err(perr(path, &place, "a span lacks start, end or label"));
            };
            spans.push(span(a, b, l, s));
        }
        out.push(Incoming {
            text: Some(text),
            name: document_name(&v),
            place,
            spans,
        });
    }
    Ok(out)
}

/// Reads a whole file as one JSON value.
fn read_json(path: &Path) -> Result<Value, ImportError> {
    let text = read_utf8(path)?;
    serde_json::from_str(&text).map_err(|e| perr(path, "the file", format!("not JSON ({e})")))
}

/// Label Studio tasks: `data.text` with the results of every annotation
/// (cancelled ones skipped) and every prediction.
///
/// # Errors
/// Unreadable file or malformed JSON.
pub fn label_studio(path: &Path) -> Result<Vec<Incoming>, ImportError> {
    let v = read_json(path)?;
    let tasks = match v {
        Value::Array(tasks) => tasks,
        task @ Value::Object(_) => vec![task],
        _ => return Err(perr(path, "the file", "not a list of tasks")),
    };
    let mut out = Vec::new();
    for (i, task) in tasks.iter().enumerate() {
        let place = format!("task {}", i + 1);
        let data = task
            .get("data")
            .ok_or_else(|| perr(path, &place, "no \"data\""))?;
        let text = string(data, "text").ok_or_else(|| perr(path, &place, "no \"data.text\""))?;
        let mut spans = Vec::new();
        let groups = ["annotations", "predictions"]
            .iter()
            .filter_map(|k| task.get(*k).and_then(Value::as_array))
            .flatten()
            .filter(|a| a.get("was_cancelled").and_then(Value::as_bool) != Some(true));
        for group in groups {
            for r in group
                .get("result")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(value) = r.get("value") else {
                    continue;
                };
                let labels = value.get("labels").and_then(Value::as_array);
                let (Some(s), Some(e), Some(labels)) =
                    (offset(value, "start"), offset(value, "end"), labels)
                else {
                    continue;
                };
                let meta = r.get("meta").unwrap_or(&Value::Null);
                let note: Vec<&str> = meta
                    .get("text")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                for label in labels.iter().filter_map(Value::as_str) {
                    let mut sp = span(s, e, label.to_owned(), meta);
                    sp.note = (!note.is_empty()).then(|| note.join("\n"));
                    sp.quote = string(value, "text");
                    spans.push(sp);
                }
            }
        }
        out.push(Incoming {
            text: Some(text),
            name: document_name(data),
            place,
            spans,
        });
    }
    Ok(out)
}

/// W3C Web Annotation JSON-LD: a collection (`first.items`), a page
/// (`items`), a list, or one annotation. Position from the
/// `TextPositionSelector`, quote from the `TextQuoteSelector`, label from the
/// `tagging` body, note from `commenting` bodies; grouped by `target.source`.
///
/// # Errors
/// Unreadable file or malformed JSON.
pub fn w3c(path: &Path) -> Result<Vec<Incoming>, ImportError> {
    let v = read_json(path)?;
    let items: Vec<Value> = match &v {
        Value::Array(a) => a.clone(),
        Value::Object(_) => v
            .get("first")
            .and_then(|f| f.get("items"))
            .or_else(|| v.get("items"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_else(|| vec![v.clone()]),
        _ => return Err(perr(path, "the file", "not an annotation collection")),
    };
    let mut out: Vec<Incoming> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let place = format!("annotation {}", i + 1);
        let target = item
            .get("target")
            .ok_or_else(|| perr(path, &place, "no target"))?;
        let source =
            string(target, "source").ok_or_else(|| perr(path, &place, "no target.source"))?;
        let selectors: Vec<&Value> = match target.get("selector") {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(s) => vec![s],
            None => Vec::new(),
        };
        let of = |kind: &str| {
            selectors
                .iter()
                .find(|s| s.get("type").and_then(Value::as_str) == Some(kind))
                .copied()
        };
        let pos = of("TextPositionSelector")
            .ok_or_else(|| perr(path, &place, "no TextPositionSelector"))?;
        let (Some(start), Some(end)) = (offset(pos, "start"), offset(pos, "end")) else {
            return Err(perr(
                path,
                &place,
                "a TextPositionSelector lacks start or end",
            ));
        };
        let bodies: Vec<&Value> = match item.get("body") {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(b) => vec![b],
            None => Vec::new(),
        };
        let purpose = |b: &&Value, p: &str| b.get("purpose").and_then(Value::as_str) == Some(p);
        let Some(label) = bodies
            .iter()
            .find(|b| purpose(b, "tagging"))
            .and_then(|b| string(b, "value"))
        else {
            return Err(perr(path, &place, "no tagging body"));
        };
        let notes: Vec<String> = bodies
            .iter()
            .filter(|b| purpose(b, "commenting"))
            .filter_map(|b| string(b, "value"))
            .collect();
        let mut sp = span(start, end, label, item);
        sp.note = (!notes.is_empty()).then(|| notes.join("\n"));
        sp.author = item.get("creator").and_then(|c| string(c, "name"));
        sp.quote = of("TextQuoteSelector").and_then(|q| string(q, "exact"));
        match out
            .iter_mut()
            .find(|d| d.name.as_deref() == Some(source.as_str()))
        {
            Some(d) => d.spans.push(sp),
            None => out.push(Incoming {
                text: None,
                name: Some(source),
                place,
                spans: vec![sp],
            }),
        }
    }
    Ok(out)
}
