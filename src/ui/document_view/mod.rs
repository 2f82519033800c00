//! The virtualized document view: text in blocks, highlights painted behind
//! the glyphs, and the analyst's own selection in char offsets.
//!
//! Invariants: the whole text is never given to one galley: each visible
//! block gets a small `LayoutJob` through egui's galley cache, and galleys
//! are not kept across frames. Heights start as estimates and are replaced
//! by measured ones when a block is laid out. The view never changes the
//! project: it edits its own selection and pushes [`Command`]s.

pub mod blocks;
pub mod find;
pub mod paint;
pub mod selection;

use std::sync::Arc;

use egui::text::LayoutJob;
use egui::{FontId, Galley, Pos2, Rect, ScrollArea, Sense, Ui, Vec2, WidgetInfo, vec2};

use crate::model::{Annotation, AnnotationId, CharRange, DocumentId, Project, SourceText};
use crate::ui::command::Command;
use crate::ui::theme;

use blocks::Blocks;
use find::Find;
use paint::{BlockPaint, assign_lanes};
use selection::{Selection, word_at};

/// Accessible name of the document text area.
pub const TEXT_AREA_NAME: &str = "Document text";

/// What the view needs to read from the rest of the workbench.
pub struct ViewInput<'a> {
    /// The project being annotated.
    pub project: &'a Project,
    /// The selected annotation.
    pub selected: Option<AnnotationId>,
    /// Snap selections to whole words.
    pub word_snap: bool,
    /// Dark theme.
    pub dark: bool,
}

/// A block laid out this frame: index, top (content coordinates) and galley.
struct Shown {
    index: usize,
    top: f32,
    galley: Arc<Galley>,
}

/// The view of one document.
pub struct DocumentView {
    /// The document shown.
    pub doc: DocumentId,
    text: Arc<SourceText>,
    blocks: Blocks,
    /// The analyst's text selection.
    pub selection: Option<Selection>,
    dragging: bool,
    /// Offset to bring into view, and frames left to keep trying.
    pending_scroll: Option<(usize, u8)>,
    last_viewport: Rect,
    /// The find bar.
    pub find: Find,
}

impl DocumentView {
    /// A view of `doc` showing `text` from the top.
    #[must_use]
    pub fn new(doc: DocumentId, text: Arc<SourceText>) -> Self {
        Self {
            doc,
            blocks: Blocks::new(&text),
            text,
            selection: None,
            dragging: false,
            pending_scroll: None,
            last_viewport: Rect::NOTHING,
            find: Find::default(),
        }
    }

    /// The text shown.
    #[must_use]
    pub fn text(&self) -> &Arc<SourceText> {
        &self.text
    }

    /// The non-empty selected range, snapped.
    #[must_use]
    pub fn selected_range(&self, words: bool) -> Option<CharRange> {
        let r = self.selection?.range(&self.text, words);
        (!r.is_empty()).then_some(r)
    }

    /// Selects `range` as if dragged (used by tests and commands).
    pub fn select(&mut self, range: CharRange) {
        self.selection = Some(Selection {
            anchor: range.start().0,
            head: range.end().0,
        });
    }

    /// Scrolls so that char `offset` is visible (over the next frames).
    pub fn reveal(&mut self, offset: usize) {
        self.pending_scroll = Some((offset, 3));
    }

    /// Draws the find bar (when open) and the text.
    pub fn ui(&mut self, ui: &mut Ui, input: &ViewInput<'_>, out: &mut Vec<Command>) {
        if self.find.open {
            if self.find.refresh(&self.text)
                && let Some(m) = self.find.current_match()
            {
                self.reveal(m.start().0);
            }
            self.find.ui(ui, out);
            ui.separator();
        }
        let font_id = FontId::proportional(theme::TEXT_SIZE);
        let row_h = ui.fonts_mut(|f| f.row_height(&font_id));
        let mut area = ScrollArea::vertical()
            .id_salt(("document", self.doc))
            .auto_shrink(false);
        if let Some((offset, frames)) = self.pending_scroll {
            let i = self.blocks.at_char(offset);
            let (top, bottom) = (self.blocks.top(i), self.blocks.top(i + 1));
            let seen = self.last_viewport;
            if !(seen.is_positive() && top >= seen.min.y && bottom <= seen.max.y) {
                let h = ui.available_height();
                area = area.vertical_scroll_offset((top - h / 3.0).max(0.0));
            }
            self.pending_scroll = (frames > 1).then_some((offset, frames - 1));
        }
        area.show_viewport(ui, |ui, viewport| {
            self.last_viewport = viewport;
            self.content_ui(ui, viewport, &font_id, row_h, input, out);
        });
    }

