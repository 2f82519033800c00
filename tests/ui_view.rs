//! View preferences: zoom keys, theme and word snapping, all through the
//! command table; egui's own keyboard zoom is off so zoom is applied once.

// Tests may panic on broken fixtures: that is how they fail.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod ui_common;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use ui_common::{harness, sample_copy};

#[test]
fn zoom_theme_and_word_snap() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    h.run();
    assert!((h.state().prefs.zoom - 1.1).abs() < 1e-4);
    assert!(
        (h.ctx.zoom_factor() - 1.1).abs() < 1e-4,
        "applied exactly once"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run();
    assert!((h.ctx.zoom_factor() - 1.0).abs() < 1e-4);

    h.get_by_label("View").click();
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "Dark theme")
        .click();
    h.run();
    assert!(h.state().prefs.dark);
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);

    h.get_by_label("View").click();
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "Snap selection to words")
        .click();
    h.run();
    assert!(
        !h.state().prefs.word_snap,
        "word snapping is on by default; now off"
    );
}
