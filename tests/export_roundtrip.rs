//! Round trips of the lossless formats: export → import into an empty
//! project with the same sources gives back the same (document, range,
//! label, note) set — over random projects with emoji, CRLF, combining
//! marks and overlaps. The only changes allowed are the ones the fidelity
//! report lists (brat cannot hold line breaks at a span's edges).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::string_slice,
    missing_docs
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use proptest::prelude::*;
use spanmark::io::export::{self, AlignPolicy, EntryKind, ExportOptions, Format, Progress};
use spanmark::io::import::{ImportFormat, ImportOptions, place::import_file};
use spanmark::io::{SourceState, Workspace};
use spanmark::model::{CharRange, DocumentId, History, Project, SourceText, Timestamp};

type Key = (DocumentId, usize, usize, String, Option<String>);

fn keys(p: &Project) -> BTreeSet<Key> {
    p.annotations()
        .map(|a| {
            (
                a.doc,
                a.range.start().0,
                a.range.end().0,
                a.label.as_str().to_owned(),
                a.note.clone(),
            )
        })
        .collect()
}

fn empty_copy(p: &Project, texts: &[SourceText], dir: &Path) -> Workspace {
    let (empty, _) = Project::from_parts(
        p.name.clone(),
        p.authors.clone(),
        p.documents().to_vec(),
        p.labels().to_vec(),
        Vec::new(),
    );
    let mut ws = Workspace::new(empty);
    ws.path = Some(dir.join("p.spanmark.ron"));
    for (d, t) in p.documents().iter().zip(texts) {
        ws.sources
            .insert(d.id, SourceState::Ready(Arc::new(t.clone())));
    }
    ws
}

/// Exports `format`, imports it back; returns (before, after, keys the
/// report says were changed).
fn round_trip(
    format: Format,
    import: ImportFormat,
    p: &Project,
    texts: &[SourceText],
) -> (BTreeSet<Key>, BTreeSet<Key>, BTreeSet<u64>) {
    let map: BTreeMap<DocumentId, Arc<SourceText>> = p
        .documents()
        .iter()
        .zip(texts)
        .map(|(d, t)| (d.id, Arc::new(t.clone())))
        .collect();
    let mut opts = ExportOptions::new(format, "rt");
    opts.align = Some(AlignPolicy::Keep);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (written, report) = export::export_to(p, &map, &opts, Progress::default(), &out).unwrap();
    let input: PathBuf = if format.is_folder() {
        out
    } else {
        written[0].clone()
    };
    let mut ws = empty_copy(p, texts, dir.path());
    let mut history = History::new_saved();
    let opts = ImportOptions {
        format: import,
        add_documents: false,
        author: "x".into(),
        now: Timestamp(0),
    };
    let rep = import_file(&mut ws, &mut history, &input, &opts).unwrap();
    let changed: BTreeSet<u64> = report
        .entries
        .iter()
        .filter(|e| e.kind.is_loss())
        .filter_map(|e| e.annotation)
        .collect();
    assert!(
        rep.created_documents.is_empty() && rep.created_labels.is_empty(),
        "{rep}"
    );
    for a in ws.project.annotations() {
        assert_eq!(
            a.origin.as_deref().map(|o| o.starts_with(import.tool())),
            Some(true)
        );
    }
    (keys(p), keys(&ws.project), changed)
}

fn assert_same(format: Format, import: ImportFormat, p: &Project, texts: &[SourceText]) {
    let (before, after, changed) = round_trip(format, import, p, texts);
    let ids: BTreeMap<Key, u64> = p
        .annotations()
        .map(|a| {
            (
                (
                    a.doc,
                    a.range.start().0,
                    a.range.end().0,
                    a.label.as_str().to_owned(),
                    a.note.clone(),
                ),
                a.id.0,
            )
        })
        .collect();
    let kept: BTreeSet<Key> = before
        .iter()
        .filter(|k| !changed.contains(&ids[*k]))
        .cloned()
        .collect();
    let missing: Vec<&Key> = kept.difference(&after).collect();
    assert!(missing.is_empty(), "{format}: lost {missing:?}");
    if format != Format::Brat {
        assert!(changed.is_empty(), "{format}: report lists losses");
        assert_eq!(before, after, "{format}");
    } else {
        assert!(after.len() <= before.len());
    }
}

