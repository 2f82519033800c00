//! Executing the review panel's actions and the first-start author prompt.
//!
//! Invariants: every change is one [`Workbench::apply`] (one undo step):
//! accept (`tagging::accept`), re-place (`tagging::replace`), remove; the
//! panel's own state (current row, re-placing) is not project data. An
//! action on the current row moves the cursor to the row after it, so the
//! keyboard flow is "look, decide, next".

use crate::io::project_file::timestamp;
use crate::model::{AnnotationId, Edit, Review, tagging};
use crate::ui::review::ReviewAction;
use crate::ui::workbench::Workbench;

impl Workbench {
    pub(super) fn review(&mut self, action: ReviewAction) {
        match action {
            ReviewAction::Open => {
                self.review.open = true;
                self.refresh_review_rows();
            }
            ReviewAction::Close => {
                self.review.open = false;
                self.review.replacing = None;
            }
            ReviewAction::Next | ReviewAction::Prev => {
                self.review.open = true;
                self.refresh_review_rows();
                let forward = action == ReviewAction::Next;
                if let Some(id) = self.review.step(self.review.current, forward) {
                    self.review_go_to(id);
                } else {
                    self.say("Nothing to review.");
                }
            }
            ReviewAction::GoTo(id) => self.review_go_to(id),
            ReviewAction::Accept(id) => {
                if let Some(id) = self.review_target(id) {
                    self.review_accept(id);
                }
            }
            ReviewAction::StartReplace(id) => {
                if let Some(id) = self.review_target(id) {
                    self.review_start_replace(id);
                }
            }
            ReviewAction::ReplaceHere => self.review_replace_here(),
            ReviewAction::CancelReplace => self.review.replacing = None,
            ReviewAction::Remove(id) => {
                if let Some(id) = self.review_target(id) {
                    let next = self.review_after(id);
                    if self.apply_settling("Remove annotation", id, Edit::RemoveAnnotation(id)) {
                        self.say(format!("Removed {id} (Undo brings it back)."));
                        if self.selected == Some(id) {
                            self.selected = None;
                        }
                        self.review_advance(id, next);
                    }
                }
            }
            ReviewAction::AcceptAllMoves => self.review_accept_all_moves(),
        }
    }

    /// Records the analyst's name (the first-start prompt's answer).
    pub(super) fn set_author(&mut self, name: &str) {
        let name = name.trim();
        if !name.is_empty() {
            name.clone_into(&mut self.prefs.author);
        }
        self.prefs.author_confirmed = true;
        self.ui.author_prompt = None;
    }

    /// Asks for the analyst's name once: shows the prompt (prefilled with
    /// the current name) unless a name was confirmed in an earlier run.
    pub fn ask_author_once(&mut self) {
        if !self.prefs.author_confirmed && self.ui.author_prompt.is_none() {
            self.ui.author_prompt = Some(self.prefs.author.clone());
        }
    }

    /// Opens the review panel once per opened workspace that has
    /// annotations needing review or conflicts.
    pub(super) fn review_auto_open(&mut self) {
        let Some(ws) = &self.ws else { return };
        if self.review.shown_for == Some(self.generation) {
            return;
        }
        self.review.shown_for = Some(self.generation);
        self.review.current = None;
        self.review.replacing = None;
        // Another project: the panel shows only if this one needs it.
        self.review.open = ws.project.flagged_count() > 0;
    }

    fn refresh_review_rows(&mut self) {
        if let Some(ws) = &self.ws {
            let key = (self.generation, self.history.revision());
            self.review.rows(&ws.project, key);
        }
    }

    /// The row an action applies to: the given one, or the current row.
    fn review_target(&mut self, id: Option<AnnotationId>) -> Option<AnnotationId> {
        let id = id.or(self.review.current);
        if id.is_none() {
            self.say("Choose an annotation to review first (F8 goes to the next one).");
        }
        id
    }

    /// Applies an edit that settles `id`; patches the cached rows when it
    /// left `id` without a flag (else they are rebuilt on the next frame).
    fn apply_settling(&mut self, name: &str, id: AnnotationId, edit: Edit) -> bool {
        let from = self.history.revision();
        if !self.apply(name, edit) {
            return false;
        }
        let unflagged = self
            .ws
            .as_ref()
            .and_then(|w| w.project.annotation(id))
            .is_none_or(|a| a.review.is_none() && a.conflict.is_none());
        if unflagged {
            let to = self.history.revision();
            self.review.settled(id, self.generation, from, to);
        }
        true
    }

