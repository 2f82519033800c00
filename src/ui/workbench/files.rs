//! Opening, saving and closing projects, and adding documents.
//!
//! Invariants: nothing that would drop unsaved changes runs without the
//! analyst answering the unsaved-changes prompt (see [`After`]); a project is
//! marked saved only after [`Workspace::save_as`] succeeded; every failure
//! ends up in the status bar in plain words. Opening, saving and reading
//! added text files run on worker threads (`jobs.rs`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::io::error::SourceError;
use crate::io::workspace::prepare_document_in;
use crate::io::{SourceState, Workspace};
use crate::model::{Document, DocumentId, Edit, History, Project, SourceText};
use crate::ui::command::Answer;
use crate::ui::dialogs::{Picked, Purpose};
use crate::ui::document_view::DocumentView;
use crate::ui::workbench::JobKind;
use crate::ui::workbench::jobs::Done;
use crate::ui::workbench::{PathPrompt, Workbench};

/// What to do once unsaved changes are dealt with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum After {
    /// Start a new project.
    New,
    /// Ask for a project and open it.
    OpenDialog,
    /// Open this project.
    Open(PathBuf),
    /// Close the project.
    Close,
    /// Close the window.
    Quit,
}

/// One text file read as a new document, or why it could not be.
type ReadFile = Result<(Document, Arc<SourceText>), SourceError>;

/// Text files read on a worker for [`Workbench::add_files`].
#[derive(Default)]
pub(super) struct ReadTexts {
    /// Each file with its document (id not yet set) and text, or why it
    /// could not be read.
    files: Vec<(PathBuf, ReadFile)>,
    /// A view of the first text read, its block index built on the worker
    /// (a 50 MB text: ~45 ms); its document id is set when it is added.
    view: Option<DocumentView>,
}

/// Most entries kept in the recent list.
const RECENT: usize = 8;
/// The phase of adding documents that reads the files (by bytes).
const READING: &str = "Reading the text files";

impl Workbench {
    /// Runs `after` now, or asks first when there are unsaved changes.
    pub(super) fn guard(&mut self, after: After) {
        if self.is_dirty() {
            self.prompt = Some(after);
        } else {
            self.proceed(after);
        }
    }

    pub(super) fn answer(&mut self, answer: Answer) {
        let Some(after) = self.prompt.take() else {
            return;
        };
        match answer {
            Answer::Save => self.save(false, Some(after)),
            Answer::Discard => self.proceed(after),
            Answer::Cancel => {}
        }
    }

    pub(super) fn proceed(&mut self, after: After) {
        match after {
            After::New => {
                self.discard_workspace();
                self.set_workspace(Workspace::new(Project::new("Untitled project")), false);
                self.say("New project: add documents from the Project menu.");
            }
            After::OpenDialog => match self.dialogs.pick(Purpose::OpenProject, "") {
                Picked::Paths(p) => {
                    if let Some(path) = p.first() {
                        self.open_project(path);
                    }
                }
                Picked::Cancelled => {}
                Picked::Unavailable => self.ask_path(Purpose::OpenProject, None),
            },
            After::Open(path) => self.open_project(&path),
            After::Close => {
                self.discard_workspace();
                self.history = History::new_saved();
                self.say("Project closed.");
            }
            After::Quit => self.quit = true,
        }
    }

    pub(super) fn set_workspace(&mut self, ws: Workspace, saved: bool) {
        self.set_workspace_with_view(ws, saved, super::jobs::Prepared::default());
    }

    /// Shows `ws`; `prepared` holds what the worker that opened it built
    /// already (the first document's view, list rows and review rows).
    pub(super) fn set_workspace_with_view(
        &mut self,
        ws: Workspace,
        saved: bool,
        prepared: super::jobs::Prepared,
    ) {
        self.generation += 1;
        // Re-anchoring a changed source changes the project: it needs saving.
        self.history = if saved && !ws.changed_on_open {
            History::new_saved()
        } else {
            History::new_unsaved()
        };
        self.selected = None;
        // Re-anchored and flagged annotations are the review panel's; the
        // Problems window opens by itself for anything else.
        self.ui.problems_open = ws.read_only.is_some()
            || ws.problems.iter().any(|p| {
                !matches!(
                    p,
                    crate::io::Problem::SourceChanged { .. }
                        | crate::io::Problem::Annotation { .. }
                )
            });
        let first = ws.project.documents().first().map(|d| d.id);
        self.ws = Some(ws);
        self.view = prepared.view.filter(|v| Some(v.doc) == first);
        if let Some(d) = first {
            self.open_document(d);
        }
        let key = (self.generation, self.history.revision());
        if let Some(rows) = prepared.list {
            self.ui.list.adopt(key, rows);
        }
        if let Some(rows) = prepared.review {
            self.review.adopt(key, rows);
        }
    }

