//! Inter-annotator agreement on the documents several annotators share.
//!
//! Measures (per label and overall):
//! - **Span F1, exact**: a span matches a span of the other annotator with
//!   the same start, end and label; F1 = 2·matches / (|A| + |B|).
//! - **Span F1, overlap**: a span matches when a span of the other with the
//!   same label shares at least one character; precision and recall count
//!   matched spans on each side, F1 = 2PR / (P + R).
//! - **Cohen's κ on characters**: every Unicode scalar value of a shared
//!   document gets, per annotator, the set of labels covering it (none is a
//!   category too); per label the category is "covered or not".
//! - **Krippendorff's α, nominal, on tokens** (the tokens of the token
//!   exports; characters where a text is not available): a token's value is
//!   the set of labels of spans overlapping it. All annotators rate every
//!   unit, so there are no missing values.
//!
//! With more than two annotators, F1 and κ are the mean over all pairs; α
//! takes all annotators at once. A measure whose chance agreement is total
//! (e.g. nobody used a label) is `None` — "not defined", never a made-up 1.
//!
//! Invariants: pure and deterministic (BTreeMaps, sorted output); offsets
//! are half-open scalar-value ranges; spans past a document's end are
//! clamped to it.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::progress::{Progress, Stopped};

/// One annotated span of one annotator.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    /// First scalar value.
    pub start: usize,
    /// One past the last.
    pub end: usize,
    /// Label name.
    pub label: String,
}

/// One annotator's spans, per shared document (by document key).
#[derive(Clone, Debug, Default)]
pub struct Coder {
    /// Shown in reports.
    pub name: String,
    /// Document key → spans.
    pub docs: BTreeMap<String, Vec<Span>>,
}

/// A document every compared annotator has.
#[derive(Clone, Debug, Default)]
pub struct SharedDoc {
    /// Key matching [`Coder::docs`] (the content hash).
    pub key: String,
    /// Display name.
    pub name: String,
    /// Length in scalar values.
    pub char_len: usize,
    /// Token ranges for α; empty means "use characters".
    pub tokens: Vec<(usize, usize)>,
}

/// The figures for one label, or for all labels together.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scores {
    /// Spans of this label over all annotators.
    pub spans: usize,
    /// Span F1 with exact matching.
    pub f1_exact: Option<f64>,
    /// Span F1 with overlap matching.
    pub f1_overlap: Option<f64>,
    /// Cohen's κ on characters.
    pub kappa: Option<f64>,
    /// Krippendorff's α, nominal, on tokens (see [`Agreement::alpha_unit`]).
    pub alpha: Option<f64>,
}

/// A span not every annotator made.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Disagreement {
    /// Document key.
    pub doc: String,
    /// The span.
    pub span: Span,
    /// Annotators who made it.
    pub by: Vec<String>,
    /// Annotators who did not.
    pub not_by: Vec<String>,
}

/// The result of [`agreement`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Agreement {
    /// Annotators compared.
    pub coders: Vec<String>,
    /// Documents compared: (key, name).
    pub documents: Vec<(String, String)>,
    /// "tokens", "characters" or "tokens and characters" (where texts were missing).
    pub alpha_unit: &'static str,
    /// All labels together.
    pub overall: Scores,
    /// Per label name.
    pub per_label: BTreeMap<String, Scores>,
    /// Spans not every annotator made, by document then position.
    pub disagreements: Vec<Disagreement>,
}

/// Compares `coders` on `docs`.
#[must_use]
pub fn agreement(coders: &[Coder], docs: &[SharedDoc]) -> Agreement {
    // Nobody stops this report: it always ends with the agreement.
    agreement_with(coders, docs, &Progress::new()).unwrap_or_default()
}

/// The phase of [`agreement_with`]: one step for all labels together, one
/// per label, one for the disagreements.
pub const COMPARING: &str = "Comparing the authors, label by label";

