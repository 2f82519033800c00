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
//!
//! Tags are kept as indices into a small table of tag names; words are
//! borrowed from the text; output goes straight into the [`Out`]
//! (the HF lines through [`crate::io::export::json::JsonWriter`], the bytes
//! `serde_json` gives for `{id, document, tokens, ner_tags}`).

use crate::io::export::align::{Window, align_in};
use crate::io::export::json::JsonWriter;
use crate::io::export::out::Out;
use crate::io::export::report::{Entry, EntryKind, Tally};
use crate::io::export::select::{DocPart, resolve_overlaps};
use crate::io::export::tokenize::{Token, exact_tokens, tokens_and_sentences};
use crate::io::export::{Ctx, ExportError, ExportFile};

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

/// One document's tagged tokens: for each non-whitespace token in order,
/// its index in the token list, its tag (an index into the tag names) and
/// whether it starts a sentence.
struct Tagged {
    tokens: Vec<Token>,
    /// `(token index, tag index, starts a sentence)`.
    rows: Vec<(usize, u32, bool)>,
}

/// The tag names used in a document: index 0 is `O`, then one
/// `PREFIX-label` per prefix and label met.
struct TagNames<'a> {
    names: Vec<String>,
    /// `(label, bilou?) -> first index of its B, I, L, U names`.
    by_label: Vec<(&'a str, u32)>,
}

impl<'a> TagNames<'a> {
    fn new() -> Self {
        Self {
            names: vec!["O".to_owned()],
            by_label: Vec::new(),
        }
    }

    /// Index of `prefix-label` (`prefix` is one of `B`, `I`, `L`, `U`).
    fn get(&mut self, label: &'a str, prefix: usize) -> u32 {
        let base = match self.by_label.iter().find(|(l, _)| *l == label) {
            Some(&(_, base)) => base,
            None => {
                let base = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
                let tag = tag_label(label);
                for p in ["B", "I", "L", "U"] {
                    self.names.push(format!("{p}-{tag}"));
                }
                self.by_label.push((label, base));
                base
            }
        };
        base + u32::try_from(prefix).unwrap_or(0)
    }
}

/// Tags every document's sentences.
fn sentences<'a>(
    dp: &mut DocPart<'a>,
    bilou: bool,
    names: &mut TagNames<'a>,
    ctx: &mut Ctx<'_>,
) -> Tagged {
    let (tokens, sentence_starts) = tokens_and_sentences(dp.text);
    let policy = ctx.opts.align_policy();
    let mut placed = Vec::with_capacity(dp.spans.len());
    let mut window = Window::default();
    for s in &dp.spans {
        if let Some(p) = align_in(dp.doc, s, &tokens, &mut window, policy, true, ctx.report) {
            let mut s = s.clone();
            s.range = p.range;
            placed.push(s);
        }
    }
    dp.spans = placed;
    resolve_overlaps(dp, ctx.opts.overlaps, ctx.report);
    // Tag per token index (0 = O).
    let mut tags: Vec<u32> = vec![0; tokens.len()];
    let mut tally = Tally::new(&dp.doc.name);
    for s in &dp.spans {
        if let Some((a, b)) = exact_tokens(&tokens, s.range) {
            let n = (a..=b).filter(|&i| !tokens[i].space).count();
            let words = (a..=b).filter(|&i| !tokens[i].space);
            for (k, i) in words.enumerate() {
                // B, I, L, U
                let prefix = match (bilou, n, k) {
                    (true, 1, _) => 3,
                    (true, _, 0) | (false, _, 0) => 0,
                    (true, _, k) if k + 1 == n => 2,
                    _ => 1,
                };
                tags[i] = names.get(s.label, prefix);
            }
        }
        tally.add(s.label);
    }
    tally.finish(ctx.report);
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
    let starts: Vec<usize> = sentence_starts
        .into_iter()
        .filter(|&c| !inside(c))
        .collect();
    let mut rows = Vec::with_capacity(tokens.len());
    let mut current = usize::MAX;
    // Sentence starts at or before the token (tokens are in order).
    let mut k = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.space {
            continue;
        }
        while starts.get(k).is_some_and(|&c| c <= t.start) {
            k += 1;
        }
        let new_sentence = k != current || rows.is_empty();
        current = k;
        let raw = t.text(dp.text);
        if raw.chars().any(char::is_whitespace) {
            ctx.report.push(Entry {
                kind: EntryKind::Renamed,
                document: dp.doc.name.clone(),
                annotation: None,
                label: None,
                range: Some([t.start, t.end]),
                detail: format!(
                    "token {raw:?} written as {:?} (columns are whitespace-separated)",
                    word(raw)
                ),
            });
        }
        rows.push((i, tags[i], new_sentence));
    }
    Tagged { tokens, rows }
}

