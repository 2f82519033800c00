//! Edits applied by a worker to a copy of the project, put in place here.
//!
//! Invariants: an [`AppliedEdit`] was made from a snapshot of the project
//! at some history revision; it may only be put in place while the project
//! is still at that revision (callers check, and otherwise apply the edit
//! here instead). Putting it in place swaps the project, records the step
//! with its inverse (so undo, redo and the journal see an ordinary step)
//! and adopts the annotation list rows the worker listed.

use std::mem;

use crate::model::{DocumentId, Edit, EditError, History, Project};
use crate::ui::annotation_list::{AnnotationList, OwnedFilters, Prebuilt};
use crate::ui::workbench::Workbench;
use crate::ui::workbench::jobs::free_later;

/// An edit applied to a copy of the project, with what undo needs.
pub(super) struct AppliedEdit {
    project: Project,
    forward: Edit,
    inverse: Edit,
    rows: Option<Prebuilt>,
}

impl AppliedEdit {
    /// Applies `edit` to `project` (a snapshot's) and lists the rows the
    /// annotation list will show for `view` (the document in view, the
    /// filters in force).
    ///
    /// # Errors
    /// The edit does not apply.
    pub(super) fn new(
        mut project: Project,
        edit: Edit,
        view: Option<&(DocumentId, OwnedFilters)>,
    ) -> Result<Self, EditError> {
        let inverse = edit.clone().apply(&mut project)?;
        let rows =
            view.map(|(doc, filters)| AnnotationList::build(&project, *doc, filters.as_filters()));
        Ok(Self {
            project,
            forward: edit,
            inverse,
            rows,
        })
    }
}

impl Workbench {
    /// The document in view and the list's filters, for a worker to list
    /// the rows it will show ([`AppliedEdit::new`]).
    pub(super) fn list_view(&self) -> Option<(DocumentId, OwnedFilters)> {
        let doc = self.view.as_ref()?.doc;
        Some((
            doc,
            OwnedFilters {
                label: self.ui.filter_label.clone(),
                author: self.ui.filter_author.clone(),
                text: self.ui.filter_text.clone(),
            },
        ))
    }

    /// Makes an edit a worker applied to a snapshot at the current
    /// revision one undoable step called `name`; false when no project is
    /// open.
    pub(super) fn make_change(&mut self, name: &str, applied: AppliedEdit) -> bool {
        let AppliedEdit {
            project,
            forward,
            inverse,
            rows,
        } = applied;
        self.swap_in(project, rows, |history| {
            history.record(name, forward, inverse);
        })
        .is_some()
    }

    /// Puts `project` (made on a worker from a snapshot of the open one)
    /// in its place, runs `record` to bring the history along, adopts the
    /// list `rows` listed from it, and frees the replaced project elsewhere.
    /// `None` when no project is open.
    pub(super) fn swap_in<T>(
        &mut self,
        project: Project,
        rows: Option<Prebuilt>,
        record: impl FnOnce(&mut History) -> T,
    ) -> Option<T> {
        let ws = self.ws.as_mut()?;
        let old = mem::replace(&mut ws.project, project);
        let out = record(&mut self.history);
        if let Some(rows) = rows {
            let key = (self.generation, self.history.revision());
            self.ui.list.adopt(key, rows);
        }
        // Freeing the replaced project can take a while: not here.
        free_later(self.background_jobs, old);
        Some(out)
    }
}
