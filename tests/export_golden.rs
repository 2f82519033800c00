//! Golden files: every export format of the sample project, byte for byte,
//! with its fidelity report. `SPANMARK_BLESS=1 cargo test --test
//! export_golden` rewrites them after an intended change (review the diff).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::string_slice,
    missing_docs
)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use spanmark::io::Workspace;
use spanmark::io::export::{self, ExportOptions, Format, OverlapPolicy, Progress, Split};
use spanmark::model::{DocumentId, SourceText};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn sample() -> (Workspace, BTreeMap<DocumentId, Arc<SourceText>>) {
    let ws = Workspace::open(&common::sample_path()).unwrap();
    let texts = ws
        .sources
        .iter()
        .filter_map(|(id, s)| s.text().map(|t| (*id, Arc::clone(t))))
        .collect();
    (ws, texts)
}

/// Compares (or, with SPANMARK_BLESS=1, rewrites) one golden folder.
fn check(case: &str, opts: &ExportOptions) {
    let (ws, texts) = sample();
    let (files, report) = export::export(&ws.project, &texts, opts, Progress::default()).unwrap();
    let dir = golden_dir().join(case);
    let mut expected: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| (f.name.clone(), f.bytes.clone()))
        .collect();
    expected.push(("REPORT.json".into(), report.to_json().into_bytes()));
    if std::env::var_os("SPANMARK_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        for (name, bytes) in &expected {
            let p = dir.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
        return;
    }
    for (name, bytes) in &expected {
        let p = dir.join(name);
        let golden = std::fs::read(&p).unwrap_or_else(|_| {
            panic!(
                "missing golden file {} (run with SPANMARK_BLESS=1)",
                p.display()
            )
        });
        assert!(
            golden == *bytes,
            "{} differs from the golden file; run with SPANMARK_BLESS=1 and review the diff",
            p.display()
        );
    }
    let on_disk = walk(&dir);
    let names: Vec<String> = expected.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(
        on_disk,
        {
            let mut n = names;
            n.sort();
            n
        },
        "stale or missing golden files in {case}"
    );
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(
                    p.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_format_matches_its_golden_files() {
    for f in Format::ALL {
        check(f.name(), &ExportOptions::new(f, "harbour-fire"));
    }
}

#[test]
fn label_studio_predictions_golden() {
    let mut o = ExportOptions::new(Format::LabelStudio, "harbour-fire");
    o.predictions = true;
    check("labelstudio-predictions", &o);
}

#[test]
fn conll_per_label_with_split_golden() {
    let mut o = ExportOptions::new(Format::Conll, "harbour-fire");
    o.overlaps = OverlapPolicy::PerLabel;
    o.split = Some(Split {
        train: 80,
        dev: 10,
        test: 10,
        seed: 7,
    });
    check("conll-per-label-split", &o);
}

#[test]
fn exports_are_deterministic() {
    let (ws, texts) = sample();
    for f in Format::ALL {
        let o = ExportOptions::new(f, "x");
        let a = export::export(&ws.project, &texts, &o, Progress::default()).unwrap();
        let b = export::export(&ws.project, &texts, &o, Progress::default()).unwrap();
        assert_eq!(a, b, "{f}");
    }
}
