//! Times the review panel with many flagged annotations: a generated 10 MB
//! text with N annotations (default 200,000), every one flagged "moved" (one
//! batch edit, as re-anchoring after an insert at the top would leave
//! them). The real workbench runs headless (`frame_harness`'s driver) with
//! the panel open and prints CPU time per frame: idle, F8 (next row),
//! Ctrl+Enter (accept: its row is dropped from the cached rows), and the
//! one-step "Accept all exact-quote moves". Then it times opening a smaller
//! project (1 MB, N/20 annotations) whose source really got a paragraph
//! inserted at the top (re-anchoring on open).
//!
//! `cargo run --release --example review_time -- [ANNOTATIONS]`

#![allow(
    dead_code,
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

#[path = "../benches/support/corpus.rs"]
mod corpus;
#[path = "frame_harness/driver.rs"]
mod driver;

use std::time::Instant;

use egui::{Event, Key, Modifiers};
use spanmark::model::{Edit, Review};
use spanmark::ui::Command;
use spanmark::ui::review::ReviewAction;

fn key(key: Key, modifiers: Modifiers) -> Vec<Event> {
    let ev = |pressed| Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers,
    };
    vec![ev(true), ev(false)]
}

fn stats(mut v: Vec<f64>) -> String {
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    format!("p50 {:.2} ms, max {:.2} ms", at(0.5), at(1.0))
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map_or(200_000, |s| s.parse().expect("ANNOTATIONS"));
    let dir = tempfile::tempdir().unwrap();
    let text = corpus::prose(10 * 1024 * 1024, 7);
    let path = corpus::write_project(dir.path(), "big", &text, n, 11);
    let mut d = driver::Driver::new();
    d.wb.background_jobs = false;
    d.wb.open_project(&path);
    let wb = &mut d.wb;
    let ws = wb.ws.as_mut().unwrap();
    let flags: Vec<Edit> = ws
        .project
        .annotations()
        .map(|a| Edit::SetReview {
            id: a.id,
            review: Some(Review::Moved {
                from: a.range,
                ambiguous: false,
            }),
        })
        .collect();
    let t = Instant::now();
    wb.history
        .apply(&mut ws.project, "flag", Edit::Batch(flags))
        .unwrap();
    // As after an open: the panel opens by itself for this workspace.
    wb.generation += 1;
    let ws = wb.ws.as_ref().unwrap();
    println!(
        "{} annotations, {} flagged (batch {:?})",
        ws.project.annotation_count(),
        ws.project.flagged_count(),
        t.elapsed()
    );
    let first = d.frame(Vec::new());
    println!("first frame (panel opens, rows built): {first:.2} ms");
    let idle: Vec<f64> = (0..30).map(|_| d.frame(Vec::new())).collect();
    println!("idle frames with the panel open: {}", stats(idle));
    let next: Vec<f64> = (0..20)
        .map(|_| {
            let ms = d.frame(key(Key::F8, Modifiers::NONE));
            ms + d.frame(Vec::new())
        })
        .collect();
    println!(
        "F8 (next row, selected and shown), 2 frames: {}",
        stats(next)
    );
    let accept: Vec<f64> = (0..20)
        .map(|_| {
            let ms = d.frame(key(Key::Enter, Modifiers::COMMAND));
            ms + d.frame(Vec::new())
        })
        .collect();
    println!(
        "Ctrl+Enter (accept, its row dropped), 2 frames: {}; {} left",
        stats(accept),
        d.wb.ws.as_ref().unwrap().project.flagged_count()
    );
    d.wb.push(Command::Review(ReviewAction::AcceptAllMoves));
    let t = Instant::now();
    let ms = d.frame(Vec::new()) + d.frame(Vec::new());
    println!(
        "Accept all exact-quote moves: {ms:.2} ms CPU in 2 frames ({:?} wall); {} left",
        t.elapsed(),
        d.wb.ws.as_ref().unwrap().project.flagged_count()
    );
    println!("resident memory {} MB", driver::rss_bytes() / (1 << 20));
    drop(d);
    let small = n / 20;
    let text = corpus::prose(1024 * 1024, 7);
    let path = corpus::write_project(dir.path(), "small", &text, small, 11);
    std::fs::write(
        dir.path().join("small.txt"),
        format!("An editor's note added after annotating.\n\n{text}"),
    )
    .unwrap();
    let t = Instant::now();
    let ws = spanmark::io::Workspace::open(&path).unwrap();
    println!(
        "open with re-anchoring, 1 MB and {small} annotations: {:?} ({} flagged)",
        t.elapsed(),
        ws.project.flagged_count()
    );
}
