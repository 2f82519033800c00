//! The annotation project: documents, labels and annotations.
//!
//! Invariants: annotations are kept sorted by (document, start, end, label,
//! id) and ids are unique; every annotation's label exists (a placeholder is
//! made for unknown ones on load); documents and labels keep the analyst's
//! order. Only [`crate::model::edit`] and [`Project::from_parts`] change a
//! project, so every change after loading is an undoable edit.
//!
//! Annotations that need the analyst (a `review` flag or a merge
//! `conflict`) are also indexed by key, so counting and listing them never
//! walks every annotation.
//!
//! Cloning is cheap: the annotation maps are shared (`Arc`) and copied on
//! the first change after a clone, so a save or export can take a snapshot
//! on the UI thread in microseconds and work on it elsewhere.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::sync::Arc;

use crate::model::annotation::{Annotation, AnnotationId, AnnotationKey, Review};
use crate::model::document::{Document, DocumentId};
use crate::model::label::{Label, LabelId, default_labels};
use crate::model::offset::CharRange;

/// An annotation project, in memory. Equality compares content, not caches.
#[derive(Clone, Debug, Default)]
pub struct Project {
    /// Project name shown in the title bar.
    pub name: String,
    /// People who have annotated in this project, in order of first appearance.
    pub authors: Vec<String>,
    documents: Vec<Document>,
    labels: Vec<Label>,
    annotations: Arc<BTreeMap<AnnotationKey, Annotation>>,
    by_id: Arc<BTreeMap<AnnotationId, AnnotationKey>>,
    /// Longest span ever stored per document: bounds range queries.
    max_span: BTreeMap<DocumentId, usize>,
    /// Number of annotations per document.
    counts: BTreeMap<DocumentId, usize>,
    /// Keys of the annotations with a review flag or a conflict mark.
    flagged: Arc<BTreeSet<AnnotationKey>>,
}

/// What [`Project::from_parts`] had to repair, one entry per change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Repair {
    /// A label id was used but not defined; a placeholder label was added.
    PlaceholderLabel(LabelId),
    /// Two annotations shared an id; the later one got a new id.
    Renumbered {
        /// The id in the file.
        old: AnnotationId,
        /// The id it now has.
        new: AnnotationId,
    },
}

impl PartialEq for Project {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.authors == other.authors
            && self.documents == other.documents
            && self.labels == other.labels
            && self.annotations == other.annotations
    }
}

impl Eq for Project {}

