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

/// A colour for an author's name, the same on every run and machine
/// (FNV-1a of the name picks the hue), dark enough to read on a light
/// background and light enough on a dark one.
#[must_use]
pub fn author_color(name: &str, dark: bool) -> Color32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    // 24 hues, 15° apart; the low bits of FNV are the best mixed.
    #[allow(clippy::cast_precision_loss)]
    let hue = (h % 24) as f32 / 24.0;
    let (s, v) = if dark { (0.55, 0.95) } else { (0.85, 0.62) };
    egui::ecolor::Hsva::new(hue, s, v, 1.0).into()
}
