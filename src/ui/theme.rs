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
/// (FNV-1a of the name picks one of 24 hues), then darkened for a light
/// background or lightened for a dark one until its luminance is on the
/// readable side (≤ 0.45 on light, ≥ 0.62 on dark).
#[must_use]
pub fn author_color(name: &str, dark: bool) -> Color32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    #[allow(clippy::cast_precision_loss)]
    let hue = (h % 24) as f32 / 24.0;
    let c: Color32 = egui::ecolor::Hsva::new(hue, 0.8, 0.9, 1.0).into();
    let [r, g, b, _] = c.to_array().map(|v| f32::from(v) / 255.0);
    let lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let (r, g, b) = if dark {
        // Mix towards white.
        let t = ((0.62 - lum) / (1.0 - lum)).clamp(0.0, 1.0);
        (r + t * (1.0 - r), g + t * (1.0 - g), b + t * (1.0 - b))
    } else {
        // Scale towards black.
        let k = if lum > 0.45 { 0.45 / lum } else { 1.0 };
        (r * k, g * k, b * k)
    };
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let byte = |v: f32| (v * 255.0).round().clamp(0.0, 255.0) as u8;
    Color32::from_rgb(byte(r), byte(g), byte(b))
}
