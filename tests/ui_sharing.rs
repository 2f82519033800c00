//! Semantic UI tests of sharing: "Locate file…" (same and different bytes),
//! "Save as single file…" and "Extract sources…", with scripted dialogs.

// Tests may panic on broken fixtures: that is how they fail.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod ui_common;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use spanmark::io::{Problem, SourceState, Workspace};
use spanmark::model::{DocumentId, Review};
use spanmark::ui::Command;
use spanmark::ui::dialogs::Picked;
use ui_common::{harness, sample_copy};

const BUZZ: DocumentId = DocumentId(2);

fn source_problems(ws: &Workspace) -> usize {
    ws.problems
        .iter()
        .filter(|p| matches!(p, Problem::Source { .. }))
        .count()
}

#[test]
fn locate_file_with_the_same_bytes_repoints_the_document() {
    let (dir, file) = sample_copy();
    let old = dir.path().join("sources/dailybuzz.txt");
    std::fs::create_dir(dir.path().join("moved")).unwrap();
    let new = dir.path().join("moved/buzz.txt");
    std::fs::rename(&old, &new).unwrap();
    let mut h = harness(Some(&file), vec![Picked::Paths(vec![new.clone()])]);
    {
        let ws = h.state().ws.as_ref().unwrap();
        assert!(ws.text(BUZZ).is_none());
        assert_eq!(source_problems(ws), 1);
    }
    // The document list and the Problems window both offer it.
    let buttons = h.query_all_by_label("Locate file…").count();
    assert_eq!(buttons, 2);
    // The Problems window covers the document list: close it, and use the
    // button under the document (the other test uses the Problems window's).
    h.state_mut().ui.problems_open = false;
    h.run();
    h.get_by_role_and_label(Role::Button, "Locate file…")
        .click();
    h.run();
    let wb = h.state();
    let ws = wb.ws.as_ref().unwrap();
    assert!(
        matches!(ws.sources.get(&BUZZ), Some(SourceState::Ready(_))),
        "{:?}",
        wb.message
    );
    assert_eq!(ws.project.document(BUZZ).unwrap().path, "moved/buzz.txt");
    assert_eq!(source_problems(ws), 0);
    assert!(
        ws.project.annotations_of(BUZZ).all(|a| a.review.is_none()),
        "the source-unavailable flags are settled"
    );
    assert!(wb.is_dirty(), "re-pointing is a change to save");
    assert_eq!(wb.view.as_ref().map(|v| v.doc), Some(BUZZ));
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let reopened = Workspace::open(&file).unwrap();
    assert!(reopened.problems.is_empty(), "{:?}", reopened.problems);
}

#[test]
fn locate_file_with_different_bytes_asks_then_places_annotations_again() {
    let (dir, file) = sample_copy();
    let old = dir.path().join("sources/dailybuzz.txt");
    let text = std::fs::read_to_string(&old).unwrap();
    std::fs::remove_file(&old).unwrap();
    let outside = tempfile::tempdir().unwrap();
    let edited = outside.path().join("dailybuzz-edited.txt");
    std::fs::write(&edited, format!("A new first paragraph.\n\n{text}")).unwrap();
    let mut h = harness(Some(&file), vec![Picked::Paths(vec![edited.clone()])]);
    let count = h.state().ws.as_ref().unwrap().project.annotation_count();
    // The Problems window's button (drawn after the document list's).
    h.query_all_by_label("Locate file…").last().unwrap().click();
    h.run();
    // Nothing changed yet: the analyst is asked first.
    assert!(h.state().sharing.offer.is_some());
    assert!(!h.state().is_dirty());
    h.get_by_label("Not the same text");
    h.get_by_role_and_label(Role::Button, "Use it anyway")
        .click();
    h.run();
    let wb = h.state();
    let ws = wb.ws.as_ref().unwrap();
    assert!(matches!(
        ws.sources.get(&BUZZ),
        Some(SourceState::Changed(_))
    ));
    assert_eq!(ws.project.annotation_count(), count, "none lost");
    let doc = ws.project.document(BUZZ).unwrap();
    assert_eq!(
        doc.path, "sources/dailybuzz-edited.txt",
        "copied into the folder"
    );
    assert!(dir.path().join("sources/dailybuzz-edited.txt").is_file());
    assert!(
        ws.project
            .annotations_of(BUZZ)
            .all(|a| matches!(a.review, Some(Review::Moved { .. }))),
        "every span moved by the inserted paragraph and is flagged"
    );
    assert!(
        ws.problems
            .iter()
            .any(|p| matches!(p, Problem::SourceChanged { .. }))
    );
    assert_eq!(
        wb.history.undo_name(),
        Some("Locate file"),
        "one undoable step"
    );
}

