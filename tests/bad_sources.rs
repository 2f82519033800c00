//! The bad-input table, source rows: each case opens a real project whose
//! source is missing, changed, not UTF-8, UTF-16, binary, huge, one 5 MB
//! line, or full of emoji, ZWJ sequences, combining marks and RTL text —
//! and checks the message the analyst sees (or that nothing goes wrong).
//! The table's index is in `tests/bad_inputs.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::path::Path;

use spanmark::io::{Problem, SourceError, SourceState, Workspace};
use spanmark::model::{CharRange, Edit, History, Project, Review};

const STATEMENT: &str = "sources/fire-service-statement.txt";

/// Opens a copy of the sample project with one source replaced by `bytes`,
/// and returns the messages about that source.
fn open_with_source(bytes: &[u8]) -> (Workspace, Vec<String>) {
    let (dir, path) = common::sample_copy();
    std::fs::write(dir.path().join(STATEMENT), bytes).unwrap();
    let ws = Workspace::open(&path).unwrap();
    let msgs = ws
        .problems
        .iter()
        .map(ToString::to_string)
        .filter(|m| m.starts_with("document \"fire-service-statement"))
        .collect();
    (ws, msgs)
}

#[test]
fn missing_source_is_reported_and_its_annotations_kept() {
    let (dir, path) = common::sample_copy();
    std::fs::remove_file(dir.path().join(STATEMENT)).unwrap();
    let ws = Workspace::open(&path).unwrap();
    let msg = ws.problems.iter().map(ToString::to_string).next().unwrap();
    assert_eq!(
        msg,
        "document \"fire-service-statement.txt\": the file is missing: sources/fire-service-statement.txt"
    );
    assert_eq!(ws.project.annotation_count(), 15);
    assert_eq!(
        ws.project
            .needing_review()
            .filter(|a| a.review == Some(Review::SourceUnavailable))
            .count(),
        2
    );
}

#[test]
fn changed_source_is_reported_and_annotations_placed_again() {
    let (dir, path) = common::sample_copy();
    let file = dir.path().join(STATEMENT);
    let text = format!("UPDATED. {}", std::fs::read_to_string(&file).unwrap());
    std::fs::write(&file, text).unwrap();
    let ws = Workspace::open(&path).unwrap();
    assert!(
        ws.problems
            .iter()
            .any(|p| matches!(p, Problem::SourceChanged { .. }))
    );
    let msg = ws.problems.iter().map(ToString::to_string).next().unwrap();
    assert!(
        msg.contains("the source file changed since it was added")
            && msg.ends_with(": sources/fire-service-statement.txt"),
        "{msg}"
    );
    assert_eq!(ws.project.annotation_count(), 15);
    assert!(ws.changed_on_open, "the new places need saving");
}

#[test]
fn non_utf8_source_is_read_as_its_detected_encoding() {
    let latin1 = b"Stra\xdfe in M\xfcnchen: Gr\xfc\xdfe aus K\xf6ln und D\xfcsseldorf, sagte er.";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("brief.txt");
    std::fs::write(&file, latin1).unwrap();
    let mut ws = Workspace::new(Project::new("t"));
    ws.path = Some(dir.path().join("t.spanmark.ron"));
    let new = ws.prepare_document(&file).unwrap();
    assert!(new.decoded.guessed);
    assert_eq!(new.doc.encoding, "windows-1252");
    assert!(new.decoded.text.as_str().starts_with("Straße in München"));
    // Offsets count the decoded characters, not the bytes.
    assert_eq!(new.doc.char_len, latin1.len());
}

#[test]
fn utf16_source_with_bom_is_decoded_and_offsets_count_characters() {
    let text = "«Ω» fire 🔥 at 01:15\r\n";
    for (bom, enc, name) in [
        ([0xff, 0xfe], "UTF-16LE", true),
        ([0xfe, 0xff], "UTF-16BE", false),
    ] {
        let mut bytes = bom.to_vec();
        for u in text.encode_utf16() {
            bytes.extend(if name {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            });
        }
        let (ws, msgs) = open_with_source(&bytes);
        // The statement's text changed (different words), so it is re-anchored,
        // but it was read: its encoding is no problem.
        assert!(msgs.iter().all(|m| !m.contains("encoding")), "{msgs:?}");
        let state = ws.sources.values().find(|s| {
            s.text()
                .is_some_and(|t| t.as_str() == text && t.char_len() == 21)
        });
        assert!(state.is_some(), "{enc} decoded");
    }
    let (_ws, msgs) = open_with_source(&[0xff, 0xfe, 0x41]);
    assert_eq!(
        msgs,
        [
            "document \"fire-service-statement.txt\": the file is not valid UTF-16LE text: sources/fire-service-statement.txt"
        ]
    );
}

