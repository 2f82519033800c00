//! Project file save and load at 100k annotations, and source indexing.
//!
//! Run: `cargo bench --bench project_io`

#![allow(missing_docs, clippy::unwrap_used)]

#[path = "support/corpus.rs"]
mod corpus;

use criterion::{Criterion, criterion_group, criterion_main};
use spanmark::io::project_file::{parse, save, to_ron_string};
use spanmark::model::SourceText;

fn project_io(c: &mut Criterion) {
    let text = SourceText::new(corpus::prose(10 * 1024 * 1024, 7));
    let project = corpus::project_with(&text, 100_000, 11);
    let ron = to_ron_string(&project).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.spanmark.ron");

    let mut group = c.benchmark_group("project_100k");
    group.sample_size(10);
    group.bench_function("serialize", |b| b.iter(|| to_ron_string(&project).unwrap()));
    group.bench_function("save_atomic_verified", |b| {
        b.iter(|| save(&path, &project).unwrap())
    });
    group.bench_function("load_parse", |b| b.iter(|| parse(&ron).unwrap()));
    group.finish();

    let raw = corpus::prose(10 * 1024 * 1024, 3);
    let mut group = c.benchmark_group("source_10mb");
    group.sample_size(10);
    group.bench_function("index", |b| b.iter(|| SourceText::new(raw.clone())));
    group.bench_function("decode_and_index", |b| {
        b.iter(|| spanmark::io::source::decode(raw.as_bytes()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, project_io);
criterion_main!(benches);
