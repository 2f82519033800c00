//! Export options seen from a caller such as the GUI dialog: filters,
//! overlap policies, alignment policies, split, progress and cancel.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::string_slice,
    missing_docs
)]

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

use spanmark::io::Workspace;
use spanmark::io::export::{
    self, AlignPolicy, EntryKind, ExportError, ExportOptions, Format, OverlapPolicy, Progress,
    Split,
};
use spanmark::model::{CharRange, DocumentId, Project, SourceText};

fn sample() -> (Workspace, BTreeMap<DocumentId, Arc<SourceText>>) {
    let ws = Workspace::open(&common::sample_path()).unwrap();
    let texts = ws
        .sources
        .iter()
        .filter_map(|(id, s)| s.text().map(|t| (*id, Arc::clone(t))))
        .collect();
    (ws, texts)
}

fn one_doc(
    text: &str,
    spans: &[(usize, usize, &str)],
) -> (Project, BTreeMap<DocumentId, Arc<SourceText>>) {
    let t = SourceText::new(text.to_owned());
    let anns = spans
        .iter()
        .enumerate()
        .map(|(i, &(s, e, l))| common::annotation(i as u64 + 1, 1, &t, CharRange::new(s, e), l))
        .collect();
    let (p, _) = Project::from_parts(
        "t".into(),
        vec![],
        vec![common::document_for(1, "t.txt", text)],
        spanmark::model::label::default_labels(),
        anns,
    );
    (p, BTreeMap::from([(DocumentId(1), Arc::new(t))]))
}

fn kinds(r: &export::FidelityReport) -> Vec<(EntryKind, Option<u64>)> {
    r.entries.iter().map(|e| (e.kind, e.annotation)).collect()
}

#[test]
fn progress_is_reported_and_cancel_stops() {
    let (ws, texts) = sample();
    let steps = Mutex::new(Vec::new());
    let on_step = |done: usize, total: usize| steps.lock().unwrap().push((done, total));
    let o = ExportOptions::new(Format::Csv, "x");
    export::export(
        &ws.project,
        &texts,
        &o,
        Progress {
            on_step: Some(&on_step),
            cancel: None,
        },
    )
    .unwrap();
    assert_eq!(*steps.lock().unwrap(), [(1, 3), (2, 3), (3, 3)]);
    // With a split the total is still the number of documents.
    steps.lock().unwrap().clear();
    let mut split = o.clone();
    split.split = Some(Split {
        train: 8,
        dev: 1,
        test: 1,
        seed: 3,
    });
    export::export(
        &ws.project,
        &texts,
        &split,
        Progress {
            on_step: Some(&on_step),
            cancel: None,
        },
    )
    .unwrap();
    assert_eq!(steps.lock().unwrap().last(), Some(&(3, 3)));
    let cancel = AtomicBool::new(true);
    let err = export::export(
        &ws.project,
        &texts,
        &o,
        Progress {
            on_step: None,
            cancel: Some(&cancel),
        },
    )
    .unwrap_err();
    assert!(matches!(err, ExportError::Cancelled));
}

#[test]
fn document_and_label_filters() {
    let (ws, texts) = sample();
    let mut o = ExportOptions::new(Format::Csv, "x");
    o.documents = vec!["dailybuzz.txt".into()];
    o.labels = vec!["Quote".into()];
    let (_, r) = export::export(&ws.project, &texts, &o, Progress::default()).unwrap();
    assert_eq!((r.documents, r.selected, r.written), (1, 2, 2));
    o.documents = vec!["nope.txt".into()];
    assert!(matches!(
        export::export(&ws.project, &texts, &o, Progress::default()),
        Err(ExportError::UnknownDocument(_))
    ));
}

#[test]
fn overlap_policies_in_tag_formats() {
    // "fire trucks" (claim, 0..11) overlaps the longer "trucks roll on" (quote, 5..19).
    let (p, t) = one_doc("fire trucks roll on", &[(0, 11, "claim"), (5, 19, "quote")]);
    let run = |policy| {
        let mut o = ExportOptions::new(Format::Conll, "x");
        o.overlaps = policy;
        export::export(&p, &t, &o, Progress::default()).unwrap()
    };
    let (_, r) = run(OverlapPolicy::Longest);
    assert_eq!(kinds(&r), [(EntryKind::OverlapResolved, Some(1))]);
    let (_, r) = run(OverlapPolicy::First);
    assert_eq!(kinds(&r), [(EntryKind::OverlapResolved, Some(2))]);
    let (files, r) = run(OverlapPolicy::PerLabel);
    assert!(r.entries.is_empty());
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["claim.conll", "quote.conll"]);
}