#[test]
fn nul_bytes_make_a_source_refused_as_binary() {
    let (ws, msgs) = open_with_source(b"Crews arrived\0\0\0\x01\x02 at 01:15");
    assert_eq!(msgs.len(), 1);
    assert!(
        msgs[0].contains("the file looks binary")
            && msgs[0].contains("not plain text")
            && msgs[0].ends_with(STATEMENT),
        "{}",
        msgs[0]
    );
    assert!(
        ws.sources
            .values()
            .any(|s| matches!(s, SourceState::Unavailable(SourceError::Binary(_))))
    );
    assert_eq!(ws.project.annotation_count(), 15);
}

#[test]
fn two_gigabyte_source_is_refused_without_reading_it() {
    let (dir, path) = common::sample_copy();
    let f = std::fs::File::create(dir.path().join(STATEMENT)).unwrap();
    f.set_len(2 * 1024 * 1024 * 1024).unwrap(); // sparse: no disk used
    drop(f);
    let started = std::time::Instant::now();
    let ws = Workspace::open(&path).unwrap();
    let msg = ws
        .problems
        .iter()
        .map(ToString::to_string)
        .find(|m| m.contains("fire-service"))
        .unwrap();
    assert_eq!(
        msg,
        "document \"fire-service-statement.txt\": the file is 2147483648 bytes, over the 268435456-byte limit for one source: sources/fire-service-statement.txt"
    );
    // Refused from its size, not after reading 2 GB.
    assert!(started.elapsed().as_secs() < 5);
}

#[test]
fn five_megabyte_single_line_loads_and_can_be_annotated_at_its_end() {
    let line = "word ".repeat(1024 * 1024); // 5 MiB, no line break
    let (ws, msgs) = open_with_source(line.as_bytes());
    assert!(
        msgs.iter().all(|m| !m.contains("could not read")),
        "{msgs:?}"
    );
    let (doc, text) = ws
        .sources
        .iter()
        .find_map(|(d, s)| {
            s.text()
                .filter(|t| t.char_len() == line.len())
                .map(|t| (*d, t))
        })
        .unwrap();
    assert_eq!(text.line_count(), 1);
    let mut project = ws.project.clone();
    let end = line.len();
    let range = CharRange::new(end - 5, end - 1);
    let mut a = common::annotation(99, doc.0, text, range, "claim");
    a.id = project.next_annotation_id();
    Edit::AddAnnotation(Box::new(a))
        .apply(&mut project)
        .unwrap();
    assert_eq!(
        project
            .annotations_of(doc)
            .last()
            .map(|a| a.anchor.quote.as_str()),
        Some("word")
    );
}

#[test]
fn emoji_zwj_combining_and_rtl_text_keep_python_offsets_through_save_and_load() {
    // Python: len("Fire 👨🏻‍🚒 ") == 9; "e\u0301cole" starts at 9; ...
    let text = "Fire 👨🏻\u{200d}🚒 e\u{301}cole — שלום עולם — مرحبا 🇫🇷!\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sources")).unwrap();
    let src = dir.path().join("sources/mixed.txt");
    std::fs::write(&src, text).unwrap();
    let project_path = dir.path().join("mixed.spanmark.ron");
    let mut ws = Workspace::new(Project::new("mixed"));
    ws.path = Some(project_path.clone());
    let new = ws.prepare_document(&src).unwrap();
    let doc = new.doc.id;
    let mut history = History::new_unsaved();
    history
        .apply(
            &mut ws.project,
            "Add document",
            Edit::AddDocument {
                doc: Box::new(new.doc),
                index: 0,
            },
        )
        .unwrap();
    let chars: Vec<char> = text.chars().collect();
    let find = |needle: &str| {
        let n: Vec<char> = needle.chars().collect();
        let at = chars.windows(n.len()).position(|w| w == n).unwrap();
        CharRange::new(at, at + n.len())
    };
    let spans = [
        (find("👨🏻\u{200d}🚒"), "claim", (5, 9)),
        (find("e\u{301}cole"), "quote", (10, 16)),
        (find("שלום עולם"), "unverified", (19, 28)),
        (find("مرحبا 🇫🇷"), "claim", (31, 39)),
    ];
    for (n, (range, label, (s, e))) in spans.iter().enumerate() {
        assert_eq!((range.start().0, range.end().0), (*s, *e), "{label}");
        let a = common::annotation(n as u64 + 1, doc.0, &new.decoded.text, *range, label);
        history
            .apply(&mut ws.project, "Tag", Edit::AddAnnotation(Box::new(a)))
            .unwrap();
    }
    ws.save_as(&project_path).unwrap();
    let back = Workspace::open(&project_path).unwrap();
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    let quotes: Vec<&str> = back
        .project
        .annotations()
        .map(|a| a.anchor.quote.as_str())
        .collect();
    assert_eq!(
        quotes,
        ["👨🏻\u{200d}🚒", "e\u{301}cole", "שלום עולם", "مرحبا 🇫🇷"]
    );
    assert_eq!(back.project.documents(), ws.project.documents());
    assert!(back.project.annotations().eq(ws.project.annotations()));
    let on_disk = std::fs::read_to_string(Path::new(&project_path)).unwrap();
    assert!(on_disk.contains("start: 5, end: 9,"), "Python str indices");
}
