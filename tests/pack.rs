//! Single-file projects: `embedded_sources`, pack and unpack (library and CLI).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use spanmark::io::pack::{pack_to, unpack};
use spanmark::io::project_file::{self, read::parse_with_ron_only};
use spanmark::io::source::sha256_hex;
use spanmark::io::{PackError, SourceState, Workspace};
use spanmark::model::{CharRange, DocumentId, Edit, History, Project};

/// Sources in every shape the decoder keeps: emoji (ZWJ) UTF-8, CRLF,
/// windows-1252, UTF-16LE with BOM, UTF-8 with BOM.
fn sources() -> Vec<(&'static str, Vec<u8>)> {
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(
            "Ζω 😀 here\nend\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    vec![
        (
            "emoji.txt",
            "👨🏻‍🚒 firemen drive firetrucks\n".as_bytes().to_vec(),
        ),
        (
            "crlf.txt",
            b"Line one\r\nLine two \xe2\x9c\x93\r\nthree\r\n".to_vec(),
        ),
        (
            "legacy.txt",
            b"Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve r\xe9sum\xe9 \xe0 la fran\xe7aise".to_vec(),
        ),
        ("utf16.txt", utf16),
        (
            "bom.txt",
            b"\xef\xbb\xbfWith a BOM: \xc3\xa9t\xc3\xa9\n".to_vec(),
        ),
    ]
}

/// A saved project in `dir` with the [`sources`] under `sources/` and one
/// annotation per document (characters 2..9).
fn project_in(dir: &Path) -> PathBuf {
    let path = dir.join("shared.spanmark.ron");
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    let mut ws = Workspace::new(Project::new("shared"));
    ws.path = Some(path.clone());
    let mut history = History::new_saved();
    for (name, bytes) in sources() {
        let file = dir.join("sources").join(name);
        std::fs::write(&file, bytes).unwrap();
        let new = ws.prepare_document(&file).unwrap();
        let id = new.doc.id;
        let index = ws.project.documents().len();
        history
            .apply(
                &mut ws.project,
                "Add document",
                Edit::AddDocument {
                    doc: Box::new(new.doc),
                    index,
                },
            )
            .unwrap();
        let text = Arc::new(new.decoded.text);
        let next = ws.project.next_annotation_id().0;
        let a = common::annotation(next, id.0, &text, CharRange::new(2, 9), "claim");
        history
            .apply(&mut ws.project, "Tag", Edit::AddAnnotation(Box::new(a)))
            .unwrap();
        ws.sources.insert(id, SourceState::Ready(text));
    }
    ws.save_as(&path).unwrap();
    path
}

fn annotations(ws: &Workspace) -> Vec<(u64, u32, usize, usize, String)> {
    ws.project
        .annotations()
        .map(|a| {
            (
                a.id.0,
                a.doc.0,
                a.range.start().0,
                a.range.end().0,
                a.anchor.quote.clone(),
            )
        })
        .collect()
}

fn texts(ws: &Workspace) -> Vec<String> {
    ws.project
        .documents()
        .iter()
        .map(|d| ws.text(d.id).unwrap().as_str().to_owned())
        .collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

    /// Any text (control characters, `\r`, BOMs, combining marks, emoji,
    /// quotes and backslashes included) survives embedding byte for byte,
    /// on one line, and the project around it is unchanged; the fast reader
    /// and ron agree on the annotations.
    #[test]
    fn embedded_texts_round_trip(
        (mut project, texts) in common::any_project(),
        extra in "\\PC*|[\r\n\t\\\"\u{0}-\u{1f}\u{feff}\u{2028}\u{301}]*",
    ) {
        project.authors = project.all_authors();
        let mut embedded: std::collections::BTreeMap<DocumentId, String> = project
            .documents()
            .iter()
            .zip(&texts)
            .map(|(d, t)| (d.id, t.as_str().to_owned()))
            .collect();
        if let Some(first) = project.documents().first() {
            embedded.insert(first.id, extra);
        }
        let borrowed = embedded.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let text = project_file::to_ron_string_with(&project, &borrowed).unwrap();
        let parsed = project_file::parse(&text).unwrap();
        proptest::prop_assert_eq!(&parsed.embedded, &embedded);
        proptest::prop_assert_eq!(&parsed.project, &project);
        let ron = parse_with_ron_only(&text).unwrap();
        proptest::prop_assert_eq!(ron.annotations.len(), project.annotation_count());
        proptest::prop_assert_eq!(ron.embedded_sources.len(), embedded.len());
        let lines = text.lines().filter(|l| l.starts_with("        (doc: ")).count();
        proptest::prop_assert_eq!(lines, embedded.len());
    }
}