    /// The row after `id` (wrapping), if another row exists.
    fn review_after(&mut self, id: AnnotationId) -> Option<AnnotationId> {
        self.refresh_review_rows();
        self.review.step(Some(id), true).filter(|n| *n != id)
    }

    /// Before `id` is deleted some other way (the Delete key): where the
    /// review cursor goes afterwards, if it is on `id`.
    pub(super) fn review_next_if_current(&mut self, id: AnnotationId) -> Option<AnnotationId> {
        if self.review.current == Some(id) {
            self.review_after(id)
        } else {
            None
        }
    }

    /// After `id` was settled: the cursor moves on to `next` (shown).
    pub(super) fn review_advance(&mut self, id: AnnotationId, next: Option<AnnotationId>) {
        if self.review.replacing == Some(id) {
            self.review.replacing = None;
        }
        if self.review.current == Some(id) {
            self.review.current = None;
            if let Some(n) = next.filter(|n| *n != id) {
                self.review_go_to(n);
            }
        }
    }

    fn review_go_to(&mut self, id: AnnotationId) {
        self.review.current = Some(id);
        self.select_annotation(id);
    }

    fn review_accept(&mut self, id: AnnotationId) {
        let Some(ws) = &self.ws else { return };
        let Some(a) = ws.project.annotation(id) else {
            return;
        };
        let name = if a.review.is_none() {
            "Keep conflicting annotation"
        } else {
            "Accept review"
        };
        let text = ws.text(a.doc).map(|t| &**t);
        match tagging::accept(&ws.project, text, id, timestamp::now()) {
            Ok(edit) => {
                let next = self.review_after(id);
                if self.apply_settling(name, id, edit) {
                    self.say(format!("{name}: {id}."));
                    self.review_advance(id, next);
                }
            }
            Err(e) => self.fail(format!("Not accepted: {e}.")),
        }
    }

    fn review_start_replace(&mut self, id: AnnotationId) {
        let Some(ws) = &self.ws else { return };
        let Some(a) = ws.project.annotation(id) else {
            return;
        };
        if ws.text(a.doc).is_none() {
            self.fail("Cannot re-place: the source of this annotation is not available.");
            return;
        }
        let at = a.range.start().0;
        self.review.current = Some(id);
        self.review.replacing = Some(id);
        self.select_annotation(id);
        if let Some(v) = &mut self.view {
            // Start the keyboard caret at the old place.
            let at = at.min(v.text().char_len());
            v.select(crate::model::CharRange::new(at, at));
        }
        self.say("Select the new place in the document, then press Re-place here (or Enter).");
    }

    fn review_replace_here(&mut self) {
        let Some(id) = self.review.replacing else {
            return;
        };
        let (Some(ws), Some(v)) = (&self.ws, &self.view) else {
            return;
        };
        let Some(a) = ws.project.annotation(id) else {
            self.review.replacing = None;
            return;
        };
        if v.doc != a.doc {
            self.fail("Select the new place in the annotation's own document.");
            return;
        }
        let Some(range) = v.selected_range(self.prefs.word_snap) else {
            self.fail("Select the new place in the document first.");
            return;
        };
        match tagging::replace(v.text(), id, range, timestamp::now()) {
            Ok(edit) => {
                let next = self.review_after(id);
                if self.apply_settling("Re-place annotation", id, edit) {
                    self.review.replacing = None;
                    if let Some(v) = &mut self.view {
                        v.selection = None;
                    }
                    self.selected = Some(id);
                    self.say(format!("Re-placed {id}."));
                    self.review_advance(id, next);
                }
            }
            Err(e) => self.fail(format!("Not re-placed: {e}.")),
        }
    }

    fn review_accept_all_moves(&mut self) {
        let Some(ws) = &self.ws else { return };
        let edits: Vec<Edit> = ws
            .project
            .needing_review()
            .filter(|a| {
                matches!(
                    a.review,
                    Some(Review::Moved {
                        ambiguous: false,
                        ..
                    })
                )
            })
            .map(|a| Edit::SetReview {
                id: a.id,
                review: None,
            })
            .collect();
        let n = edits.len();
        if n == 0 {
            self.say("No unambiguous moves to accept.");
            return;
        }
        let name = format!(
            "Accept {n} moved annotation{}",
            if n == 1 { "" } else { "s" }
        );
        if self.apply(&name, Edit::Batch(edits)) {
            let gone = |id: AnnotationId| {
                self.ws
                    .as_ref()
                    .and_then(|w| w.project.annotation(id))
                    .is_none_or(|a| a.review.is_none() && a.conflict.is_none())
            };
            if self.review.current.is_some_and(gone) {
                self.review.current = None;
            }
            self.say(format!("{name}."));
        }
    }
}
