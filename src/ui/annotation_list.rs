//! The rows of the annotation list, kept between frames.
//!
//! Invariants: `ids` are the annotations of one document that pass the
//! filters, in project key order, as of history revision `revision`. A
//! frame whose key (workspace, document, filters) and revision match uses
//! them as they are; an edit whose touched annotations are known (tag,
//! retag, resize, note, review, delete) is patched in: each touched row is
//! found by binary search on the key it had before the edit ([`Touched`])
//! and moved to its new key, so a patch costs O(log n) lookups and at most
//! one move of the id array per row, never a walk over the rows or the
//! annotations. Anything
//! else (undo, batches, a new project) rebuilds the list once. The author
//! filter's choices (every author and co-author in the project) are
//! computed only when asked for, once per revision. The one walk over a
//! document can also run away from the UI thread ([`AnnotationList::build`]
//! on the worker that opens a project) and be handed over with
//! [`AnnotationList::adopt`], which only moves the id array in.

use crate::model::{Annotation, AnnotationId, AnnotationKey, DocumentId, Edit, LabelId, Project};

/// Which list is cached: any change means a rebuild.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Key {
    generation: u64,
    doc: DocumentId,
    label: Option<LabelId>,
    author: Option<String>,
    text: String,
}

impl Key {
    fn new(generation: u64, doc: DocumentId, filters: Filters<'_>) -> Self {
        Self {
            generation,
            doc,
            label: filters.label.cloned(),
            author: filters.author.map(str::to_owned),
            text: filters.text.to_lowercase(),
        }
    }
}

/// The rows of one document under some filters, built where the list
/// cannot see them yet (a worker thread): adopted as they are.
#[derive(Clone, Debug)]
pub struct Prebuilt {
    key: Key,
    ids: Vec<AnnotationId>,
}

impl Prebuilt {
    /// The rows, in list order.
    #[must_use]
    pub fn ids(&self) -> &[AnnotationId] {
        &self.ids
    }
}

/// The list's filters, owned (to hand them to a worker thread).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OwnedFilters {
    /// Only this label.
    pub label: Option<LabelId>,
    /// Only annotations this analyst made or agreed with.
    pub author: Option<String>,
    /// Only quotes or notes containing this text (any case).
    pub text: String,
}

impl OwnedFilters {
    /// The borrowed form the list takes.
    #[must_use]
    pub fn as_filters(&self) -> Filters<'_> {
        Filters {
            label: self.label.as_ref(),
            author: self.author.as_deref(),
            text: &self.text,
        }
    }
}

/// The list's filters.
#[derive(Clone, Copy, Debug, Default)]
pub struct Filters<'a> {
    /// Only this label.
    pub label: Option<&'a LabelId>,
    /// Only annotations this analyst made or agreed with.
    pub author: Option<&'a str>,
    /// Only quotes or notes containing this text (any case).
    pub text: &'a str,
}

/// The cached rows, and edits not yet patched in.
#[derive(Clone, Debug, Default)]
pub struct AnnotationList {
    key: Option<Key>,
    revision: u64,
    ids: Vec<AnnotationId>,
    /// Edits since the list was last brought up to date.
    pending: Pending,
    /// Every author in the project, as of (generation, revision).
    authors: Option<((u64, u64), Vec<String>)>,
}

/// What changed since the cached revision.
#[derive(Clone, Debug, Default)]
enum Pending {
    /// Nothing recorded.
    #[default]
    Nothing,
    /// Edits from revision `from` to `to` touching only these annotations
    /// (each once, with its key as of `from`).
    Known {
        from: u64,
        to: u64,
        ids: Vec<Touched>,
    },
    /// Something not patchable happened: rebuild.
    Unknown,
}

impl AnnotationList {
    /// Records a successful edit from revision `from` to `to` touching
    /// `ids` (from [`touched`] before the edit; `None`: unknown, e.g. undo
    /// or a batch).
    pub fn edited(&mut self, from: u64, to: u64, ids: Option<Vec<Touched>>) {
        self.pending = match (std::mem::take(&mut self.pending), ids) {
            (Pending::Nothing, Some(ids)) => Pending::Known {
                from,
                to,
                ids: first_touches(Vec::new(), ids),
            },
            (
                Pending::Known {
                    from: f,
                    to: t,
                    ids: all,
                },
                Some(ids),
            ) if t == from => {
                let all = first_touches(all, ids);
                Pending::Known {
                    from: f,
                    to,
                    ids: all,
                }
            }
            _ => Pending::Unknown,
        };
    }

