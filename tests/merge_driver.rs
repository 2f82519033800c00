//! `spanmark merge-driver` in a real `git merge` in a temporary repository:
//! concurrent edits that git alone would report as a textual conflict merge
//! cleanly; a real disagreement becomes a Spanmark conflict in a valid file.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::string_slice,
    missing_docs
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use spanmark::io::project_file;
use spanmark::model::{AnnotationId, CharRange, Edit, LabelId, Project, SourceText};

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs")
}

fn ok(dir: &Path, args: &[&str]) {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A repository holding the sample project, committed on `main`, with the
/// driver configured as the README says (or not).
fn repo(with_driver: bool) -> (tempfile::TempDir, PathBuf) {
    let (dir, project) = common::sample_copy();
    let d = dir.path();
    ok(d, &["init", "-q", "-b", "main"]);
    ok(d, &["config", "user.email", "test@example.org"]);
    ok(d, &["config", "user.name", "Test"]);
    if with_driver {
        std::fs::write(d.join(".gitattributes"), "*.spanmark.ron merge=spanmark\n").unwrap();
        let bin = env!("CARGO_BIN_EXE_spanmark");
        ok(
            d,
            &["config", "merge.spanmark.name", "Spanmark project merge"],
        );
        ok(
            d,
            &[
                "config",
                "merge.spanmark.driver",
                &format!("{bin} merge-driver %O %A %B"),
            ],
        );
    }
    ok(d, &["add", "-A"]);
    ok(d, &["commit", "-q", "-m", "sample"]);
    (dir, project)
}

fn load(path: &Path) -> Project {
    project_file::load_file(path).unwrap().project
}

fn text(dir: &Path, name: &str) -> SourceText {
    SourceText::new(std::fs::read_to_string(dir.join("sources").join(name)).unwrap())
}

/// Adds a span of `needle` and saves.
fn annotate(path: &Path, doc: u32, source: &str, needle: &str, label: &str, who: &str) {
    let mut p = load(path);
    let t = text(path.parent().unwrap(), source);
    let byte = t.as_str().find(needle).unwrap();
    let start = t.as_str()[..byte].chars().count();
    let range = CharRange::new(start, start + needle.chars().count());
    let mut a = common::annotation(p.next_annotation_id().0, doc, &t, range, label);
    a.author = who.into();
    Edit::AddAnnotation(Box::new(a)).apply(&mut p).unwrap();
    project_file::save(path, &p).unwrap();
}

fn edit(path: &Path, e: Edit) {
    let mut p = load(path);
    e.apply(&mut p).unwrap();
    project_file::save(path, &p).unwrap();
}

/// Alice and Bob work on branches: both add a span in the same paragraph
/// (same new id, neighbouring lines), one retags, the other edits a note.
fn concurrent_edits(d: &Path, project: &Path) {
    ok(d, &["checkout", "-q", "-b", "bob"]);
    annotate(
        project,
        1,
        "meridian-ledger.txt",
        "north quay",
        "claim",
        "bob",
    );
    edit(
        project,
        Edit::SetNote {
            id: AnnotationId(7),
            note: Some("Checked against the fire service.".into()),
            at: spanmark::model::Timestamp(1_795_900_000),
        },
    );
    ok(d, &["commit", "-q", "-am", "bob"]);
    ok(d, &["checkout", "-q", "main"]);
    annotate(
        project,
        1,
        "meridian-ledger.txt",
        "grain warehouse",
        "claim",
        "alice",
    );
    edit(
        project,
        Edit::Retag {
            id: AnnotationId(8),
            label: LabelId::new("claim"),
            at: spanmark::model::Timestamp(1_795_900_000),
        },
    );
    ok(d, &["commit", "-q", "-am", "alice"]);
}

#[test]
fn git_alone_reports_a_textual_conflict_for_these_edits() {
    let (dir, project) = repo(false);
    concurrent_edits(dir.path(), &project);
    let out = git(dir.path(), &["merge", "-q", "--no-edit", "bob"]);
    assert!(
        !out.status.success(),
        "the baseline must conflict textually"
    );
}

#[test]
fn the_driver_merges_concurrent_edits_cleanly() {
    let (dir, project) = repo(true);
    concurrent_edits(dir.path(), &project);
    let out = git(dir.path(), &["merge", "-q", "--no-edit", "bob"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let p = load(&project); // the real loader: valid RON, no markers
    assert_eq!(p.annotation_count(), 17);
    assert!(p.annotations().all(|a| a.conflict.is_none()));
    let ids: std::collections::BTreeSet<_> = p.annotations().map(|a| a.id).collect();
    assert_eq!(ids.len(), 17, "ids stay unique");
    assert!(
        p.annotations()
            .any(|a| a.anchor.quote == "north quay" && a.author == "bob")
    );
    assert!(
        p.annotations()
            .any(|a| a.anchor.quote == "grain warehouse" && a.author == "alice")
    );
    assert_eq!(
        p.annotation(AnnotationId(8)).unwrap().label,
        LabelId::new("claim")
    );
    assert_eq!(
        p.annotation(AnnotationId(7)).unwrap().note.as_deref(),
        Some("Checked against the fire service.")
    );
    let status = git(dir.path(), &["status", "--porcelain"]);
    assert!(
        status.stdout.is_empty(),
        "clean tree: {}",
        String::from_utf8_lossy(&status.stdout)
    );
}

#[test]
fn a_real_disagreement_becomes_a_spanmark_conflict_not_broken_ron() {
    let (dir, project) = repo(true);
    let d = dir.path();
    ok(d, &["checkout", "-q", "-b", "bob"]);
    edit(
        &project,
        Edit::Retag {
            id: AnnotationId(9),
            label: LabelId::new("unverified"),
            at: spanmark::model::Timestamp(1_795_900_000),
        },
    );
    ok(d, &["commit", "-q", "-am", "bob"]);
    ok(d, &["checkout", "-q", "main"]);
    edit(
        &project,
        Edit::Retag {
            id: AnnotationId(9),
            label: LabelId::new("claim"),
            at: spanmark::model::Timestamp(1_795_900_000),
        },
    );
    ok(d, &["commit", "-q", "-am", "alice"]);
    let out = git(d, &["merge", "-q", "--no-edit", "bob"]);
    assert!(!out.status.success(), "git stops so the analyst reviews");
    let text = std::fs::read_to_string(&project).unwrap();
    assert!(!text.contains("<<<<<<<"), "no textual markers");
    let p = load(&project);
    let nine: Vec<_> = p
        .annotations()
        .filter(|a| a.anchor.quote.starts_with("“It was like a bomb"))
        .collect();
    assert_eq!(nine.len(), 2, "both versions kept");
    let labels: std::collections::BTreeSet<_> = nine.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(labels, ["claim", "unverified"].into());
    assert!(
        nine.iter()
            .all(|a| a.conflict.as_deref().unwrap().contains("both branches"))
    );
}
