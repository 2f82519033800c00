//! Saving a [`Workspace`]: over its own file (checked against the disk and
//! backed up first), to a new path (sources relocated or embedded), and on a
//! worker thread (a cheap snapshot goes out, what the save changed comes
//! back).
//!
//! Invariants: a save never replaces a file a colleague changed since we
//! opened or last saved it (content hash, then the file's identity right
//! before the rename: see [`crate::io::disk_check`]); only a successful
//! save changes the workspace's path, hash and stored document paths.

use std::collections::BTreeMap;
use std::path::Path;

use crate::io::disk_check::{DiskCheck, SeenFile};
use crate::io::error::SaveError;
use crate::io::project_file;
use crate::io::workspace::{Workspace, folder_of};
use crate::model::{DocumentId, Progress, Stopped};

/// The phase of [`Workspace::save_as_with`] that copies sources along.
pub const COPYING: &str = "Copying the sources to the new folder";
/// The phase of [`Workspace::save_as_with`] that writes the project file.
pub const WRITING: &str = "Writing and checking the project file";

impl Workspace {
    /// Saves to `path` (or the current path) atomically and remembers it.
    ///
    /// # Errors
    /// Read-only project, or any save error.
    pub fn save_as(&mut self, path: &Path) -> Result<(), SaveError> {
        self.save_as_with(path, &Progress::new())
    }

    /// As [`Self::save_as`], naming its phase in `progress` and looking at
    /// its stop flag last thing before the file is replaced: stopped, the
    /// save ends with [`SaveError::Stopped`], the file on disk unchanged
    /// (sources already copied for a Save As into another folder stay).
    ///
    /// # Errors
    /// As [`Self::save_as`], or [`SaveError::Stopped`].
    pub fn save_as_with(&mut self, path: &Path, progress: &Progress) -> Result<(), SaveError> {
        let stop = || {
            progress.check().map_err(|Stopped| SaveError::Stopped {
                path: path.to_path_buf(),
            })
        };
        if let (Some(reason), Some(current)) = (&self.read_only, &self.path)
            && current == path
        {
            return Err(SaveError::ReadOnlyProject {
                reason: reason.clone(),
                path: path.to_path_buf(),
            });
        }
        // Saving over the file we know: it is checked (and backed up) while
        // the new text is written; see `save_over`.
        let known = if self.path.as_deref() == Some(path) {
            self.file_hash.clone()
        } else {
            None
        };
        if known.is_none() {
            crate::io::backup::keep_previous(path, crate::io::project_file::timestamp::now())?;
        }
        let new_dir = folder_of(path);
        let texts = crate::io::pack::embedded_texts(self);
        let embedded: BTreeMap<DocumentId, &str> =
            texts.iter().map(|(id, t)| (*id, t.as_str())).collect();
        // A single-file project carries its texts: nothing to copy along.
        let moves = if self.packed {
            Vec::new()
        } else {
            progress.phase(COPYING, 0);
            crate::io::relocate::relocate(&self.project, &self.folder(), &new_dir)?
        };
        stop()?;
        progress.phase(WRITING, 0);
        let seen = self.disk_seen.take();
        let written = if moves.is_empty() {
            match &known {
                Some(known) => save_over(path, &self.project, &embedded, known, seen, stop)?,
                None => project_file::save_guarded(path, &self.project, &embedded, stop)?,
            }
        } else {
            // Only a successful save changes the paths in memory.
            let mut moved = self.project.clone();
            for (id, stored) in &moves {
                if let Some(d) = moved.documents_mut().iter_mut().find(|d| d.id == *id) {
                    d.path.clone_from(stored);
                }
            }
            let written = project_file::save_guarded(path, &moved, &BTreeMap::new(), stop)?;
            self.project = moved;
            written
        };
        self.disk_seen = SeenFile::written(path, &written);
        self.file_hash = Some(written);
        if self.path.as_deref() != Some(path) {
            self.read_only = None;
        }
        self.path = Some(path.to_path_buf());
        Ok(())
    }

    /// True when the project file on disk differs from what was opened or
    /// last saved here (a colleague saved over it, a sync tool replaced it).
    /// A file that vanished counts as unchanged: saving recreates it. The
    /// file is read only when it is not the version last seen, which is
    /// then remembered ([`DiskCheck::take_remembering`]).
    pub fn changed_on_disk(&mut self) -> bool {
        let (Some(path), Some(known)) = (&self.path, &self.file_hash) else {
            return false;
        };
        !DiskCheck::take_remembering(path, &mut self.disk_seen).matches(known)
    }
}

/// Saving on a worker thread: a snapshot goes to the worker, and what the
/// save changed comes back.
impl Workspace {
    /// What a save needs, cheaply copied (the project's annotation maps are
    /// shared until either side changes them; sources are shared texts).
    /// Problems and re-anchoring notes stay here: a save does not use them.
    #[must_use]
    pub fn snapshot_for_save(&self) -> Self {
        let mut s = Self::new(self.project.clone());
        s.path.clone_from(&self.path);
        s.sources.clone_from(&self.sources);
        s.read_only.clone_from(&self.read_only);
        s.changed_on_open = self.changed_on_open;
        s.file_hash.clone_from(&self.file_hash);
        s.packed = self.packed;
        s.disk_seen.clone_from(&self.disk_seen);
        s
    }

    /// Takes over what a successful [`Workspace::save_as`] of a snapshot
    /// (or `pack::unpack`) changed: the path, the file's hash, the
    /// read-only and single-file flags and the documents' stored paths
    /// (Save As into another folder re-points them), keeping every edit
    /// made here since the snapshot was taken.
    pub fn adopt_save(&mut self, saved: &Self) {
        self.path.clone_from(&saved.path);
        self.file_hash.clone_from(&saved.file_hash);
        self.disk_seen.clone_from(&saved.disk_seen);
        self.read_only.clone_from(&saved.read_only);
        self.packed = saved.packed;
        for d in saved.project.documents() {
            let here = self.project.documents().iter().position(|x| x.id == d.id);
            if let Some(i) = here
                && self
                    .project
                    .documents()
                    .get(i)
                    .is_some_and(|x| x.path != d.path)
                && let Some(x) = self.project.documents_mut().get_mut(i)
            {
                x.path.clone_from(&d.path);
            }
        }
    }
}

/// Saves over the file whose content hash is `known`: the file on disk is
/// read and hashed on another thread while the new text is serialised,
/// written and verified (unless it is still the version `seen`); right
/// before the rename `stop` must pass and the file must still be that
/// version (else [`SaveError::ChangedOnDisk`] and nothing replaced), and
/// it is kept as a backup first.
fn save_over(
    path: &Path,
    project: &crate::model::Project,
    embedded: &BTreeMap<DocumentId, &str>,
    known: &str,
    seen: Option<SeenFile>,
    stop: impl FnOnce() -> Result<(), SaveError>,
) -> Result<String, SaveError> {
    let check = || DiskCheck::take_known(path, seen.as_ref());
    std::thread::scope(|s| {
        let disk = std::thread::Builder::new().spawn_scoped(s, check);
        project_file::save_guarded(path, project, embedded, || {
            stop()?;
            let disk = disk.ok().and_then(|h| h.join().ok()).unwrap_or_else(check);
            disk.confirm(path, known)?;
            crate::io::backup::keep_previous(path, crate::io::project_file::timestamp::now())?;
            disk.confirm(path, known)
        })
    })
}