/// A token as written: whitespace inside it becomes `_`.
fn word(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect()
}

/// Appends a token as written (see [`word`]).
fn push_word(out: &mut Vec<u8>, raw: &str) {
    if raw.chars().any(char::is_whitespace) {
        out.extend_from_slice(word(raw).as_bytes());
    } else {
        out.extend_from_slice(raw.as_bytes());
    }
}

/// CoNLL-2003 columns with IOB2 (or BILOU) tags.
///
/// # Errors
/// Cancelled.
pub fn conll<'a>(
    docs: &mut [DocPart<'a>],
    bilou: bool,
    ctx: &mut Ctx<'_>,
    mut out: Out,
) -> Result<Out, ExportError> {
    note_renamed_labels(docs, ctx);
    let mut names = TagNames::new();
    out.expect(docs.iter().map(|d| d.text.byte_len() * 3 + 32).sum());
    for dp in docs.iter_mut() {
        ctx.tick()?;
        out.buf().extend_from_slice(b"-DOCSTART- -X- -X- O\n\n");
        let tagged = sentences(dp, bilou, &mut names, ctx);
        for (n, &(i, tag, new_sentence)) in tagged.rows.iter().enumerate() {
            let buf = out.buf();
            if new_sentence && n > 0 {
                buf.push(b'\n');
            }
            if let Some(t) = tagged.tokens.get(i) {
                push_word(buf, t.text(dp.text));
            }
            buf.extend_from_slice(b" _ _ ");
            let tag = names.names.get(tag as usize).map_or("O", String::as_str);
            buf.extend_from_slice(tag.as_bytes());
            buf.push(b'\n');
            out.spill();
        }
        if !tagged.rows.is_empty() {
            out.buf().push(b'\n');
        }
    }
    Ok(out)
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
/// Cancelled.
pub fn hf<'a>(
    docs: &mut [DocPart<'a>],
    labels: &[String],
    ctx: &mut Ctx<'_>,
    mut out: Out,
) -> Result<Out, ExportError> {
    note_renamed_labels(docs, ctx);
    let tags = tag_list(labels);
    let mut names = TagNames::new();
    // Tag list position of each name (0 when not in the list).
    let mut ids: Vec<usize> = Vec::new();
    out.expect(docs.iter().map(|d| d.text.byte_len() * 2 + 32).sum());
    let mut w = JsonWriter::new(out, false);
    let mut n = itoa::Buffer::new();
    for dp in docs.iter_mut() {
        ctx.tick()?;
        let tagged = sentences(dp, false, &mut names, ctx);
        for name in names.names.get(ids.len()..).unwrap_or_default() {
            ids.push(tags.iter().position(|x| x == name).unwrap_or(0));
        }
        let rows = &tagged.rows;
        let mut sentence = 0usize;
        let mut from = 0;
        while from < rows.len() {
            let to = rows
                .get(from + 1..)
                .and_then(|rest| rest.iter().position(|r| r.2))
                .map_or(rows.len(), |k| from + 1 + k);
            let part = rows.get(from..to).unwrap_or_default();
            w.begin_object();
            w.key("id");
            let out = w.buffer();
            out.push(b'"');
            out.extend_from_slice(n.format(dp.doc.id.0).as_bytes());
            out.push(b'-');
            out.extend_from_slice(n.format(sentence).as_bytes());
            out.push(b'"');
            w.str_field("document", &dp.doc.name);
            w.key("tokens");
            w.begin_array();
            for &(i, _, _) in part {
                w.item();
                let raw = tagged.tokens.get(i).map_or("", |t| t.text(dp.text));
                if raw.chars().any(char::is_whitespace) {
                    w.str(&word(raw));
                } else {
                    w.str(raw);
                }
            }
            w.end_array();
            w.key("ner_tags");
            w.begin_array();
            for &(_, tag, _) in part {
                w.item();
                w.uint(ids.get(tag as usize).copied().unwrap_or(0));
            }
            w.end_array();
            w.end_object();
            w.raw(b"\n");
            sentence += 1;
            from = to;
        }
    }
    Ok(w.out())
}
