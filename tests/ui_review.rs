//! The review panel on a project whose source was edited after annotating
//! (a paragraph inserted at the top, a word changed inside a quote, a
//! passage deleted) and which carries a merge conflict: it opens by itself,
//! lists every flagged annotation with before/after context, and Accept,
//! Re-place, Remove, Keep and "Accept all exact-quote moves" each change
//! the project as one undoable step — by mouse and by keyboard.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod ui_common;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::model::{AnnotationId, CharRange, Edit, Review};
use spanmark::ui::review::ReviewAction;
use spanmark::ui::{Command, Workbench};
use ui_common::{harness, sample_copy};

const CONFLICT: &str = "same span as #20 with label claim";

/// The sample project with its first source edited and #9 marked as a
/// merge conflict; annotation #7 was also made by Tomás Ruiz.
fn edited_sample() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, file) = sample_copy();
    let src = dir.path().join("sources/meridian-ledger.txt");
    let text = std::fs::read_to_string(&src).unwrap();
    let cut = "The cause of the fire is under investigation. The port authority said the warehouse held about 3,000 tonnes of barley due to be shipped to Rotterdam.\n\n";
    assert!(text.contains(cut));
    let edited = format!("Update: figures corrected on 15 March.\n\n{text}")
        .replace("We had forty firefighters", "We had fifty firefighters")
        .replace(cut, "");
    std::fs::write(&src, edited).unwrap();
    let project = std::fs::read_to_string(&file).unwrap();
    let project = project
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("(id: 9, ") {
                format!("{}, conflict: {CONFLICT:?}),", l.trim_end_matches("),"))
            } else if l.trim_start().starts_with("(id: 7, ") {
                format!("{}, agreed: [\"Tomás Ruiz\"]),", l.trim_end_matches("),"))
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&file, project + "\n").unwrap();
    (dir, file)
}

fn ann(h: &Harness<'_, Workbench>, id: u64) -> Option<spanmark::model::Annotation> {
    let ws = h.state().ws.as_ref().expect("project");
    ws.project.annotation(AnnotationId(id)).cloned()
}

fn review_of(h: &Harness<'_, Workbench>, id: u64) -> Option<Review> {
    ann(h, id).expect("annotation").review
}

/// F8 until the review cursor is on `id` (at most one round).
fn go_to(h: &mut Harness<'_, Workbench>, id: u64) {
    for _ in 0..20 {
        if h.state().review.current == Some(AnnotationId(id)) {
            return;
        }
        h.key_press(Key::F8);
        h.run();
    }
    panic!("F8 never reached #{id}");
}

fn undo(h: &mut Harness<'_, Workbench>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
}

#[test]
fn the_panel_opens_after_reanchoring_and_lists_every_flagged_annotation() {
    let (_dir, file) = edited_sample();
    let h = harness(Some(&file), vec![]);
    let wb = h.state();
    assert!(wb.review.open, "opened automatically once after the open");
    let ws = wb.ws.as_ref().unwrap();
    // 1, 2, 4, 5 moved; 3 fuzzy; 6 orphaned; 9 a merge conflict.
    let flagged: Vec<u64> = ws.project.flagged_annotations().map(|a| a.id.0).collect();
    let mut sorted = flagged.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, vec![1, 2, 3, 4, 5, 6, 9]);
    assert_eq!(ws.project.annotation_count(), 15, "nothing lost");
    h.get_by_label("⚠ 7 to review");
    h.get_by_label("meridian-ledger.txt — 6 to review");
    // The first row: moved, with the stored quote before and the text now after.
    h.get_by_label_contains("#1  claim  by Ines Moreau  —  moved (was 125–208)");
    let before = h.get_all_by_label_contains("Before: …").count();
    let after = h.get_all_by_label_contains("After:  …").count();
    assert!(before >= 1 && after >= 1, "{before} {after}");
}

#[test]
fn accept_a_fuzzy_match_from_the_keyboard_recaptures_its_quote_and_undoes() {
    let (_dir, file) = edited_sample();
    let mut h = harness(Some(&file), vec![]);
    assert!(matches!(review_of(&h, 3), Some(Review::Fuzzy { .. })));
    let old = ann(&h, 3).unwrap();
    assert!(old.anchor.quote.contains("forty"), "kept until accepted");
    go_to(&mut h, 3);
    assert_eq!(h.state().selected, Some(AnnotationId(3)), "F8 selects it");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    let a = ann(&h, 3).unwrap();
    assert_eq!(a.review, None);
    assert_eq!(
        a.anchor.quote,
        "“We had fifty firefighters on the quay within twenty minutes,”"
    );
    assert_eq!(a.range, old.range);
    assert_eq!(h.state().history.undo_name(), Some("Accept review"));
    // The cursor moved on to another row.
    assert!(h.state().review.current.is_some_and(|c| c.0 != 3));
    undo(&mut h);
    assert_eq!(ann(&h, 3).unwrap(), old);
}

