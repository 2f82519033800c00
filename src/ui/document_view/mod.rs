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
mod input;
pub mod paint;
pub mod selection;

use std::sync::Arc;

use egui::text::LayoutJob;
use egui::{Color32, FontId, Galley, Pos2, Rect, ScrollArea, Sense, Ui, WidgetInfo, vec2};

use crate::model::{Annotation, AnnotationId, CharRange, DocumentId, Project, SourceText};
use crate::ui::command::Command;
use crate::ui::theme;

use blocks::Blocks;
use find::Find;
use paint::{BlockPaint, assign_lanes};
use selection::Selection;

/// Widest wrap width of the text, in points.
pub const MAX_MEASURE: f32 = 820.0;

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

/// Where blocks were drawn last frame, to locate chars on screen.
#[derive(Clone, Debug)]
struct LastFrame {
    width: f32,
    color: Color32,
    origin: Pos2,
    tops: Vec<(usize, f32)>,
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
    last_clip: Rect,
    last_frame: Option<LastFrame>,
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
            last_clip: Rect::NOTHING,
            last_frame: None,
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
            exact: false,
        });
    }

    /// Moves the caret (the selection's moving end) by one grapheme, or to
    /// the next word end / previous word start; `extend` keeps the anchor
    /// (Shift), otherwise the selection collapses to the caret.
    pub fn move_caret(&mut self, forward: bool, word: bool, extend: bool) {
        let t = &self.text;
        let sel = self.selection.get_or_insert_with(|| Selection::at(0));
        let from = if extend || sel.anchor == sel.head {
            sel.head
        } else if forward {
            sel.anchor.max(sel.head)
        } else {
            sel.anchor.min(sel.head)
        };
        let collapsing = !extend && sel.anchor != sel.head;
        let head = match (collapsing, forward, word) {
            (true, _, false) => from,
            (_, true, true) => selection::next_word_end(t, from),
            (_, false, true) => selection::prev_word_start(t, from),
            (_, true, false) => t.next_grapheme(crate::model::CharOffset(from)).0,
            (_, false, false) => t.prev_grapheme(crate::model::CharOffset(from)).0,
        };
        sel.head = head;
        if !extend {
            sel.anchor = head;
        }
        sel.exact = true;
        self.reveal(head);
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
            let y = self.content_y(ui.ctx(), offset);
            let seen = self.last_viewport;
            if !(seen.is_positive() && y >= seen.min.y && y + row_h <= seen.max.y) {
                let h = ui.available_height();
                area = area.vertical_scroll_offset((y - h / 3.0).max(0.0));
            }
            self.pending_scroll = (frames > 1).then_some((offset, frames - 1));
        }
        area.show_viewport(ui, |ui, viewport| {
            self.last_viewport = viewport;
            self.last_clip = ui.clip_rect();
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
        // Long lines are hard to read: cap the measure.
        let full = ui.available_width();
        let width = (full - 12.0).clamp(60.0, MAX_MEASURE);
        self.blocks.set_width(width, row_h, theme::TEXT_SIZE * 0.5);
        let origin = ui.max_rect().min + vec2(6.0, 0.0);
        let text_color = ui.visuals().text_color();
        let mut shown: Vec<Shown> = Vec::new();
        let mut i = self.blocks.at_y(viewport.min.y);
        let mut top = self.blocks.top(i);
        let mut changed = false;
        let mut above = 0.0;
        while i < self.blocks.len() && top < viewport.max.y + row_h {
            let piece = self
                .blocks
                .get(i)
                .and_then(|b| self.text.as_str().get(b.bytes.clone()))
                .unwrap_or_default();
            let job = LayoutJob::simple(piece.to_owned(), font_id.clone(), text_color, width);
            let galley = ui.painter().layout_job(job);
            let h = galley.rect.height().max(row_h);
            let old = self.blocks.height(i);
            if self.blocks.set_measured(i, h) {
                changed = true;
                if top < viewport.min.y {
                    // A block straddling the top edge changed height: keep
                    // the text under the viewport's top edge still.
                    above += h - old;
                }
            }
            shown.push(Shown {
                index: i,
                top,
                galley,
            });
            top += h;
            i += 1;
        }
        if changed {
            if above != 0.0 && self.pending_scroll.is_none() {
                ui.scroll_with_delta(vec2(0.0, -above));
            }
            ui.ctx().request_repaint();
        }
        let size = vec2(
            full.max(width),
            self.blocks.total_height().max(viewport.height()),
        );
        let rect = Rect::from_min_size(ui.max_rect().min, size);
        let resp = ui
            .allocate_rect(rect, Sense::click_and_drag())
            .on_hover_cursor(egui::CursorIcon::Text);
        resp.widget_info(|| WidgetInfo::labeled(egui::Role::Document, true, TEXT_AREA_NAME));
        self.last_frame = Some(LastFrame {
            width,
            color: text_color,
            origin,
            tops: shown.iter().map(|s| (s.index, s.top)).collect(),
        });
        self.interact(ui, &resp, &shown, origin, input, out);
        self.paint(ui, &shown, origin, input);
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

    /// Content y of char `offset`: its block's top plus its row inside the
    /// block (laid out again through the galley cache when width is known).
    fn content_y(&self, ctx: &egui::Context, offset: usize) -> f32 {
        let i = self.blocks.at_char(offset);
        let top = self.blocks.top(i);
        let (Some(last), Some(b)) = (&self.last_frame, self.blocks.get(i)) else {
            return top;
        };
        let Some(piece) = self.text.as_str().get(b.bytes.clone()) else {
            return top;
        };
        let font_id = FontId::proportional(theme::TEXT_SIZE);
        let job = LayoutJob::simple(piece.to_owned(), font_id, last.color, last.width);
        let galley = ctx.fonts_mut(|f| f.layout_job(job));
        let local = offset.saturating_sub(b.chars.start);
        top + galley
            .pos_from_cursor(egui::text::CCursor::new(local))
            .min
            .y
    }

    /// Screen rectangle (zero width) of the gap before char `offset`, if
    /// its block was drawn last frame. Used by tests and pop-ups.
    #[must_use]
    pub fn char_screen_rect(&self, ctx: &egui::Context, offset: usize) -> Option<Rect> {
        let last = self.last_frame.as_ref()?;
        let i = self.blocks.at_char(offset);
        let top = last.tops.iter().find(|(b, _)| *b == i)?.1;
        let b = self.blocks.get(i)?;
        let piece = self.text.as_str().get(b.bytes.clone())?;
        let font_id = FontId::proportional(theme::TEXT_SIZE);
        let job = LayoutJob::simple(piece.to_owned(), font_id, last.color, last.width);
        let galley = ctx.fonts_mut(|f| f.layout_job(job));
        let local = offset.checked_sub(b.chars.start)?;
        let r = galley.pos_from_cursor(egui::text::CCursor::new(local));
        Some(r.translate(last.origin.to_vec2() + vec2(0.0, top)))
    }

    /// How many blocks were laid out and drawn last frame (virtualization
    /// keeps this to what fits on screen, whatever the document size).
    #[must_use]
    pub fn blocks_drawn(&self) -> usize {
        self.last_frame.as_ref().map_or(0, |f| f.tops.len())
    }

    /// Index of the first block drawn last frame (where the view is scrolled to).
    #[must_use]
    pub fn first_block_drawn(&self) -> Option<usize> {
        self.last_frame.as_ref()?.tops.first().map(|(i, _)| *i)
    }

    /// Screen rectangle of the visible text area last frame (the scroll
    /// bar sits along its right edge); `None` before the first frame.
    #[must_use]
    pub fn screen_rect(&self) -> Option<Rect> {
        self.last_clip.is_positive().then_some(self.last_clip)
    }

    /// The texts of the blocks from the top of the document (where a new
    /// view starts) until `chars` chars are covered: what its first screen
    /// will show, for warming the font atlas ahead of it (`ui::warm`).
    pub fn first_blocks(&self, chars: usize) -> impl Iterator<Item = &str> + '_ {
        let s = self.text.as_str();
        (0..self.blocks.len())
            .map_while(move |i| self.blocks.get(i).filter(|b| b.chars.start < chars))
            .filter_map(move |b| s.get(b.bytes.clone()))
    }

    /// Number of blocks the document is split into.
    #[must_use]
    pub fn block_count(&self) -> usize {
        self.blocks.len()
    }
}
