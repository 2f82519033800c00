//! Re-anchoring after a source changes: insert at the top, a changed word in
//! a quote, a deleted passage, and a look-alike passage — every annotation
//! exact, moved, fuzzy or orphaned as expected, none lost or misplaced.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::string_slice,
    missing_docs
)]

mod common;

use spanmark::io::Workspace;
use spanmark::model::reanchor::{Placement, place};
use spanmark::model::{DocumentId, SourceText};

fn ledger() -> (Workspace, String) {
    let ws = Workspace::open(&common::sample_path()).unwrap();
    let text = ws.text(DocumentId(1)).unwrap().as_str().to_owned();
    (ws, text)
}

fn statuses(ws: &Workspace, new: &SourceText) -> Vec<(u64, Placement)> {
    ws.project
        .annotations_of(DocumentId(1))
        .map(|a| (a.id.0, place(new, a)))
        .collect()
}

#[test]
fn unchanged_text_is_exact() {
    let (ws, text) = ledger();
    let new = SourceText::new(text);
    assert!(
        statuses(&ws, &new)
            .iter()
            .all(|(_, p)| *p == Placement::Exact)
    );
}

#[test]
fn edited_source_places_every_annotation_as_expected() {
    let (ws, text) = ledger();
    let look_alike = "Editor’s note: an earlier version said the neighbouring tanks were never at risk without attribution.\n\n";
    let edited = format!("{look_alike}{text}")
        .replace("We had forty firefighters", "We had fifty firefighters")
        .replace(
            "The cause of the fire is under investigation. The port authority said the warehouse held about 3,000 tonnes of barley due to be shipped to Rotterdam.\n\n",
            "",
        );
    let new = SourceText::new(edited);
    let got = statuses(&ws, &new);
    let status: Vec<(u64, &str)> = got.iter().map(|(id, p)| (*id, p.status())).collect();
    assert_eq!(
        status,
        vec![
            (1, "moved"),
            (2, "moved"),
            (3, "fuzzy"),
            (4, "moved"),
            (5, "moved"),
            (6, "orphaned")
        ],
    );
    for (id, p) in &got {
        let a = ws.project.annotations().find(|a| a.id.0 == *id).unwrap();
        match p {
            Placement::Moved { to, ambiguous } => {
                assert_eq!(new.slice(*to), Some(a.anchor.quote.as_str()), "#{id}");
                assert!(!ambiguous, "#{id}");
            }
            Placement::Fuzzy {
                to,
                score,
                ambiguous,
            } => {
                assert_eq!(
                    new.slice(*to),
                    Some("“We had fifty firefighters on the quay within twenty minutes,”")
                );
                assert!(*score >= 900 && !ambiguous, "score {score}");
            }
            _ => {}
        }
    }
    // The nested claim went to its real place inside the quote, not to the look-alike.
    let (_, p5) = got.iter().find(|(id, _)| *id == 5).unwrap();
    let to = p5.range(Default::default()).unwrap();
    assert!(to.start().0 > look_alike.chars().count());
    assert!(new.before(to.start(), 12).ends_with("loss, but "));
}

#[test]
fn identical_look_alikes_are_flagged_ambiguous() {
    let (ws, _) = ledger();
    // The claim's quote appears twice, each time with no surrounding context in common.
    let a = ws
        .project
        .annotation(spanmark::model::AnnotationId(6))
        .unwrap();
    let new = SourceText::new(format!("X {q} Y\n\nZ {q} W", q = a.anchor.quote));
    match place(&new, a) {
        Placement::Moved { ambiguous, .. } => assert!(ambiguous),
        other => panic!("{other:?}"),
    }
}

#[test]
fn two_alike_fuzzy_places_are_never_silently_accepted() {
    let (ws, _) = ledger();
    let a = ws
        .project
        .annotation(spanmark::model::AnnotationId(2))
        .unwrap();
    let changed = a.anchor.quote.replace("dock", "port");
    let block = format!("{}{}{}", a.anchor.prefix, changed, a.anchor.suffix);
    let new = SourceText::new(format!("{block}\n\n{block}"));
    match place(&new, a) {
        Placement::Fuzzy { ambiguous, .. } => assert!(ambiguous),
        other => panic!("{other:?}"),
    }
}

