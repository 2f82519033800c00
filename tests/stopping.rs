//! Long work reports how far it got and stops when asked: placing
//! annotations again, opening, saving, single-file copies, importing,
//! the agreement and locating a file. A stopped piece of work ends with its
//! own "stopped" error and leaves files and project as they were; one
//! nobody stops reports its phases and ends at 100 %.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::path::Path;

use spanmark::io::Workspace;
use spanmark::io::error::{LoadError, PackError, SaveError, SourceError};
use spanmark::io::import::place::plan_import_with;
use spanmark::io::import::{ImportError, ImportFormat, ImportOptions};
use spanmark::model::reanchor::{PLACING, place_all, place_all_with};
use spanmark::model::{Annotation, DocumentId, Progress, SourceText, Stopped};

/// A progress report that was stopped before the work began.
fn stopped() -> Progress {
    let p = Progress::new();
    p.stop();
    p
}

/// The sample copied, with its ledger changed so every annotation after
/// the inserted line has moved.
fn changed_sample() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, path) = common::sample_copy();
    let src = dir.path().join("sources/meridian-ledger.txt");
    let text = std::fs::read_to_string(&src).unwrap();
    std::fs::write(&src, format!("Update: figures corrected.\n\n{text}")).unwrap();
    (dir, path)
}

/// Every file name in `dir` (sorted), to see nothing was left behind.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn placing_again_reports_its_phases_and_stops_when_asked() {
    let ws = Workspace::open(&common::sample_path()).unwrap();
    let old = ws.text(DocumentId(1)).unwrap().as_str().to_owned();
    let new = SourceText::new(format!("Update: figures corrected.\n\n{old}"));
    let anns: Vec<&Annotation> = ws.project.annotations_of(DocumentId(1)).collect();
    let progress = Progress::new();
    let placed = place_all_with(&new, &anns, &progress).unwrap();
    assert_eq!(placed, place_all(&new, &anns));
    assert_eq!(progress.phase_name(), Some(PLACING));
    assert_eq!(progress.fraction(), Some(1.0));
    assert_eq!(place_all_with(&new, &anns, &stopped()), Err(Stopped));
    // Nothing moved: nothing to search, so nothing to stop either.
    let same = SourceText::new(old);
    assert!(place_all_with(&same, &anns, &stopped()).is_ok());
}

#[test]
fn a_stopped_open_ends_with_stopped_and_an_unstopped_one_opens() {
    let (_dir, path) = changed_sample();
    let err = Workspace::open_with(&path, &stopped()).unwrap_err();
    assert!(matches!(err, LoadError::Stopped { .. }), "{err}");
    assert!(err.to_string().ends_with(&path.display().to_string()));
    let progress = Progress::new();
    let ws = Workspace::open_with(&path, &progress).unwrap();
    assert!(ws.changed_on_open);
    assert_eq!(ws.reanchored.len(), 6);
    assert_eq!(
        progress.phase_name(),
        Some(spanmark::io::workspace::CHECKING)
    );
}

