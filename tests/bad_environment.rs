//! The bad-input table, environment rows: a 2 GB project or import file, a
//! read-only folder, a read-only target, a full disk, and no file dialog.
//! Each checks the message the analyst sees, that the file on disk is
//! untouched, and that the unsaved work is still in the app.
//!
//! The disk-full and read-only-folder cases need a real limit: the test
//! re-runs itself in a child process inside a 2 MiB tmpfs (`unshare -rm`),
//! or under `ulimit -f` with SIGXFSZ ignored; as root (who ignores folder
//! permissions) the read-only folder case runs as `nobody` (`setpriv`).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;
mod ui_common;

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use spanmark::io::{LoadError, SaveError, Workspace};
use spanmark::model::AnnotationId;
use spanmark::ui::command::Command;
use spanmark::ui::dialogs::{Picked, ScriptedDialogs};
use spanmark::ui::{Prefs, Workbench};

/// Set in a child process: the folder the child's scenario works in.
const CHILD_DIR: &str = "SPANMARK_TEST_CHILD_DIR";

fn temp_names(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".spanmark-tmp"))
        .collect()
}

fn copy_sample_into(dir: &Path) -> PathBuf {
    let from = common::sample_path();
    let from = from.parent().unwrap();
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    for e in std::fs::read_dir(from.join("sources")).unwrap().flatten() {
        std::fs::copy(e.path(), dir.join("sources").join(e.file_name())).unwrap();
    }
    let file = dir.join("harbour-fire.spanmark.ron");
    std::fs::copy(common::sample_path(), &file).unwrap();
    file
}

fn workbench() -> Workbench {
    let prefs = Prefs {
        author: "Test Analyst".into(),
        ..Prefs::default()
    };
    let mut wb = Workbench::new(Box::new(ScriptedDialogs::new([])), prefs);
    wb.background_jobs = false; // Saves finish inside the command.
    wb
}

/// Re-runs test `name` of this binary as `wrapper... <binary> name`, with
/// [`CHILD_DIR`] set to `dir`; returns its success and output.
fn rerun(name: &str, wrapper: &[&str], dir: &Path) -> (bool, String) {
    let exe = std::env::current_exe().unwrap();
    let out = Process::new(wrapper[0])
        .args(&wrapper[1..])
        .arg(&exe)
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_DIR, dir)
        .output();
    match out {
        Ok(o) => (
            o.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ),
        ),
        Err(e) => (false, e.to_string()),
    }
}

/// The disk-full scenario, run inside the limited folder: a 3 MB note makes
/// the new file too big; the save must fail in plain words, leave the old
/// file and no temporary file, and keep the work unsaved in the workbench.
fn disk_full_scenario(dir: &Path) {
    let file = copy_sample_into(dir);
    let before = std::fs::read(&file).unwrap();
    let mut wb = workbench();
    wb.open_project(&file);
    let big = "unsaved work ".repeat(250_000);
    wb.execute(Command::SetNote(AnnotationId(1), big.clone()));
    assert!(wb.is_dirty());
    wb.execute(Command::Save);
    let msg = wb.message.clone().unwrap();
    println!("save message: {}", msg.text);
    assert!(msg.error);
    assert!(
        msg.text.contains("no space left on the disk")
            || msg.text.contains("refused a file this large"),
        "{}",
        msg.text
    );
    assert!(msg.text.contains("the previous version was kept"));
    assert!(msg.text.ends_with(&file.display().to_string()));
    assert_eq!(std::fs::read(&file).unwrap(), before, "old file intact");
    assert_eq!(temp_names(dir), Vec::<String>::new(), "no temp file left");
    let history = dir.join(".spanmark-history");
    if history.is_dir() {
        assert_eq!(temp_names(&history), Vec::<String>::new());
    }
    assert!(wb.is_dirty(), "still unsaved");
    let note = wb
        .ws
        .as_ref()
        .and_then(|w| w.project.annotation(AnnotationId(1)))
        .and_then(|a| a.note.clone());
    assert_eq!(
        note.as_deref(),
        Some(big.as_str()),
        "the unsaved note is still there"
    );
    println!("DISK-FULL-SCENARIO-PASSED");
}

