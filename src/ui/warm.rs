//! Warming egui's font atlas ahead of a frame, off the UI thread.
//!
//! The first frame that shows a newly opened document has to rasterise
//! every glyph of its first screen (CJK and emoji outlines are costly):
//! ~8 ms on the 10 MB corpus, all on the UI thread. The worker that opened
//! the project lays the same texts out once through the shared
//! [`egui::Context`] instead (the first screen of text, the annotation
//! list's first rows, the label buttons and document rows, each in the font
//! it is drawn in), so the glyphs are in the atlas when the UI thread lays
//! them out for real.
//!
//! Invariants: nothing drawn depends on this — it only fills egui's glyph
//! cache, exactly as the same layouts on the UI thread would (glyphs are
//! rasterised at the sub-pixel position they have in the unwrapped
//! paragraph, so a layout without wrapping warms the same glyphs as the
//! wrapped one). Each layout is one short lock of the context (one block of
//! text), so the UI thread never waits long; `stop` ends the work early.
//! Used only on a context that has run at least one pass (egui has no
//! fonts before).

use std::sync::atomic::{AtomicBool, Ordering};

use egui::text::LayoutJob;
use egui::{Color32, Context, FontId};

/// How much the first screen of a document shows on `ctx`'s window, with a
/// margin: chars of text (rows of the text size, each as long as the widest
/// measure allows) and rows of the annotation list. Warming more would only
/// leave more galleys behind until egui's next pass drops them.
#[must_use]
pub fn first_screen(ctx: &Context) -> (usize, usize) {
    let text_size = crate::ui::theme::TEXT_SIZE;
    let height = ctx.content_rect().height().clamp(100.0, 10_000.0);
    let text_rows = (height / text_size).ceil() as usize;
    let per_row = (crate::ui::document_view::MAX_MEASURE / (text_size * 0.4)).ceil() as usize;
    let list_rows = (height / 30.0).ceil() as usize + 2;
    (text_rows * per_row, list_rows)
}

/// Lays out each of `texts` in `font` once (no wrapping), which rasterises
/// any of their glyphs egui's atlas does not hold yet. Returns how many
/// texts were laid out before `stop` was set.
pub fn warm_glyphs<'a>(
    ctx: &Context,
    font: &FontId,
    texts: impl IntoIterator<Item = &'a str>,
    stop: &AtomicBool,
) -> usize {
    let mut n = 0;
    for text in texts {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        if text.is_empty() {
            continue;
        }
        let job = LayoutJob::simple(text.to_owned(), font.clone(), Color32::WHITE, f32::INFINITY);
        drop(ctx.fonts_mut(|f| f.layout_job(job)));
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context_after_one_pass() -> Context {
        let ctx = Context::default();
        crate::ui::fonts::setup_fonts(&ctx);
        let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
            ui.label("x");
        });
        // No GPU here: the atlas upload is dropped on purpose.
        out.textures_delta.clear();
        ctx
    }

    fn fill(ctx: &Context) -> f32 {
        ctx.fonts(|f| f.font_atlas_fill_ratio())
    }

    #[test]
    fn warming_puts_new_glyphs_in_the_atlas_and_stops_when_asked() {
        let ctx = context_after_one_pass();
        let font = FontId::proportional(crate::ui::theme::TEXT_SIZE);
        // Many CJK glyphs at the text size: far more than one atlas row.
        let text: String = ('\u{4e00}'..'\u{4f00}').collect();
        let stop = AtomicBool::new(true);
        assert_eq!(warm_glyphs(&ctx, &font, [text.as_str()], &stop), 0);
        let before = fill(&ctx);
        let stop = AtomicBool::new(false);
        assert_eq!(warm_glyphs(&ctx, &font, ["", text.as_str()], &stop), 1);
        let after = fill(&ctx);
        assert!(after > before, "atlas fill {before} → {after}");
        // Warm glyphs are not rasterised again.
        warm_glyphs(&ctx, &font, [text.as_str()], &stop);
        assert!((fill(&ctx) - after).abs() < f32::EPSILON);
    }
}