impl Project {
    /// An empty project with the default labels.
    #[must_use]
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            labels: default_labels(),
            ..Self::default()
        }
    }

    /// Builds a project from loaded parts, repairing what would break the
    /// invariants without dropping anything: unknown labels get placeholders,
    /// clashing ids are renumbered, exact duplicates and annotations of
    /// unknown documents are kept and flagged for review.
    #[must_use]
    pub fn from_parts(
        name: String,
        authors: Vec<String>,
        documents: Vec<Document>,
        labels: Vec<Label>,
        annotations: Vec<Annotation>,
    ) -> (Self, Vec<Repair>) {
        let mut project = Self {
            name,
            authors,
            documents,
            labels,
            ..Self::default()
        };
        if project.nothing_to_repair(&annotations) {
            project.build(annotations);
            return (project, Vec::new());
        }
        let mut repairs = Vec::new();
        let mut next_id = annotations
            .iter()
            .map(|a| a.id.0)
            .max()
            .map_or(1, |m| m + 1);
        for mut a in annotations {
            if project.label(&a.label).is_none() {
                project.labels.push(Label::placeholder(&a.label));
                repairs.push(Repair::PlaceholderLabel(a.label.clone()));
            }
            if project.by_id.contains_key(&a.id) {
                let new = AnnotationId(next_id);
                next_id += 1;
                repairs.push(Repair::Renumbered { old: a.id, new });
                a.id = new;
            }
            if project.document(a.doc).is_none() {
                a.review = Some(Review::UnknownDocument);
            } else if let Some(original) = project.find_duplicate(&a) {
                a.review = Some(Review::Duplicate { of: original });
            }
            project.insert(a);
        }
        (project, repairs)
    }

    /// True when `annotations` are in key order with unique keys, ids
    /// and spans-with-label, and name only known documents and labels: what
    /// Spanmark itself writes. Then [`Self::build`] gives exactly what
    /// inserting them one by one would.
    fn nothing_to_repair(&self, annotations: &[Annotation]) -> bool {
        let docs: BTreeSet<DocumentId> = self.documents.iter().map(|d| d.id).collect();
        let labels: BTreeSet<&LabelId> = self.labels.iter().map(|l| &l.id).collect();
        let mut ids: Vec<u64> = annotations.iter().map(|a| a.id.0).collect();
        ids.sort_unstable();
        let in_order = |x: &Annotation, y: &Annotation| {
            (x.doc, x.range.start().0, x.range.end().0, &x.label, x.id)
                < (y.doc, y.range.start().0, y.range.end().0, &y.label, y.id)
        };
        ids.windows(2).all(|w| w[0] != w[1])
            && annotations
                .iter()
                .all(|a| docs.contains(&a.doc) && labels.contains(&a.label))
            && annotations
                .windows(2)
                .all(|w| in_order(&w[0], &w[1]) && !w[0].same_span_and_label(&w[1]))
    }

    /// Builds the maps of an empty project from annotations that need no
    /// repair, in bulk (sorted input: no per-item search).
    fn build(&mut self, annotations: Vec<Annotation>) {
        let mut by_id = Vec::with_capacity(annotations.len());
        let mut flagged = Vec::new();
        for a in &annotations {
            let key = a.key();
            let span = self.max_span.entry(a.doc).or_insert(0);
            *span = (*span).max(a.range.len());
            *self.counts.entry(a.doc).or_insert(0) += 1;
            if a.review.is_some() || a.conflict.is_some() {
                flagged.push(key.clone());
            }
            by_id.push((a.id, key));
        }
        by_id.sort_unstable_by_key(|(id, _)| *id);
        self.by_id = Arc::new(by_id.into_iter().collect());
        self.flagged = Arc::new(flagged.into_iter().collect());
        self.annotations = Arc::new(annotations.into_iter().map(|a| (a.key(), a)).collect());
    }

    /// Documents in display order.
    #[must_use]
    pub fn documents(&self) -> &[Document] {
        &self.documents
    }

    /// A document by id.
    #[must_use]
    pub fn document(&self, id: DocumentId) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }

    /// Position of a document in display order.
    #[must_use]
    pub fn document_index(&self, id: DocumentId) -> Option<usize> {
        self.documents.iter().position(|d| d.id == id)
    }

    /// An id no document has yet.
    #[must_use]
    pub fn next_document_id(&self) -> DocumentId {
        DocumentId(self.documents.iter().map(|d| d.id.0 + 1).max().unwrap_or(1))
    }

    /// Labels in display order.
    #[must_use]
    pub fn labels(&self) -> &[Label] {
        &self.labels
    }

    /// A label by id.
    #[must_use]
    pub fn label(&self, id: &LabelId) -> Option<&Label> {
        self.labels.iter().find(|l| &l.id == id)
    }

    /// Position of a label in display order.
    #[must_use]
    pub fn label_index(&self, id: &LabelId) -> Option<usize> {
        self.labels.iter().position(|l| &l.id == id)
    }

    /// The label bound to a hotkey.
    #[must_use]
    pub fn label_by_hotkey(&self, key: char) -> Option<&Label> {
        self.labels.iter().find(|l| l.hotkey == Some(key))
    }

    /// A label by display name (case-insensitive).
    #[must_use]
    pub fn label_by_name(&self, name: &str) -> Option<&Label> {
        self.labels
            .iter()
            .find(|l| l.name.to_lowercase() == name.trim().to_lowercase())
    }

    /// An unused label id derived from `name`.
    #[must_use]
    pub fn fresh_label_id(&self, name: &str) -> LabelId {
        let base = crate::model::label::slug(name);
        let mut candidate = base.clone();
        let mut n = 2;
        while self.label(&LabelId::new(candidate.as_str())).is_some() {
            candidate = format!("{base}_{n}");
            n += 1;
        }
        LabelId::new(candidate)
    }

    /// All annotations in key order.
    pub fn annotations(
        &self,
    ) -> impl DoubleEndedIterator<Item = &Annotation> + ExactSizeIterator + '_ {
        self.annotations.values()
    }

    /// Number of annotations.
    #[must_use]
    pub fn annotation_count(&self) -> usize {
        self.annotations.len()
    }

    /// An annotation by id.
    #[must_use]
    pub fn annotation(&self, id: AnnotationId) -> Option<&Annotation> {
        self.by_id.get(&id).and_then(|k| self.annotations.get(k))
    }

    /// An id no annotation has yet.
    #[must_use]
    pub fn next_annotation_id(&self) -> AnnotationId {
        AnnotationId(self.by_id.keys().next_back().map_or(1, |id| id.0 + 1))
    }

    /// The annotations of one document in key order.
    pub fn annotations_of(
        &self,
        doc: DocumentId,
    ) -> impl DoubleEndedIterator<Item = &Annotation> + '_ {
        self.annotations
            .range(Self::doc_bounds(doc, 0, usize::MAX))
            .map(|(_, a)| a)
    }

    /// The annotation of `doc` after (or before) `from` in key order,
    /// wrapping around; the first (or last) one when `from` is `None` or not
    /// in `doc`. O(log n).
    #[must_use]
    pub fn neighbour(
        &self,
        doc: DocumentId,
        from: Option<AnnotationId>,
        forward: bool,
    ) -> Option<AnnotationId> {
        let (lo, hi) = Self::doc_bounds(doc, 0, usize::MAX);
        let key = from
            .and_then(|id| self.by_id.get(&id))
            .filter(|k| k.0 == doc)
            .cloned();
        let step = match (key, forward) {
            (Some(k), true) => self
                .annotations
                .range((Bound::Excluded(k), hi.clone()))
                .next(),
            (Some(k), false) => self
                .annotations
                .range((lo.clone(), Bound::Excluded(k)))
                .next_back(),
            (None, _) => None,
        };
        let mut all = self.annotations.range((lo, hi));
        let wrap = || if forward { all.next() } else { all.next_back() };
        step.or_else(wrap).map(|(_, a)| a.id)
    }

    /// The annotations of `doc` that start at `start`, in key order. O(log n).
    pub fn annotations_starting_at(
        &self,
        doc: DocumentId,
        start: usize,
    ) -> impl Iterator<Item = &Annotation> + '_ {
        self.annotations
            .range(Self::doc_bounds(doc, start, start.saturating_add(1)))
            .map(|(_, a)| a)
    }

    /// The annotations of `doc` that share at least one scalar value with
    /// `range` (or, for an empty range, contain its position), in key order.
    pub fn annotations_overlapping(
        &self,
        doc: DocumentId,
        range: CharRange,
    ) -> impl Iterator<Item = &Annotation> + '_ {
        let reach = self.max_span.get(&doc).copied().unwrap_or(0);
        let from = range.start().0.saturating_sub(reach);
        let upto = range.end().0.max(range.start().0 + 1);
        self.annotations
            .range(Self::doc_bounds(doc, from, upto))
            .map(|(_, a)| a)
            .filter(move |a| {
                a.range.overlaps(range) || (range.is_empty() && a.range.contains(range.start()))
            })
    }

    /// Key bounds for annotations of `doc` whose start lies in `from..upto`.
    fn doc_bounds(
        doc: DocumentId,
        from: usize,
        upto: usize,
    ) -> (Bound<AnnotationKey>, Bound<AnnotationKey>) {
        let lo = (doc, from, 0, LabelId::new(""), AnnotationId(0));
        let hi = (doc, upto, 0, LabelId::new(""), AnnotationId(0));
        (Bound::Included(lo), Bound::Excluded(hi))
    }

    /// The id of an annotation with the same document, range and label.
    #[must_use]
    pub fn find_duplicate(&self, a: &Annotation) -> Option<AnnotationId> {
        self.annotations_overlapping(a.doc, a.range)
            .find(|b| b.id != a.id && b.same_span_and_label(a))
            .map(|b| b.id)
    }

    /// Number of annotations per label id.
    #[must_use]
    pub fn count_by_label(&self) -> BTreeMap<LabelId, usize> {
        let mut counts = BTreeMap::new();
        for a in self.annotations.values() {
            *counts.entry(a.label.clone()).or_insert(0) += 1;
        }
        counts
    }

    /// Number of annotations of one document.
    #[must_use]
    pub fn count_of(&self, doc: DocumentId) -> usize {
        self.counts.get(&doc).copied().unwrap_or(0)
    }

    /// Number of annotations using a label.
    #[must_use]
    pub fn label_use_count(&self, id: &LabelId) -> usize {
        self.annotations.values().filter(|a| &a.label == id).count()
    }

    /// The recorded authors followed by any other annotation authors, in
    /// order of first appearance.
    #[must_use]
    pub fn all_authors(&self) -> Vec<String> {
        let mut out = self.authors.clone();
        let mut last: Option<&str> = None;
        for a in self.annotations.values() {
            // Names are shared: the same author as the last annotation's is
            // recognised by address, without comparing text.
            if last.is_some_and(|l| std::ptr::eq(l, a.author.as_str())) && a.agreed.is_empty() {
                continue;
            }
            last = Some(a.author.as_str());
            for name in a.authors() {
                if !out.iter().any(|o| o == name) {
                    out.push(name.to_owned());
                }
            }
        }
        out
    }

    /// Annotations flagged for review, in key order.
    pub fn needing_review(&self) -> impl Iterator<Item = &Annotation> + '_ {
        self.flagged_annotations().filter(|a| a.review.is_some())
    }

    /// Annotations with a review flag or a merge-conflict mark, in key
    /// order. O(k log n) for k of them.
    pub fn flagged_annotations(&self) -> impl Iterator<Item = &Annotation> + '_ {
        self.flagged.iter().filter_map(|k| self.annotations.get(k))
    }

    /// Number of annotations with a review flag or a conflict mark. O(1).
    #[must_use]
    pub fn flagged_count(&self) -> usize {
        self.flagged.len()
    }

    fn reflag(&mut self, key: &AnnotationKey, flagged: bool) {
        if flagged {
            if !self.flagged.contains(key) {
                Arc::make_mut(&mut self.flagged).insert(key.clone());
            }
        } else if self.flagged.contains(key) {
            Arc::make_mut(&mut self.flagged).remove(key);
        }
    }

    // Mutators below are for `edit.rs` and loaders only.

    pub(crate) fn insert(&mut self, a: Annotation) {
        let span = self.max_span.entry(a.doc).or_insert(0);
        *span = (*span).max(a.range.len());
        let key = a.key();
        let flagged = a.review.is_some() || a.conflict.is_some();
        if let Some(old) = Arc::make_mut(&mut self.by_id).insert(a.id, key.clone()) {
            // Same id again: the old entry is replaced, not duplicated.
            if let Some(gone) = Arc::make_mut(&mut self.annotations).remove(&old) {
                self.uncount(gone.doc);
            }
            self.reflag(&old, false);
        }
        *self.counts.entry(a.doc).or_insert(0) += 1;
        if let Some(gone) = Arc::make_mut(&mut self.annotations).insert(key.clone(), a) {
            self.uncount(gone.doc);
        }
        self.reflag(&key, flagged);
    }

    fn uncount(&mut self, doc: DocumentId) {
        if let Some(n) = self.counts.get_mut(&doc) {
            *n = n.saturating_sub(1);
        }
    }

    pub(crate) fn take(&mut self, id: AnnotationId) -> Option<Annotation> {
        let key = Arc::make_mut(&mut self.by_id).remove(&id)?;
        let a = Arc::make_mut(&mut self.annotations).remove(&key)?;
        self.uncount(a.doc);
        self.reflag(&key, false);
        Some(a)
    }

    pub(crate) fn set_review(&mut self, id: AnnotationId, review: Option<Review>) {
        let Some(key) = self.by_id.get(&id).cloned() else {
            return;
        };
        if let Some(a) = Arc::make_mut(&mut self.annotations).get_mut(&key) {
            a.review = review;
            let flagged = a.review.is_some() || a.conflict.is_some();
            self.reflag(&key, flagged);
        }
    }

    pub(crate) fn labels_mut(&mut self) -> &mut Vec<Label> {
        &mut self.labels
    }

    pub(crate) fn documents_mut(&mut self) -> &mut Vec<Document> {
        &mut self.documents
    }
}