    fn content_ui(
        &mut self,
        ui: &mut Ui,
        viewport: Rect,
        font_id: &FontId,
        row_h: f32,
        input: &ViewInput<'_>,
        out: &mut Vec<Command>,
    ) {
        let width = (ui.available_width() - 12.0).max(60.0);
        self.blocks.set_width(width, row_h, theme::TEXT_SIZE * 0.5);
        let origin = ui.max_rect().min + vec2(6.0, 0.0);
        let text_color = ui.visuals().text_color();
        let mut shown: Vec<Shown> = Vec::new();
        let mut i = self.blocks.at_y(viewport.min.y);
        let mut top = self.blocks.top(i);
        let mut changed = false;
        while i < self.blocks.len() && top < viewport.max.y + row_h {
            let piece = self
                .blocks
                .get(i)
                .and_then(|b| self.text.as_str().get(b.bytes.clone()))
                .unwrap_or_default();
            let job = LayoutJob::simple(piece.to_owned(), font_id.clone(), text_color, width);
            let galley = ui.painter().layout_job(job);
            let h = galley.rect.height().max(row_h);
            changed |= self.blocks.set_measured(i, h);
            shown.push(Shown {
                index: i,
                top,
                galley,
            });
            top += h;
            i += 1;
        }
        if changed {
            self.blocks.rebuild_tops();
            ui.ctx().request_repaint();
        }
        let size = vec2(width, self.blocks.total_height().max(viewport.height()));
        let rect = Rect::from_min_size(ui.max_rect().min, size + vec2(12.0, 0.0));
        let resp = ui.allocate_rect(rect, Sense::click_and_drag());
        resp.widget_info(|| WidgetInfo::labeled(egui::Role::Document, true, TEXT_AREA_NAME));
        self.interact(ui, &resp, &shown, origin, input, out);
        self.paint(ui, &shown, origin, input);
    }

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

    fn interact(
        &mut self,
        ui: &Ui,
        resp: &egui::Response,
        shown: &[Shown],
        origin: Pos2,
        input: &ViewInput<'_>,
        out: &mut Vec<Command>,
    ) {
        let (pressed, down, released, shift, latest, origin_pos) = ui.input(|i| {
            (
                i.pointer.primary_pressed(),
                i.pointer.primary_down(),
                i.pointer.primary_released(),
                i.modifiers.shift,
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
                out.push(at.map_or(Command::ClearSelection, |c| self.click_annotation(c, input)));
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
        pick.map_or(Command::ClearSelection, |a| Command::SelectAnnotation(a.id))
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

    fn paint(&self, ui: &Ui, shown: &[Shown], origin: Pos2, input: &ViewInput<'_>) {
        let (Some(first), Some(last)) = (
            shown.first().and_then(|s| self.blocks.get(s.index)),
            shown.last().and_then(|s| self.blocks.get(s.index)),
        ) else {
            return;
        };
        let span = CharRange::new(first.chars.start, last.chars.end.max(first.chars.start + 1));
        let in_view: Vec<&Annotation> = input
            .project
            .annotations_overlapping(self.doc, span)
            .collect();
        let lanes = assign_lanes(&in_view);
        let with_lanes: Vec<(&Annotation, usize)> = in_view
            .iter()
            .copied()
            .zip(lanes.iter().map(|(_, l)| *l))
            .collect();
        let from = self
            .find
            .matches
            .partition_point(|m| m.end() <= span.start());
        let matches: Vec<(CharRange, bool)> = if self.find.open {
            self.find.matches[from..]
                .iter()
                .enumerate()
                .take_while(|(_, m)| m.start() < span.end())
                .map(|(k, m)| (*m, from + k == self.find.current))
                .collect()
        } else {
            Vec::new()
        };
        let painter = BlockPaint {
            project: input.project,
            annotations: &with_lanes,
            selected: input.selected,
            selection: self.selected_range(input.word_snap),
            matches: &matches,
            dark: input.dark,
        };
        let text_color = ui.visuals().text_color();
        for s in shown {
            let Some(b) = self.blocks.get(s.index) else {
                continue;
            };
            let pos = origin + vec2(0.0, s.top);
            painter.paint(ui.painter(), &s.galley, pos, &b.chars);
            ui.painter().galley(pos, s.galley.clone(), text_color);
        }
    }
}
