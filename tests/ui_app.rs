//! Smoke test of the real eframe app (no GPU): boots `spanmark::app::App`
//! with the sample project, draws frames with the shipped fonts (kittest
//! fails on any missing glyph: Greek, curly quotes, 🔥, 🚑 are in the
//! sample) and checks the title, the first-start name prompt and panels.

// Tests may panic on broken fixtures: that is how they fail.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod ui_common;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::app::App;
use ui_common::sample_copy;

#[test]
fn eframe_app_boots_with_the_sample_project() {
    let (_dir, file) = sample_copy();
    let paths = vec![file];
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(|cc| App::new(cc, &paths));
    // The project opens on a worker thread: draw until it is there.
    let start = std::time::Instant::now();
    while h.state().workbench.job.is_some() {
        assert!(start.elapsed().as_secs() < 60, "opening never ended");
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
    h.run();
    assert_eq!(
        h.state().workbench.title(),
        "Port Aldren warehouse fire — Spanmark"
    );
    // First start (no stored preferences): the analyst's name is asked once.
    h.get_by_label("Your name (recorded as the author of your annotations):");
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.state().workbench.prefs.author_confirmed);
    assert!(h.state().workbench.ui.author_prompt.is_none());
    h.get_by_label("Documents");
    h.get_by_label("Annotations");
    // The document with Greek text and emoji renders without missing glyphs.
    h.get_by_role_and_label(Role::Button, "dailybuzz.txt  (7)")
        .click();
    h.run();
    let doc = h.state().workbench.view.as_ref().map(|v| v.doc.0);
    assert_eq!(doc, Some(2));
}

#[test]
fn a_project_that_cannot_be_opened_says_why_in_the_status_bar() {
    use egui_kittest::kittest::NodeT as _;
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("broken.spanmark.ron");
    std::fs::write(&bad, "(this is not a project").expect("write");
    let mut h = ui_common::harness(None, vec![]);
    h.state_mut()
        .execute(spanmark::ui::Command::OpenPath(bad.clone()));
    h.run();
    assert!(h.state().ws.is_none());
    // Said once, in plain words, with the path last — and visible even
    // though no project is open.
    let said = h.get_by_label_contains("Could not open the project");
    let text = said.accesskit_node().value().unwrap_or_default();
    assert!(text.ends_with(&bad.display().to_string()), "{text}");
    h.get_by_label("No project open");
}
