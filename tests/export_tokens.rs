//! Properties of the token formats over random projects (emoji, CRLF,
//! combining marks, overlaps): the tokens rebuild the text exactly, every
//! tag sequence is valid IOB2 / BILOU, and every selected span is either
//! written or named in the fidelity report.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::string_slice,
    missing_docs
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use proptest::prelude::*;
use spanmark::io::export::tokenize::tokenize;
use spanmark::io::export::{self, EntryKind, ExportOptions, Format, Progress};
use spanmark::model::{CharRange, DocumentId, Project, SourceText};

fn texts_of(p: &Project, texts: &[SourceText]) -> BTreeMap<DocumentId, Arc<SourceText>> {
    p.documents()
        .iter()
        .zip(texts)
        .map(|(d, t)| (d.id, Arc::new(t.clone())))
        .collect()
}

/// Checks one sentence of tags; returns the number of entities.
fn entities(tags: &[&str], bilou: bool) -> usize {
    let mut open: Option<&str> = None;
    let mut n = 0;
    for t in tags {
        let (p, label) = t.split_once('-').map_or((*t, ""), |(p, l)| (p, l));
        match (p, bilou) {
            ("O", _) => assert!(
                open.is_none() || !bilou,
                "O inside an open BILOU entity: {tags:?}"
            ),
            ("B", _) => {
                assert!(!bilou || open.is_none(), "{tags:?}");
                n += 1;
            }
            ("U", true) => {
                assert!(open.is_none(), "{tags:?}");
                n += 1;
            }
            ("I" | "L", _) => assert_eq!(open, Some(label), "{tags:?}"),
            _ => panic!("bad tag {t}"),
        }
        open = match (p, bilou) {
            ("B" | "I", _) => Some(label),
            _ => None,
        };
    }
    assert!(
        !bilou || open.is_none(),
        "unterminated BILOU entity: {tags:?}"
    );
    n
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn tokens_rebuild_the_text(text in common::tricky_text()) {
        let t = SourceText::new(text.clone());
        let toks = tokenize(&t);
        let mut rebuilt = String::new();
        let mut pos = 0;
        for k in &toks {
            prop_assert_eq!(k.start, pos);
            prop_assert!(k.end > k.start);
            rebuilt.push_str(t.slice(CharRange::new(k.start, k.end)).unwrap());
            pos = k.end;
            if k.ws {
                rebuilt.push(' ');
                pos += 1;
            }
        }
        prop_assert_eq!(rebuilt, text);
    }

    #[test]
    fn tags_are_valid_and_every_span_is_accounted_for((project, texts) in common::any_project()) {
        let map = texts_of(&project, &texts);
        for format in [Format::Conll, Format::Bilou] {
            let (files, report) = export::export(&project, &map, &ExportOptions::new(format, "t"), Progress::default()).unwrap();
            let text = String::from_utf8(files[0].bytes.clone()).unwrap();
            let mut n = 0;
            for block in text.split("\n\n") {
                let tags: Vec<&str> = block
                    .lines()
                    .filter(|l| !l.starts_with("-DOCSTART-"))
                    .map(|l| l.rsplit(' ').next().unwrap())
                    .collect();
                n += entities(&tags, format == Format::Bilou);
            }
            prop_assert_eq!(n, report.written);
            let gone: BTreeSet<u64> = report
                .entries
                .iter()
                .filter(|e| matches!(e.kind, EntryKind::OverlapResolved | EntryKind::Dropped | EntryKind::DroppedMisaligned))
                .filter_map(|e| e.annotation)
                .collect();
            prop_assert_eq!(report.written + gone.len(), report.selected);
        }
    }

    #[test]
    fn snapped_prodigy_spans_sit_on_token_boundaries((project, texts) in common::any_project()) {
        let map = texts_of(&project, &texts);
        let mut o = ExportOptions::new(Format::Prodigy, "t");
        o.align = Some(spanmark::io::export::AlignPolicy::Snap);
        let (files, _) = export::export(&project, &map, &o, Progress::default()).unwrap();
        for line in String::from_utf8(files[0].bytes.clone()).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let toks = v["tokens"].as_array().unwrap();
            for s in v["spans"].as_array().unwrap() {
                let a = &toks[s["token_start"].as_u64().unwrap() as usize];
                let b = &toks[s["token_end"].as_u64().unwrap() as usize];
                prop_assert_eq!(&a["start"], &s["start"]);
                prop_assert_eq!(&b["end"], &s["end"]);
            }
        }
    }
}
