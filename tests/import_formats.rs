//! Importers on hand-written files of each format: documents matched by
//! text or name, labels matched or created, spans that cannot be placed
//! reported, origin recorded, the whole import one undo step.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::string_slice,
    missing_docs
)]

mod common;

use std::path::Path;

use spanmark::io::Workspace;
use spanmark::io::import::{ImportFormat, ImportOptions, ImportReport, place::import_file};
use spanmark::model::{History, Timestamp};

const FIRE: &str = "👨🏻\u{200d}🚒 firemen drive firetrucks";

fn opts(format: ImportFormat, add: bool) -> ImportOptions {
    ImportOptions {
        format,
        add_documents: add,
        author: "importer".into(),
        now: Timestamp(1_795_600_000),
    }
}

/// A project with one document holding the firefighter test vector.
fn project() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("ff.txt");
    std::fs::write(&src, FIRE).unwrap();
    let mut ws = Workspace::new(spanmark::model::Project::new("t"));
    ws.path = Some(dir.path().join("t.spanmark.ron"));
    let new = ws.prepare_document(&src).unwrap();
    let id = new.doc.id;
    spanmark::model::Edit::AddDocument {
        doc: Box::new(new.doc),
        index: 0,
    }
    .apply(&mut ws.project)
    .unwrap();
    ws.sources.insert(
        id,
        spanmark::io::SourceState::Ready(std::sync::Arc::new(new.decoded.text)),
    );
    (dir, ws)
}

fn run(ws: &mut Workspace, file: &Path, o: &ImportOptions) -> (ImportReport, History) {
    let mut h = History::new_saved();
    let r = import_file(ws, &mut h, file, o).unwrap();
    (r, h)
}