#[test]
fn packed_project_opens_alone_and_unpacks_to_identical_bytes() {
    let original = tempfile::tempdir().unwrap();
    let path = project_in(original.path());
    let mut ws = Workspace::open(&path).unwrap();
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);

    // Pack into another folder that has no sources at all.
    let elsewhere = tempfile::tempdir().unwrap();
    let packed = elsewhere.path().join("mail.spanmark.ron");
    pack_to(&mut ws, &packed).unwrap();
    assert_eq!(
        ws.path.as_deref(),
        Some(path.as_path()),
        "the open project stays"
    );
    assert!(!ws.packed);
    let text = std::fs::read_to_string(&packed).unwrap();
    assert_eq!(
        text.matches("\n        (doc: ").count(),
        5,
        "one line per source"
    );
    // The fast reader and ron agree on the packed file.
    let fast = project_file::parse(&text).unwrap();
    let ron = parse_with_ron_only(&text).unwrap();
    assert_eq!(ron.embedded_sources.len(), 5);
    assert_eq!(fast.embedded.len(), 5);
    assert_eq!(fast.project.annotation_count(), ron.annotations.len());

    let alone = Workspace::open(&packed).unwrap();
    assert!(alone.problems.is_empty(), "{:?}", alone.problems);
    assert!(alone.packed);
    assert_eq!(annotations(&alone), annotations(&ws));
    assert_eq!(texts(&alone), texts(&ws));
    assert_eq!(alone.project.documents(), ws.project.documents());

    // Unpack: the bytes are the original bytes, verified by SHA-256.
    let out = tempfile::tempdir().unwrap();
    let mut alone = alone;
    let done = unpack(&mut alone, out.path(), false).unwrap();
    assert_eq!(done.written.len(), 5);
    assert_eq!(
        done.project,
        out.path().canonicalize().unwrap().join("mail.spanmark.ron")
    );
    for (name, bytes) in sources() {
        let back = std::fs::read(out.path().join("sources").join(name)).unwrap();
        assert_eq!(sha256_hex(&back), sha256_hex(&bytes), "{name}");
    }
    assert!(!alone.packed);
    assert_eq!(alone.path.as_deref(), Some(done.project.as_path()));
    let reopened = Workspace::open(&done.project).unwrap();
    assert!(reopened.problems.is_empty(), "{:?}", reopened.problems);
    assert!(!reopened.packed);
    assert_eq!(annotations(&reopened), annotations(&ws));
    assert!(
        !std::fs::read_to_string(&done.project)
            .unwrap()
            .contains("embedded_sources")
    );
}

#[test]
fn a_packed_project_stays_packed_and_its_text_wins_over_a_file() {
    let original = tempfile::tempdir().unwrap();
    let path = project_in(original.path());
    let mut ws = Workspace::open(&path).unwrap();
    // Packing over the project's own file makes it a single-file project.
    pack_to(&mut ws, &path).unwrap();
    assert!(ws.packed);
    // A different file at a stored path is not read: the embedded text wins.
    std::fs::write(original.path().join("sources/emoji.txt"), "other words").unwrap();
    let mut ws = Workspace::open(&path).unwrap();
    assert!(ws.problems.is_empty(), "{:?}", ws.problems);
    assert!(
        ws.text(ws.project.documents()[0].id)
            .unwrap()
            .as_str()
            .starts_with("👨🏻‍🚒")
    );
    // Saving keeps the texts embedded.
    ws.save_as(&path).unwrap();
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("\n    embedded_sources: [\n")
    );
}

