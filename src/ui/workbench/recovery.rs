//! The workbench side of crash recovery: journaling every applied edit, and
//! restoring or discarding what an ended session left.
//!
//! Invariants: after every command, each edit the history applied is in
//! the journal (or the analyst was told once that journaling failed); the
//! journal is removed as soon as nothing is unsaved; a restored project
//! is exactly what the journal replays to, shown as unsaved, and keeps
//! being journaled in the same file.

use std::path::PathBuf;

use crate::io::journal::{Header, Journal};
use crate::io::recovery::{self, Pending};
use crate::model::Edit;
use crate::ui::workbench::Workbench;

/// Journal state of a workbench.
#[derive(Debug, Default)]
pub struct Recovery {
    /// Per-user data directory; `None` turns journaling off (tests default).
    pub data_dir: Option<PathBuf>,
    /// Journals of ended sessions, offered for restoring.
    pub offers: Vec<Pending>,
    /// The journal of this session's unsaved changes.
    pub journal: Option<Journal>,
    /// Set once journaling failed and the analyst was told.
    pub failed: bool,
}

impl Workbench {
    /// Looks for unsaved work left by sessions that ended (crash, kill) and
    /// offers it in the recovery window.
    pub fn offer_recovery(&mut self) {
        if let Some(dir) = &self.recovery.data_dir {
            self.recovery.offers = recovery::pending(dir);
        }
    }

    /// Brings the changes of offer `i` back as the open, unsaved project.
    pub(super) fn restore_recovery(&mut self, i: usize) {
        if self.is_dirty() {
            self.fail("Save or close the open project first, then restore.");
            return;
        }
        if i >= self.recovery.offers.len() {
            return;
        }
        let offer = self.recovery.offers.remove(i);
        if let Some(j) = self.recovery.journal.take() {
            j.finish();
        }
        let ws = recovery::restore(&offer.replayed);
        let n = offer.changes();
        let name = offer.project_name().to_owned();
        self.set_workspace(ws, false);
        let _ = self.history.take_applied();
        match Journal::adopt(&offer.journal, &offer.replayed) {
            Ok(j) => self.recovery.journal = Some(j),
            Err(e) => self.fail(format!(
                "Restored, but journaling goes on in a new file: {e}"
            )),
        }
        self.say(format!(
            "Restored {n} unsaved change(s) to {name}. Save to keep them."
        ));
    }

    /// Sets offer `i` aside (kept a few days, not offered again).
    pub(super) fn discard_recovery(&mut self, i: usize) {
        if i < self.recovery.offers.len() {
            let offer = self.recovery.offers.remove(i);
            recovery::discard(&offer.journal);
            self.say(format!(
                "Discarded the unsaved changes to {} (kept for three days in {}).",
                offer.project_name(),
                offer.journal.display()
            ));
        }
    }

    /// Writes what the last command changed to the journal. The edits it
    /// does not hand to the journal are freed on a worker when one is a
    /// batch (an import of 100k spans takes ~40 ms to free).
    pub(super) fn journal_sync(&mut self) {
        let applied = self.history.take_applied();
        let left = self.journal_edits(applied);
        if left.iter().any(|e| matches!(e, Edit::Batch(_))) {
            super::jobs::free_later(self.background_jobs, left);
        }
    }

    /// [`Self::journal_sync`]'s work; returns the edits not handed over.
    fn journal_edits(&mut self, applied: Vec<(String, Edit)>) -> Vec<Edit> {
        let unused = |applied: Vec<(String, Edit)>| applied.into_iter().map(|(_, e)| e).collect();
        let Some(dir) = self.recovery.data_dir.clone() else {
            return unused(applied);
        };
        let dirty = self.is_dirty();
        let path = self.ws.as_ref().and_then(|w| w.path.clone());
        // Closed, another project, or quitting after "Discard": the changes
        // were given up on purpose; keep them aside a few days anyway.
        let given_up = self.ws.is_none() || (self.quit && dirty);
        let switched = self
            .recovery
            .journal
            .as_ref()
            .is_some_and(|j| given_up || j.project_path() != path.as_deref());
        if switched && let Some(j) = self.recovery.journal.take() {
            j.set_aside();
        }
        if !dirty && let Some(j) = self.recovery.journal.take() {
            j.finish(); // Saved (or undone back to the saved state).
        }
        if !dirty || self.quit {
            return unused(applied);
        }
        let Some(ws) = &self.ws else {
            return unused(applied);
        };
        let now = recovery::now();
        let mut left = Vec::new();
        let result = match &mut self.recovery.journal {
            Some(j) => {
                for (name, edit) in applied {
                    j.append(&name, edit, now);
                }
                if j.snapshot_due(now) {
                    j.snapshot(&ws.project, now);
                }
                j.take_error().map_or(Ok(()), Err)
            }
            None if applied.is_empty() => Ok(()),
            None => {
                let header = Header::new(path, ws.file_hash.clone(), ws.read_only.clone(), now);
                // The journal starts from a snapshot, which holds the edits.
                let names;
                (names, left) = applied.into_iter().unzip();
                Journal::start(&dir, header, &ws.project, names)
                    .map(|j| {
                        self.recovery.journal = Some(j);
                    })
                    .map_err(|e| e.to_string())
            }
        };
        if let Err(e) = result
            && !self.recovery.failed
        {
            self.recovery.failed = true;
            self.fail(format!(
                "Unsaved changes are not being kept for crash recovery ({e}); save often."
            ));
        }
        left
    }
}
