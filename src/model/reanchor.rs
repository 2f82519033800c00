//! Re-anchoring: placing annotations again in a source whose text changed.
//!
//! Invariants: every annotation gets exactly one [`Placement`]; nothing is
//! ever dropped. An exact quote at the old position is `Exact`; elsewhere,
//! with the best surrounding context, `Moved`; a changed quote found between
//! its old prefix and suffix is `Fuzzy` with a score; anything else is
//! `Orphaned`. When two different places score alike the result is marked
//! `ambiguous` and must be reviewed — it is never silently accepted. Work
//! per annotation is bounded (at most [`MAX_CANDIDATES`] places are scored).
//! Placing many at once reports its progress and can be stopped
//! ([`place_all_with`]); a stopped placing changes nothing.

use std::collections::BTreeMap;

use crate::model::annotation::{Annotation, Review};
use crate::model::offset::{ByteOffset, CharRange};
use crate::model::progress::{Progress, Stopped};
use crate::model::source_text::SourceText;

/// Most candidate places scored per annotation.
pub const MAX_CANDIDATES: usize = 256;
/// Lowest fuzzy score (0–1000) accepted as a placement.
pub const FUZZY_THRESHOLD: u16 = 650;
/// Scores closer than this (0–1000) count as alike.
const TIE_MARGIN: u16 = 30;
/// Chars of prefix/suffix used to find the context again.
const CONTEXT_PROBE: usize = 16;

/// Where an annotation landed in the new text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Same quote at the same offsets.
    Exact,
    /// Same quote, different offsets.
    Moved {
        /// The new range.
        to: CharRange,
        /// True when another place matched as well.
        ambiguous: bool,
    },
    /// A similar text between the old context.
    Fuzzy {
        /// The new range.
        to: CharRange,
        /// Similarity, 0–1000.
        score: u16,
        /// True when another place scored alike.
        ambiguous: bool,
    },
    /// No acceptable place found; the annotation keeps its old offsets.
    Orphaned,
}

impl Placement {
    /// The status word used by the CLI and the review panel.
    #[must_use]
    pub fn status(&self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Moved { .. } => "moved",
            Self::Fuzzy { .. } => "fuzzy",
            Self::Orphaned => "orphaned",
        }
    }

    /// The range to use in the new text, if any.
    #[must_use]
    pub fn range(&self, old: CharRange) -> Option<CharRange> {
        match *self {
            Self::Exact => Some(old),
            Self::Moved { to, .. } | Self::Fuzzy { to, .. } => Some(to),
            Self::Orphaned => None,
        }
    }
}

/// Puts `a` where `placement` says in `text` and flags it for review: a
/// moved one gets the new range and its quote and context captured there;
/// a fuzzy one the new range with its old quote kept until the analyst
/// accepts; an orphaned one keeps its range. Exact ones are left alone.
pub fn apply(a: &mut Annotation, text: &SourceText, placement: Placement) {
    let from = a.range;
    match placement {
        Placement::Exact => {}
        Placement::Moved { to, ambiguous } => {
            a.range = to;
            if let Some(anchor) = crate::model::Anchor::capture(text, to) {
                a.anchor = anchor;
            }
            a.review = Some(Review::Moved { from, ambiguous });
        }
        Placement::Fuzzy {
            to,
            score,
            ambiguous,
        } => {
            a.range = to;
            a.review = Some(Review::Fuzzy {
                from,
                score,
                ambiguous,
            });
        }
        Placement::Orphaned => a.review = Some(Review::Orphaned),
    }
}

/// Places one annotation in `text` from its stored quote and context.
#[must_use]
pub fn place(text: &SourceText, a: &Annotation) -> Placement {
    place_all(text, &[a]).pop().unwrap_or(Placement::Orphaned)
}

