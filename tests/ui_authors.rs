//! Authors: the analyst's name is asked once on first start and kept in the
//! preferences (and recorded on new annotations); the annotation list
//! filters by author (co-authors from a merge included) and colours rows by
//! author; the inspector says "by A (also: B)".

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod ui_common;

use egui::{Key, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::model::{AnnotationId, CharRange, DocumentId};
use spanmark::ui::annotation_list::Filters;
use spanmark::ui::dialogs::ScriptedDialogs;
use spanmark::ui::{Command, Prefs, Workbench};
use ui_common::{harness, sample_copy};

const PROMPT: &str = "Your name (recorded as the author of your annotations):";

/// A workbench as on a first start: nothing confirmed, name from $USER.
fn first_start(prefs: Prefs, project: Option<&std::path::Path>) -> Harness<'static, Workbench> {
    let mut wb = Workbench::new(Box::new(ScriptedDialogs::default()), prefs);
    wb.background_jobs = false;
    if let Some(p) = project {
        wb.open_project(p);
    }
    // What `app::App::new` does after building the workbench.
    wb.ask_author_once();
    let mut h = Harness::builder()
        .with_size(Vec2::new(1280.0, 800.0))
        .with_step_dt(0.1)
        .with_context_setup(spanmark::ui::fonts::setup_fonts)
        .build_ui_state(|ui, wb: &mut Workbench| wb.show(ui), wb);
    h.run();
    h
}

#[test]
fn the_name_is_asked_once_kept_in_prefs_and_recorded_on_new_annotations() {
    let (_dir, file) = sample_copy();
    let prefs = Prefs {
        author: "jdoe".into(),
        ..Prefs::default()
    };
    assert!(
        !prefs.author_confirmed,
        "a first start has no confirmed name"
    );
    let mut h = first_start(prefs, Some(&file));
    let field = h.get_by_label(PROMPT);
    assert_eq!(field.value().as_deref(), Some("jdoe"), "prefilled");
    // While the prompt is open, a label key does not tag anything.
    let count =
        |h: &Harness<'_, Workbench>| h.state().ws.as_ref().unwrap().project.annotation_count();
    let before = count(&h);
    h.state_mut()
        .view
        .as_mut()
        .unwrap()
        .select(CharRange::new(0, 19));
    h.key_press(Key::Num1);
    h.run();
    assert_eq!(count(&h), before);
    for _ in 0..4 {
        h.key_press(Key::Backspace);
        h.run();
    }
    h.get_by_label(PROMPT).type_text("Ana Lima");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert!(h.query_by_label(PROMPT).is_none(), "the prompt is gone");
    let prefs = h.state().prefs.clone();
    assert_eq!(prefs.author, "Ana Lima");
    assert!(prefs.author_confirmed);
    // Not asked again in this run…
    h.state_mut().ask_author_once();
    h.run();
    assert!(h.query_by_label(PROMPT).is_none());
    // …nor in the next: the preferences survive eframe's RON storage.
    let stored = ron::to_string(&prefs).unwrap();
    let loaded: Prefs = ron::from_str(&stored).unwrap();
    assert_eq!(loaded, prefs);
    let h2 = first_start(loaded, None);
    assert!(h2.query_by_label(PROMPT).is_none());
    // The name is recorded on what the analyst tags.
    h.state_mut()
        .view
        .as_mut()
        .unwrap()
        .select(CharRange::new(0, 19));
    h.run();
    h.key_press(Key::Num1);
    h.run();
    let id = h.state().selected.expect("tagged");
    let ws = h.state().ws.as_ref().unwrap();
    assert_eq!(ws.project.annotation(id).unwrap().author, "Ana Lima");
}

#[test]
fn escape_or_ok_keep_the_prefilled_name_and_old_prefs_ask_once() {
    // Preferences saved before the prompt existed load as "not confirmed".
    let old = r#"(zoom: 1.0, dark: false, word_snap: true, recent: [], author: "Ines Moreau")"#;
    let prefs: Prefs = ron::from_str(old).unwrap();
    assert!(!prefs.author_confirmed);
    let mut h = first_start(prefs.clone(), None);
    h.get_by_label(PROMPT);
    h.key_press(Key::Escape);
    h.run();
    assert!(h.query_by_label(PROMPT).is_none());
    assert_eq!(h.state().prefs.author, "Ines Moreau");
    assert!(h.state().prefs.author_confirmed);
    let mut h = first_start(prefs, None);
    h.get_by_label("OK").click();
    h.run();
    assert!(h.query_by_label(PROMPT).is_none());
    assert!(h.state().prefs.author_confirmed);
}

