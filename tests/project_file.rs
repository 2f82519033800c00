//! Project files: save→load identity, byte-identical re-saves, atomic
//! writes, and the sample project.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::string_slice,
    missing_docs
)]

mod common;

use proptest::prelude::*;
use spanmark::io::project_file::{self, parse, to_ron_string};
use spanmark::io::{SaveError, Workspace};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn save_then_load_is_identity((mut project, _texts) in common::any_project()) {
        project.authors = project.all_authors();
        let text = to_ron_string(&project).unwrap();
        let parsed = parse(&text).unwrap();
        prop_assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        prop_assert_eq!(&parsed.project, &project);
        // Same project, same bytes.
        prop_assert_eq!(to_ron_string(&parsed.project).unwrap(), text.clone());
        // One annotation per line: every annotation line parses on its own.
        let lines = text.lines().filter(|l| l.trim_start().starts_with("(id: ") && l.contains(" label: ")).count();
        prop_assert_eq!(lines, project.annotation_count());
        prop_assert!(!text.contains('\r'));
    }
}

#[test]
fn sample_project_loads_clean_and_is_canonical() {
    let path = common::sample_path();
    let ws = Workspace::open(&path).unwrap();
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    assert_eq!(ws.project.documents().len(), 3);
    assert!(ws.project.annotation_count() >= 12);
    // It has an overlap, a CRLF source, an emoji and Greek.
    let overlapping = ws.project.annotations().any(|a| {
        ws.project
            .annotations_overlapping(a.doc, a.range)
            .any(|b| b.id != a.id)
    });
    assert!(overlapping);
    assert!(
        ws.project
            .documents()
            .iter()
            .any(|d| d.newline == spanmark::model::Newline::CrLf)
    );
    assert!(
        ws.project
            .annotations()
            .any(|a| a.anchor.quote.contains('🚑'))
    );
    assert!(
        ws.project
            .annotations()
            .any(|a| a.anchor.quote.contains('φ'))
    );
    // The committed file is exactly what Spanmark writes.
    let on_disk = std::fs::read_to_string(&path).unwrap();
    let canonical = to_ron_string(&ws.project).unwrap();
    if std::env::var_os("SPANMARK_BLESS").is_some() {
        std::fs::write(&path, &canonical).unwrap();
    }
    assert_eq!(
        on_disk, canonical,
        "run with SPANMARK_BLESS=1 to rewrite the sample"
    );
}

#[test]
fn resave_is_byte_identical() {
    let (_dir, path) = common::sample_copy();
    let before = std::fs::read(&path).unwrap();
    let mut ws = Workspace::open(&path).unwrap();
    ws.save_as(&path).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // No temporary file is left behind.
    let stray = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("spanmark-tmp")
        })
        .count();
    assert_eq!(stray, 0);
}

#[cfg(unix)]
#[test]
fn save_keeps_permissions_and_refuses_read_only_targets() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, path) = common::sample_copy();
    let ws = Workspace::open(&path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    project_file::save(&path, &ws.project).unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );

    let fresh = path.with_file_name("fresh.spanmark.ron");
    project_file::save(&fresh, &ws.project).unwrap();
    assert_eq!(
        std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777,
        0o644
    );

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut changed = ws.project.clone();
    changed.name = "changed".into();
    let err = project_file::save(&path, &changed).unwrap_err();
    assert!(matches!(err, SaveError::ReadOnly { .. }), "{err}");
    assert!(err.to_string().ends_with(&path.display().to_string()));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn save_through_a_symlink_replaces_the_target_and_keeps_the_link() {
    let (_dir, path) = common::sample_copy();
    let ws = Workspace::open(&path).unwrap();
    let link = path.with_file_name("link.spanmark.ron");
    std::os::unix::fs::symlink(&path, &link).unwrap();
    let mut changed = ws.project.clone();
    changed.name = "via link".into();
    project_file::save(&link, &changed).unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(std::fs::read_to_string(&path).unwrap().contains("via link"));
}

