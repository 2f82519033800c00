//! Edits: every change to a project after loading, as a value.
//!
//! Invariants: [`Edit::apply`] either changes the project and returns the
//! edit that undoes it exactly, or changes nothing and returns an error. A
//! batch is all-or-nothing. Applying the returned inverse restores the
//! project to an equal value.

use thiserror::Error;

use crate::model::annotation::{Anchor, Annotation, AnnotationId, Review, Timestamp};
use crate::model::document::{Document, DocumentId, Status};
use crate::model::label::{Label, LabelId, Rgb};
use crate::model::offset::CharRange;
use crate::model::project::Project;

/// The editable properties of a label.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LabelProps {
    /// Display name.
    pub name: String,
    /// Highlight colour.
    pub color: Rgb,
    /// Shortcut key.
    pub hotkey: Option<char>,
    /// Guideline text.
    pub description: String,
    /// Whether it is still a stand-in for an undefined label.
    pub placeholder: bool,
}

impl LabelProps {
    /// The current properties of a label.
    #[must_use]
    pub fn of(label: &Label) -> Self {
        Self {
            name: label.name.clone(),
            color: label.color,
            hotkey: label.hotkey,
            description: label.description.clone(),
            placeholder: label.placeholder,
        }
    }
}

/// One change to a project.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Edit {
    /// Add an annotation (its id must be unused).
    AddAnnotation(Box<Annotation>),
    /// Remove an annotation.
    RemoveAnnotation(AnnotationId),
    /// Change an annotation's label.
    Retag {
        /// Annotation changed.
        id: AnnotationId,
        /// New label.
        label: LabelId,
        /// New modification time.
        at: Timestamp,
    },
    /// Move an annotation's ends.
    Resize {
        /// Annotation changed.
        id: AnnotationId,
        /// New range.
        range: CharRange,
        /// Quote and context for the new range.
        anchor: Anchor,
        /// New modification time.
        at: Timestamp,
    },
    /// Set or clear an annotation's review flag ("mark as reviewed").
    SetReview {
        /// Annotation changed.
        id: AnnotationId,
        /// New flag.
        review: Option<Review>,
    },
    /// Set or clear an annotation's merge-conflict mark ("resolved").
    SetConflict {
        /// Annotation changed.
        id: AnnotationId,
        /// New mark; `None` or empty clears it.
        conflict: Option<String>,
    },
    /// Set or clear an annotation's note.
    SetNote {
        /// Annotation changed.
        id: AnnotationId,
        /// New note; `None` or empty clears it.
        note: Option<String>,
        /// New modification time.
        at: Timestamp,
    },
    /// Insert a label at a display position.
    AddLabel {
        /// The label.
        label: Label,
        /// Display position (clamped).
        index: usize,
    },
    /// Remove an unused label.
    RemoveLabel(LabelId),
    /// Rename, recolour, re-key or re-describe a label.
    EditLabel {
        /// Label changed.
        id: LabelId,
        /// New properties.
        props: LabelProps,
    },
    /// Insert a document at a display position.
    AddDocument {
        /// The document.
        doc: Box<Document>,
        /// Display position (clamped).
        index: usize,
    },
    /// Remove a document and all its annotations.
    RemoveDocument(DocumentId),
    /// Set a document's progress status.
    SetStatus {
        /// Document changed.
        doc: DocumentId,
        /// New status.
        status: Status,
    },
    /// Replace a document's record (same id): its stored path, and the
    /// recorded facts of its source bytes ("Locate file…").
    SetDocument(Box<Document>),
    /// Several edits applied in order as one.
    Batch(Vec<Edit>),
}

/// Why an edit could not be applied. The project is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum EditError {
    /// No annotation has this id.
    #[error("annotation {0} does not exist")]
    NoAnnotation(AnnotationId),
    /// The id is already taken.
    #[error("annotation {0} already exists")]
    IdTaken(AnnotationId),
    /// Same document, range and label as an existing annotation.
    #[error("the same span already has this label (annotation {0})")]
    Duplicate(AnnotationId),
    /// An annotation must cover at least one character.
    #[error("an annotation must cover at least one character")]
    EmptyRange,
    /// The range leaves the document.
    #[error("the range {range} runs past the end of the document ({len} characters)")]
    OutOfRange {
        /// Offending range.
        range: CharRange,
        /// Document length.
        len: usize,
    },
    /// No document has this id.
    #[error("document {0} does not exist")]
    NoDocument(DocumentId),
    /// A document with this id exists.
    #[error("document {0} already exists")]
    DocumentTaken(DocumentId),
    /// No label has this id.
    #[error("label {0:?} does not exist")]
    NoLabel(LabelId),
    /// A label with this id exists.
    #[error("a label with id {0:?} already exists")]
    LabelTaken(LabelId),
    /// The name is empty or already used.
    #[error("the label name {0:?} is empty or already used")]
    BadLabelName(String),
    /// The hotkey is invalid or already bound.
    #[error("the key {0:?} is not a digit or letter, or another label uses it")]
    BadHotkey(char),
    /// The label is still applied to annotations.
    #[error("label {label:?} is used by {count} annotation(s): reassign them first")]
    LabelInUse {
        /// Label in use.
        label: LabelId,
        /// Number of annotations using it.
        count: usize,
    },
}