#[test]
fn disk_full_save_fails_cleanly_and_keeps_the_work() {
    if let Some(dir) = std::env::var_os(CHILD_DIR) {
        disk_full_scenario(Path::new(&dir));
        return;
    }
    let name = "disk_full_save_fails_cleanly_and_keeps_the_work";
    let mount = tempfile::tempdir().unwrap();
    let script = "mount -t tmpfs -o size=2m spanmark-test \"$0\" && exec \"$@\"";
    let m = mount.path().to_str().unwrap();
    let (ok, out) = rerun(
        name,
        &["unshare", "-rm", "sh", "-c", script, m],
        mount.path(),
    );
    if ok && out.contains("DISK-FULL-SCENARIO-PASSED") {
        println!("disk full via a 2 MiB tmpfs (unshare -rm): ok\n{out}");
        return;
    }
    eprintln!("unshare -rm + tmpfs unavailable or failed, trying ulimit -f:\n{out}");
    let work = tempfile::tempdir().unwrap();
    // 256 blocks (128–256 KiB): the old file (7 KB) fits, the new (3 MB) not.
    let script = "ulimit -f 256 && trap '' XFSZ && exec \"$@\"";
    let (ok, out) = rerun(name, &["sh", "-c", script, "sh"], work.path());
    if out.contains("DISK-FULL-SCENARIO-PASSED") {
        assert!(ok, "{out}");
        println!("disk full via ulimit -f: ok\n{out}");
        return;
    }
    assert!(
        !out.contains("panicked"),
        "the disk-full scenario failed:\n{out}"
    );
    eprintln!(
        "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
         !!! SKIPPED: neither `unshare -rm` + tmpfs nor `ulimit -f` works here !!!\n\
         !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n{out}"
    );
}

/// The read-only folder scenario: the project file may be written but the
/// folder not, so no temporary file (and no backup) can be made there.
fn read_only_folder_scenario(dir: &Path) {
    let file = dir.join("harbour-fire.spanmark.ron");
    let before = std::fs::read(&file).unwrap();
    let mut wb = workbench();
    wb.open_project(&file);
    wb.execute(Command::SetNote(AnnotationId(1), "mine".into()));
    wb.execute(Command::Save);
    let msg = wb.message.clone().unwrap();
    println!("save message: {}", msg.text);
    assert_eq!(
        msg.text,
        format!(
            "Not saved: you may not write in this folder, so nothing was saved; the previous \
             version was kept (use Save As to save somewhere else): {}",
            file.display()
        )
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);
    assert!(wb.is_dirty());
    println!("READ-ONLY-FOLDER-SCENARIO-PASSED");
}

#[cfg(unix)]
#[test]
fn read_only_folder_refuses_the_save_in_plain_words() {
    use std::os::unix::fs::PermissionsExt;
    if let Some(dir) = std::env::var_os(CHILD_DIR) {
        read_only_folder_scenario(Path::new(&dir));
        return;
    }
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("shared");
    let file = copy_sample_into(&dir);
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| {
        use std::os::unix::fs::MetadataExt;
        m.uid() == 0
    });
    if root {
        // Root ignores permissions: run the scenario as `nobody`, who may
        // write the project file but not the folder.
        std::fs::set_permissions(outer.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::os::unix::fs::chown(&file, Some(65534), Some(65534)).unwrap();
        let data = tempfile::tempdir().unwrap();
        std::fs::set_permissions(data.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let name = "read_only_folder_refuses_the_save_in_plain_words";
        let wrapper = [
            "env",
            &format!("HOME={}", data.path().display()),
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
        ];
        let (ok, out) = rerun(name, &wrapper, &dir);
        assert!(
            ok && out.contains("READ-ONLY-FOLDER-SCENARIO-PASSED"),
            "{out}"
        );
    } else {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        read_only_folder_scenario(&dir);
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn read_only_target_is_not_overwritten_and_the_work_stays() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, file) = common::sample_copy();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&file).unwrap();
    let mut wb = workbench();
    wb.open_project(&file);
    wb.execute(Command::SetNote(AnnotationId(1), "mine".into()));
    wb.execute(Command::Save);
    assert_eq!(
        wb.message.clone().unwrap().text,
        format!(
            "Not saved: the file is read-only, so it was not overwritten: {}",
            file.display()
        )
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);
    assert!(wb.is_dirty());
    assert!(temp_names(dir.path()).is_empty());
}