#[test]
fn opening_a_project_with_a_changed_source_reanchors_and_keeps_everything() {
    let (dir, path) = common::sample_copy();
    let src = dir.path().join("sources/meridian-ledger.txt");
    let text = std::fs::read_to_string(&src).unwrap();
    std::fs::write(&src, format!("Update: figures corrected.\n\n{text}")).unwrap();
    let ws = Workspace::open(&path).unwrap();
    assert!(ws.changed_on_open);
    assert_eq!(ws.project.annotation_count(), 15);
    assert_eq!(ws.reanchored.len(), 6);
    assert!(
        ws.reanchored
            .iter()
            .all(|r| r.placement.status() == "moved")
    );
    // Every moved span covers its quote in the new text, and the document
    // record now describes the new bytes.
    let new = ws.text(DocumentId(1)).unwrap();
    for a in ws.project.annotations_of(DocumentId(1)) {
        assert_eq!(new.slice(a.range), Some(a.anchor.quote.as_str()));
    }
    let doc = ws.project.document(DocumentId(1)).unwrap();
    assert_eq!(doc.char_len, new.char_len());
    // Saved, it opens clean.
    let mut ws = ws;
    ws.save_as(&path).unwrap();
    let again = Workspace::open(&path).unwrap();
    assert!(again.problems.is_empty(), "{:?}", again.problems);
}

#[test]
fn orphaned_annotations_are_left_out_of_exports_and_reported() {
    let (dir, path) = common::sample_copy();
    let src = dir.path().join("sources/meridian-ledger.txt");
    let text = std::fs::read_to_string(&src).unwrap();
    let cut = "The cause of the fire is under investigation. The port authority said the warehouse held about 3,000 tonnes of barley due to be shipped to Rotterdam.\n\n";
    std::fs::write(&src, text.replace(cut, "")).unwrap();
    let ws = Workspace::open(&path).unwrap();
    let texts = ws
        .sources
        .iter()
        .map(|(id, s)| (*id, s.text().unwrap().clone()))
        .collect();
    let opts = spanmark::io::export::ExportOptions::new(spanmark::io::export::Format::Csv, "x");
    let (files, report) =
        spanmark::io::export::export(&ws.project, &texts, &opts, Default::default()).unwrap();
    let csv = String::from_utf8(files[0].bytes.clone()).unwrap();
    assert!(!csv.contains("3,000 tonnes of barley"));
    assert!(
        report.to_string().contains("could not be found again"),
        "{report}"
    );
}

proptest::proptest! {
    /// Placing a document's annotations all at once (one pass over the
    /// text) gives what placing each alone gives, whatever quotes repeat.
    #[test]
    fn placing_all_at_once_equals_one_by_one(
        words in proptest::collection::vec(proptest::sample::select(vec!["fire", "dock", "the", "é", "🔥", "quay", "\r\n"]), 5..60),
        spans in proptest::collection::vec((0usize..60, 1usize..8), 1..12),
        inserted in "[a-z ]{0,12}",
    ) {
        let old = SourceText::new(words.concat());
        let new = SourceText::new(format!("{inserted}{}", old.as_str()).replace("dock", "docks"));
        let len = old.char_len();
        let anns: Vec<spanmark::model::Annotation> = spans
            .iter()
            .enumerate()
            .filter_map(|(i, &(s, l))| {
                let s = s % len;
                let r = spanmark::model::CharRange::new(s, (s + l).min(len));
                (!r.is_empty()).then(|| common::annotation(i as u64 + 1, 1, &old, r, "claim"))
            })
            .collect();
        let refs: Vec<&spanmark::model::Annotation> = anns.iter().collect();
        let all = spanmark::model::reanchor::place_all(&new, &refs);
        let alone: Vec<Placement> = anns.iter().map(|a| place(&new, a)).collect();
        proptest::prop_assert_eq!(all, alone);
    }
}

#[test]
fn thousands_of_moved_quotes_are_placed_as_one_by_one() {
    use spanmark::model::CharRange;
    use spanmark::model::reanchor::place_all;
    // 7,000 distinct quotes (three automatons, both threads) and a
    // repeated one (ambiguous places), all moved by an inserted line.
    let mut old = String::new();
    let mut ranges = Vec::new();
    for i in 0..7_000 {
        let start = old.chars().count();
        old.push_str(&format!("clé{i} "));
        ranges.push(CharRange::new(start, old.chars().count() - 1));
        if i % 100 == 0 {
            let start = old.chars().count();
            old.push_str("même ");
            ranges.push(CharRange::new(start, start + 4));
        }
    }
    let old = SourceText::new(old);
    let anns: Vec<_> = ranges
        .iter()
        .enumerate()
        .map(|(i, r)| common::annotation(i as u64 + 1, 1, &old, *r, "claim"))
        .collect();
    let new = SourceText::new(format!("Inserted line.\n{}", old.as_str()));
    let refs: Vec<_> = anns.iter().collect();
    let all = place_all(&new, &refs);
    assert_eq!(all.len(), anns.len());
    for (a, p) in anns.iter().zip(&all).step_by(41) {
        assert_eq!(*p, place(&new, a), "{:?}", a.anchor.quote);
    }
    let moved_by_15 = all
        .iter()
        .zip(&anns)
        .filter(|(p, a)| {
            let shifted = CharRange::new(a.range.start().0 + 15, a.range.end().0 + 15);
            p.range(a.range) == Some(shifted)
        })
        .count();
    assert_eq!(moved_by_15, anns.len());
}
