//! Bad inputs, one case each, with the specific error or problem they must
//! give — and never a panic.
//!
//! The whole bad-input table and where each row is tested:
//!
//! | input | test |
//! |---|---|
//! | truncated project | `truncated_file_says_it_ends_early` |
//! | deep nesting | `deep_nesting_is_refused` |
//! | newer format version (read-only, never re-saved) | `newer_format_opens_read_only_and_is_never_resaved` |
//! | BOM | `utf8_bom_in_project_file_is_accepted` |
//! | git conflict markers | `git_conflict_markers_are_named` |
//! | ranges outside the text | `range_outside_the_text_is_kept_for_review` |
//! | quote mismatch | `quote_mismatch_is_kept_for_review` |
//! | duplicate ids | `duplicate_ids_are_renumbered_not_dropped` |
//! | unknown label | `unknown_label_gets_a_placeholder` |
//! | path escapes | `escaping_source_paths_are_refused_without_reading`, `symlink_fifo_and_device_sources_are_refused` |
//! | missing source | `bad_sources.rs`: `missing_source_is_reported_and_its_annotations_kept` |
//! | changed source | `bad_sources.rs`: `changed_source_is_reported_and_annotations_placed_again` |
//! | non-UTF-8 source | `bad_sources.rs`: `non_utf8_source_is_read_as_its_detected_encoding` |
//! | UTF-16 source | `bad_sources.rs`: `utf16_source_with_bom_is_decoded_and_offsets_count_characters` |
//! | NUL bytes | `bad_sources.rs`: `nul_bytes_make_a_source_refused_as_binary` |
//! | a 2 GB file | `bad_sources.rs`: `two_gigabyte_source_is_refused_without_reading_it`; `bad_environment.rs`: `two_gigabyte_project_file_…`, `two_gigabyte_import_file_…` |
//! | a 5 MB single line | `bad_sources.rs`: `five_megabyte_single_line_loads_and_can_be_annotated_at_its_end` |
//! | emoji / ZWJ / combining marks / RTL | `bad_sources.rs`: `emoji_zwj_combining_and_rtl_text_keep_python_offsets_through_save_and_load` |
//! | read-only folder | `bad_environment.rs`: `read_only_folder_refuses_the_save_in_plain_words` |
//! | read-only target | `bad_environment.rs`: `read_only_target_is_not_overwritten_and_the_work_stays` |
//! | disk full | `bad_environment.rs`: `disk_full_save_fails_cleanly_and_keeps_the_work` |
//! | dialog unavailable | `bad_environment.rs`: `unavailable_dialog_offers_an_in_app_path_field_for_save_as`; `ui_files.rs`: `unavailable_dialog_falls_back_to_a_path_field` |

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::string_slice,
    missing_docs
)]

mod common;

use std::path::Path;

use proptest::prelude::*;
use spanmark::io::project_file::{FileProblem, ParseFailure, parse};
use spanmark::io::source::decode;
use spanmark::io::{LoadError, PathError, Problem, SourceError, Workspace};
use spanmark::model::Review;

fn sample_text() -> String {
    std::fs::read_to_string(common::sample_path()).unwrap()
}

fn open_edited(
    edit: impl FnOnce(String) -> String,
) -> (tempfile::TempDir, Result<Workspace, LoadError>) {
    let (dir, path) = common::sample_copy();
    let text = edit(std::fs::read_to_string(&path).unwrap());
    std::fs::write(&path, text).unwrap();
    let ws = Workspace::open(&path);
    (dir, ws)
}

