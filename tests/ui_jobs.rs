//! Opening and saving on worker threads: the window keeps drawing, a
//! cancelled open leaves nothing behind, and a save works on the project as
//! it was when it started — edits made meanwhile stay unsaved.

// Tests may panic on broken fixtures: that is how they fail.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod ui_common;

use std::time::Duration;

use egui_kittest::Harness;
use spanmark::io::Workspace;
use spanmark::model::{AnnotationId, Status};
use spanmark::ui::{Command, Workbench};
use ui_common::{harness, sample_copy, wait_for_job};

/// The project's first annotation.
fn first_annotation(h: &Harness<'_, Workbench>) -> AnnotationId {
    h.state()
        .ws
        .as_ref()
        .and_then(|w| w.project.annotations().next().map(|a| a.id))
        .expect("an annotation")
}

#[test]
fn a_project_opens_on_a_worker_thread() {
    let (_dir, file) = sample_copy();
    let mut h = harness(None, vec![]);
    h.state_mut().background_jobs = true;
    h.state_mut().execute(Command::OpenPath(file.clone()));
    assert!(h.state().job.is_some(), "opening runs in the background");
    assert!(h.state().ws.is_none());
    h.step();
    wait_for_job(&mut h);
    let wb = h.state();
    let ws = wb.ws.as_ref().expect("opened");
    assert_eq!(ws.project.annotation_count(), 15);
    assert!(wb.view.as_ref().is_some_and(|v| v.blocks_drawn() > 0));
    assert!(!wb.is_dirty());
    assert_eq!(wb.prefs.recent.first(), Some(&file));
}

#[test]
fn cancelling_an_open_leaves_no_project() {
    let (_dir, file) = sample_copy();
    let mut h = harness(None, vec![]);
    h.state_mut().background_jobs = true;
    h.state_mut().execute(Command::OpenPath(file));
    h.state_mut().execute(Command::CancelOpen);
    assert!(h.state().job.is_none());
    // Whatever the worker finishes later is dropped, never shown.
    std::thread::sleep(Duration::from_millis(300));
    h.run();
    assert!(h.state().ws.is_none());
    let message = h.state().message.clone().expect("a message");
    assert!(message.text.contains("cancelled"), "{message:?}");
}

#[test]
fn a_save_keeps_edits_made_while_it_runs() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    h.state_mut().background_jobs = true;
    let doc = h.state().view.as_ref().expect("view").doc;
    let first = first_annotation(&h);
    h.state_mut().execute(Command::SetStatus(doc, Status::Done));
    h.state_mut().execute(Command::Save);
    assert!(h.state().job.is_some(), "saving runs in the background");
    // Edit before the save is picked up: the snapshot must not see it.
    h.state_mut().execute(Command::SelectAnnotation(first));
    h.state_mut().execute(Command::Delete);
    wait_for_job(&mut h);
    assert!(h.state().is_dirty(), "the deletion came after the snapshot");
    let saved = Workspace::open(&file).expect("saved project opens");
    assert_eq!(saved.project.annotation_count(), 15);
    assert_eq!(saved.project.documents()[0].status, Status::Done);
    assert!(saved.project.annotation(first).is_some());

    h.state_mut().execute(Command::Save);
    wait_for_job(&mut h);
    assert!(!h.state().is_dirty(), "{:?}", h.state().message);
    let saved = Workspace::open(&file).expect("saved project opens");
    assert_eq!(saved.project.annotation_count(), 14);
    assert!(saved.project.annotation(AnnotationId(first.0)).is_none());
}

