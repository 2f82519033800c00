//! Colours and sizes: the only place the UI picks a colour.
//!
//! Invariant: every colour painted by Spanmark's own widgets comes from a
//! function here, so light and dark themes stay consistent.

use egui::Color32;

use crate::model::Rgb;

/// Opaque colour of a label (chips, underlines).
#[must_use]
pub fn label_solid(c: Rgb) -> Color32 {
    let [r, g, b] = c.0;
    Color32::from_rgb(r, g, b)
}

/// Translucent highlight fill of a label; overlapping fills stack visibly.
#[must_use]
pub fn label_fill(c: Rgb, dark: bool) -> Color32 {
    let [r, g, b] = c.0;
    Color32::from_rgba_unmultiplied(r, g, b, if dark { 70 } else { 60 })
}

/// Fill behind the analyst's text selection.
#[must_use]
pub fn selection_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgba_unmultiplied(90, 140, 255, 110)
    } else {
        Color32::from_rgba_unmultiplied(60, 120, 255, 80)
    }
}

/// Outline around the selected annotation.
#[must_use]
pub fn selected_outline(dark: bool) -> Color32 {
    if dark { Color32::WHITE } else { Color32::BLACK }
}

/// Fill behind a search match.
#[must_use]
pub fn find_fill(current: bool) -> Color32 {
    if current {
        Color32::from_rgba_unmultiplied(255, 200, 0, 170)
    } else {
        Color32::from_rgba_unmultiplied(255, 230, 0, 90)
    }
}

/// Colour of warning text (problems, unsaved marker).
#[must_use]
pub fn warning(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(255, 190, 90)
    } else {
        Color32::from_rgb(170, 90, 0)
    }
}

/// Size of the document text in points at zoom 1.
pub const TEXT_SIZE: f32 = 16.0;

/// Thickness of an annotation underline, and the gap between stacked ones.
pub const UNDERLINE: f32 = 2.0;
