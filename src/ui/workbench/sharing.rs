//! Sharing: "Save as single file…", "Extract sources…" and "Locate file…".
//!
//! Invariants: a single-file copy never changes the open project (unless
//! it is written over the project's own file, which then becomes a
//! single-file project); extracting writes only inside the chosen folder
//! ([`crate::io::pack::unpack`]) and refuses, with a message, to replace a
//! different file; a located file changes the project through one
//! undoable edit, and a file whose bytes differ is used only after the
//! analyst said so. A single-file copy and an extraction are written from a
//! snapshot on a worker thread (a job, as saving is: the status bar shows
//! it, the window keeps drawing); edits made meanwhile are not in what is
//! written and stay unsaved. A located file is read, and its edit built,
//! on a worker too; an edit built while the project changed is built again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::io::error::{PackError, SaveError, SourceError};
use crate::io::locate::{self, Candidate, Relink};
use crate::io::pack::Unpacked;
use crate::io::{Problem, SourceState, Workspace, pack};
use crate::model::{DocumentId, Edit, Progress, Review};
use crate::ui::annotation_list::OwnedFilters;
use crate::ui::dialogs::{Picked, Purpose};
use crate::ui::workbench::JobKind;
use crate::ui::workbench::Workbench;
use crate::ui::workbench::applied::AppliedEdit;
use crate::ui::workbench::jobs::{Done, free_later};

/// A file read for "Locate file…" on a worker.
pub(super) struct Located {
    /// The file read (kept to build the edit again if the project changed
    /// while it was built).
    candidate: Candidate,
    /// The re-pointing edit built and applied to the snapshot; `None`
    /// while the analyst has not agreed to use a file whose bytes differ.
    relink: Option<Result<Relinked, String>>,
}

/// A re-pointing edit built and applied to a snapshot on a worker (at
/// 100k annotations, applying it alone took ~90 ms of the UI thread).
pub(super) struct Relinked {
    /// What the edit did (its `edit` taken out: it is in `applied`).
    relink: Relink,
    applied: AppliedEdit,
}

/// Builds and applies, to `snapshot`, the edit that re-points a document
/// at `c`; the rows of the annotation list for `view` are listed too.
fn relink_on(
    snapshot: Workspace,
    c: Candidate,
    view: Option<&(DocumentId, OwnedFilters)>,
    progress: &Progress,
) -> Result<Relinked, String> {
    let file = c.file.clone();
    let said = |e: &dyn std::fmt::Display| format!("Cannot use this file: {e}: {}", file.display());
    let mut relink = locate::relink_with(&snapshot, c, progress).map_err(|e| said(&e))?;
    let edit = std::mem::replace(&mut relink.edit, Edit::Batch(Vec::new()));
    let applied = AppliedEdit::new(snapshot.project, edit, view).map_err(|e| said(&e))?;
    Ok(Relinked { relink, applied })
}

/// State of the sharing actions between frames.
#[derive(Clone, Debug, Default)]
pub struct Sharing {
    /// The document a "Locate file…" is for (kept while the path is asked).
    pub locate_for: Option<DocumentId>,
    /// A located file whose bytes differ, waiting for "Use it anyway".
    pub offer: Option<Candidate>,
}

impl Workbench {
    fn pick_or_prompt(&mut self, purpose: Purpose, suggested: &str) -> Option<PathBuf> {
        match self.dialogs.pick(purpose, suggested) {
            Picked::Paths(p) => p.into_iter().next(),
            Picked::Cancelled => None,
            Picked::Unavailable => {
                self.ask_path(purpose, None);
                None
            }
        }
    }

    pub(super) fn save_single_file(&mut self) {
        let Some(ws) = &self.ws else { return };
        // Only whether every text is here: re-encoding and hashing them
        // all is for the worker (`pack_to`), not for this frame.
        if let Err(e) = pack::check_available(ws) {
            self.fail(format!("Not saved as a single file: {e}"));
            return;
        }
        let name = format!(
            "{} (single file).spanmark.ron",
            crate::model::label::slug(&ws.project.name)
        );
        if let Some(path) = self.pick_or_prompt(Purpose::SaveSingleFile, &name) {
            self.save_single_file_to(&path);
        }
    }

