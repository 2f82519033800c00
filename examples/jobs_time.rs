//! The big jobs through the workbench, as the windows start them, with the
//! UI thread's frames meanwhile (CPU and wall time): importing 100k spans,
//! undoing and redoing that import, merging a colleague's copy of the
//! same work, the agreement between the two, adding a 50 MB text file as
//! a document, and locating a changed copy of the 10 MB source (every span
//! placed again). Each runs on a worker, so no frame should stall. Last,
//! the same placing again on a worker of its own, sampled every 0.5 s
//! (the status bar's phase and fraction) and stopped after 2 s: how long
//! its worker takes to end once stopped.
//!
//! ```sh
//! cargo run --release --example jobs_time            # 100k spans over 10 MB
//! cargo run --release --example jobs_time -- 20000   # another count
//! ```
//!
//! The spans come from a generated corpus (`benches/support/corpus.rs`),
//! exported as doccano JSONL and imported into a project over the same
//! text without annotations; the colleague's copy is the generated
//! project itself. All in a temporary folder.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::cast_precision_loss
)]

#[path = "../benches/support/corpus.rs"]
mod corpus;
// The frame harness's headless driver (only part of it is used here).
#[allow(dead_code)]
#[path = "frame_harness/driver.rs"]
mod driver;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use spanmark::io::export::{ExportOptions, Format, Progress, export};
use spanmark::io::import::ImportFormat;
use spanmark::model::{DocumentId, SourceText};
use spanmark::ui::Command;
use spanmark::ui::dialogs::{Picked, ScriptedDialogs};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let text = corpus::prose(10 << 20, 7);
    let spans = dir.path().join("spans.jsonl");
    {
        let shared = Arc::new(SourceText::new(text.clone()));
        let full = corpus::project_with(&shared, n, 11);
        let texts = BTreeMap::from([(DocumentId(1), Arc::clone(&shared))]);
        let opts = ExportOptions::new(Format::Doccano, "spans");
        let (files, _) = export(&full, &texts, &opts, Progress::default()).unwrap();
        std::fs::write(&spans, &files[0].bytes).unwrap();
    }
    let project = corpus::write_project(dir.path(), "empty", &text, 0, 11);
    let theirs = corpus::write_project(dir.path(), "theirs", &text, n, 11);
    let big = dir.path().join("big.txt");
    std::fs::write(&big, corpus::prose(50 << 20, 13)).unwrap();
    // The source with a paragraph inserted in the middle, for "Locate
    // file…": the later half of the spans moves.
    let changed = dir.path().join("changed.txt");
    let mid = text.len() / 2;
    let cut = text
        .bytes()
        .skip(mid)
        .position(|b| b == b'\n')
        .map_or(text.len(), |k| mid + k + 1);
    let (head, tail) = (text.get(..cut).unwrap(), text.get(cut..).unwrap());
    std::fs::write(&changed, format!("{head}An inserted paragraph.\n{tail}")).unwrap();

    let mut d = driver::Driver::new();
    // "Merge project…" will be answered with the colleague's copy, then
    // "Add documents…" with the big text, "Locate file…" with the changed one.
    let prefs = spanmark::ui::Prefs {
        author: "jobs_time".into(),
        ..spanmark::ui::Prefs::default()
    };
    let dialogs = ScriptedDialogs::new([
        Picked::Paths(vec![theirs.clone()]),
        Picked::Paths(vec![big]),
        Picked::Paths(vec![changed.clone()]),
    ]);
    d.wb = spanmark::ui::Workbench::new(Box::new(dialogs), prefs);
    d.wb.background_jobs = true;
    d.wb.execute(Command::OpenPath(project));
    let wait = |d: &mut driver::Driver| {
        let mut frames = Vec::new();
        let start = Instant::now();
        while d.wb.job.is_some() {
            frames.push(d.frame(vec![]));
            std::thread::sleep(Duration::from_millis(2));
        }
        // The frames that draw the result.
        for _ in 0..3 {
            frames.push(d.frame(vec![]));
        }
        (start.elapsed(), frames)
    };
    wait(&mut d);
    d.wb.transfer.import_format = ImportFormat::Doccano;
    d.wb.transfer.import_file = spans.display().to_string();
    d.take_walls();
    let cpu = Instant::now();
    d.wb.execute(Command::RunImport);
    let started = cpu.elapsed();
    let (took, frames) = wait(&mut d);
    let count = d.wb.ws.as_ref().map_or(0, |w| w.project.annotation_count());
    let longest = frames.iter().copied().fold(0.0, f64::max);
    let wall = d.take_walls().into_iter().fold(0.0, f64::max);
    let last: Vec<String> = frames
        .iter()
        .rev()
        .take(4)
        .rev()
        .map(|f| format!("{f:.2}"))
        .collect();
    println!(
        "imported {count} of {n} spans in {:.0} ms; starting it took {:.2} ms on the UI thread; \
         {} frames meanwhile, longest {longest:.2} ms CPU ({wall:.2} ms wall); the last four {} ms",
        took.as_secs_f64() * 1e3,
        started.as_secs_f64() * 1e3,
        frames.len(),
        last.join(" ")
    );
    // Taking it back, and again: one step each; then a colleague's copy.
    for (what, command) in [
        ("undo", Command::Undo),
        ("redo", Command::Redo),
        ("merge", Command::MergeProject),
        ("agreement", Command::ShowAgreement),
        ("add a 50 MB text", Command::AddSources),
        (
            "locate a changed source: read",
            Command::LocateSource(DocumentId(1)),
        ),
        ("locate: place the spans again", Command::UseLocatedAnyway),
    ] {
        d.take_walls();
        let t = Instant::now();
        d.wb.execute(command);
        let took = t.elapsed();
        let (job, frames) = wait(&mut d);
        let count = d.wb.ws.as_ref().map_or(0, |w| w.project.annotation_count());
        let longest = frames.iter().copied().fold(0.0, f64::max);
        let wall = d.take_walls().into_iter().fold(0.0, f64::max);
        let said =
            d.wb.message
                .as_ref()
                .map(|m| m.text.clone())
                .unwrap_or_default();
        println!(
            "{what}: {:.1} ms on the UI thread, then frames up to {longest:.2} ms CPU \
             ({wall:.2} ms wall) until done after {:.0} ms; {count} annotations; {said}",
            took.as_secs_f64() * 1e3,
            job.as_secs_f64() * 1e3
        );
    }

    // Placing every span again, reported and stopped (item 6): a second
    // changed copy, so the located one differs again.
    let again = dir.path().join("changed-again.txt");
    let located = std::fs::read_to_string(&changed).unwrap();
    std::fs::write(&again, format!("A second inserted paragraph.\n{located}")).unwrap();
    let ws = d.wb.ws.as_ref().unwrap().snapshot_for_save();
    let c = spanmark::io::locate::candidate(&ws, DocumentId(1), &again).unwrap();
    let progress = Arc::new(spanmark::model::Progress::new());
    let report = Arc::clone(&progress);
    let worker = std::thread::spawn(move || {
        spanmark::io::locate::relink_with(&ws, c, &report).map(|r| r.placed.len())
    });
    let start = Instant::now();
    for _ in 0..4 {
        std::thread::sleep(Duration::from_millis(500));
        println!(
            "placing again, {:.1} s: {} {}",
            start.elapsed().as_secs_f64(),
            progress.phase_name().unwrap_or("-"),
            progress.fraction().map_or_else(
                || "(no fraction)".to_owned(),
                |f| format!("{:.0} %", f * 100.0)
            )
        );
    }
    let asked = Instant::now();
    progress.stop();
    let result = worker.join().unwrap();
    println!(
        "stopped after {:.1} s: the worker ended {:.1} ms later ({result:?})",
        start.elapsed().as_secs_f64() - asked.elapsed().as_secs_f64(),
        asked.elapsed().as_secs_f64() * 1e3
    );

    // Merging the colleague's copy again, stopped 0.3 s into combining.
    let ws = d.wb.ws.as_ref().unwrap().snapshot_for_save();
    let read = spanmark::io::merge::read_theirs(&theirs, &ws.project, None).unwrap();
    let progress = Arc::new(spanmark::model::Progress::new());
    let report = Arc::clone(&progress);
    let worker = std::thread::spawn(move || {
        spanmark::io::merge::merge_into_workspace_with(&ws, &read, &report)
            .map(|m| m.report.unchanged + m.report.collapsed + m.report.added)
    });
    let start = Instant::now();
    std::thread::sleep(Duration::from_millis(300));
    let phase = progress.phase_name().unwrap_or("-");
    let asked = Instant::now();
    progress.stop();
    let result = worker.join().unwrap();
    println!(
        "merge stopped after {:.1} s ({phase}): the worker ended {:.1} ms later ({result:?})",
        start.elapsed().as_secs_f64() - asked.elapsed().as_secs_f64(),
        asked.elapsed().as_secs_f64() * 1e3
    );
}
