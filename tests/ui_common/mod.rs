//! Shared set-up for the kittest UI tests: a copy of the sample project in a
//! temporary folder (tests never write into `projects/`) and a harness
//! driving the real workbench with scripted dialogs.

// Tests may panic on broken fixtures: that is how they fail.
#![allow(clippy::expect_used, clippy::unwrap_used)]
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use egui::{Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::ui::dialogs::{Picked, ScriptedDialogs};
use spanmark::ui::document_view::TEXT_AREA_NAME;
use spanmark::ui::{Prefs, Workbench};

/// Copies `projects/harbour-fire` into a fresh temporary folder.
pub fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/harbour-fire");
    copy_dir(&src, dir.path());
    let file = dir.path().join("harbour-fire.spanmark.ron");
    (dir, file)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let e = e.expect("entry");
        // What a run of the app leaves beside the sample (previous versions,
        // a lock) is not part of it.
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with(".spanmark.lock") {
            continue;
        }
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

/// A harness showing `project` (if any) with dialogs answering `answers`.
pub fn harness(project: Option<&Path>, answers: Vec<Picked>) -> Harness<'static, Workbench> {
    let prefs = Prefs {
        author: "Test Analyst".to_owned(),
        ..Prefs::default()
    };
    let mut wb = Workbench::new(Box::new(ScriptedDialogs::new(answers)), prefs);
    // Opens and saves finish inside the command (tests/ui_jobs.rs covers
    // the worker threads).
    wb.background_jobs = false;
    if let Some(p) = project {
        wb.open_project(p);
    }
    let mut h = Harness::builder()
        .with_size(Vec2::new(1280.0, 800.0))
        // Short frames, so two clicks in successive frames make a double click.
        .with_step_dt(0.1)
        .with_max_steps(64)
        .with_context_setup(spanmark::ui::fonts::setup_fonts)
        .build_ui_state(|ui, wb: &mut Workbench| wb.show(ui), wb);
    h.run();
    h
}

/// Screen rectangle of the document text area.
pub fn text_rect(h: &Harness<'_, Workbench>) -> egui::Rect {
    h.get_by_label(TEXT_AREA_NAME).rect()
}

/// Drags the pointer from `a` to `b` (a text selection).
pub fn drag(h: &mut Harness<'_, Workbench>, a: Pos2, b: Pos2) {
    h.hover_at(a);
    h.run();
    h.drag_at(a);
    h.run();
    h.hover_at(Pos2::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0));
    h.run();
    h.hover_at(b);
    h.run();
    h.drop_at(b);
    h.run();
}

/// Clicks at a screen position.
pub fn click_at(h: &mut Harness<'_, Workbench>, p: Pos2) {
    h.hover_at(p);
    h.run();
    h.drag_at(p);
    h.run();
    h.drop_at(p);
    h.run();
}

/// Draws frames until the running job is done (the UI thread only polls).
pub fn wait_for_job(h: &mut Harness<'_, Workbench>) {
    let start = std::time::Instant::now();
    while h.state().job.is_some() {
        assert!(start.elapsed().as_secs() < 60, "job never ended");
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
    h.run();
}

/// The status bar's message, or "" when there is none.
pub fn said(h: &Harness<'_, Workbench>) -> String {
    h.state()
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}
