//! The Export… and Import annotations… windows driven through the real
//! workbench: export runs on a worker thread and ends with the fidelity
//! report; an import is one undoable step.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod ui_common;

use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use spanmark::io::Workspace;
use spanmark::io::export::Format;
use spanmark::io::import::ImportFormat;
use spanmark::model::{Edit, History, Project};
use spanmark::ui::Command;
use spanmark::ui::Workbench;
use ui_common::{harness, sample_copy};

fn wait_for_export(h: &mut egui_kittest::Harness<'_, Workbench>) {
    let start = Instant::now();
    while h.state().transfer.job.is_some() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "export did not finish"
        );
        std::thread::sleep(Duration::from_millis(20));
        h.run();
    }
    h.run();
}

#[test]
fn export_conll_and_spacy_from_the_window_shows_the_report() {
    let (dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    h.state_mut().push(Command::OpenExport);
    h.run();
    h.get_by_label("Format");
    for (format, name) in [
        (Format::Conll, "sample.conll"),
        (Format::Spacy, "spacy-out"),
    ] {
        let out = dir.path().join(name);
        h.state_mut().transfer.format = format;
        h.state_mut().transfer.out = out.display().to_string();
        h.state_mut().transfer.out_proposed_for = None;
        h.run();
        h.get_by_role_and_label(Role::Button, "Export").click();
        h.run();
        wait_for_export(&mut h);
        let report = h
            .state()
            .transfer
            .report
            .clone()
            .unwrap_or_else(|| panic!("a fidelity report; status: {:?}", h.state().message));
        assert!(out.exists(), "{name} written; {:?}", h.state().message);
        assert!(!report.is_empty());
        h.get_by_label_contains("Fidelity report");
    }
    // CoNLL cannot hold the nested claim inside the quote: the report says so.
    let conll = std::fs::read_to_string(dir.path().join("sample.conll")).unwrap();
    assert!(conll.contains("B-quote") && conll.contains("B-claim"));
    assert!(dir.path().join("spacy-out").is_dir());
}

/// The sample's annotations exported as doccano JSONL, and a project over
/// the same sources without any annotation: (folder, project, JSONL).
fn empty_project_and_export() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let (dir, file) = sample_copy();
    // Export the sample's annotations, then build an empty project over the same sources.
    let ws = Workspace::open(&file).unwrap();
    let texts = ws
        .sources
        .iter()
        .map(|(id, s)| (*id, s.text().unwrap().clone()))
        .collect();
    let opts = spanmark::io::export::ExportOptions::new(Format::DoccanoRel, "sample");
    let (files, _) =
        spanmark::io::export::export(&ws.project, &texts, &opts, Default::default()).unwrap();
    let jsonl = dir.path().join("pre.jsonl");
    std::fs::write(&jsonl, &files[0].bytes).unwrap();
    let empty_path = dir.path().join("empty.spanmark.ron");
    let mut empty = Workspace::new(Project::new("empty"));
    empty.path = Some(empty_path.clone());
    let mut history = History::new_unsaved();
    for d in ws.project.documents() {
        let new = empty.prepare_document(&dir.path().join(&d.path)).unwrap();
        let index = empty.project.documents().len();
        history
            .apply(
                &mut empty.project,
                "add",
                Edit::AddDocument {
                    doc: Box::new(new.doc),
                    index,
                },
            )
            .unwrap();
    }
    empty.save_as(&empty_path).unwrap();

    (dir, empty_path, jsonl)
}

#[test]
fn import_is_one_undoable_step() {
    let (_dir, empty_path, jsonl) = empty_project_and_export();
    let mut h = harness(Some(&empty_path), vec![]);
    h.state_mut().push(Command::OpenImport);
    h.run();
    h.state_mut().transfer.import_format = ImportFormat::Doccano;
    h.state_mut().transfer.import_file = jsonl.display().to_string();
    h.run();
    h.get_by_role_and_label(Role::Button, "Import").click();
    h.run();
    let count = |h: &egui_kittest::Harness<'_, Workbench>| {
        h.state().ws.as_ref().unwrap().project.annotation_count()
    };
    assert_eq!(count(&h), 15, "{:?}", h.state().message);
    assert!(
        h.state()
            .ws
            .as_ref()
            .unwrap()
            .project
            .annotations()
            .all(|a| a.origin.as_deref() == Some("doccano:pre.jsonl"))
    );
    assert!(h.state().transfer.import_report.is_some());
    h.state_mut().push(Command::Undo);
    h.run();
    assert_eq!(count(&h), 0);
}

#[test]
fn an_import_runs_on_a_worker_and_is_placed_again_after_an_edit_made_meanwhile() {
    use spanmark::ui::workbench::JobKind;
    let (_dir, empty_path, jsonl) = empty_project_and_export();
    let mut h = harness(Some(&empty_path), vec![]);
    h.state_mut().background_jobs = true;
    h.state_mut().transfer.import_format = ImportFormat::Doccano;
    h.state_mut().transfer.import_file = jsonl.display().to_string();
    h.state_mut().execute(Command::RunImport);
    let kind = h.state().job.as_ref().map(|j| j.kind.clone());
    assert!(
        matches!(&kind, Some(JobKind::Import(f, _)) if f == &jsonl),
        "{kind:?}"
    );
    let status = kind.and_then(|k| k.status()).expect("a status");
    assert!(status.starts_with("Importing annotations from"), "{status}");
    // Tagged before the job is picked up: the new annotation takes the id
    // the import planned to use, so the import is placed again on arrival.
    if let Some(v) = h.state_mut().view.as_mut() {
        v.select(spanmark::model::CharRange::new(3, 9));
    }
    h.state_mut()
        .execute(Command::Tag(spanmark::model::LabelId::new("quote")));
    ui_common::wait_for_job(&mut h);
    let count = |h: &egui_kittest::Harness<'_, Workbench>| {
        h.state().ws.as_ref().unwrap().project.annotation_count()
    };
    assert_eq!(count(&h), 16, "{:?}", h.state().message);
    assert!(h.state().transfer.import_report.is_some());
    // One undo takes the import back, the second the tag.
    h.state_mut().push(Command::Undo);
    h.run();
    assert_eq!(count(&h), 1);
    h.state_mut().push(Command::Undo);
    h.run();
    assert_eq!(count(&h), 0);
}