#[test]
fn truncated_file_says_it_ends_early() {
    let text = sample_text();
    let cut = &text[..text.len() / 2];
    match parse(cut) {
        Err(ParseFailure::Syntax { line, message, .. }) => {
            assert!(message.contains("ends early"), "{message}");
            assert!(line > 1);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn deep_nesting_is_refused() {
    let deep = format!(
        "(format_version: 1, extra: {}{})",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    match parse(&deep) {
        Err(ParseFailure::Syntax { message, .. }) => {
            assert!(message.contains("nested"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn newer_format_opens_read_only_and_is_never_resaved() {
    let (_dir, ws) = open_edited(|t| {
        t.replace(
            "format_version: 1,",
            "format_version: 7,\n    future_field: (x: 1),",
        )
    });
    let mut ws = ws.unwrap();
    assert!(ws.read_only.is_some());
    assert!(
        ws.problems
            .contains(&Problem::File(FileProblem::NewerVersion(7)))
    );
    let path = ws.path.clone().unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = ws.save_as(&path).unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn utf8_bom_in_project_file_is_accepted() {
    let (_dir, ws) = open_edited(|t| format!("\u{feff}{t}"));
    assert!(ws.unwrap().problems.is_empty());
}

#[test]
fn git_conflict_markers_are_named() {
    let (_dir, ws) = open_edited(|t| {
        t.replace(
            "    labels: [",
            "<<<<<<< HEAD\n=======\n>>>>>>> theirs\n    labels: [",
        )
    });
    let err = ws.unwrap_err();
    assert!(matches!(err, LoadError::ConflictMarkers { .. }));
    assert!(err.to_string().contains("git conflict markers"), "{err}");
}

#[test]
fn range_outside_the_text_is_kept_for_review() {
    let (_dir, ws) = open_edited(|t| t.replace("start: 179, end: 225,", "start: 179, end: 9999,"));
    let ws = ws.unwrap();
    assert_eq!(ws.project.annotation_count(), 15);
    let flagged: Vec<_> = ws.project.needing_review().collect();
    assert_eq!(flagged.len(), 1);
    assert!(matches!(
        flagged[0].review,
        Some(Review::OutOfRange { len: 318 })
    ));
    assert!(
        ws.problems
            .iter()
            .any(|p| p.to_string().contains("#15") && p.to_string().contains("past the end"))
    );
}

#[test]
fn quote_mismatch_is_kept_for_review() {
    let (_dir, ws) = open_edited(|t| {
        t.replace(
            "quote: \"There was no explosion.\"",
            "quote: \"There was an explosion.\"",
        )
    });
    let ws = ws.unwrap();
    assert_eq!(ws.project.annotation_count(), 15);
    let a = ws.project.needing_review().next().unwrap();
    assert_eq!(a.anchor.quote, "There was an explosion.");
    assert!(
        matches!(&a.review, Some(Review::QuoteMismatch { found }) if found == "There was no explosion.")
    );
}

#[test]
fn duplicate_ids_are_renumbered_not_dropped() {
    let (_dir, ws) = open_edited(|t| t.replace("(id: 14, doc: 3", "(id: 15, doc: 3"));
    let ws = ws.unwrap();
    assert_eq!(ws.project.annotation_count(), 15);
    assert!(
        ws.problems
            .iter()
            .any(|p| p.to_string().contains("used twice"))
    );
}

#[test]
fn unknown_label_gets_a_placeholder() {
    let (_dir, ws) = open_edited(|t| {
        t.replace(
            "(id: 14, doc: 3, start: 227, end: 250, label: \"claim\"",
            "(id: 14, doc: 3, start: 227, end: 250, label: \"rumour\"",
        )
    });
    let ws = ws.unwrap();
    let label = ws
        .project
        .label(&spanmark::model::LabelId::new("rumour"))
        .unwrap();
    assert!(label.placeholder);
    assert!(
        ws.problems
            .iter()
            .any(|p| p.to_string().contains("placeholder"))
    );
}

#[test]
fn exact_duplicate_annotations_are_flagged() {
    let text = sample_text();
    let line = text
        .lines()
        .find(|l| l.contains("(id: 14,"))
        .unwrap()
        .to_owned();
    let dup = line.replace("(id: 14,", "(id: 99,");
    let (_dir, ws) = open_edited(|t| t.replace(&line, &format!("{line}\n{dup}")));
    let ws = ws.unwrap();
    assert_eq!(ws.project.annotation_count(), 16);
    assert!(
        ws.project
            .needing_review()
            .any(|a| matches!(a.review, Some(Review::Duplicate { .. })))
    );
}

#[test]
fn escaping_source_paths_are_refused_without_reading() {
    for (path, expect) in [
        ("../outside.txt", "leaves the project folder"),
        ("/etc/passwd", "absolute"),
        ("C:/Windows/win.ini", "absolute"),
        ("\\\\\\\\server\\\\share\\\\x.txt", "absolute"),
        ("sources/CON", "device"),
    ] {
        let (_dir, ws) = open_edited(|t| {
            t.replace(
                "path: \"sources/meridian-ledger.txt\"",
                &format!("path: \"{path}\""),
            )
        });
        let ws = ws.unwrap();
        let msg = ws
            .problems
            .iter()
            .map(ToString::to_string)
            .find(|m| m.contains("meridian"))
            .unwrap();
        assert!(msg.contains(expect), "{path}: {msg}");
        assert_eq!(ws.project.annotation_count(), 15, "annotations stay");
    }
}

#[cfg(unix)]
#[test]
fn symlink_fifo_and_device_sources_are_refused() {
    let (dir, path) = common::sample_copy();
    let src = dir.path().join("sources/meridian-ledger.txt");
    std::fs::remove_file(&src).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", &src).unwrap();
    let ws = Workspace::open(&path).unwrap();
    assert!(matches!(
        ws.sources.values().next(),
        Some(spanmark::io::SourceState::Unavailable(SourceError::Path(
            PathError::Escapes(_)
        )))
    ));
    std::fs::remove_file(&src).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&src)
        .status()
        .unwrap();
    assert!(made.success());
    let ws = Workspace::open(&path).unwrap(); // must not block on the FIFO
    assert!(
        ws.problems
            .iter()
            .any(|p| p.to_string().contains("not a regular file"))
    );
    std::fs::remove_file(&src).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &src).unwrap();
    let ws = Workspace::open(&path).unwrap(); // must not read forever
    assert!(
        ws.problems
            .iter()
            .any(|p| p.to_string().contains("outside the project folder"))
    );
}

#[test]
fn missing_and_changed_sources_are_reported_and_annotations_kept() {
    let (dir, path) = common::sample_copy();
    std::fs::remove_file(dir.path().join("sources/dailybuzz.txt")).unwrap();
    let statement = dir.path().join("sources/fire-service-statement.txt");
    let changed = std::fs::read_to_string(&statement)
        .unwrap()
        .replace("01:15", "01:20");
    std::fs::write(&statement, changed).unwrap();
    let ws = Workspace::open(&path).unwrap();
    assert_eq!(ws.project.annotation_count(), 15);
    assert!(ws.problems.iter().any(|p| matches!(
        p,
        Problem::Source {
            error: SourceError::Missing,
            ..
        }
    )));
    assert!(
        ws.problems
            .iter()
            .any(|p| matches!(p, Problem::SourceChanged { .. }))
    );
    assert_eq!(
        ws.project
            .needing_review()
            .filter(|a| a.review == Some(Review::SourceUnavailable))
            .count(),
        7
    );
}

#[test]
fn source_encodings_and_binary_files() {
    assert!(matches!(decode(b"a\0b"), Err(SourceError::Binary(_))));
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain("«Ω» 🔥\r\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let d = decode(&utf16).unwrap();
    assert_eq!(
        (d.text.as_str(), d.encoding.as_str(), d.bom),
        ("«Ω» 🔥\r\n", "UTF-16LE", true)
    );
    let legacy =
        decode(b"Stra\xdfe in M\xfcnchen, Gr\xfc\xdfe aus K\xf6ln und D\xfcsseldorf").unwrap();
    assert!(legacy.guessed);
    assert_eq!(
        legacy.text.as_str(),
        "Straße in München, Grüße aus Köln und Düsseldorf"
    );
    let long_line = "x".repeat(5 * 1024 * 1024);
    assert_eq!(decode(long_line.as_bytes()).unwrap().text.line_count(), 1);
}

#[test]
fn oversize_source_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(2 * 1024 * 1024 * 1024).unwrap(); // sparse 2 GB
    let err = spanmark::io::source::read_source(&big, spanmark::io::source::MAX_SOURCE_BYTES)
        .unwrap_err();
    assert!(matches!(err, SourceError::TooLarge { .. }), "{err}");
}

#[test]
fn unreadable_project_messages_end_with_the_path() {
    let err = Workspace::open(Path::new("/nonexistent/x.spanmark.ron")).unwrap_err();
    assert!(
        err.to_string().ends_with("/nonexistent/x.spanmark.ron"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.spanmark.ron");
    std::fs::write(&p, b"\xff\xfe not utf8").unwrap();
    assert!(matches!(
        Workspace::open(&p),
        Err(LoadError::NotUtf8 { .. })
    ));
    std::fs::write(
        &p,
        "(format_version: 1, offset_unit: \"utf16\", name: \"x\")",
    )
    .unwrap();
    let err = Workspace::open(&p).unwrap_err();
    assert!(
        err.to_string().contains("offsets are counted in \"utf16\""),
        "{err}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn loader_never_panics_on_arbitrary_text(s in ".{0,300}") {
        let _ = parse(&s);
    }

    #[test]
    fn loader_never_panics_on_mutated_projects(cut in 0usize..4000, insert in "[()\\[\\]\",:a-z0-9 ]{0,5}") {
        let text = sample_text();
        let mut at = cut.min(text.len());
        while !text.is_char_boundary(at) { at -= 1; }
        let mutated = format!("{}{}{}", &text[..at], insert, &text[at..]);
        let _ = parse(&mutated);
    }

    #[test]
    fn decoder_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = decode(&bytes);
    }
}