#[test]
fn stray_temp_files_are_cleaned_on_open() {
    let (_dir, path) = common::sample_copy();
    let stray = path.with_file_name(".harbour-fire.spanmark.ron.spanmark-tmpAbC123");
    std::fs::write(&stray, "half a proj").unwrap();
    Workspace::open(&path).unwrap();
    assert!(!stray.exists());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The fast line reader and ron agree on everything Spanmark writes.
    #[test]
    fn fast_reader_agrees_with_ron((project, _texts) in common::any_project()) {
        let text = to_ron_string(&project).unwrap();
        let reference = spanmark::io::project_file::read::parse_with_ron_only(&text).unwrap();
        let (_, lines) = spanmark::io::project_file::fast_lines::split(&text).unwrap_or_default();
        let fast: Vec<_> = lines.iter().map(|l| spanmark::io::project_file::fast_lines::annotation(l).unwrap().into_v1()).collect();
        prop_assert_eq!(fast, reference.annotations);
    }
}

#[test]
fn hand_edited_lines_fall_back_to_ron() {
    let text = std::fs::read_to_string(common::sample_path()).unwrap();
    // Reordered fields, extra spaces and a comment: not canonical, still valid RON.
    let edited = text.replacen(
        "(id: 1, doc: 1, start: 125, end: 208,",
        "( doc: 1,  id: 1, start: 125, end: 208, // moved\n",
        1,
    );
    let parsed = parse(&edited).unwrap();
    let reference = parse(&text).unwrap();
    assert_eq!(parsed.project, reference.project);
}

#[test]
fn save_as_into_another_folder_keeps_sources_reachable() {
    let (dir, path) = common::sample_copy();
    let mut ws = Workspace::open(&path).unwrap();
    // Another folder: the sources lie outside it, so they are copied in.
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("moved.spanmark.ron");
    ws.save_as(&target).unwrap();
    let reopened = Workspace::open(&target).unwrap();
    assert!(reopened.problems.is_empty(), "{:?}", reopened.problems);
    assert!(
        elsewhere
            .path()
            .join("sources/meridian-ledger.txt")
            .exists()
    );
    // Saving into a parent folder refers to the same files by a longer path.
    let mut ws = Workspace::open(&path).unwrap();
    let up = dir
        .path()
        .join("sources")
        .join("..")
        .join("up.spanmark.ron");
    ws.save_as(&up).unwrap();
    assert!(Workspace::open(&up).unwrap().problems.is_empty());
    // And into a subfolder: copies inside it, nothing written outside.
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let mut ws = Workspace::open(&path).unwrap();
    ws.save_as(&sub.join("p.spanmark.ron")).unwrap();
    let reopened = Workspace::open(&sub.join("p.spanmark.ron")).unwrap();
    assert!(reopened.problems.is_empty(), "{:?}", reopened.problems);
    assert!(
        reopened
            .project
            .documents()
            .iter()
            .all(|d| d.path.starts_with("sources/"))
    );
}

