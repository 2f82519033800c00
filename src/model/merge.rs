//! Merging a colleague's copy of a project into this one.
//!
//! Several copies merge by folding: merge B into A, then C into the result.
//!
//! Invariants:
//! - Nothing is dropped: every annotation of either copy is in the result,
//!   collapsed into an identical one or kept beside a differing one.
//! - Documents are recognised by content hash. A document of theirs with no
//!   hash match but the same stored path is the same document after an edit
//!   of its source: their annotations are placed again in our text by quote
//!   and context ([`crate::model::reanchor`]); anything not placed exactly is
//!   marked with a conflict saying so (kept at its old offsets, clamped to
//!   the text, when not found) and with the same review flag re-anchoring
//!   on open gives (`moved`, `fuzzy`, `orphaned`), for the review panel.
//!   Other documents are added.
//! - Identical annotations (same document, range and label) collapse into
//!   one that records every author (`author` + `agreed`); differing notes are
//!   both kept in the note.
//! - A conflict is a pair that no single copy holds both of: the same span
//!   with different labels, or overlapping spans of one label. Both are kept
//!   and each gets a plain-words `conflict` naming the other.
//! - The result is the same whichever copy is merged into which, up to ids,
//!   which copy's author is the `author` of a collapsed annotation, and the
//!   label colours and hotkeys (this project's win; see
//!   [`crate::model::merge_labels`]).
//! - All changes are [`Edit`]s, returned as one batch: a merge is one
//!   undoable step.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::model::annotation::Annotation;
use crate::model::document::DocumentId;
use crate::model::edit::Edit;
use crate::model::label::LabelId;
use crate::model::merge_labels::{apply, merge_labels};
use crate::model::name::Name;
use crate::model::offset::CharRange;
use crate::model::progress::{Progress, Stopped};
use crate::model::project::Project;
use crate::model::reanchor::{Placement, place_all, place_all_with};
use crate::model::source_text::SourceText;

pub use crate::model::merge_report::MergeReport;

/// The result of [`merge_into`].
#[derive(Clone, Debug)]
pub struct Merged {
    /// Our project with theirs merged in.
    pub project: Project,
    /// The change from ours to `project`, as one batch edit.
    pub edit: Edit,
    /// What happened.
    pub report: MergeReport,
}

/// Where their document went.
#[derive(Clone, Copy)]
enum DocMatch {
    /// Same bytes as ours.
    Same(DocumentId),
    /// Same path, other bytes: place again in our text.
    Changed(DocumentId),
    /// New here.
    Added(DocumentId),
}

/// Merges `theirs` (a colleague's copy, called `who` in messages) into
/// `ours`. `texts` gives our source text of a document, used to place their
/// annotations on documents whose source changed; without it they keep
/// their offsets and are marked for review.
#[must_use]
pub fn merge_into(
    ours: &Project,
    theirs: &Project,
    who: &str,
    texts: &dyn Fn(DocumentId) -> Option<Arc<SourceText>>,
) -> Merged {
    // A new progress is never stopped: the merge always runs to its end.
    merge_into_with(ours, theirs, who, texts, &Progress::new())
        .unwrap_or_else(|Stopped| unmerged(ours, who))
}

/// As [`merge_into`], naming its phases in `progress` (placing their
/// annotations on changed sources, then [`COMBINING`] with a fraction)
/// and ending with [`Stopped`] within a few milliseconds once it is
/// stopped.
///
/// # Errors
/// [`Stopped`].
pub fn merge_into_with(
    ours: &Project,
    theirs: &Project,
    who: &str,
    texts: &dyn Fn(DocumentId) -> Option<Arc<SourceText>>,
    progress: &Progress,
) -> Result<Merged, Stopped> {
    merge_into_except_with(ours, theirs, who, texts, &|_| false, progress)
}

/// The phase of a merge that combines their annotations with ours.
pub const COMBINING: &str = "Combining their annotations with ours";

/// Annotations merged between two looks at the stop flag (here and in the
/// three-way merge).
pub(crate) const STEP: usize = 1024;