/// As [`agreement`], reporting to `progress` (a step per label) and ending
/// with [`Stopped`] between two steps once it is stopped.
///
/// # Errors
/// [`Stopped`] when `progress` was stopped.
pub fn agreement_with(
    coders: &[Coder],
    docs: &[SharedDoc],
    progress: &Progress,
) -> Result<Agreement, Stopped> {
    let spans = |c: &Coder, d: &SharedDoc| -> Vec<Span> {
        let mut v: Vec<Span> = c.docs.get(&d.key).cloned().unwrap_or_default();
        for s in &mut v {
            s.end = s.end.min(d.char_len);
            s.start = s.start.min(s.end);
        }
        v.sort();
        v.dedup();
        v
    };
    // table[doc][coder] = spans
    let table: Vec<Vec<Vec<Span>>> = docs
        .iter()
        .map(|d| coders.iter().map(|c| spans(c, d)).collect())
        .collect();
    let labels: BTreeSet<String> = table
        .iter()
        .flatten()
        .flatten()
        .map(|s| s.label.clone())
        .collect();
    let with_tokens = docs.iter().filter(|d| !d.tokens.is_empty()).count();
    let alpha_unit = match with_tokens {
        0 => "characters",
        n if n == docs.len() => "tokens",
        _ => "tokens and characters",
    };
    progress.phase(COMPARING, labels.len() as u64 + 2);
    progress.check()?;
    let overall = scores(&table, docs, None);
    progress.advance(1);
    let mut per_label = BTreeMap::new();
    for l in &labels {
        progress.check()?;
        per_label.insert(l.clone(), scores(&table, docs, Some(l)));
        progress.advance(1);
    }
    progress.check()?;
    let disagreements = disagreements(coders, docs, &table);
    progress.advance(1);
    Ok(Agreement {
        coders: coders.iter().map(|c| c.name.clone()).collect(),
        documents: docs
            .iter()
            .map(|d| (d.key.clone(), d.name.clone()))
            .collect(),
        alpha_unit,
        overall,
        per_label,
        disagreements,
    })
}

fn disagreements(
    coders: &[Coder],
    docs: &[SharedDoc],
    table: &[Vec<Vec<Span>>],
) -> Vec<Disagreement> {
    let mut out = Vec::new();
    for (d, row) in docs.iter().zip(table) {
        let mut who: BTreeMap<&Span, BTreeSet<usize>> = BTreeMap::new();
        for (i, spans) in row.iter().enumerate() {
            for s in spans {
                who.entry(s).or_default().insert(i);
            }
        }
        for (span, by) in who {
            if by.len() == coders.len() {
                continue;
            }
            let name = |i: usize| coders.get(i).map(|c| c.name.clone()).unwrap_or_default();
            out.push(Disagreement {
                doc: d.key.clone(),
                span: span.clone(),
                by: by.iter().map(|&i| name(i)).collect(),
                not_by: (0..coders.len())
                    .filter(|i| !by.contains(i))
                    .map(name)
                    .collect(),
            });
        }
    }
    out
}