fn spans(ws: &Workspace) -> Vec<(usize, usize, String, Option<String>, String)> {
    ws.project
        .annotations()
        .map(|a| {
            (
                a.range.start().0,
                a.range.end().0,
                a.label.as_str().to_owned(),
                a.note.clone(),
                a.origin.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn doccano_plain_matches_by_text_and_creates_unknown_labels() {
    let (dir, mut ws) = project();
    let f = dir.path().join("in.jsonl");
    let line = serde_json::json!({"text": FIRE, "label": [[19, 29, "claim"], [5, 12, "Vehicle crew"], [19, 40, "claim"]]});
    std::fs::write(&f, format!("{line}\n")).unwrap();
    let (r, mut h) = run(&mut ws, &f, &opts(ImportFormat::Doccano, false));
    assert_eq!(r.placed, 2, "{r}");
    assert_eq!(r.created_labels, ["Vehicle crew"]);
    assert_eq!(r.not_placed.len(), 1);
    assert!(r.not_placed[0].contains("past the end"), "{r}");
    let got = spans(&ws);
    assert_eq!(
        got[0],
        (
            5,
            12,
            "vehicle_crew".into(),
            None,
            "doccano:in.jsonl".into()
        )
    );
    assert_eq!(got[1].0..got[1].1, 19..29);
    // One undo removes the whole import, labels included.
    h.undo(&mut ws.project).unwrap();
    assert_eq!(ws.project.annotation_count(), 0);
    assert!(ws.project.label_by_name("Vehicle crew").is_none());
}

#[test]
fn prodigy_skips_rejected_lines_and_reads_notes() {
    let (dir, mut ws) = project();
    let f = dir.path().join("p.jsonl");
    let a = serde_json::json!({"text": FIRE, "spans": [{"start": 19, "end": 29, "label": "CLAIM", "note": "n\r\n1", "author": "model"}], "answer": "accept"});
    let b = serde_json::json!({"text": FIRE, "spans": [{"start": 0, "end": 5, "label": "quote"}], "answer": "reject"});
    std::fs::write(&f, format!("{a}\n{b}\n")).unwrap();
    let (r, _) = run(&mut ws, &f, &opts(ImportFormat::Prodigy, false));
    assert_eq!(r.placed, 1, "{r}");
    let a = ws.project.annotations().next().unwrap();
    assert_eq!(
        (a.label.as_str(), a.note.as_deref(), a.author.as_str()),
        ("claim", Some("n\r\n1"), "model")
    );
}

#[test]
fn label_studio_reads_annotations_and_predictions_and_checks_quotes() {
    let (dir, mut ws) = project();
    let f = dir.path().join("ls.json");
    let task = serde_json::json!([{
        "data": {"text": FIRE},
        "annotations": [{"result": [{"type": "labels", "value": {"start": 19, "end": 29, "text": "firetrucks", "labels": ["claim"]}, "meta": {"text": ["checked"]}}]}],
        "predictions": [{"result": [
            {"type": "labels", "value": {"start": 5, "end": 12, "text": "firemen", "labels": ["quote"]}},
            {"type": "labels", "value": {"start": 5, "end": 12, "text": "WRONG", "labels": ["unverified"]}},
            {"type": "labels", "value": {"start": 19, "end": 29, "text": "firetrucks", "labels": ["claim"]}}
        ]}]
    }]);
    std::fs::write(&f, task.to_string()).unwrap();
    let (r, _) = run(&mut ws, &f, &opts(ImportFormat::LabelStudio, false));
    assert_eq!(r.placed, 2, "{r}");
    assert_eq!(r.not_placed.len(), 2, "{r}");
    assert!(r.not_placed.iter().any(|l| l.contains("differs")));
    assert!(
        r.not_placed
            .iter()
            .any(|l| l.contains("already has this label"))
    );
    assert_eq!(
        ws.project
            .annotations()
            .find(|a| a.range.start().0 == 19)
            .unwrap()
            .note
            .as_deref(),
        Some("checked")
    );
}

#[test]
fn brat_folder_matches_by_name_and_reports_other_lines() {
    let (dir, mut ws) = project();
    let b = dir.path().join("brat");
    std::fs::create_dir(&b).unwrap();
    std::fs::write(b.join("ff.txt"), FIRE).unwrap();
    std::fs::write(
        b.join("ff.ann"),
        "T1\tclaim 6 13;19 29\tfiremen firetrucks\n#1\tAnnotatorNotes T1\ta\\nb \\\\ c\nR1\tRel Arg1:T1 Arg2:T1\n",
    )
    .unwrap();
    let (r, _) = run(&mut ws, &b, &opts(ImportFormat::Brat, false));
    assert_eq!(r.placed, 1, "{r}");
    let a = ws.project.annotations().next().unwrap();
    assert_eq!(
        (a.range.start().0, a.range.end().0, a.note.as_deref()),
        (6, 29, Some("a\nb \\ c"))
    );
    assert_eq!(a.origin.as_deref(), Some("brat:brat"));
}

#[test]
fn csv_rows_are_checked_against_their_text_column() {
    let (dir, mut ws) = project();
    let f = dir.path().join("a.csv");
    std::fs::write(
        &f,
        "document,start,end,label,text,note,author,created\nff.txt,19,29,claim,firetrucks,\"x, \"\"y\"\"\",ana,2026-01-02T03:04:05Z\nff.txt,6,13,claim,nope,,,\nother.txt,0,1,claim,x,,,\n",
    )
    .unwrap();
    let (r, _) = run(&mut ws, &f, &opts(ImportFormat::Csv, false));
    assert_eq!(r.placed, 1, "{r}");
    assert_eq!(r.not_placed.len(), 2, "{r}");
    let a = ws.project.annotations().next().unwrap();
    assert_eq!(
        (a.note.as_deref(), a.author.as_str()),
        (Some("x, \"y\""), "ana")
    );
    assert_eq!(
        spanmark::io::project_file::timestamp::format(a.created),
        "2026-01-02T03:04:05Z"
    );
}

#[test]
fn unknown_texts_become_documents_on_request() {
    let (dir, mut ws) = project();
    let f = dir.path().join("new.jsonl");
    let line = serde_json::json!({"text": "Brand new\r\ntext ✓", "label": [[6, 14, "claim"]], "document": "fresh.txt"});
    std::fs::write(&f, format!("{line}\n")).unwrap();
    let (r, _) = run(&mut ws, &f, &opts(ImportFormat::Doccano, false));
    assert_eq!(r.placed, 0);
    assert!(r.not_placed[0].contains("--add-documents"), "{r}");
    let (r, _) = run(&mut ws, &f, &opts(ImportFormat::Doccano, true));
    assert_eq!((r.placed, r.created_documents.len()), (1, 1), "{r}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("sources/fresh.txt")).unwrap(),
        "Brand new\r\ntext ✓"
    );
    let a = ws.project.annotations().next().unwrap();
    assert_eq!(a.anchor.quote, "new\r\ntex");
    // The workspace saves and reopens clean.
    let path = dir.path().join("t.spanmark.ron");
    ws.save_as(&path).unwrap();
    let back = Workspace::open(&path).unwrap();
    assert!(back.problems.is_empty(), "{:?}", back.problems);
}

#[test]
fn malformed_input_fails_with_place_and_path() {
    let (dir, mut ws) = project();
    let f = dir.path().join("bad.jsonl");
    std::fs::write(&f, "{\"text\": \"x\"}\nnot json\n").unwrap();
    let err = import_file(
        &mut ws,
        &mut History::new_saved(),
        &f,
        &opts(ImportFormat::Doccano, false),
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with("line 2: not JSON") && msg.ends_with("bad.jsonl"),
        "{msg}"
    );
    assert_eq!(ws.project.annotation_count(), 0);
}

#[test]
fn the_window_copy_of_a_report_lists_at_most_so_many_unplaced_spans() {
    let r = spanmark::io::import::ImportReport {
        not_placed: vec!["span a".into(), "span b".into(), "span c".into()],
        ..spanmark::io::import::ImportReport::default()
    };
    let whole = r.to_string();
    assert!(
        whole.contains("span c") && !whole.contains("more"),
        "{whole}"
    );
    let cut = format!("{r:.2}");
    assert!(cut.contains("span b") && !cut.contains("span c"), "{cut}");
    assert!(cut.contains("… and 1 more"), "{cut}");
    assert_eq!(format!("{r:.3}"), whole);
}
