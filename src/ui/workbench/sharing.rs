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
//! written and stay unsaved.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::io::error::PackError;
use crate::io::locate::{self, Candidate};
use crate::io::pack::Unpacked;
use crate::io::{Problem, SourceState, Workspace, pack};
use crate::model::{DocumentId, Review};
use crate::ui::dialogs::{Picked, Purpose};
use crate::ui::workbench::Workbench;
use crate::ui::workbench::jobs::{Done, JobKind};

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
        self.start_on_snapshot(JobKind::Pack(target.clone()), None, move |mut snapshot| {
            Done::Packed(pack::pack_to(&mut snapshot, &target))
        });
    }

    pub(super) fn finish_pack(&mut self, path: &Path, result: Result<(), PackError>) {
        match result {
            Ok(()) => self.say(format!(
                "Saved a single-file copy with every source text inside (this project is \
                 unchanged): {}",
                path.display()
            )),
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
            move |mut snapshot| {
                let result = pack::unpack(&mut snapshot, &target, false);
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

    pub(super) fn locate_with(&mut self, file: &Path) {
        let (Some(doc), Some(ws)) = (self.sharing.locate_for.take(), &self.ws) else {
            return;
        };
        match locate::candidate(ws, doc, file) {
            Err(e) => self.fail(format!("Cannot use this file: {e}: {}", file.display())),
            Ok(c) if c.same => self.apply_located(c),
            Ok(c) => self.sharing.offer = Some(c),
        }
    }

    pub(super) fn use_located_anyway(&mut self) {
        if let Some(c) = self.sharing.offer.take() {
            self.apply_located(c);
        }
    }

    fn apply_located(&mut self, c: Candidate) {
        let Some(ws) = &self.ws else { return };
        let Some(old) = ws.project.document(c.doc).cloned() else {
            return;
        };
        let file = c.file.clone();
        let relink = match locate::relink(ws, c) {
            Ok(r) => r,
            Err(e) => {
                self.fail(format!("Cannot use this file: {e}: {}", file.display()));
                return;
            }
        };
        if !self.apply("Locate file", relink.edit) {
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
