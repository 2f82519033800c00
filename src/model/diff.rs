//! The edit that turns one version of a project into another, so a result
//! computed outside the edit system (a three-way merge) is applied as one
//! undoable step.
//!
//! Invariants: applying [`edit_between`]`(from, to)` to `from` gives `to`'s
//! labels (in `to`'s order unless some were removed), annotations (matched
//! by id) and document list and statuses.
//! Other document-record changes (a source re-anchored elsewhere) have no
//! edit and are listed by [`unexpressed`] so the caller can say so.

use crate::model::edit::{Edit, LabelProps};
use crate::model::project::Project;

/// The batch edit from `from` to `to`.
#[must_use]
pub fn edit_between(from: &Project, to: &Project) -> Edit {
    let mut edits = Vec::new();
    for (index, l) in to.labels().iter().enumerate() {
        match from.label(&l.id) {
            None => edits.push(Edit::AddLabel {
                label: l.clone(),
                index,
            }),
            Some(old) if old != l => edits.push(Edit::EditLabel {
                id: l.id.clone(),
                props: LabelProps::of(l),
            }),
            Some(_) => {}
        }
    }
    for (index, d) in to.documents().iter().enumerate() {
        match from.document(d.id) {
            None => edits.push(Edit::AddDocument {
                doc: Box::new(d.clone()),
                index,
            }),
            Some(old) if old.status != d.status => edits.push(Edit::SetStatus {
                doc: d.id,
                status: d.status,
            }),
            Some(_) => {}
        }
    }
    let mut adds = Vec::new();
    for a in from.annotations() {
        match to.annotation(a.id) {
            None => edits.push(Edit::RemoveAnnotation(a.id)),
            Some(b) if !a.same_content(b) => {
                edits.push(Edit::RemoveAnnotation(a.id));
                adds.push(Edit::AddAnnotation(Box::new(b.clone())));
            }
            Some(_) => {}
        }
    }
    for b in to.annotations() {
        if from.annotation(b.id).is_none() {
            adds.push(Edit::AddAnnotation(Box::new(b.clone())));
        }
    }
    edits.extend(adds);
    for d in from.documents() {
        if to.document(d.id).is_none() {
            edits.push(Edit::RemoveDocument(d.id));
        }
    }
    for l in from.labels() {
        if to.label(&l.id).is_none() {
            edits.push(Edit::RemoveLabel(l.id.clone()));
        }
    }
    Edit::Batch(edits)
}

/// Names of documents whose record differs in ways no edit expresses.
#[must_use]
pub fn unexpressed(from: &Project, to: &Project) -> Vec<String> {
    to.documents()
        .iter()
        .filter(|d| {
            from.document(d.id).is_some_and(|old| {
                let mut old = old.clone();
                old.status = d.status;
                old != **d
            })
        })
        .map(|d| d.name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::label::{Label, Rgb};

    #[test]
    fn applying_the_edit_gives_the_target() {
        let from = Project::new("p");
        let mut to = from.clone();
        Edit::AddLabel {
            label: Label::new("x", "x", Rgb([1, 2, 3])),
            index: 9,
        }
        .apply(&mut to)
        .unwrap();
        Edit::RemoveLabel(to.labels()[0].id.clone())
            .apply(&mut to)
            .unwrap();
        let mut got = from.clone();
        edit_between(&from, &to).apply(&mut got).unwrap();
        let names = |p: &Project| {
            let mut v: Vec<String> = p.labels().iter().map(|l| l.name.clone()).collect();
            v.sort();
            v
        };
        assert_eq!(names(&got), names(&to));
    }
}
