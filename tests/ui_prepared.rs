//! What the worker that opens a project prepares for the first frame (the
//! annotation list's rows under the filters in force, the review rows) is
//! adopted as it is: these tests check that it equals what the panels
//! would build themselves, and stays so through edits, undo, review
//! actions, filter changes and opening another project. The list's row
//! texts, kept between frames, follow every edit too.

// Tests may panic on broken fixtures: that is how they fail.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod ui_common;

use std::time::{Duration, Instant};

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::model::{AnnotationId, CharRange, LabelId};
use spanmark::ui::annotation_list::{AnnotationList, Filters, row_text};
use spanmark::ui::review::{ReviewAction, ReviewState};
use spanmark::ui::{Command, Workbench};
use ui_common::{harness, sample_copy};

/// Opens `file` on a worker thread and draws until it is shown.
fn open_in_background(h: &mut Harness<'_, Workbench>, file: &std::path::Path) {
    h.state_mut().background_jobs = true;
    h.state_mut().execute(Command::OpenPath(file.to_path_buf()));
    let start = Instant::now();
    while h.state().job.is_some() {
        assert!(start.elapsed() < Duration::from_secs(60), "job never ended");
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    h.run();
}

/// The list the panel shows equals one built afresh from the project, and
/// its count is on screen.
fn list_is_fresh(h: &mut Harness<'_, Workbench>) {
    h.run();
    let wb = h.state_mut();
    let ws = wb.ws.as_ref().expect("project");
    let doc = wb.view.as_ref().expect("view").doc;
    let key = (wb.generation, wb.history.revision());
    let filters = Filters {
        label: wb.ui.filter_label.as_ref(),
        author: wb.ui.filter_author.as_deref(),
        text: &wb.ui.filter_text,
    };
    let fresh = AnnotationList::default()
        .rows(&ws.project, key, doc, filters)
        .to_vec();
    let cached = wb.ui.list.rows(&ws.project, key, doc, filters).to_vec();
    assert_eq!(cached, fresh);
    let n = fresh.len();
    h.get_by_label(&format!("{n} shown"));
}

/// The review rows the panel uses equal rows built afresh.
fn review_is_fresh(h: &mut Harness<'_, Workbench>) {
    h.run();
    let wb = h.state_mut();
    let ws = wb.ws.as_ref().expect("project");
    let key = (wb.generation, wb.history.revision());
    let cached = wb.review.rows(&ws.project, key).to_vec();
    let fresh = ReviewState::default().rows(&ws.project, key).to_vec();
    assert_eq!(cached, fresh);
}

#[test]
fn list_rows_built_while_opening_follow_filters_and_edits() {
    let (_dir, file) = sample_copy();
    let mut h = harness(None, vec![]);
    // A filter left from before: the worker builds the list under it.
    h.state_mut().ui.filter_label = Some(LabelId::new("claim"));
    open_in_background(&mut h, &file);
    let wb = h.state();
    let ws = wb.ws.as_ref().expect("opened");
    let doc = wb.view.as_ref().expect("view").doc;
    let claims = ws
        .project
        .annotations_of(doc)
        .filter(|a| a.label.as_str() == "claim")
        .count();
    assert!(claims > 0);
    h.get_by_label(&format!("{claims} shown"));
    list_is_fresh(&mut h);
    if let Some(v) = h.state_mut().view.as_mut() {
        v.select(CharRange::new(0, 19));
    }
    h.key_press(Key::Num1);
    list_is_fresh(&mut h);
    h.key_press(Key::Num2); // retag: leaves the "claim" filter
    list_is_fresh(&mut h);
    h.state_mut().execute(Command::Undo);
    list_is_fresh(&mut h);
    h.state_mut().ui.filter_label = None;
    list_is_fresh(&mut h);
    h.state_mut().execute(Command::Delete);
    list_is_fresh(&mut h);
}

#[test]
fn another_project_with_the_same_document_ids_gets_its_own_rows() {
    let (_dir, file) = sample_copy();
    let (_dir2, other) = sample_copy();
    // The second copy lacks annotation #1 (same document ids otherwise).
    let text = std::fs::read_to_string(&other).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("(id: 1, doc: 1,"))
        .collect();
    std::fs::write(&other, kept.join("\n") + "\n").unwrap();
    let mut h = harness(None, vec![]);
    open_in_background(&mut h, &file);
    list_is_fresh(&mut h);
    open_in_background(&mut h, &other);
    list_is_fresh(&mut h);
    let wb = h.state();
    let ws = wb.ws.as_ref().expect("opened");
    assert!(ws.project.annotation(AnnotationId(1)).is_none());
}

