//! An open project: the project file, its sources, and everything found
//! wrong while opening it.
//!
//! Invariants: opening never fails because of a source: a missing, refused
//! or changed source is recorded in [`SourceState`] and reported, and its
//! annotations stay in the project (flagged for review where they cannot be
//! checked against the text). Sources are only read through
//! [`crate::io::paths::resolve_source`].

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::io::atomic::clean_stray_temps;
use crate::io::changed_sources::{Replaced, reanchor_document};
use crate::io::disk_check::SeenFile;
use crate::io::error::{LoadError, SourceError};
use crate::io::paths::{relative_to, resolve_source};
use crate::io::project_file::{self, FileProblem};
use crate::io::source::{DecodedSource, MAX_SOURCE_BYTES, read_source};
use crate::model::{
    AnnotationId, Document, DocumentId, Progress, Project, Review, SourceText, Status, Stopped,
};

/// The phase of [`Workspace::open_with`] that reads the file and the sources.
pub const READING: &str = "Reading the project and its sources";
/// The phase of [`Workspace::open_with`] that checks every annotation.
pub const CHECKING: &str = "Checking every annotation";

/// What became of one document's source on open.
#[derive(Clone, Debug)]
pub enum SourceState {
    /// Read, and its bytes match the recorded hash.
    Ready(Arc<SourceText>),
    /// Read, but its bytes differ from the recorded hash.
    Changed(Arc<SourceText>),
    /// Could not be used.
    Unavailable(SourceError),
}

impl SourceState {
    /// The text, when there is one.
    #[must_use]
    pub fn text(&self) -> Option<&Arc<SourceText>> {
        match self {
            Self::Ready(t) | Self::Changed(t) => Some(t),
            Self::Unavailable(_) => None,
        }
    }
}

/// Something to tell the analyst after opening.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Found while parsing the file.
    File(FileProblem),
    /// A source could not be used.
    Source {
        /// Document name.
        name: String,
        /// Stored path.
        path: String,
        /// Why.
        error: SourceError,
    },
    /// A source's bytes changed since it was added.
    SourceChanged {
        /// Document name.
        name: String,
        /// Stored path.
        path: String,
    },
    /// An annotation needs review.
    Annotation {
        /// Its id.
        id: AnnotationId,
        /// Its document's name (or id when unknown).
        document: String,
        /// Why.
        review: Review,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File(p) => p.fmt(f),
            Self::Source { name, path, error } => write!(f, "document {name:?}: {error}: {path}"),
            Self::SourceChanged { name, path } => write!(
                f,
                "document {name:?}: the source file changed since it was added; its annotations were placed again in the new text (see each one's review note): {path}"
            ),
            Self::Annotation {
                id,
                document,
                review,
            } => {
                write!(f, "annotation {id} in {document:?} needs review: {review}")
            }
        }
    }
}

/// A project with its file path and sources.
#[derive(Clone, Debug)]
pub struct Workspace {
    /// The project.
    pub project: Project,
    /// Where it is saved; `None` until first saved.
    pub path: Option<PathBuf>,
    /// Per-document source state.
    pub sources: BTreeMap<DocumentId, SourceState>,
    /// What was found on open, in order.
    pub problems: Vec<Problem>,
    /// Why the project must not be overwritten, if so.
    pub read_only: Option<String>,
    /// Placements of annotations in sources that changed, in key order.
    pub reanchored: Vec<Replaced>,
    /// True when opening changed the project (re-anchoring): it differs from
    /// the file and should be saved.
    pub changed_on_open: bool,
    /// SHA-256 of the project file as opened or last saved here; a save over
    /// `path` is refused when the file on disk no longer matches.
    pub file_hash: Option<String>,
    /// A single-file project: saves embed every available source text
    /// ([`crate::io::pack`]). Set when the file opened had embedded texts.
    pub packed: bool,
    /// The version of the project file last read or written here with
    /// its hash, so checking the file on disk can skip reading it while it
    /// is still that version ([`crate::io::disk_check`]).
    pub disk_seen: Option<SeenFile>,
}

impl Workspace {
    /// An empty, unsaved workspace.
    #[must_use]
    pub fn new(project: Project) -> Self {
        Self {
            project,
            path: None,
            sources: BTreeMap::new(),
            problems: Vec::new(),
            read_only: None,
            reanchored: Vec::new(),
            changed_on_open: false,
            file_hash: None,
            packed: false,
            disk_seen: None,
        }
    }

    /// Opens a project file and all its sources.
    ///
    /// # Errors
    /// Only when the project file itself is unusable.
    pub fn open(path: &Path) -> Result<Self, LoadError> {
        Self::open_with(path, &Progress::new())
    }