/// Nothing merged (what a stopped merge would leave).
fn unmerged(ours: &Project, who: &str) -> Merged {
    Merged {
        project: ours.clone(),
        edit: Edit::Batch(Vec::new()),
        report: MergeReport {
            from: who.to_owned(),
            ..MergeReport::default()
        },
    }
}

/// As [`merge_into_with`], leaving out their annotations for which `skip`
/// is true (they still count as held by their copy when judging
/// conflicts). The three-way merge uses this for annotations it already
/// reconciled.
///
/// # Errors
/// [`Stopped`].
pub fn merge_into_except_with(
    ours: &Project,
    theirs: &Project,
    who: &str,
    texts: &dyn Fn(DocumentId) -> Option<Arc<SourceText>>,
    skip: &dyn Fn(&Annotation) -> bool,
    progress: &Progress,
) -> Result<Merged, Stopped> {
    let mut work = ours.clone();
    let mut edits = Vec::new();
    let mut report = MergeReport {
        from: who.to_owned(),
        ..MergeReport::default()
    };
    let labels = merge_labels(&mut work, theirs, who, &mut edits, &mut report.notes);
    let docs = match_documents(&mut work, theirs, who, &mut edits, &mut report);
    let again = PlacedAgain::new(theirs, &docs, texts, progress)?;
    let placed = place_theirs(&work, theirs, who, &labels, &docs, &again, &mut report);
    drop(again);
    let their_keys: BTreeSet<_> = placed.iter().map(|(a, _)| span_key(a)).collect();
    let mut marks: BTreeMap<_, BTreeSet<String>> = BTreeMap::new();
    progress.phase(COMBINING, placed.len() as u64);
    for (k, (mut a, skipped)) in placed.into_iter().enumerate() {
        if k % STEP == 0 {
            progress.check()?;
            progress.set_done(k as u64);
        }
        if skip(&skipped) {
            continue;
        }
        let same = work
            .annotations_overlapping(a.doc, a.range)
            .find(|e| e.same_span_and_label(&a))
            .cloned();
        if let Some(e) = same {
            let both = combine(&e, &a);
            if both == e {
                report.unchanged += 1;
            } else {
                report.collapsed += usize::from(both.agreed != e.agreed);
                let edit = Edit::Batch(vec![
                    Edit::RemoveAnnotation(e.id),
                    Edit::AddAnnotation(Box::new(both)),
                ]);
                apply(&mut work, &mut edits, &mut report.notes, edit);
            }
            continue;
        }
        for e in ours.annotations_overlapping(a.doc, a.range) {
            let clash = if e.range == a.range && e.label != a.label {
                Some("Same text labelled")
            } else if e.label == a.label && e.range != a.range {
                Some("Overlaps")
            } else {
                None
            };
            // A copy that holds both made them so on purpose.
            let (Some(kind), false) = (clash, their_keys.contains(&span_key(e))) else {
                continue;
            };
            let theirs_said = describe(kind, &work, e.label.clone(), e.range, &e.author);
            let ours_said = describe(kind, &work, a.label.clone(), a.range, &a.author);
            marks.entry(e.id).or_default().insert(ours_said);
            add_conflict(&mut a, &theirs_said);
        }
        if a.conflict.is_some() {
            report.conflicts += 1;
        }
        if work.annotation(a.id).is_some() {
            a.id = work.next_annotation_id();
        }
        if apply(
            &mut work,
            &mut edits,
            &mut report.notes,
            Edit::AddAnnotation(Box::new(a)),
        ) {
            report.added += 1;
        }
    }
    for (id, said) in marks {
        let Some(e) = work.annotation(id) else {
            continue;
        };
        let mut a = e.clone();
        for s in &said {
            add_conflict(&mut a, s);
        }
        report.conflicts += usize::from(e.conflict.is_none());
        let edit = Edit::SetConflict {
            id,
            conflict: a.conflict,
        };
        apply(&mut work, &mut edits, &mut report.notes, edit);
    }
    Ok(Merged {
        project: work,
        edit: Edit::Batch(edits),
        report,
    })
}

