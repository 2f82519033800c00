//! Opening and saving projects on worker threads.
//!
//! Invariants: the UI thread never waits for a worker — it starts a job,
//! polls it with `try_recv` once per frame and draws its progress. Opening
//! runs the unchanged [`Workspace::open`] (re-anchoring included) plus
//! every whole-project pass of the first frame on the worker (the first
//! document's block index, its annotation list rows under the filters in
//! force, the review rows: [`Prepared`]); installing the result only moves
//! them in. Cancelling drops the result there. A save runs [`Workspace::save_as`] on a snapshot taken
//! when it starts (cheap: the project's maps are shared until changed) and
//! marks the project saved at that snapshot's revision, so edits made
//! meanwhile stay unsaved. At most one open or save runs at a time. Big
//! projects are dropped on a worker too, so closing one never stalls a
//! frame. A single-file copy, an extraction of the sources (see
//! `sharing.rs`), the reading and placing of an import (`transfer.rs`),
//! the reading of text files added as documents (`files.rs`) and of a
//! located file, and the re-placing of its annotations (`sharing.rs`), are
//! jobs too. Every job has a [`Progress`] its worker reports its phase and
//! fraction to and reads its stop flag from; the status bar draws it. All
//! but opening (its own Cancel) can be stopped ([`JobKind::can_stop`]):
//! those that change nothing until delivered are dropped at once; a save,
//! copy or extraction is waited for until its worker has seen the stop
//! (before the project file's rename: it is not replaced; after: it counts
//! as saved); a big undo/redo is waited for, then its step is put back
//! unapplied. With `background_jobs` off (tests) a job runs to completion
//! inside the call that starts it and is delivered the same way.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Instant;

use crate::io::Workspace;
use crate::io::error::{LoadError, PackError, SaveError, SourceError};
use crate::io::import::ImportError;
use crate::io::pack::Unpacked;
use crate::model::Progress;
use crate::ui::annotation_list::{AnnotationList, OwnedFilters, Prebuilt};
use crate::ui::document_view::DocumentView;
use crate::ui::review::{PrebuiltRows, ReviewState};
use crate::ui::workbench::AgreementView;
use crate::ui::workbench::files::ReadTexts;
use crate::ui::workbench::merging::MergeWork;
use crate::ui::workbench::sharing::Located;
use crate::ui::workbench::steps::Stepped;
use crate::ui::workbench::transfer::Imported;
use crate::ui::workbench::{After, JobKind, Workbench};

/// What the worker that opened a project prepared for its first frame, so
/// that installing it only moves values in (no walk over the project on
/// the UI thread).
#[derive(Default)]
pub struct Prepared {
    /// The first document's view (its block index built).
    pub view: Option<DocumentView>,
    /// The first document's annotation list under the filters in force.
    pub list: Option<Prebuilt>,
    /// The review panel's rows.
    pub review: Option<PrebuiltRows>,
}

/// What a finished job sends back.
pub(super) enum Done {
    Opened(Box<Result<(Workspace, Prepared), LoadError>>),
    Saved(Box<(Workspace, Result<(), SaveError>)>),
    /// A single-file copy was written (or not).
    Packed(Result<(), PackError>),
    /// The snapshot the sources were extracted from, made un-packed.
    Extracted(Box<(Workspace, Result<Unpacked, PackError>)>),
    /// An import planned and applied on a snapshot (see `transfer.rs`).
    Imported(Box<Result<Imported, ImportError>>),
    /// An undo or redo applied to a snapshot (see `steps.rs`).
    Stepped(Box<Stepped>),
    /// A merge read and computed on a snapshot (see `merging.rs`).
    Merged(Box<MergeWork>),
    /// The agreement window's content, computed on a snapshot.
    Agreement(Box<Result<AgreementView, crate::model::Stopped>>),
    /// Text files read as new documents (see `files.rs`).
    ReadTexts(Box<ReadTexts>),
    /// A file read for "Locate file…" (see `sharing.rs`).
    Located(Box<Result<Located, SourceError>>),
}

