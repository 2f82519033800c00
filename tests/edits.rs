//! Every edit kind: applying it and then its inverse gives back an equal
//! project; history undo/redo and the dirty flag.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::string_slice,
    missing_docs
)]

mod common;

use proptest::prelude::*;
use spanmark::model::tagging::{self, Actor};
use spanmark::model::{
    AnnotationId, CharRange, DocumentId, Edit, EditError, History, Label, LabelId, LabelProps,
    Project, Review, Rgb, SourceText, Status, Timestamp,
};

fn who() -> Actor {
    Actor {
        author: "ana".into(),
        now: Timestamp(1_800_000_000),
    }
}

/// One of every edit kind that fits `p`.
fn every_edit_kind(p: &Project, texts: &[SourceText]) -> Vec<Edit> {
    let mut edits = Vec::new();
    let doc = p.documents()[0].id;
    let text = &texts[0];
    if let Ok(a) = tagging::tag(
        p,
        text,
        doc,
        CharRange::new(0, text.char_len()),
        &LabelId::new("quote"),
        &who(),
    ) {
        edits.push(Edit::AddAnnotation(Box::new(a)));
    }
    if let Some(a) = p.annotations().next() {
        edits.push(Edit::RemoveAnnotation(a.id));
        let other = if a.label.as_str() == "claim" {
            "unverified"
        } else {
            "claim"
        };
        edits.push(Edit::Retag {
            id: a.id,
            label: LabelId::new(other),
            at: Timestamp(5),
        });
        edits.push(Edit::SetNote {
            id: a.id,
            note: Some("checked ✓".into()),
            at: Timestamp(6),
        });
        edits.push(Edit::SetReview {
            id: a.id,
            review: Some(Review::OutOfRange { len: 3 }),
        });
        edits.push(Edit::SetConflict {
            id: a.id,
            conflict: Some("same span as #1 with another label".into()),
        });
        let t = &texts[(a.doc.0 - 1) as usize];
        let r = CharRange::new(a.range.start().0, t.char_len());
        if let Ok(e) = tagging::resize(t, a.id, r, Timestamp(7)) {
            edits.push(e);
        }
        let to = LabelId::new(if a.label.as_str() == "quote" {
            "claim"
        } else {
            "quote"
        });
        if let Ok(e) = tagging::remove_label_reassigning(p, &a.label, &to, Timestamp(8)) {
            edits.push(e);
        }
    }
    edits.push(Edit::AddLabel {
        label: Label {
            hotkey: Some('9'),
            ..Label::new("new", "New label", Rgb([9, 9, 9]))
        },
        index: 1,
    });
    edits.push(Edit::RemoveLabel(LabelId::new("x_custom")));
    edits.push(Edit::EditLabel {
        id: LabelId::new("claim"),
        props: LabelProps {
            name: "Claim (checkable)".into(),
            color: Rgb([0, 0, 0]),
            hotkey: Some('c'),
            description: String::new(),
            placeholder: false,
        },
    });
    let mut new_doc = common::document_for(99, "extra.txt", "hello");
    new_doc.status = Status::Done;
    edits.push(Edit::AddDocument {
        doc: Box::new(new_doc),
        index: 0,
    });
    edits.push(Edit::RemoveDocument(doc));
    edits.push(Edit::SetStatus {
        doc,
        status: Status::InProgress,
    });
    let mut relinked = p.documents()[0].clone();
    relinked.path = "elsewhere/located.txt".into();
    relinked.sha256 = "0".repeat(64);
    edits.push(Edit::SetDocument(Box::new(relinked)));
    edits.push(Edit::Batch(edits.clone().into_iter().take(2).collect()));
    edits
}

/// The index of flagged annotations (review or conflict) equals a scan.
fn flagged_index_holds(p: &Project) -> bool {
    let scan: Vec<_> = p
        .annotations()
        .filter(|a| a.review.is_some() || a.conflict.is_some())
        .map(|a| a.id)
        .collect();
    let index: Vec<_> = p.flagged_annotations().map(|a| a.id).collect();
    scan == index && p.flagged_count() == scan.len()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn edit_then_inverse_is_identity((project, texts) in common::any_project()) {
        for edit in every_edit_kind(&project, &texts) {
            let mut p = project.clone();
            match edit.clone().apply(&mut p) {
                Ok(inverse) => {
                    prop_assert_ne!(&p, &project, "{:?} changed nothing", edit);
                    prop_assert!(flagged_index_holds(&p), "after {:?}", edit);
                    let redo = inverse.apply(&mut p).unwrap();
                    prop_assert_eq!(&p, &project, "inverse of {:?}", edit);
                    prop_assert!(flagged_index_holds(&p), "after undoing {:?}", edit);
                    // And the inverse's inverse redoes the edit.
                    let mut again = project.clone();
                    edit.apply(&mut again).unwrap();
                    redo.apply(&mut p).unwrap();
                    prop_assert_eq!(&p, &again);
                }
                Err(_) => prop_assert_eq!(&p, &project, "a failed edit changed the project"),
            }
        }
    }
}

