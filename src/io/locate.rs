//! "Locate file…": pointing a document whose source is missing at a file
//! the analyst chose.
//!
//! Invariants: the chosen file is read only when it is a regular file (a
//! FIFO or device is refused without being opened). The project changes
//! only through the returned [`Edit`] (one undo step): the document's
//! stored path and recorded facts, and — when the file's bytes differ from
//! the recorded hash — every annotation placed again exactly as on open
//! ([`crate::io::changed_sources`]); none is removed. A file outside the
//! project folder is copied into its `sources/` (never over a different
//! file) only when the relink is built, i.e. once the analyst agreed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::io::changed_sources::{Replaced, reanchor_document};
use crate::io::error::SourceError;
use crate::io::paths::relative_to;
use crate::io::relocate::copy_into_sources;
use crate::io::source::{DecodedSource, MAX_SOURCE_BYTES, read_source};
use crate::io::workspace::Workspace;
use crate::model::reanchor::Placement;
use crate::model::{
    AnnotationId, Document, DocumentId, Edit, Progress, Review, SourceText, Stopped,
};

/// A file read for a document, before anything changes.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// The document.
    pub doc: DocumentId,
    /// The file chosen.
    pub file: PathBuf,
    /// Its decoded text and facts.
    pub decoded: DecodedSource,
    /// True when its bytes have the recorded SHA-256.
    pub same: bool,
}

/// Reads `file` as a candidate source for `doc` and compares its hash.
///
/// # Errors
/// Unknown document, not a regular file, or an unreadable source.
pub fn candidate(ws: &Workspace, doc: DocumentId, file: &Path) -> Result<Candidate, SourceError> {
    let record = ws
        .project
        .document(doc)
        .ok_or_else(|| SourceError::Io(format!("no document {doc}")))?;
    let meta = std::fs::metadata(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => SourceError::Missing,
        _ => SourceError::Io(e.to_string()),
    })?;
    if !meta.is_file() {
        return Err(SourceError::NotRegular);
    }
    let decoded = read_source(file, MAX_SOURCE_BYTES)?;
    Ok(Candidate {
        doc,
        file: file.to_path_buf(),
        same: decoded.sha256 == record.sha256,
        decoded,
    })
}

/// What applying a located file takes.
#[derive(Debug)]
pub struct Relink {
    /// The document.
    pub doc: DocumentId,
    /// One undoable edit: the new record, then the annotations' new places
    /// and review flags.
    pub edit: Edit,
    /// The text to show.
    pub text: SourceText,
    /// True when the bytes matched the recorded hash.
    pub same: bool,
    /// Placements, when the bytes differed (key order).
    pub placed: Vec<Replaced>,
    /// Where the file was copied, when it lay outside the project folder.
    pub copied_to: Option<PathBuf>,
}

/// Builds the edit that re-points the document at the candidate file
/// (copying it into the project folder's `sources/` when it lies outside).
///
/// # Errors
/// A failed copy, or a document that vanished meanwhile.
pub fn relink(ws: &Workspace, c: Candidate) -> Result<Relink, SourceError> {
    relink_with(ws, c, &Progress::new())
}

/// As [`relink`], reporting the placing of the annotations to `progress`;
/// stopped, it ends with [`SourceError::Stopped`] before anything is
/// copied.
///
/// # Errors
/// As [`relink`], or [`SourceError::Stopped`].
pub fn relink_with(
    ws: &Workspace,
    c: Candidate,
    progress: &Progress,
) -> Result<Relink, SourceError> {
    let mut record = ws
        .project
        .document(c.doc)
        .cloned()
        .ok_or_else(|| SourceError::Io(format!("no document {}", c.doc)))?;
    let mut project = ws.project.clone();
    // Placed before the file is copied: a stopped placing leaves no copy.
    let placed = if c.same {
        Vec::new()
    } else {
        reanchor_document(&mut project, &record, &c.decoded, progress)
            .map_err(|Stopped| SourceError::Stopped)?
    };
    let dir = ws.folder();
    let (stored, copied_to) = match relative_to(&dir, &c.file) {
        Some(rel) => (rel, None),
        None => {
            let target = copy_into_sources(&dir, &c.file, &c.decoded.sha256)
                .map_err(|e| SourceError::Io(e.to_string()))?;
            let rel = relative_to(&dir, &target).ok_or(SourceError::NotRegular)?;
            (rel, Some(target))
        }
    };
    record.path = stored;
    if let Some(d) = project.document(c.doc).cloned() {
        record = Document {
            path: record.path,
            ..d
        };
    }
    let mut edits = vec![Edit::SetDocument(Box::new(record))];
    // Looked up once per annotation: a set, not a scan of `placed` (at
    // 50k annotations the scan made this seconds long).
    let moved: BTreeSet<AnnotationId> = placed
        .iter()
        .filter(|r| r.placement != Placement::Exact)
        .map(|r| r.id)
        .collect();
    let moved = |id| moved.contains(&id);
    for a in ws.project.annotations_of(c.doc) {
        if moved(a.id) {
            if let Some(new) = project.annotation(a.id) {
                edits.push(Edit::RemoveAnnotation(a.id));
                edits.push(Edit::AddAnnotation(Box::new(new.clone())));
            }
            continue;
        }
        // Flags set because the text was missing are settled now.
        if matches!(a.review, Some(Review::SourceUnavailable)) {
            let review = match c.decoded.text.slice(a.range) {
                None => Some(Review::OutOfRange {
                    len: c.decoded.text.char_len(),
                }),
                Some(found) if found != a.anchor.quote => Some(Review::QuoteMismatch {
                    found: found.to_owned(),
                }),
                Some(_) => None,
            };
            edits.push(Edit::SetReview { id: a.id, review });
        }
    }
    Ok(Relink {
        doc: c.doc,
        edit: Edit::Batch(edits),
        text: c.decoded.text,
        same: c.same,
        placed,
        copied_to,
    })
}
