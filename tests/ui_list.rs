//! The annotation list's cached rows stay equal to a fresh filter of the
//! project through tagging, retagging, notes, deleting, undo and filters.

// Tests may panic on broken fixtures: that is how they fail.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod ui_common;

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::model::{AnnotationId, CharRange, LabelId};
use spanmark::ui::annotation_list::Filters;
use spanmark::ui::{Command, Workbench};
use ui_common::{harness, sample_copy};

/// What the list should hold: the shown document's annotations passing the filters.
fn expected(wb: &Workbench) -> Vec<AnnotationId> {
    let ws = wb.ws.as_ref().expect("project");
    let doc = wb.view.as_ref().expect("view").doc;
    let needle = wb.ui.filter_text.to_lowercase();
    ws.project
        .annotations_of(doc)
        .filter(|a| wb.ui.filter_label.as_ref().is_none_or(|l| &a.label == l))
        .filter(|a| {
            wb.ui
                .filter_author
                .as_ref()
                .is_none_or(|who| a.author == *who || a.agreed.iter().any(|n| n == who))
        })
        .filter(|a| {
            needle.is_empty()
                || a.anchor.quote.to_lowercase().contains(&needle)
                || a.note
                    .as_deref()
                    .is_some_and(|n| n.to_lowercase().contains(&needle))
        })
        .map(|a| a.id)
        .collect()
}

fn check(h: &mut Harness<'_, Workbench>) {
    h.run();
    let want = expected(h.state());
    h.get_by_label(&format!("{} shown", want.len()));
    let wb = h.state_mut();
    let ws = wb.ws.as_ref().expect("project");
    let doc = wb.view.as_ref().expect("view").doc;
    let key = (wb.generation, wb.history.revision());
    let filters = Filters {
        label: wb.ui.filter_label.as_ref(),
        author: wb.ui.filter_author.as_deref(),
        text: &wb.ui.filter_text,
    };
    let rows = wb.ui.list.rows(&ws.project, key, doc, filters);
    assert_eq!(rows, want.as_slice());
}

#[test]
fn cached_rows_follow_every_edit() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    check(&mut h);
    for (range, key) in [((0, 19), Key::Num1), ((40, 52), Key::Num3)] {
        if let Some(v) = h.state_mut().view.as_mut() {
            v.select(CharRange::new(range.0, range.1));
        }
        h.key_press(key);
        check(&mut h);
    }
    // Retag the selected (new) annotation, give it a note, delete it.
    h.key_press(Key::Num2);
    check(&mut h);
    let id = h.state().selected.expect("the new annotation is selected");
    h.state_mut()
        .execute(Command::SetNote(id, "check the fire brigade log".into()));
    check(&mut h);
    h.state_mut().ui.filter_text = "brigade".into();
    check(&mut h);
    h.state_mut().ui.filter_text.clear();
    h.state_mut().ui.filter_label = Some(LabelId::new("claim"));
    check(&mut h);
    h.state_mut().execute(Command::Delete);
    check(&mut h);
    h.state_mut().execute(Command::Undo);
    check(&mut h);
    h.state_mut().ui.filter_label = None;
    h.state_mut().execute(Command::Undo);
    check(&mut h);
}