#[test]
fn review_rows_built_while_opening_equal_a_rebuild_after_each_action() {
    let (dir, file) = sample_copy();
    // Text inserted on top: every annotation of the first source moves.
    let src = dir.path().join("sources/meridian-ledger.txt");
    let text = std::fs::read_to_string(&src).unwrap();
    std::fs::write(&src, format!("Update: figures corrected.\n\n{text}")).unwrap();
    let mut h = harness(None, vec![]);
    open_in_background(&mut h, &file);
    let flagged = h
        .state()
        .ws
        .as_ref()
        .map_or(0, |w| w.project.flagged_count());
    assert!(flagged > 1, "the edit flags annotations: {flagged}");
    assert!(h.state().review.open, "the panel opens by itself");
    assert_eq!(h.state().review.item_count(), flagged);
    review_is_fresh(&mut h);
    let first = h.state().review.step(None, true).expect("a row");
    h.state_mut()
        .execute(Command::Review(ReviewAction::Accept(Some(first))));
    review_is_fresh(&mut h);
    assert_eq!(h.state().review.item_count(), flagged - 1);
    h.state_mut().execute(Command::Undo);
    review_is_fresh(&mut h);
    assert_eq!(h.state().review.item_count(), flagged);
    h.state_mut()
        .execute(Command::Review(ReviewAction::AcceptAllMoves));
    review_is_fresh(&mut h);
    list_is_fresh(&mut h);
}

/// The row of annotation `id` shows exactly the text built afresh.
fn row_shows(h: &mut Harness<'_, Workbench>, id: AnnotationId) -> String {
    h.run();
    let a = h
        .state()
        .ws
        .as_ref()
        .and_then(|w| w.project.annotation(id))
        .cloned()
        .expect("annotation");
    let text = row_text(&a);
    h.get_by_label(&text);
    text
}

#[test]
fn row_texts_follow_notes_retags_review_and_undo() {
    let (_dir, file) = sample_copy();
    let mut h = harness(None, vec![]);
    open_in_background(&mut h, &file);
    let id = AnnotationId(1);
    let plain = row_shows(&mut h, id);
    assert!(!plain.ends_with('✎'));
    h.state_mut()
        .execute(Command::SetNote(id, "see the port log".into()));
    let noted = row_shows(&mut h, id);
    assert_eq!(noted, format!("{plain} ✎"));
    h.state_mut().execute(Command::Undo);
    assert_eq!(row_shows(&mut h, id), plain);
    h.state_mut().execute(Command::Redo);
    assert_eq!(row_shows(&mut h, id), noted);
    h.state_mut()
        .execute(Command::Retag(id, LabelId::new("quote")));
    assert_eq!(row_shows(&mut h, id), noted);
    h.state_mut().execute(Command::SelectAnnotation(id));
    h.state_mut().execute(Command::Delete);
    h.run();
    assert!(h.query_by_label(&noted).is_none(), "a deleted row is gone");
    h.state_mut().execute(Command::Undo);
    assert_eq!(row_shows(&mut h, id), noted);
}

#[test]
fn a_flagged_row_shows_its_warning_and_loses_it_when_accepted() {
    let (dir, file) = sample_copy();
    let src = dir.path().join("sources/meridian-ledger.txt");
    let text = std::fs::read_to_string(&src).unwrap();
    std::fs::write(&src, format!("Update: figures corrected.\n\n{text}")).unwrap();
    let mut h = harness(None, vec![]);
    open_in_background(&mut h, &file);
    let first = h.state().review.step(None, true).expect("a row");
    let flagged = row_shows(&mut h, first);
    assert!(flagged.starts_with("⚠ "), "{flagged}");
    h.state_mut()
        .execute(Command::Review(ReviewAction::Accept(Some(first))));
    let accepted = row_shows(&mut h, first);
    assert_eq!(format!("⚠ {accepted}"), flagged);
    h.state_mut().execute(Command::Undo);
    assert_eq!(row_shows(&mut h, first), flagged);
}
