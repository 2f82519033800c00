//! Conflicts on disk and previous versions: what the workbench does when
//! a save is refused because someone else changed the file, when the window
//! regains focus over a changed file, and when the analyst opens a backup.
//!
//! Invariants: the other person's file is never overwritten without the
//! analyst confirming twice ("Overwrite", then "Overwrite their version"),
//! and even then their version is kept in `.spanmark-history` first; a
//! previous version opens as a copy beside the project (so its sources
//! resolve), never over the project itself.

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use crate::io::backup;
use crate::io::disk_check::SeenFile;
use crate::io::lock::{Holder, LockError, ProjectLock};
use crate::ui::workbench::{After, Workbench};

/// How to open a project someone else has open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockedChoice {
    /// Open it read-only.
    ReadOnly,
    /// Copy it beside and open the copy.
    Copy,
    /// Take the lock over and open it.
    TakeOver,
    /// Do not open it.
    Cancel,
}

/// State of the lock, the conflict window and the previous-versions window.
#[derive(Debug, Default)]
pub struct Safety {
    /// The lock of the open project, while we hold it.
    pub lock: Option<ProjectLock>,
    /// A project someone else has open, waiting for the analyst's choice.
    pub locked: Option<(PathBuf, Holder)>,
    /// Open the next project without taking its lock (read-only, take-over).
    bypass_lock: bool,
    /// A project whose lock could not be taken (not retried every frame).
    lock_failed_for: Option<PathBuf>,
    /// A save refused because the file changed on disk: its path.
    pub conflict: Option<PathBuf>,
    /// The analyst pressed "Overwrite" once; the second press writes.
    pub confirm_overwrite: bool,
    /// Open this project read-only, for this reason, when its open finishes.
    pub open_read_only: Option<(PathBuf, String)>,
    /// The previous-versions window is open.
    pub versions_open: bool,
    /// The window had focus in the last frame.
    pub had_focus: bool,
    /// The check of the project file started when the window regained
    /// focus, while it reads the file on another thread.
    disk_probe: Option<DiskProbe>,
}

/// A check of the project file on disk on another thread: reading and
/// hashing it (31 MB at 100k annotations) took 22 ms of the UI thread.
#[derive(Debug)]
struct DiskProbe {
    /// The file and the hash it was checked against.
    path: PathBuf,
    known: String,
    /// Whether it changed, and the version read.
    result: mpsc::Receiver<(bool, Option<SeenFile>)>,
}

impl Workbench {
    /// A save over `path` was refused because the file changed on disk.
    pub(super) fn on_changed_on_disk(&mut self, path: &Path) {
        self.safety.conflict = Some(path.to_path_buf());
        self.safety.confirm_overwrite = false;
    }

    /// "Overwrite": the first press asks for confirmation, the second keeps
    /// their version as a backup and saves ours over it.
    pub(super) fn overwrite_disk(&mut self) {
        let Some(path) = self.safety.conflict.clone() else {
            return;
        };
        if !self.safety.confirm_overwrite {
            self.safety.confirm_overwrite = true;
            return;
        }
        self.safety.conflict = None;
        self.safety.confirm_overwrite = false;
        let now = crate::io::project_file::timestamp::now();
        let kept = backup::keep_now(&path, now);
        let Some(ws) = &mut self.ws else { return };
        match (kept, std::fs::read(&path)) {
            (Ok(_), Ok(theirs)) => {
                ws.file_hash = Some(crate::io::source::sha256_hex(&theirs));
                self.save_to(&path, None);
            }
            (Err(e), _) => self.fail(format!(
                "Not overwritten: their version could not be kept first: {e}"
            )),
            (_, Err(e)) => self.fail(format!("Not overwritten: {e}: {}", path.display())),
        }
    }

    /// "Save ours as a copy…": Save As, with the conflict window closed.
    pub(super) fn save_ours_as_copy(&mut self) {
        self.safety.conflict = None;
        self.save(true, None);
    }

    /// Called every frame: when the window regains focus and the project file
    /// changed on disk, say so (once per change of focus, non-modal). The
    /// file is read, when it is not the version last seen, on another
    /// thread; true while that check runs (keep polling).
    pub(super) fn check_disk_on_focus(&mut self, focused: bool) -> bool {
        self.poll_disk_probe();
        let regained = focused && !self.safety.had_focus;
        self.safety.had_focus = focused;
        if !regained || self.safety.conflict.is_some() || self.safety.disk_probe.is_some() {
            return self.safety.disk_probe.is_some();
        }
        let Some(ws) = &self.ws else { return false };
        let (Some(path), Some(known)) = (ws.path.clone(), ws.file_hash.clone()) else {
            return false;
        };
        // Still the version last seen: unchanged, without reading it.
        if ws.disk_seen.as_ref().is_some_and(|s| s.is_current(&path)) {
            return false;
        }
        // The check `Workspace::changed_on_disk` makes, on a cheap copy.
        let mut copy = ws.snapshot_for_save();
        let (send, result) = mpsc::channel();
        let probe = move || {
            let changed = copy.changed_on_disk();
            let _ = send.send((changed, copy.disk_seen));
        };
        if self.background_jobs {
            if std::thread::Builder::new()
                .name("disk check".into())
                .spawn(probe)
                .is_err()
            {
                return false;
            }
        } else {
            probe();
        }
        self.safety.disk_probe = Some(DiskProbe {
            path,
            known,
            result,
        });
        self.poll_disk_probe();
        self.safety.disk_probe.is_some()
    }

