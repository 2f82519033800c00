//! Times opening a project headlessly: `cargo run --release --example open_time -- PROJECT`.
#![allow(clippy::unwrap_used)]
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let t = std::time::Instant::now();
    let text = std::fs::read_to_string(&path).unwrap();
    let read = t.elapsed();
    let parsed = spanmark::io::project_file::parse(&text).unwrap();
    println!(
        "read {read:?} parse {:?} ({})",
        t.elapsed(),
        parsed.project.annotation_count()
    );
    let t = std::time::Instant::now();
    let src = std::fs::read(std::path::Path::new(&path).with_file_name("big.txt")).unwrap();
    let d = spanmark::io::source::decode(&src).unwrap();
    println!("decode {:?} {}", t.elapsed(), d.text.char_len());
    let t = std::time::Instant::now();
    let ws = spanmark::io::Workspace::open(std::path::Path::new(&path)).unwrap();
    let open = t.elapsed();
    let t = std::time::Instant::now();
    let mut blocks = 0;
    for d in ws.project.documents() {
        if let Some(text) = ws.text(d.id) {
            blocks += spanmark::ui::document_view::blocks::Blocks::new(text).len();
        }
    }
    println!(
        "open {open:?} ({} annotations), blocks {:?} ({blocks})",
        ws.project.annotation_count(),
        t.elapsed()
    );
}
