//! Every exporter on 100,000 spans over 10 MB of seeded prose (files kept
//! in memory, and written to disk as the app writes them), and the
//! workbench's real open and save of a project folder with 100k
//! annotations (`Workspace::open`, `Workspace::save_as`: read, parse,
//! SHA-256 of the source, quote check of every span / changed-on-disk
//! check, backup, serialise, verify, atomic write with fsync).
//!
//! Also UAX #29 segmentation of the 10 MB text, with and without the
//! exporters' fast path.
//!
//! Run: `cargo bench --bench exports` (short runs, set below).

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "support/corpus.rs"]
mod corpus;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use spanmark::io::Workspace;
use spanmark::io::export::options::{ExportOptions, Format};
use spanmark::io::export::{Progress, export, export_to, segments};
use spanmark::model::{DocumentId, SourceText};

fn exporters(c: &mut Criterion) {
    let text = Arc::new(SourceText::new(corpus::prose(10 << 20, 7)));
    let project = corpus::project_with(&text, 100_000, 11);
    let texts = BTreeMap::from([(DocumentId(1), Arc::clone(&text))]);
    let mut g = c.benchmark_group("export_100k");
    g.sample_size(10);
    for f in Format::ALL {
        let opts = ExportOptions::new(f, "bench");
        g.bench_function(f.name(), |b| {
            b.iter(|| export(&project, &texts, &opts, Progress::default()).unwrap());
        });
    }
    g.finish();
    // What the app and `spanmark export` do: files made straight into the
    // destination a piece at a time, flushed to disk, renamed into place.
    let dir = tempfile::tempdir().unwrap();
    let mut g = c.benchmark_group("export_to_disk_100k");
    g.sample_size(10);
    for f in Format::ALL {
        let opts = ExportOptions::new(f, "bench");
        let dest = dir.path().join(format!("{}.{}", f.name(), f.extension()));
        g.bench_function(f.name(), |b| {
            b.iter(|| export_to(&project, &texts, &opts, Progress::default(), &dest).unwrap());
        });
    }
    g.finish();
}

/// UAX #29 on the 10 MB corpus: unicode-segmentation alone, and
/// `export::segments`, which gives the same boundaries; words also on the
/// same text with every fourth `e` accented (`é`, as in French) and with
/// its ASCII letters turned into Cyrillic ones.
fn segmentation(c: &mut Criterion) {
    use unicode_segmentation::UnicodeSegmentation;
    let text = corpus::prose(10 << 20, 7);
    let mut es = 0;
    let accented: String = text
        .chars()
        .map(|ch| {
            es += usize::from(ch == 'e');
            if ch == 'e' && es % 4 == 0 { 'é' } else { ch }
        })
        .collect();
    let cyrillic: String = text
        .chars()
        .map(|ch| match ch {
            'a'..='z' => char::from_u32(0x430 + u32::from(ch) - u32::from('a')).unwrap(),
            _ => ch,
        })
        .collect();
    let mut g = c.benchmark_group("segment_10mb");
    g.sample_size(10);
    for (name, s) in [
        ("", &text),
        ("accented/", &accented),
        ("cyrillic/", &cyrillic),
    ] {
        let s = s.as_str();
        g.bench_function(format!("{name}words/unicode_segmentation"), |b| {
            b.iter(|| s.split_word_bound_indices().count());
        });
        g.bench_function(format!("{name}words/segments"), |b| {
            b.iter(|| segments::word_bounds(s).count());
        });
    }
    let s = text.as_str();
    g.bench_function("sentences/unicode_segmentation", |b| {
        b.iter(|| s.split_sentence_bound_indices().count());
    });
    g.bench_function("sentences/segments", |b| {
        b.iter(|| segments::sentence_byte_starts(s).len());
    });
    g.finish();
}

fn workspace(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let text = corpus::prose(10 << 20, 7);
    let path = corpus::write_project(dir.path(), "bench", &text, 100_000, 11);
    let mut g = c.benchmark_group("workspace_100k");
    g.sample_size(10);
    g.bench_function("open", |b| b.iter(|| Workspace::open(&path).unwrap()));
    let mut ws = Workspace::open(&path).unwrap();
    g.bench_function("save_as", |b| b.iter(|| ws.save_as(&path).unwrap()));
    let ws = Workspace::open(&path).unwrap();
    g.bench_function("snapshot_for_save", |b| b.iter(|| ws.snapshot_for_save()));
    g.finish();
}

fn short() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = short();
    targets = exporters, segmentation, workspace
}
criterion_main!(benches);
