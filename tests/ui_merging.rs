//! Merging and agreement through the real workbench: "Merge project…" from
//! the Project menu brings a colleague's copy in as one undoable step (its
//! new document's source copied into our folder); "Merge…" after a refused
//! save merges the version on disk three-way; the agreement window lists
//! the places authors differ and jumps to them.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod ui_common;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use spanmark::io::{Workspace, backup, project_file};
use spanmark::model::{AnnotationId, Edit};
use spanmark::ui::command::Command;
use spanmark::ui::dialogs::Picked;
use ui_common::{harness, sample_copy};

/// Bob's copy in its own folder: he tagged annotation 1's span
/// `unverified` instead of `claim` (a conflict), and has a document of his own.
fn bobs_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, file) = sample_copy();
    let notes = dir.path().join("sources/bob-notes.txt");
    std::fs::write(
        &notes,
        "Bob's interview notes: the harbour master confirmed two injuries.\n",
    )
    .unwrap();
    let mut ws = Workspace::open(&file).unwrap();
    let new = ws.prepare_document(&notes).unwrap();
    Edit::AddDocument {
        doc: Box::new(new.doc),
        index: 9,
    }
    .apply(&mut ws.project)
    .unwrap();
    let mut a = ws.project.annotation(AnnotationId(1)).unwrap().clone();
    a.id = ws.project.next_annotation_id();
    a.label = spanmark::model::LabelId::new("unverified");
    a.author = "Bob".into();
    // Bob thinks it is unverified, not a claim: his copy has only his.
    Edit::RemoveAnnotation(AnnotationId(1))
        .apply(&mut ws.project)
        .unwrap();
    Edit::AddAnnotation(Box::new(a))
        .apply(&mut ws.project)
        .unwrap();
    ws.save_as(&file).unwrap();
    (dir, file)
}

#[test]
fn merge_project_from_the_menu_is_one_undoable_step() {
    let (dir, file) = sample_copy();
    let (_bob_dir, bob) = bobs_copy();
    let mut h = harness(Some(&file), vec![Picked::Paths(vec![bob.clone()])]);
    let before = h.state().ws.as_ref().unwrap().project.annotation_count();
    h.get_by_role_and_label(Role::Button, "Project").click();
    h.run();
    h.get_by_label("Merge project…").click();
    h.run();
    let ws = h.state().ws.as_ref().unwrap();
    assert_eq!(ws.project.annotation_count(), before + 1);
    assert_eq!(ws.project.documents().len(), 4);
    let added = &ws.project.documents()[3];
    assert!(
        dir.path().join(&added.path).exists(),
        "source copied into our folder: {}",
        added.path
    );
    assert!(ws.text(added.id).is_some(), "and readable");
    let marked = ws
        .project
        .annotations()
        .filter(|a| a.conflict.is_some())
        .count();
    assert_eq!(marked, 2, "same span, two labels: both marked");
    h.get_by_label("Merge report");
    assert!(h.state().is_dirty());

    h.state_mut().push(Command::Undo);
    h.run();
    let ws = h.state().ws.as_ref().unwrap();
    assert_eq!(ws.project.annotation_count(), before);
    assert_eq!(ws.project.documents().len(), 3);
    assert!(ws.project.annotations().all(|a| a.conflict.is_none()));
}

#[test]
fn merge_with_the_version_on_disk_is_three_way_when_the_base_is_kept() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    h.state_mut()
        .execute(Command::SetNote(AnnotationId(1), "ours".into()));
    // A colleague's Spanmark saves over the file: it keeps the version we
    // opened in the history first, then deletes annotation 2.
    backup::keep_now(&file, spanmark::model::Timestamp(1_795_000_000)).unwrap();
    let mut theirs = project_file::load_file(&file).unwrap().project;
    Edit::RemoveAnnotation(AnnotationId(2))
        .apply(&mut theirs)
        .unwrap();
    project_file::save(&file, &theirs).unwrap();

    h.state_mut().push(Command::Save);
    h.run();
    h.get_by_role_and_label(Role::Button, "Merge…").click();
    h.run();
    let msg = h.state().message.clone().unwrap().text;
    assert!(msg.contains("three-way"), "{msg}");
    let p = &h.state().ws.as_ref().unwrap().project;
    assert!(
        p.annotation(AnnotationId(2)).is_none(),
        "their deletion counts"
    );
    assert_eq!(
        p.annotation(AnnotationId(1)).unwrap().note.as_deref(),
        Some("ours")
    );

    h.state_mut().push(Command::Save);
    h.run();
    assert!(!h.state().is_dirty(), "{:?}", h.state().message);
    let saved = Workspace::open(&file).unwrap().project;
    assert!(saved.annotation(AnnotationId(2)).is_none());
    assert_eq!(
        saved.annotation(AnnotationId(1)).unwrap().note.as_deref(),
        Some("ours")
    );
}