/// Everything the first frame of `ws` would otherwise compute by walking
/// the project: the first document's view, its list rows, the review rows.
/// With `warm`, also rasterises into that context's font atlas the glyphs
/// of the first screen of text, the list's first rows, the label buttons and
/// the document rows ([`crate::ui::warm`]).
fn prepare(
    ws: &Workspace,
    filters: &OwnedFilters,
    progress: &Progress,
    warm: Option<&egui::Context>,
) -> Prepared {
    let Some(d) = ws.project.documents().first() else {
        return Prepared::default();
    };
    progress.phase(PREPARING, 0);
    let stop = progress.stop_flag();
    let view = ws
        .text(d.id)
        .filter(|_| !progress.stopped())
        .map(|text| DocumentView::new(d.id, Arc::clone(text)));
    let list = view
        .is_some()
        .then(|| AnnotationList::build(&ws.project, d.id, filters.as_filters()));
    let review = ReviewState::build(&ws.project);
    if let (Some(ctx), Some(v)) = (warm, &view) {
        let font = egui::FontId::proportional(crate::ui::theme::TEXT_SIZE);
        let (chars, first_rows) = crate::ui::warm::first_screen(ctx);
        crate::ui::warm::warm_glyphs(ctx, &font, v.first_blocks(chars), stop);
        // The list's first rows, as the panel writes them (button text).
        let p = &ws.project;
        let mut rows: Vec<String> = list
            .iter()
            .flat_map(|l| l.ids().iter().take(first_rows))
            .filter_map(|id| p.annotation(*id))
            .map(crate::ui::annotation_list::row_text)
            .collect();
        // The label bar's buttons and the documents panel's rows.
        rows.extend(p.labels().iter().map(crate::ui::bars::label_button_text));
        rows.extend(
            p.documents()
                .iter()
                .take(first_rows)
                .map(|d| crate::ui::panels::document_row_text(&d.name, p.count_of(d.id))),
        );
        let button = egui::TextStyle::Button.resolve(&ctx.global_style());
        crate::ui::warm::warm_glyphs(ctx, &button, rows.iter().map(String::as_str), stop);
    }
    Prepared {
        view,
        list,
        review: Some(review),
    }
}

/// The phase of opening that prepares the first screen.
const PREPARING: &str = "Preparing the first screen";

/// A long piece of work (open, save, import, …) running on a worker thread.
pub struct Job {
    /// What it does.
    pub kind: JobKind,
    /// When it started (for the elapsed time shown).
    pub started: Instant,
    /// Size of the file being opened, in bytes (0 when unknown).
    pub bytes: u64,
    /// How far the worker got; stopping it goes through here.
    pub progress: Arc<Progress>,
    result: Receiver<Done>,
    /// The workspace it was started for (a job whose project was closed
    /// meanwhile changes nothing when it ends).
    generation: u64,
    /// Save: the history revision the snapshot was taken at, and what to do after.
    revision: u64,
    then: Option<After>,
}

impl Workbench {
    /// Opens a project file (no prompt: callers guard). Unless background
    /// jobs are off, this returns at once and the project appears when the
    /// worker is done; the previous project is closed first.
    pub fn open_project(&mut self, path: &Path) {
        if self.job.is_some() {
            self.fail("Wait until the project being opened or saved is done.");
            return;
        }
        // The lock is taken before anything is read (see `safety`).
        if !self.lock_for_open(path) {
            return; // Someone else has it open: the analyst chooses first.
        }
        self.discard_workspace();
        let owned = path.to_path_buf();
        let filters = OwnedFilters {
            label: self.ui.filter_label.clone(),
            author: self.ui.filter_author.clone(),
            text: self.ui.filter_text.clone(),
        };
        // Only a worker warms the font atlas (inline, it would be the UI thread).
        let warm = self.egui_ctx.clone().filter(|_| self.background_jobs);
        let run = move |progress: &Progress| {
            let opened = Workspace::open_with(&owned, progress).map(|ws| {
                let prepared = prepare(&ws, &filters, progress, warm.as_ref());
                (ws, prepared)
            });
            Done::Opened(Box::new(opened))
        };
        let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
        self.start_job(JobKind::Open(path.to_path_buf()), bytes, 0, None, run);
    }

    /// Saves the project to `path` on a worker, then runs `then`.
    pub(super) fn save_to(&mut self, path: &Path, then: Option<After>) {
        let target = path.to_path_buf();
        self.start_on_snapshot(
            JobKind::Save(target.clone()),
            then,
            move |mut snapshot, progress| {
                // Saving into another folder re-points (or copies) the sources
                // there: see `io::relocate`.
                let result = snapshot.save_as_with(&target, progress);
                Done::Saved(Box::new((snapshot, result)))
            },
        );
    }

