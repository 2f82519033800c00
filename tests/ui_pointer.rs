//! Semantic UI tests of pointer input on the document text: clicking
//! annotations (cycling through overlaps), double-click word selection,
//! shift-click extension and hover tooltips.

// Tests may panic on broken fixtures: that is how they fail.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod ui_common;

use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::model::{AnnotationId, CharRange};
use spanmark::ui::Workbench;
use ui_common::{click_at, harness, sample_copy};

/// Screen point in the middle of char `c` of the shown document.
fn point_of(h: &Harness<'_, Workbench>, c: usize) -> Pos2 {
    let view = h.state().view.as_ref().expect("a document is shown");
    let a = view.char_screen_rect(&h.ctx, c).expect("char on screen");
    let b = view
        .char_screen_rect(&h.ctx, c + 1)
        .expect("next char on screen");
    Pos2::new((a.min.x + b.min.x) / 2.0, a.center().y)
}

fn press(h: &Harness<'_, Workbench>, pos: Pos2, pressed: bool, modifiers: Modifiers) {
    h.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers,
    });
}

#[test]
fn clicking_nested_annotations_cycles_innermost_first() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    // Annotation 5 (claim 508..549) lies inside annotation 4 (quote 473..551).
    let p = point_of(&h, 520);
    click_at(&mut h, p);
    assert_eq!(h.state().selected, Some(AnnotationId(5)));
    click_at(&mut h, p);
    assert_eq!(h.state().selected, Some(AnnotationId(4)));
    click_at(&mut h, p);
    assert_eq!(h.state().selected, Some(AnnotationId(5)));
    // Clicking plain text clears the selection.
    let plain = point_of(&h, 3);
    click_at(&mut h, plain);
    assert_eq!(h.state().selected, None);
}

#[test]
fn double_click_selects_a_word_and_shift_click_extends() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    // "Fire destroys grain warehouse…": double-click inside "destroys" (5..13).
    let p = point_of(&h, 7);
    h.hover_at(p);
    h.run();
    // Kittest feeds one button event per frame; frames are 0.1 s apart.
    for _ in 0..2 {
        press(&h, p, true, Modifiers::NONE);
        press(&h, p, false, Modifiers::NONE);
        h.step();
    }
    h.run();
    let sel = h
        .state()
        .view
        .as_ref()
        .and_then(|v| v.selected_range(false));
    assert_eq!(sel, Some(CharRange::new(5, 13)));

    // Shift-click after "grain" (14..19) extends the selection to there.
    let q = point_of(&h, 17);
    h.hover_at(q);
    h.run();
    let button = |pressed| Event::PointerButton {
        pos: q,
        button: PointerButton::Primary,
        pressed,
        modifiers: Modifiers::SHIFT,
    };
    h.event_modifiers(button(true), Modifiers::SHIFT);
    h.run();
    h.event_modifiers(button(false), Modifiers::SHIFT);
    h.run();
    let sel = h.state().view.as_ref().and_then(|v| v.selected_range(true));
    assert_eq!(sel, Some(CharRange::new(5, 19)), "word-snapped extension");

    // Shift+Left moves the moving end back one character.
    h.key_press_modifiers(Modifiers::SHIFT, egui::Key::ArrowLeft);
    h.run();
    let sel = h.state().view.as_ref().and_then(|v| v.selection);
    assert_eq!(sel.map(|s| (s.anchor, s.head)), Some((5, 16)));
}

#[test]
fn hovering_an_annotation_shows_labels_and_note() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    let p = point_of(&h, 520);
    h.hover_at(p);
    h.run();
    h.hover_at(p + egui::vec2(1.0, 0.0));
    // Tooltips appear after a short delay.
    h.run_steps(10);
    h.get_by_label("Nested inside the quote: a checkable claim by the deputy chief.");
}
