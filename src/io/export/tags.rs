//! Token tag formats: CoNLL-2003 columns with IOB2 or BILOU tags, and
//! Hugging Face token classification JSONL with its tag list.
//!
//! Invariants: tokens are [`crate::io::export::tokenize`]'s non-whitespace
//! tokens; sentences are its UAX #29 sentences (every line break ends one),
//! except that a boundary inside a span is not used, so no span is cut in
//! two; every span is first placed on whole tokens (snapped or dropped, as
//! the policy says, each reported), then overlaps are resolved (reported);
//! so each token has exactly one tag and every tag sequence is valid IOB2 /
//! BILOU. Label names have whitespace replaced by `_` (reported).
//!
//! CoNLL lines are `TOKEN _ _ TAG` (the CoNLL-2003 column count, with `_`
//! for the POS and chunk columns we do not have); each document starts
//! with `-DOCSTART- -X- -X- O` and a blank line; a blank line ends every
//! sentence. Hugging Face lines are one sentence each:
//! `{"id", "document", "tokens", "ner_tags"}`, tag ids indexing `tags.json`
//! (`O`, then `B-label`, `I-label` per label in project order).

use serde::Serialize;

use crate::io::export::align::align;
use crate::io::export::report::{Entry, EntryKind};
use crate::io::export::select::{DocPart, resolve_overlaps};
use crate::io::export::tokenize::{exact_tokens, sentence_starts, tokenize};
use crate::io::export::{Ctx, ExportError, ExportFile};
use crate::model::CharRange;

/// One sentence: its words and their tags.
struct Sentence {
    words: Vec<String>,
    tags: Vec<String>,
}

/// A label name usable as a tag: whitespace becomes `_`.
#[must_use]
pub fn tag_label(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect()
}