    /// Runs `work` on a snapshot of the open project on a worker, as job
    /// `kind` (a save, a single-file copy, an extraction), then `then`;
    /// refused while another job runs. Edits made meanwhile are not in the
    /// snapshot and stay unsaved.
    pub(super) fn start_on_snapshot(
        &mut self,
        kind: JobKind,
        then: Option<After>,
        work: impl FnOnce(Workspace, &Progress) -> Done + Send + 'static,
    ) {
        if self.ws.is_none() || self.busy() {
            return;
        }
        let Some(ws) = &self.ws else { return };
        let snapshot = ws.snapshot_for_save();
        let revision = self.history.revision();
        self.start_job(kind, 0, revision, then, move |progress| {
            work(snapshot, progress)
        });
        if self.job.is_some() {
            // The status bar shows the running job (`JobKind::status`); an
            // older message would only sit beside it.
            self.message = None;
        }
    }

    pub(super) fn start_job(
        &mut self,
        kind: JobKind,
        bytes: u64,
        revision: u64,
        then: Option<After>,
        run: impl FnOnce(&Progress) -> Done + Send + 'static,
    ) {
        let (tx, rx) = std::sync::mpsc::channel();
        let progress = Arc::new(Progress::new());
        let report = Arc::clone(&progress);
        if self.background_jobs {
            std::thread::spawn(move || {
                // A cancelled job's receiver is gone: its result is dropped here.
                let _ = tx.send(run(&report));
            });
        } else {
            let _ = tx.send(run(&report));
        }
        self.job = Some(Job {
            kind,
            started: Instant::now(),
            bytes,
            progress,
            result: rx,
            generation: self.generation,
            revision,
            then,
        });
        if !self.background_jobs {
            self.poll_job();
        }
    }

    /// True (and said) while a job runs: another cannot start.
    pub(super) fn busy(&mut self) -> bool {
        let Some(job) = &self.job else { return false };
        let running = job
            .kind
            .status()
            .unwrap_or_else(|| "opening a project…".to_owned());
        self.fail(format!(
            "Wait until this is done, then try again: {running}"
        ));
        true
    }

    /// Stops opening: the worker's result will be dropped on the worker.
    pub(super) fn cancel_open(&mut self) {
        if let Some(job) = &self.job
            && matches!(job.kind, JobKind::Open(_))
        {
            job.progress.stop();
            self.job = None;
            self.say("Opening cancelled.");
            self.after_job();
        }
    }

    /// Stops a job that [`JobKind::can_stop`]: its worker ends at its
    /// next check. One that [`JobKind::drops_on_stop`] is dropped here at
    /// once (nothing it would have changed is changed; a copy of an added
    /// file it already made into `sources/` stays); a save, copy,
    /// extraction or big undo/redo is waited for (the status bar says
    /// "Stopping…" meanwhile; see [`Self::finish_save`]).
    pub(super) fn stop_job(&mut self) {
        let Some(job) = &self.job else { return };
        if !job.kind.can_stop() {
            return;
        }
        job.progress.stop();
        if !job.kind.drops_on_stop() {
            return;
        }
        let Some(job) = self.job.take() else { return };
        let what = job.kind.status().unwrap_or_default();
        self.say(format!(
            "Stopped {}; nothing changed.",
            lowercase_first(what.trim_end_matches('…'))
        ));
        self.after_job();
    }