#[test]
fn alignment_policies() {
    // "iretruck" ends inside the token "firetrucks".
    let (p, t) = one_doc("firemen drive firetrucks", &[(15, 23, "claim")]);
    let run = |align| {
        let mut o = ExportOptions::new(Format::Prodigy, "x");
        o.align = Some(align);
        let (f, r) = export::export(&p, &t, &o, Progress::default()).unwrap();
        (String::from_utf8(f[0].bytes.clone()).unwrap(), r)
    };
    let (text, r) = run(AlignPolicy::Snap);
    assert!(text.contains("\"start\":14,\"end\":24"), "{text}");
    assert_eq!(kinds(&r), [(EntryKind::Snapped, Some(1))]);
    let (text, r) = run(AlignPolicy::Keep);
    assert!(
        text.contains(
            "\"start\":15,\"end\":23,\"label\":\"claim\",\"token_start\":2,\"token_end\":2"
        ),
        "{text}"
    );
    assert_eq!(kinds(&r), [(EntryKind::Misaligned, Some(1))]);
    assert!(!r.has_losses());
    let (text, r) = run(AlignPolicy::Drop);
    assert!(text.contains("\"spans\":[]"), "{text}");
    assert_eq!(kinds(&r), [(EntryKind::DroppedMisaligned, Some(1))]);
}

#[test]
fn split_is_by_document_and_seeded() {
    let (ws, texts) = sample();
    let names = |seed| {
        let mut o = ExportOptions::new(Format::Doccano, "x");
        o.split = Some(Split {
            train: 1,
            dev: 1,
            test: 1,
            seed,
        });
        let (files, _) = export::export(&ws.project, &texts, &o, Progress::default()).unwrap();
        files
            .iter()
            .map(|f| {
                (
                    f.name.clone(),
                    String::from_utf8(f.bytes.clone()).unwrap().lines().count(),
                )
            })
            .collect::<Vec<_>>()
    };
    let a = names(1);
    assert_eq!(a, names(1));
    assert_eq!(
        a.iter().map(|(n, c)| (n.as_str(), *c)).collect::<Vec<_>>(),
        [("dev.jsonl", 1), ("test.jsonl", 1), ("train.jsonl", 1)]
    );
}

#[test]
fn annotations_under_review_are_exported_with_a_warning() {
    // The same span and label twice: the second is flagged as a duplicate on load.
    let (p, t) = one_doc("fire trucks", &[(0, 4, "claim"), (0, 4, "claim")]);
    let (_, r) = export::export(
        &p,
        &t,
        &ExportOptions::new(Format::Csv, "x"),
        Progress::default(),
    )
    .unwrap();
    assert_eq!(kinds(&r), [(EntryKind::NeedsReview, Some(2))]);
    assert!(!r.has_losses() && r.written == 2);
}

/// Two labels whose file-safe names are the same each get their own file
/// in a per-label export (nothing is replaced or left out).
#[test]
fn per_label_files_of_look_alike_labels_do_not_replace_each_other() {
    use spanmark::model::Rgb;
    use spanmark::model::label::Label;
    let text = "fire trucks roll on";
    let t = SourceText::new(text.to_owned());
    let labels = vec![
        Label::new("a", "needs review", Rgb([1, 2, 3])),
        Label::new("b", "needs_review", Rgb([4, 5, 6])),
    ];
    let anns = vec![
        common::annotation(1, 1, &t, CharRange::new(0, 4), "a"),
        common::annotation(2, 1, &t, CharRange::new(5, 11), "b"),
    ];
    let (p, _) = Project::from_parts(
        "t".into(),
        vec![],
        vec![common::document_for(1, "t.txt", text)],
        labels,
        anns,
    );
    let texts = BTreeMap::from([(DocumentId(1), Arc::new(t))]);
    let mut o = ExportOptions::new(Format::Conll, "x");
    o.overlaps = OverlapPolicy::PerLabel;
    let (files, r) = export::export(&p, &texts, &o, Progress::default()).unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["needs_review-2.conll", "needs_review.conll"]);
    assert_eq!(r.written, 2);
    let all: String = files
        .iter()
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .collect();
    assert!(all.contains("fire _ _ B-needs_review"), "{all}");
    assert!(all.contains("trucks _ _ B-needs_review"), "{all}");
    // Written to disk the same way.
    let dir = tempfile::tempdir().unwrap();
    let (written, _) =
        export::export_to(&p, &texts, &o, Progress::default(), &dir.path().join("out")).unwrap();
    assert_eq!(written.len(), 2);
}
