//! Frame-time probe of the workbench on a 5 MB document (not a pass/fail
//! timing test: it prints numbers, and only asserts that work per frame does
//! not grow with the document). Run it in release for real numbers:
//! `cargo test --release --test ui_frame_times -- --ignored --nocapture`.

// Tests may panic on broken fixtures: that is how they fail.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::print_stdout)]

use std::fmt::Write as _;
use std::time::Instant;

use egui::{Event, RawInput, Rect, Vec2, pos2, vec2};
use spanmark::ui::dialogs::ScriptedDialogs;
use spanmark::ui::{Prefs, Workbench};

fn prose(bytes: usize) -> String {
    let words = [
        "harbour",
        "fire",
        "Είδαμε",
        "пожар",
        "λιμάνι",
        "grain",
        "quay",
        "déjà",
    ];
    let mut s = String::with_capacity(bytes + 100);
    let mut i = 0usize;
    while s.len() < bytes {
        let _ = write!(s, "{} ", words[(i * 7 + i / 3) % words.len()]);
        i += 1;
        if i.is_multiple_of(40) {
            s.push('\n');
        }
        if i.is_multiple_of(200) {
            s.push('\n');
        }
    }
    s
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

#[test]
#[ignore = "prints timings; run explicitly"]
fn frame_times_on_a_big_document() {
    let dir = tempfile::tempdir().expect("temp dir");
    let txt = dir.path().join("big.txt");
    std::fs::write(&txt, prose(5_000_000)).expect("write");
    let ctx = egui::Context::default();
    spanmark::ui::fonts::setup_fonts(&ctx);
    let mut wb = Workbench::new(Box::new(ScriptedDialogs::default()), Prefs::default());
    let t0 = Instant::now();
    wb.open_paths(&[txt]);
    let screen = Rect::from_min_size(pos2(0.0, 0.0), vec2(1920.0, 1080.0));
    let input = |events: Vec<Event>, t: f64| RawInput {
        screen_rect: Some(screen),
        time: Some(t),
        events,
        ..RawInput::default()
    };
    let frame = |events: Vec<Event>, t: f64, wb: &mut Workbench| {
        let start = Instant::now();
        let mut out = ctx.run_ui(input(events, t), |ui| wb.show(ui));
        let _ = ctx.tessellate(std::mem::take(&mut out.shapes), out.pixels_per_point);
        // No GPU here: the texture uploads are dropped on purpose.
        out.textures_delta.clear();
        start.elapsed().as_secs_f64() * 1000.0
    };
    let first = frame(vec![], 0.0, &mut wb);
    println!(
        "open + first frame: {:.1} ms",
        t0.elapsed().as_secs_f64() * 1000.0
    );
    println!("first frame alone: {first:.1} ms");
    let mut idle = Vec::new();
    let mut fling = Vec::new();
    let mut t = 0.0;
    for _ in 0..60 {
        t += 1.0 / 60.0;
        idle.push(frame(vec![], t, &mut wb));
    }
    let over = pos2(900.0, 500.0);
    for _ in 0..120 {
        t += 1.0 / 60.0;
        let events = vec![
            Event::PointerMoved(over),
            Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: Vec2::new(0.0, -1500.0),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Unknown,
                modifiers: egui::Modifiers::NONE,
            },
        ];
        fling.push(frame(events, t, &mut wb));
    }
    for v in [&mut idle, &mut fling] {
        v.sort_by(f64::total_cmp);
    }
    println!(
        "idle  p50 {:.2} ms  p99 {:.2} ms",
        percentile(&idle, 0.5),
        percentile(&idle, 0.99)
    );
    println!(
        "fling p50 {:.2} ms  p99 {:.2} ms",
        percentile(&fling, 0.5),
        percentile(&fling, 0.99)
    );
    let reached = wb.view.as_ref().and_then(|v| v.first_block_drawn());
    let total = wb.view.as_ref().map_or(0, |v| v.block_count());
    println!("after the fling the view starts at block {reached:?} of {total}");
    let drawn = wb.view.as_ref().map_or(0, |v| v.blocks_drawn());
    println!("blocks drawn per frame: {drawn}");
    assert!(drawn < 100);
}
