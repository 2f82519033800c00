//! The keyboard-only workflow (caret moves, Ctrl for words, Shift to
//! extend, tag with a label key, resize the tagged span by word) and
//! dropping files on the window.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod ui_common;

use egui::{Key, Modifiers};
use ui_common::{harness, sample_copy};

fn quotes(h: &egui_kittest::Harness<'_, spanmark::ui::Workbench>) -> Vec<String> {
    let ws = h.state().ws.as_ref().unwrap();
    ws.project
        .annotations_of(spanmark::model::DocumentId(1))
        .map(|a| a.anchor.quote.clone())
        .collect()
}

#[test]
fn select_by_words_tag_and_resize_from_the_keyboard() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    for _ in 0..3 {
        h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
        h.run();
    }
    // Then one character back and forth: Shift+Left, Shift+Right.
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
    h.run();
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    h.run();
    h.key_press(Key::Num1);
    h.run();
    assert!(
        quotes(&h).contains(&"Fire destroys grain".to_owned()),
        "{:?}",
        quotes(&h)
    );
    // The new annotation is selected: extend its end by a word.
    h.key_press_modifiers(
        Modifiers::COMMAND | Modifiers::ALT | Modifiers::SHIFT,
        Key::ArrowRight,
    );
    h.run();
    assert!(
        quotes(&h).contains(&"Fire destroys grain warehouse".to_owned()),
        "{:?} {:?}",
        quotes(&h),
        h.state().message
    );
    assert_eq!(h.state().history.undo_name(), Some("Resize annotation"));
    // A plain arrow collapses the selection to a caret: nothing left to tag.
    h.key_press(Key::Escape);
    h.run();
    h.key_press(Key::ArrowRight);
    h.run();
    assert!(
        h.state()
            .view
            .as_ref()
            .unwrap()
            .selected_range(true)
            .is_none()
    );
}

/// A file dropped on the window, as the native integration reports it.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_a_text_file_adds_it_and_dropping_a_project_opens_it() {
    let (dir, file) = sample_copy();
    let mut h = harness(None, vec![]);
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(file.clone())));
    h.run();
    assert_eq!(
        h.state().ws.as_ref().map(|w| w.project.documents().len()),
        Some(3)
    );
    let extra = dir.path().join("extra.txt");
    std::fs::write(&extra, "A late statement from the port authority.").unwrap();
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(extra)));
    h.run();
    let ws = h.state().ws.as_ref().unwrap();
    assert_eq!(ws.project.documents().len(), 4);
    assert!(h.state().is_dirty());
    assert_eq!(h.state().history.undo_name(), Some("Add document"));
}