/// Places every annotation of `anns` in `text` (one result each, in
/// order), exactly as [`place`] would one by one. Quotes not at their old
/// position are looked up all at once: one Aho-Corasick pass over the text
/// finds every occurrence of every quote (at most [`MAX_CANDIDATES`] each),
/// so a 10 MB text with 200k moved annotations is scanned once, not 200k
/// times.
#[must_use]
pub fn place_all(text: &SourceText, anns: &[&Annotation]) -> Vec<Placement> {
    // A report nobody stops: the placing always finishes (the fallback
    // keeps "one placement per annotation" even so).
    place_all_with(text, anns, &Progress::new())
        .unwrap_or_else(|Stopped| vec![Placement::Orphaned; anns.len()])
}

/// As [`place_all`], reporting to `progress` (two phases: finding the
/// moved quotes, by bytes of text; placing them, by annotation) and
/// ending early with [`Stopped`] when it is stopped.
///
/// # Errors
/// [`Stopped`] when `progress` was stopped.
pub fn place_all_with(
    text: &SourceText,
    anns: &[&Annotation],
    progress: &Progress,
) -> Result<Vec<Placement>, Stopped> {
    let mut out = vec![Placement::Orphaned; anns.len()];
    let mut pending = Vec::new();
    for (i, a) in anns.iter().enumerate() {
        let quote = a.anchor.quote.as_str();
        if quote.is_empty() {
            continue;
        }
        if text.slice(a.range) == Some(quote) {
            if let Some(p) = out.get_mut(i) {
                *p = Placement::Exact;
            }
            continue;
        }
        pending.push(i);
    }
    if pending.is_empty() {
        return Ok(out);
    }
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut patterns: Vec<&str> = Vec::new();
    for &i in &pending {
        if let Some(a) = anns.get(i) {
            let q = a.anchor.quote.as_str();
            index.entry(q).or_insert_with(|| {
                patterns.push(q);
                patterns.len() - 1
            });
        }
    }
    progress.phase(FINDING, patterns.len() as u64);
    let found = occurrences_of_all(text, &patterns, progress)?;
    // Placed in pieces on two threads: each annotation's placement depends
    // only on the text, itself and its quote's occurrences.
    progress.phase(PLACING, pending.len() as u64);
    let pieces: Vec<&[usize]> = pending.chunks(PLACE_PIECE).collect();
    let placed = on_two_threads(&pieces, |piece| {
        progress.check()?;
        let placed: Vec<Placement> = piece
            .iter()
            .map(|&i| {
                let Some(a) = anns.get(i) else {
                    return Placement::Orphaned;
                };
                let occ = index
                    .get(a.anchor.quote.as_str())
                    .and_then(|&k| found.get(k))
                    .map_or(&[][..], Vec::as_slice);
                moved(text, a, occ).unwrap_or_else(|| fuzzy(text, a))
            })
            .collect();
        progress.advance(piece.len() as u64);
        Ok(placed)
    })?;
    for (&i, placement) in pending.iter().zip(placed.into_iter().flatten()) {
        if let Some(slot) = out.get_mut(i) {
            *slot = placement;
        }
    }
    Ok(out)
}

/// The phase of [`place_all_with`] that looks for every moved quote (by
/// quotes searched).
pub const FINDING: &str = "Finding the moved quotes";
/// The phase of [`place_all_with`] that places each moved annotation.
pub const PLACING: &str = "Placing the annotations again";
/// How many matches go between two looks at the stop flag.
const CHECK_EVERY: usize = 4096;
/// Quotes per Aho-Corasick automaton. Building one grows faster than
/// linearly with its patterns (47k quotes of a 10 MB text: 3.4 s for one
/// automaton, 0.44 s for 16 of ~3,000), and each piece is a point where
/// the search reports progress and can stop.
const PATTERNS_PER_AUTOMATON: usize = 3_000;
/// Annotations placed between two looks at the stop flag.
const PLACE_PIECE: usize = 512;

