//! Shared test helpers: temporary project folders and arbitrary projects.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use spanmark::model::{
    Anchor, Annotation, AnnotationId, CharRange, Document, DocumentId, Label, LabelId, Newline,
    Project, Rgb, SourceText, Status, Timestamp,
};

/// The sample project shipped in `projects/`.
pub fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/harbour-fire/harbour-fire.spanmark.ron")
}

/// Copies the sample project folder into a fresh temporary folder.
pub fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = sample_path();
    let from = src.parent().unwrap();
    copy_dir(from, dir.path());
    let path = dir.path().join(src.file_name().unwrap());
    (dir, path)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        // What a run of the app leaves beside the sample (previous versions,
        // a lock) is not part of it.
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with(".spanmark.lock") {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A document record for `text`, as if added from `path`.
pub fn document_for(id: u32, path: &str, text: &str) -> Document {
    Document {
        id: DocumentId(id),
        name: path.rsplit('/').next().unwrap().to_owned(),
        path: path.to_owned(),
        sha256: spanmark::io::source::sha256_hex(text.as_bytes()),
        byte_len: text.len() as u64,
        encoding: "UTF-8".into(),
        bom: false,
        newline: Newline::detect(text),
        char_len: text.chars().count(),
        status: Status::Todo,
    }
}

/// An annotation of `range` in `text`.
pub fn annotation(
    id: u64,
    doc: u32,
    text: &SourceText,
    range: CharRange,
    label: &str,
) -> Annotation {
    Annotation {
        id: AnnotationId(id),
        doc: DocumentId(doc),
        range,
        label: LabelId::new(label),
        note: None,
        author: "tester".into(),
        created: Timestamp(1_795_600_000),
        modified: Timestamp(1_795_600_000),
        anchor: Anchor::capture(text, range).unwrap(),
        origin: None,
        agreed: Vec::new(),
        conflict: None,
        review: None,
    }
}

/// Text pieces that break naive offset code.
pub fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "word ",
        "Claim",
        " ",
        "\r\n",
        "\n",
        "é",
        "e\u{301}",
        "👨🏻\u{200d}🚒",
        "🔥",
        "中文",
        "“q”",
        "—",
        "\"",
        "\\",
        "\t",
        "«Ω»",
        "\u{5d0}",
    ]);
    prop::collection::vec(pieces, 1..80).prop_map(|v| v.concat())
}

/// Free text for names and notes, including characters RON must escape.
pub fn any_note() -> impl Strategy<Value = Option<String>> {
    prop::option::of("[a-zA-Z \"\\\\\n\r\té😀\u{301}\u{200d}]{0,20}")
}

/// An arbitrary valid project over 1–3 documents, with its texts.
pub fn any_project() -> impl Strategy<Value = (Project, Vec<SourceText>)> {
    let texts = prop::collection::vec(tricky_text(), 1..4);
    (
        texts,
        prop::collection::vec(
            (
                0usize..3,
                0usize..400,
                0usize..400,
                0usize..4,
                any_note(),
                "[a-zé ]{0,8}",
                0i64..4_000_000_000,
            ),
            0..40,
        ),
    )
        .prop_map(|(texts, specs)| {
            let sources: Vec<SourceText> = texts.into_iter().map(SourceText::new).collect();
            let documents: Vec<Document> = sources
                .iter()
                .enumerate()
                .map(|(i, t)| document_for(i as u32 + 1, &format!("src/doc {i}.txt"), t.as_str()))
                .collect();
            let mut labels = spanmark::model::label::default_labels();
            labels.push(Label {
                id: LabelId::new("x_custom"),
                name: "Custom “label”".into(),
                color: Rgb([1, 2, 3]),
                hotkey: None,
                description: "line\nbreak".into(),
                placeholder: false,
            });
            let label_ids = ["claim", "quote", "unverified", "x_custom"];
            let mut annotations: Vec<Annotation> = Vec::new();
            for (n, (d, a, b, l, note, author, time)) in specs.into_iter().enumerate() {
                let d = d % sources.len();
                let len = sources[d].char_len();
                let r = CharRange::new(a % (len + 1), b % (len + 1));
                if r.is_empty() {
                    continue;
                }
                let mut ann = annotation(n as u64 + 1, d as u32 + 1, &sources[d], r, label_ids[l]);
                ann.note = note.filter(|s| !s.is_empty());
                // Every third annotation was also made by others (a merge),
                // every fifth carries a conflict mark with awkward text.
                if n % 3 == 0 && !author.is_empty() {
                    ann.agreed = vec![format!("{author}-2").into(), "zoë \"q\"".into()];
                    ann.agreed.sort();
                }
                if n % 5 == 0 {
                    ann.conflict = Some(format!("same span as #{n} labelled “quote” by {author}"));
                }
                ann.author = author.into();
                ann.created = Timestamp(time);
                ann.modified = Timestamp(time + 60);
                if annotations.iter().any(|o| o.same_span_and_label(&ann)) {
                    continue;
                }
                annotations.push(ann);
            }
            let (project, repairs) = Project::from_parts(
                "Prop “test”".into(),
                vec!["tester".into()],
                documents,
                labels,
                annotations,
            );
            assert!(repairs.is_empty());
            (project, sources)
        })
}
