//! Lock files beside open projects: who has it open, a second opener's
//! choices (read-only, a copy, take over), stale locks from this host, and
//! the lock going away on close.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod ui_common;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use spanmark::io::lock::{self, LockError, ProjectLock};
use spanmark::model::{AnnotationId, Timestamp};
use spanmark::ui::command::Command;
use ui_common::{harness, sample_copy};

#[test]
fn the_lock_file_names_who_has_the_project_open_and_goes_on_drop() {
    let (_dir, file) = sample_copy();
    let l = ProjectLock::acquire(&file, Timestamp(1_795_600_000)).unwrap();
    let path = lock::lock_path(&file);
    assert_eq!(path.file_name().unwrap(), "harbour-fire.spanmark.lock");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(&format!("pid: {}\n", std::process::id())),
        "{text}"
    );
    assert!(text.contains(&format!("host: {}\n", lock::host_name())));
    assert!(text.contains("since: 2026-11-25T09:46:40Z\n"), "{text}");
    assert!(text.contains("user: "));
    // A second opener (even in this process) is told who.
    match ProjectLock::acquire(&file, Timestamp(0)) {
        Err(e @ LockError::Held { .. }) => {
            let m = e.to_string();
            assert!(m.starts_with("this project is open by "), "{m}");
            assert!(m.contains(&lock::host_name()) && m.contains("since 2026-11-25 09:46:40 UTC"));
        }
        other => panic!("{other:?}"),
    }
    drop(l);
    assert!(!path.exists());
}

#[test]
fn a_stale_lock_from_this_host_is_replaced_but_not_one_from_another_host() {
    let (_dir, file) = sample_copy();
    let path = lock::lock_path(&file);
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let text = |host: &str| {
        format!("user: ines\nhost: {host}\npid: {dead}\nsince: 2026-11-20T09:00:00Z\n")
    };
    std::fs::write(&path, text(&lock::host_name())).unwrap();
    let l = ProjectLock::acquire(&file, Timestamp(0)).unwrap();
    let now = std::fs::read_to_string(&path).unwrap();
    assert!(now.contains(&format!("pid: {}\n", std::process::id())));
    drop(l);
    std::fs::write(&path, text("someone-elses-laptop")).unwrap();
    let err = ProjectLock::acquire(&file, Timestamp(0)).unwrap_err();
    assert!(
        err.to_string()
            .contains("open by ines on someone-elses-laptop since 2026-11-20 09:00:00 UTC"),
        "{err}"
    );
    // A half-written lock (its writer died at once) is not a holder.
    std::fs::write(&path, "").unwrap();
    assert!(ProjectLock::acquire(&file, Timestamp(0)).is_ok());
}

#[test]
fn a_second_window_may_open_read_only_a_copy_or_take_over() {
    let (dir, file) = sample_copy();
    let path = lock::lock_path(&file);
    let mut first = harness(Some(&file), vec![]);
    assert!(path.exists(), "the first window holds the lock");

    let mut second = harness(Some(&file), vec![]);
    assert!(second.state().ws.is_none(), "asks first");
    second.get_by_label("This project is open elsewhere");
    second
        .get_by_role_and_label(Role::Button, "Open read-only")
        .click();
    second.run();
    let ws = second.state().ws.as_ref().unwrap();
    let why = ws.read_only.clone().unwrap();
    assert!(why.starts_with("open by "), "{why}");
    second
        .state_mut()
        .execute(Command::SetNote(AnnotationId(1), "theirs".into()));
    second.state_mut().execute(Command::Save);
    let msg = second.state().message.clone().unwrap().text;
    assert!(msg.contains("read-only (open by "), "{msg}");

    // Let the read-only look go without saving.
    second.state_mut().history = spanmark::model::History::new_saved();
    second.state_mut().execute(Command::OpenPath(file.clone()));
    second.run();
    second
        .get_by_role_and_label(Role::Button, "Open a copy")
        .click();
    second.run();
    let copy = dir.path().join("harbour-fire (copy).spanmark.ron");
    assert_eq!(
        second.state().ws.as_ref().unwrap().path.as_deref(),
        Some(copy.as_path())
    );
    assert!(lock::lock_path(&copy).exists(), "the copy is locked by us");

    second.state_mut().execute(Command::OpenPath(file.clone()));
    second.run();
    second
        .get_by_role_and_label(Role::Button, "Take over")
        .click();
    second.run();
    assert_eq!(
        second.state().ws.as_ref().unwrap().path.as_deref(),
        Some(file.as_path())
    );
    assert!(second.state().ws.as_ref().unwrap().read_only.is_none());
    assert!(
        !lock::lock_path(&copy).exists(),
        "the copy's lock went with it"
    );
    // The first window closing does not remove the lock it lost.
    first.state_mut().execute(Command::CloseProject);
    first.run();
    assert!(path.exists());
    second.state_mut().execute(Command::CloseProject);
    assert!(!path.exists(), "closing removes the lock");
}