/// Char offsets of every occurrence (overlapping ones included, at most
/// [`MAX_CANDIDATES`] each, in text order) of each pattern. The patterns
/// are searched in pieces of [`PATTERNS_PER_AUTOMATON`], on two threads;
/// the quotes searched so far go to `progress`.
fn occurrences_of_all(
    text: &SourceText,
    patterns: &[&str],
    progress: &Progress,
) -> Result<Vec<Vec<usize>>, Stopped> {
    let pieces: Vec<&[&str]> = patterns.chunks(PATTERNS_PER_AUTOMATON).collect();
    let found = on_two_threads(&pieces, |piece| {
        let found = occurrences_of_piece(text, piece, progress)?;
        progress.advance(piece.len() as u64);
        Ok(found)
    })?;
    Ok(found.into_iter().flatten().collect())
}

/// [`occurrences_of_all`] for one piece of patterns: one automaton, one
/// pass over the text.
fn occurrences_of_piece(
    text: &SourceText,
    patterns: &[&str],
    progress: &Progress,
) -> Result<Vec<Vec<usize>>, Stopped> {
    progress.check()?;
    let mut found = vec![Vec::new(); patterns.len()];
    let Ok(ac) = aho_corasick::AhoCorasick::new(patterns) else {
        // Too big for an automaton: one search per pattern instead.
        for (slot, p) in found.iter_mut().zip(patterns) {
            progress.check()?;
            *slot = occurrences(text, p);
        }
        return Ok(found);
    };
    for (n, m) in ac.find_overlapping_iter(text.as_str()).enumerate() {
        if n.is_multiple_of(CHECK_EVERY) {
            progress.check()?;
        }
        if let Some(v) = found.get_mut(m.pattern().as_usize())
            && v.len() < MAX_CANDIDATES
            && let Some(c) = text.char_of(ByteOffset(m.start()))
        {
            v.push(c.0);
        }
    }
    Ok(found)
}

/// `work` applied to every item of `items`, results in item order: this
/// thread takes the even items, a helper the odd ones
/// ([`crate::model::parallel::both`]). The first [`Stopped`] wins.
fn on_two_threads<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&T) -> Result<R, Stopped> + Sync,
) -> Result<Vec<R>, Stopped> {
    let every_other = |first: usize| -> Result<Vec<R>, Stopped> {
        items.iter().skip(first).step_by(2).map(&work).collect()
    };
    let (even, odd) = crate::model::parallel::both(|| every_other(0), || every_other(1));
    let mut odd = odd?.into_iter();
    let mut out = Vec::with_capacity(items.len());
    for e in even? {
        out.push(e);
        if let Some(o) = odd.next() {
            out.push(o);
        }
    }
    Ok(out)
}