/// Finds or adds each of their documents here.
fn match_documents(
    work: &mut Project,
    theirs: &Project,
    who: &str,
    edits: &mut Vec<Edit>,
    report: &mut MergeReport,
) -> BTreeMap<DocumentId, DocMatch> {
    let mut map = BTreeMap::new();
    for t in theirs.documents() {
        let found = if let Some(o) = work.documents().iter().find(|d| d.sha256 == t.sha256) {
            report.documents_same += 1;
            DocMatch::Same(o.id)
        } else if let Some(o) = work.documents().iter().find(|d| d.path == t.path) {
            report.documents_changed += 1;
            report.notes.push(format!(
                "“{}”: {who}'s copy was annotated on another version of this source; \
                 their annotations were placed again by quote and context.",
                o.name
            ));
            DocMatch::Changed(o.id)
        } else {
            let mut doc = t.clone();
            if work.document(doc.id).is_some() {
                doc.id = work.next_document_id();
            }
            let id = doc.id;
            let index = work.documents().len();
            let edit = Edit::AddDocument {
                doc: Box::new(doc),
                index,
            };
            if !apply(work, edits, &mut report.notes, edit) {
                continue;
            }
            report.documents_added += 1;
            DocMatch::Added(id)
        };
        map.insert(t.id, found);
    }
    map
}

/// Their annotations on changed sources placed in our texts (all of a
/// document's at once), with those texts.
struct PlacedAgain {
    placed: BTreeMap<crate::model::AnnotationId, Placement>,
    texts: BTreeMap<DocumentId, Arc<SourceText>>,
}

impl PlacedAgain {
    fn new(
        theirs: &Project,
        docs: &BTreeMap<DocumentId, DocMatch>,
        texts: &dyn Fn(DocumentId) -> Option<Arc<SourceText>>,
        progress: &Progress,
    ) -> Result<Self, Stopped> {
        let mut out = Self {
            placed: BTreeMap::new(),
            texts: BTreeMap::new(),
        };
        for (&their_doc, m) in docs {
            if let DocMatch::Changed(d) = *m
                && let Some(text) = texts(d)
            {
                let anns: Vec<&Annotation> = theirs.annotations_of(their_doc).collect();
                let placed = place_all_with(&text, &anns, progress)?;
                out.placed.extend(anns.iter().map(|a| a.id).zip(placed));
                out.texts.insert(d, text);
            }
        }
        Ok(out)
    }
}

/// Their annotations, moved onto our documents and labels (and placed again
/// in our text where the source changed: `again`), each with the original,
/// in their key order.
fn place_theirs(
    work: &Project,
    theirs: &Project,
    who: &str,
    labels: &BTreeMap<LabelId, LabelId>,
    docs: &BTreeMap<DocumentId, DocMatch>,
    again: &PlacedAgain,
    report: &mut MergeReport,
) -> Vec<(Annotation, Annotation)> {
    let mut out = Vec::with_capacity(theirs.annotation_count());
    for t in theirs.annotations() {
        let mut a = t.clone();
        a.review = None;
        if let Some(l) = labels.get(&t.label) {
            a.label = l.clone();
        }
        match docs.get(&t.doc) {
            Some(DocMatch::Same(d) | DocMatch::Added(d)) => a.doc = *d,
            Some(DocMatch::Changed(d)) => {
                a.doc = *d;
                let text = again.texts.get(d).map(Arc::as_ref);
                let status = reanchor(&mut a, work, who, text, again.placed.get(&t.id).copied());
                *report.placed.entry(status).or_insert(0) += 1;
            }
            None => {
                // Their document could not be added (said in the notes):
                // keep the annotation visible on nothing rather than drop it.
                report.notes.push(format!(
                    "Annotation {} of {who} (“{}”) was not merged: its document could not be added.",
                    t.id, t.anchor.quote
                ));
                continue;
            }
        }
        out.push((a, t.clone()));
    }
    out
}