    /// Opens what the command line named: a project file, or text files as
    /// documents of a new unsaved project.
    pub fn open_paths(&mut self, paths: &[PathBuf]) {
        let (projects, texts): (Vec<&PathBuf>, Vec<&PathBuf>) = paths
            .iter()
            .partition(|p| p.extension().is_some_and(|e| e == "ron"));
        if let Some(p) = projects.first() {
            self.open_project(p);
            return;
        }
        if texts.is_empty() {
            return;
        }
        let ws = Workspace::new(Project::new("Untitled project"));
        self.set_workspace(ws, false);
        let files: Vec<PathBuf> = texts.into_iter().cloned().collect();
        self.add_files(&files);
    }

    /// Files dropped on the window: the first project file opens (asking
    /// about unsaved changes first); text files join the open project, or
    /// start a new one when none is open.
    pub(super) fn drop_files(&mut self, paths: Vec<PathBuf>) {
        let project = paths
            .iter()
            .find(|p| p.extension().is_some_and(|e| e == "ron"));
        if let Some(p) = project {
            self.guard(After::Open(p.clone()));
        } else if self.ws.is_some() {
            self.add_files(&paths);
        } else {
            self.open_paths(&paths);
        }
    }

    pub(super) fn remember(&mut self, path: &Path) {
        let path = path.to_path_buf();
        self.prefs.recent.retain(|p| p != &path);
        self.prefs.recent.insert(0, path);
        self.prefs.recent.truncate(RECENT);
    }

    /// Shows a document in the view.
    pub fn open_document(&mut self, doc: DocumentId) {
        let Some(ws) = &self.ws else { return };
        if self.view.as_ref().is_some_and(|v| v.doc == doc) {
            return;
        }
        match ws.sources.get(&doc) {
            Some(SourceState::Ready(t) | SourceState::Changed(t)) => {
                self.view = Some(DocumentView::new(doc, Arc::clone(t)));
            }
            Some(SourceState::Unavailable(e)) => {
                let e = e.to_string();
                self.view = None;
                self.fail(format!("This document's source cannot be shown: {e}"));
            }
            None => self.view = None,
        }
    }

    /// Saves (asking for a path when `ask` or when there is none), then runs `then`.
    pub(super) fn save(&mut self, ask: bool, then: Option<After>) {
        let Some(ws) = &self.ws else { return };
        let path = match (&ws.path, ask) {
            (Some(p), false) => p.clone(),
            _ => {
                let name = format!(
                    "{}.spanmark.ron",
                    crate::model::label::slug(&ws.project.name)
                );
                match self.dialogs.pick(Purpose::SaveProject, &name) {
                    Picked::Paths(p) => match p.into_iter().next() {
                        Some(p) => p,
                        None => return,
                    },
                    Picked::Cancelled => return,
                    Picked::Unavailable => {
                        self.ask_path(Purpose::SaveProject, then);
                        return;
                    }
                }
            }
        };
        self.save_to(&path, then);
    }

    pub(super) fn add_sources(&mut self) {
        if self.ws.is_none() {
            return;
        }
        match self.dialogs.pick(Purpose::AddSources, "") {
            Picked::Paths(p) => self.add_files(&p),
            Picked::Cancelled => {}
            Picked::Unavailable => self.ask_path(Purpose::AddSources, None),
        }
    }

    /// Adds text files as documents, as one undoable step. They are read,
    /// decoded and hashed on a worker (a job: a 256 MB source takes over a
    /// second); the step is applied when it is done. A project that has no
    /// file yet gets one proposed beside the first text, so sources are
    /// stored relative to it (and never copied into the working folder).
    pub(super) fn add_files(&mut self, files: &[PathBuf]) {
        if self.ws.is_none() || files.is_empty() || self.busy() {
            return;
        }
        let Some(ws) = &mut self.ws else { return };
        if ws.path.is_none()
            && let Some(first) = files.first()
        {
            let first = std::fs::canonicalize(first).unwrap_or_else(|_| first.clone());
            ws.path = Some(proposed_project_path(&first));
        }
        let dir = ws.folder();
        let files = files.to_vec();
        let kind = JobKind::AddDocuments(files.len());
        let revision = self.history.revision();
        self.start_job(kind, 0, revision, None, move |progress| {
            // Sizes read here, once: the bar counts bytes read.
            let sizes: Vec<u64> = files
                .iter()
                .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
                .collect();
            progress.phase(READING, sizes.iter().sum());
            let mut files_read = Vec::with_capacity(files.len());
            for (f, size) in files.into_iter().zip(sizes) {
                if progress.stopped() {
                    // Dropped unseen: a stopped job is never delivered.
                    return Done::ReadTexts(Box::default());
                }
                let new =
                    prepare_document_in(&dir, &f).map(|new| (new.doc, Arc::new(new.decoded.text)));
                progress.advance(size);
                files_read.push((f, new));
            }
            let files = files_read;
            let view = files
                .iter()
                .find_map(|(_, r)| r.as_ref().ok())
                .map(|(_, text)| DocumentView::new(DocumentId(0), Arc::clone(text)));
            Done::ReadTexts(Box::new(ReadTexts { files, view }))
        });
        if self.job.is_some() {
            self.message = None;
        }
    }

