//! The find bar: a query, its matches and the current match.
//!
//! Invariant: `matches` are the results of [`find_all`] for `query` over the
//! view's text, recomputed only when the query changes; `current` indexes
//! `matches` when there is at least one.

use crate::model::{CharRange, SourceText};
use crate::ui::command::Command;
use crate::ui::document_view::selection::find_all;

/// State of the find bar of one document view.
#[derive(Clone, Debug, Default)]
pub struct Find {
    /// Whether the bar is shown.
    pub open: bool,
    /// The text searched for.
    pub query: String,
    searched: String,
    /// Matches of `query`, in order.
    pub matches: Vec<CharRange>,
    /// Index of the current match.
    pub current: usize,
    /// Focus the field on the next frame.
    pub focus: bool,
}

impl Find {
    /// Recomputes matches when the query changed; returns true when it did.
    pub fn refresh(&mut self, text: &SourceText) -> bool {
        if self.query == self.searched {
            return false;
        }
        self.searched.clone_from(&self.query);
        self.matches = find_all(text, &self.query);
        self.current = 0;
        true
    }

    /// The current match.
    #[must_use]
    pub fn current_match(&self) -> Option<CharRange> {
        self.matches.get(self.current).copied()
    }

    /// Moves to the next (or previous) match, wrapping around.
    pub fn step(&mut self, forward: bool) -> Option<CharRange> {
        let n = self.matches.len();
        if n == 0 {
            return None;
        }
        self.current = if forward {
            (self.current + 1) % n
        } else {
            (self.current + n - 1) % n
        };
        self.current_match()
    }

    /// Draws the bar; pushes FindNext/FindPrev on Enter/Shift+Enter.
    pub fn ui(&mut self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            let label = ui.label("Find:");
            let edit = egui::TextEdit::singleline(&mut self.query)
                .hint_text("text to find")
                .desired_width(220.0);
            let resp = ui.add(edit).labelled_by(label.id);
            if self.focus {
                resp.request_focus();
                self.focus = false;
            }
            if resp.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                let back = ui.input(|i| i.modifiers.shift);
                out.push(if back {
                    Command::FindPrev
                } else {
                    Command::FindNext
                });
                resp.request_focus();
            }
            let status = match (self.matches.len(), self.query.is_empty()) {
                (_, true) => String::new(),
                (0, false) => "no matches".to_owned(),
                (n, false) => format!("{} of {n}", self.current + 1),
            };
            ui.label(status);
            if ui.button("Previous").clicked() {
                out.push(Command::FindPrev);
            }
            if ui.button("Next").clicked() {
                out.push(Command::FindNext);
            }
            if ui.button("Close find").clicked() {
                self.open = false;
            }
        });
    }
}