#[test]
fn re_place_an_orphaned_annotation_by_selecting_new_text() {
    let (_dir, file) = edited_sample();
    let mut h = harness(Some(&file), vec![]);
    assert_eq!(review_of(&h, 6), Some(Review::Orphaned));
    let old = ann(&h, 6).unwrap();
    go_to(&mut h, 6);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::R);
    h.run();
    assert_eq!(h.state().review.replacing, Some(AnnotationId(6)));
    h.get_by_label("Re-place here");
    // Enter with nothing selected re-places nothing.
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(review_of(&h, 6), Some(Review::Orphaned));
    let (range, want) = {
        let v = h.state().view.as_ref().unwrap();
        let t = v.text().as_str();
        let phrase = "a grain warehouse";
        let byte = t.find(phrase).unwrap();
        let at = t.char_indices().take_while(|(b, _)| *b < byte).count();
        // A space on each side: the new place is trimmed.
        (
            CharRange::new(at - 1, at + phrase.chars().count() + 1),
            phrase,
        )
    };
    h.state_mut().view.as_mut().unwrap().select(range);
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let a = ann(&h, 6).unwrap();
    assert_eq!(a.review, None);
    assert_eq!(a.anchor.quote, want);
    assert_eq!(
        a.range,
        CharRange::new(range.start().0 + 1, range.end().0 - 1)
    );
    assert_eq!(h.state().review.replacing, None);
    assert_eq!(h.state().history.undo_name(), Some("Re-place annotation"));
    undo(&mut h);
    assert_eq!(ann(&h, 6).unwrap(), old, "{:?}", h.state().message);
    // And redo places it again.
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert_eq!(ann(&h, 6).unwrap().anchor.quote, want);
}

#[test]
fn re_place_and_cancel_with_the_mouse() {
    let (_dir, file) = edited_sample();
    let mut h = harness(Some(&file), vec![]);
    h.get_all_by_label("Re-place…").next().unwrap().click();
    h.run();
    let id = h
        .state()
        .review
        .replacing
        .expect("re-placing the first row");
    h.get_by_label("Cancel re-place").click();
    h.run();
    assert_eq!(h.state().review.replacing, None);
    assert!(ann(&h, id.0).unwrap().review.is_some(), "nothing changed");
}

#[test]
fn remove_from_the_panel_and_undo() {
    let (_dir, file) = edited_sample();
    let mut h = harness(Some(&file), vec![]);
    let old = ann(&h, 1).unwrap();
    // The first row is #1 (document 1, lowest start).
    h.get_all_by_label("Remove").next().unwrap().click();
    h.run();
    assert!(ann(&h, 1).is_none());
    assert_eq!(h.state().history.undo_name(), Some("Remove annotation"));
    h.get_by_label("⚠ 6 to review");
    undo(&mut h);
    assert_eq!(ann(&h, 1).unwrap(), old, "back, still flagged as moved");
    h.get_by_label("⚠ 7 to review");
}

#[test]
fn a_conflict_row_is_kept_or_removed_and_both_undo() {
    let (_dir, file) = edited_sample();
    let mut h = harness(Some(&file), vec![]);
    assert_eq!(ann(&h, 9).unwrap().conflict.as_deref(), Some(CONFLICT));
    h.state_mut()
        .execute(Command::Review(ReviewAction::GoTo(AnnotationId(9))));
    h.run();
    h.get_by_label_contains(&format!("—  conflict: {CONFLICT}"));
    h.get_by_label("Keep").click();
    h.run();
    assert_eq!(ann(&h, 9).unwrap().conflict, None);
    assert_eq!(
        h.state().history.undo_name(),
        Some("Keep conflicting annotation")
    );
    undo(&mut h);
    assert_eq!(ann(&h, 9).unwrap().conflict.as_deref(), Some(CONFLICT));
    h.state_mut()
        .execute(Command::Review(ReviewAction::Remove(Some(AnnotationId(9)))));
    h.run();
    assert!(ann(&h, 9).is_none());
    undo(&mut h);
    assert_eq!(ann(&h, 9).unwrap().conflict.as_deref(), Some(CONFLICT));
}

