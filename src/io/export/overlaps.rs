//! Overlap resolution for the formats that cannot hold overlapping spans
//! (CoNLL, BILOU, Hugging Face).
//!
//! Spans are visited in the policy's order (longest first, or first by
//! start); a span is kept unless it overlaps one kept before, and each
//! span left out is reported with the span that won. Kept spans never
//! overlap, so they are held as marks over the text's characters
//! (`Kept`): a bit per character covered and a bit per character where a
//! kept span starts. A clash is then a few word operations that give the
//! winner's start — the kept span covering the last covered character
//! inside the span, i.e. the kept span starting last before the span ends
//! (before: a `BTreeMap` range query per span). The loop touches only the
//! sorted keys and the marks; winners are named in the report afterwards.
//!
//! Invariants: for non-empty spans the results (kept or not, and the
//! winner named in each report entry) are those of a search over the kept
//! spans ordered by start (tested against that reference on random
//! spans); an empty span is left out when it lies strictly inside a kept
//! span and never blocks another span.

use crate::io::export::options::OverlapPolicy;
use crate::io::export::report::{EntryKind, FidelityReport, push_range};
use crate::io::export::select::{DocPart, span_entry};

/// Removes overlaps from one document's spans, reporting each span left
/// out. `Keep` and `PerLabel` resolve as `Longest` (callers split per
/// label before). Returns, for each span as it was, whether it was kept.
pub fn resolve_overlaps(
    dp: &mut DocPart<'_>,
    policy: OverlapPolicy,
    report: &mut FidelityReport,
) -> Vec<bool> {
    // Visiting order: (first key, second key, index), sorted as they are,
    // so no span is looked up again while sorting; the index breaks ties
    // as a stable sort would.
    let mut order: Vec<(usize, usize, usize)> = dp
        .spans
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (start, shorter) = (s.range.start().0, usize::MAX - s.range.len());
            match policy {
                OverlapPolicy::First => (start, shorter, i),
                _ => (shorter, start, i),
            }
        })
        .collect();
    order.sort_unstable();
    let rule = match policy {
        OverlapPolicy::First => "first wins",
        OverlapPolicy::Longest => "longest wins",
        OverlapPolicy::Keep => "the format cannot hold overlaps; longest wins",
        OverlapPolicy::PerLabel => "same-label overlap in a per-label file; longest wins",
    };
    let chars = dp.spans.iter().map(|s| s.range.end().0).max().unwrap_or(0);
    let mut kept = Kept::new(chars);
    // The loop reads only `order` and the bit marks (no span is looked up:
    // the keys hold each span's start and length); the report is written
    // after it, in visiting order.
    let mut starts: Vec<(usize, usize)> = Vec::with_capacity(order.len());
    let mut lost: Vec<(usize, usize)> = Vec::new();
    for &(a, b, i) in &order {
        let (start, len) = match policy {
            OverlapPolicy::First => (a, usize::MAX - b),
            _ => (b, usize::MAX - a),
        };
        let end = start + len;
        match kept.clash(start, end) {
            Some(winner_start) => lost.push((i, winner_start)),
            None => {
                kept.insert(start, end);
                starts.push((start, i));
            }
        }
    }
    starts.sort_unstable();
    let mut keep = vec![true; dp.spans.len()];
    for (i, winner_start) in lost {
        let k = starts.partition_point(|&(s, _)| s < winner_start);
        let winner = starts.get(k).map(|&(_, w)| w);
        if let (Some(w), Some(s)) = (winner.and_then(|w| dp.spans.get(w)), dp.spans.get(i)) {
            // "overlaps #ID LABEL START..END (RULE); left out", without the
            // formatting machinery (tens of thousands at 100k spans).
            let mut n = itoa::Buffer::new();
            let mut detail = String::with_capacity(48 + w.label.len() + rule.len());
            detail.push_str("overlaps #");
            detail.push_str(n.format(w.ann.id.0));
            detail.push(' ');
            detail.push_str(w.label);
            detail.push(' ');
            push_range(&mut detail, w.range);
            detail.push_str(" (");
            detail.push_str(rule);
            detail.push_str("); left out");
            report.push(span_entry(EntryKind::OverlapResolved, dp.doc, s, detail));
        }
        if let Some(k) = keep.get_mut(i) {
            *k = false;
        }
    }
    let mut i = 0;
    dp.spans.retain(|_| {
        i += 1;
        keep.get(i - 1).copied().unwrap_or(true)
    });
    keep
}

