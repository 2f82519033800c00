//! Semantic UI tests of tagging: select by dragging, tag with a hotkey,
//! retag, delete, undo and redo — through the real workbench and keys.

// Tests may panic on broken fixtures: that is how they fail.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod ui_common;

use egui::{Key, Modifiers, Pos2};
use egui_kittest::kittest::Queryable;
use spanmark::model::LabelId;
use ui_common::{drag, harness, sample_copy, text_rect};

#[test]
fn drag_select_tag_retag_delete_undo_redo() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    let before = h
        .state()
        .ws
        .as_ref()
        .map_or(0, |w| w.project.annotation_count());
    assert_eq!(before, 15);

    // Drag across the start of the first line ("Fire destroys grain …").
    let r = text_rect(&h);
    let y = r.top() + 10.0;
    drag(
        &mut h,
        Pos2::new(r.left() + 7.0, y),
        Pos2::new(r.left() + 140.0, y),
    );
    let sel = h
        .state()
        .view
        .as_ref()
        .and_then(|v| v.selected_range(false));
    let sel = sel.expect("a selection after dragging");
    assert_eq!(sel.start().0, 0, "selection starts at the first char");
    assert!(sel.len() > 5, "dragging selected several chars: {sel}");

    // Key 2 tags it as quote; the new annotation is selected.
    h.key_press(Key::Num2);
    h.run();
    let wb = h.state();
    let ws = wb.ws.as_ref().expect("project");
    assert_eq!(ws.project.annotation_count(), before + 1);
    let id = wb.selected.expect("new annotation selected");
    let a = ws.project.annotation(id).expect("annotation");
    assert_eq!(a.label, LabelId::new("quote"));
    assert!(
        a.anchor.quote.starts_with("Fire destroys"),
        "{:?}",
        a.anchor.quote
    );
    assert_eq!(a.author, "Test Analyst");
    assert!(wb.is_dirty());
    assert!(wb.title().starts_with("● "));

    // Key 3 retags the selected annotation.
    h.key_press(Key::Num3);
    h.run();
    let label = |h: &egui_kittest::Harness<'_, spanmark::ui::Workbench>| {
        h.state()
            .ws
            .as_ref()
            .and_then(|w| w.project.annotation(id))
            .map(|a| a.label.clone())
    };
    assert_eq!(label(&h), Some(LabelId::new("unverified")));
    let undo_name = h.state().history.undo_name().map(str::to_owned);
    assert_eq!(undo_name.as_deref(), Some("Retag as unverified"));

    // Delete removes it; undo brings it back; redo removes it again.
    h.key_press(Key::Delete);
    h.run();
    assert_eq!(label(&h), None);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(label(&h), Some(LabelId::new("unverified")));
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert_eq!(label(&h), None);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert_eq!(label(&h), None);
}

#[test]
fn click_selects_and_tab_steps_and_escape_clears() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    h.key_press(Key::Tab);
    h.run();
    let first = h
        .state()
        .selected
        .expect("Tab selects the first annotation");
    h.key_press(Key::Tab);
    h.run();
    let second = h.state().selected.expect("Tab selects the next annotation");
    assert_ne!(first, second);
    h.key_press_modifiers(Modifiers::SHIFT, Key::Tab);
    h.run();
    assert_eq!(h.state().selected, Some(first));

    // Alt+Shift+Right extends the selected annotation by one char.
    let len = |h: &egui_kittest::Harness<'_, spanmark::ui::Workbench>| {
        h.state()
            .ws
            .as_ref()
            .and_then(|w| w.project.annotation(first))
            .map(|a| a.range.len())
    };
    let before = len(&h).expect("len");
    h.key_press_modifiers(Modifiers::ALT | Modifiers::SHIFT, Key::ArrowRight);
    h.run();
    assert_eq!(len(&h), Some(before + 1));

    h.key_press(Key::Escape);
    h.run();
    assert_eq!(h.state().selected, None);
}

#[test]
fn note_is_edited_in_the_inspector_and_undone() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    h.state_mut().push(spanmark::ui::Command::SelectAnnotation(
        spanmark::model::AnnotationId(1),
    ));
    h.run();
    h.get_by_label("Note:");
    if let Some((_, draft)) = h.state_mut().ui.note_draft.as_mut() {
        *draft = "Checked against the port authority.".to_owned();
    }
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Save note")
        .click();
    h.run();
    let note = |h: &egui_kittest::Harness<'_, spanmark::ui::Workbench>| {
        h.state()
            .ws
            .as_ref()
            .and_then(|w| w.project.annotation(spanmark::model::AnnotationId(1)))
            .and_then(|a| a.note.clone())
    };
    assert_eq!(
        note(&h).as_deref(),
        Some("Checked against the port authority.")
    );
    assert_eq!(h.state().history.undo_name(), Some("Edit note"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(note(&h), None);
}

#[test]
fn documents_are_added_through_the_dialog() {
    let (dir, file) = sample_copy();
    let extra = dir.path().join("sources/extra.txt");
    std::fs::write(&extra, "Ein Brand im Hafen. 港口火灾。").expect("write");
    let mut h = harness(
        Some(&file),
        vec![spanmark::ui::dialogs::Picked::Paths(vec![extra])],
    );
    h.state_mut().push(spanmark::ui::Command::AddSources);
    h.run();
    let wb = h.state();
    let ws = wb.ws.as_ref().expect("project");
    assert_eq!(ws.project.documents().len(), 4);
    let shown = wb.view.as_ref().map(|v| v.doc);
    assert_eq!(shown, ws.project.documents().last().map(|d| d.id));
    assert_eq!(wb.history.undo_name(), Some("Add document"));
    // Undo removes it again and shows a remaining document.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    let wb = h.state();
    assert_eq!(wb.ws.as_ref().map(|w| w.project.documents().len()), Some(3));
    assert_eq!(wb.view.as_ref().map(|v| v.doc.0), Some(1));
}

#[test]
fn document_status_is_set_from_the_panel() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    h.get_by_label("Status").click();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::Button, "done")
        .click();
    h.run();
    let status = h
        .state()
        .ws
        .as_ref()
        .and_then(|w| w.project.documents().first().map(|d| d.status));
    assert_eq!(status, Some(spanmark::model::Status::Done));
    assert_eq!(h.state().history.undo_name(), Some("Set status"));
}