    /// As [`Self::open`], reporting its phases to `progress` (placing the
    /// annotations of a changed source again with a fraction) and ending
    /// with [`LoadError::Stopped`] at the next phase, or within the
    /// placing, once it is stopped.
    ///
    /// # Errors
    /// As [`Self::open`], or [`LoadError::Stopped`].
    pub fn open_with(path: &Path, progress: &Progress) -> Result<Self, LoadError> {
        let stopped = |Stopped| LoadError::Stopped {
            path: path.to_path_buf(),
        };
        progress.phase(READING, 0);
        let before = SeenFile::before_read(path);
        let text = project_file::read_text(path)?;
        progress.check().map_err(stopped)?;
        let failed = |f| project_file::failure_to_error(f, path);
        let head = project_file::read::parse_head(&text).map_err(failed)?;
        let dir = folder_of(path);
        // While the annotations are read, the documents' sources are read
        // on one thread and the project file is hashed on another.
        let to_read: Vec<(DocumentId, String)> = head
            .documents()
            .iter()
            .filter(|d| !head.embedded().contains_key(&d.id))
            .map(|d| (d.id, d.path.clone()))
            .collect();
        let read_all = || {
            to_read
                .iter()
                .map(|(id, stored)| (*id, (stored.clone(), read_document_source(&dir, stored))))
                .collect::<BTreeMap<_, _>>()
        };
        let hash = || crate::io::source::sha256_hex(text.as_bytes());
        let ((parsed, file_hash), prefetched) = crate::model::parallel::both(
            || crate::model::parallel::both(|| head.finish(), hash),
            read_all,
        );
        let parsed = parsed.map_err(failed)?;
        drop(text);
        progress.check().map_err(stopped)?;
        if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
            clean_stray_temps(&dir, name);
        }
        crate::io::backup::clean_stray_temps(path);
        let mut ws = Self {
            read_only: parsed
                .read_only
                .then(|| "written by a newer Spanmark".to_owned()),
            project: parsed.project,
            path: Some(path.to_path_buf()),
            sources: BTreeMap::new(),
            problems: parsed.problems.into_iter().map(Problem::File).collect(),
            reanchored: Vec::new(),
            changed_on_open: false,
            disk_seen: SeenFile::after_read(path, before, &file_hash),
            file_hash: Some(file_hash),
            packed: !parsed.embedded.is_empty(),
        };
        ws.load_sources_read(parsed.embedded, Some(progress), prefetched)
            .map_err(stopped)?;
        progress.phase(CHECKING, 0);
        ws.check_annotations();
        Ok(ws)
    }

    /// The folder sources are resolved against.
    #[must_use]
    pub fn folder(&self) -> PathBuf {
        self.path
            .as_deref()
            .map_or_else(|| PathBuf::from("."), folder_of)
    }

    /// The text of a document, when available.
    #[must_use]
    pub fn text(&self, doc: DocumentId) -> Option<&Arc<SourceText>> {
        self.sources.get(&doc).and_then(SourceState::text)
    }

    /// Reads the source of every document that has none loaded yet (added
    /// by a merge, say), through the path policy, recording a problem for
    /// each that changed or cannot be read. Returns how many could not be
    /// read. A changed one is loaded as `Changed` without re-anchoring (its
    /// annotations are flagged on the next open).
    pub fn load_new_sources(&mut self) -> usize {
        self.load_sources(BTreeMap::new(), false)
    }

    /// Reads the source of every document without one yet: its `embedded`
    /// text when there is one (a single-file project: the file on disk is
    /// then not read), else its file through the path policy. A source whose
    /// bytes differ from the record is `Changed` (and, with `reanchor`, its
    /// annotations are placed again); one that cannot be read `Unavailable`.
    /// Each is recorded as a problem. Returns how many are unavailable.
    pub(crate) fn load_sources(
        &mut self,
        embedded: BTreeMap<DocumentId, String>,
        reanchor: bool,
    ) -> usize {
        // Nobody stops this report: the placing always finishes.
        let progress = Progress::new();
        let reanchor = reanchor.then_some(&progress);
        self.load_sources_read(embedded, reanchor, BTreeMap::new())
            .unwrap_or_default()
    }

    /// As [`Self::load_sources`], taking sources already read (by document:
    /// the stored path read, and the result) where the path still matches.
    /// With `reanchor`, changed sources are placed again, reporting there
    /// (and stopping with [`Stopped`]: the workspace is then half loaded
    /// and must be dropped).
    fn load_sources_read(
        &mut self,
        mut embedded: BTreeMap<DocumentId, String>,
        reanchor: Option<&Progress>,
        mut read: BTreeMap<DocumentId, (String, Result<DecodedSource, SourceError>)>,
    ) -> Result<usize, Stopped> {
        let dir = self.folder();
        let mut failed = 0;
        for doc in self.project.documents().to_vec() {
            if self.sources.contains_key(&doc.id) {
                continue;
            }
            let decoded = match embedded.remove(&doc.id) {
                Some(text) => Ok(crate::io::pack::decoded_from_embedded(&doc, text)),
                None => match read.remove(&doc.id) {
                    Some((stored, result)) if stored == doc.path => result,
                    _ => read_document_source(&dir, &doc.path),
                },
            };
            let state = match decoded {
                Ok(d) if d.sha256 == doc.sha256 => SourceState::Ready(Arc::new(d.text)),
                Ok(d) => {
                    self.problems.push(Problem::SourceChanged {
                        name: doc.name.clone(),
                        path: doc.path.clone(),
                    });
                    if let Some(progress) = reanchor {
                        let placed = reanchor_document(&mut self.project, &doc, &d, progress)?;
                        self.reanchored.extend(placed);
                        self.changed_on_open = true;
                    }
                    SourceState::Changed(Arc::new(d.text))
                }
                Err(error) => {
                    failed += 1;
                    self.problems.push(Problem::Source {
                        name: doc.name.clone(),
                        path: doc.path.clone(),
                        error: error.clone(),
                    });
                    SourceState::Unavailable(error)
                }
            };
            self.sources.insert(doc.id, state);
        }
        Ok(failed)
    }

    /// Flags every annotation whose range or quote does not fit its text.
    fn check_annotations(&mut self) {
        let mut flags: Vec<(AnnotationId, Review)> = Vec::new();
        for a in self.project.annotations() {
            if let Some(review) = &a.review {
                flags.push((a.id, review.clone()));
                continue;
            }
            let review = match self.sources.get(&a.doc) {
                None => Some(Review::UnknownDocument),
                Some(SourceState::Unavailable(_)) => Some(Review::SourceUnavailable),
                Some(SourceState::Ready(text) | SourceState::Changed(text)) => {
                    match text.slice(a.range) {
                        None => Some(Review::OutOfRange {
                            len: text.char_len(),
                        }),
                        Some(found) if found != a.anchor.quote => Some(Review::QuoteMismatch {
                            found: found.to_owned(),
                        }),
                        Some(_) => None,
                    }
                }
            };
            if let Some(review) = review {
                flags.push((a.id, review));
            }
        }
        for (id, review) in flags {
            let document = self
                .project
                .annotation(id)
                .and_then(|a| {
                    self.project
                        .document(a.doc)
                        .map(|d| d.name.clone())
                        .or(Some(a.doc.to_string()))
                })
                .unwrap_or_default();
            self.project.set_review(id, Some(review.clone()));
            self.problems.push(Problem::Annotation {
                id,
                document,
                review,
            });
        }
    }

    /// Reads a file and describes it as a new document of this project.
    /// Files outside the project folder are copied into `sources/` first.
    ///
    /// # Errors
    /// Unreadable or refused source, or a failed copy.
    pub fn prepare_document(&self, file: &Path) -> Result<NewDocument, SourceError> {
        let mut new = prepare_document_in(&self.folder(), file)?;
        new.doc.id = self.project.next_document_id();
        Ok(new)
    }
}