impl Edit {
    /// Applies the edit, returning its inverse; on error nothing changed.
    ///
    /// # Errors
    /// When the edit does not fit the project's current state.
    pub fn apply(self, p: &mut Project) -> Result<Edit, EditError> {
        match self {
            Self::AddAnnotation(a) => add_annotation(p, *a),
            Self::RemoveAnnotation(id) => {
                let a = p.take(id).ok_or(EditError::NoAnnotation(id))?;
                Ok(Self::AddAnnotation(Box::new(a)))
            }
            Self::Retag { id, label, at } => {
                if p.label(&label).is_none() {
                    return Err(EditError::NoLabel(label));
                }
                let mut a = p
                    .annotation(id)
                    .cloned()
                    .ok_or(EditError::NoAnnotation(id))?;
                let old = (std::mem::replace(&mut a.label, label), a.modified);
                a.modified = at;
                replace_annotation(p, a)?;
                Ok(Self::Retag {
                    id,
                    label: old.0,
                    at: old.1,
                })
            }
            Self::Resize {
                id,
                range,
                anchor,
                at,
            } => {
                let mut a = p
                    .annotation(id)
                    .cloned()
                    .ok_or(EditError::NoAnnotation(id))?;
                check_range(p, a.doc, range)?;
                let before = a.clone();
                let old_range = std::mem::replace(&mut a.range, range);
                let old_anchor = std::mem::replace(&mut a.anchor, anchor);
                let old_at = std::mem::replace(&mut a.modified, at);
                // Placing a span by hand settles any doubt about it.
                let old_review = a.review.take();
                replace_annotation(p, a)?;
                Ok(match old_review {
                    None => Self::Resize {
                        id,
                        range: old_range,
                        anchor: old_anchor,
                        at: old_at,
                    },
                    // A flagged span may sit where no range is valid any more
                    // (orphaned, out of range): undo puts it back as it was,
                    // flag and all, without checking its old range again.
                    Some(_) => Self::Batch(vec![
                        Self::RemoveAnnotation(id),
                        Self::AddAnnotation(Box::new(before)),
                    ]),
                })
            }
            Self::SetReview { id, review } => {
                let old = p
                    .annotation(id)
                    .ok_or(EditError::NoAnnotation(id))?
                    .review
                    .clone();
                p.set_review(id, review);
                Ok(Self::SetReview { id, review: old })
            }
            Self::SetConflict { id, conflict } => {
                let mut a = p
                    .annotation(id)
                    .cloned()
                    .ok_or(EditError::NoAnnotation(id))?;
                let old = std::mem::replace(&mut a.conflict, conflict.filter(|c| !c.is_empty()));
                replace_annotation(p, a)?;
                Ok(Self::SetConflict { id, conflict: old })
            }
            Self::SetNote { id, note, at } => {
                let mut a = p
                    .annotation(id)
                    .cloned()
                    .ok_or(EditError::NoAnnotation(id))?;
                let note = note.filter(|n| !n.is_empty());
                let old = (std::mem::replace(&mut a.note, note), a.modified);
                a.modified = at;
                replace_annotation(p, a)?;
                Ok(Self::SetNote {
                    id,
                    note: old.0,
                    at: old.1,
                })
            }
            Self::AddLabel { label, index } => add_label(p, label, index),
            Self::RemoveLabel(id) => {
                let index = p
                    .label_index(&id)
                    .ok_or_else(|| EditError::NoLabel(id.clone()))?;
                let count = p.label_use_count(&id);
                if count > 0 {
                    return Err(EditError::LabelInUse { label: id, count });
                }
                let label = p.labels_mut().remove(index);
                Ok(Self::AddLabel { label, index })
            }
            Self::EditLabel { id, props } => edit_label(p, id, props),
            Self::AddDocument { doc, index } => {
                if p.document(doc.id).is_some() {
                    return Err(EditError::DocumentTaken(doc.id));
                }
                let id = doc.id;
                let index = index.min(p.documents().len());
                p.documents_mut().insert(index, *doc);
                Ok(Self::RemoveDocument(id))
            }
            Self::RemoveDocument(id) => remove_document(p, id),
            Self::SetStatus { doc, status } => {
                let d = p
                    .documents_mut()
                    .iter_mut()
                    .find(|d| d.id == doc)
                    .ok_or(EditError::NoDocument(doc))?;
                let old = std::mem::replace(&mut d.status, status);
                Ok(Self::SetStatus { doc, status: old })
            }
            Self::SetDocument(doc) => {
                let d = p
                    .documents_mut()
                    .iter_mut()
                    .find(|d| d.id == doc.id)
                    .ok_or(EditError::NoDocument(doc.id))?;
                let old = std::mem::replace(d, *doc);
                Ok(Self::SetDocument(Box::new(old)))
            }
            Self::Batch(edits) => apply_batch(p, edits),
        }
    }

