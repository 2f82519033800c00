//! Exports of a document big enough to be written in two halves on two
//! threads (over 256 KB of text, over 4,096 spans): the JSON formats and
//! the token formats must still say exactly what one pass would — every
//! span in order, with its text, its context and its tokens.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::string_slice,
    missing_docs
)]

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use spanmark::io::export::tokenize::{sentence_starts, tokenize};
use spanmark::io::export::{self, ExportOptions, Format, Progress};
use spanmark::model::{CharRange, DocumentId, Project, SourceText};
use unicode_segmentation::UnicodeSegmentation;

const PIECES: &[&str] = &[
    "The port authority said ",
    "“no fire,” ",
    "café naïve ",
    "Москва ",
    "👨🏻‍🚒 ",
    "3,000 tonnes. ",
    "e.g. don't ",
    "Officials! ",
    "\r\n",
    "\n\n",
    "x\u{301} ",
];

/// About 300 KB of prose from a fixed sequence of pieces.
fn text() -> String {
    let mut s = String::new();
    let mut k = 7usize;
    while s.len() < 300 << 10 {
        s.push_str(PIECES[k % PIECES.len()]);
        k = (k * 31 + 17) % 10_007;
    }
    s
}

fn project(text: &SourceText, n: usize) -> Project {
    let len = text.char_len();
    let labels = ["claim", "quote", "unverified"];
    let annotations = (0..n)
        .map(|i| {
            let start = i * (len - 40) / n;
            let r = CharRange::new(start, start + 1 + (i * 7) % 30);
            common::annotation(i as u64 + 1, 1, text, r, labels[i % 3])
        })
        .collect();
    let doc = common::document_for(1, "src/big.txt", text.as_str());
    let (p, repairs) = Project::from_parts(
        "big".into(),
        vec!["tester".into()],
        vec![doc],
        spanmark::model::label::default_labels(),
        annotations,
    );
    assert!(repairs.is_empty());
    p
}

fn export_one(p: &Project, text: &Arc<SourceText>, f: Format) -> Vec<u8> {
    let texts = BTreeMap::from([(DocumentId(1), Arc::clone(text))]);
    let (files, _) = export::export(p, &texts, &ExportOptions::new(f, "t"), Progress::default())
        .expect("export");
    files.into_iter().next().expect("one file").bytes
}

/// The scalar values `r` of `cs` (a Python slice: clamped to the end).
fn chars(cs: &[char], r: std::ops::Range<usize>) -> String {
    cs[r.start.min(cs.len())..r.end.min(cs.len())]
        .iter()
        .collect()
}

#[test]
fn label_studio_and_w3c_keep_every_span_in_order() {
    let text = Arc::new(SourceText::new(text()));
    let n = 9_001;
    let p = project(&text, n);
    let spans: Vec<_> = p.annotations().map(|a| (a.id.0, a.range)).collect();
    assert_eq!(spans.len(), n);
    let cs: Vec<char> = text.as_str().chars().collect();

    let ls: serde_json::Value =
        serde_json::from_slice(&export_one(&p, &text, Format::LabelStudio)).unwrap();
    let results = ls[0]["annotations"][0]["result"].as_array().unwrap();
    assert_eq!(results.len(), n);
    for (r, (id, range)) in results.iter().zip(&spans) {
        assert_eq!(r["id"], format!("a{id}"));
        assert_eq!(r["value"]["start"], range.start().0);
        let want = chars(&cs, range.start().0..range.end().0);
        assert_eq!(r["value"]["text"], want.as_str());
    }

    let w3c: serde_json::Value =
        serde_json::from_slice(&export_one(&p, &text, Format::W3c)).unwrap();
    let items = w3c["first"]["items"].as_array().unwrap();
    assert_eq!(items.len(), n);
    for (item, (id, range)) in items.iter().zip(&spans) {
        assert_eq!(item["id"], format!("urn:spanmark:annotation:{id}"));
        let (s, e) = (range.start().0, range.end().0);
        let quote = &item["target"]["selector"][0];
        assert_eq!(quote["exact"], chars(&cs, s..e).as_str());
        assert_eq!(
            quote["prefix"],
            chars(&cs, s.saturating_sub(32)..s).as_str()
        );
        assert_eq!(quote["suffix"], chars(&cs, e..e + 32).as_str());
    }
}

