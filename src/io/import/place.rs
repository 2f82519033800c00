//! Placing imported spans: matching documents and labels, checking each
//! span, and building one undoable batch.
//!
//! Invariants: a document matches by identical text first, then by name
//! (`name`, `path`, or the same file stem); when matched by name but the
//! texts differ, a span is placed only if it covers the same text in both;
//! labels match by name (case-insensitive), id, or the brat/tag-safe form
//! of a name, and unknown labels are created; the whole import is one
//! history step ("Import annotations"), so one undo removes it.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use crate::io::export::brat::brat_label;
use crate::io::export::select::file_safe;
use crate::io::export::tags::tag_label;
use crate::io::import::{ImportError, ImportOptions, ImportReport, Incoming, IncomingSpan, parse};
use crate::io::{SourceState, Workspace};
use crate::model::label::PLACEHOLDER_COLOR;
use crate::model::{
    Anchor, Annotation, AnnotationId, CharRange, DocumentId, Edit, History, Label, LabelId,
    Progress, Project, SourceText, Stopped,
};

/// The phase of [`plan_import_with`] that reads and parses the file.
pub const READING: &str = "Reading the file";
/// The phase of [`plan_import_with`] that places each span.
pub const PLACING: &str = "Placing the spans";

/// Colours given to labels created by an import, in turn.
const NEW_LABEL_COLORS: [[u8; 3]; 6] = [
    [0x59, 0xa1, 0x4f],
    [0xb0, 0x7a, 0xa1],
    [0x76, 0xb7, 0xb2],
    [0xed, 0xc9, 0x48],
    [0xff, 0x9d, 0xa7],
    [0x9c, 0x75, 0x5f],
];

fn stem(name: &str) -> &str {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.rsplit_once('.').map_or(base, |(s, _)| s)
}

struct Pending {
    edits: Vec<Edit>,
    labels: Vec<Label>,
    next_ann: u64,
    next_doc: u32,
    added: BTreeSet<(DocumentId, CharRange, LabelId)>,
    new_texts: NewTexts,
}

/// Imports `file` into the workspace as one undoable step
/// ([`plan_import`], then [`PlannedImport::apply`]).
///
/// # Errors
/// Unreadable or malformed file, or a failure to add a new document; the
/// project is then unchanged.
pub fn import_file(
    ws: &mut Workspace,
    history: &mut History,
    file: &Path,
    opts: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    plan_import(ws, file, opts)?.apply(ws, history)
}

/// An import read, matched and checked against one state of a project,
/// not applied yet: the slow part of an import, which only reads the
/// workspace (so it can run on a worker, on a snapshot).
#[derive(Debug)]
pub struct PlannedImport {
    /// The edits, applied as one step.
    edits: Vec<Edit>,
    /// Texts of the documents the import adds.
    new_texts: NewTexts,
    /// What happened to every span.
    report: ImportReport,
}

impl PlannedImport {
    /// Applies the import as one undoable history step ("Import
    /// annotations") to `ws`, which must be the project it was planned on
    /// (else ids may clash and nothing is applied).
    ///
    /// # Errors
    /// An edit does not apply (the project is then unchanged).
    pub fn apply(
        self,
        ws: &mut Workspace,
        history: &mut History,
    ) -> Result<ImportReport, ImportError> {
        if !self.edits.is_empty() {
            history.apply(&mut ws.project, STEP, Edit::Batch(self.edits))?;
        }
        for (id, text) in self.new_texts {
            ws.sources.insert(id, SourceState::Ready(text));
        }
        Ok(self.report)
    }

    /// The import as parts, to be applied elsewhere (a worker applies the
    /// edit to a snapshot): the edit (`None`: nothing to add), the texts
    /// of the documents it adds, the report.
    #[must_use]
    pub fn into_parts(self) -> (Option<Edit>, NewTexts, ImportReport) {
        let edit = (!self.edits.is_empty()).then_some(Edit::Batch(self.edits));
        (edit, self.new_texts, self.report)
    }
}

/// The texts of the documents an import adds, by the id they get.
pub type NewTexts = Vec<(DocumentId, Arc<SourceText>)>;

/// Name of the history step of an import.
pub const STEP: &str = "Import annotations";

/// Reads `file` and plans its import into `ws` without changing it.
///
/// # Errors
/// Unreadable or malformed file, or a document that cannot be added.
pub fn plan_import(
    ws: &Workspace,
    file: &Path,
    opts: &ImportOptions,
) -> Result<PlannedImport, ImportError> {
    plan_import_with(ws, file, opts, &Progress::new())
}