fn small() -> (Project, SourceText) {
    let text = SourceText::new("The sky is blue. 👨🏻‍🚒 said so.".to_owned());
    let mut p = Project::new("t");
    Edit::AddDocument {
        doc: Box::new(common::document_for(1, "a.txt", text.as_str())),
        index: 0,
    }
    .apply(&mut p)
    .unwrap();
    (p, text)
}

#[test]
fn tagging_trims_whitespace_and_refuses_duplicates() {
    let (mut p, text) = small();
    let a = tagging::tag(
        &p,
        &text,
        DocumentId(1),
        CharRange::new(3, 11),
        &LabelId::new("claim"),
        &who(),
    )
    .unwrap();
    assert_eq!(a.anchor.quote, "sky is");
    assert_eq!(a.range, CharRange::new(4, 10));
    Edit::AddAnnotation(Box::new(a.clone()))
        .apply(&mut p)
        .unwrap();
    let again = tagging::tag(
        &p,
        &text,
        DocumentId(1),
        CharRange::new(4, 10),
        &LabelId::new("claim"),
        &who(),
    );
    assert_eq!(again.unwrap_err(), EditError::Duplicate(a.id));
    // Same span, other label: allowed (overlap and nesting are fine).
    assert!(
        tagging::tag(
            &p,
            &text,
            DocumentId(1),
            CharRange::new(4, 10),
            &LabelId::new("quote"),
            &who()
        )
        .is_ok()
    );
    assert_eq!(
        tagging::tag(
            &p,
            &text,
            DocumentId(1),
            CharRange::new(3, 4),
            &LabelId::new("quote"),
            &who()
        )
        .unwrap_err(),
        EditError::EmptyRange
    );
}

#[test]
fn removing_a_label_in_use_is_refused_and_reassigning_works() {
    let (mut p, text) = small();
    let a = tagging::tag(
        &p,
        &text,
        DocumentId(1),
        CharRange::new(0, 3),
        &LabelId::new("claim"),
        &who(),
    )
    .unwrap();
    Edit::AddAnnotation(Box::new(a.clone()))
        .apply(&mut p)
        .unwrap();
    let err = Edit::RemoveLabel(LabelId::new("claim"))
        .apply(&mut p)
        .unwrap_err();
    assert_eq!(
        err,
        EditError::LabelInUse {
            label: LabelId::new("claim"),
            count: 1
        }
    );
    let edit = tagging::remove_label_reassigning(
        &p,
        &LabelId::new("claim"),
        &LabelId::new("quote"),
        Timestamp(9),
    )
    .unwrap();
    edit.apply(&mut p).unwrap();
    assert!(p.label(&LabelId::new("claim")).is_none());
    assert_eq!(p.annotation(a.id).unwrap().label, LabelId::new("quote"));
}

#[test]
fn label_rules_hold() {
    let (mut p, _) = small();
    let clash = Label {
        hotkey: Some('1'),
        ..Label::new("x", "x", Rgb([0, 0, 0]))
    };
    assert_eq!(
        Edit::AddLabel {
            label: clash,
            index: 0
        }
        .apply(&mut p)
        .unwrap_err(),
        EditError::BadHotkey('1')
    );
    let same_name = Label::new("x", "CLAIM", Rgb([0, 0, 0]));
    assert!(matches!(
        Edit::AddLabel {
            label: same_name,
            index: 0
        }
        .apply(&mut p),
        Err(EditError::BadLabelName(_))
    ));
    let id = p.fresh_label_id("Claim");
    assert_eq!(id, LabelId::new("claim_2"));
}

#[test]
fn failed_batch_changes_nothing() {
    let (mut p, text) = small();
    let before = p.clone();
    let a = tagging::tag(
        &p,
        &text,
        DocumentId(1),
        CharRange::new(0, 3),
        &LabelId::new("claim"),
        &who(),
    )
    .unwrap();
    let batch = Edit::Batch(vec![
        Edit::AddAnnotation(Box::new(a)),
        Edit::RemoveAnnotation(AnnotationId(777)),
    ]);
    assert_eq!(
        batch.apply(&mut p).unwrap_err(),
        EditError::NoAnnotation(AnnotationId(777))
    );
    assert_eq!(p, before);
}

