//! Semantic UI tests of saving, reopening and the unsaved-changes prompt.

// Tests may panic on broken fixtures: that is how they fail.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod ui_common;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use spanmark::io::Workspace;
use spanmark::model::CharRange;
use spanmark::ui::Command;
use spanmark::ui::dialogs::Picked;
use ui_common::{harness, sample_copy};

fn tag_first_words(h: &mut egui_kittest::Harness<'_, spanmark::ui::Workbench>) {
    if let Some(v) = h.state_mut().view.as_mut() {
        v.select(CharRange::new(0, 19));
    }
    h.key_press(Key::Num1);
    h.run();
}

#[test]
fn save_as_with_scripted_dialog_then_reload() {
    let (dir, file) = sample_copy();
    let target = dir.path().join("copy.spanmark.ron");
    let mut h = harness(Some(&file), vec![Picked::Paths(vec![target.clone()])]);
    tag_first_words(&mut h);
    assert!(h.state().is_dirty());
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    h.run();
    assert!(!h.state().is_dirty(), "saved: {:?}", h.state().message);
    let reloaded = Workspace::open(&target).expect("saved project opens");
    assert_eq!(reloaded.project.annotation_count(), 16);
    assert!(reloaded.problems.is_empty(), "{:?}", reloaded.problems);
    assert!(
        reloaded
            .project
            .annotations()
            .any(|a| a.anchor.quote == "Fire destroys grain")
    );
    assert_eq!(h.state().prefs.recent.first(), Some(&target));
}

#[test]
fn ctrl_s_saves_in_place() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    tag_first_words(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(!h.state().is_dirty());
    let reloaded = Workspace::open(&file).expect("opens");
    assert_eq!(reloaded.project.annotation_count(), 16);
}

#[test]
fn closing_with_unsaved_changes_asks_first() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    tag_first_words(&mut h);

    // Cancel keeps everything.
    h.state_mut().push(Command::CloseProject);
    h.run();
    h.get_by_label("Save changes?");
    h.get_by_role_and_label(Role::Button, "Cancel").click();
    h.run();
    assert!(h.state().ws.is_some());
    assert!(h.state().prompt.is_none());

    // Discard closes without saving.
    h.state_mut().push(Command::CloseProject);
    h.run();
    h.get_by_role_and_label(Role::Button, "Discard").click();
    h.run();
    assert!(h.state().ws.is_none());
    let on_disk = Workspace::open(&file).expect("opens");
    assert_eq!(on_disk.project.annotation_count(), 15, "nothing was saved");
}

#[test]
fn save_answer_saves_then_closes() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    tag_first_words(&mut h);
    h.state_mut().push(Command::Quit);
    h.run();
    assert!(!h.state().quit, "quit waits for an answer");
    h.get_by_role_and_label(Role::Button, "Save").click();
    h.run();
    assert!(h.state().quit);
    let on_disk = Workspace::open(&file).expect("opens");
    assert_eq!(on_disk.project.annotation_count(), 16);
}

#[test]
fn window_close_button_with_unsaved_changes_asks_first() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    tag_first_words(&mut h);
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.run();
    assert!(!h.state().quit);
    h.get_by_label("Save changes?");
    h.get_by_role_and_label(Role::Button, "Discard").click();
    h.run();
    assert!(h.state().quit, "discarding lets the window close");
}

#[test]
fn changed_source_is_reported_readably() {
    let (dir, file) = sample_copy();
    let src = dir.path().join("sources/dailybuzz.txt");
    let text = std::fs::read_to_string(&src).expect("read");
    std::fs::write(&src, text.replace("MASSIVE", "massive")).expect("write");
    let mut h = harness(Some(&file), vec![]);
    // The review panel opens for a changed source; the Problems window
    // (which would cover it) lists the same on request.
    assert!(!h.state().ui.problems_open);
    h.state_mut()
        .push(spanmark::ui::command::Command::ShowProblems);
    h.run();
    h.get_by_label("Problems");
    h.get_by_label_contains("the source file changed since it was added");
    h.get_by_label_contains("annotation #7 in \"dailybuzz.txt\" needs review");
    // Its document lists it with a review mark, and the inspector says why.
    h.get_by_role_and_label(Role::Button, "Show #7").click();
    h.run();
    h.get_by_label_contains("⚠ a MASSIVE explosion");
    h.get_by_label_contains("Needs review: the source changed; a similar text");
    h.get_by_role_and_label(Role::Button, "Mark as reviewed")
        .click();
    h.run();
    let a = h
        .state()
        .ws
        .as_ref()
        .and_then(|w| w.project.annotation(spanmark::model::AnnotationId(7)));
    assert_eq!(a.map(|a| a.review.is_none()), Some(true));
    assert_eq!(h.state().history.undo_name(), Some("Mark as reviewed"));
}

#[test]
fn unavailable_dialog_falls_back_to_a_path_field() {
    let (dir, file) = sample_copy();
    let mut h = harness(None, vec![Picked::Unavailable]);
    h.get_by_role_and_label(Role::Button, "Open…").click();
    h.run();
    assert!(h.state().path_prompt.is_some());
    h.get_by_label("Path:");
    if let Some(p) = h.state_mut().path_prompt.as_mut() {
        p.text = file.display().to_string();
    }
    h.run();
    h.get_by_role_and_label(Role::Button, "OK").click();
    h.run();
    let ws = h
        .state()
        .ws
        .as_ref()
        .expect("opened through the path field");
    assert_eq!(ws.project.documents().len(), 3);
    drop(dir);
}

#[test]
fn save_as_into_another_folder_takes_the_sources_along() {
    let (_dir, file) = sample_copy();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let target = elsewhere.path().join("moved.spanmark.ron");
    let mut h = harness(Some(&file), vec![Picked::Paths(vec![target.clone()])]);
    tag_first_words(&mut h);
    h.state_mut().push(Command::SaveAs);
    h.run();
    assert!(!h.state().is_dirty(), "{:?}", h.state().message);
    let reopened = Workspace::open(&target).expect("saved project opens");
    assert!(reopened.problems.is_empty(), "{:?}", reopened.problems);
    assert_eq!(reopened.project.annotation_count(), 16);
    assert!(elsewhere.path().join("sources/dailybuzz.txt").is_file());
}