/// As [`plan_import`], reporting to `progress` (reading the file, then
/// placing its spans one by one) and ending with [`ImportError::Stopped`]
/// once it is stopped.
///
/// # Errors
/// As [`plan_import`], or [`ImportError::Stopped`].
pub fn plan_import_with(
    ws: &Workspace,
    file: &Path,
    opts: &ImportOptions,
    progress: &Progress,
) -> Result<PlannedImport, ImportError> {
    let stopped = |Stopped| ImportError::Stopped {
        path: file.to_path_buf(),
    };
    progress.phase(READING, 0);
    let incoming = parse(opts.format, file)?;
    progress.check().map_err(stopped)?;
    let spans: usize = incoming.iter().map(|i| i.spans.len()).sum();
    progress.phase(PLACING, spans as u64);
    let mut placed: u64 = 0;
    let file_name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let origin = format!("{}:{file_name}", opts.format.tool());
    let mut report = ImportReport {
        format: opts.format.tool().to_owned(),
        file: file_name,
        ..ImportReport::default()
    };
    let mut p = Pending {
        edits: Vec::new(),
        labels: Vec::new(),
        next_ann: ws.project.next_annotation_id().0,
        next_doc: ws.project.next_document_id().0,
        added: BTreeSet::new(),
        new_texts: Vec::new(),
    };
    for inc in &incoming {
        let Some((doc, text, same_text)) =
            find_or_add_document(ws, &mut p, inc, opts, &mut report)?
        else {
            continue;
        };
        for span in &inc.spans {
            if placed.is_multiple_of(1024) {
                progress.check().map_err(stopped)?;
                progress.set_done(placed);
            }
            placed += 1;
            place_span(
                ws,
                &mut p,
                inc,
                span,
                doc,
                &text,
                same_text,
                opts,
                &origin,
                &mut report,
            );
        }
    }
    Ok(PlannedImport {
        edits: p.edits,
        new_texts: p.new_texts,
        report,
    })
}