    pub(super) fn save_single_file_to(&mut self, path: &Path) {
        let Some(ws) = &mut self.ws else { return };
        if ws.path.as_deref() == Some(path) {
            // The project's own file: it becomes a single-file project.
            if let Err(e) = pack::check_packable(ws) {
                self.fail(format!("Not saved as a single file: {e}"));
                return;
            }
            ws.packed = true;
            self.save_to(path, None);
            return;
        }
        // A copy, written on a worker (`pack_to` checks every source can
        // be embedded there): a big project never stalls a frame.
        let target = path.to_path_buf();
        self.start_on_snapshot(
            JobKind::Pack(target.clone()),
            None,
            move |mut snapshot, progress| {
                Done::Packed(pack::pack_to_with(&mut snapshot, &target, progress))
            },
        );
    }

    pub(super) fn finish_pack(&mut self, path: &Path, result: Result<(), PackError>) {
        match result {
            Ok(()) => self.say(format!(
                "Saved a single-file copy with every source text inside (this project is \
                 unchanged): {}",
                path.display()
            )),
            Err(e @ PackError::Save(SaveError::Stopped { .. })) => {
                self.say(format!("Not saved as a single file: {e}"));
            }
            Err(e) => self.fail(format!("Not saved as a single file: {e}")),
        }
    }

    pub(super) fn extract_sources(&mut self) {
        let Some(ws) = &self.ws else { return };
        if !ws.packed {
            self.fail("This project has no embedded source texts to extract.");
            return;
        }
        if let Some(dir) = self.pick_or_prompt(Purpose::ExtractTo, "") {
            self.extract_to(&dir);
        }
    }

    pub(super) fn extract_to(&mut self, dir: &Path) {
        // The project then points at the new files (see `finish_extract`).
        let target = dir.to_path_buf();
        self.start_on_snapshot(
            JobKind::Extract(target.clone()),
            None,
            move |mut snapshot, progress| {
                let result = pack::unpack_with(&mut snapshot, &target, false, progress);
                Done::Extracted(Box::new((snapshot, result)))
            },
        );
    }

    pub(super) fn finish_extract(
        &mut self,
        snapshot: &Workspace,
        result: Result<Unpacked, PackError>,
        revision: u64,
    ) {
        match result {
            Ok(done) => {
                if let Some(ws) = &mut self.ws {
                    ws.adopt_save(snapshot);
                }
                // The project file just written holds the project as it was
                // at `revision`.
                self.history.mark_saved_at(revision);
                self.remember(&done.project);
                self.say(format!(
                    "Extracted {} source file(s) ({} already there); the project now points at \
                     them: {}",
                    done.written.len(),
                    done.unchanged.len(),
                    done.project.display()
                ));
            }
            Err(e @ PackError::Save(SaveError::Stopped { .. })) => {
                self.say(format!("Sources not extracted: {e}"));
            }
            Err(e) => self.fail(format!("Sources not extracted: {e}")),
        }
    }

    pub(super) fn locate_source(&mut self, doc: DocumentId) {
        let Some(name) = self
            .ws
            .as_ref()
            .and_then(|w| w.project.document(doc))
            .map(|d| d.name.clone())
        else {
            return;
        };
        self.sharing.locate_for = Some(doc);
        if let Some(file) = self.pick_or_prompt(Purpose::LocateSource, &name) {
            self.locate_with(&file);
        }
    }

    /// Reads the chosen file for the document being located, on a worker
    /// (a job: reading and hashing a big source takes a while); when its
    /// bytes are the recorded ones, the re-pointing edit is built there too.
    pub(super) fn locate_with(&mut self, file: &Path) {
        let Some(doc) = self.sharing.locate_for.take() else {
            return;
        };
        let file = file.to_path_buf();
        let kind = JobKind::Locate(file.clone());
        // The located document is shown next: list its rows.
        let view = self.list_view().map(|(_, filters)| (doc, filters));
        self.start_on_snapshot(kind, None, move |snapshot, progress| {
            let found = locate::candidate(&snapshot, doc, &file).map(|c| {
                let relink = c
                    .same
                    .then(|| relink_on(snapshot, c.clone(), view.as_ref(), progress));
                Located {
                    candidate: c,
                    relink,
                }
            });
            Done::Located(Box::new(found))
        });
    }

