//! The annotation list's patched rows equal rows built afresh, whatever
//! mix of tags, retags, resizes, notes and deletes came between two frames
//! (several edits may pile up before the list is drawn again), under every
//! filter.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use proptest::prelude::*;
use spanmark::model::{
    Anchor, Annotation, AnnotationId, CharRange, Document, DocumentId, Edit, LabelId, Name,
    Project, Timestamp,
};
use spanmark::ui::annotation_list::{AnnotationList, Filters, touched};

const LEN: usize = 400;
const LABELS: [&str; 3] = ["claim", "quote", "unverified"];

fn doc(id: u32) -> Document {
    Document {
        id: DocumentId(id),
        name: format!("d{id}"),
        path: format!("d{id}.txt"),
        sha256: String::new(),
        byte_len: LEN as u64,
        encoding: "UTF-8".to_owned(),
        bom: false,
        newline: spanmark::model::Newline::None,
        char_len: LEN,
        status: spanmark::model::Status::default(),
    }
}

fn annotation(id: u64, doc: u32, start: usize, len: usize, label: usize) -> Annotation {
    Annotation {
        id: AnnotationId(id),
        doc: DocumentId(doc),
        range: CharRange::new(start, start + len),
        label: LabelId::new(LABELS[label % 3]),
        note: None,
        author: Name::from(if id.is_multiple_of(2) { "Ana" } else { "Bo" }),
        created: Timestamp(0),
        modified: Timestamp(0),
        anchor: Anchor {
            quote: format!("q{}", id % 5),
            ..Anchor::default()
        },
        origin: None,
        agreed: Vec::new(),
        conflict: None,
        review: None,
    }
}

/// One step of the script: an edit (by position among live annotations)
/// or drawing a frame.
#[derive(Clone, Debug)]
enum Step {
    Tag {
        doc: u32,
        start: usize,
        len: usize,
        label: usize,
    },
    Retag {
        pick: usize,
        label: usize,
    },
    Resize {
        pick: usize,
        start: usize,
        len: usize,
    },
    Note {
        pick: usize,
        text: bool,
    },
    Delete {
        pick: usize,
    },
    Frame,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (1u32..3, 0..LEN - 20, 1usize..20, 0usize..3)
            .prop_map(|(doc, start, len, label)| Step::Tag { doc, start, len, label }),
        2 => (any::<usize>(), 0usize..3).prop_map(|(pick, label)| Step::Retag { pick, label }),
        2 => (any::<usize>(), 0..LEN - 20, 1usize..20)
            .prop_map(|(pick, start, len)| Step::Resize { pick, start, len }),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(pick, text)| Step::Note { pick, text }),
        2 => any::<usize>().prop_map(|pick| Step::Delete { pick }),
        2 => Just(Step::Frame),
    ]
}

fn edit_for(p: &Project, s: &Step, next_id: &mut u64) -> Option<Edit> {
    let ids: Vec<AnnotationId> = p.annotations().map(|a| a.id).collect();
    let pick = |k: usize| ids.get(k % ids.len().max(1)).copied();
    Some(match *s {
        Step::Tag {
            doc,
            start,
            len,
            label,
        } => {
            *next_id += 1;
            Edit::AddAnnotation(Box::new(annotation(*next_id, doc, start, len, label)))
        }
        Step::Retag { pick: k, label } => Edit::Retag {
            id: pick(k)?,
            label: LabelId::new(LABELS[label]),
            at: Timestamp(1),
        },
        Step::Resize {
            pick: k,
            start,
            len,
        } => Edit::Resize {
            id: pick(k)?,
            range: CharRange::new(start, start + len),
            anchor: Anchor::default(),
            at: Timestamp(1),
        },
        Step::Note { pick: k, text } => Edit::SetNote {
            id: pick(k)?,
            note: text.then(|| "q1 in a note".to_owned()),
            at: Timestamp(1),
        },
        Step::Delete { pick: k } => Edit::RemoveAnnotation(pick(k)?),
        Step::Frame => return None,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn patched_rows_equal_a_rebuild(
        seeded in prop::collection::vec((1u32..3, 0..LEN - 20, 1usize..20, 0usize..3), 0..40),
        script in prop::collection::vec(step(), 1..60),
        filter in 0usize..5,
    ) {
        let mut p = Project::new("t");
        for d in [1, 2] {
            Edit::AddDocument { doc: Box::new(doc(d)), index: 9 }.apply(&mut p).unwrap();
        }
        let mut next_id = 0u64;
        for &(d, start, len, label) in &seeded {
            next_id += 1;
            // Duplicates are refused by the model; skip them.
            let _ = Edit::AddAnnotation(Box::new(annotation(next_id, d, start, len, label)))
                .apply(&mut p);
        }
        let claim = LabelId::new("claim");
        let filters = match filter {
            0 => Filters::default(),
            1 => Filters { label: Some(&claim), ..Filters::default() },
            2 => Filters { author: Some("Ana"), ..Filters::default() },
            3 => Filters { text: "q1", ..Filters::default() },
            _ => Filters { label: Some(&claim), text: "Q1", ..Filters::default() },
        };
        let doc1 = DocumentId(1);
        let mut list = AnnotationList::default();
        let mut revision = 0u64;
        list.rows(&p, (1, revision), doc1, filters);
        for s in &script {
            let Some(edit) = edit_for(&p, s, &mut next_id) else {
                let fresh = AnnotationList::default().rows(&p, (1, revision), doc1, filters).to_vec();
                prop_assert_eq!(list.rows(&p, (1, revision), doc1, filters), fresh.as_slice());
                continue;
            };
            let t = touched(&p, &edit);
            if edit.apply(&mut p).is_ok() {
                list.edited(revision, revision + 1, t);
                revision += 1;
            }
        }
        let fresh = AnnotationList::default().rows(&p, (1, revision), doc1, filters).to_vec();
        prop_assert_eq!(list.rows(&p, (1, revision), doc1, filters), fresh.as_slice());
    }
}