#[test]
fn a_single_file_copy_and_an_extraction_run_on_workers() {
    use spanmark::ui::dialogs::Picked;
    use spanmark::ui::workbench::JobKind;
    let (dir, file) = sample_copy();
    let packed = dir.path().join("mail.spanmark.ron");
    let mut h = harness(Some(&file), vec![Picked::Paths(vec![packed.clone()])]);
    h.state_mut().background_jobs = true;
    let first = first_annotation;
    h.state_mut().execute(Command::SaveSingleFile);
    let kind = h.state().job.as_ref().map(|j| j.kind.clone());
    assert_eq!(kind, Some(JobKind::Pack(packed.clone())));
    // The status bar says so while it runs.
    let status = kind.and_then(|k| k.status()).expect("a status");
    assert!(status.starts_with("Saving a single-file copy"), "{status}");
    // Said once, by the job's status, not again by a message beside it.
    assert!(h.state().message.is_none(), "{:?}", h.state().message);
    // An edit made meanwhile is not in the copy, and stays unsaved.
    let gone = first(&h);
    h.state_mut().execute(Command::SelectAnnotation(gone));
    h.state_mut().execute(Command::Delete);
    wait_for_job(&mut h);
    assert!(h.state().is_dirty());
    assert_eq!(
        h.state().ws.as_ref().and_then(|w| w.path.clone()),
        Some(file.clone())
    );
    let copy = Workspace::open(&packed).expect("the copy opens");
    assert!(copy.packed);
    assert_eq!(copy.project.annotation_count(), 15);

    // Extracting the copy elsewhere, with an edit made while it runs.
    let out = dir.path().join("extracted");
    let mut h = harness(Some(&packed), vec![Picked::Paths(vec![out.clone()])]);
    h.state_mut().background_jobs = true;
    h.state_mut().execute(Command::ExtractSources);
    let kind = h.state().job.as_ref().map(|j| j.kind.clone());
    assert_eq!(kind, Some(JobKind::Extract(out.clone())));
    let gone = first(&h);
    h.state_mut().execute(Command::SelectAnnotation(gone));
    h.state_mut().execute(Command::Delete);
    wait_for_job(&mut h);
    let project = out.canonicalize().unwrap().join("mail.spanmark.ron");
    {
        let wb = h.state();
        let ws = wb.ws.as_ref().expect("still open");
        assert!(!ws.packed, "{:?}", wb.message);
        assert_eq!(ws.path.as_deref(), Some(project.as_path()));
        assert!(wb.is_dirty(), "the deletion came after the snapshot");
        assert_eq!(ws.project.annotation_count(), 14);
    }
    let written = Workspace::open(&project).expect("the extracted project opens");
    assert!(!written.packed && written.problems.is_empty());
    assert_eq!(written.project.annotation_count(), 15);
    // Saving now writes the deletion next to the extracted sources.
    h.state_mut().execute(Command::Save);
    wait_for_job(&mut h);
    assert!(!h.state().is_dirty(), "{:?}", h.state().message);
    let saved = Workspace::open(&project).expect("saved");
    assert_eq!(saved.project.annotation_count(), 14);
    assert!(!saved.packed && saved.problems.is_empty());
}

/// How many annotations the open project has.
fn count(h: &Harness<'_, Workbench>) -> usize {
    h.state()
        .ws
        .as_ref()
        .map_or(0, |w| w.project.annotation_count())
}

/// The sample, open, with an import of 6,000 distinct spans over one
/// source done inline (more than a step undone at once): its folder,
/// harness and annotation count.
fn with_a_big_import() -> (tempfile::TempDir, Harness<'static, Workbench>, usize) {
    use spanmark::io::import::ImportFormat;
    let (dir, file) = sample_copy();
    let text = std::fs::read_to_string(dir.path().join("sources/meridian-ledger.txt")).unwrap();
    let chars = text.chars().count();
    let spans: Vec<String> = (0..100)
        .flat_map(|s| (1..=60).map(move |n| (s, s + n)))
        .filter(|&(_, e)| e <= chars)
        .map(|(s, e)| format!("[{s},{e},\"claim\"]"))
        .collect();
    assert!(spans.len() > spanmark::ui::workbench::BIG_STEP);
    let line = format!(
        "{{\"text\":{},\"label\":[{}]}}\n",
        serde_json::to_string(&text).unwrap(),
        spans.join(",")
    );
    let jsonl = dir.path().join("many.jsonl");
    std::fs::write(&jsonl, line).unwrap();
    let mut h = harness(Some(&file), vec![]);
    h.state_mut().transfer.import_format = ImportFormat::Doccano;
    h.state_mut().transfer.import_file = jsonl.display().to_string();
    h.state_mut().execute(Command::RunImport);
    let imported = count(&h);
    assert!(
        imported > 15 + spanmark::ui::workbench::BIG_STEP,
        "{imported}"
    );
    (dir, h, imported)
}

