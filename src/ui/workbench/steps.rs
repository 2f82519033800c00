//! Undo and redo.
//!
//! Invariants: a step of at most [`BIG_STEP`] edits is applied here, at
//! once. A bigger one (undoing an import of 100k spans takes ~75 ms, redoing
//! it ~130 ms) is taken off the history and applied by a worker to a
//! snapshot, which also lists the annotation list's rows; the UI thread
//! then swaps the project in and lands the step. While it is out, edits
//! are refused (the history no longer describes the project) and no other
//! job can start. After either, the selection is dropped if its annotation
//! is gone and a document that is gone is no longer shown.

use crate::model::EditError;
use crate::model::history::MovedStep;
use crate::model::{AnnotationId, Project};
use crate::ui::annotation_list::{AnnotationList, Prebuilt};
use crate::ui::workbench::JobKind;
use crate::ui::workbench::Workbench;
use crate::ui::workbench::jobs::{Done, free_later};

/// Most edits in a step undone or redone on the UI thread.
pub const BIG_STEP: usize = 5_000;

/// What an undo or redo job sends back.
pub(super) struct Stepped {
    /// The snapshot's project, the step applied to it.
    project: Project,
    moved: Result<MovedStep, EditError>,
    /// The annotation list's rows for the document in view, as they will be.
    rows: Option<Prebuilt>,
}

impl Workbench {
    /// Undoes (`undo`) or redoes the last step.
    pub(super) fn undo(&mut self, undo: bool) {
        if self.stepping() {
            self.fail("Wait until the undo or redo is done.");
            return;
        }
        // The inspector re-reads the note from the project.
        self.ui.note_draft = None;
        if self.background_jobs && self.history.next_size(undo) > BIG_STEP {
            self.step_on_worker(undo);
            return;
        }
        let Some(ws) = &mut self.ws else { return };
        let result = if undo {
            self.history.undo(&mut ws.project)
        } else {
            self.history.redo(&mut ws.project)
        };
        self.after_step(result, undo);
    }

    /// True while an undo or redo runs on a worker.
    pub(super) fn stepping(&self) -> bool {
        self.job
            .as_ref()
            .is_some_and(|j| matches!(j.kind, JobKind::Step { .. }))
    }

    fn step_on_worker(&mut self, undo: bool) {
        if self.ws.is_none() || self.busy() {
            return;
        }
        let Some(step) = self.history.take_step(undo) else {
            return;
        };
        let name = step.name().to_owned();
        let view = self.list_view();
        self.start_on_snapshot(
            JobKind::Step { name, undo },
            None,
            move |mut snapshot, _| {
                let moved = step.apply_to(&mut snapshot.project);
                let rows = moved.as_ref().ok().and(view).map(|(doc, filters)| {
                    AnnotationList::build(&snapshot.project, doc, filters.as_filters())
                });
                Done::Stepped(Box::new(Stepped {
                    project: snapshot.project,
                    moved,
                    rows,
                }))
            },
        );
    }

    /// Puts in place a step applied on a worker (a job's result is only
    /// delivered for the workspace it was started on).
    pub(super) fn finish_step(&mut self, stepped: Stepped, undo: bool) {
        let Stepped {
            project,
            moved,
            rows,
        } = stepped;
        let result = match moved {
            Ok(moved) => Ok(self.swap_in(project, rows, |history| history.land(moved))),
            Err(e) => {
                self.history.abandon_step();
                Err(e)
            }
        };
        self.after_step(result, undo);
    }

    /// A step whose undo or redo was stopped: it goes back on its stack
    /// unapplied and the worker's copy of the project is dropped.
    /// (One whose edit failed is reported as failed, as without the stop.)
    pub(super) fn put_back_step(&mut self, stepped: Stepped, undo: bool, name: &str) {
        let Stepped {
            project,
            moved,
            rows,
        } = stepped;
        let moved = match moved {
            Ok(moved) => moved,
            Err(e) => {
                let failed = Stepped {
                    project,
                    moved: Err(e),
                    rows,
                };
                return self.finish_step(failed, undo);
            }
        };
        self.history.put_back(moved);
        free_later(self.background_jobs, (project, rows));
        let what = if undo { "undoing" } else { "redoing" };
        self.say(format!("Stopped {what} {name}; nothing changed."));
    }

    fn after_step(&mut self, result: Result<Option<String>, EditError>, undo: bool) {
        let Some(ws) = &self.ws else { return };
        let exists = |id: AnnotationId| ws.project.annotation(id).is_some();
        if self.selected.is_some_and(|id| !exists(id)) {
            self.selected = None;
        }
        let shown = self.view.as_ref().map(|v| v.doc);
        if shown.is_some_and(|d| ws.project.document(d).is_none()) {
            // The shown document was un-added: show the first one left.
            self.view = None;
            if let Some(d) = ws.project.documents().first().map(|d| d.id) {
                self.open_document(d);
            }
        }
        let (done, failed) = if undo {
            ("Undid", "Could not undo")
        } else {
            ("Redid", "Could not redo")
        };
        match result {
            Ok(Some(name)) => self.say(format!("{done} {name}")),
            Ok(None) => {}
            Err(e) => self.fail(format!("{failed}: {e}")),
        }
    }
}