    /// Number of edits this is (a batch counts its parts, at any depth).
    #[must_use]
    pub fn size(&self) -> usize {
        match self {
            Self::Batch(edits) => edits.iter().map(Self::size).sum(),
            _ => 1,
        }
    }

    /// True when the edit changes nothing (an empty batch).
    #[must_use]
    pub fn is_noop(&self) -> bool {
        matches!(self, Self::Batch(edits) if edits.iter().all(Self::is_noop))
    }
}

fn check_range(p: &Project, doc: DocumentId, range: CharRange) -> Result<(), EditError> {
    let d = p.document(doc).ok_or(EditError::NoDocument(doc))?;
    if range.is_empty() {
        return Err(EditError::EmptyRange);
    }
    if range.end().0 > d.char_len {
        return Err(EditError::OutOfRange {
            range,
            len: d.char_len,
        });
    }
    Ok(())
}

fn add_annotation(p: &mut Project, a: Annotation) -> Result<Edit, EditError> {
    if p.annotation(a.id).is_some() {
        return Err(EditError::IdTaken(a.id));
    }
    if p.label(&a.label).is_none() {
        return Err(EditError::NoLabel(a.label));
    }
    // Annotations restored by an undo may carry their load-time review state;
    // those were accepted once and are put back as they were.
    if a.review.is_none() {
        check_range(p, a.doc, a.range)?;
        if let Some(existing) = p.find_duplicate(&a) {
            return Err(EditError::Duplicate(existing));
        }
    }
    let id = a.id;
    p.insert(a);
    Ok(Edit::RemoveAnnotation(id))
}

/// Replaces the annotation with the same id, refusing exact duplicates.
fn replace_annotation(p: &mut Project, a: Annotation) -> Result<(), EditError> {
    if let Some(existing) = p.find_duplicate(&a) {
        return Err(EditError::Duplicate(existing));
    }
    p.take(a.id).ok_or(EditError::NoAnnotation(a.id))?;
    p.insert(a);
    Ok(())
}

fn check_label_props(
    p: &Project,
    own: Option<&LabelId>,
    props: &LabelProps,
) -> Result<(), EditError> {
    let name = props.name.trim();
    let clash = p.label_by_name(name).is_some_and(|l| Some(&l.id) != own);
    if name.is_empty() || clash {
        return Err(EditError::BadLabelName(props.name.clone()));
    }
    if let Some(key) = props.hotkey {
        let taken = p.label_by_hotkey(key).is_some_and(|l| Some(&l.id) != own);
        if taken || !Label::is_valid_hotkey(key) {
            return Err(EditError::BadHotkey(key));
        }
    }
    Ok(())
}

fn add_label(p: &mut Project, label: Label, index: usize) -> Result<Edit, EditError> {
    if p.label(&label.id).is_some() {
        return Err(EditError::LabelTaken(label.id));
    }
    check_label_props(p, None, &LabelProps::of(&label))?;
    let id = label.id.clone();
    let index = index.min(p.labels().len());
    p.labels_mut().insert(index, label);
    Ok(Edit::RemoveLabel(id))
}

fn edit_label(p: &mut Project, id: LabelId, props: LabelProps) -> Result<Edit, EditError> {
    let index = p
        .label_index(&id)
        .ok_or_else(|| EditError::NoLabel(id.clone()))?;
    check_label_props(p, Some(&id), &props)?;
    let label = &mut p.labels_mut()[index];
    let old = LabelProps::of(label);
    label.name = props.name.trim().to_owned();
    label.color = props.color;
    label.hotkey = props.hotkey;
    label.description = props.description;
    label.placeholder = props.placeholder;
    Ok(Edit::EditLabel { id, props: old })
}

fn remove_document(p: &mut Project, id: DocumentId) -> Result<Edit, EditError> {
    let index = p.document_index(id).ok_or(EditError::NoDocument(id))?;
    let ids: Vec<AnnotationId> = p.annotations_of(id).map(|a| a.id).collect();
    let mut restore = Vec::with_capacity(ids.len() + 1);
    let doc = p.documents_mut().remove(index);
    restore.push(Edit::AddDocument {
        doc: Box::new(doc),
        index,
    });
    for aid in ids {
        if let Some(a) = p.take(aid) {
            restore.push(Edit::AddAnnotation(Box::new(a)));
        }
    }
    Ok(Edit::Batch(restore))
}

fn apply_batch(p: &mut Project, edits: Vec<Edit>) -> Result<Edit, EditError> {
    let mut inverses = Vec::with_capacity(edits.len());
    for edit in edits {
        match edit.apply(p) {
            Ok(inverse) => inverses.push(inverse),
            Err(e) => {
                // Roll back what this batch already did.
                for inverse in inverses.into_iter().rev() {
                    let _ = inverse.apply(p);
                }
                return Err(e);
            }
        }
    }
    inverses.reverse();
    Ok(Edit::Batch(inverses))
}