fn note_renamed_labels(docs: &[DocPart<'_>], ctx: &mut Ctx<'_>) {
    let mut seen: Vec<&str> = Vec::new();
    for s in docs.iter().flat_map(|d| d.spans.iter()) {
        if tag_label(s.label) != s.label && !seen.contains(&s.label) {
            seen.push(s.label);
            ctx.report.push(Entry {
                kind: EntryKind::Renamed,
                document: "(all documents)".into(),
                annotation: None,
                label: Some(s.label.to_owned()),
                range: None,
                detail: format!(
                    "written as {:?} (tags cannot contain whitespace)",
                    tag_label(s.label)
                ),
            });
        }
    }
}

/// Tags every document's sentences.
fn sentences(dp: &mut DocPart<'_>, bilou: bool, ctx: &mut Ctx<'_>) -> Vec<Sentence> {
    let tokens = tokenize(dp.text);
    let policy = ctx.opts.align_policy();
    let mut placed = Vec::new();
    for s in &dp.spans {
        if let Some(p) = align(dp.doc, s, &tokens, policy, true, ctx.report) {
            let mut s = s.clone();
            s.range = p.range;
            placed.push(s);
        }
    }
    dp.spans = placed;
    resolve_overlaps(dp, ctx.opts.overlaps, ctx.report);
    // Tag per token index.
    let mut tags: Vec<Option<String>> = vec![None; tokens.len()];
    for s in &dp.spans {
        let label = tag_label(s.label);
        let idx: Vec<usize> = exact_tokens(&tokens, s.range)
            .map(|(a, b)| (a..=b).filter(|&i| !tokens[i].space).collect())
            .unwrap_or_default();
        let n = idx.len();
        for (k, &i) in idx.iter().enumerate() {
            let prefix = match (bilou, n, k) {
                (true, 1, _) => "U",
                (true, _, 0) | (false, _, 0) => "B",
                (true, _, k) if k + 1 == n => "L",
                _ => "I",
            };
            tags[i] = Some(format!("{prefix}-{label}"));
        }
        ctx.report.count(&dp.doc.name, s.label);
    }
    // Union of the spans' extents, sorted and disjoint: a sentence
    // boundary strictly inside one is not used.
    let mut covered: Vec<(usize, usize)> = Vec::new();
    let mut extents: Vec<(usize, usize)> = dp
        .spans
        .iter()
        .map(|s| (s.range.start().0, s.range.end().0))
        .collect();
    extents.sort_unstable();
    for (a, b) in extents {
        match covered.last_mut() {
            Some(last) if a < last.1 => last.1 = last.1.max(b),
            _ => covered.push((a, b)),
        }
    }
    let inside = |c: usize| {
        let k = covered.partition_point(|&(a, _)| a < c);
        k > 0 && covered.get(k - 1).is_some_and(|&(_, b)| c < b)
    };
    let starts: Vec<usize> = sentence_starts(dp.text)
        .into_iter()
        .filter(|&c| !inside(c))
        .collect();
    let mut out: Vec<Sentence> = Vec::new();
    let mut current = usize::MAX;
    for (i, t) in tokens.iter().enumerate() {
        if t.space {
            continue;
        }
        let k = starts.partition_point(|&c| c <= t.start);
        if k != current || out.is_empty() {
            current = k;
            out.push(Sentence {
                words: Vec::new(),
                tags: Vec::new(),
            });
        }
        let raw = dp
            .text
            .slice(CharRange::new(t.start, t.end))
            .unwrap_or_default();
        let word: String = raw
            .chars()
            .map(|c| if c.is_whitespace() { '_' } else { c })
            .collect();
        if word != raw {
            ctx.report.push(Entry {
                kind: EntryKind::Renamed,
                document: dp.doc.name.clone(),
                annotation: None,
                label: None,
                range: Some([t.start, t.end]),
                detail: format!(
                    "token {raw:?} written as {word:?} (columns are whitespace-separated)"
                ),
            });
        }
        if let Some(sentence) = out.last_mut() {
            sentence.words.push(word);
            sentence
                .tags
                .push(tags[i].clone().unwrap_or_else(|| "O".to_owned()));
        }
    }
    out
}

/// CoNLL-2003 columns with IOB2 (or BILOU) tags.
///
/// # Errors
/// Cancelled.
pub fn conll(
    docs: &mut [DocPart<'_>],
    bilou: bool,
    ctx: &mut Ctx<'_>,
) -> Result<String, ExportError> {
    note_renamed_labels(docs, ctx);
    let mut out = String::new();
    for dp in docs.iter_mut() {
        ctx.tick()?;
        out.push_str("-DOCSTART- -X- -X- O\n\n");
        for s in sentences(dp, bilou, ctx) {
            for (w, t) in s.words.iter().zip(&s.tags) {
                out.push_str(w);
                out.push_str(" _ _ ");
                out.push_str(t);
                out.push('\n');
            }
            out.push('\n');
        }
    }
    Ok(out)
}

#[derive(Serialize)]
struct HfLine<'a> {
    id: String,
    document: &'a str,
    tokens: Vec<String>,
    ner_tags: Vec<usize>,
}

/// The IOB2 tag list: `O`, then `B-x`, `I-x` for each label.
#[must_use]
pub fn tag_list(labels: &[String]) -> Vec<String> {
    let mut tags = vec!["O".to_owned()];
    for l in labels {
        let l = tag_label(l);
        tags.push(format!("B-{l}"));
        tags.push(format!("I-{l}"));
    }
    tags
}

/// `tags.json`: the tag list as a JSON array.
///
/// # Errors
/// Only on a serialiser bug.
pub fn tag_list_file(labels: &[String]) -> Result<ExportFile, ExportError> {
    let mut text = serde_json::to_string_pretty(&tag_list(labels))
        .map_err(|e| ExportError::Serialise(e.to_string()))?;
    text.push('\n');
    Ok(ExportFile {
        name: "tags.json".to_owned(),
        bytes: text.into_bytes(),
    })
}

/// Hugging Face token classification JSONL, one sentence per line.
///
/// # Errors
/// Cancelled, or a serialiser bug.
pub fn hf(
    docs: &mut [DocPart<'_>],
    labels: &[String],
    ctx: &mut Ctx<'_>,
) -> Result<String, ExportError> {
    note_renamed_labels(docs, ctx);
    let tags = tag_list(labels);
    let mut out = String::new();
    for dp in docs.iter_mut() {
        ctx.tick()?;
        for (n, s) in sentences(dp, false, ctx).into_iter().enumerate() {
            let ner_tags = s
                .tags
                .iter()
                .map(|t| tags.iter().position(|x| x == t).unwrap_or(0))
                .collect();
            out.push_str(&crate::io::export::json_line(&HfLine {
                id: format!("{}-{}", dp.doc.id.0, n),
                document: &dp.doc.name,
                tokens: s.words,
                ner_tags,
            })?);
        }
    }
    Ok(out)
}