#[test]
fn tokens_and_sentences_of_a_big_text_are_unicode_segmentations() {
    let text = SourceText::new(text());
    let s = text.as_str();
    let words: Vec<&str> = s
        .split_word_bounds()
        .filter(|w| !w.chars().all(char::is_whitespace))
        .collect();
    let got: Vec<&str> = tokenize(&text)
        .iter()
        .filter(|t| !t.space)
        .map(|t| t.text(&text))
        .collect();
    assert_eq!(got, words);
    let mut want = Vec::new();
    let mut pos = 0;
    for sentence in s.split_sentence_bounds() {
        want.push(pos);
        pos += sentence.chars().count();
    }
    assert_eq!(sentence_starts(&text), want);
}

/// The 9,001-span project over [`text`], with its text by document.
fn big() -> (Project, BTreeMap<DocumentId, Arc<SourceText>>) {
    let text = Arc::new(SourceText::new(text()));
    let p = project(&text, 9_001);
    (p, BTreeMap::from([(DocumentId(1), text)]))
}

/// `export_to` hands big files to disk a piece at a time while they are
/// made (and writes long lists on two threads in pieces): every file it
/// writes, in every format, must be the bytes `export` keeps in memory.
#[test]
fn files_written_while_made_are_the_bytes_kept_in_memory() {
    let (p, texts) = big();
    let dir = tempfile::tempdir().unwrap();
    for f in Format::ALL {
        let opts = ExportOptions::new(f, "t");
        let (files, report) = export::export(&p, &texts, &opts, Progress::default()).unwrap();
        let dest = dir.path().join(format!("{}-out", f.name()));
        let (written, streamed_report) =
            export::export_to(&p, &texts, &opts, Progress::default(), &dest).unwrap();
        assert_eq!(streamed_report.to_json(), report.to_json(), "{}", f.name());
        assert_eq!(written.len(), files.len(), "{}", f.name());
        let biggest = files.iter().map(|x| x.bytes.len()).max().unwrap();
        if f.is_folder() {
            for file in &files {
                let got = std::fs::read(dest.join(&file.name)).unwrap();
                assert!(got == file.bytes, "{} {}", f.name(), file.name);
            }
        } else {
            assert_eq!(written, std::slice::from_ref(&dest));
            assert!(
                std::fs::read(&dest).unwrap() == files[0].bytes,
                "{}",
                f.name()
            );
        }
        // Nothing left behind but the files themselves.
        let leftovers = walk(dir.path())
            .into_iter()
            .filter(|n| n.contains(".spanmark-tmp"))
            .count();
        assert_eq!(leftovers, 0, "{}", f.name());
        // The JSON formats are big enough to be handed on in several
        // pieces (of 1 MiB).
        if matches!(f, Format::LabelStudio | Format::W3c | Format::Prodigy) {
            assert!(biggest > 2 << 20, "{} {biggest}", f.name());
        }
    }
}

/// `export_to` stops on cancel before any file is written.
#[test]
fn a_cancelled_export_writes_nothing() {
    let (p, texts) = big();
    let dir = tempfile::tempdir().unwrap();
    let cancel = std::sync::atomic::AtomicBool::new(true);
    let progress = Progress {
        on_step: None,
        cancel: Some(&cancel),
    };
    for f in [Format::LabelStudio, Format::Conll, Format::Brat] {
        let dest = dir.path().join(format!("out.{}", f.extension()));
        let r = export::export_to(&p, &texts, &ExportOptions::new(f, "t"), progress, &dest);
        assert!(
            matches!(r, Err(export::ExportError::Cancelled)),
            "{}",
            f.name()
        );
    }
    let names: Vec<String> = walk(dir.path());
    let files = names.iter().filter(|n| !n.ends_with('/')).count();
    assert_eq!(files, 0, "{names:?}");
}

/// Every path under `dir` (folders end in `/`).
fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.push(format!("{}/", p.display()));
            out.extend(walk(&p));
        } else {
            out.push(p.display().to_string());
        }
    }
    out
}