#[test]
fn accept_all_moves_leaves_fuzzy_orphaned_and_ambiguous_ones() {
    let (_dir, file) = edited_sample();
    let mut h = harness(Some(&file), vec![]);
    // Make #2's move ambiguous, as if its quote were found twice.
    {
        let wb = h.state_mut();
        let ws = wb.ws.as_mut().unwrap();
        let Some(Review::Moved { from, .. }) = ws
            .project
            .annotation(AnnotationId(2))
            .unwrap()
            .review
            .clone()
        else {
            panic!("#2 moved");
        };
        let review = Some(Review::Moved {
            from,
            ambiguous: true,
        });
        wb.history
            .apply(
                &mut ws.project,
                "test",
                Edit::SetReview {
                    id: AnnotationId(2),
                    review,
                },
            )
            .unwrap();
    }
    h.run();
    h.state_mut()
        .execute(Command::Review(ReviewAction::GoTo(AnnotationId(2))));
    h.run();
    h.get_by_label_contains("another place matches as well");
    h.get_by_label("Accept all exact-quote moves").click();
    h.run();
    for id in [1, 4, 5] {
        assert_eq!(review_of(&h, id), None, "#{id}");
    }
    assert!(matches!(
        review_of(&h, 2),
        Some(Review::Moved {
            ambiguous: true,
            ..
        })
    ));
    assert!(matches!(review_of(&h, 3), Some(Review::Fuzzy { .. })));
    assert_eq!(review_of(&h, 6), Some(Review::Orphaned));
    assert_eq!(
        h.state().history.undo_name(),
        Some("Accept 3 moved annotations")
    );
    undo(&mut h);
    for id in [1, 4, 5] {
        assert!(
            matches!(review_of(&h, id), Some(Review::Moved { .. })),
            "#{id}"
        );
    }
}

#[test]
fn the_panel_opens_from_the_menu_and_the_status_bar_and_only_once_by_itself() {
    let (_dir, file) = edited_sample();
    let mut h = harness(Some(&file), vec![]);
    h.get_by_label("Close review").click();
    h.run();
    assert!(!h.state().review.open);
    h.run();
    assert!(!h.state().review.open, "not reopened by itself");
    h.get_by_label("⚠ 7 to review").click();
    h.run();
    assert!(h.state().review.open);
    h.get_by_label("Close review").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::R);
    h.run();
    assert!(h.state().review.open);
}

#[test]
fn a_clean_project_does_not_open_the_panel() {
    let (_dir, file) = sample_copy();
    let h = harness(Some(&file), vec![]);
    assert!(!h.state().review.open);
    assert!(h.query_by_label_contains("to review").is_none());
}

#[test]
fn the_delete_key_removes_the_current_row_and_moves_on() {
    let (_dir, file) = edited_sample();
    let mut h = harness(Some(&file), vec![]);
    go_to(&mut h, 3);
    h.key_press(Key::Delete);
    h.run();
    assert!(ann(&h, 3).is_none());
    let now = h.state().review.current.expect("moved on");
    assert_ne!(now, AnnotationId(3));
    assert_eq!(h.state().selected, Some(now), "and shows the next one");
    undo(&mut h);
    assert!(matches!(review_of(&h, 3), Some(Review::Fuzzy { .. })));
}

#[test]
fn opening_a_clean_project_after_a_flagged_one_hides_the_panel() {
    let (_dir, file) = edited_sample();
    let (_clean_dir, clean) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    assert!(h.state().review.open);
    h.state_mut().history.mark_saved();
    h.state_mut().execute(Command::OpenPath(clean));
    h.run();
    assert!(!h.state().review.open);
}

#[test]
fn mark_as_reviewed_in_the_inspector_also_stores_the_fuzzy_match_text() {
    let (_dir, file) = edited_sample();
    let mut h = harness(Some(&file), vec![]);
    h.state_mut()
        .execute(Command::SelectAnnotation(AnnotationId(3)));
    h.run();
    h.get_by_label("Mark as reviewed").click();
    h.run();
    let a = ann(&h, 3).unwrap();
    assert_eq!(a.review, None);
    assert!(a.anchor.quote.contains("fifty"), "{}", a.anchor.quote);
}

/// The panel's cached rows equal rows built afresh from the project.
fn rows_are_fresh(h: &mut Harness<'_, Workbench>) {
    h.run();
    let wb = h.state_mut();
    let ws = wb.ws.as_ref().unwrap();
    let key = (wb.generation, wb.history.revision());
    let cached = wb.review.rows(&ws.project, key).to_vec();
    let fresh = spanmark::ui::review::ReviewState::default()
        .rows(&ws.project, key)
        .to_vec();
    assert_eq!(cached, fresh);
}

#[test]
fn patched_rows_equal_a_rebuild_after_each_action() {
    let (_dir, file) = edited_sample();
    let mut h = harness(Some(&file), vec![]);
    rows_are_fresh(&mut h);
    go_to(&mut h, 3);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    rows_are_fresh(&mut h);
    for id in [1, 9] {
        h.state_mut()
            .execute(Command::Review(ReviewAction::Remove(Some(AnnotationId(
                id,
            )))));
        rows_are_fresh(&mut h);
    }
    // The last row of dailybuzz.txt went: its heading went too.
    let headings = {
        let wb = h.state_mut();
        let ws = wb.ws.as_ref().unwrap();
        let key = (wb.generation, wb.history.revision());
        wb.review
            .rows(&ws.project, key)
            .iter()
            .filter(|r| matches!(r, spanmark::ui::review::Row::Document(..)))
            .count()
    };
    assert_eq!(headings, 1);
    undo(&mut h);
    rows_are_fresh(&mut h);
}