    /// Takes in the disk check's result once it is there: says when the
    /// file changed, and remembers the version read — unless the project
    /// was saved or another one opened meanwhile (then the result is old).
    fn poll_disk_probe(&mut self) {
        let Some(probe) = &self.safety.disk_probe else {
            return;
        };
        let (changed, seen) = match probe.result.try_recv() {
            Ok(result) => result,
            Err(mpsc::TryRecvError::Empty) => return,
            Err(mpsc::TryRecvError::Disconnected) => (false, None),
        };
        let Some(probe) = self.safety.disk_probe.take() else {
            return;
        };
        let Some(ws) = &mut self.ws else { return };
        if ws.path.as_deref() != Some(probe.path.as_path())
            || ws.file_hash.as_deref() != Some(probe.known.as_str())
        {
            return;
        }
        if seen.is_some() {
            ws.disk_seen = seen;
        }
        if changed {
            self.fail(format!(
                "The project file was changed on disk by someone else since you opened it; \
                 saving will offer to keep both versions: {}",
                probe.path.display()
            ));
        }
    }

    /// Before opening `path`: takes its lock, or asks the analyst what to do
    /// when someone else has it open. Returns false when the open must wait.
    pub(super) fn lock_for_open(&mut self, path: &Path) -> bool {
        if std::mem::take(&mut self.safety.bypass_lock) {
            return true;
        }
        if self
            .safety
            .lock
            .as_ref()
            .is_some_and(|l| l.project() == path)
        {
            return true;
        }
        let now = crate::io::project_file::timestamp::now();
        match ProjectLock::acquire(path, now) {
            Ok(l) => {
                self.safety.lock = Some(l);
                true
            }
            Err(LockError::Held { holder, .. }) => {
                self.safety.locked = Some((path.to_path_buf(), holder));
                false
            }
            // A folder we cannot write in: open without a lock.
            Err(LockError::Io { .. }) => true,
        }
    }

    /// The analyst's answer about a project someone else has open.
    pub(super) fn open_locked(&mut self, choice: LockedChoice) {
        let Some((path, holder)) = self.safety.locked.take() else {
            return;
        };
        let now = crate::io::project_file::timestamp::now();
        match choice {
            LockedChoice::Cancel => {}
            LockedChoice::ReadOnly => {
                self.safety.bypass_lock = true;
                // Applied when the (possibly background) open finishes.
                self.safety.open_read_only =
                    Some((path.clone(), format!("open by {}", holder.describe())));
                self.open_project(&path);
            }
            LockedChoice::Copy => match crate::io::lock::copy_beside(&path) {
                Ok(copy) => self.open_project(&copy),
                Err(e) => self.fail(format!("Could not copy the project: {e}")),
            },
            LockedChoice::TakeOver => match ProjectLock::take_over(&path, now) {
                Ok(l) => {
                    self.safety.lock = Some(l);
                    self.open_project(&path);
                }
                Err(e) => self.fail(format!("Could not take the project over: {e}")),
            },
        }
    }

    /// After every command: hold the lock of the open, writable, saved
    /// project and no other (closing, Save As and quitting release it).
    pub(super) fn lock_sync(&mut self) {
        if self
            .job
            .as_ref()
            .is_some_and(|j| matches!(j.kind, super::JobKind::Open(_)))
        {
            return; // Keep the lock taken for the project being opened.
        }
        let want = self
            .ws
            .as_ref()
            .filter(|w| w.read_only.is_none())
            .and_then(|w| w.path.clone());
        if let (Some(l), Some(p)) = (&self.safety.lock, &want)
            && l.project() == p
        {
            return;
        }
        self.safety.lock = None;
        let Some(p) = want else { return };
        if self.safety.lock_failed_for.as_ref() == Some(&p) || !p.exists() {
            return;
        }
        match ProjectLock::acquire(&p, crate::io::project_file::timestamp::now()) {
            Ok(l) => self.safety.lock = Some(l),
            Err(_) => self.safety.lock_failed_for = Some(p),
        }
    }

    /// Opens previous version `backup` as a copy beside the project.
    pub(super) fn open_previous_version(&mut self, from: &Path) {
        self.safety.versions_open = false;
        let Some(project) = self.ws.as_ref().and_then(|w| w.path.clone()) else {
            return;
        };
        match backup::copy_beside(&project, from) {
            Ok(copy) => self.guard(After::Open(copy)),
            Err(e) => self.fail(format!("Could not open the previous version: {e}")),
        }
    }
}