#[test]
fn a_big_undo_and_redo_run_on_workers_and_edits_wait_for_them() {
    use spanmark::ui::workbench::JobKind;
    let (_dir, mut h, imported) = with_a_big_import();

    h.state_mut().background_jobs = true;
    for (command, undo, expected) in [(Command::Undo, true, 15), (Command::Redo, false, imported)] {
        h.state_mut().execute(command);
        let kind = h.state().job.as_ref().map(|j| j.kind.clone());
        let step = JobKind::Step {
            name: "Import annotations".to_owned(),
            undo,
        };
        assert_eq!(kind, Some(step.clone()));
        let status = step.status().unwrap();
        assert!(
            status.starts_with(if undo { "Undoing" } else { "Redoing" }),
            "{status}"
        );
        // Meanwhile an edit, and another undo, are refused with a word.
        let before = count(&h);
        let doc = h.state().ws.as_ref().unwrap().project.documents()[0].id;
        h.state_mut().execute(Command::SetStatus(doc, Status::Done));
        h.state_mut().execute(Command::Undo);
        let said = ui_common::said(&h);
        assert!(
            said.starts_with("Wait until the undo or redo is done"),
            "{said}"
        );
        assert_eq!(count(&h), before);
        wait_for_job(&mut h);
        assert_eq!(count(&h), expected, "{:?}", h.state().message);
        let said = ui_common::said(&h);
        let done = if undo {
            "Undid Import annotations"
        } else {
            "Redid Import annotations"
        };
        assert_eq!(said, done);
    }
    // The document's status was never set, and the history goes on as usual.
    assert_ne!(
        h.state().ws.as_ref().unwrap().project.documents()[0].status,
        Status::Done
    );
    h.state_mut().background_jobs = false;
    h.state_mut().execute(Command::Undo);
    assert_eq!(count(&h), 15);
}

#[test]
fn a_job_that_ends_after_its_project_was_closed_changes_nothing_here() {
    use spanmark::ui::command::Answer;
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    h.state_mut().background_jobs = true;
    let doc = h.state().view.as_ref().expect("view").doc;
    h.state_mut().execute(Command::SetStatus(doc, Status::Done));
    h.state_mut().execute(Command::Save);
    assert!(h.state().job.is_some());
    // Still unsaved while the save runs: New asks, and the analyst discards.
    h.state_mut().execute(Command::NewProject);
    h.state_mut().execute(Command::Answer(Answer::Discard));
    wait_for_job(&mut h);
    let wb = h.state();
    let ws = wb.ws.as_ref().expect("the new project");
    assert_eq!(
        ws.path, None,
        "the old save's path was not given to the new project"
    );
    assert_eq!(ws.file_hash, None);
    assert_eq!(ws.project.documents().len(), 0);
    let said = wb.message.clone().map(|m| m.text).unwrap_or_default();
    assert!(
        said.contains("ended after its project was closed"),
        "{said}"
    );
    // The save itself finished on disk.
    let saved = Workspace::open(&file).expect("saved project opens");
    assert_eq!(saved.project.documents()[0].status, Status::Done);
}