    pub(super) fn use_located_anyway(&mut self) {
        if let Some(c) = self.sharing.offer.take() {
            self.start_relink(c);
        }
    }

    /// Builds and applies the edit that re-points the document at `c` on a
    /// worker: for a file whose bytes differ that places every annotation
    /// again, which takes seconds at tens of thousands of annotations.
    fn start_relink(&mut self, c: Candidate) {
        let kind = JobKind::Relink(c.file.clone());
        let view = self.list_view().map(|(_, filters)| (c.doc, filters));
        self.start_on_snapshot(kind, None, move |snapshot, progress| {
            let relink = Some(relink_on(snapshot, c.clone(), view.as_ref(), progress));
            Done::Located(Box::new(Ok(Located {
                candidate: c,
                relink,
            })))
        });
    }

    /// Takes a located file from a job started at history `revision`:
    /// asks about a file that differs, or puts the re-pointed project in
    /// place. An edit made on a project edited meanwhile is made again
    /// from a new snapshot (it would undo those edits to the document's
    /// annotations).
    pub(super) fn finish_locate(
        &mut self,
        file: &Path,
        found: Result<Located, SourceError>,
        revision: u64,
    ) {
        match found {
            Err(e) => self.fail(format!("Cannot use this file: {e}: {}", file.display())),
            Ok(Located {
                candidate,
                relink: None,
            }) => self.sharing.offer = Some(candidate),
            Ok(Located {
                candidate,
                relink: Some(r),
            }) if self.history.revision() != revision => {
                free_later(self.background_jobs, r);
                self.start_relink(candidate);
            }
            Ok(Located {
                relink: Some(Err(message)),
                ..
            }) => self.fail(message),
            Ok(Located {
                relink: Some(Ok(relinked)),
                ..
            }) => self.apply_located(relinked),
        }
    }

    fn apply_located(&mut self, relinked: Relinked) {
        let Relinked { relink, applied } = relinked;
        let Some(ws) = &self.ws else { return };
        let Some(old) = ws.project.document(relink.doc).cloned() else {
            return;
        };
        if !self.make_change("Locate file", applied) {
            return;
        }
        let Some(ws) = &mut self.ws else { return };
        let text = Arc::new(relink.text);
        let state = if relink.same {
            SourceState::Ready(text)
        } else {
            SourceState::Changed(text)
        };
        ws.sources.insert(relink.doc, state);
        ws.problems.retain(|p| match p {
            Problem::Source { name, path, .. } => !(name == &old.name && path == &old.path),
            Problem::Annotation {
                document, review, ..
            } => !(document == &old.name && *review == Review::SourceUnavailable),
            _ => true,
        });
        let flagged = relink
            .placed
            .iter()
            .filter(|r| r.placement != crate::model::reanchor::Placement::Exact)
            .count();
        if !relink.same {
            let path = ws
                .project
                .document(relink.doc)
                .map_or_else(String::new, |d| d.path.clone());
            ws.problems.push(Problem::SourceChanged {
                name: old.name.clone(),
                path,
            });
            ws.reanchored.extend(relink.placed);
        }
        self.view = None;
        self.open_document(relink.doc);
        let copied = relink
            .copied_to
            .map(|p| format!(" (copied into the project folder as {})", p.display()))
            .unwrap_or_default();
        if flagged > 0 {
            self.say(format!(
                "Located {}{copied}; it differs from the annotated text: {flagged} annotation(s) \
                 placed again and flagged for review.",
                old.name
            ));
        } else {
            self.say(format!("Located {}{copied}.", old.name));
        }
    }
}