/// Places `a` (made on another version of its source) in our text.
fn reanchor(
    a: &mut Annotation,
    work: &Project,
    who: &str,
    text: Option<&SourceText>,
    placement: Option<Placement>,
) -> &'static str {
    let old = a.range;
    let len = work.document(a.doc).map_or(0, |d| d.char_len);
    let Some(text) = text else {
        add_conflict(
            a,
            &format!(
                "made by {who} on another version of the source, which could not be read here: check its place"
            ),
        );
        a.range = clamp(old, len);
        return "unchecked";
    };
    let placement =
        placement.unwrap_or_else(|| place_all(text, &[a]).pop().unwrap_or(Placement::Orphaned));
    crate::model::reanchor::apply(a, text, placement);
    match placement {
        Placement::Exact => {}
        Placement::Moved { ambiguous, .. } => {
            if !ambiguous {
                a.review = None; // Placed with confidence: nothing to review.
            } else {
                add_conflict(
                    a,
                    &format!(
                        "moved from {}–{} in {who}'s copy; the same text is also elsewhere",
                        old.start().0,
                        old.end().0
                    ),
                );
            }
        }
        Placement::Fuzzy { score, .. } => {
            add_conflict(
                a,
                &format!(
                    "placed by a fuzzy match (score {score}/1000) of “{}” from {who}'s copy of another version of the source",
                    a.anchor.quote
                ),
            );
        }
        Placement::Orphaned => {
            a.range = clamp(old, len);
            add_conflict(
                a,
                &format!(
                    "“{}” from {who}'s copy ({}–{}) was not found in this version of the source",
                    a.anchor.quote,
                    old.start().0,
                    old.end().0
                ),
            );
        }
    }
    placement.status()
}

fn clamp(r: CharRange, len: usize) -> CharRange {
    CharRange::new(r.start().0.min(len), r.end().0.min(len))
}

fn span_key(a: &Annotation) -> (DocumentId, usize, usize, LabelId) {
    (a.doc, a.range.start().0, a.range.end().0, a.label.clone())
}

fn describe(kind: &str, p: &Project, label: LabelId, r: CharRange, by: &str) -> String {
    let name = p
        .label(&label)
        .map_or_else(|| label.as_str().to_owned(), |l| l.name.clone());
    let by = if by.is_empty() { "someone" } else { by };
    match kind {
        "Overlaps" => format!("Overlaps “{name}” at {}–{} by {by}", r.start().0, r.end().0),
        _ => format!("{kind} “{name}” by {by}"),
    }
}

/// Adds `reason` to the annotation's conflict (kept sorted, no repeats).
fn add_conflict(a: &mut Annotation, reason: &str) {
    let mut all: BTreeSet<String> = a
        .conflict
        .iter()
        .flat_map(|c| c.split("; "))
        .map(str::to_owned)
        .collect();
    all.insert(reason.to_owned());
    a.conflict = Some(all.into_iter().collect::<Vec<_>>().join("; "));
}

/// `e` (ours) and `t` (theirs, identical span and label) as one annotation.
fn combine(e: &Annotation, t: &Annotation) -> Annotation {
    let mut both = e.clone();
    let mut agreed: BTreeSet<Name> = e.agreed.iter().cloned().collect();
    agreed.extend(
        std::iter::once(&t.author)
            .filter(|a| !a.is_empty())
            .chain(&t.agreed)
            .cloned(),
    );
    agreed.remove(e.author.as_str());
    both.agreed = agreed.into_iter().collect();
    both.note = match (&e.note, &t.note) {
        (Some(a), Some(b)) if a != b && !a.contains(b.as_str()) => {
            let by = if t.author.is_empty() {
                "a colleague"
            } else {
                &t.author
            };
            Some(format!("{a}\n— {by}: {b}"))
        }
        (None, Some(b)) => Some(b.clone()),
        (a, _) => a.clone(),
    };
    if both.conflict.is_none() {
        both.conflict.clone_from(&t.conflict);
    }
    both.created = e.created.min(t.created);
    both.modified = e.modified.max(t.modified);
    both.review.clone_from(&e.review);
    both
}