#[test]
fn a_stopped_save_leaves_the_file_and_the_folder_as_they_were() {
    let (dir, path) = common::sample_copy();
    let mut ws = Workspace::open(&path).unwrap();
    let before = std::fs::read(&path).unwrap();
    let files = names(dir.path());
    ws.project.name = "Renamed before a stopped save".into();
    // Over its own file (checked against the disk, backed up) …
    let err = ws.save_as_with(&path, &stopped()).unwrap_err();
    assert!(matches!(err, SaveError::Stopped { .. }), "{err}");
    // … and to a new file in the same folder.
    let other = dir.path().join("copy.spanmark.ron");
    let err = ws.save_as_with(&other, &stopped()).unwrap_err();
    assert!(matches!(err, SaveError::Stopped { .. }), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(names(dir.path()), files, "no temporary file or copy left");
    assert_eq!(ws.path.as_deref(), Some(path.as_path()));
    // Not stopped, the same save goes through.
    ws.save_as_with(&path, &Progress::new()).unwrap();
    let again = Workspace::open(&path).unwrap();
    assert_eq!(again.project.name, "Renamed before a stopped save");
}

#[test]
fn a_stopped_single_file_copy_writes_nothing() {
    let (dir, path) = common::sample_copy();
    let mut ws = Workspace::open(&path).unwrap();
    let out = dir.path().join("single.spanmark.ron");
    let err = spanmark::io::pack::pack_to_with(&mut ws, &out, &stopped()).unwrap_err();
    assert!(
        matches!(err, PackError::Save(SaveError::Stopped { .. })),
        "{err}"
    );
    assert!(!out.exists());
    assert!(!ws.packed);
}

#[test]
fn a_stopped_import_ends_with_stopped() {
    let (dir, path) = common::sample_copy();
    let ws = Workspace::open(&path).unwrap();
    let file = dir.path().join("in.jsonl");
    std::fs::write(
        &file,
        "{\"text\": \"A harbour fire.\", \"label\": [[2, 9, \"claim\"]]}\n",
    )
    .unwrap();
    let opts = ImportOptions {
        format: ImportFormat::Doccano,
        add_documents: true,
        author: "tester".into(),
        now: spanmark::io::project_file::timestamp::now(),
    };
    let err = plan_import_with(&ws, &file, &opts, &stopped()).unwrap_err();
    assert!(matches!(err, ImportError::Stopped { .. }), "{err}");
    let progress = Progress::new();
    let planned = plan_import_with(&ws, &file, &opts, &progress).unwrap();
    let (edit, _, report) = planned.into_parts();
    assert!(edit.is_some());
    assert_eq!(report.placed, 1);
    assert_eq!(
        progress.phase_name(),
        Some(spanmark::io::import::place::PLACING)
    );
}

#[test]
fn a_stopped_agreement_ends_with_stopped() {
    let ws = Workspace::open(&common::sample_path()).unwrap();
    let stopped_run = spanmark::io::agreement::by_author_with(&ws, None, &stopped());
    assert_eq!(stopped_run.map(|_| ()), Err(Stopped));
    let progress = Progress::new();
    let done = spanmark::io::agreement::by_author_with(&ws, None, &progress).unwrap();
    assert_eq!(done, spanmark::io::agreement::by_author(&ws, None));
    assert_eq!(progress.fraction(), Some(1.0));
}

#[test]
fn a_stopped_relink_copies_nothing_into_the_project() {
    let (dir, path) = common::sample_copy();
    let ws = Workspace::open(&path).unwrap();
    // A changed copy of the ledger outside the project folder.
    let outside = tempfile::tempdir().unwrap();
    let text = ws.text(DocumentId(1)).unwrap().as_str().to_owned();
    let file = outside.path().join("ledger-new.txt");
    std::fs::write(&file, format!("Update: figures corrected.\n\n{text}")).unwrap();
    let c = spanmark::io::locate::candidate(&ws, DocumentId(1), &file).unwrap();
    assert!(!c.same);
    let sources = names(&dir.path().join("sources"));
    let err = spanmark::io::locate::relink_with(&ws, c.clone(), &stopped()).unwrap_err();
    assert_eq!(err, SourceError::Stopped);
    assert_eq!(names(&dir.path().join("sources")), sources);
    let relink = spanmark::io::locate::relink_with(&ws, c, &Progress::new()).unwrap();
    assert!(relink.copied_to.is_some());
}

#[test]
fn a_stopped_extraction_leaves_the_project_single_file() {
    let (dir, path) = common::sample_copy();
    let mut ws = Workspace::open(&path).unwrap();
    let packed = dir.path().join("single.spanmark.ron");
    spanmark::io::pack::pack_to(&mut ws, &packed).unwrap();
    let mut single = Workspace::open(&packed).unwrap();
    assert!(single.packed);
    let out = tempfile::tempdir().unwrap();
    let err =
        spanmark::io::pack::unpack_with(&mut single, out.path(), false, &stopped()).unwrap_err();
    assert!(
        matches!(err, PackError::Save(SaveError::Stopped { .. })),
        "{err}"
    );
    assert!(single.packed);
    assert_eq!(single.path.as_deref(), Some(packed.as_path()));
    assert!(names(out.path()).is_empty(), "{:?}", names(out.path()));
}

#[test]
fn a_stopped_merge_ends_with_stopped_and_an_unstopped_one_is_the_plain_merge() {
    use spanmark::model::merge::{COMBINING, merge_into, merge_into_with};
    use spanmark::model::merge3::{merge3, merge3_with};
    let ours = Workspace::open(&common::sample_path()).unwrap();
    // Theirs: every annotation relabelled and one more note, so the merge
    // has work on every annotation.
    let mut theirs = ours.project.clone();
    let ids: Vec<_> = theirs.annotations().map(|a| a.id).collect();
    for id in ids {
        let mut a = theirs.annotation(id).unwrap().clone();
        a.author = "Bob".into();
        a.note = Some("Bob's reading".into());
        spanmark::model::Edit::RemoveAnnotation(id)
            .apply(&mut theirs)
            .unwrap();
        spanmark::model::Edit::AddAnnotation(Box::new(a))
            .apply(&mut theirs)
            .unwrap();
    }
    let texts = |d| ours.text(d).cloned();
    let stopped_run = merge_into_with(&ours.project, &theirs, "Bob", &texts, &stopped());
    assert!(matches!(stopped_run, Err(Stopped)));
    let progress = Progress::new();
    let done = merge_into_with(&ours.project, &theirs, "Bob", &texts, &progress).unwrap();
    let plain = merge_into(&ours.project, &theirs, "Bob", &texts);
    assert_eq!(done.edit, plain.edit);
    assert!(done.report.collapsed > 0, "{:?}", done.report);
    assert_eq!(progress.phase_name(), Some(COMBINING));
    // Three-way: the same, with the first version as the base.
    let base = ours.project.clone();
    assert!(merge3_with(&base, &ours.project, &theirs, &stopped()).is_err());
    let three = merge3_with(&base, &ours.project, &theirs, &Progress::new()).unwrap();
    assert_eq!(three.project, merge3(&base, &ours.project, &theirs).project);
}