/// Kept, non-overlapping spans as marks over characters (see the module
/// docs).
struct Kept {
    /// Bit `c`: character `c` is covered by a kept span.
    covered: Vec<u64>,
    /// Bit `c`: a kept span starts at character `c`.
    starts: Vec<u64>,
}

impl Kept {
    fn new(chars: usize) -> Self {
        let words = chars.div_ceil(64) + 1;
        Self {
            covered: vec![0; words],
            starts: vec![0; words],
        }
    }

    fn bit(bits: &[u64], c: usize) -> bool {
        bits.get(c / 64).is_some_and(|w| w >> (c % 64) & 1 == 1)
    }

    /// The highest set bit of `bits` at or after `from` and before `to`.
    fn last_set(bits: &[u64], from: usize, to: usize) -> Option<usize> {
        if from >= to {
            return None;
        }
        let mut w = (to - 1) / 64;
        // Bits at or above `to` are masked off in the first word looked at.
        let mut mask = u64::MAX >> (63 - (to - 1) % 64);
        loop {
            let found = bits.get(w).map_or(0, |x| x & mask);
            if found != 0 {
                let c = w * 64 + 63 - found.leading_zeros() as usize;
                return (c >= from).then_some(c);
            }
            if w == 0 || w * 64 <= from {
                return None;
            }
            w -= 1;
            mask = u64::MAX;
        }
    }

    /// Where the kept span that `start..end` overlaps starts, if there is
    /// one (for an empty span: the kept span it lies strictly inside).
    fn clash(&self, start: usize, end: usize) -> Option<usize> {
        let last = if start < end {
            Self::last_set(&self.covered, start, end)?
        } else {
            let inside = start > 0
                && Self::bit(&self.covered, start - 1)
                && Self::bit(&self.covered, start)
                && !Self::bit(&self.starts, start);
            if !inside {
                return None;
            }
            start
        };
        Self::last_set(&self.starts, 0, last + 1)
    }

