//! Builders for the edits an analyst makes most: tag a span, move its ends,
//! remove a label that is in use, accept or re-place a flagged span.
//!
//! Invariants: builders only read the project; they return edits (applied
//! through [`crate::model::History`]) or an error saying why nothing can be
//! done. New spans are trimmed of leading and trailing whitespace.

use crate::model::AnnotationId;
use crate::model::annotation::{Anchor, Annotation, Timestamp};
use crate::model::document::DocumentId;
use crate::model::edit::{Edit, EditError};
use crate::model::label::LabelId;
use crate::model::name::Name;
use crate::model::offset::CharRange;
use crate::model::project::Project;
use crate::model::source_text::SourceText;

/// Who does an edit, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The analyst's name.
    pub author: Name,
    /// The current time.
    pub now: Timestamp,
}

/// Builds the edit that tags `range` of `doc` with `label` (range trimmed of
/// surrounding whitespace).
///
/// # Errors
/// When the trimmed range is empty or out of the text, the label or document
/// is unknown, or the same span already has this label.
pub fn tag(
    p: &Project,
    text: &SourceText,
    doc: DocumentId,
    range: CharRange,
    label: &LabelId,
    who: &Actor,
) -> Result<Annotation, EditError> {
    if p.document(doc).is_none() {
        return Err(EditError::NoDocument(doc));
    }
    if p.label(label).is_none() {
        return Err(EditError::NoLabel(label.clone()));
    }
    let range = text.trim_whitespace(range);
    if range.is_empty() {
        return Err(EditError::EmptyRange);
    }
    let anchor = Anchor::capture(text, range).ok_or(EditError::OutOfRange {
        range,
        len: text.char_len(),
    })?;
    let a = Annotation {
        id: p.next_annotation_id(),
        doc,
        range,
        label: label.clone(),
        note: None,
        author: who.author.clone(),
        created: who.now,
        modified: who.now,
        anchor,
        origin: None,
        agreed: Vec::new(),
        conflict: None,
        review: None,
    };
    if let Some(existing) = p.find_duplicate(&a) {
        return Err(EditError::Duplicate(existing));
    }
    Ok(a)
}

/// Builds the edit that moves an annotation to `range` (recapturing its quote).
///
/// # Errors
/// When the range is empty or leaves the text.
pub fn resize(
    text: &SourceText,
    id: AnnotationId,
    range: CharRange,
    now: Timestamp,
) -> Result<Edit, EditError> {
    if range.is_empty() {
        return Err(EditError::EmptyRange);
    }
    let anchor = Anchor::capture(text, range).ok_or(EditError::OutOfRange {
        range,
        len: text.char_len(),
    })?;
    Ok(Edit::Resize {
        id,
        range,
        anchor,
        at: now,
    })
}

/// Builds the edit that retags every annotation of `from` as `to`, then
/// removes `from` — one undoable step.
///
/// # Errors
/// When either label is unknown or they are the same.
pub fn remove_label_reassigning(
    p: &Project,
    from: &LabelId,
    to: &LabelId,
    now: Timestamp,
) -> Result<Edit, EditError> {
    if p.label(from).is_none() {
        return Err(EditError::NoLabel(from.clone()));
    }
    if p.label(to).is_none() || from == to {
        return Err(EditError::NoLabel(to.clone()));
    }
    let mut edits = Vec::new();
    for a in p.annotations().filter(|a| &a.label == from) {
        let twin = Annotation {
            label: to.clone(),
            ..a.clone()
        };
        if p.find_duplicate(&twin).is_some() {
            // The span already carries the target label: the copy goes.
            edits.push(Edit::RemoveAnnotation(a.id));
        } else {
            edits.push(Edit::Retag {
                id: a.id,
                label: to.clone(),
                at: now,
            });
        }
    }
    edits.push(Edit::RemoveLabel(from.clone()));
    Ok(Edit::Batch(edits))
}

/// Why a flagged annotation cannot simply be accepted where it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AcceptError {
    /// No annotation has this id.
    #[error("annotation {0} does not exist")]
    NoAnnotation(AnnotationId),
    /// Nothing to accept: no review flag and no conflict mark.
    #[error("annotation {0} needs no review")]
    NothingToAccept(AnnotationId),
    /// The span has no valid place to accept (orphaned, out of range, unknown
    /// document): it must be re-placed or removed.
    #[error("annotation {0} has no place in the text to accept: re-place it or remove it")]
    NoPlace(AnnotationId),
}

/// Builds the edit that accepts a flagged annotation where it now is:
/// clears its review flag (recapturing quote and context from `text` when
/// the stored quote differs from it, as after a fuzzy match) and its
/// conflict mark. One undoable step.
///
/// # Errors
/// When the annotation is unknown, not flagged, or has no place to accept.
pub fn accept(
    p: &Project,
    text: Option<&SourceText>,
    id: AnnotationId,
    now: Timestamp,
) -> Result<Edit, AcceptError> {
    use crate::model::annotation::Review;
    let a = p.annotation(id).ok_or(AcceptError::NoAnnotation(id))?;
    let mut edits = Vec::new();
    match &a.review {
        None => {}
        Some(Review::Orphaned | Review::OutOfRange { .. } | Review::UnknownDocument) => {
            return Err(AcceptError::NoPlace(id));
        }
        Some(Review::Fuzzy { .. } | Review::QuoteMismatch { .. }) => {
            // The analyst accepts the text now at the range: store it.
            let anchor = text.and_then(|t| Anchor::capture(t, a.range));
            edits.push(match anchor {
                Some(anchor) => Edit::Resize {
                    id,
                    range: a.range,
                    anchor,
                    at: now,
                },
                None => return Err(AcceptError::NoPlace(id)),
            });
        }
        Some(_) => edits.push(Edit::SetReview { id, review: None }),
    }
    if a.conflict.is_some() {
        edits.push(Edit::SetConflict { id, conflict: None });
    }
    match edits.len() {
        0 => Err(AcceptError::NothingToAccept(id)),
        1 => Ok(edits.remove(0)),
        _ => Ok(Edit::Batch(edits)),
    }
}

/// Builds the edit that moves an annotation to `range` chosen by the
/// analyst (trimmed of surrounding whitespace), recapturing its quote and
/// context and clearing its review flag.
///
/// # Errors
/// When the trimmed range is empty or leaves the text.
pub fn replace(
    text: &SourceText,
    id: AnnotationId,
    range: CharRange,
    now: Timestamp,
) -> Result<Edit, EditError> {
    resize(text, id, text.trim_whitespace(range), now)
}