#[test]
fn the_agreement_window_jumps_to_a_disagreement() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    h.state_mut().push(Command::ShowAgreement);
    h.run();
    h.get_by_label("Agreement");
    h.get_by_label("Cohen's κ");
    h.get_by_label("Krippendorff's α");
    let first = h.state().merging.agreement.as_ref().unwrap().rows[0].clone();
    assert!(
        first.text.starts_with("meridian-ledger.txt 125–208 claim"),
        "{}",
        first.text
    );
    h.get_by_role_and_label(Role::Button, &first.text).click();
    h.run();
    assert_eq!(h.state().selected, first.target);
    assert_eq!(first.target, Some(AnnotationId(1)));

    // Unticking one of the two authors is refused: it takes two to agree.
    h.get_by_label("Ines Moreau").click();
    h.run();
    let msg = h.state().message.clone().unwrap().text;
    assert!(msg.contains("at least two"), "{msg}");
    assert_eq!(
        h.state()
            .merging
            .agreement
            .as_ref()
            .unwrap()
            .agreement
            .coders
            .len(),
        2
    );
}

#[test]
fn a_merge_runs_on_a_worker_and_is_merged_again_after_an_edit_made_meanwhile() {
    use spanmark::ui::workbench::JobKind;
    let (_dir, file) = sample_copy();
    let (_bob_dir, bob) = bobs_copy();
    let mut h = harness(Some(&file), vec![Picked::Paths(vec![bob.clone()])]);
    h.state_mut().background_jobs = true;
    let before = h.state().ws.as_ref().unwrap().project.annotation_count();
    h.state_mut().execute(Command::MergeProject);
    let kind = h.state().job.as_ref().map(|j| j.kind.clone());
    assert_eq!(kind, Some(JobKind::Merge(bob.clone())));
    let status = kind.and_then(|k| k.status()).unwrap();
    assert!(status.starts_with("Merging"), "{status}");
    // Tagged before the merge is picked up: the new annotation takes the
    // id the merge would have given Bob's, so the merge is computed again.
    if let Some(v) = h.state_mut().view.as_mut() {
        v.select(spanmark::model::CharRange::new(3, 9));
    }
    h.state_mut()
        .execute(Command::Tag(spanmark::model::LabelId::new("quote")));
    // The stale merge is not merged again on the UI thread: a second merge
    // job starts on a new snapshot with what the first one read.
    let first = h.state().job.as_ref().map(|j| j.started);
    let mut jobs = 1;
    let start = std::time::Instant::now();
    while let Some(started) = h.state().job.as_ref().map(|j| j.started) {
        assert!(start.elapsed().as_secs() < 60, "job never ended");
        if Some(started) != first && jobs == 1 {
            jobs += 1;
            let kind = h.state().job.as_ref().map(|j| j.kind.clone());
            assert_eq!(kind, Some(JobKind::Merge(bob.clone())));
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
    h.run();
    assert_eq!(jobs, 2);
    let ws = h.state().ws.as_ref().unwrap();
    assert_eq!(
        ws.project.annotation_count(),
        before + 2,
        "{:?}",
        h.state().message
    );
    assert_eq!(ws.project.documents().len(), 4);
    let marked = ws
        .project
        .annotations()
        .filter(|a| a.conflict.is_some())
        .count();
    assert_eq!(marked, 2);
    // One undo takes the merge back, the next the tag.
    h.state_mut().push(Command::Undo);
    h.run();
    assert_eq!(h.state().ws.as_ref().unwrap().project.documents().len(), 3);
    assert_eq!(
        h.state().ws.as_ref().unwrap().project.annotation_count(),
        before + 1
    );
    h.state_mut().push(Command::Undo);
    h.run();
    assert_eq!(
        h.state().ws.as_ref().unwrap().project.annotation_count(),
        before
    );
}

#[test]
fn the_agreement_is_computed_on_a_worker() {
    use spanmark::ui::workbench::JobKind;
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    h.state_mut().background_jobs = true;
    h.state_mut().execute(Command::ShowAgreement);
    let kind = h.state().job.as_ref().map(|j| j.kind.clone());
    assert_eq!(kind, Some(JobKind::Agreement));
    let status = kind.and_then(|k| k.status()).unwrap();
    assert!(status.starts_with("Computing the agreement"), "{status}");
    ui_common::wait_for_job(&mut h);
    h.get_by_label("Cohen's κ");
    let view = h.state().merging.agreement.as_ref().unwrap();
    assert_eq!(view.rows[0].target, Some(AnnotationId(1)));
}
