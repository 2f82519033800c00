//! Three-way merge of two branches of a project from their common ancestor
//! (what `spanmark merge-driver` does for git).
//!
//! Invariants:
//! - Annotations, labels and documents known to the ancestor are matched by
//!   id. A change made on one branch only (including a deletion) wins; the
//!   same change on both is taken once.
//! - A note changed differently on both branches keeps both notes. An
//!   annotation whose range or label changed differently on both branches
//!   is kept in both versions, each marked as a conflict; one deleted on one
//!   branch and changed on the other is kept, marked. Nothing is dropped
//!   that either branch changed.
//! - Everything new on the merged branch is brought in by
//!   [`crate::model::merge::merge_into_except_with`]: identical annotations
//!   collapse, differing ones become conflicts.
//! - No source texts are needed (git hands the driver bare files); an
//!   annotation the merged branch made on another version of a source is
//!   marked for review rather than guessed at.

use std::collections::BTreeSet;

use crate::model::annotation::Annotation;
use crate::model::edit::{Edit, LabelProps};
use crate::model::merge::{MergeReport, STEP, merge_into_except_with};
use crate::model::progress::{Progress, Stopped};
use crate::model::project::Project;

/// The merged project and what happened.
#[derive(Clone, Debug)]
pub struct Merged3 {
    /// The result.
    pub project: Project,
    /// Annotations marked as conflicts (0 means a clean merge).
    pub conflicts: usize,
    /// What happened, including what the merged branch brought in.
    pub report: MergeReport,
}

/// Merges branch `theirs` into branch `ours`, both descended from `base`.
#[must_use]
pub fn merge3(base: &Project, ours: &Project, theirs: &Project) -> Merged3 {
    // A new progress is never stopped: the merge always runs to its end.
    merge3_with(base, ours, theirs, &Progress::new()).unwrap_or_else(|Stopped| Merged3 {
        project: ours.clone(),
        conflicts: 0,
        report: MergeReport::default(),
    })
}

/// As [`merge3`], looking at `progress`'s stop flag every 1,024 annotations
/// and reporting the copy-merge part's phases
/// ([`crate::model::merge::merge_into_with`]).
///
/// # Errors
/// [`Stopped`].
pub fn merge3_with(
    base: &Project,
    ours: &Project,
    theirs: &Project,
    progress: &Progress,
) -> Result<Merged3, Stopped> {
    let mut work = ours.clone();
    let mut notes = Vec::new();
    let mut conflicts = 0usize;
    if theirs.name != base.name && ours.name == base.name {
        work.name.clone_from(&theirs.name);
    }
    merge_known_labels(base, &mut work, theirs);
    for (k, o) in base.annotations().enumerate() {
        if k % STEP == 0 {
            progress.check()?;
        }
        let a = ours.annotation(o.id);
        let b = theirs.annotation(o.id);
        let changed = |x: Option<&Annotation>| !x.is_some_and(|x| x.same_content(o));
        if !changed(b) || (changed(a) && a.zip(b).is_some_and(|(a, b)| a.same_content(b))) {
            continue; // Theirs unchanged, or both made the same change.
        }
        if !changed(a) {
            replace(&mut work, o.id, b.cloned());
            continue;
        }
        match (a, b) {
            (None, Some(b)) => {
                let mut b = b.clone();
                mark(
                    &mut b,
                    "changed on the merged branch but deleted on this one",
                );
                conflicts += 1;
                replace(&mut work, o.id, Some(b));
            }
            (Some(a), None) => {
                let mut a = a.clone();
                mark(
                    &mut a,
                    "deleted on the merged branch but changed on this one",
                );
                conflicts += 1;
                replace(&mut work, o.id, Some(a));
            }
            (Some(a), Some(b)) => conflicts += merge_fields(&mut work, o, a, b),
            (None, None) => {}
        }
    }
    merge_known_documents(base, &mut work, theirs, &mut notes);
    let merged = merge_into_except_with(
        &work,
        theirs,
        "the merged branch",
        &|_| None,
        &|t| base.annotation(t.id).is_some(),
        progress,
    )?;
    let mut report = merged.report;
    report.notes.splice(0..0, notes);
    conflicts += report.conflicts;
    Ok(Merged3 {
        project: merged.project,
        conflicts,
        report,
    })
}

