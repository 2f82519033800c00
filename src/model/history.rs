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

/// A step taken off the undo or redo stack ([`History::take_step`]).
#[derive(Debug)]
pub struct MovingStep {
    step: Step,
    undo: bool,
}

impl MovingStep {
    /// Its name (e.g. "Import annotations").
    #[must_use]
    pub fn name(&self) -> &str {
        &self.step.name
    }

    /// Applies the step to `project`.
    ///
    /// # Errors
    /// The edit does not apply (then nothing changed); the step is lost, as
    /// [`History::undo`] loses it.
    pub fn apply_to(self, project: &mut Project) -> Result<MovedStep, EditError> {
        let applied = self.step.edit.clone();
        let back = self.step.edit.apply(project)?;
        Ok(MovedStep {
            step: Step {
                edit: back,
                ..self.step
            },
            applied,
            undo: self.undo,
        })
    }
}

/// A [`MovingStep`] applied, holding the edit that goes back.
#[derive(Debug)]
pub struct MovedStep {
    step: Step,
    /// The edit that was applied (for the journal).
    applied: Edit,
    undo: bool,
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
    /// While a step is out ([`History::take_step`]): the revision before,
    /// which [`History::revision`] keeps answering (the project has not
    /// changed yet, so nothing keyed by revision may be rebuilt).
    out: Option<u64>,
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
        self.out
            .unwrap_or_else(|| self.undo.last().map_or(0, |s| s.revision))
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
        self.record(name, forward, inverse);
        Ok(())
    }

    /// Records as one undoable step called `name` an edit already applied
    /// to the project — on a copy, by a worker, whose result then replaced
    /// the project: `forward` is the edit, `inverse` what
    /// [`Edit::apply`] returned for it.
    pub fn record(&mut self, name: &str, forward: Edit, inverse: Edit) {
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
        self.step(project, true)
    }

    /// Repeats the last undone step; returns its name, or `None`.
    ///
    /// # Errors
    /// As for [`History::undo`].
    pub fn redo(&mut self, project: &mut Project) -> Result<Option<String>, EditError> {
        self.step(project, false)
    }

    /// Undo (`undo`) or redo, here: take the step, apply it, land it.
    fn step(&mut self, project: &mut Project, undo: bool) -> Result<Option<String>, EditError> {
        let Some(step) = self.take_step(undo) else {
            return Ok(None);
        };
        match step.apply_to(project) {
            Ok(moved) => Ok(Some(self.land(moved))),
            Err(e) => {
                self.abandon_step();
                Err(e)
            }
        }
    }

    /// Number of edits the step undo (`undo`) or redo would apply (a
    /// batch counts its parts; 0 when there is none).
    #[must_use]
    pub fn next_size(&self, undo: bool) -> usize {
        let stack = if undo { &self.undo } else { &self.redo };
        stack.last().map_or(0, |s| s.edit.size())
    }

    /// Takes the step undo (`undo`) or redo would apply off its stack, to
    /// be applied elsewhere ([`MovingStep::apply_to`], on a worker's copy
    /// of the project) and then [`History::land`]ed. While it is out, no
    /// other edit may be applied: the stacks no longer describe the project.
    pub fn take_step(&mut self, undo: bool) -> Option<MovingStep> {
        let revision = self.revision();
        let step = if undo {
            self.undo.pop()
        } else {
            self.redo.pop()
        }?;
        self.out = Some(revision);
        Some(MovingStep { step, undo })
    }

    /// Forgets a step taken out that could not be applied (as
    /// [`History::undo`] drops a step whose edit fails).
    pub fn abandon_step(&mut self) {
        self.out = None;
    }

    /// Puts a step taken out with [`History::take_step`] and applied to a
    /// copy of the project back where it was, as if it had never been
    /// taken (its undo or redo was stopped and the copy dropped).
    pub fn put_back(&mut self, moved: MovedStep) {
        let MovedStep {
            step,
            applied,
            undo,
        } = moved;
        let step = Step {
            edit: applied,
            ..step
        };
        self.out = None;
        if undo {
            self.undo.push(step);
        } else {
            self.redo.push(step);
        }
    }

    /// Puts an applied step on the other stack and records its edit for the
    /// journal; returns its name.
    pub fn land(&mut self, moved: MovedStep) -> String {
        let MovedStep {
            step,
            applied,
            undo,
        } = moved;
        let name = step.name.clone();
        self.out = None;
        if undo {
            self.applied.push((format!("Undo {name}"), applied));
            self.redo.push(step);
        } else {
            self.applied.push((format!("Redo {name}"), applied));
            debug_assert_eq!(step.before, self.revision());
            self.undo.push(step);
        }
        name
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
