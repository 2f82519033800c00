//! Conflicts on disk and previous versions, through the real workbench:
//! a save refused because a colleague changed the file offers "Save ours as
//! a copy…", "Merge…" and "Overwrite" (confirmed twice, theirs kept); the
//! window regaining focus over a changed file says so; "Open previous
//! version…" lists the backups and opens one as a copy.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod ui_common;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use spanmark::io::Workspace;
use spanmark::io::backup;
use spanmark::model::AnnotationId;
use spanmark::ui::command::Command;
use spanmark::ui::dialogs::Picked;
use ui_common::{harness, sample_copy};

fn theirs(file: &std::path::Path) -> String {
    let t = std::fs::read_to_string(file)
        .unwrap()
        .replace("Port Aldren warehouse fire", "Port Aldren fire (theirs)");
    std::fs::write(file, &t).unwrap();
    t
}

fn theirs_again(file: &std::path::Path) -> String {
    let t = std::fs::read_to_string(file).unwrap().replace(
        "Port Aldren fire (theirs)",
        "Port Aldren fire (theirs, again)",
    );
    std::fs::write(file, &t).unwrap();
    t
}

#[test]
fn a_refused_save_offers_copy_merge_and_a_confirmed_overwrite() {
    let (dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    h.state_mut()
        .execute(Command::SetNote(AnnotationId(1), "ours".into()));
    let their_text = theirs(&file);
    h.state_mut().push(Command::Save);
    h.run();
    assert!(h.state().is_dirty());
    h.get_by_label("The project file changed on disk");
    h.get_by_role_and_label(Role::Button, "Save ours as a copy…");
    h.get_by_role_and_label(Role::Button, "Merge…").click();
    h.run();
    let msg = h.state().message.clone().unwrap().text;
    assert!(msg.starts_with("Merged"), "{msg}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), their_text);
    assert!(h.state().is_dirty(), "merged, not saved yet");
    h.get_by_label("Merge report");

    // They save again: this time overwrite.
    let their_text = theirs_again(&file);
    h.state_mut().push(Command::Save);
    h.run();
    h.get_by_role_and_label(Role::Button, "Overwrite").click();
    h.run();
    // The first press only asks.
    assert_eq!(std::fs::read_to_string(&file).unwrap(), their_text);
    h.get_by_role_and_label(Role::Button, "Overwrite their version")
        .click();
    h.run();
    assert!(!h.state().is_dirty(), "{:?}", h.state().message);
    let saved = Workspace::open(&file).unwrap();
    assert_eq!(
        saved
            .project
            .annotation(AnnotationId(1))
            .unwrap()
            .note
            .as_deref(),
        Some("ours")
    );
    let kept: Vec<String> = backup::list(&file)
        .iter()
        .map(|b| std::fs::read_to_string(b).unwrap())
        .collect();
    assert!(
        kept.contains(&their_text),
        "their version is kept as a backup"
    );
    drop(dir);
}

#[test]
fn save_ours_as_a_copy_leaves_their_file_alone() {
    let (dir, file) = sample_copy();
    let copy = dir.path().join("mine.spanmark.ron");
    let mut h = harness(Some(&file), vec![Picked::Paths(vec![copy.clone()])]);
    h.state_mut()
        .execute(Command::SetNote(AnnotationId(1), "ours".into()));
    let their_text = theirs(&file);
    h.state_mut().push(Command::Save);
    h.run();
    h.get_by_role_and_label(Role::Button, "Save ours as a copy…")
        .click();
    h.run();
    assert!(!h.state().is_dirty());
    assert!(h.state().safety.conflict.is_none());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), their_text);
    let mine = Workspace::open(&copy).unwrap();
    assert_eq!(
        mine.project
            .annotation(AnnotationId(1))
            .unwrap()
            .note
            .as_deref(),
        Some("ours")
    );
}

/// Gives the window focus (or takes it away) and runs a frame.
fn focus(h: &mut egui_kittest::Harness<'_, spanmark::ui::Workbench>, on: bool) {
    h.input_mut().focused = on;
    h.run();
}

/// The status bar says the project file changed on disk.
fn says_changed_on_disk(h: &egui_kittest::Harness<'_, spanmark::ui::Workbench>) {
    let msg = h.state().message.clone().unwrap();
    assert!(
        msg.text.contains("changed on disk by someone else"),
        "{}",
        msg.text
    );
}

#[test]
fn regaining_focus_over_a_changed_file_says_so() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    focus(&mut h, true);
    assert!(!h.state().message.clone().is_some_and(|m| m.error));
    focus(&mut h, false);
    theirs(&file);
    focus(&mut h, true);
    says_changed_on_disk(&h);
}

/// With background jobs on (as in the app), the file is read on another
/// thread and the message arrives a few frames later; a file still at the
/// version last seen is not read at all.
#[test]
fn regaining_focus_checks_the_file_on_another_thread() {
    let (_dir, file) = sample_copy();
    let mut h = harness(Some(&file), vec![]);
    h.state_mut().background_jobs = true;
    focus(&mut h, true);
    // Our own save: the version is remembered, so regaining focus over it
    // reads nothing and says nothing.
    h.state_mut().push(Command::Save);
    h.run();
    ui_common::wait_for_job(&mut h);
    assert!(h.state().ws.as_ref().unwrap().disk_seen.is_some());
    focus(&mut h, false);
    focus(&mut h, true);
    assert!(!h.state().message.clone().is_some_and(|m| m.error));
    // Their save replaces the file: read on a thread, then said.
    focus(&mut h, false);
    theirs(&file);
    h.input_mut().focused = true;
    let start = std::time::Instant::now();
    while !h.state().message.clone().is_some_and(|m| m.error) {
        assert!(start.elapsed().as_secs() < 30, "never said");
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
    says_changed_on_disk(&h);
}

#[test]
fn previous_versions_are_listed_and_open_as_a_copy() {
    let (dir, file) = sample_copy();
    let original = std::fs::read_to_string(&file).unwrap();
    let mut h = harness(Some(&file), vec![]);
    h.state_mut()
        .execute(Command::SetNote(AnnotationId(1), "second".into()));
    h.state_mut().execute(Command::Save);
    assert_eq!(backup::list(&file).len(), 1);
    h.state_mut().push(Command::ShowPreviousVersions);
    h.run();
    h.get_by_label("Previous versions");
    h.get_all_by_role_and_label(Role::Button, "Open")
        .next()
        .unwrap()
        .click();
    h.run();
    let ws = h.state().ws.as_ref().unwrap();
    let opened = ws.path.clone().unwrap();
    let name = opened.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("harbour-fire (version "), "{name}");
    assert_eq!(opened.parent(), Some(dir.path()));
    assert!(
        ws.problems.is_empty(),
        "its sources resolve: {:?}",
        ws.problems
    );
    assert_eq!(std::fs::read_to_string(&opened).unwrap(), original);
    let current = Workspace::open(&file).unwrap();
    assert_eq!(
        current
            .project
            .annotation(AnnotationId(1))
            .unwrap()
            .note
            .as_deref(),
        Some("second"),
        "the project itself is unchanged"
    );
}
