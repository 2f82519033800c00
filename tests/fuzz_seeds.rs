//! Runs every cargo-fuzz target's body (`fuzz/src/lib.rs`) over its seed
//! corpus (`fuzz/seeds/TARGET/`), so plain `cargo test` catches a
//! regression on the inputs the fuzzers start from — and on every finding
//! kept there as a regression case.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code, unreachable_pub)]
mod targets;

use std::path::Path;

#[test]
fn every_target_passes_its_seed_corpus() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    for target in targets::TARGETS {
        let dir = seeds.join(target);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(files.len() >= 3, "{target}: too few seeds");
        for f in files {
            let data = std::fs::read(&f).unwrap();
            let outcome = std::panic::catch_unwind(|| targets::run(target, &data));
            assert!(outcome.is_ok(), "{target} panicked on {}", f.display());
        }
    }
}