    /// Adds the documents a worker read for [`Self::add_files`] as one
    /// step and shows the first.
    pub(super) fn finish_add_files(&mut self, read: ReadTexts) {
        let Some(ws) = &mut self.ws else { return };
        let mut edits = Vec::new();
        let mut texts = Vec::new();
        let mut failed = Vec::new();
        let mut next = ws.project.next_document_id().0;
        let n = read.files.len();
        for (f, result) in read.files {
            match result {
                Ok((mut doc, text)) => {
                    doc.id = DocumentId(next);
                    next += 1;
                    texts.push((doc.id, text));
                    let index = ws.project.documents().len() + edits.len();
                    edits.push(Edit::AddDocument {
                        doc: Box::new(doc),
                        index,
                    });
                }
                Err(e) => failed.push(format!("{e}: {}", f.display())),
            }
        }
        let first = texts.first().map(|(d, _)| *d);
        if !edits.is_empty() {
            let name = if edits.len() == 1 {
                "Add document"
            } else {
                "Add documents"
            };
            if !self.apply(name, Edit::Batch(edits)) {
                return;
            }
            if let Some(ws) = &mut self.ws {
                for (d, t) in texts {
                    ws.sources.insert(d, SourceState::Ready(t));
                }
            }
        }
        if let (Some(d), Some(mut view)) = (first, read.view) {
            view.doc = d;
            self.view = Some(view);
        }
        let target = self.ws.as_ref().and_then(|w| w.path.clone());
        if failed.is_empty() {
            match target {
                Some(p) if !p.exists() => self.say(format!(
                    "Added {n} document(s). Save writes the project to {}",
                    p.display()
                )),
                _ => self.say(format!("Added {n} document(s).")),
            }
        } else {
            self.fail(format!("Could not add: {}", failed.join("; ")));
        }
    }

    pub(super) fn ask_path(&mut self, purpose: Purpose, then: Option<After>) {
        let text = match (&purpose, self.ws.as_ref().and_then(|w| w.path.clone())) {
            (Purpose::SaveProject, Some(p)) => p.display().to_string(),
            _ => String::new(),
        };
        self.path_prompt = Some(PathPrompt {
            purpose,
            text,
            then,
            focus: true,
        });
    }

    /// Uses the path typed into the in-app path field.
    pub(super) fn submit_path(&mut self) {
        let Some(p) = self.path_prompt.take() else {
            return;
        };
        let path = PathBuf::from(p.text.trim());
        if p.text.trim().is_empty() {
            return;
        }
        match p.purpose {
            Purpose::OpenProject => self.open_project(&path),
            Purpose::SaveProject => self.save_to(&path, p.then),
            Purpose::AddSources => self.add_files(&[path]),
            Purpose::ExportTo => {
                self.transfer.out = path.display().to_string();
                self.transfer.out_proposed_for = None;
            }
            Purpose::ImportFrom => self.transfer.import_file = path.display().to_string(),
            Purpose::MergeProject => self.merge_project(&path, None),
            Purpose::SaveSingleFile => self.save_single_file_to(&path),
            Purpose::ExtractTo => self.extract_to(&path),
            Purpose::LocateSource => self.locate_with(&path),
        }
    }
}

/// `NAME.spanmark.ron` beside a text file, not clobbering an existing file.
fn proposed_project_path(text: &Path) -> PathBuf {
    let dir = text
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let stem = text.file_stem().map_or_else(
        || "project".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let mut candidate = dir.join(format!("{stem}.spanmark.ron"));
    let mut n = 2;
    while candidate.exists() {
        candidate = dir.join(format!("{stem}-{n}.spanmark.ron"));
        n += 1;
    }
    candidate
}
