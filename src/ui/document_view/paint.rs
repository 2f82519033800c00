//! Geometry and painting of highlights behind a block's glyphs.
//!
//! Invariants: highlights are painted from galley row geometry only, never
//! by changing the `LayoutJob`, so hover, selection and overlaps never cause
//! a re-layout. Overlapping annotations get translucent fills that stack and
//! one underline lane each; lanes are assigned greedily in start order over
//! the visible range, so an annotation keeps its lane across blocks.

use std::ops::Range;

use egui::epaint::text::CharIndex;
use egui::{Galley, Painter, Pos2, Rect, Stroke, StrokeKind, pos2};

use crate::model::{Annotation, AnnotationId, CharRange, Project};
use crate::ui::theme;

/// Galley-relative rectangles covering the chars `range` of a block whose
/// first char is `block_start` (both in document char offsets).
#[must_use]
pub fn range_rects(galley: &Galley, block_start: usize, range: Range<usize>) -> Vec<Rect> {
    let lo = range.start.saturating_sub(block_start);
    let hi = range.end.saturating_sub(block_start);
    let mut out = Vec::new();
    if hi <= lo && !(range.is_empty() && range.start >= block_start) {
        return out;
    }
    let mut row_start = 0usize;
    for row in &galley.rows {
        let n = row.char_count_excluding_newline().0;
        let a = lo.max(row_start);
        let b = hi.min(row_start + n);
        if a < b {
            let x0 = row.pos.x + row.x_offset(CharIndex(a - row_start));
            let x1 = row.pos.x + row.x_offset(CharIndex(b - row_start));
            out.push(Rect::from_min_max(
                pos2(x0, row.min_y()),
                pos2(x1, row.max_y()),
            ));
        }
        row_start += row.char_count_including_newline().0;
        if row_start >= hi {
            break;
        }
    }
    out
}

/// Underline lane of each annotation in view, by id.
#[must_use]
pub fn assign_lanes(annotations: &[&Annotation]) -> Vec<(AnnotationId, usize)> {
    let mut lane_ends: Vec<usize> = Vec::new();
    let mut out = Vec::with_capacity(annotations.len());
    for a in annotations {
        let lane = lane_ends
            .iter()
            .position(|&end| end <= a.range.start().0)
            .unwrap_or(lane_ends.len());
        if lane == lane_ends.len() {
            lane_ends.push(a.range.end().0);
        } else {
            lane_ends[lane] = a.range.end().0;
        }
        out.push((a.id, lane));
    }
    out
}

/// What to paint behind one block.
pub struct BlockPaint<'a> {
    /// The project (labels and colours).
    pub project: &'a Project,
    /// Annotations in view, with their lanes.
    pub annotations: &'a [(&'a Annotation, usize)],
    /// The selected annotation.
    pub selected: Option<AnnotationId>,
    /// The analyst's text selection.
    pub selection: Option<CharRange>,
    /// Search matches in view and the index of the current one.
    pub matches: &'a [(CharRange, bool)],
    /// Dark theme.
    pub dark: bool,
}

impl BlockPaint<'_> {
    /// Paints highlights for the block covering `chars` whose galley sits at `origin`.
    pub fn paint(&self, painter: &Painter, galley: &Galley, origin: Pos2, chars: &Range<usize>) {
        let shift = |r: Rect| r.translate(origin.to_vec2());
        for (range, current) in self.matches {
            for r in range_rects(galley, chars.start, range.start().0..range.end().0) {
                painter.rect_filled(shift(r), 2.0, theme::find_fill(*current));
            }
        }
        for (a, lane) in self.annotations {
            if a.range.end().0 <= chars.start || a.range.start().0 >= chars.end {
                continue;
            }
            let Some(label) = self.project.label(&a.label) else {
                continue;
            };
            let rects = range_rects(galley, chars.start, a.range.start().0..a.range.end().0);
            for r in &rects {
                let r = shift(*r);
                painter.rect_filled(r, 0.0, theme::label_fill(label.color, self.dark));
                let y = r.max.y - 1.0 - (*lane as f32) * (theme::UNDERLINE + 1.0);
                painter.line_segment(
                    [pos2(r.min.x, y), pos2(r.max.x, y)],
                    Stroke::new(theme::UNDERLINE, theme::label_solid(label.color)),
                );
                if self.selected == Some(a.id) {
                    painter.rect_stroke(
                        r.expand(1.0),
                        2.0,
                        Stroke::new(1.5, theme::selected_outline(self.dark)),
                        StrokeKind::Outside,
                    );
                }
            }
        }
        if let Some(sel) = self.selection {
            for r in range_rects(galley, chars.start, sel.start().0..sel.end().0) {
                painter.rect_filled(shift(r), 0.0, theme::selection_fill(self.dark));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CharRange, DocumentId, LabelId, Name, Timestamp};

    fn ann(id: u64, a: usize, b: usize) -> Annotation {
        Annotation {
            id: AnnotationId(id),
            doc: DocumentId(1),
            range: CharRange::new(a, b),
            label: LabelId::new("claim"),
            note: None,
            author: Name::default(),
            created: Timestamp(0),
            modified: Timestamp(0),
            anchor: crate::model::Anchor::default(),
            origin: None,
            agreed: Vec::new(),
            conflict: None,
            review: None,
        }
    }

    #[test]
    fn nested_spans_get_separate_lanes() {
        let (a, b, c) = (ann(1, 0, 10), ann(2, 2, 5), ann(3, 10, 12));
        let lanes = assign_lanes(&[&a, &b, &c]);
        assert_eq!(
            lanes,
            vec![
                (AnnotationId(1), 0),
                (AnnotationId(2), 1),
                (AnnotationId(3), 0)
            ]
        );
    }
}
