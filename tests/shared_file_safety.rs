//! A project received from someone else can never make Spanmark write
//! anywhere but where the analyst saves (the read side is in
//! tests/bad_inputs.rs and tests/bad_sources.rs). Every case below writes
//! nothing outside the chosen folder, never blocks, and is refused in plain
//! words naming the place.
//!
//! | case | test |
//! |---|---|
//! | unpack/extract a document stored as `../x`, `/abs/x`, `a/../../x`, `sources/nul.txt` | `unpack_refuses_stored_paths_that_leave_the_folder` |
//! | unpack into a subfolder that is a symlink leading outside | `unpack_refuses_a_symlinked_subfolder_leading_outside` |
//! | unpack onto a file that is a symlink leading outside (even with `--force`) | `unpack_refuses_a_symlinked_file_leading_outside` |
//! | unpack onto an existing FIFO, a link to `/dev/null`, or a FIFO as the project file | `unpack_refuses_a_fifo_or_device_in_the_way` |
//! | `spanmark unpack` with an escaping path: exit 1, one plain line naming the path | `cli_unpack_refuses_with_a_clear_message` |
//! | Save As (relocation) with sources stored as `../x`, `/abs/x`, `a/../../x` | `save_as_never_copies_a_refused_source` |
//! | Save As into a folder whose `sources` is a symlink leading outside | `save_as_refuses_a_sources_link_leading_outside` |
//! | Save As where `sources/NAME` is a FIFO or a link leading outside | `save_as_copies_past_a_fifo_or_link_in_sources` |
//! | Save As onto a FIFO or `/dev/null` | `save_as_refuses_a_fifo_or_device_target` |
//! | a `.spanmark-history` folder that is a symlink leading outside | `save_refuses_a_history_folder_leading_outside` |
//! | a lock file that is a FIFO or a link to a file outside; a FIFO as the project file | `fifo_or_link_lock_files_and_project_files_never_block` |
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::os::unix::fs::{FileTypeExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use spanmark::io::pack::unpack;
use spanmark::io::source::sha256_hex;
use spanmark::io::{PackError, SaveError, Workspace};

const TEXT: &str = "hello\n";

/// Runs `f` on a thread and fails the test if it has not finished within a
/// minute (a FIFO opened by mistake would block forever).
fn never_blocks<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("blocked: a FIFO or device was opened")
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

/// A single-file project at `dir/NAME` whose one document is stored as
/// `stored` and carries [`TEXT`].
fn packed(dir: &Path, stored: &str) -> PathBuf {
    let path = dir.join("received.spanmark.ron");
    let text = format!(
        "(\n    format_version: 1,\n    offset_unit: \"unicode_scalar_value\",\n    name: \"received\",\n    \
         documents: [\n        (id: 1, name: \"x.txt\", path: {stored:?}, sha256: \"{}\", byte_len: 6, \
         encoding: \"UTF-8\", newline: \"lf\", char_len: 6),\n    ],\n    \
         embedded_sources: [\n        (doc: 1, text: \"hello\\n\"),\n    ],\n    annotations: [],\n)\n",
        sha256_hex(TEXT.as_bytes())
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// Every file under `dir`, relative, sorted (links listed, not followed).
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn unpack_refuses_stored_paths_that_leave_the_folder() {
    let base = tempfile::tempdir().unwrap();
    let inbox = base.path().join("inbox");
    let out = base.path().join("out");
    std::fs::create_dir(&inbox).unwrap();
    let abs = base.path().join("abs-x");
    for stored in [
        "../x",
        abs.to_str().unwrap(),
        "a/../../x",
        "sources/nul.txt",
    ] {
        let project = packed(&inbox, stored);
        let mut ws = Workspace::open(&project).unwrap();
        assert!(ws.packed);
        let err = unpack(&mut ws, &out, true).unwrap_err();
        assert!(matches!(err, PackError::BadPath { .. }), "{stored}: {err}");
        assert!(err.to_string().contains(stored), "{err}");
        assert!(err.to_string().contains("nothing was written"), "{err}");
        assert!(ws.packed, "the project is left as it was");
    }
    assert!(!base.path().join("x").exists());
    assert!(!abs.exists());
    assert_eq!(files_under(&out), Vec::<String>::new());
}

#[test]
fn unpack_refuses_a_symlinked_subfolder_leading_outside() {
    let base = tempfile::tempdir().unwrap();
    let outside = base.path().join("outside");
    let out = base.path().join("out");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    symlink(&outside, out.join("sources")).unwrap();
    let project = packed(base.path(), "sources/x.txt");
    let mut ws = Workspace::open(&project).unwrap();
    let err = unpack(&mut ws, &out, true).unwrap_err();
    assert!(matches!(err, PackError::Escapes { .. }), "{err}");
    assert!(err.to_string().ends_with("sources"), "{err}");
    assert_eq!(files_under(&outside), Vec::<String>::new());
    // A deeper link is caught too.
    std::fs::remove_file(out.join("sources")).unwrap();
    std::fs::create_dir(out.join("sources")).unwrap();
    symlink(&outside, out.join("sources/deep")).unwrap();
    let project = packed(base.path(), "sources/deep/x.txt");
    let mut ws = Workspace::open(&project).unwrap();
    assert!(matches!(
        unpack(&mut ws, &out, true),
        Err(PackError::Escapes { .. })
    ));
    assert_eq!(files_under(&outside), Vec::<String>::new());
}

#[test]
fn unpack_refuses_a_symlinked_file_leading_outside() {
    let base = tempfile::tempdir().unwrap();
    let victim = base.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let out = base.path().join("out");
    std::fs::create_dir_all(out.join("sources")).unwrap();
    symlink(&victim, out.join("sources/x.txt")).unwrap();
    let project = packed(base.path(), "sources/x.txt");
    let mut ws = Workspace::open(&project).unwrap();
    let err = unpack(&mut ws, &out, true).unwrap_err();
    assert!(matches!(err, PackError::Escapes { .. }), "{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    // The project file's place is checked the same way.
    std::fs::remove_file(out.join("sources/x.txt")).unwrap();
    symlink(&victim, out.join("received.spanmark.ron")).unwrap();
    let err = unpack(&mut ws, &out, true).unwrap_err();
    assert!(matches!(err, PackError::Escapes { .. }), "{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(!out.join("sources/x.txt").exists(), "nothing written");
}

#[test]
fn unpack_refuses_a_fifo_or_device_in_the_way() {
    let base = tempfile::tempdir().unwrap();
    let out = base.path().join("out");
    std::fs::create_dir_all(out.join("sources")).unwrap();
    mkfifo(&out.join("sources/x.txt"));
    let project = packed(base.path(), "sources/x.txt");
    let (o, p) = (out.clone(), project.clone());
    let err = never_blocks(move || {
        let mut ws = Workspace::open(&p).unwrap();
        unpack(&mut ws, &o, true).unwrap_err().to_string()
    });
    assert!(err.contains("not a regular file"), "{err}");
    // A link to a device is a link leading outside.
    std::fs::remove_file(out.join("sources/x.txt")).unwrap();
    symlink("/dev/null", out.join("sources/x.txt")).unwrap();
    let mut ws = Workspace::open(&project).unwrap();
    assert!(matches!(
        unpack(&mut ws, &out, true),
        Err(PackError::Escapes { .. })
    ));
    // A FIFO where the project file goes.
    std::fs::remove_file(out.join("sources/x.txt")).unwrap();
    mkfifo(&out.join("received.spanmark.ron"));
    let (o, p) = (out.clone(), project.clone());
    let err = never_blocks(move || {
        let mut ws = Workspace::open(&p).unwrap();
        unpack(&mut ws, &o, true).unwrap_err().to_string()
    });
    assert!(err.contains("not a regular file"), "{err}");
    assert!(!out.join("sources/x.txt").exists(), "nothing written");
}

#[test]
fn cli_unpack_refuses_with_a_clear_message() {
    let base = tempfile::tempdir().unwrap();
    let inbox = base.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let project = packed(&inbox, "../../escaped.txt");
    let out = base.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args([
            "unpack".as_ref(),
            project.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("\"../../escaped.txt\" leaves the project folder"),
        "{stderr}"
    );
    assert!(!base.path().join("escaped.txt").exists());
    assert!(!base.path().parent().unwrap().join("escaped.txt").exists());
}

/// A (not packed) project in `dir` with one document stored as `stored`.
fn project_with_source(dir: &Path, stored: &str) -> PathBuf {
    let path = dir.join("p.spanmark.ron");
    let text = format!(
        "(\n    format_version: 1,\n    offset_unit: \"unicode_scalar_value\",\n    name: \"p\",\n    \
         documents: [\n        (id: 1, name: \"x.txt\", path: {stored:?}, sha256: \"{}\", byte_len: 6, \
         encoding: \"UTF-8\", newline: \"lf\", char_len: 6),\n    ],\n    annotations: [],\n)\n",
        sha256_hex(TEXT.as_bytes())
    );
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn save_as_never_copies_a_refused_source() {
    let base = tempfile::tempdir().unwrap();
    let inbox = base.path().join("inbox");
    let target = base.path().join("saved");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::create_dir_all(&target).unwrap();
    // The files those paths name exist: they must still not be read or copied.
    std::fs::write(base.path().join("x"), TEXT).unwrap();
    let abs = base.path().join("abs-x");
    std::fs::write(&abs, TEXT).unwrap();
    for stored in ["../x", abs.to_str().unwrap(), "a/../../x"] {
        let project = project_with_source(&inbox, stored);
        let mut ws = Workspace::open(&project).unwrap();
        assert!(ws.text(ws.project.documents()[0].id).is_none(), "{stored}");
        let saved = target.join("p.spanmark.ron");
        ws.save_as(&saved).unwrap();
        assert_eq!(ws.project.documents()[0].path, stored, "kept as it was");
        assert_eq!(files_under(&target), vec!["p.spanmark.ron".to_owned()]);
        std::fs::remove_file(&saved).unwrap();
    }
}

#[test]
fn save_as_refuses_a_sources_link_leading_outside() {
    let base = tempfile::tempdir().unwrap();
    let home = base.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut ws = Workspace::open(&{
        std::fs::create_dir_all(home.join("sources")).unwrap();
        std::fs::write(home.join("sources/x.txt"), TEXT).unwrap();
        project_with_source(&home, "sources/x.txt")
    })
    .unwrap();
    let received = base.path().join("received");
    let outside = base.path().join("outside");
    std::fs::create_dir_all(&received).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    symlink(&outside, received.join("sources")).unwrap();
    let saved = received.join("p.spanmark.ron");
    let err = ws.save_as(&saved).unwrap_err();
    assert!(matches!(err, SaveError::Escapes { .. }), "{err}");
    assert!(err.to_string().ends_with("sources"), "{err}");
    assert_eq!(files_under(&outside), Vec::<String>::new());
    assert!(!saved.exists(), "nothing saved half-way");
}

#[test]
fn save_as_copies_past_a_fifo_or_link_in_sources() {
    let base = tempfile::tempdir().unwrap();
    let home = base.path().join("home");
    std::fs::create_dir_all(home.join("sources")).unwrap();
    std::fs::write(home.join("sources/x.txt"), TEXT).unwrap();
    let project = project_with_source(&home, "sources/x.txt");
    let received = base.path().join("received");
    std::fs::create_dir_all(received.join("sources")).unwrap();
    mkfifo(&received.join("sources/x.txt"));
    let victim = base.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    symlink(&victim, received.join("sources/x-2.txt")).unwrap();
    let saved = received.join("p.spanmark.ron");
    let s = saved.clone();
    let stored = never_blocks(move || {
        let mut ws = Workspace::open(&project).unwrap();
        ws.save_as(&s).unwrap();
        ws.project.documents()[0].path.clone()
    });
    assert_eq!(stored, "sources/x-3.txt");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(
        std::fs::read_to_string(received.join("sources/x-3.txt")).unwrap(),
        TEXT
    );
    let reopened = Workspace::open(&saved).unwrap();
    assert!(reopened.problems.is_empty(), "{:?}", reopened.problems);
}

#[test]
fn save_as_refuses_a_fifo_or_device_target() {
    let (dir, file) = common::sample_copy();
    let fifo = dir.path().join("fifo.spanmark.ron");
    mkfifo(&fifo);
    let f = fifo.clone();
    let err = never_blocks(move || {
        let mut ws = Workspace::open(&file).unwrap();
        let fifo_err = ws.save_as(&f).unwrap_err().to_string();
        let dev_err = ws.save_as(Path::new("/dev/null")).unwrap_err().to_string();
        (fifo_err, dev_err)
    });
    assert!(
        err.0.contains("not a regular file") && err.0.ends_with("fifo.spanmark.ron"),
        "{}",
        err.0
    );
    assert!(
        err.1.contains("not a regular file") && err.1.ends_with("/dev/null"),
        "{}",
        err.1
    );
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device(),
        "/dev/null is still the device"
    );
}

#[test]
fn save_refuses_a_history_folder_leading_outside() {
    let (dir, file) = common::sample_copy();
    let outside = tempfile::tempdir().unwrap();
    symlink(outside.path(), dir.path().join(".spanmark-history")).unwrap();
    let mut ws = Workspace::open(&file).unwrap();
    let err = ws.save_as(&file).unwrap_err();
    assert!(matches!(err, SaveError::Escapes { .. }), "{err}");
    assert_eq!(files_under(outside.path()), Vec::<String>::new());
}

#[test]
fn fifo_or_link_lock_files_and_project_files_never_block() {
    let (dir, file) = common::sample_copy();
    let lock = dir.path().join("harbour-fire.spanmark.lock");
    mkfifo(&lock);
    let f = file.clone();
    let held = never_blocks(move || {
        spanmark::io::lock::ProjectLock::acquire(&f, spanmark::model::Timestamp(1_800_000_000))
            .is_ok()
    });
    assert!(held, "the FIFO is not a lock: it is replaced by a real one");
    // A link to a file elsewhere is not read as a lock either.
    let _ = std::fs::remove_file(&lock);
    let secret = tempfile::NamedTempFile::new().unwrap();
    // Shaped like a lock, so reading it would show.
    std::fs::write(
        secret.path(),
        "user: mallory\nhost: elsewhere\npid: 1\nsince: 2026-01-01T00:00:00Z\n",
    )
    .unwrap();
    symlink(secret.path(), &lock).unwrap();
    assert!(spanmark::io::lock::holder_of(&file).is_none());
    // A dangling link is replaced too, not taken for someone's lock.
    std::fs::remove_file(&lock).unwrap();
    symlink(dir.path().join("nowhere"), &lock).unwrap();
    let f = file.clone();
    assert!(never_blocks(move || {
        spanmark::io::lock::ProjectLock::acquire(&f, spanmark::model::Timestamp(1_800_000_000))
            .is_ok()
    }));
    assert!(
        !dir.path().join("nowhere").exists(),
        "nothing written through the link"
    );
    // A FIFO named like a project is refused without blocking.
    let fifo = dir.path().join("fifo.spanmark.ron");
    mkfifo(&fifo);
    let err = never_blocks(move || Workspace::open(&fifo).unwrap_err().to_string());
    assert!(err.contains("not a regular file"), "{err}");
}
