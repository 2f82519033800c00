//! Finding, restoring and discarding the journals of sessions that ended
//! without saving (a crash, a kill, a power cut).
//!
//! Invariants: a journal locked by a live session is never offered, read
//! for restoring, or removed; a discarded journal is renamed
//! `*.journal.discarded` and only deleted after [`KEEP_DISCARDED_SECS`];
//! restoring rebuilds exactly the project the journal replays to, with the
//! project-file hash the session knew, so a file changed on disk since then
//! is not overwritten by the next save.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use crate::io::Workspace;
use crate::io::journal::{self, EXTENSION, RECOVERY_DIR, Replayed};
use crate::model::{Project, Timestamp};

/// Discarded journals are kept this long (three days).
pub const KEEP_DISCARDED_SECS: u64 = 3 * 24 * 3600;

/// A journal left by a session that ended with unsaved changes.
#[derive(Clone, Debug)]
pub struct Pending {
    /// The journal file.
    pub journal: PathBuf,
    /// What it replays to.
    pub replayed: Replayed,
}

impl Pending {
    /// Number of unsaved changes.
    #[must_use]
    pub fn changes(&self) -> usize {
        self.replayed.names.len()
    }

    /// The project's name.
    #[must_use]
    pub fn project_name(&self) -> &str {
        &self.replayed.project.name
    }

    /// "Restore 3 unsaved changes to Harbour fire from 2026-11-25 16:15 UTC".
    #[must_use]
    pub fn offer(&self) -> String {
        let n = self.changes();
        format!(
            "Restore {n} unsaved change{} to {} from {}",
            if n == 1 { "" } else { "s" },
            self.project_name(),
            crate::io::project_file::timestamp::format(self.replayed.last)
                .replace('T', " ")
                .replace('Z', " UTC")
        )
    }

    /// A short summary: the last few changes, newest last, and the file.
    #[must_use]
    pub fn summary(&self) -> String {
        let names = &self.replayed.names;
        let shown: Vec<&str> = names
            .iter()
            .skip(names.len().saturating_sub(5))
            .map(String::as_str)
            .collect();
        let more = names.len().saturating_sub(shown.len());
        let mut s = String::new();
        if more > 0 {
            s.push_str(&format!("… {more} earlier change(s), then: "));
        }
        s.push_str(&shown.join(", "));
        if let Some(p) = &self.replayed.header.project_path {
            s.push_str(&format!(" — {}", p.display()));
        }
        s
    }
}

/// The journals in `data_dir` of sessions that ended with unsaved changes,
/// newest first; prunes discarded journals older than [`KEEP_DISCARDED_SECS`].
#[must_use]
pub fn pending(data_dir: &Path) -> Vec<Pending> {
    let dir = data_dir.join(RECOVERY_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".discarded") {
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > KEEP_DISCARDED_SECS);
            if old {
                let _ = std::fs::remove_file(&path);
            }
            continue;
        }
        if let Some((journal, _)) = name
            .strip_prefix('.')
            .and_then(|n| n.split_once(crate::io::atomic::TEMP_MARKER))
        {
            // A snapshot rewrite that was killed half-way.
            if !in_use(&dir.join(journal)) {
                let _ = std::fs::remove_file(&path);
            }
            continue;
        }
        if let Some(journal) = name.strip_suffix(journal::LOCK_SUFFIX) {
            // A lock left without its journal (a crash after a save).
            if !dir.join(journal).exists() && !in_use(&dir.join(journal)) {
                let _ = std::fs::remove_file(&path);
            }
            continue;
        }
        if !name.ends_with(&format!(".{EXTENSION}")) || in_use(&path) {
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        match journal::replay(journal::decode(&bytes)) {
            Some(replayed) if !replayed.names.is_empty() => found.push(Pending {
                journal: path,
                replayed,
            }),
            // Nothing unsaved in it: a session that ended cleanly enough.
            _ => {
                let _ = std::fs::remove_file(&path);
                let _ = std::fs::remove_file(crate::io::journal_writer::lock_path_of(&path));
            }
        }
    }
    found.sort_by_key(|p| std::cmp::Reverse(p.replayed.last));
    found
}

/// True when a live session holds the journal's lock.
fn in_use(journal: &Path) -> bool {
    let lock = crate::io::journal_writer::lock_path_of(journal);
    let Ok(f) = OpenOptions::new().write(true).open(&lock) else {
        return false; // No lock file: its session ended.
    };
    match f.try_lock() {
        Ok(()) => {
            let _ = f.unlock();
            false
        }
        Err(std::fs::TryLockError::WouldBlock) => true,
        // No locks on this file system: assume the writer is gone.
        Err(std::fs::TryLockError::Error(_)) => false,
    }
}

/// Sets a journal aside: kept for [`KEEP_DISCARDED_SECS`], never offered again.
pub fn discard(journal: &Path) {
    let mut to = journal.as_os_str().to_owned();
    to.push(".discarded");
    let _ = std::fs::rename(journal, PathBuf::from(to));
    let _ = std::fs::remove_file(crate::io::journal_writer::lock_path_of(journal));
}

/// Rebuilds a workspace from a replayed journal: the project exactly as
/// replayed, its sources read from disk (or from the texts embedded in the
/// project file, for a single-file project), and the file hash the session had.
#[must_use]
pub fn restore(replayed: &Replayed) -> Workspace {
    let mut ws = Workspace::new(Project::default());
    let path = replayed.header.project_path.clone();
    ws.path.clone_from(&path);
    ws.project = replayed.project.clone();
    ws.file_hash.clone_from(&replayed.header.file_hash);
    ws.read_only.clone_from(&replayed.header.read_only);
    let dir = ws.folder();
    if let Some(p) = &path
        && let Some(name) = p.file_name().and_then(|n| n.to_str())
    {
        crate::io::atomic::clean_stray_temps(&dir, name);
    }
    // A single-file project's texts come from the file it was opened from.
    let embedded = path
        .as_deref()
        .map(crate::io::pack::embedded_in_file)
        .unwrap_or_default();
    ws.packed = !embedded.is_empty();
    ws.load_sources(embedded, false);
    ws
}

/// The time now, for journal records.
#[must_use]
pub fn now() -> Timestamp {
    crate::io::project_file::timestamp::now()
}
