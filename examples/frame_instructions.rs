//! Idle or scrolling frames of the real workbench (the frame harness's
//! driver, without its thread-CPU clock, whose vDSO set-up valgrind cannot
//! run), for counting instructions with callgrind: exact and repeatable on
//! a shared, noisy box, unlike CPU time. `frames` is the only function
//! measured:
//!
//! ```sh
//! cargo build --release --example frame_instructions
//! valgrind --tool=callgrind --collect-atstart=no \
//!   --toggle-collect='frame_instructions::frames' \
//!   target/release/examples/frame_instructions PROJECT.spanmark.ron 40
//! # instructions per frame = "Collected" / 40; SCROLL=1 scrolls 50 pt a frame
//! ```
//!
//! Without valgrind it prints the frames' median wall time.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    dead_code
)]

#[path = "frame_harness/driver.rs"]
mod driver;
use driver::Driver;
use egui::{Pos2, RawInput, Rect};

/// One frame (`run_ui` + `tessellate`, as the harness); its wall time in ms.
fn frame(d: &mut Driver, t: &mut f64, events: Vec<egui::Event>) -> f64 {
    *t += 1.0 / 60.0;
    let input = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, driver::SCREEN)),
        time: Some(*t),
        predicted_dt: 1.0 / 60.0,
        events,
        ..RawInput::default()
    };
    let wb = &mut d.wb;
    let s = std::time::Instant::now();
    let mut out = d.ctx.run_ui(input, |ui| wb.show(ui));
    let shapes = std::mem::take(&mut out.shapes);
    let prims = d.ctx.tessellate(shapes, out.pixels_per_point);
    out.textures_delta.clear();
    std::hint::black_box(prims);
    s.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = std::path::PathBuf::from(&args[1]);
    let n: usize = args.get(2).map_or(3000, |s| s.parse().unwrap());
    let mut d = Driver::new();
    let mut t = 0.0;
    for _ in 0..5 {
        frame(&mut d, &mut t, vec![]);
    }
    d.wb.execute(spanmark::ui::Command::OpenPath(path));
    while d.wb.view.as_ref().is_none_or(|v| v.blocks_drawn() == 0) {
        std::thread::sleep(std::time::Duration::from_millis(8));
        frame(&mut d, &mut t, vec![]);
    }
    for _ in 0..60 {
        frame(&mut d, &mut t, vec![]);
    }
    frame(&mut d, &mut t, vec![egui::Event::PointerGone]);
    for _ in 0..30 {
        frame(&mut d, &mut t, vec![]);
    }
    let mut v = frames(&mut d, &mut t, n);
    v.sort_by(f64::total_cmp);
    println!(
        "frames p50 {:.3} ms, p10 {:.3} ms (wall clock)",
        v[v.len() / 2],
        v[v.len() / 10]
    );
}

/// The measured frames: idle, or a 50 pt wheel step each with `SCROLL` set.
#[inline(never)]
fn frames(d: &mut Driver, t: &mut f64, n: usize) -> Vec<f64> {
    let mut v = Vec::new();
    let scroll = std::env::var_os("SCROLL").is_some();
    if scroll {
        let c = d.text_rect().center();
        let e = d.move_to(c);
        frame(d, t, vec![e]);
    }
    for _ in 0..n {
        let ev = if scroll {
            vec![Driver::wheel(-50.0)]
        } else {
            vec![]
        };
        v.push(frame(d, t, ev));
    }
    v
}
