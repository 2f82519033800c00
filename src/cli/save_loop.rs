//! `spanmark debug-save-loop PROJECT` (hidden): saves a project over and
//! over through the app's own save path, for the kill -9 test
//! (`tests/save_kill_loop.sh`).
//!
//! Invariant: the project alternates between exactly two states, A and B —
//! annotation #1's note is `save-loop A` or `save-loop B`, with a fixed
//! modification time — so the file on disk must always be byte-identical to
//! one of them, whenever the process is killed.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::Failure;
use crate::io::Workspace;
use crate::model::{AnnotationId, Edit, Timestamp};

/// The note of state A.
pub const STATE_A: &str = "save-loop A";
/// The note of state B.
pub const STATE_B: &str = "save-loop B";

/// Opens `path` (cleaning what a killed save left), then `count` times (or
/// forever) flips annotation #1's note between the two states and saves.
pub fn save_loop(path: &Path, count: Option<u64>) -> Result<ExitCode, Failure> {
    let mut ws = Workspace::open(path).map_err(|e| Failure::new(2, e))?;
    let id = ws
        .project
        .annotations()
        .next()
        .map(|a| a.id)
        .unwrap_or(AnnotationId(1));
    let mut done = 0u64;
    while count.is_none_or(|c| done < c) {
        let current = ws.project.annotation(id).and_then(|a| a.note.clone());
        let next = if current.as_deref() == Some(STATE_A) {
            STATE_B
        } else {
            STATE_A
        };
        let edit = Edit::SetNote {
            id,
            note: Some(next.to_owned()),
            at: Timestamp(1_800_000_000),
        };
        edit.apply(&mut ws.project)
            .map_err(|e| Failure::new(1, e))?;
        ws.save_as(path).map_err(|e| Failure::new(1, e))?;
        done += 1;
    }
    Ok(ExitCode::SUCCESS)
}

/// `spanmark debug-recover [--save-as OUT]` (hidden): lists the unsaved
/// work ended sessions left in the data directory, one offer per line, and
/// with `--save-as` writes the newest one, restored exactly as the window's
/// Restore would, to OUT — for the real-process kill test
/// (`tests/gui_kill_recovery.sh`).
pub fn recover(save_as: Option<&Path>) -> Result<ExitCode, Failure> {
    let dir = crate::io::journal::data_dir()
        .ok_or_else(|| Failure::new(1, "no data directory is known on this system"))?;
    let pending = crate::io::recovery::pending(&dir);
    for p in &pending {
        out!("{}: {}", p.offer(), p.summary());
    }
    if let Some(out) = save_as {
        let first = pending
            .first()
            .ok_or_else(|| Failure::new(1, "there is no unsaved work to restore"))?;
        let mut ws = crate::io::recovery::restore(&first.replayed);
        ws.save_as(out).map_err(|e| Failure::new(1, e))?;
    }
    Ok(ExitCode::SUCCESS)
}