/// The sample project where Tomás Ruiz also made annotation #7 (as a merge
/// of two copies records it).
fn with_co_author() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, file) = sample_copy();
    let text = std::fs::read_to_string(&file).unwrap();
    let text: Vec<String> = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("(id: 7, ") {
                format!("{}, agreed: [\"Tomás Ruiz\"]),", l.trim_end_matches("),"))
            } else {
                l.to_owned()
            }
        })
        .collect();
    std::fs::write(&file, text.join("\n") + "\n").unwrap();
    (dir, file)
}

fn rows(h: &mut Harness<'_, Workbench>) -> Vec<u64> {
    let wb = h.state_mut();
    let ws = wb.ws.as_ref().unwrap();
    let doc = wb.view.as_ref().unwrap().doc;
    let key = (wb.generation, wb.history.revision());
    let filters = Filters {
        label: wb.ui.filter_label.as_ref(),
        author: wb.ui.filter_author.as_deref(),
        text: &wb.ui.filter_text,
    };
    wb.ui
        .list
        .rows(&ws.project, key, doc, filters)
        .iter()
        .map(|id| id.0)
        .collect()
}

#[test]
fn the_list_filters_by_author_including_co_authors() {
    let (_dir, file) = with_co_author();
    let mut h = harness(Some(&file), vec![]);
    h.state_mut().execute(Command::OpenDocument(DocumentId(2)));
    h.run();
    let all = rows(&mut h);
    assert_eq!(all.len(), 7);
    h.get_by_label("Author filter").click();
    h.run();
    h.get_by_label("Tomás Ruiz").click();
    h.run();
    assert_eq!(h.state().ui.filter_author.as_deref(), Some("Tomás Ruiz"));
    h.get_by_label("3 shown");
    assert_eq!(
        rows(&mut h),
        vec![7, 8, 12],
        "his own #8 and #12, and #7, which he also made"
    );
    h.get_by_label("Author filter").click();
    h.run();
    h.get_by_label("Ines Moreau").click();
    h.run();
    assert_eq!(
        rows(&mut h),
        all.iter()
            .copied()
            .filter(|id| *id != 8 && *id != 12)
            .collect::<Vec<_>>()
    );
    h.get_by_label("Author filter").click();
    h.run();
    h.get_by_label("All authors").click();
    h.run();
    assert_eq!(rows(&mut h), all);
    // The inspector names everyone who made the span.
    h.state_mut()
        .execute(Command::SelectAnnotation(AnnotationId(7)));
    h.run();
    h.get_by_label("#7 · by Ines Moreau (also: Tomás Ruiz)");
}

#[test]
fn colour_by_author_shows_a_chip_per_author() {
    let (_dir, file) = with_co_author();
    let mut h = harness(Some(&file), vec![]);
    h.state_mut().execute(Command::OpenDocument(DocumentId(2)));
    h.run();
    assert!(h.query_by_label("TR").is_none());
    h.get_by_label("Colour by author").click();
    h.run();
    // Rows of doc 2: five by Ines Moreau (one also by Tomás Ruiz), two by him.
    assert_eq!(h.get_all_by_label("IM").count(), 5);
    assert_eq!(h.get_all_by_label("TR").count(), 3);
}

/// Relative luminance, 0–1 (sRGB approximation).
fn luminance(c: egui::Color32) -> f32 {
    let [r, g, b, _] = c.to_array();
    (0.2126 * f32::from(r) + 0.7152 * f32::from(g) + 0.0722 * f32::from(b)) / 255.0
}

#[test]
fn author_colours_are_stable_distinct_and_readable_in_both_themes() {
    use spanmark::ui::theme::author_color;
    let names = ["Ines Moreau", "Tomás Ruiz", "analyst", "李雷", ""];
    for n in names {
        assert_eq!(author_color(n, false), author_color(n, false));
        // Dark on light, light on dark.
        assert!(luminance(author_color(n, false)) < 0.55, "{n}");
        assert!(luminance(author_color(n, true)) > 0.55, "{n}");
    }
    assert_ne!(
        author_color("Ines Moreau", false),
        author_color("Tomás Ruiz", false)
    );
}