#[test]
fn saving_over_a_file_changed_by_someone_else_is_refused() {
    let (dir, path) = common::sample_copy();
    let mut ws = Workspace::open(&path).unwrap();
    ws.project.name = "ours".into();
    // A colleague saves their version meanwhile.
    let theirs = std::fs::read_to_string(&path)
        .unwrap()
        .replace("Port Aldren warehouse fire", "theirs");
    std::fs::write(&path, &theirs).unwrap();
    assert!(ws.changed_on_disk());
    let err = ws.save_as(&path).unwrap_err();
    assert!(matches!(err, SaveError::ChangedOnDisk { .. }), "{err}");
    assert!(err.to_string().contains("Save As"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        theirs,
        "their file is untouched"
    );
    // Ours can go beside it; after that, saving there again works.
    let copy = dir.path().join("ours.spanmark.ron");
    ws.save_as(&copy).unwrap();
    ws.save_as(&copy).unwrap();
    assert!(!ws.changed_on_disk());
}

/// A save remembers the version it wrote, so the next save or check skips
/// reading the file while it is unchanged; a colleague's rewrite in place,
/// of the same size and with the modification time set back, is still
/// noticed.
#[cfg(unix)]
#[test]
fn a_rewrite_in_place_after_our_save_is_noticed() {
    let (_dir, path) = common::sample_copy();
    let mut ws = Workspace::open(&path).unwrap();
    ws.project.name = "ours".into();
    ws.save_as(&path).unwrap();
    assert!(ws.disk_seen.is_some());
    assert!(!ws.changed_on_disk());
    ws.save_as(&path).unwrap();
    let ours = std::fs::read_to_string(&path).unwrap();
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(30));
    let theirs = ours.replace("name: \"ours\"", "name: \"them\"");
    assert_eq!(theirs.len(), ours.len());
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&path)
        .unwrap();
    std::io::Write::write_all(&mut f, theirs.as_bytes()).unwrap();
    f.set_modified(mtime).unwrap();
    drop(f);
    assert!(ws.changed_on_disk());
    let err = ws.save_as(&path).unwrap_err();
    assert!(matches!(err, SaveError::ChangedOnDisk { .. }), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
}

/// Big projects are written on two threads (the second half appended):
/// every annotation appears once, in key order, and reads back the same.
#[test]
fn big_project_is_written_in_key_order() {
    use spanmark::model::{CharRange, Project, SourceText, label::default_labels};
    let text = SourceText::new("word ".repeat(5_000));
    let labels = ["claim", "quote", "unverified"];
    let annotations: Vec<_> = (0..25_001u64)
        .map(|i| {
            let start = usize::try_from(i * 37 % 24_000).unwrap();
            let range = CharRange::new(start, start + 1 + usize::try_from(i % 9).unwrap());
            common::annotation(
                i + 1,
                1,
                &text,
                range,
                labels[usize::try_from(i % 3).unwrap()],
            )
        })
        .collect();
    let docs = vec![common::document_for(1, "a.txt", text.as_str())];
    let (project, _) = Project::from_parts(
        "big".into(),
        Vec::new(),
        docs,
        default_labels(),
        annotations,
    );
    let ron = to_ron_string(&project).unwrap();
    let written: Vec<u64> = ron
        .lines()
        .filter(|l| l.contains(", quote: "))
        .filter_map(|l| l.trim_start().strip_prefix("(id: "))
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    let in_order: Vec<u64> = project.annotations().map(|a| a.id.0).collect();
    assert!(written == in_order, "annotation lines out of key order");
    let back = parse(&ron).unwrap().project;
    assert!(
        back.annotations().eq(project.annotations()),
        "annotations read back differ"
    );

    // Big files are also read in two halves: a hand-edited line in the
    // second half sends the whole file through ron, with the same result;
    // unreadable values in both halves are reported in file order.
    let last = *written.last().unwrap();
    let edited = ron.replacen(
        &format!("(id: {last}, doc: 1,"),
        &format!("(doc: 1,  id: {last},"),
        1,
    );
    let back = parse(&edited).unwrap().project;
    assert!(
        back.annotations().eq(project.annotations()),
        "ron fallback differs"
    );
    let (early, late) = (written[5], written[written.len() - 5]);
    let mut broken = ron.clone();
    for id in [early, late] {
        let at = broken.find(&format!("(id: {id}, doc: 1,")).unwrap();
        let created = at + broken[at..].find("created: \"").unwrap() + "created: \"".len();
        broken.replace_range(created..created + 4, "year");
    }
    let problems: Vec<String> = parse(&broken)
        .unwrap()
        .problems
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].contains(&format!("#{early}")) && problems[1].contains(&format!("#{late}")),
        "{problems:?}"
    );
}
