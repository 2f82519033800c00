//! Save and load at 100k annotations, phase by phase, as the fastest of N
//! runs (robust to other processes on a shared 2-core box, unlike a mean).
//!
//! Run: `cargo run --release --example io_phases -- [RUNS]` (default 7).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::time::{Duration, Instant};

use spanmark::io::Workspace;
use spanmark::io::project_file::{parse, to_ron_string};

fn fastest<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            let out = f();
            let took = t.elapsed();
            drop(out);
            took
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(7);
    let dir = tempfile::tempdir().unwrap();
    let text = corpus::prose(10 << 20, 7);
    let path = corpus::write_project(dir.path(), "bench", &text, 100_000, 11);
    let mut ws = Workspace::open(&path).unwrap();
    let ron = to_ron_string(&ws.project).unwrap();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "fastest of {runs} runs, ms (100k annotations, {} MB file)",
        ron.len() >> 20
    );
    println!(
        "serialise        {:8.1}",
        ms(fastest(runs, || to_ron_string(&ws.project).unwrap()))
    );
    println!(
        "parse            {:8.1}",
        ms(fastest(runs, || parse(&ron).unwrap()))
    );
    println!(
        "Workspace::open  {:8.1}",
        ms(fastest(runs, || Workspace::open(&path).unwrap()))
    );
    // The full check: reading and hashing the file (a check of a version
    // already seen skips both, see io::disk_check).
    println!(
        "disk check       {:8.1}",
        ms(fastest(runs, || spanmark::io::disk_check::DiskCheck::take(
            &path
        )))
    );
    let seen = spanmark::io::disk_check::SeenFile::written(&path, "h");
    println!(
        "disk check, seen {:8.3}",
        ms(fastest(runs, || {
            spanmark::io::disk_check::DiskCheck::take_known(&path, seen.as_ref())
        }))
    );
    let none = std::collections::BTreeMap::new();
    println!(
        "prepare (ser+verify+hash) {:8.1}",
        ms(fastest(runs, || spanmark::io::project_file::prepare(
            &path,
            &ws.project,
            &none
        )
        .unwrap()))
    );
    let bytes = ron.as_bytes();
    println!(
        "write_atomic     {:8.1}",
        ms(fastest(runs, || spanmark::io::atomic::write_atomic(
            &path, bytes
        )
        .unwrap()))
    );
    println!(
        "Workspace::save  {:8.1}",
        ms(fastest(runs, || ws.save_as(&path).unwrap()))
    );
}