    /// Picks up a finished job (called every frame; never blocks).
    pub(super) fn poll_job(&mut self) {
        let Some(job) = &self.job else { return };
        let done = match job.result.try_recv() {
            Ok(done) => done,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => {
                // The worker panicked. It worked on a snapshot, so the
                // project is as it was; a step it held goes, as a step
                // whose edit fails would (else the history would stay
                // frozen at its revision).
                if matches!(job.kind, JobKind::Step { .. }) {
                    self.history.abandon_step();
                }
                self.job = None;
                self.fail("The background task stopped unexpectedly.");
                self.after_job();
                return;
            }
        };
        let Some(job) = self.job.take() else { return };
        let closed = job.generation != self.generation && !matches!(job.kind, JobKind::Open(_));
        if closed {
            // New or Close while it ran: never apply it to another project.
            let what = job.kind.status().unwrap_or_default();
            self.say(format!(
                "{} ended after its project was closed; nothing here changed.",
                what.trim_end_matches('…')
            ));
            drop(done);
            self.after_job();
            return;
        }
        match (done, job.kind) {
            (Done::Opened(result), JobKind::Open(path)) => self.finish_open(&path, *result),
            (Done::Saved(saved), JobKind::Save(path)) => {
                let (snapshot, result) = *saved;
                self.finish_save(&path, &snapshot, result, job.revision, job.then);
            }
            (Done::Packed(result), JobKind::Pack(path)) => self.finish_pack(&path, result),
            (Done::Extracted(done), JobKind::Extract(_)) => {
                let (snapshot, result) = *done;
                self.finish_extract(&snapshot, result, job.revision);
            }
            (Done::Imported(imported), JobKind::Import(file, opts)) => {
                self.finish_import(&file, &opts, *imported, job.revision);
            }
            (Done::Stepped(stepped), JobKind::Step { undo, name }) => {
                if job.progress.stopped() {
                    self.put_back_step(*stepped, undo, &name);
                } else {
                    self.finish_step(*stepped, undo);
                }
            }
            (Done::Merged(work), JobKind::Merge(_)) => self.finish_merge(*work, job.revision),
            (Done::Agreement(view), JobKind::Agreement) => self.finish_agreement(*view),
            (Done::ReadTexts(read), JobKind::AddDocuments(_)) => {
                self.finish_add_files(*read);
            }
            (Done::Located(found), JobKind::Locate(file) | JobKind::Relink(file)) => {
                self.finish_locate(&file, *found, job.revision);
            }
            _ => {}
        }
        // A job ends outside any command: keep the lock and the recovery
        // journal in step now (a finished save ends the journal).
        self.lock_sync();
        self.journal_sync();
        self.after_job();
    }

    fn finish_open(&mut self, path: &Path, result: Result<(Workspace, Prepared), LoadError>) {
        match result {
            Ok((ws, prepared)) => {
                let n = ws.problems.len();
                let mut ws = ws;
                if let Some((p, why)) = self.safety.open_read_only.take()
                    && p == path
                {
                    ws.read_only.get_or_insert(why);
                }
                self.set_workspace_with_view(ws, true, prepared);
                self.remember(path);
                if n == 0 {
                    self.say(format!("Opened {}", path.display()));
                } else {
                    self.fail(format!(
                        "Opened with {n} problem(s) — see Project ▸ Problems: {}",
                        path.display()
                    ));
                }
            }
            Err(e) => {
                self.safety.open_read_only = None;
                self.fail(format!("Could not open the project: {e}"));
            }
        }
    }

    fn finish_save(
        &mut self,
        path: &Path,
        snapshot: &Workspace,
        result: Result<(), SaveError>,
        revision: u64,
        then: Option<After>,
    ) {
        let Some(ws) = &mut self.ws else { return };
        match result {
            Ok(()) => {
                ws.adopt_save(snapshot);
                self.history.mark_saved_at(revision);
                self.remember(path);
                self.say(format!("Saved {}", path.display()));
                if let Some(after) = then {
                    self.proceed(after);
                }
            }
            Err(e @ SaveError::Stopped { .. }) => self.say(format!("Not saved: {e}")),
            Err(e) => {
                if matches!(e, SaveError::ChangedOnDisk { .. }) {
                    self.on_changed_on_disk(path);
                }
                self.fail(format!("Not saved: {e}"));
            }
        }
    }

    /// A close request that arrived while a job ran is handled now.
    fn after_job(&mut self) {
        if std::mem::take(&mut self.close_after_job) {
            self.guard(After::Quit);
        }
    }

    /// Closes the current project; its memory is freed on a worker thread.
    pub(super) fn discard_workspace(&mut self) {
        let old = (
            self.ws.take(),
            self.view.take(),
            std::mem::take(&mut self.history),
        );
        self.selected = None;
        self.ui.note_draft = None;
        self.generation += 1;
        if old.0.is_some() {
            free_later(self.background_jobs, old);
        }
    }
}

/// Frees `value` on a worker thread when `background` (a big project or
/// batch takes tens of milliseconds to free); else here (tests).
pub(super) fn free_later<T: Send + 'static>(background: bool, value: T) {
    if background {
        std::thread::spawn(move || drop(value));
    }
}

/// `text` with its first letter in lower case ("Importing …" → "importing …").
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}
