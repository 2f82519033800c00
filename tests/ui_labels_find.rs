//! Semantic UI tests of the label manager and find.

// Tests may panic on broken fixtures: that is how they fail.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod ui_common;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use spanmark::model::LabelId;
use ui_common::{harness, sample_copy};

#[test]
fn manage_labels_add_and_remove_with_reassign() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    h.get_by_role_and_label(Role::Button, "Manage labels…")
        .click();
    h.run();
    h.get_by_label("New label:");
    h.state_mut().ui.new_label = "Needs source".to_owned();
    h.run();
    h.get_by_role_and_label(Role::Button, "Add label").click();
    h.run();
    let labels = |h: &egui_kittest::Harness<'_, spanmark::ui::Workbench>| -> Vec<String> {
        h.state()
            .ws
            .as_ref()
            .map(|w| w.project.labels().iter().map(|l| l.name.clone()).collect())
            .unwrap_or_default()
    };
    assert_eq!(labels(&h), ["claim", "quote", "unverified", "Needs source"]);
    let new = h
        .state()
        .ws
        .as_ref()
        .and_then(|w| w.project.label_by_name("needs source"))
        .map(|l| (l.id.clone(), l.hotkey));
    assert_eq!(new, Some((LabelId::new("needs_source"), Some('4'))));

    // Removing "unverified" (in use) asks where its annotations go.
    h.get_by_role_and_label(Role::Button, "Remove unverified")
        .click();
    h.run();
    h.state_mut().ui.removing = Some((LabelId::new("unverified"), Some(LabelId::new("claim"))));
    h.run();
    h.get_by_role_and_label(Role::Button, "Move and remove")
        .click();
    h.run();
    assert_eq!(labels(&h), ["claim", "quote", "Needs source"]);
    let ws = h.state().ws.as_ref().expect("project");
    assert_eq!(ws.project.label_use_count(&LabelId::new("unverified")), 0);
    assert_eq!(ws.project.annotation_count(), 15);
    assert_eq!(
        h.state().history.undo_name(),
        Some("Remove label unverified")
    );

    // One undo restores the label and its annotations.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(labels(&h), ["claim", "quote", "unverified", "Needs source"]);
}

#[test]
fn find_highlights_and_steps_through_matches() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    h.get_by_label("Find:");
    // The find field has focus after Ctrl+F: typed text goes there.
    h.event(egui::Event::Text("fire".to_owned()));
    h.run();
    let count = h.state().view.as_ref().map_or(0, |v| v.find.matches.len());
    assert!(count >= 3, "found {count}");
    h.get_by_label(&format!("1 of {count}"));
    h.get_by_role_and_label(Role::Button, "Next").click();
    h.run();
    assert_eq!(h.state().view.as_ref().map(|v| v.find.current), Some(1));
    // Enter in the field steps forward, Shift+Enter back.
    h.get_by_label("Find:");
    h.state_mut().push(spanmark::ui::Command::Find);
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().view.as_ref().map(|v| v.find.current), Some(2));
    h.key_press_modifiers(Modifiers::SHIFT, Key::Enter);
    h.run();
    let v = h.state().view.as_ref().expect("view");
    assert_eq!(v.find.current, 1);
    let sel = v.selected_range(false).expect("the match is selected");
    assert_eq!(
        v.text().slice(sel).map(str::to_lowercase).as_deref(),
        Some("fire")
    );
}

#[test]
fn shortcut_list_comes_from_the_command_table() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    h.state_mut().push(spanmark::ui::Command::ShowShortcuts);
    h.run();
    h.get_by_label("Keyboard shortcuts");
    h.get_by_label("Redo");
    h.get_by_label("Extend end");
    h.get_by_label_contains("Tag selection as quote");
}

#[test]
fn escape_in_the_find_field_closes_the_find_bar() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    assert!(h.state().view.as_ref().is_some_and(|v| v.find.open));
    h.key_press(Key::Escape);
    h.run();
    assert!(h.state().view.as_ref().is_some_and(|v| !v.find.open));
}

#[test]
fn rename_recolour_and_rekey_a_label() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    h.state_mut().push(spanmark::ui::Command::ManageLabels);
    h.run();
    h.get_by_role_and_label(Role::Button, "Colour #59a14f for claim")
        .click();
    h.run();
    h.get_by_role_and_label(Role::Button, "claim").click();
    h.run();
    if let Some((_, draft)) = h.state_mut().ui.renaming.as_mut() {
        *draft = "assertion".to_owned();
    }
    h.run();
    h.get_by_role_and_label(Role::Button, "Apply").click();
    h.run();
    let claim = |h: &egui_kittest::Harness<'_, spanmark::ui::Workbench>| {
        h.state()
            .ws
            .as_ref()
            .and_then(|w| w.project.label(&LabelId::new("claim")).cloned())
    };
    let l = claim(&h).expect("label kept its id");
    assert_eq!(l.name, "assertion");
    assert_eq!(l.color.to_hex(), "#59a14f");
    assert_eq!(h.state().history.undo_len(), 2, "one undo step per change");

    // Rebinding the hotkey: key 1 no longer tags, key 9 does.
    h.get_by_label("Hotkey for assertion").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "9").click();
    h.run();
    assert_eq!(claim(&h).and_then(|l| l.hotkey), Some('9'));
}
