//! The review panel's state and actions: annotations that need the
//! analyst (a load-time review flag — moved, fuzzy, orphaned, quote
//! mismatch… — or a merge conflict), one row each, grouped by document.
//!
//! Invariants: the rows are the project's flagged annotations in key order
//! (so grouped by document), as of one (workspace, revision), rebuilt from
//! the project's flagged index (O(k) for k rows, never a walk over every
//! annotation; on opening a project, built on the worker and adopted as
//! they are). The state holds no project data beyond ids: every action is
//! a [`ReviewAction`] executed by the workbench as an undoable edit.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::model::{AnnotationId, DocumentId, Project};

/// One line of the review list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    /// The heading of a document's group, with how many rows follow.
    Document(Option<DocumentId>, usize),
    /// A flagged annotation.
    Item(AnnotationId),
}

/// What the analyst does in the review panel. `None` ids mean the current
/// row (keyboard).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewAction {
    /// Show the panel.
    Open,
    /// Hide the panel.
    Close,
    /// Make the next row current and go to it.
    Next,
    /// Make the previous row current and go to it.
    Prev,
    /// Make a row current, and select and show its annotation.
    GoTo(AnnotationId),
    /// Accept it where it is (review cleared, quote recaptured after a fuzzy
    /// match); for a conflict, keep it.
    Accept(Option<AnnotationId>),
    /// Start re-placing it: the analyst selects the new place next.
    StartReplace(Option<AnnotationId>),
    /// Move the annotation being re-placed to the text selection.
    ReplaceHere,
    /// Stop re-placing.
    CancelReplace,
    /// Remove the annotation.
    Remove(Option<AnnotationId>),
    /// Accept every moved annotation whose exact quote was found in one
    /// place only (ambiguous ones are left for the analyst).
    AcceptAllMoves,
}

impl ReviewAction {
    /// The name shown on buttons and in the shortcut list.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Self::Open => "Review changes and conflicts…",
            Self::Close => "Close review",
            Self::Next => "Next to review",
            Self::Prev => "Previous to review",
            Self::GoTo(_) => "Go to",
            Self::Accept(_) => "Accept",
            Self::StartReplace(_) => "Re-place…",
            Self::ReplaceHere => "Re-place here",
            Self::CancelReplace => "Cancel re-place",
            Self::Remove(_) => "Remove",
            Self::AcceptAllMoves => "Accept all exact-quote moves",
        }
        .to_owned()
    }

    /// The fixed keyboard shortcut, if any (Enter for "Re-place here" is
    /// read only while re-placing, see [`ReviewState::replacing`]).
    #[must_use]
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        let cmd = Modifiers::COMMAND;
        let k = |m: Modifiers, key: Key| Some(KeyboardShortcut::new(m, key));
        match self {
            Self::Open => k(cmd, Key::R),
            Self::Next => k(Modifiers::NONE, Key::F8),
            Self::Prev => k(Modifiers::SHIFT, Key::F8),
            Self::Accept(None) => k(cmd, Key::Enter),
            Self::StartReplace(None) => k(cmd.plus(Modifiers::SHIFT), Key::R),
            _ => None,
        }
    }
}

/// Review rows built ahead (see [`ReviewState::build`]).
#[derive(Clone, Debug, Default)]
pub struct PrebuiltRows {
    rows: Vec<Row>,
    items: usize,
}

impl PrebuiltRows {
    /// Writes the count into the heading of the group that just ended.
    fn close_group(&mut self, doc: Option<DocumentId>, n: usize) {
        let at = self.rows.len().saturating_sub(n + 1);
        if let Some(r) = self.rows.get_mut(at) {
            *r = Row::Document(doc, n);
        }
    }
}