#[test]
fn two_gigabyte_project_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.spanmark.ron");
    std::fs::File::create(&file)
        .unwrap()
        .set_len(2 * 1024 * 1024 * 1024) // sparse: no disk used
        .unwrap();
    let err = Workspace::open(&file).unwrap_err();
    assert!(matches!(err, LoadError::TooLarge { .. }));
    assert_eq!(
        err.to_string(),
        format!(
            "the project file is 2147483648 bytes, over the 536870912-byte limit: {}",
            file.display()
        )
    );
}

#[test]
fn two_gigabyte_import_file_is_refused_without_reading_it() {
    let (_dir, path) = common::sample_copy();
    let mut ws = Workspace::open(&path).unwrap();
    let big = path.with_file_name("huge.jsonl");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(2 * 1024 * 1024 * 1024)
        .unwrap();
    let mut history = spanmark::model::History::new_saved();
    let opts = spanmark::io::import::ImportOptions {
        format: spanmark::io::import::ImportFormat::Doccano,
        add_documents: false,
        author: "t".into(),
        now: spanmark::model::Timestamp(0),
    };
    let err = spanmark::io::import::import_file(&mut ws, &mut history, &big, &opts).unwrap_err();
    assert!(
        err.to_string()
            .contains("the file is 2147483648 bytes, over the 536870912-byte limit for an import"),
        "{err}"
    );
    assert!(err.to_string().ends_with(&big.display().to_string()));
}

#[test]
fn save_error_messages_name_the_cause_and_end_with_the_path() {
    let p = PathBuf::from("/x/p.spanmark.ron");
    for (errno, expect) in [
        (28, "no space left on the disk"),
        (122, "no space left on the disk"), // EDQUOT
        (27, "refused a file this large"),
        (13, "you may not write in this folder"),
        (30, "you may not write in this folder"), // EROFS
    ] {
        let e = SaveError::io("write", std::io::Error::from_raw_os_error(errno), p.clone());
        let m = e.to_string();
        assert!(
            m.contains(expect) && m.ends_with("/x/p.spanmark.ron"),
            "{errno}: {m}"
        );
    }
}

#[test]
fn unavailable_dialog_offers_an_in_app_path_field_for_save_as() {
    let (dir, file) = ui_common::sample_copy();
    let mut h = ui_common::harness(Some(&file), vec![Picked::Unavailable]);
    h.state_mut()
        .execute(Command::SetNote(AnnotationId(1), "kept".into()));
    h.state_mut().push(Command::SaveAs);
    h.run();
    let prompt = h.state().path_prompt.clone().expect("a path field instead");
    assert_eq!(
        prompt.text,
        file.display().to_string(),
        "proposes the current path"
    );
    let copy = dir.path().join("copy.spanmark.ron");
    if let Some(p) = h.state_mut().path_prompt.as_mut() {
        p.text = copy.display().to_string();
    }
    h.run();
    {
        use egui_kittest::kittest::Queryable;
        h.get_by_role_and_label(egui::accesskit::Role::Button, "OK")
            .click();
    }
    h.run();
    assert!(!h.state().is_dirty());
    let back = Workspace::open(&copy).unwrap();
    assert_eq!(
        back.project
            .annotation(AnnotationId(1))
            .and_then(|a| a.note.clone())
            .as_deref(),
        Some("kept")
    );
}