/// The matching document (id, text, whether the incoming text is identical).
fn find_or_add_document(
    ws: &Workspace,
    p: &mut Pending,
    inc: &Incoming,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<Option<(DocumentId, Arc<SourceText>, bool)>, ImportError> {
    let project = &ws.project;
    let named = |d: &crate::model::Document| {
        inc.name.as_deref().is_some_and(|n| {
            d.name == n || d.path == n || file_safe(stem(&d.name)) == file_safe(stem(n))
        })
    };
    if let Some(text) = &inc.text {
        // Same text and name first: two documents may share a text.
        for pass in [true, false] {
            for d in project.documents().iter().filter(|d| !pass || named(d)) {
                if let Some(t) = ws.text(d.id).filter(|t| t.as_str() == text) {
                    return Ok(Some((d.id, Arc::clone(t), true)));
                }
            }
        }
        if let Some((id, t)) = p.new_texts.iter().find(|(_, t)| t.as_str() == text) {
            return Ok(Some((*id, Arc::clone(t), true)));
        }
    }
    if let Some(name) = &inc.name {
        let found = project
            .documents()
            .iter()
            .find(|d| &d.name == name || &d.path == name)
            .or_else(|| project.documents().iter().find(|d| named(d)));
        if let Some(d) = found {
            if let Some(t) = ws.text(d.id) {
                let same = inc.text.as_deref().is_none_or(|x| x == t.as_str());
                return Ok(Some((d.id, Arc::clone(t), same)));
            }
            report.not_placed.push(format!(
                "{}: document {:?} has no readable source; {} span(s) not placed",
                inc.place,
                d.name,
                inc.spans.len()
            ));
            return Ok(None);
        }
    }
    let label = inc.name.clone().unwrap_or_else(|| inc.place.clone());
    match (&inc.text, opts.add_documents) {
        (Some(text), true) => {
            let (id, t) = add_document(ws, p, text, inc.name.as_deref())?;
            report.created_documents.push(label);
            Ok(Some((id, t, true)))
        }
        _ => {
            report.not_placed.push(format!(
                "{}: no document with the same text or name as {label:?}{}; {} span(s) not placed",
                inc.place,
                if inc.text.is_some() {
                    " (use --add-documents)"
                } else {
                    ""
                },
                inc.spans.len()
            ));
            Ok(None)
        }
    }
}

/// Writes the text into `sources/` and queues an `AddDocument`.
fn add_document(
    ws: &Workspace,
    p: &mut Pending,
    text: &str,
    name: Option<&str>,
) -> Result<(DocumentId, Arc<SourceText>), ImportError> {
    let dir = ws.folder().join("sources");
    let base = file_safe(stem(name.unwrap_or("imported")));
    let mut path = dir.join(format!("{base}.txt"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{base}-{n}.txt"));
        n += 1;
    }
    let fail = |message: String| ImportError::AddDocument {
        message,
        path: path.clone(),
    };
    std::fs::create_dir_all(&dir).map_err(|e| fail(e.to_string()))?;
    std::fs::write(&path, text.as_bytes()).map_err(|e| fail(e.to_string()))?;
    let new = ws
        .prepare_document(&path)
        .map_err(|e| fail(e.to_string()))?;
    let mut doc = new.doc;
    doc.id = DocumentId(p.next_doc);
    p.next_doc += 1;
    let id = doc.id;
    let index = ws.project.documents().len() + p.new_texts.len();
    p.edits.push(Edit::AddDocument {
        doc: Box::new(doc),
        index,
    });
    let text = Arc::new(new.decoded.text);
    p.new_texts.push((id, Arc::clone(&text)));
    Ok((id, text))
}

fn find_label(project: &Project, pending: &[Label], name: &str) -> Option<LabelId> {
    let all = || project.labels().iter().chain(pending.iter());
    all()
        .find(|l| l.name == name)
        .or_else(|| all().find(|l| l.name.to_lowercase() == name.trim().to_lowercase()))
        .or_else(|| all().find(|l| l.id.as_str() == name))
        .or_else(|| all().find(|l| brat_label(&l.name) == name || tag_label(&l.name) == name))
        .map(|l| l.id.clone())
}

fn label_for(
    project: &Project,
    p: &mut Pending,
    name: &str,
    report: &mut ImportReport,
) -> Option<LabelId> {
    if let Some(id) = find_label(project, &p.labels, name) {
        return Some(id);
    }
    if name.trim().is_empty() {
        return None;
    }
    let mut id = project.fresh_label_id(name);
    let mut n = 2;
    while p.labels.iter().any(|l| l.id == id) {
        id = LabelId::new(format!("{}_{n}", project.fresh_label_id(name)));
        n += 1;
    }
    let color = NEW_LABEL_COLORS
        .get(p.labels.len() % NEW_LABEL_COLORS.len())
        .map_or(PLACEHOLDER_COLOR, |c| crate::model::Rgb(*c));
    let label = Label::new(id.as_str(), name.trim(), color);
    p.edits.push(Edit::AddLabel {
        label: label.clone(),
        index: project.labels().len() + p.labels.len(),
    });
    p.labels.push(label);
    report.created_labels.push(name.trim().to_owned());
    Some(id)
}

#[allow(clippy::too_many_arguments)]
fn place_span(
    ws: &Workspace,
    p: &mut Pending,
    inc: &Incoming,
    span: &IncomingSpan,
    doc: DocumentId,
    text: &SourceText,
    same_text: bool,
    opts: &ImportOptions,
    origin: &str,
    report: &mut ImportReport,
) {
    let doc_name = ws
        .project
        .document(doc)
        .map(|d| d.name.clone())
        .or_else(|| inc.name.clone())
        .unwrap_or_else(|| inc.place.clone());
    let line = |why: &str| {
        format!(
            "{}: {doc_name}: {}..{} {}: {why}",
            inc.place, span.start, span.end, span.label
        )
    };
    let mut skip = |why: &str| report.not_placed.push(line(why));
    let Some(range) = CharRange::checked(span.start, span.end).filter(|r| !r.is_empty()) else {
        skip("empty or reversed range");
        return;
    };
    let Some(covered) = text.slice(range) else {
        skip("the range runs past the end of the document");
        return;
    };
    let expected = match (&span.quote, same_text, &inc.text) {
        (Some(q), _, _) => Some(q.clone()),
        (None, false, Some(t)) => SourceText::new(t.clone()).slice(range).map(str::to_owned),
        _ => None,
    };
    if expected.as_deref().is_some_and(|q| q != covered) {
        skip("the text at this range differs from the text the file says it covers");
        return;
    }
    let Some(label) = label_for(&ws.project, p, &span.label, report) else {
        report.not_placed.push(line("empty label"));
        return;
    };
    let mut skip = |why: &str| report.not_placed.push(line(why));
    let dup = p.added.contains(&(doc, range, label.clone()))
        || ws
            .project
            .annotations_overlapping(doc, range)
            .any(|a| a.range == range && a.label == label);
    if dup {
        skip("the same span already has this label");
        return;
    }
    let Some(anchor) = Anchor::capture(text, range) else {
        skip("the range runs past the end of the document");
        return;
    };
    let created = span.created.unwrap_or(opts.now);
    let ann = Annotation {
        id: AnnotationId(p.next_ann),
        doc,
        range,
        label: label.clone(),
        note: span.note.clone().filter(|n| !n.is_empty()),
        author: span
            .author
            .clone()
            .unwrap_or_else(|| opts.author.clone())
            .into(),
        created,
        modified: created,
        anchor,
        origin: Some(origin.to_owned()),
        agreed: Vec::new(),
        conflict: None,
        review: None,
    };
    p.next_ann += 1;
    p.added.insert((doc, range, label));
    let label_name = ws
        .project
        .label(&ann.label)
        .or_else(|| p.labels.iter().find(|l| l.id == ann.label))
        .map_or_else(|| span.label.clone(), |l| l.name.clone());
    *report.by_label.entry(label_name).or_insert(0) += 1;
    *report.by_document.entry(doc_name).or_insert(0) += 1;
    report.placed += 1;
    p.edits.push(Edit::AddAnnotation(Box::new(ann)));
}
