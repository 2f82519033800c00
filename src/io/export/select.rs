//! Choosing what an export writes: documents, labels, overlap resolution
//! and the train/dev/test split.
//!
//! Invariants: documents stay in project order and spans in annotation key
//! order; every annotation left out is named in the report; the split
//! depends only on the document list and the seed (a SplitMix64 shuffle),
//! never on the clock or a hash map.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::io::export::ExportError;
use crate::io::export::options::{ExportOptions, Split};
use crate::io::export::report::{Entry, EntryKind, FidelityReport};
use crate::model::{Annotation, CharRange, Document, DocumentId, Project, SourceText};

/// One span to write: the annotation, its label's export name and its
/// (possibly adjusted) range.
#[derive(Clone, Debug)]
pub struct Span<'a> {
    /// The annotation.
    pub ann: &'a Annotation,
    /// Label name as written (the project's label name, or the label id
    /// when the project lacks the label).
    pub label: &'a str,
    /// Range written (equal to `ann.range` unless adjusted).
    pub range: CharRange,
}

/// One document with its text and spans.
#[derive(Clone, Debug)]
pub struct DocPart<'a> {
    /// The document.
    pub doc: &'a Document,
    /// Its text.
    pub text: &'a SourceText,
    /// Spans in key order.
    pub spans: Vec<Span<'a>>,
}

/// A named group of documents written together (`train`, `claim`, …).
#[derive(Clone, Debug)]
pub struct Part<'a> {
    /// Name added to file names; `None` for a plain export.
    pub name: Option<String>,
    /// The documents.
    pub docs: Vec<DocPart<'a>>,
}

/// A report entry about one span.
#[must_use]
pub fn span_entry(kind: EntryKind, doc: &Document, span: &Span<'_>, detail: String) -> Entry {
    Entry {
        kind,
        document: doc.name.clone(),
        annotation: Some(span.ann.id.0),
        label: Some(span.label.to_owned()),
        range: Some([span.ann.range.start().0, span.ann.range.end().0]),
        detail,
    }
}

/// Picks the documents and labels asked for; annotations whose range
/// does not fit their text are dropped and reported.
///
/// # Errors
/// When a requested document or label does not exist.
pub fn select<'a>(
    project: &'a Project,
    texts: &'a BTreeMap<DocumentId, Arc<SourceText>>,
    opts: &ExportOptions,
    report: &mut FidelityReport,
) -> Result<Vec<DocPart<'a>>, ExportError> {
    for want in &opts.documents {
        if !project
            .documents()
            .iter()
            .any(|d| &d.name == want || &d.path == want)
        {
            return Err(ExportError::UnknownDocument(want.clone()));
        }
    }
    let mut label_ids = Vec::new();
    for want in &opts.labels {
        let label = project
            .label_by_name(want)
            .or_else(|| project.labels().iter().find(|l| l.id.as_str() == want))
            .ok_or_else(|| ExportError::UnknownLabel(want.clone()))?;
        label_ids.push(label.id.clone());
    }
    let names: Vec<(&str, &str)> = project
        .labels()
        .iter()
        .map(|l| (l.id.as_str(), l.name.as_str()))
        .collect();
    let mut out = Vec::new();
    for doc in project.documents() {
        if !opts.documents.is_empty()
            && !opts
                .documents
                .iter()
                .any(|w| w == &doc.name || w == &doc.path)
        {
            continue;
        }
        let anns: Vec<&Annotation> = project
            .annotations_of(doc.id)
            .filter(|a| label_ids.is_empty() || label_ids.contains(&a.label))
            .collect();
        report.selected += anns.len();
        let Some(text) = texts.get(&doc.id) else {
            report.push(Entry {
                kind: EntryKind::DocumentSkipped,
                document: doc.name.clone(),
                annotation: None,
                label: None,
                range: None,
                detail: format!(
                    "its source text is unavailable; {} annotation(s) not exported",
                    anns.len()
                ),
            });
            continue;
        };
        let mut spans = Vec::new();
        for ann in anns {
            let id = ann.label.as_str();
            let label = names
                .iter()
                .find(|(i, _)| *i == id)
                .map_or(id, |(_, name)| *name);
            let span = Span {
                ann,
                label,
                range: ann.range,
            };
            if ann.review == Some(crate::model::Review::Orphaned) {
                // Its offsets now cover unrelated text: never training data.
                report.push(span_entry(
                    EntryKind::Dropped,
                    doc,
                    &span,
                    "its source changed and its text could not be found again".into(),
                ));
                continue;
            }
            // `slice` fails exactly when the end passes the text (start <= end).
            if ann.range.is_empty() || ann.range.end().0 > text.char_len() {
                report.push(span_entry(
                    EntryKind::Dropped,
                    doc,
                    &span,
                    "its range does not fit the source text".into(),
                ));
                continue;
            }
            if let Some(review) = &ann.review {
                report.push(span_entry(
                    EntryKind::NeedsReview,
                    doc,
                    &span,
                    format!("exported with the current text, but {review}"),
                ));
            }
            spans.push(span);
        }
        out.push(DocPart {
            doc,
            text: text.as_ref(),
            spans,
        });
    }
    report.documents = out.len();
    Ok(out)
}

