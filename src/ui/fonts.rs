//! The fonts Spanmark ships, so every script renders the same on every
//! machine (and in tests, where a missing glyph is an error).
//!
//! Invariant: [`setup_fonts`] is the only place fonts are configured; the
//! app and the tests both call it. Fonts live in `assets/fonts/` with their
//! licences (SIL OFL for Noto, Apache 2.0 for Droid, free use for Symbola).

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

/// Shipped fonts, in fallback order after egui's own defaults.
const SHIPPED: &[(&str, &[u8])] = &[
    (
        "NotoSans-Regular",
        include_bytes!("../../assets/fonts/NotoSans-Regular.ttf"),
    ),
    (
        "NotoSansArabic-Regular",
        include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf"),
    ),
    (
        "NotoSansHebrew-Regular",
        include_bytes!("../../assets/fonts/NotoSansHebrew-Regular.ttf"),
    ),
    (
        "DroidSansFallbackFull",
        include_bytes!("../../assets/fonts/DroidSansFallbackFull.ttf"),
    ),
    (
        "Symbola",
        include_bytes!("../../assets/fonts/Symbola_hint.ttf"),
    ),
];

/// The font definitions Spanmark uses: Noto Sans first (Latin, Greek,
/// Cyrillic), then egui's defaults, then Arabic, Hebrew, CJK and symbols/emoji.
#[must_use]
pub fn font_definitions() -> FontDefinitions {
    let mut defs = FontDefinitions::default();
    for (name, bytes) in SHIPPED {
        defs.font_data
            .insert((*name).to_owned(), Arc::new(FontData::from_static(bytes)));
    }
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let list = defs.families.entry(family.clone()).or_default();
        if family == FontFamily::Proportional {
            list.insert(0, "NotoSans-Regular".to_owned());
        } else {
            list.push("NotoSans-Regular".to_owned());
        }
        for (name, _) in SHIPPED.iter().skip(1) {
            list.push((*name).to_owned());
        }
    }
    defs
}

/// Installs Spanmark's fonts into `ctx`.
pub fn setup_fonts(ctx: &egui::Context) {
    ctx.set_fonts(font_definitions());
}
