//! Merging colleagues' copies: identical annotations collapse keeping both
//! authors, differing ones become conflicts, the result is the same either
//! way round, and a changed source loses nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::string_slice,
    missing_docs
)]

mod common;

use std::collections::BTreeSet;

use spanmark::io::Workspace;
use spanmark::io::merge::merge_files;
use spanmark::model::merge::merge_into;
use spanmark::model::{CharRange, DocumentId, Edit, Project, SourceText};

/// The char range of the first `needle` in `text`.
fn find(text: &SourceText, needle: &str) -> CharRange {
    let s = text.as_str();
    let byte = s.find(needle).expect("needle in text");
    let start = s[..byte].chars().count();
    CharRange::new(start, start + needle.chars().count())
}

fn add(p: &mut Project, text: &SourceText, doc: u32, needle: &str, label: &str, who: &str) {
    let id = p.next_annotation_id().0;
    let mut a = common::annotation(id, doc, text, find(text, needle), label);
    a.author = who.into();
    Edit::AddAnnotation(Box::new(a)).apply(p).unwrap();
}

/// Content of a project without ids or who-is-first: (doc, start, end,
/// label, everyone who made it, has a conflict).
fn content(p: &Project) -> BTreeSet<(u32, usize, usize, String, Vec<String>, bool)> {
    p.annotations()
        .map(|a| {
            let mut who: Vec<String> = a.authors().map(str::to_owned).collect();
            who.sort();
            (
                a.doc.0,
                a.range.start().0,
                a.range.end().0,
                a.label.as_str().to_owned(),
                who,
                a.conflict.is_some(),
            )
        })
        .collect()
}

/// Alice's and Bob's copies of the sample, with known overlaps and conflicts.
fn two_copies() -> (Workspace, Project, Project) {
    let ws = Workspace::open(&common::sample_path()).unwrap();
    let ledger = ws.text(DocumentId(1)).unwrap().clone();
    let buzz = ws.text(DocumentId(2)).unwrap().clone();
    let mut alice = ws.project.clone();
    let mut bob = ws.project.clone();
    // Both made the same span with the same label: collapses.
    add(
        &mut alice,
        &ledger,
        1,
        "about 3,000 tonnes of barley",
        "claim",
        "alice",
    );
    add(
        &mut bob,
        &ledger,
        1,
        "about 3,000 tonnes of barley",
        "claim",
        "bob",
    );
    // Same span, different labels: a conflict.
    add(
        &mut alice,
        &ledger,
        1,
        "Deputy Chief Marta",
        "quote",
        "alice",
    );
    add(
        &mut bob,
        &ledger,
        1,
        "Deputy Chief Marta",
        "unverified",
        "bob",
    );
    // Overlapping spans of one label: a conflict.
    add(&mut alice, &buzz, 2, "A crew member", "claim", "alice");
    add(
        &mut bob,
        &buzz,
        2,
        "crew member of a Greek freighter",
        "claim",
        "bob",
    );
    // Only one of them: plain additions.
    add(&mut alice, &buzz, 2, "DailyBuzzNow", "claim", "alice");
    add(
        &mut bob,
        &ledger,
        1,
        "The port authority said",
        "quote",
        "bob",
    );
    (ws, alice, bob)
}

#[test]
fn merge_collapses_identical_marks_conflicts_and_is_symmetric() {
    let (ws, alice, bob) = two_copies();
    let texts = |d: DocumentId| ws.text(d).cloned();
    let ab = merge_into(&alice, &bob, "bob", &texts);
    let ba = merge_into(&bob, &alice, "alice", &texts);
    assert_eq!(
        content(&ab.project),
        content(&ba.project),
        "same either way round"
    );
    let base = ws.project.annotation_count();
    // 15 shared + 1 collapsed + 2 + 2 + 1 + 1.
    assert_eq!(ab.project.annotation_count(), base + 7);
    assert_eq!(ab.report.collapsed, 1);
    assert_eq!(ab.report.added, 3);
    assert_eq!(ab.report.unchanged, base);
    assert_eq!(ab.report.conflicts, 4, "{:?}", ab.report);
    let barley = ab
        .project
        .annotations()
        .find(|a| a.anchor.quote == "about 3,000 tonnes of barley")
        .unwrap();
    assert_eq!(barley.author, "alice");
    assert_eq!(barley.agreed, vec!["bob".to_owned()]);
    let marked: Vec<(&str, &str)> = ab
        .project
        .annotations()
        .filter_map(|a| Some((a.anchor.quote.as_str(), a.conflict.as_deref()?)))
        .collect();
    assert!(marked.contains(&(
        "Deputy Chief Marta",
        "Same text labelled “unverified” by bob"
    )));
    assert!(marked.contains(&("Deputy Chief Marta", "Same text labelled “quote” by alice")));
    assert!(
        marked
            .iter()
            .any(|(q, c)| *q == "A crew member" && c.starts_with("Overlaps “claim” at"))
    );
    assert_eq!(marked.len(), 4, "{marked:?}");
    // Ids stay unique and the merge is one undoable edit.
    let mut undone = alice.clone();
    let inverse = ab.edit.clone().apply(&mut undone).unwrap();
    inverse.apply(&mut undone).unwrap();
    assert_eq!(content(&undone), content(&alice));
}

