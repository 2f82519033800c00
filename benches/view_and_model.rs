//! The document view's per-frame pieces and the model's hot paths, on the
//! seeded corpora: block index, hit test (pointer → char offset), the
//! annotations of a visible range at 50k and 500k, tag/delete at 500k, and
//! char ↔ byte offset conversions.
//!
//! Run: `cargo bench --bench view_and_model` (short runs: 1 s warm-up,
//! 3 s measurement, set below).

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "support/corpus.rs"]
mod corpus;

use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use egui::text::LayoutJob;
use egui::{FontId, pos2};
use spanmark::model::{
    AnnotationId, ByteOffset, CharOffset, CharRange, DocumentId, Edit, SourceText,
};
use spanmark::ui::document_view::blocks::Blocks;

fn blocks(c: &mut Criterion) {
    let prose = SourceText::new(corpus::prose(10 << 20, 7));
    let line = SourceText::new(corpus::single_line(2 << 20, 7));
    let mut g = c.benchmark_group("block_index");
    g.bench_function("10mb_prose", |b| b.iter(|| Blocks::new(&prose)));
    g.bench_function("2mb_single_line", |b| b.iter(|| Blocks::new(&line)));
    g.finish();
}

/// Pointer y → block (binary search over the heights) → char inside the
/// block's galley → document offset: the view's hit test path.
fn hit_test(c: &mut Criterion) {
    let text = SourceText::new(corpus::prose(10 << 20, 7));
    let mut blocks = Blocks::new(&text);
    blocks.set_width(800.0, 19.0, 7.0);
    let ctx = egui::Context::default();
    spanmark::ui::fonts::setup_fonts(&ctx);
    let _ = ctx.run_ui(egui::RawInput::default(), |_| {});
    let y = blocks.total_height() * 0.73;
    let i = blocks.at_y(y);
    let block = blocks.get(i).unwrap().clone();
    let piece = text.as_str().get(block.bytes.clone()).unwrap().to_owned();
    let font = FontId::proportional(15.0);
    let job = LayoutJob::simple(piece, font, egui::Color32::BLACK, 800.0);
    let galley = ctx.fonts_mut(|f| f.layout_job(job));
    c.bench_function("hit_test/10mb", |b| {
        b.iter(|| {
            let i = blocks.at_y(std::hint::black_box(y));
            let local = pos2(300.0, y - blocks.top(i));
            let cursor = galley.cursor_from_pos(local.to_vec2());
            blocks.get(i).map(|b| b.chars.start + cursor.index.0)
        });
    });
}

fn queries(c: &mut Criterion) {
    let text = SourceText::new(corpus::prose(10 << 20, 7));
    let mut g = c.benchmark_group("annotations");
    for n in [50_000, 500_000] {
        let project = corpus::project_with(&text, n, 11);
        // About one screen of text (≈ 4,000 chars) in the middle.
        let mid = text.char_len() / 2;
        let range = CharRange::new(mid, mid + 4_000);
        g.bench_function(format!("visible_range_{}k", n / 1000), |b| {
            b.iter(|| {
                project
                    .annotations_overlapping(DocumentId(1), range)
                    .count()
            });
        });
        if n == 500_000 {
            let sample = project.annotations().nth(n / 2).unwrap().clone();
            let mut p = project.clone();
            // Forces the copy-on-write of the shared maps outside the timing.
            let _ = Edit::RemoveAnnotation(sample.id).apply(&mut p).unwrap();
            let _ = Edit::AddAnnotation(Box::new(sample.clone()))
                .apply(&mut p)
                .unwrap();
            g.bench_function("insert_then_remove_500k", |b| {
                b.iter_batched(
                    || {
                        let mut a = sample.clone();
                        a.id = AnnotationId(10_000_000);
                        // Not a duplicate of the sample: one char longer.
                        a.range = CharRange::new(a.range.start().0, a.range.end().0 + 1);
                        a
                    },
                    |a| {
                        Edit::AddAnnotation(Box::new(a)).apply(&mut p).unwrap();
                        Edit::RemoveAnnotation(AnnotationId(10_000_000))
                            .apply(&mut p)
                            .unwrap();
                    },
                    BatchSize::SmallInput,
                );
            });
            g.bench_function("neighbour_500k", |b| {
                b.iter(|| project.neighbour(DocumentId(1), Some(sample.id), true));
            });
        }
    }
    g.finish();
}

fn conversions(c: &mut Criterion) {
    let text = SourceText::new(corpus::prose(10 << 20, 7));
    let n = text.char_len();
    let mut rng = corpus::Rng::new(5);
    let chars: Vec<usize> = (0..1000).map(|_| rng.below(n)).collect();
    let bytes: Vec<usize> = chars
        .iter()
        .map(|c| text.byte_of(CharOffset(*c)).unwrap().0)
        .collect();
    let mut g = c.benchmark_group("offsets_10mb");
    g.bench_function("char_to_byte_x1000", |b| {
        b.iter(|| {
            chars
                .iter()
                .filter_map(|c| text.byte_of(CharOffset(*c)))
                .count()
        });
    });
    g.bench_function("byte_to_char_x1000", |b| {
        b.iter(|| {
            bytes
                .iter()
                .filter_map(|b| text.char_of(ByteOffset(*b)))
                .count()
        });
    });
    g.finish();
}

fn short() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20)
}

criterion_group! {
    name = benches;
    config = short();
    targets = blocks, hit_test, queries, conversions
}
criterion_main!(benches);
