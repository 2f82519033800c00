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
//! Tags are kept as indices into a small table of tag names, one per
//! token, set from the tokens each span was placed on; sentences are token
//! ranges; words are borrowed from the text. Sentences are written on two
//! threads in pieces ([`Out::in_pieces`]) straight into the [`Out`] (the
//! HF lines through [`crate::io::export::json::JsonWriter`], the bytes
//! `serde_json` gives for `{id, document, tokens, ner_tags}`).

use std::borrow::Cow;
use std::ops::Range;

use crate::io::export::align::{Window, align_in};
use crate::io::export::json::JsonWriter;
use crate::io::export::out::Out;
use crate::io::export::overlaps::resolve_overlaps;
use crate::io::export::report::{Entry, EntryKind, Tally};
use crate::io::export::select::DocPart;
use crate::io::export::tokenize::{Token, exact_tokens, tokens_and_sentences};
use crate::io::export::{Ctx, ExportError, ExportFile};
use crate::model::SourceText;

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

/// One document's tagged tokens: the tokens, each one's tag (an index
/// into the tag names; whitespace tokens have none written) and the
/// sentences.
struct Tagged {
    tokens: Vec<Token>,
    /// Tag of each token.
    tags: Vec<u32>,
    /// Each sentence's tokens: from its first word to its last (the
    /// whitespace tokens between them are not written).
    sentences: Vec<Range<usize>>,
    /// Words holding whitespace (written with `_` for it), sorted; rare.
    spaced: Vec<usize>,
}

