//! The model side of reviewing: the flagged-annotation index after a
//! changed source is opened, and the accept / re-place edit builders.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use spanmark::io::Workspace;
use spanmark::model::tagging::{self, AcceptError};
use spanmark::model::{AnnotationId, CharRange, Edit, Review, Timestamp};

fn edited() -> (tempfile::TempDir, Workspace) {
    let (dir, path) = common::sample_copy();
    let src = dir.path().join("sources/meridian-ledger.txt");
    let text = std::fs::read_to_string(&src).unwrap();
    let cut = "The cause of the fire is under investigation. The port authority said the warehouse held about 3,000 tonnes of barley due to be shipped to Rotterdam.\n\n";
    let edited = format!("New paragraph.\n\n{text}")
        .replace("We had forty firefighters", "We had fifty firefighters")
        .replace(cut, "");
    std::fs::write(&src, edited).unwrap();
    let ws = Workspace::open(&path).unwrap();
    (dir, ws)
}

#[test]
fn the_flagged_index_lists_exactly_the_flagged_annotations_in_key_order() {
    let (_dir, ws) = edited();
    let scan: Vec<AnnotationId> = ws
        .project
        .annotations()
        .filter(|a| a.review.is_some() || a.conflict.is_some())
        .map(|a| a.id)
        .collect();
    let index: Vec<AnnotationId> = ws.project.flagged_annotations().map(|a| a.id).collect();
    assert_eq!(index, scan);
    assert_eq!(ws.project.flagged_count(), 6);
}

#[test]
fn accepting_a_fuzzy_match_stores_the_new_text_and_undoes_exactly() {
    let (_dir, ws) = edited();
    let mut p = ws.project.clone();
    let id = AnnotationId(3);
    let text = ws.text(p.annotation(id).unwrap().doc).unwrap();
    assert!(matches!(
        p.annotation(id).unwrap().review,
        Some(Review::Fuzzy { .. })
    ));
    let edit = tagging::accept(&p, Some(text), id, Timestamp(9)).unwrap();
    let before = p.clone();
    let inverse = edit.apply(&mut p).unwrap();
    let a = p.annotation(id).unwrap();
    assert_eq!(a.review, None);
    assert_eq!(text.slice(a.range), Some(a.anchor.quote.as_str()));
    assert_eq!(p.flagged_count(), 5);
    inverse.apply(&mut p).unwrap();
    assert_eq!(p, before);
    assert_eq!(p.flagged_count(), 6);
}

#[test]
fn orphaned_and_unflagged_annotations_cannot_be_accepted() {
    let (_dir, ws) = edited();
    let p = &ws.project;
    let text = ws.text(spanmark::model::DocumentId(1)).map(|t| &**t);
    assert_eq!(
        tagging::accept(p, text, AnnotationId(6), Timestamp(1)),
        Err(AcceptError::NoPlace(AnnotationId(6)))
    );
    assert_eq!(
        tagging::accept(p, None, AnnotationId(13), Timestamp(1)),
        Err(AcceptError::NothingToAccept(AnnotationId(13)))
    );
    // A moved one is accepted by clearing its flag only.
    assert_eq!(
        tagging::accept(p, text, AnnotationId(1), Timestamp(1)),
        Ok(Edit::SetReview {
            id: AnnotationId(1),
            review: None
        })
    );
}

#[test]
fn re_placing_an_orphan_trims_recaptures_and_undoes_to_the_orphan() {
    let (_dir, ws) = edited();
    let mut p = ws.project.clone();
    let text = ws.text(spanmark::model::DocumentId(1)).unwrap();
    let before = p.clone();
    // "New paragraph." and the line break after it: trimmed to the words.
    let edit =
        tagging::replace(text, AnnotationId(6), CharRange::new(0, 15), Timestamp(2)).unwrap();
    let inverse = edit.apply(&mut p).unwrap();
    let a = p.annotation(AnnotationId(6)).unwrap();
    assert_eq!(a.anchor.quote, "New paragraph.");
    assert_eq!(a.review, None);
    // The orphan's old range runs past the shortened text, yet undo restores it.
    inverse.apply(&mut p).unwrap();
    assert_eq!(p, before);
    assert_eq!(
        p.annotation(AnnotationId(6)).unwrap().review,
        Some(Review::Orphaned)
    );
}