#[test]
fn locate_file_can_be_cancelled_when_the_bytes_differ() {
    let (dir, file) = sample_copy();
    let old = dir.path().join("sources/dailybuzz.txt");
    std::fs::write(&old, "entirely different words").unwrap();
    let other = dir.path().join("other.txt");
    std::fs::rename(&old, &other).unwrap();
    let mut h = harness(Some(&file), vec![Picked::Paths(vec![other])]);
    h.state_mut().execute(Command::LocateSource(BUZZ));
    h.run();
    h.get_by_role_and_label(Role::Button, "Keep the source missing")
        .click();
    h.run();
    let wb = h.state();
    assert!(wb.sharing.offer.is_none());
    assert!(!wb.is_dirty());
    assert!(wb.ws.as_ref().unwrap().text(BUZZ).is_none());
}

#[test]
fn save_as_single_file_then_extract_sources() {
    let (dir, file) = sample_copy();
    let packed = dir.path().join("mail.spanmark.ron");
    let mut h = harness(Some(&file), vec![Picked::Paths(vec![packed.clone()])]);
    h.get_by_label("Project").click();
    h.run();
    h.get_by_label("Save as single file…").click();
    h.run();
    {
        let ws = h.state().ws.as_ref().unwrap();
        assert_eq!(
            ws.path.as_deref(),
            Some(file.as_path()),
            "the open project stays"
        );
        assert!(!ws.packed);
    }
    assert!(
        std::fs::read_to_string(&packed)
            .unwrap()
            .contains("embedded_sources")
    );

    // Somewhere else, with nothing but the packed file.
    let inbox = tempfile::tempdir().unwrap();
    let received = inbox.path().join("mail.spanmark.ron");
    std::fs::copy(&packed, &received).unwrap();
    let out = inbox.path().join("extracted");
    let mut h = harness(Some(&received), vec![Picked::Paths(vec![out.clone()])]);
    {
        let ws = h.state().ws.as_ref().unwrap();
        assert!(ws.packed);
        assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    }
    h.get_by_label("Project").click();
    h.run();
    h.get_by_label("Extract sources…").click();
    h.run();
    let wb = h.state();
    let ws = wb.ws.as_ref().unwrap();
    assert!(!ws.packed, "{:?}", wb.message);
    let project = out.canonicalize().unwrap().join("mail.spanmark.ron");
    assert_eq!(ws.path.as_deref(), Some(project.as_path()));
    assert!(!wb.is_dirty());
    for name in [
        "dailybuzz.txt",
        "meridian-ledger.txt",
        "fire-service-statement.txt",
    ] {
        assert_eq!(
            std::fs::read(out.join("sources").join(name)).unwrap(),
            std::fs::read(dir.path().join("sources").join(name)).unwrap()
        );
    }
    let reopened = Workspace::open(&project).unwrap();
    assert!(reopened.problems.is_empty(), "{:?}", reopened.problems);
    assert!(!reopened.packed);
}

#[test]
fn a_single_file_copy_of_a_project_missing_a_source_is_refused() {
    // Refused at once (checked before any dialog), nothing written.
    let (dir, file) = sample_copy();
    std::fs::remove_file(dir.path().join("sources/dailybuzz.txt")).unwrap();
    let out = dir.path().join("copy.spanmark.ron");
    let mut h = harness(Some(&file), vec![Picked::Paths(vec![out.clone()])]);
    h.state_mut().execute(Command::SaveSingleFile);
    h.run();
    let said = ui_common::said(&h);
    assert!(said.starts_with("Not saved as a single file"), "{said}");
    assert!(said.contains("dailybuzz.txt"), "{said}");
    assert!(!out.exists());
}
