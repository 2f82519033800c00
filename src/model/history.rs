//! Undo/redo as a history of inverse edits, and the dirty flag.
//!
//! Invariants: every step on the undo stack was applied to the project and
//! holds the edit that reverses it; the redo stack is cleared by any new
//! edit; each step has a unique revision number, and the project is dirty
//! exactly when the current revision differs from the saved one. History is
//! runtime state only and is never persisted.

use crate::model::edit::{Edit, EditError};
use crate::model::project::Project;

#[derive(Clone, Debug)]
struct Step {
    name: String,
    /// Applying this moves the project across the step (undo or redo).
    edit: Edit,
    /// Revision reached when the step is done.
    revision: u64,
    /// Revision before the step was done.
    before: u64,
}

/// Undo and redo stacks plus the saved revision.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    last_revision: u64,
    /// `None` when the project has never been saved.
    saved: Option<u64>,
    /// Every edit applied since the last [`History::take_applied`], with its
    /// name, in order (undo and redo included): what the recovery journal records.
    applied: Vec<(String, Edit)>,
}

impl History {
    /// History for a project just loaded from (or saved to) a file: clean.
    #[must_use]
    pub fn new_saved() -> Self {
        Self {
            saved: Some(0),
            ..Self::default()
        }
    }

    /// History for a project that exists only in memory: dirty until saved.
    #[must_use]
    pub fn new_unsaved() -> Self {
        Self::default()
    }

    /// The current revision (0 before any edit).
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.undo.last().map_or(0, |s| s.revision)
    }

    /// True when there are changes since the last save (or it never was saved).
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.saved != Some(self.revision())
    }

    /// Records that the project was saved at the current revision.
    pub fn mark_saved(&mut self) {
        self.saved = Some(self.revision());
    }

    /// Records that the project was saved as it was at `revision` (a save
    /// that ran on a snapshot while editing went on).
    pub fn mark_saved_at(&mut self, revision: u64) {
        self.saved = Some(revision);
    }

    /// Applies an edit as one undoable step called `name` (e.g. "Tag as claim").
    /// A no-op edit is not recorded.
    ///
    /// # Errors
    /// When the edit does not apply; nothing changed then.
    pub fn apply(
        &mut self,
        project: &mut Project,
        name: &str,
        edit: Edit,
    ) -> Result<(), EditError> {
        if edit.is_noop() {
            return Ok(());
        }
        let forward = edit.clone();
        let inverse = edit.apply(project)?;
        self.applied.push((name.to_owned(), forward));
        self.last_revision += 1;
        let before = self.revision();
        self.undo.push(Step {
            name: name.to_owned(),
            edit: inverse,
            revision: self.last_revision,
            before,
        });
        self.redo.clear();
        Ok(())
    }

    /// Name of the step [`History::undo`] would reverse.
    #[must_use]
    pub fn undo_name(&self) -> Option<&str> {
        self.undo.last().map(|s| s.name.as_str())
    }

    /// Name of the step [`History::redo`] would repeat.
    #[must_use]
    pub fn redo_name(&self) -> Option<&str> {
        self.redo.last().map(|s| s.name.as_str())
    }

    /// Reverses the last step; returns its name, or `None` when there is none.
    ///
    /// # Errors
    /// Only if the project was changed behind the history's back; the step is
    /// then dropped so the stacks stay consistent.
    pub fn undo(&mut self, project: &mut Project) -> Result<Option<String>, EditError> {
        let Some(step) = self.undo.pop() else {
            return Ok(None);
        };
        let applied = step.edit.clone();
        let redo = step.edit.apply(project)?;
        let name = step.name.clone();
        self.applied.push((format!("Undo {name}"), applied));
        self.redo.push(Step { edit: redo, ..step });
        Ok(Some(name))
    }

    /// Repeats the last undone step; returns its name, or `None`.
    ///
    /// # Errors
    /// As for [`History::undo`].
    pub fn redo(&mut self, project: &mut Project) -> Result<Option<String>, EditError> {
        let Some(step) = self.redo.pop() else {
            return Ok(None);
        };
        let applied = step.edit.clone();
        let undo = step.edit.apply(project)?;
        let name = step.name.clone();
        self.applied.push((format!("Redo {name}"), applied));
        debug_assert_eq!(step.before, self.revision());
        self.undo.push(Step { edit: undo, ..step });
        Ok(Some(name))
    }

    /// The edits applied since the last call, with their names, in order.
    pub fn take_applied(&mut self) -> Vec<(String, Edit)> {
        std::mem::take(&mut self.applied)
    }

    /// Number of steps that can be undone.
    #[must_use]
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }
}
