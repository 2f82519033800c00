//! Times opening a project headlessly, phase by phase:
//! `cargo run --release --example open_time -- PROJECT.spanmark.ron`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: open_time PROJECT.spanmark.ron");
    let path = Path::new(&path);
    let t = Instant::now();
    let text = spanmark::io::project_file::read_text(path).unwrap();
    let read = t.elapsed();
    let t = Instant::now();
    let parsed = spanmark::io::project_file::parse(&text).unwrap();
    println!(
        "read {read:?}, parse {:?} ({} annotations)",
        t.elapsed(),
        parsed.project.annotation_count()
    );
    let t = Instant::now();
    let ws = spanmark::io::Workspace::open(path).unwrap();
    let open = t.elapsed();
    let t = Instant::now();
    let mut blocks = 0;
    for d in ws.project.documents() {
        if let Some(text) = ws.text(d.id) {
            blocks += spanmark::ui::document_view::blocks::Blocks::new(text).len();
        }
    }
    println!(
        "whole open (file, sources, checks) {open:?}; block index {:?} ({blocks} blocks)",
        t.elapsed()
    );
}
