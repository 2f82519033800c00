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

use crate::io::backup;
use crate::ui::workbench::{After, Workbench};

/// State of the conflict window and the previous-versions window.
#[derive(Clone, Debug, Default)]
pub struct Safety {
    /// A save refused because the file changed on disk: its path.
    pub conflict: Option<PathBuf>,
    /// The analyst pressed "Overwrite" once; the second press writes.
    pub confirm_overwrite: bool,
    /// The previous-versions window is open.
    pub versions_open: bool,
    /// The window had focus in the last frame.
    pub had_focus: bool,
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

    /// "Merge…": until the merge lands, say what to do instead.
    pub(super) fn merge_with_disk(&mut self) {
        self.safety.conflict = None;
        self.fail(
            "Merging with the version on disk is not available in this build yet: use \
             \"Save ours as a copy…\", then compare the two files.",
        );
    }

    /// Called every frame: when the window regains focus and the project file
    /// changed on disk, say so (once per change of focus, non-modal).
    pub(super) fn check_disk_on_focus(&mut self, focused: bool) {
        let regained = focused && !self.safety.had_focus;
        self.safety.had_focus = focused;
        if !regained || self.safety.conflict.is_some() {
            return;
        }
        if let Some(ws) = &self.ws
            && ws.changed_on_disk()
            && let Some(p) = ws.path.clone()
        {
            self.fail(format!(
                "The project file was changed on disk by someone else since you opened it; \
                 saving will offer to keep both versions: {}",
                p.display()
            ));
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
