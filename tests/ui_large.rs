//! The document view stays virtualized on big texts: opening a few MB of
//! text lays out only the blocks on screen, jumping to the end works, and a
//! single huge line is cut into chunks. Also covers `spanmark FILE.txt`
//! (text files open as documents of a new unsaved project).

// Tests may panic on broken fixtures: that is how they fail.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod ui_common;

use std::fmt::Write as _;

use egui::{Key, Modifiers};
use spanmark::io::Workspace;
use ui_common::harness;

/// About `bytes` of prose with some non-ASCII, one paragraph per few lines.
fn prose(bytes: usize) -> String {
    let words = [
        "harbour",
        "fire",
        "Είδαμε",
        "пожар",
        "λιμάνι",
        "grain",
        "🔥",
        "quay",
        "déjà",
        "смог",
    ];
    let mut s = String::with_capacity(bytes + 100);
    let mut i = 0usize;
    while s.len() < bytes {
        let _ = write!(s, "{} ", words[(i * 7 + i / 3) % words.len()]);
        i += 1;
        if i.is_multiple_of(40) {
            s.push('\n');
        }
        if i.is_multiple_of(200) {
            s.push('\n');
        }
    }
    s
}

#[test]
fn big_text_opens_from_the_command_line_and_stays_virtual() {
    let dir = tempfile::tempdir().expect("temp dir");
    let txt = dir.path().join("big.txt");
    std::fs::write(&txt, prose(3_000_000)).expect("write");
    let mut h = harness(None, vec![]);
    h.state_mut().open_paths(std::slice::from_ref(&txt));
    h.run();
    let wb = h.state();
    let ws = wb.ws.as_ref().expect("a new project");
    assert_eq!(ws.project.documents().len(), 1);
    assert!(wb.is_dirty(), "a new project is unsaved");
    let view = wb.view.as_ref().expect("the document is shown");
    assert!(view.block_count() > 10_000, "{} blocks", view.block_count());
    assert!(
        view.blocks_drawn() < 80,
        "drew {} blocks",
        view.blocks_drawn()
    );

    // Jump near the end and check it is on screen.
    let end = view.text().char_len() - 5;
    if let Some(v) = h.state_mut().view.as_mut() {
        v.reveal(end);
    }
    h.run();
    let view = h.state().view.as_ref().expect("view");
    assert!(
        view.char_screen_rect(&h.ctx, end).is_some(),
        "the end is drawn"
    );
    assert!(view.blocks_drawn() < 80);

    // Saving writes the proposed project beside the text; it reopens.
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let saved = dir.path().join("big.spanmark.ron");
    let reopened = Workspace::open(&saved).expect("saved project opens");
    assert_eq!(reopened.project.documents().len(), 1);
    assert!(reopened.problems.is_empty(), "{:?}", reopened.problems);
}

#[test]
fn one_huge_line_is_chunked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let txt = dir.path().join("line.txt");
    std::fs::write(&txt, prose(1_000_000).replace('\n', " ")).expect("write");
    let mut h = harness(None, vec![]);
    h.state_mut().open_paths(&[txt]);
    h.run();
    let view = h.state().view.as_ref().expect("view");
    assert!(view.block_count() > 200, "{} blocks", view.block_count());
    assert!(
        view.blocks_drawn() < 20,
        "drew {} blocks",
        view.blocks_drawn()
    );
}

#[test]
fn a_long_problem_list_draws_only_the_rows_in_view() {
    use egui_kittest::kittest::Queryable as _;
    use spanmark::io::Problem;
    use spanmark::model::{AnnotationId, Review};
    let (_dir, file) = ui_common::sample_copy();
    let mut h = harness(Some(&file), vec![]);
    // As when a big source is missing: one problem per annotation.
    let problems = (1..=20_000u64).map(|i| Problem::Annotation {
        id: AnnotationId(i),
        document: "big.txt".into(),
        review: Review::SourceUnavailable,
    });
    h.state_mut()
        .ws
        .as_mut()
        .expect("opened")
        .problems
        .extend(problems);
    h.state_mut().ui.problems_open = true;
    h.run();
    let drawn = h.query_all_by_label_contains("needs review").count();
    assert!(drawn > 5 && drawn < 60, "{drawn} rows drawn");
    // Each row's button is there for the rows drawn, the first included.
    h.get_by_label("Show #1");
}

#[test]
fn thousands_of_documents_draw_only_the_rows_in_view() {
    use egui_kittest::kittest::Queryable as _;
    use spanmark::model::{Document, DocumentId, Edit, Newline, Project, Status};
    // As an import that adds a document per post: 5,000 short texts.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut project = Project::new("Posts");
    for i in 1..=5_000u32 {
        let text = format!("Post number {i}.\n");
        let name = format!("post-{i:05}.txt");
        std::fs::write(dir.path().join(&name), &text).expect("write");
        let doc = Document {
            id: DocumentId(i),
            name: name.clone(),
            path: name,
            sha256: spanmark::io::source::sha256_hex(text.as_bytes()),
            byte_len: text.len() as u64,
            encoding: "UTF-8".into(),
            bom: false,
            newline: Newline::Lf,
            char_len: text.chars().count(),
            status: Status::Todo,
        };
        let index = (i - 1) as usize;
        Edit::AddDocument {
            doc: Box::new(doc),
            index,
        }
        .apply(&mut project)
        .expect("added");
    }
    let file = dir.path().join("posts.spanmark.ron");
    let mut ws = Workspace::new(project);
    ws.save_as(&file).expect("saved");
    let mut h = harness(Some(&file), vec![]);
    h.run();
    let drawn = h.query_all_by_label_contains("post-0").count();
    assert!(drawn > 5 && drawn < 60, "{drawn} rows drawn");
    // The first row is there and opens its document.
    h.get_by_label("post-00001.txt  (0)").click();
    h.run();
    let shown = h.state().view.as_ref().map(|v| v.doc);
    assert_eq!(shown, Some(DocumentId(1)));
}
