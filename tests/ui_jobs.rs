//! Opening and saving on worker threads: the window keeps drawing, a
//! cancelled open leaves nothing behind, and a save works on the project as
//! it was when it started — edits made meanwhile stay unsaved.

// Tests may panic on broken fixtures: that is how they fail.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod ui_common;

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use spanmark::io::Workspace;
use spanmark::model::{AnnotationId, Status};
use spanmark::ui::{Command, Workbench};
use ui_common::{harness, sample_copy};

/// Draws frames until the running job is done (the UI thread only polls).
fn wait_for_job(h: &mut Harness<'_, Workbench>) {
    let start = Instant::now();
    while h.state().job.is_some() {
        assert!(start.elapsed() < Duration::from_secs(60), "job never ended");
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    h.run();
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
    let first = h
        .state()
        .ws
        .as_ref()
        .and_then(|w| w.project.annotations().next().map(|a| a.id))
        .expect("an annotation");
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
    let first = |h: &Harness<'_, Workbench>| {
        h.state()
            .ws
            .as_ref()
            .and_then(|w| w.project.annotations().next().map(|a| a.id))
            .expect("an annotation")
    };
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