/// Scores how well the context around `r` matches the stored prefix/suffix (0–64).
fn context_score(text: &SourceText, a: &Annotation, r: CharRange) -> usize {
    let before = text.before(r.start(), a.anchor.prefix.chars().count());
    let after = text.after(r.end(), a.anchor.suffix.chars().count());
    let common_tail = before
        .chars()
        .rev()
        .zip(a.anchor.prefix.chars().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let common_head = after
        .chars()
        .zip(a.anchor.suffix.chars())
        .take_while(|(x, y)| x == y)
        .count();
    common_tail + common_head
}

/// The best of the quote's occurrences `occ` (char offsets), by context.
fn moved(text: &SourceText, a: &Annotation, occ: &[usize]) -> Option<Placement> {
    let qlen = a.anchor.quote.chars().count();
    let mut scored: Vec<(usize, usize, CharRange)> = occ
        .iter()
        .map(|&c| {
            let r = CharRange::new(c, c + qlen);
            (context_score(text, a, r), c.abs_diff(a.range.start().0), r)
        })
        .collect();
    // Best context first, then nearest to the old position.
    scored.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    let best = *scored.first()?;
    let ambiguous = scored.get(1).is_some_and(|second| second.0 == best.0);
    Some(Placement::Moved {
        to: best.2,
        ambiguous,
    })
}

/// Finds all char offsets where `needle` occurs (bounded).
fn occurrences(text: &SourceText, needle: &str) -> Vec<usize> {
    if needle.is_empty() {
        return Vec::new();
    }
    text.as_str()
        .match_indices(needle)
        .take(MAX_CANDIDATES)
        .filter_map(|(b, _)| text.char_of(ByteOffset(b)).map(|c| c.0))
        .collect()
}

fn fuzzy(text: &SourceText, a: &Annotation) -> Placement {
    let quote = &a.anchor.quote;
    let qlen = quote.chars().count();
    let len = text.char_len();
    let prefix_probe: String = {
        let n = a.anchor.prefix.chars().count();
        a.anchor
            .prefix
            .chars()
            .skip(n.saturating_sub(CONTEXT_PROBE))
            .collect()
    };
    let suffix_probe: String = a.anchor.suffix.chars().take(CONTEXT_PROBE).collect();
    let plen = prefix_probe.chars().count();
    // Candidate starts: just after the prefix; the text start when the span had none.
    let mut starts: Vec<usize> = occurrences(text, &prefix_probe)
        .into_iter()
        .map(|p| p + plen)
        .collect();
    if a.anchor.prefix.is_empty() {
        starts.push(0);
    }
    let mut ends: Vec<usize> = occurrences(text, &suffix_probe);
    if a.anchor.suffix.is_empty() {
        ends.push(len);
    }
    let reach = qlen * 2 + 32;
    let mut candidates: Vec<CharRange> = Vec::new();
    for &s in &starts {
        let end = ends
            .iter()
            .copied()
            .filter(|&e| e >= s && e - s <= reach)
            .min();
        candidates.push(CharRange::new(s, end.unwrap_or((s + qlen).min(len))));
    }
    for &e in &ends {
        if !starts.iter().any(|&s| s <= e && e - s <= reach) {
            candidates.push(CharRange::new(e.saturating_sub(qlen), e));
        }
    }
    let mut scored: Vec<(u16, CharRange)> = candidates
        .into_iter()
        .filter(|r| !r.is_empty())
        .filter_map(|r| {
            let found = text.slice(r)?;
            let similarity = strsim::normalized_levenshtein(quote, found);
            let trimmed = text.trim_whitespace(r);
            let has_prefix = a.anchor.prefix.is_empty() || starts.contains(&r.start().0);
            let has_suffix = a.anchor.suffix.is_empty() || ends.contains(&r.end().0);
            let score = 0.7 * similarity
                + 0.15 * f64::from(u8::from(has_prefix))
                + 0.15 * f64::from(u8::from(has_suffix));
            Some((
                to_permille(score),
                if trimmed.is_empty() { r } else { trimmed },
            ))
        })
        .collect();
    scored.sort_by(|x, y| {
        y.0.cmp(&x.0).then(
            x.1.start()
                .0
                .abs_diff(a.range.start().0)
                .cmp(&y.1.start().0.abs_diff(a.range.start().0)),
        )
    });
    scored.dedup_by_key(|c| c.1);
    let Some(&(score, to)) = scored.first() else {
        return Placement::Orphaned;
    };
    if score < FUZZY_THRESHOLD {
        return Placement::Orphaned;
    }
    let ambiguous = scored
        .iter()
        .skip(1)
        .any(|&(s, r)| score - s.min(score) < TIE_MARGIN && !r.overlaps(to));
    Placement::Fuzzy {
        to,
        score,
        ambiguous,
    }
}

fn to_permille(x: f64) -> u16 {
    // Clamped to 0..=1000 before the conversion, so it cannot truncate.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let v = (x.clamp(0.0, 1.0) * 1000.0).round() as u16;
    v
}

/// Offsets past the end of the text, clamped (for orphaned annotations kept as they were).
#[must_use]
pub fn clamp(text: &SourceText, r: CharRange) -> CharRange {
    let len = text.char_len();
    CharRange::new(r.start().0.min(len), r.end().0.min(len))
}