/// [`Workspace::prepare_document`] for a project whose folder is `dir`,
/// without the project (so a worker can do the reading, decoding and
/// hashing): the document's id is left at 0 for the caller to set.
///
/// # Errors
/// Unreadable or refused source, or a failed copy.
pub fn prepare_document_in(dir: &Path, file: &Path) -> Result<NewDocument, SourceError> {
    let decoded = read_source(file, MAX_SOURCE_BYTES)?;
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "source.txt".into());
    let (stored, copied_to) = match relative_to(dir, file) {
        Some(rel) => (rel, None),
        None => {
            let target = crate::io::relocate::copy_into_sources(dir, file, &decoded.sha256)
                .map_err(|e| SourceError::Io(e.to_string()))?;
            let rel = relative_to(dir, &target).ok_or(SourceError::NotRegular)?;
            (rel, Some(target))
        }
    };
    let doc = Document {
        id: DocumentId(0),
        name: file_name,
        path: stored,
        sha256: decoded.sha256.clone(),
        byte_len: decoded.byte_len,
        encoding: decoded.encoding.clone(),
        bom: decoded.bom,
        newline: decoded.newline,
        char_len: decoded.text.char_len(),
        status: Status::Todo,
    };
    Ok(NewDocument {
        doc,
        decoded,
        copied_to,
    })
}

/// A document ready to be added with `Edit::AddDocument`.
#[derive(Clone, Debug)]
pub struct NewDocument {
    /// Its metadata.
    pub doc: Document,
    /// Its decoded source.
    pub decoded: DecodedSource,
    /// Where the file was copied to, when it lay outside the project folder.
    pub copied_to: Option<PathBuf>,
}

pub(crate) fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Reads a document's source file through the path policy.
fn read_document_source(dir: &Path, stored: &str) -> Result<DecodedSource, SourceError> {
    resolve_source(dir, stored).and_then(|real| read_source(&real, MAX_SOURCE_BYTES))
}