#[test]
fn history_undo_redo_and_dirty_flag() {
    let (mut p, text) = small();
    let start = p.clone();
    let mut h = History::new_saved();
    assert!(!h.is_dirty());
    let a = tagging::tag(
        &p,
        &text,
        DocumentId(1),
        CharRange::new(0, 3),
        &LabelId::new("claim"),
        &who(),
    )
    .unwrap();
    let id = a.id;
    h.apply(&mut p, "Tag as claim", Edit::AddAnnotation(Box::new(a)))
        .unwrap();
    h.apply(
        &mut p,
        "Retag as quote",
        Edit::Retag {
            id,
            label: LabelId::new("quote"),
            at: Timestamp(2),
        },
    )
    .unwrap();
    let tagged = p.clone();
    assert!(h.is_dirty());
    assert_eq!(h.undo_name(), Some("Retag as quote"));
    h.mark_saved();
    assert!(!h.is_dirty());
    assert_eq!(h.undo(&mut p).unwrap().as_deref(), Some("Retag as quote"));
    assert!(h.is_dirty());
    assert_eq!(h.redo_name(), Some("Retag as quote"));
    h.undo(&mut p).unwrap();
    assert_eq!(p, start);
    assert_eq!(h.undo(&mut p).unwrap(), None);
    h.redo(&mut p).unwrap();
    h.redo(&mut p).unwrap();
    assert_eq!(p, tagged);
    assert!(!h.is_dirty(), "back at the saved revision");
    // A new edit after an undo clears redo.
    h.undo(&mut p).unwrap();
    h.apply(
        &mut p,
        "Set note",
        Edit::SetNote {
            id,
            note: Some("n".into()),
            at: Timestamp(3),
        },
    )
    .unwrap();
    assert_eq!(h.redo_name(), None);
    assert!(h.is_dirty());
    assert!(History::new_unsaved().is_dirty());
}

#[test]
fn a_step_applied_elsewhere_lands_like_an_undo_and_keeps_its_revision_while_out() {
    let (mut p, text) = small();
    let mut h = History::new_saved();
    let a = tagging::tag(
        &p,
        &text,
        DocumentId(1),
        CharRange::new(0, 3),
        &LabelId::new("claim"),
        &who(),
    )
    .unwrap();
    h.apply(&mut p, "Tag as claim", Edit::AddAnnotation(Box::new(a)))
        .unwrap();
    let tagged = p.clone();
    let (mut by_undo, mut h2) = (p.clone(), h.clone());
    h2.undo(&mut by_undo).unwrap();

    // Out: the project has not changed, so neither has the revision.
    let revision = h.revision();
    let step = h.take_step(true).unwrap();
    assert_eq!(step.name(), "Tag as claim");
    assert_eq!(h.revision(), revision);
    let mut copy = p.clone();
    let moved = step.apply_to(&mut copy).unwrap();
    assert_eq!(h.land(moved), "Tag as claim");
    assert_eq!(copy, by_undo);
    assert_eq!(h.revision(), h2.revision());
    assert_eq!(h.redo_name(), Some("Tag as claim"));
    assert_eq!(h.take_applied().len(), h2.take_applied().len());

    // And back the same way; a step that cannot apply is abandoned.
    let moved = h.take_step(false).unwrap().apply_to(&mut copy).unwrap();
    h.land(moved);
    assert_eq!(copy, tagged);
    let step = h.take_step(true).unwrap();
    let mut empty = by_undo.clone();
    assert!(
        step.apply_to(&mut empty).is_err(),
        "the annotation is not there"
    );
    assert_ne!(h.revision(), 0, "still out");
    h.abandon_step();
    assert_eq!(h.undo_name(), None);
    assert_eq!(h.revision(), 0);
    // The same through undo itself: the failed step is dropped, not left out.
    let mut h3 = h2.clone();
    h3.redo(&mut by_undo).unwrap();
    let mut bare = small().0;
    assert!(h3.undo(&mut bare).is_err());
    assert_eq!(h3.revision(), 0);
    assert_eq!(
        Edit::Batch(vec![
            Edit::Batch(vec![]),
            Edit::RemoveAnnotation(AnnotationId(1))
        ])
        .size(),
        1
    );
}