impl Tagged {
    /// The words of sentence `range` as written (see [`word`]), with
    /// their tags.
    fn words<'t>(
        &'t self,
        text: &'t SourceText,
        range: Range<usize>,
    ) -> impl Iterator<Item = (Cow<'t, str>, u32)> {
        let tokens = self.tokens.get(range.clone()).unwrap_or_default();
        let tags = self.tags.get(range.clone()).unwrap_or_default();
        range
            .zip(tokens.iter().zip(tags.iter().copied()))
            .filter(|(_, (t, _))| !t.space)
            .map(move |(i, (t, tag))| {
                let raw = t.text(text);
                if self.spaced.binary_search(&i).is_ok() {
                    (Cow::Owned(word(raw)), tag)
                } else {
                    (Cow::Borrowed(raw), tag)
                }
            })
    }

    /// A guess of the bytes written per sentence (sets the pieces' length).
    fn sentence_bytes(&self, text: &SourceText, per_word: usize) -> usize {
        let words = self.tokens.len().max(1);
        (text.byte_len() / words + per_word) * words / self.sentences.len().max(1)
    }
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
    // The tokens each placed span covers (placed on whole tokens).
    let mut covers: Vec<(usize, usize)> = Vec::with_capacity(dp.spans.len());
    let mut window = Window::default();
    for s in &dp.spans {
        if let Some(p) = align_in(dp.doc, s, &tokens, &mut window, policy, true, ctx.report) {
            let mut s = s.clone();
            s.range = p.range;
            placed.push(s);
            covers.push((p.first, p.last));
        }
    }
    dp.spans = placed;
    let kept = resolve_overlaps(dp, ctx.opts.overlaps, ctx.report);
    let mut k = 0;
    covers.retain(|_| {
        k += 1;
        kept.get(k - 1).copied().unwrap_or(true)
    });
    // Tag per token index (0 = O).
    let mut tags: Vec<u32> = vec![0; tokens.len()];
    let mut tally = Tally::new(&dp.doc.name);
    let is_word = |i: &usize| tokens.get(*i).is_some_and(|t| !t.space);
    for (s, &(a, b)) in dp.spans.iter().zip(&covers) {
        debug_assert_eq!(exact_tokens(&tokens, s.range), Some((a, b)));
        let n = (a..=b).filter(is_word).count();
        for (k, i) in (a..=b).filter(is_word).enumerate() {
            // B, I, L, U
            let prefix = match (bilou, n, k) {
                (true, 1, _) => 3,
                (true, _, 0) | (false, _, 0) => 0,
                (true, _, k) if k + 1 == n => 2,
                _ => 1,
            };
            if let Some(tag) = tags.get_mut(i) {
                *tag = names.get(s.label, prefix);
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
    // Sentences as token ranges holding at least one word: a new one
    // begins at a word with more sentence starts at or before it than the
    // word before (tokens are in order).
    let mut sentences: Vec<Range<usize>> = Vec::new();
    let mut spaced = Vec::new();
    let mut current = usize::MAX;
    let mut k = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.space {
            continue;
        }
        while starts.get(k).is_some_and(|&c| c <= t.start) {
            k += 1;
        }
        match sentences.last_mut() {
            Some(last) if k == current => last.end = i + 1,
            _ => sentences.push(i..i + 1),
        }
        current = k;
        let raw = t.text(dp.text);
        if has_whitespace(raw) {
            spaced.push(i);
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
    }
    Tagged {
        tokens,
        tags,
        sentences,
        spaced,
    }
}

/// True when a token holds whitespace (a quick look at its bytes first:
/// only controls, spaces and non-ASCII bytes can start one).
fn has_whitespace(raw: &str) -> bool {
    raw.bytes().any(|b| b <= b' ' || b >= 0x80) && raw.chars().any(char::is_whitespace)
}

/// A token as written: whitespace inside it becomes `_`.
fn word(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect()
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
        let tag_names = &names.names;
        let text = dp.text;
        let per = tagged.sentence_bytes(text, 12);
        // Sentences on two threads in pieces; a blank line ends each.
        out.in_pieces(&tagged.sentences, per, |buf, _, part| {
            for sentence in part {
                for (word, tag) in tagged.words(text, sentence.clone()) {
                    buf.extend_from_slice(word.as_bytes());
                    buf.extend_from_slice(b" _ _ ");
                    let tag = tag_names.get(tag as usize).map_or("O", String::as_str);
                    buf.extend_from_slice(tag.as_bytes());
                    buf.push(b'\n');
                }
                buf.push(b'\n');
            }
        });
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
    for dp in docs.iter_mut() {
        ctx.tick()?;
        let tagged = sentences(dp, false, &mut names, ctx);
        for name in names.names.get(ids.len()..).unwrap_or_default() {
            ids.push(tags.iter().position(|x| x == name).unwrap_or(0));
        }
        let (ids, doc, text) = (&ids, dp.doc, dp.text);
        let per = tagged.sentence_bytes(text, 16) + doc.name.len() + 48;
        // One line per sentence, on two threads in pieces.
        w.out_mut()
            .in_pieces(&tagged.sentences, per, |buf, first, part| {
                JsonWriter::over(buf, false, |w| {
                    let mut n = itoa::Buffer::new();
                    for (k, sentence) in part.iter().enumerate() {
                        w.begin_object();
                        w.key("id");
                        let out = w.buffer();
                        out.push(b'"');
                        out.extend_from_slice(n.format(doc.id.0).as_bytes());
                        out.push(b'-');
                        out.extend_from_slice(n.format(first + k).as_bytes());
                        out.push(b'"');
                        w.str_field("document", &doc.name);
                        w.key("tokens");
                        w.begin_array();
                        for (word, _) in tagged.words(text, sentence.clone()) {
                            w.item();
                            w.str(&word);
                        }
                        w.end_array();
                        w.key("ner_tags");
                        w.begin_array();
                        for (_, tag) in tagged.words(text, sentence.clone()) {
                            w.item();
                            w.uint(ids.get(tag as usize).copied().unwrap_or(0));
                        }
                        w.end_array();
                        w.end_object();
                        w.raw(b"\n");
                    }
                });
            });
    }
    Ok(w.out())
}