/// Splits documents into parts per label (for `PerLabel`), keeping the
/// project's label order. Each part is named after its label made file
/// safe; two labels that come out the same (`needs review`, `needs_review`)
/// get `-2`, `-3`… in label order, so no part's file replaces another's.
#[must_use]
pub fn per_label<'a>(project: &Project, docs: Vec<DocPart<'a>>) -> Vec<Part<'a>> {
    let mut parts: Vec<Part<'a>> = Vec::new();
    for label in project.labels() {
        let part_docs: Vec<DocPart<'a>> = docs
            .iter()
            .map(|dp| DocPart {
                doc: dp.doc,
                text: dp.text,
                spans: dp
                    .spans
                    .iter()
                    .filter(|s| s.ann.label == label.id)
                    .cloned()
                    .collect(),
            })
            .collect();
        if part_docs.iter().any(|d| !d.spans.is_empty()) {
            let base = file_safe(&label.name);
            let taken = |n: &str| parts.iter().any(|p| p.name.as_deref() == Some(n));
            let mut name = base.clone();
            let mut k = 2;
            while taken(&name) {
                name = format!("{base}-{k}");
                k += 1;
            }
            parts.push(Part {
                name: Some(name),
                docs: part_docs,
            });
        }
    }
    parts
}

/// Splits documents into `train`, `dev` and `test` (always all three, in
/// that order, possibly empty).
#[must_use]
pub fn split_parts<'a>(docs: Vec<DocPart<'a>>, split: Split) -> Vec<(String, Vec<DocPart<'a>>)> {
    let n = docs.len();
    let mut order: Vec<usize> = (0..n).collect();
    let mut state = split.seed;
    for i in (1..n).rev() {
        let r = splitmix64(&mut state);
        let j = usize::try_from(r % (i as u64 + 1)).unwrap_or(0);
        order.swap(i, j);
    }
    let total = u64::from(split.train) + u64::from(split.dev) + u64::from(split.test);
    let cut = |w: u64| usize::try_from((n as u64 * w * 2 + total) / (total * 2)).unwrap_or(n);
    let a = cut(u64::from(split.train));
    let b = cut(u64::from(split.train) + u64::from(split.dev)).max(a);
    let mut slots: Vec<Option<DocPart<'a>>> = docs.into_iter().map(Some).collect();
    let mut take = |range: std::ops::Range<usize>| {
        let mut idx: Vec<usize> = order[range].to_vec();
        // Keep project order inside each part.
        idx.sort_unstable();
        idx.into_iter()
            .filter_map(|i| slots[i].take())
            .collect::<Vec<_>>()
    };
    let train = take(0..a);
    let dev = take(a..b);
    let test = take(b..n);
    vec![
        ("train".to_owned(), train),
        ("dev".to_owned(), dev),
        ("test".to_owned(), test),
    ]
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A name safe in a file name on every OS: letters, digits, `-`, `_`, `.`
/// (others become `_`), never empty, never starting with a dot.
#[must_use]
pub fn file_safe(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    while out.starts_with('.') {
        out.remove(0);
    }
    if out.is_empty() {
        out.push_str("export");
    }
    out
}
