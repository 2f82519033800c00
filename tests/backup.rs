//! Previous versions kept beside the project: time-spaced, bounded, the
//! newest never pruned, and a save keeps one automatically.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::string_slice,
    missing_docs
)]

mod common;

use spanmark::io::Workspace;
use spanmark::io::backup::{KEEP, SPACING_SECS, keep_previous, list};
use spanmark::model::Timestamp;

#[test]
fn versions_are_spaced_bounded_and_the_newest_kept() {
    let (_dir, path) = common::sample_copy();
    let t0 = 1_795_600_000;
    let first = keep_previous(&path, Timestamp(t0)).unwrap();
    assert!(first.is_some());
    // Within the spacing: no second copy.
    assert!(keep_previous(&path, Timestamp(t0 + 60)).unwrap().is_none());
    for i in 1..=(KEEP as i64 + 5) {
        std::fs::write(&path, format!("version {i}")).unwrap();
        keep_previous(&path, Timestamp(t0 + i * SPACING_SECS)).unwrap();
    }
    let kept = list(&path);
    assert_eq!(kept.len(), KEEP);
    let newest = std::fs::read_to_string(kept.last().unwrap()).unwrap();
    assert_eq!(newest, format!("version {}", KEEP + 5));
    assert!(!kept.contains(&first.unwrap()), "the oldest went first");
}

#[test]
fn saving_keeps_the_previous_version() {
    let (_dir, path) = common::sample_copy();
    let before = std::fs::read(&path).unwrap();
    let mut ws = Workspace::open(&path).unwrap();
    ws.project.name = "renamed".into();
    ws.save_as(&path).unwrap();
    let kept = list(&path);
    assert_eq!(kept.len(), 1);
    assert_eq!(std::fs::read(&kept[0]).unwrap(), before);
    // The previous version is a complete project that opens (from its folder
    // the sources are not found, but every annotation is there).
    let old = spanmark::io::project_file::load_file(&kept[0]).unwrap();
    assert_eq!(old.project.annotation_count(), 15);
}

/// Run in the project's own folder with a bare file name (`spanmark add
/// p.spanmark.ron …`), saving keeps the previous version like any other:
/// the empty parent path is the current folder.
#[test]
fn saving_by_bare_file_name_in_its_folder_keeps_the_previous_version() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "first source").unwrap();
    std::fs::write(dir.path().join("b.txt"), "second source").unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_spanmark"))
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["new", "p.spanmark.ron", "a.txt"]);
    run(&["add", "p.spanmark.ron", "b.txt"]);
    let kept = spanmark::io::backup::list(&dir.path().join("p.spanmark.ron"));
    assert_eq!(kept.len(), 1, "the version before `add` is kept");
}