/// 48 cases by default; `SPANMARK_PROPTEST_CASES=1000` for a longer hunt.
fn cases() -> u32 {
    std::env::var("SPANMARK_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn lossless_formats_round_trip((project, texts) in common::any_project()) {
        assert_same(Format::DoccanoRel, ImportFormat::Doccano, &project, &texts);
        assert_same(Format::Prodigy, ImportFormat::Prodigy, &project, &texts);
        assert_same(Format::Brat, ImportFormat::Brat, &project, &texts);
        assert_same(Format::LabelStudio, ImportFormat::LabelStudio, &project, &texts);
        assert_same(Format::W3c, ImportFormat::W3c, &project, &texts);
        assert_same(Format::Csv, ImportFormat::Csv, &project, &texts);
    }
}

#[test]
fn brat_only_changes_spans_with_line_breaks_at_their_edges() {
    let text = SourceText::new("a\r\nbc 👨🏻\u{200d}🚒 d\ne".to_owned());
    let doc = common::document_for(1, "t.txt", text.as_str());
    let anns = vec![
        common::annotation(1, 1, &text, CharRange::new(0, 5), "claim"), // crosses CRLF
        common::annotation(2, 1, &text, CharRange::new(1, 4), "quote"), // CRLF at the start
    ];
    let (p, _) = Project::from_parts(
        "t".into(),
        vec![],
        vec![doc],
        spanmark::model::label::default_labels(),
        anns,
    );
    let map = BTreeMap::from([(DocumentId(1), Arc::new(text.clone()))]);
    let (files, report) = export::export(
        &p,
        &map,
        &ExportOptions::new(Format::Brat, "t"),
        Progress::default(),
    )
    .unwrap();
    let ann = files.iter().find(|f| f.name == "t.ann").unwrap();
    assert_eq!(
        String::from_utf8(ann.bytes.clone()).unwrap(),
        "T1\tclaim 0 1;3 5\ta bc\nT2\tquote 3 4\tb\n"
    );
    let kinds: Vec<(EntryKind, Option<u64>)> = report
        .entries
        .iter()
        .map(|e| (e.kind, e.annotation))
        .collect();
    assert_eq!(kinds, [(EntryKind::Trimmed, Some(2))]);
}

#[test]
fn firefighter_vector_in_every_offset_format() {
    let text = SourceText::new("👨🏻\u{200d}🚒 firemen drive firetrucks".to_owned());
    let doc = common::document_for(1, "ff.txt", text.as_str());
    let a = common::annotation(1, 1, &text, CharRange::new(19, 29), "claim");
    let (p, _) = Project::from_parts(
        "t".into(),
        vec![],
        vec![doc],
        spanmark::model::label::default_labels(),
        vec![a],
    );
    let map = BTreeMap::from([(DocumentId(1), Arc::new(text))]);
    for (f, needle) in [
        (Format::Doccano, "[[19,29,\"claim\"]]"),
        (Format::DoccanoRel, "\"start_offset\":19,\"end_offset\":29"),
        (
            Format::Prodigy,
            "\"start\":19,\"end\":29,\"label\":\"claim\",\"token_start\":3,\"token_end\":3",
        ),
        (Format::LabelStudio, "\"start\":19,\"end\":29,"),
        (Format::W3c, "\"start\":19,\"end\":29}"),
        (Format::Csv, "ff.txt,19,29,claim,firetrucks,"),
        (Format::Brat, "T1\tclaim 19 29\tfiretrucks"),
        (Format::Conll, "firetrucks _ _ B-claim"),
        (Format::Hf, "\"ner_tags\":[0,0,0,1]"),
    ] {
        let (files, _) =
            export::export(&p, &map, &ExportOptions::new(f, "t"), Progress::default()).unwrap();
        let all: String = files
            .iter()
            .map(|x| String::from_utf8_lossy(&x.bytes).into_owned())
            .collect();
        assert!(all.contains(needle), "{f}: {all}");
    }
}