    /// The rows for `doc` under the filters, as of `revision` of workspace `generation`.
    pub fn rows(
        &mut self,
        project: &Project,
        (generation, revision): (u64, u64),
        doc: DocumentId,
        filters: Filters<'_>,
    ) -> &[AnnotationId] {
        let key = Key::new(generation, doc, filters);
        let same_key = self.key.as_ref() == Some(&key);
        if same_key && self.revision == revision {
            self.pending = Pending::Nothing;
            return &self.ids;
        }
        match std::mem::take(&mut self.pending) {
            Pending::Known { from, to, ids }
                if same_key && from == self.revision && to == revision && ids.len() < 64 =>
            {
                self.patch(project, &key, &ids);
            }
            _ => self.ids = matching(project, &key),
        }
        self.key = Some(key);
        self.revision = revision;
        &self.ids
    }

    /// The rows of `doc` under `filters`: one walk over the document's
    /// annotations, meant for a worker thread (see [`Self::adopt`]).
    #[must_use]
    pub fn build(project: &Project, doc: DocumentId, filters: Filters<'_>) -> Prebuilt {
        let key = Key::new(0, doc, filters);
        let ids = matching(project, &key);
        Prebuilt { key, ids }
    }

    /// Takes rows built by [`Self::build`] from the project that is now
    /// workspace `generation` at history `revision` (no walk; edits after
    /// that revision are patched in or rebuilt as usual).
    pub fn adopt(&mut self, (generation, revision): (u64, u64), rows: Prebuilt) {
        let Prebuilt { mut key, ids } = rows;
        key.generation = generation;
        self.key = Some(key);
        self.revision = revision;
        self.ids = ids;
        self.pending = Pending::Nothing;
    }

    /// Every author and co-author in the project, sorted, as of `revision`
    /// of workspace `generation` (one walk over the annotations per revision,
    /// only when the author filter is opened).
    pub fn authors(&mut self, project: &Project, key: (u64, u64)) -> &[String] {
        if self.authors.as_ref().is_none_or(|(k, _)| *k != key) {
            let mut names = project.all_authors();
            names.sort();
            names.dedup();
            self.authors = Some((key, names));
        }
        self.authors.as_ref().map_or(&[], |(_, n)| n.as_slice())
    }

    fn patch(&mut self, project: &Project, key: &Key, touched: &[Touched]) {
        let key_of = |id: &AnnotationId| project.annotation(*id).map(Annotation::key);
        let wanted = |id: &AnnotationId| {
            project
                .annotation(*id)
                .is_some_and(|a| a.doc == key.doc && passes(a, key))
        };
        for (n, t) in touched.iter().enumerate() {
            // Where the list holds each row right now: rows not patched
            // yet (this one included) at their keys before the edits, all
            // others at their keys.
            let rest = &touched[n..];
            let held = |x: &AnnotationId| match rest.iter().find(|r| r.id == *x) {
                Some(r) => r.was.clone(),
                None => key_of(x),
            };
            let from = t.was.as_ref().and_then(|k| {
                let at = self.ids.partition_point(|x| held(x).as_ref() < Some(k));
                (self.ids.get(at) == Some(&t.id)).then_some(at)
            });
            let to = key_of(&t.id).filter(|_| wanted(&t.id));
            match (from, to) {
                (Some(i), Some(k)) => {
                    // Move the row by rotating only the rows it passes.
                    let before = self.ids.get(..i).unwrap_or_default();
                    let left = before.partition_point(|x| held(x) < Some(k.clone()));
                    if left < i {
                        self.ids[left..=i].rotate_right(1);
                    } else {
                        let after = self.ids.get(i + 1..).unwrap_or_default();
                        let right = after.partition_point(|x| held(x) < Some(k.clone()));
                        self.ids[i..=i + right].rotate_left(1);
                    }
                }
                (Some(i), None) => {
                    self.ids.remove(i);
                }
                (None, Some(k)) => {
                    let at = self.ids.partition_point(|x| held(x) < Some(k.clone()));
                    self.ids.insert(at, t.id);
                }
                (None, None) => {}
            }
        }
    }
}

