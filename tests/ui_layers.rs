//! Layer guard for the GUI: exactly one file calls `rfd`, only `app.rs`
//! names eframe, and `model`/`io` know nothing of egui.

// Tests may panic on broken fixtures: that is how they fail.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Files under `src/` whose code (not comments) mentions `needle`.
fn users_of(needle: &str) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut hits: Vec<String> = files
        .into_iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).expect("read");
            text.lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .any(|l| l.contains(needle))
        })
        .map(|f| {
            f.strip_prefix(&src)
                .expect("under src")
                .display()
                .to_string()
        })
        .collect();
    hits.sort();
    hits
}

#[test]
fn rfd_is_called_from_one_file() {
    assert_eq!(users_of("rfd::"), ["ui/dialogs.rs"]);
}

#[test]
fn eframe_is_known_only_to_the_app() {
    assert_eq!(users_of("eframe"), ["app.rs"]);
}

#[test]
fn model_and_io_know_nothing_of_the_gui() {
    for f in users_of("egui").into_iter().chain(users_of("crate::ui")) {
        assert!(!f.starts_with("model/") && !f.starts_with("io/"), "{f}");
    }
}