    /// Marks `start..end` (non-overlapping with every kept span) as kept;
    /// an empty span marks nothing.
    fn insert(&mut self, start: usize, end: usize) {
        if start >= end {
            return;
        }
        let mut c = start;
        while c < end {
            let (w, b) = (c / 64, c % 64);
            let n = (end - c).min(64 - b);
            let run = if n == 64 {
                u64::MAX
            } else {
                ((1u64 << n) - 1) << b
            };
            if let Some(x) = self.covered.get_mut(w) {
                *x |= run;
            }
            c += n;
        }
        if let Some(x) = self.starts.get_mut(start / 64) {
            *x |= 1 << (start % 64);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::io::export::select::Span;
    use crate::model::{
        Anchor, Annotation, AnnotationId, CharRange, Document, DocumentId, LabelId, Newline,
        Status, Timestamp,
    };

    /// The search this module replaced: the kept span starting last before
    /// the span's end, if it overlaps. Returns (kept, winner per span).
    fn reference(ranges: &[CharRange], policy: OverlapPolicy) -> Vec<Option<usize>> {
        let mut order: Vec<usize> = (0..ranges.len()).collect();
        match policy {
            OverlapPolicy::First => {
                order.sort_by_key(|&i| (ranges[i].start().0, std::cmp::Reverse(ranges[i].len())));
            }
            _ => order.sort_by_key(|&i| (std::cmp::Reverse(ranges[i].len()), ranges[i].start().0)),
        }
        let mut kept: BTreeMap<usize, usize> = BTreeMap::new();
        let mut lost = vec![None; ranges.len()];
        for i in order {
            let r = ranges[i];
            let clash = kept
                .range(..r.end().0)
                .next_back()
                .map(|(_, &k)| k)
                .filter(|&k| ranges[k].overlaps(r));
            match clash {
                Some(k) => lost[i] = Some(k),
                None => {
                    kept.insert(r.start().0, i);
                }
            }
        }
        lost
    }

    fn annotation(id: u64, r: CharRange) -> Annotation {
        Annotation {
            id: AnnotationId(id),
            doc: DocumentId(1),
            range: r,
            label: LabelId::new("claim"),
            note: None,
            author: "t".into(),
            agreed: Vec::new(),
            created: Timestamp(0),
            modified: Timestamp(0),
            anchor: Anchor::default(),
            origin: None,
            conflict: None,
            review: None,
        }
    }

    fn document() -> Document {
        Document {
            id: DocumentId(1),
            name: "d.txt".into(),
            path: "d.txt".into(),
            sha256: String::new(),
            byte_len: 0,
            encoding: "UTF-8".into(),
            bom: false,
            newline: Newline::Lf,
            char_len: 0,
            status: Status::Todo,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn same_spans_kept_and_same_winners_as_the_ordered_search(
            raw in prop::collection::vec((0usize..300, 1usize..40), 0..120),
            first in any::<bool>(),
        ) {
            let policy = if first { OverlapPolicy::First } else { OverlapPolicy::Longest };
            let mut ranges: Vec<CharRange> =
                raw.iter().map(|&(s, n)| CharRange::new(s, s + n)).collect();
            ranges.sort_by_key(|r| (r.start().0, r.end().0));
            let anns: Vec<Annotation> = ranges
                .iter()
                .enumerate()
                .map(|(i, &r)| annotation(i as u64 + 1, r))
                .collect();
            let doc = document();
            let text = crate::model::SourceText::new(String::new());
            let mut dp = DocPart {
                doc: &doc,
                text: &text,
                spans: anns
                    .iter()
                    .map(|a| Span { ann: a, label: "claim", range: a.range })
                    .collect(),
            };
            let mut report = FidelityReport::new("conll");
            let keep = resolve_overlaps(&mut dp, policy, &mut report);
            let want = reference(&ranges, policy);
            let got_kept: Vec<bool> = keep.clone();
            let want_kept: Vec<bool> = want.iter().map(Option::is_none).collect();
            prop_assert_eq!(got_kept, want_kept);
            // Each report entry names the same winner, in visiting order.
            let mut by_loser: BTreeMap<u64, String> = BTreeMap::new();
            for e in &report.entries {
                by_loser.insert(e.annotation.unwrap_or(0), e.detail.clone());
            }
            for (i, w) in want.iter().enumerate() {
                if let Some(k) = w {
                    let detail = by_loser.get(&(i as u64 + 1)).cloned().unwrap_or_default();
                    let winner = format!("overlaps #{} ", k + 1);
                    prop_assert!(detail.starts_with(&winner), "{} vs {}", detail, winner);
                }
            }
            prop_assert_eq!(report.entries.len(), want.iter().flatten().count());
            prop_assert_eq!(dp.spans.len(), keep.iter().filter(|&&k| k).count());
        }
    }

    #[test]
    fn bit_searches_at_word_edges() {
        let mut k = Kept::new(300);
        k.insert(63, 65);
        k.insert(128, 192);
        k.insert(192, 193);
        assert_eq!(k.clash(0, 63), None);
        assert_eq!(k.clash(0, 64), Some(63));
        assert_eq!(k.clash(64, 65), Some(63));
        assert_eq!(k.clash(65, 128), None);
        assert_eq!(k.clash(100, 192), Some(128));
        assert_eq!(k.clash(100, 300), Some(192));
        assert_eq!(k.clash(191, 192), Some(128));
        assert_eq!(k.clash(193, 300), None);
        // Empty spans: only strictly inside a kept span.
        assert_eq!(k.clash(64, 64), Some(63));
        assert_eq!(k.clash(63, 63), None);
        assert_eq!(k.clash(65, 65), None);
        assert_eq!(k.clash(150, 150), Some(128));
        assert_eq!(k.clash(128, 128), None);
        assert_eq!(k.clash(192, 192), None);
    }
}
