//! What happens on open to a source whose bytes changed since it was added.
//!
//! Invariants: every annotation of the document is placed again
//! ([`crate::model::reanchor::place`]) and none is removed; anything not
//! `Exact` is flagged for review with where it was. The document record is
//! updated to the new bytes, so the project in memory now differs from the
//! file and must be saved (the caller marks it dirty).

use crate::io::source::DecodedSource;
use crate::model::reanchor::{Placement, apply, place_all_with};
use crate::model::{AnnotationId, CharRange, Document, Project};
use crate::model::{Progress, Stopped};

/// The placement of one annotation in a changed source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replaced {
    /// The annotation.
    pub id: AnnotationId,
    /// Its range before.
    pub from: CharRange,
    /// Where it went.
    pub placement: Placement,
}

/// Re-anchors every annotation of `doc` in the new text and updates the
/// document record. Returns one entry per annotation, in key order. The
/// placing reports to `progress`; stopped, it ends with [`Stopped`] and
/// `project` is unchanged.
///
/// # Errors
/// [`Stopped`] when `progress` was stopped.
pub fn reanchor_document(
    project: &mut Project,
    doc: &Document,
    new: &DecodedSource,
    progress: &Progress,
) -> Result<Vec<Replaced>, Stopped> {
    let ids: Vec<AnnotationId> = project.annotations_of(doc.id).map(|a| a.id).collect();
    // All placed at once: one pass over the text for every moved quote.
    let placements = {
        let anns: Vec<&crate::model::Annotation> = project.annotations_of(doc.id).collect();
        place_all_with(&new.text, &anns, progress)?
    };
    let mut report = Vec::with_capacity(ids.len());
    for (id, placement) in ids.into_iter().zip(placements) {
        let Some(mut a) = project.annotation(id).cloned() else {
            continue;
        };
        let from = a.range;
        apply(&mut a, &new.text, placement);
        if placement != Placement::Exact {
            project.take(id);
            project.insert(a);
        }
        report.push(Replaced {
            id,
            from,
            placement,
        });
    }
    if let Some(d) = project.documents_mut().iter_mut().find(|d| d.id == doc.id) {
        d.sha256.clone_from(&new.sha256);
        d.byte_len = new.byte_len;
        d.encoding.clone_from(&new.encoding);
        d.bom = new.bom;
        d.newline = new.newline;
        d.char_len = new.text.char_len();
    }
    Ok(report)
}