#[test]
fn an_embedded_text_edited_by_hand_is_a_changed_source() {
    let original = tempfile::tempdir().unwrap();
    let path = project_in(original.path());
    let mut ws = Workspace::open(&path).unwrap();
    let packed = original.path().join("packed.spanmark.ron");
    pack_to(&mut ws, &packed).unwrap();
    let text = std::fs::read_to_string(&packed).unwrap();
    let edited = text.replace("(doc: 2, text: \"", "(doc: 2, text: \"New first line\\r\\n");
    std::fs::write(&packed, edited).unwrap();
    let ws = Workspace::open(&packed).unwrap();
    assert!(matches!(
        ws.sources.values().nth(1),
        Some(SourceState::Changed(_))
    ));
    assert_eq!(
        ws.reanchored.len(),
        1,
        "the annotation is placed again, not lost"
    );
    assert_eq!(ws.project.annotation_count(), 5);
}

#[test]
fn packing_refuses_a_missing_source_and_writes_nothing() {
    let original = tempfile::tempdir().unwrap();
    let path = project_in(original.path());
    std::fs::remove_file(original.path().join("sources/crlf.txt")).unwrap();
    let mut ws = Workspace::open(&path).unwrap();
    let packed = original.path().join("packed.spanmark.ron");
    let err = pack_to(&mut ws, &packed).unwrap_err();
    assert!(matches!(err, PackError::SourceUnavailable { .. }));
    assert!(err.to_string().ends_with("sources/crlf.txt"), "{err}");
    assert!(!packed.exists());
}

#[test]
fn unpack_never_replaces_a_different_file_unless_allowed() {
    let original = tempfile::tempdir().unwrap();
    let path = project_in(original.path());
    let mut ws = Workspace::open(&path).unwrap();
    let packed = original.path().join("packed.spanmark.ron");
    pack_to(&mut ws, &packed).unwrap();
    let out = tempfile::tempdir().unwrap();
    std::fs::create_dir(out.path().join("sources")).unwrap();
    let theirs = out.path().join("sources/crlf.txt");
    std::fs::write(&theirs, "someone else's file").unwrap();
    let mut ws = Workspace::open(&packed).unwrap();
    let err = unpack(&mut ws, out.path(), false).unwrap_err();
    assert!(matches!(err, PackError::Exists { .. }), "{err}");
    assert!(err.to_string().ends_with("crlf.txt"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&theirs).unwrap(),
        "someone else's file"
    );
    assert!(
        !out.path().join("sources/emoji.txt").exists(),
        "nothing written"
    );
    assert!(ws.packed, "still the packed project");
    unpack(&mut ws, out.path(), true).unwrap();
    assert_ne!(
        std::fs::read_to_string(&theirs).unwrap(),
        "someone else's file"
    );
}

#[test]
fn cli_pack_and_unpack() {
    let bin = env!("CARGO_BIN_EXE_spanmark");
    let original = tempfile::tempdir().unwrap();
    let path = project_in(original.path());
    let packed = original.path().join("mail.spanmark.ron");
    let run = |args: &[&std::ffi::OsStr]| Command::new(bin).args(args).output().unwrap();
    let o = run(&[
        "pack".as_ref(),
        path.as_ref(),
        "-o".as_ref(),
        packed.as_ref(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // An existing OUT is not replaced without --force.
    let again = run(&[
        "pack".as_ref(),
        path.as_ref(),
        "-o".as_ref(),
        packed.as_ref(),
    ]);
    assert_eq!(again.status.code(), Some(1));
    let dir = tempfile::tempdir().unwrap();
    let o = run(&[
        "unpack".as_ref(),
        packed.as_ref(),
        "-o".as_ref(),
        dir.path().as_ref(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for (name, bytes) in sources() {
        assert_eq!(
            std::fs::read(dir.path().join("sources").join(name)).unwrap(),
            bytes
        );
    }
    let o = run(&[
        "validate".as_ref(),
        dir.path().join("mail.spanmark.ron").as_ref(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    // Unpacking a project that is not packed says so.
    let o = run(&[
        "unpack".as_ref(),
        path.as_ref(),
        "-o".as_ref(),
        dir.path().as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no embedded source texts"));
}