#[test]
fn added_text_files_are_read_on_a_worker_and_land_as_one_step() {
    use spanmark::ui::dialogs::Picked;
    let (dir, file) = sample_copy();
    let notes = dir.path().join("sources/notes.txt");
    std::fs::write(&notes, "Café notes 📝\r\nsecond line\r\n").unwrap();
    let broken = dir.path().join("sources/missing.txt");
    let mut h = harness(
        Some(&file),
        vec![Picked::Paths(vec![notes.clone(), broken.clone()])],
    );
    h.state_mut().background_jobs = true;
    let before = h
        .state()
        .ws
        .as_ref()
        .expect("open")
        .project
        .documents()
        .len();
    let first = first_annotation(&h);
    h.state_mut().execute(Command::AddSources);
    assert!(h.state().job.is_some(), "reading runs in the background");
    assert!(
        h.state().message.is_none(),
        "the status bar shows the job, not an old message"
    );
    // An edit made while the files are read is kept, before the addition.
    h.state_mut().execute(Command::SelectAnnotation(first));
    h.state_mut().execute(Command::Delete);
    wait_for_job(&mut h);
    let wb = h.state();
    let ws = wb.ws.as_ref().expect("open");
    assert_eq!(ws.project.documents().len(), before + 1);
    assert!(ws.project.annotation(first).is_none());
    let added = ws.project.documents().last().expect("added").clone();
    assert_eq!(added.name, "notes.txt");
    assert_eq!(added.char_len, 27);
    let text = ws.text(added.id).expect("its text is in memory");
    assert_eq!(text.char_len(), 27);
    assert_eq!(wb.view.as_ref().map(|v| v.doc), Some(added.id));
    let said = ui_common::said(&h);
    assert!(said.starts_with("Could not add"), "{said}");
    assert!(said.contains("missing.txt"), "{said}");
    // One step: undo takes the documents away, not the deletion.
    h.state_mut().execute(Command::Undo);
    h.run();
    let ws = h.state().ws.as_ref().expect("open");
    assert_eq!(ws.project.documents().len(), before);
    assert!(ws.project.annotation(first).is_none());
}

#[test]
fn a_located_file_is_read_and_placed_on_workers_and_edits_meanwhile_are_kept() {
    use spanmark::io::SourceState;
    use spanmark::model::DocumentId;
    use spanmark::ui::dialogs::Picked;
    const BUZZ: DocumentId = DocumentId(2);
    let (dir, file) = sample_copy();
    let old = dir.path().join("sources/dailybuzz.txt");
    let text = std::fs::read_to_string(&old).unwrap();
    std::fs::remove_file(&old).unwrap();
    let edited = dir.path().join("sources/dailybuzz-edited.txt");
    std::fs::write(&edited, format!("A new first paragraph.\n\n{text}")).unwrap();
    let mut h = harness(Some(&file), vec![Picked::Paths(vec![edited])]);
    h.state_mut().background_jobs = true;
    let count = h.state().ws.as_ref().unwrap().project.annotation_count();
    h.state_mut().execute(Command::LocateSource(BUZZ));
    assert!(h.state().job.is_some(), "the file is read on a worker");
    wait_for_job(&mut h);
    assert!(
        h.state().sharing.offer.is_some(),
        "the analyst is asked first"
    );
    assert!(!h.state().is_dirty());
    h.state_mut().execute(Command::UseLocatedAnyway);
    assert!(
        h.state().job.is_some(),
        "the annotations are placed on a worker"
    );
    // A note on one of its annotations while it runs: the edit built
    // without it (which re-adds the annotation as it was) is built again.
    let first = h
        .state()
        .ws
        .as_ref()
        .and_then(|w| w.project.annotations_of(BUZZ).next().map(|a| a.id))
        .expect("an annotation");
    h.state_mut()
        .execute(Command::SetNote(first, "checked by phone".to_owned()));
    wait_for_job(&mut h);
    let wb = h.state();
    let ws = wb.ws.as_ref().unwrap();
    assert!(
        matches!(ws.sources.get(&BUZZ), Some(SourceState::Changed(_))),
        "{:?}",
        wb.message
    );
    assert_eq!(ws.project.annotation_count(), count, "none lost");
    let noted = ws.project.annotation(first).expect("still there");
    assert_eq!(
        noted.note.as_deref(),
        Some("checked by phone"),
        "the edit made meanwhile is kept"
    );
    assert!(
        matches!(noted.review, Some(spanmark::model::Review::Moved { .. })),
        "and the annotation was placed again: {:?}",
        noted.review
    );
    assert_eq!(
        ws.project.document(BUZZ).map(|d| d.path.as_str()),
        Some("sources/dailybuzz-edited.txt")
    );
    assert_eq!(wb.history.undo_name(), Some("Locate file"));
    let said = ui_common::said(&h);
    assert!(said.starts_with("Located dailybuzz.txt"), "{said}");
}