#[test]
fn merging_the_same_copy_twice_changes_nothing() {
    let (ws, alice, bob) = two_copies();
    let texts = |d: DocumentId| ws.text(d).cloned();
    let once = merge_into(&alice, &bob, "bob", &texts).project;
    let twice = merge_into(&once, &bob, "bob", &texts);
    assert_eq!(content(&twice.project), content(&once));
    assert_eq!(twice.report.added, 0);
}

#[test]
fn a_colleague_who_edited_a_source_loses_nothing_in_the_merge() {
    let (_a_dir, alice_path) = common::sample_copy();
    let (_b_dir, bob_path) = common::sample_copy();
    // Bob edits the ledger: a paragraph at the top, a changed word.
    let src = bob_path
        .parent()
        .unwrap()
        .join("sources/meridian-ledger.txt");
    let old = std::fs::read_to_string(&src).unwrap();
    let new = format!("Correction appended on 15 March.\n\n{old}")
        .replace("forty firefighters", "fifty firefighters");
    std::fs::write(&src, new).unwrap();
    let mut bob = Workspace::open(&bob_path).unwrap();
    assert!(bob.changed_on_open);
    let text = bob.text(DocumentId(1)).unwrap().clone();
    add(
        &mut bob.project,
        &text,
        1,
        "Correction appended",
        "claim",
        "bob",
    );
    add(
        &mut bob.project,
        &text,
        1,
        "released from hospital",
        "claim",
        "bob",
    );
    bob.save_as(&bob_path).unwrap();
    let mut alice = Workspace::open(&alice_path).unwrap();
    let atext = alice.text(DocumentId(3)).unwrap().clone();
    add(
        &mut alice.project,
        &atext,
        3,
        "There was no explosion",
        "quote",
        "alice",
    );
    alice.save_as(&alice_path).unwrap();
    let before = alice.project.annotation_count();

    let reports = merge_files(&[alice_path.clone(), bob_path], &alice_path).unwrap();
    let r = &reports[0];
    assert_eq!(r.documents_changed, 1);
    let merged = Workspace::open(&alice_path).unwrap();
    // Bob's 2 new ones come in; his copies of the old ones (made on his
    // edited text) are placed back in alice's text and collapse.
    let p = &merged.project;
    assert_eq!(p.annotation_count(), before + 2, "{r:?}");
    let released = p
        .annotations()
        .find(|a| a.anchor.quote == "released from hospital")
        .unwrap();
    assert!(
        released.conflict.is_none(),
        "placed in alice's text: {released:?}"
    );
    let orphan = p
        .annotations()
        .find(|a| a.anchor.quote == "Correction appended")
        .unwrap();
    assert!(
        orphan
            .conflict
            .as_deref()
            .unwrap()
            .contains("was not found"),
        "{orphan:?}"
    );
    assert_eq!(r.placed.get("moved"), Some(&7), "{r:?}");
    assert_eq!(r.placed.get("orphaned"), Some(&1), "{r:?}");
    assert_eq!(r.added, 2);
}

#[test]
fn a_colleague_s_single_file_copy_brings_its_new_document_along() {
    let (a_dir, alice_path) = common::sample_copy();
    let (b_dir, bob_path) = common::sample_copy();
    let mail = tempfile::tempdir().unwrap();
    // Bob adds a document of his own, annotates it, and e-mails a single file.
    let notes = b_dir.path().join("sources/bob-notes.txt");
    std::fs::write(&notes, "Harbour master: two injuries, no explosion.\n").unwrap();
    let mut bob = Workspace::open(&bob_path).unwrap();
    let new = bob.prepare_document(&notes).unwrap();
    let (doc, text) = (new.doc.id, new.decoded.text.clone());
    let index = bob.project.documents().len();
    Edit::AddDocument {
        doc: Box::new(new.doc),
        index,
    }
    .apply(&mut bob.project)
    .unwrap();
    bob.sources.insert(
        doc,
        spanmark::io::SourceState::Ready(std::sync::Arc::new(text.clone())),
    );
    add(
        &mut bob.project,
        &text,
        doc.0,
        "no explosion",
        "claim",
        "bob",
    );
    let mailed = mail.path().join("harbour-fire.spanmark.ron");
    spanmark::io::pack::pack_to(&mut bob, &mailed).unwrap();
    drop(b_dir); // Only the mailed file is left of Bob's copy.

    let reports = merge_files(&[alice_path.clone(), mailed], &alice_path).unwrap();
    assert_eq!(reports[0].documents_added, 1, "{:?}", reports[0]);
    let merged = Workspace::open(&alice_path).unwrap();
    assert!(merged.problems.is_empty(), "{:?}", merged.problems);
    let d = merged
        .project
        .documents()
        .iter()
        .find(|d| d.name == "bob-notes.txt")
        .unwrap();
    assert!(d.path.starts_with("sources/"), "{}", d.path);
    assert_eq!(
        std::fs::read_to_string(a_dir.path().join(&d.path)).unwrap(),
        "Harbour master: two injuries, no explosion.\n"
    );
    let a = merged.project.annotations_of(d.id).next().unwrap();
    assert_eq!(
        merged.text(d.id).unwrap().slice(a.range),
        Some("no explosion")
    );
}