/// Scores over all documents; `label` restricts to one label (binary
/// categories for κ and α).
fn scores(table: &[Vec<Vec<Span>>], docs: &[SharedDoc], label: Option<&str>) -> Scores {
    let pick = |v: &[Span]| -> Vec<Span> {
        v.iter()
            .filter(|s| label.is_none_or(|l| s.label == l))
            .cloned()
            .collect()
    };
    let table: Vec<Vec<Vec<Span>>> = table
        .iter()
        .map(|row| row.iter().map(|v| pick(v)).collect())
        .collect();
    let n = table.first().map_or(0, Vec::len);
    let pairs: Vec<(usize, usize)> = (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .collect();
    let mut exact = Vec::new();
    let mut overlap = Vec::new();
    let mut kappa = Vec::new();
    for &(i, j) in &pairs {
        let a: Vec<&[Span]> = table.iter().map(|r| r[i].as_slice()).collect();
        let b: Vec<&[Span]> = table.iter().map(|r| r[j].as_slice()).collect();
        exact.push(f1_exact(&a, &b));
        overlap.push(f1_overlap(&a, &b));
        kappa.push(cohen_kappa(&table, docs, i, j));
    }
    Scores {
        spans: table.iter().flatten().map(Vec::len).sum(),
        f1_exact: mean(&exact),
        f1_overlap: mean(&overlap),
        kappa: mean(&kappa),
        alpha: krippendorff_alpha(&table, docs),
    }
}

/// Mean of the defined values; `None` when none is defined.
fn mean(v: &[Option<f64>]) -> Option<f64> {
    let d: Vec<f64> = v.iter().flatten().copied().collect();
    (!d.is_empty()).then(|| d.iter().sum::<f64>() / d.len() as f64)
}

fn f1_exact(a: &[&[Span]], b: &[&[Span]]) -> Option<f64> {
    let (mut tp, mut total) = (0usize, 0usize);
    for (x, y) in a.iter().zip(b) {
        let ys: BTreeSet<&Span> = y.iter().collect();
        tp += x.iter().filter(|s| ys.contains(s)).count();
        total += x.len() + y.len();
    }
    (total > 0).then(|| 2.0 * tp as f64 / total as f64)
}

fn f1_overlap(a: &[&[Span]], b: &[&[Span]]) -> Option<f64> {
    let (mut ha, mut hb, mut na, mut nb) = (0usize, 0usize, 0usize, 0usize);
    for (x, y) in a.iter().zip(b) {
        ha += overlap_hits(x, y);
        hb += overlap_hits(y, x);
        na += x.len();
        nb += y.len();
    }
    if na + nb == 0 {
        return None;
    }
    let recall = if na == 0 { 0.0 } else { ha as f64 / na as f64 };
    let precision = if nb == 0 { 0.0 } else { hb as f64 / nb as f64 };
    Some(if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    })
}

/// How many spans of `x` overlap a span of `y` with the same label.
/// O((|x| + |y|) log |y|): per label, `y`'s spans sorted by start with the
/// furthest end reached so far; a span of `x` is hit when some span of
/// `y` starting before its end reaches past its start.
fn overlap_hits(x: &[Span], y: &[Span]) -> usize {
    let mut by_label: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    for t in y {
        by_label
            .entry(t.label.as_str())
            .or_default()
            .push((t.start, t.end));
    }
    let reach: BTreeMap<&str, (Vec<usize>, Vec<usize>)> = by_label
        .into_iter()
        .map(|(label, mut spans)| {
            spans.sort_unstable();
            let starts = spans.iter().map(|&(s, _)| s).collect();
            let mut furthest = 0;
            let ends = spans
                .iter()
                .map(|&(_, e)| {
                    furthest = furthest.max(e);
                    furthest
                })
                .collect();
            (label, (starts, ends))
        })
        .collect();
    x.iter()
        .filter(|s| {
            reach.get(s.label.as_str()).is_some_and(|(starts, ends)| {
                let before_end = starts.partition_point(|&t| t < s.end);
                before_end
                    .checked_sub(1)
                    .and_then(|k| ends.get(k))
                    .is_some_and(|&e| e > s.start)
            })
        })
        .count()
}

/// The label set covering each unit, per coder: `units` are sorted,
/// non-overlapping ranges; a unit's value is the labels of spans overlapping it.
fn values(spans: &[Span], units: &[(usize, usize)]) -> Vec<String> {
    let mut active: Vec<&Span> = Vec::new();
    let mut next = 0usize;
    units
        .iter()
        .map(|&(s, e)| {
            active.retain(|x| x.end > s);
            while let Some(x) = spans.get(next).filter(|x| x.start < e) {
                if x.end > s {
                    active.push(x);
                }
                next += 1;
            }
            let set: BTreeSet<&str> = active
                .iter()
                .filter(|x| x.start < e && x.end > s)
                .map(|x| x.label.as_str())
                .collect();
            set.into_iter().collect::<Vec<_>>().join("+")
        })
        .collect()
}

