//! `Project::from_parts` builds its maps in bulk when the annotations need no
//! repair (what Spanmark writes: key order, unique ids and spans). The bulk
//! build must give exactly what the one-by-one path gives; feeding the same
//! annotations out of order forces the one-by-one path, so both are compared.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use proptest::prelude::*;
use spanmark::model::{
    AnnotationId, CharRange, DocumentId, Project, Review, SourceText, label::default_labels,
};

fn parts(
    spans: &[(u32, usize, usize, usize, u8)],
    text: &SourceText,
) -> Vec<spanmark::model::Annotation> {
    let labels = ["claim", "quote", "unverified"];
    let mut out: Vec<_> = spans
        .iter()
        .enumerate()
        .map(|(i, &(doc, start, len, label, flag))| {
            let mut a = common::annotation(
                (i as u64 * 7919) % 1000 + 1000 * i as u64,
                doc,
                text,
                CharRange::new(start, start + len),
                labels[label],
            );
            if flag == 1 {
                a.review = Some(Review::Orphaned);
            } else if flag == 2 {
                a.conflict = Some("both".into());
            }
            a
        })
        .collect();
    out.sort_by_key(spanmark::model::Annotation::key);
    out.dedup_by(|a, b| a.same_span_and_label(b));
    out
}

fn project(annotations: Vec<spanmark::model::Annotation>) -> Project {
    let docs = vec![
        common::document_for(1, "a.txt", "x"),
        common::document_for(2, "b.txt", "y"),
    ];
    let (p, repairs) =
        Project::from_parts("p".into(), Vec::new(), docs, default_labels(), annotations);
    assert!(repairs.is_empty());
    p
}

proptest! {
    #[test]
    fn bulk_build_equals_one_by_one(
        spans in prop::collection::vec((1u32..3, 0usize..40, 0usize..12, 0usize..3, 0u8..4), 0..60)
    ) {
        let text = SourceText::new("abcdefghij".repeat(6));
        let sorted = parts(&spans, &text);
        let mut reversed = sorted.clone();
        reversed.reverse();
        let bulk = project(sorted.clone());
        let single = project(reversed);
        prop_assert_eq!(&bulk, &single);
        prop_assert_eq!(bulk.flagged_count(), single.flagged_count());
        for doc in [DocumentId(1), DocumentId(2)] {
            prop_assert_eq!(bulk.count_of(doc), single.count_of(doc));
            for start in (0..60).step_by(5) {
                let r = CharRange::new(start, start + 3);
                let a: Vec<AnnotationId> = bulk.annotations_overlapping(doc, r).map(|a| a.id).collect();
                let b: Vec<AnnotationId> = single.annotations_overlapping(doc, r).map(|a| a.id).collect();
                prop_assert_eq!(a, b);
            }
        }
        for a in &sorted {
            prop_assert_eq!(bulk.annotation(a.id), Some(a));
        }
        let f1: Vec<AnnotationId> = bulk.flagged_annotations().map(|a| a.id).collect();
        let f2: Vec<AnnotationId> = single.flagged_annotations().map(|a| a.id).collect();
        prop_assert_eq!(f1, f2);
    }
}