/// An annotation an edit touches, and the list key it had before the edit
/// (where the list holds its row, if it has one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Touched {
    /// The annotation.
    pub id: AnnotationId,
    /// Its key before the edit; `None` when it did not exist.
    pub was: Option<AnnotationKey>,
}

/// `all` followed by the annotations of `more` not already in it: the list
/// holds a row where its *first* recorded touch found it.
fn first_touches(mut all: Vec<Touched>, more: Vec<Touched>) -> Vec<Touched> {
    for t in more {
        if !all.iter().any(|a| a.id == t.id) {
            all.push(t);
        }
    }
    all
}

/// Longest excerpt shown in a row of the list, in chars.
const EXCERPT: usize = 60;

/// Most row texts kept before the cache starts afresh (scrolling through a
/// long list must not grow it without end).
const MAX_TEXTS: usize = 1024;

/// The texts of the rows drawn recently, so an idle or scrolling frame does
/// not format the same excerpts again.
///
/// Invariant: every text is [`row_text`] of its annotation as of
/// (workspace generation, history revision) `key`; any other key empties
/// the cache first, so no edit, undo, merge or review action can leave a
/// stale text behind.
#[derive(Clone, Debug, Default)]
pub struct RowTexts {
    key: (u64, u64),
    texts: std::collections::BTreeMap<AnnotationId, String>,
}

impl RowTexts {
    /// The row text of `a` as of `key` (formatted once per revision).
    pub fn get(&mut self, key: (u64, u64), a: &Annotation) -> &str {
        if self.key != key || self.texts.len() >= MAX_TEXTS {
            self.texts.clear();
            self.key = key;
        }
        self.texts.entry(a.id).or_insert_with(|| row_text(a))
    }
}

/// What a row of the list says: a warning sign when the annotation needs
/// review or is in conflict, the start of its quote on one line, a pencil
/// when it has a note.
#[must_use]
pub fn row_text(a: &Annotation) -> String {
    let flag = if a.review.is_some() || a.conflict.is_some() {
        "⚠ "
    } else {
        ""
    };
    let quote = &a.anchor.quote;
    let mut s: String = flag.to_owned();
    s.extend(quote.chars().take(EXCERPT));
    if quote.chars().nth(EXCERPT).is_some() {
        s.push('…');
    }
    if a.note.is_some() {
        s.push_str(" ✎");
    }
    s.replace(['\n', '\r'], " ")
}

/// The annotations `edit` will touch in `project` (call it before applying
/// the edit), or `None` when that is not known cheaply.
#[must_use]
pub fn touched(project: &Project, edit: &Edit) -> Option<Vec<Touched>> {
    let one = |id: AnnotationId| {
        let was = project.annotation(id).map(Annotation::key);
        Some(vec![Touched { id, was }])
    };
    match edit {
        Edit::AddAnnotation(a) => one(a.id),
        Edit::RemoveAnnotation(id)
        | Edit::Retag { id, .. }
        | Edit::Resize { id, .. }
        | Edit::SetReview { id, .. }
        | Edit::SetConflict { id, .. }
        | Edit::SetNote { id, .. } => one(*id),
        Edit::SetStatus { .. }
        | Edit::SetDocument(_)
        | Edit::AddLabel { .. }
        | Edit::EditLabel { .. } => Some(Vec::new()),
        _ => None,
    }
}

fn matching(project: &Project, key: &Key) -> Vec<AnnotationId> {
    project
        .annotations_of(key.doc)
        .filter(|a| passes(a, key))
        .map(|a| a.id)
        .collect()
}

fn passes(a: &Annotation, key: &Key) -> bool {
    key.label.as_ref().is_none_or(|l| &a.label == l)
        && key
            .author
            .as_deref()
            .is_none_or(|who| a.authors().any(|n| n == who))
        && (key.text.is_empty()
            || a.anchor.quote.to_lowercase().contains(&key.text)
            || a.note
                .as_deref()
                .is_some_and(|n| n.to_lowercase().contains(&key.text)))
}