#[test]
fn a_stopped_job_changes_nothing_and_a_stopped_save_replaces_nothing() {
    use spanmark::ui::dialogs::Picked;
    use spanmark::ui::workbench::JobKind;
    let (dir, file) = sample_copy();
    let notes = dir.path().join("sources/notes.txt");
    std::fs::write(&notes, "Notes from the quay.\n").unwrap();
    let mut h = harness(Some(&file), vec![Picked::Paths(vec![notes])]);
    h.state_mut().background_jobs = true;
    let docs = |h: &Harness<'_, Workbench>| {
        h.state()
            .ws
            .as_ref()
            .map_or(0, |w| w.project.documents().len())
    };
    let before = docs(&h);
    for command in [Command::AddSources, Command::ShowAgreement] {
        h.state_mut().execute(command);
        let kind = h.state().job.as_ref().map(|j| j.kind.clone());
        assert!(kind.as_ref().is_some_and(JobKind::can_stop), "{kind:?}");
        h.state_mut().execute(Command::StopJob);
        assert!(h.state().job.is_none());
        let said = ui_common::said(&h);
        assert!(
            said.starts_with("Stopped ") && said.ends_with("nothing changed."),
            "{said}"
        );
    }
    // Whatever the workers finish later is dropped, never applied.
    std::thread::sleep(Duration::from_millis(300));
    h.run();
    assert_eq!(docs(&h), before);
    assert!(h.state().merging.agreement.is_none());
    assert!(!h.state().is_dirty());
    // A save is waited for: it stops before the file is replaced, or it
    // had already replaced it and counts as done — never half of each.
    let doc = h.state().view.as_ref().expect("view").doc;
    let on_disk = std::fs::read(&file).unwrap();
    h.state_mut().execute(Command::SetStatus(doc, Status::Done));
    h.state_mut().execute(Command::Save);
    h.state_mut().execute(Command::StopJob);
    assert!(h.state().job.is_some(), "a save is waited for");
    wait_for_job(&mut h);
    let said = ui_common::said(&h);
    if said.starts_with("Not saved: the save was stopped") {
        assert!(h.state().is_dirty());
        assert_eq!(std::fs::read(&file).unwrap(), on_disk);
    } else {
        assert!(said.starts_with("Saved "), "{said}");
        assert!(!h.state().is_dirty());
        assert_ne!(std::fs::read(&file).unwrap(), on_disk);
    }
    // Either way the next save goes through (a stopped save left no
    // stale hash behind).
    h.state_mut().execute(Command::Save);
    wait_for_job(&mut h);
    assert!(!h.state().is_dirty(), "{}", ui_common::said(&h));
}

#[test]
fn a_stopped_big_undo_puts_its_step_back_and_changes_nothing() {
    let (_dir, mut h, imported) = with_a_big_import();
    h.state_mut().background_jobs = true;
    h.state_mut().execute(Command::Undo);
    assert!(h.state().job.is_some(), "the undo runs on a worker");
    h.state_mut().execute(Command::StopJob);
    assert!(
        h.state().job.is_some(),
        "waited for: the worker holds the step"
    );
    wait_for_job(&mut h);
    let said = ui_common::said(&h);
    assert_eq!(said, "Stopped undoing Import annotations; nothing changed.");
    assert_eq!(count(&h), imported);
    assert_eq!(h.state().history.undo_name(), Some("Import annotations"));
    assert_eq!(h.state().history.redo_name(), None);
    // The step is whole: undone and redone as usual afterwards.
    h.state_mut().background_jobs = false;
    h.state_mut().execute(Command::Undo);
    assert_eq!(count(&h), 15);
    h.state_mut().execute(Command::Redo);
    assert_eq!(count(&h), imported);
}
