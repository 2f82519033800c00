//! Pointer input of the document view: hit testing, drag selection,
//! double-click words, shift-click extension, clicking annotations, tooltips.
//!
//! Invariants: hit testing goes pointer → block (from the blocks laid out
//! this frame) → `Galley::cursor_from_pos` → char offset, and never derives
//! offsets from anything but the galleys of this frame; the selection is
//! changed here, the project never (annotation clicks become commands).

use egui::{Pos2, Ui, Vec2, vec2};

use crate::model::{Annotation, CharRange};
use crate::ui::command::Command;
use crate::ui::document_view::selection::{Selection, word_at};
use crate::ui::document_view::{DocumentView, Shown, ViewInput};
use crate::ui::theme;

impl DocumentView {
    /// Char offset (cursor position) nearest to `pos`, from the blocks shown.
    fn hit(&self, pos: Pos2, shown: &[Shown], origin: Pos2) -> Option<usize> {
        let y = pos.y - origin.y;
        let first = shown.first()?;
        let last = shown.last()?;
        let block = |s: &Shown| self.blocks.get(s.index).cloned();
        if y < first.top {
            return block(first).map(|b| b.chars.start);
        }
        let s = shown
            .iter()
            .find(|s| y < s.top + s.galley.rect.height().max(1.0))
            .unwrap_or(last);
        let b = block(s)?;
        let local = pos - (origin + vec2(0.0, s.top));
        let c = s.galley.cursor_from_pos(local).index.0;
        Some((b.chars.start + c).min(b.chars.end))
    }

    /// The char under `pos` (not the nearest gap between chars).
    fn char_under(&self, pos: Pos2, shown: &[Shown], origin: Pos2) -> Option<usize> {
        let c = self.hit(pos, shown, origin)?;
        let s = shown.iter().find(|s| {
            self.blocks
                .get(s.index)
                .is_some_and(|b| b.chars.contains(&c) || b.chars.end == c)
        })?;
        let b = self.blocks.get(s.index)?;
        let local = c - b.chars.start;
        let gap = s
            .galley
            .pos_from_cursor(egui::text::CCursor::new(local))
            .min
            .x
            + origin.x;
        Some(if pos.x < gap && c > b.chars.start {
            c - 1
        } else {
            c
        })
    }

    pub(super) fn interact(
        &mut self,
        ui: &Ui,
        resp: &egui::Response,
        shown: &[Shown],
        origin: Pos2,
        input: &ViewInput<'_>,
        out: &mut Vec<Command>,
    ) {
        let (pressed, down, released, shift, alt, latest, origin_pos) = ui.input(|i| {
            (
                i.pointer.primary_pressed(),
                i.pointer.primary_down(),
                i.pointer.primary_released(),
                i.modifiers.shift,
                i.modifiers.alt,
                i.pointer.latest_pos(),
                i.pointer.press_origin(),
            )
        });
        if resp.double_clicked() {
            if let Some(c) = resp
                .interact_pointer_pos()
                .and_then(|p| self.char_under(p, shown, origin))
            {
                let w = word_at(&self.text, c);
                if !w.is_empty() {
                    self.select(w);
                }
            }
            self.dragging = false;
            return;
        }
        if pressed && resp.is_pointer_button_down_on() {
            if let Some(c) = origin_pos
                .or(latest)
                .and_then(|p| self.hit(p, shown, origin))
            {
                match (&mut self.selection, shift) {
                    (Some(sel), true) => sel.head = c,
                    _ => self.selection = Some(Selection::at(c)),
                }
                if let Some(sel) = &mut self.selection {
                    // Alt: drag by character even while word snapping is on.
                    sel.exact = alt;
                }
                self.dragging = true;
            }
        } else if self.dragging
            && down
            && let Some(p) = latest
        {
            if let Some(c) = self.hit(p, shown, origin)
                && let Some(sel) = &mut self.selection
            {
                sel.head = c;
                sel.exact |= alt;
            }
            {
                let clip = ui.clip_rect();
                let dy = if p.y > clip.max.y {
                    -(p.y - clip.max.y).min(40.0)
                } else if p.y < clip.min.y {
                    (clip.min.y - p.y).min(40.0)
                } else {
                    0.0
                };
                if dy != 0.0 {
                    ui.scroll_with_delta(Vec2::new(0.0, dy));
                    ui.ctx().request_repaint();
                }
            }
        }
        if released && self.dragging {
            self.dragging = false;
            let collapsed = self.selected_range(false).is_none();
            if collapsed && !shift {
                self.selection = None;
                let at = latest.and_then(|p| self.char_under(p, shown, origin));
                out.push(at.map_or(Command::Deselect, |c| self.click_annotation(c, input)));
            }
        }
        if !self.dragging {
            self.tooltip(resp, shown, origin, input);
        }
    }

    /// The command for a click at char `c`: select the innermost annotation
    /// there, or the next one when one there is already selected.
    fn click_annotation(&self, c: usize, input: &ViewInput<'_>) -> Command {
        let mut here: Vec<&Annotation> = input
            .project
            .annotations_overlapping(self.doc, CharRange::new(c, c + 1))
            .collect();
        here.sort_by_key(|a| (a.range.len(), a.range.start(), a.id));
        let pick = match input
            .selected
            .and_then(|s| here.iter().position(|a| a.id == s))
        {
            Some(k) => here.get((k + 1) % here.len()),
            None => here.first(),
        };
        pick.map_or(Command::Deselect, |a| Command::SelectAnnotation(a.id))
    }

    fn tooltip(&self, resp: &egui::Response, shown: &[Shown], origin: Pos2, input: &ViewInput<'_>) {
        let Some(c) = resp
            .hover_pos()
            .and_then(|p| self.char_under(p, shown, origin))
        else {
            return;
        };
        let here: Vec<&Annotation> = input
            .project
            .annotations_overlapping(self.doc, CharRange::new(c, c + 1))
            .collect();
        if here.is_empty() {
            return;
        }
        resp.clone().on_hover_ui_at_pointer(|ui| {
            for a in here {
                let label = input.project.label(&a.label);
                let name = label.map_or(a.label.as_str(), |l| l.name.as_str());
                ui.horizontal(|ui| {
                    if let Some(l) = label {
                        ui.colored_label(theme::label_solid(l.color), "■");
                    }
                    ui.strong(name);
                    ui.weak(format!("{} · {}", a.id, a.range));
                });
                if let Some(note) = a.note.as_deref().filter(|n| !n.is_empty()) {
                    ui.label(note);
                }
            }
        });
    }
}