/// Character segments of a document within which no span starts or ends:
/// each is one weighted unit for κ.
fn segments(row: &[Vec<Span>], len: usize) -> Vec<(usize, usize)> {
    let mut cuts: BTreeSet<usize> = [0, len].into();
    for s in row.iter().flatten() {
        cuts.insert(s.start);
        cuts.insert(s.end);
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    cuts.windows(2)
        .filter_map(|w| (w[0] < w[1]).then_some((w[0], w[1])))
        .collect()
}

fn cohen_kappa(table: &[Vec<Vec<Span>>], docs: &[SharedDoc], i: usize, j: usize) -> Option<f64> {
    let mut agree = 0usize;
    let mut total = 0usize;
    let mut pa: BTreeMap<String, usize> = BTreeMap::new();
    let mut pb: BTreeMap<String, usize> = BTreeMap::new();
    for (row, d) in table.iter().zip(docs) {
        let segs = segments(row, d.char_len);
        let va = values(&row[i], &segs);
        let vb = values(&row[j], &segs);
        for (((s, e), x), y) in segs.iter().zip(va).zip(vb) {
            let w = e - s;
            total += w;
            agree += if x == y { w } else { 0 };
            *pa.entry(x).or_insert(0) += w;
            *pb.entry(y).or_insert(0) += w;
        }
    }
    if total == 0 {
        return None;
    }
    let t = total as f64;
    let po = agree as f64 / t;
    let pe: f64 = pa
        .iter()
        .map(|(c, n)| *n as f64 / t * pb.get(c).map_or(0.0, |m| *m as f64 / t))
        .sum();
    ((1.0 - pe).abs() > 1e-12).then(|| (po - pe) / (1.0 - pe))
}

fn krippendorff_alpha(table: &[Vec<Vec<Span>>], docs: &[SharedDoc]) -> Option<f64> {
    let m = table.first().map_or(0, Vec::len);
    if m < 2 {
        return None;
    }
    let mut within = 0.0f64; // Σ_u (m² − Σ_c n_uc²) / (m − 1)
    let mut totals: BTreeMap<String, f64> = BTreeMap::new();
    for (row, d) in table.iter().zip(docs) {
        // Without tokens, characters: a segment stands for its characters,
        // which all have the same values.
        let chars = d.tokens.is_empty();
        let units = if chars {
            segments(row, d.char_len)
        } else {
            d.tokens.clone()
        };
        let per: Vec<Vec<String>> = row.iter().map(|s| values(s, &units)).collect();
        for (u, (s, e)) in units.iter().enumerate() {
            let w = if chars { (e - s) as f64 } else { 1.0 };
            let mut counts: BTreeMap<&str, f64> = BTreeMap::new();
            for v in &per {
                if let Some(x) = v.get(u) {
                    *counts.entry(x.as_str()).or_insert(0.0) += 1.0;
                }
            }
            let sq: f64 = counts.values().map(|n| n * n).sum();
            within += w * ((m * m) as f64 - sq) / (m - 1) as f64;
            for (c, n) in counts {
                *totals.entry(c.to_owned()).or_insert(0.0) += w * n;
            }
        }
    }
    let n: f64 = totals.values().sum();
    let expected = n * n - totals.values().map(|x| x * x).sum::<f64>();
    (expected > 0.0 && n > 1.0).then(|| 1.0 - (n - 1.0) * within / expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn naive_hits(x: &[Span], y: &[Span]) -> usize {
        x.iter()
            .filter(|s| {
                y.iter()
                    .any(|t| t.label == s.label && t.start < s.end && s.start < t.end)
            })
            .count()
    }

    fn spans() -> impl Strategy<Value = Vec<Span>> {
        prop::collection::vec((0usize..60, 0usize..12, 0usize..3), 0..40).prop_map(|v| {
            v.into_iter()
                .map(|(start, len, l)| Span {
                    start,
                    end: start + len,
                    label: ["claim", "quote", "unverified"][l].to_owned(),
                })
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn overlap_hits_are_the_pairwise_definition(x in spans(), y in spans()) {
            prop_assert_eq!(overlap_hits(&x, &y), naive_hits(&x, &y));
        }
    }
}