/// Reconciles an annotation both branches changed; returns the conflicts made.
fn merge_fields(work: &mut Project, o: &Annotation, a: &Annotation, b: &Annotation) -> usize {
    let pick = |ours: bool, theirs: bool| if ours { false } else { theirs };
    let mut m = a.clone();
    let place_a = (a.doc, a.range, &a.anchor) != (o.doc, o.range, &o.anchor);
    let place_b = (b.doc, b.range, &b.anchor) != (o.doc, o.range, &o.anchor);
    if pick(place_a, place_b) {
        (m.doc, m.range, m.anchor) = (b.doc, b.range, b.anchor.clone());
    }
    if pick(a.label != o.label, b.label != o.label) {
        m.label = b.label.clone();
    }
    if a.note != b.note && b.note != o.note {
        m.note = match (&a.note, &b.note) {
            (Some(x), Some(y)) if a.note != o.note => Some(format!("{x}\n— merged branch: {y}")),
            (_, y) if a.note == o.note => y.clone(),
            (x, _) => x.clone(),
        };
    }
    if pick(a.conflict != o.conflict, b.conflict != o.conflict) {
        m.conflict.clone_from(&b.conflict);
    }
    let agreed: BTreeSet<_> = a.agreed.iter().chain(&b.agreed).cloned().collect();
    m.agreed = agreed.into_iter().filter(|x| *x != m.author).collect();
    m.modified = a.modified.max(b.modified);
    let clash = (place_a && place_b && (a.range, a.doc) != (b.range, b.doc))
        || (a.label != o.label && b.label != o.label && a.label != b.label);
    if !clash {
        replace(work, o.id, Some(m));
        return 0;
    }
    mark(
        &mut m,
        "changed differently on both branches; the merged branch's version is beside it",
    );
    let mut other = b.clone();
    other.id = work.next_annotation_id();
    mark(
        &mut other,
        "changed differently on both branches; this branch's version is beside it",
    );
    replace(work, o.id, Some(m));
    if work.find_duplicate(&other).is_none() {
        replace(work, other.id, Some(other));
        return 2;
    }
    1
}

/// Puts `a` in place of annotation `id` (or removes it for `None`).
fn replace(work: &mut Project, id: crate::model::AnnotationId, a: Option<Annotation>) {
    work.take(id);
    if let Some(mut a) = a {
        a.id = id;
        a.review = None;
        work.insert(a);
    }
}

fn mark(a: &mut Annotation, why: &str) {
    a.conflict = Some(match a.conflict.take() {
        Some(c) if !c.is_empty() => format!("{c}; {why}"),
        _ => why.to_owned(),
    });
}

/// Label changes the merged branch made to labels the ancestor had.
fn merge_known_labels(base: &Project, work: &mut Project, theirs: &Project) {
    for o in base.labels() {
        let (Some(a), b) = (work.label(&o.id).cloned(), theirs.label(&o.id)) else {
            continue; // Deleted here: stays deleted (theirs come back by name if used).
        };
        let Some(b) = b else {
            if a == *o && work.label_use_count(&o.id) == 0 {
                let _ = Edit::RemoveLabel(o.id.clone()).apply(work);
            }
            continue;
        };
        if *b != *o && a == *o {
            let props = LabelProps::of(b);
            let _ = Edit::EditLabel {
                id: o.id.clone(),
                props,
            }
            .apply(work);
        }
    }
}

/// Document changes the merged branch made to documents the ancestor had:
/// a new record (status, or a source re-anchored on that branch) is taken
/// when this branch left it alone.
fn merge_known_documents(
    base: &Project,
    work: &mut Project,
    theirs: &Project,
    notes: &mut Vec<String>,
) {
    for o in base.documents() {
        let b = theirs.document(o.id);
        let Some(i) = work.document_index(o.id) else {
            continue;
        };
        let a_same = work.documents().get(i) == Some(o);
        match b {
            Some(b) if b != o && a_same => {
                if let Some(d) = work.documents_mut().get_mut(i) {
                    *d = b.clone();
                }
            }
            None if a_same && work.count_of(o.id) == 0 => {
                let _ = Edit::RemoveDocument(o.id).apply(work);
            }
            None => notes.push(format!(
                "“{}” was removed on the merged branch but is still annotated here; it is kept.",
                o.name
            )),
            Some(_) => {}
        }
    }
}