/// The review panel: open or not, the current row, the annotation being
/// re-placed, and the cached rows.
#[derive(Clone, Debug, Default)]
pub struct ReviewState {
    /// Panel shown.
    pub open: bool,
    /// The row the keyboard acts on.
    pub current: Option<AnnotationId>,
    /// The annotation waiting for the analyst to select its new place.
    pub replacing: Option<AnnotationId>,
    /// The workspace generation the panel was last opened automatically for.
    pub shown_for: Option<u64>,
    /// The current row the list last scrolled to.
    pub scrolled_to: Option<AnnotationId>,
    key: Option<(u64, u64)>,
    rows: Vec<Row>,
    items: usize,
}

impl ReviewState {
    /// The rows as of `revision` of workspace `generation`.
    pub fn rows(&mut self, project: &Project, key: (u64, u64)) -> &[Row] {
        if self.key != Some(key) {
            self.adopt(key, Self::build(project));
        }
        &self.rows
    }

    /// The rows of `project` (O(k) for k flagged annotations), built where
    /// the panel cannot see them yet: the worker that opens a project.
    #[must_use]
    pub fn build(project: &Project) -> PrebuiltRows {
        let mut b = PrebuiltRows::default();
        let mut group: Option<(Option<DocumentId>, usize)> = None;
        for a in project.flagged_annotations() {
            let doc = project.document(a.doc).map(|d| d.id);
            match &mut group {
                Some((d, n)) if *d == doc => *n += 1,
                _ => {
                    if let Some((d, n)) = group.take() {
                        b.close_group(d, n);
                    }
                    group = Some((doc, 1));
                    b.rows.push(Row::Document(doc, 0));
                }
            }
            b.rows.push(Row::Item(a.id));
            b.items += 1;
        }
        if let Some((d, n)) = group {
            b.close_group(d, n);
        }
        b
    }

    /// Takes rows built by [`Self::build`] from the project that is now
    /// (workspace generation, history revision) `key`.
    pub fn adopt(&mut self, key: (u64, u64), built: PrebuiltRows) {
        self.rows = built.rows;
        self.items = built.items;
        self.key = Some(key);
    }

    /// After one edit from revision `from` to `to` that left annotation `id`
    /// unflagged (accepted, kept, re-placed or removed): drops its row in
    /// place of a rebuild (one scan and one move of the row array). Any
    /// other cached state is left to the next [`Self::rows`] rebuild.
    pub fn settled(&mut self, id: AnnotationId, generation: u64, from: u64, to: u64) {
        if self.key != Some((generation, from)) {
            return;
        }
        let Some(at) = self.position(id) else {
            return;
        };
        self.rows.remove(at);
        self.items = self.items.saturating_sub(1);
        // Its group's heading is the nearest one above.
        if let Some(h) = self.rows[..at]
            .iter()
            .rposition(|r| matches!(r, Row::Document(..)))
            && let Some(Row::Document(doc, n)) = self.rows.get(h).copied()
        {
            if n <= 1 {
                self.rows.remove(h);
            } else {
                self.rows[h] = Row::Document(doc, n - 1);
            }
        }
        self.key = Some((generation, to));
    }

    /// The annotation `step` rows after (or before, negative) `from` among
    /// the items, wrapping; the first (last) item when `from` is not a row.
    #[must_use]
    pub fn step(&self, from: Option<AnnotationId>, forward: bool) -> Option<AnnotationId> {
        let items: Vec<AnnotationId> = self
            .rows
            .iter()
            .filter_map(|r| match r {
                Row::Item(id) => Some(*id),
                Row::Document(..) => None,
            })
            .collect();
        let n = items.len();
        if n == 0 {
            return None;
        }
        let at = from.and_then(|id| items.iter().position(|x| *x == id));
        let next = match (at, forward) {
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
            (None, true) => 0,
            (None, false) => n - 1,
        };
        items.get(next).copied()
    }

    /// The position of `id`'s row.
    #[must_use]
    pub fn position(&self, id: AnnotationId) -> Option<usize> {
        self.rows.iter().position(|r| *r == Row::Item(id))
    }

    /// Number of item rows (not headings) as of the last [`Self::rows`].
    #[must_use]
    pub fn item_count(&self) -> usize {
        self.items
    }
}
