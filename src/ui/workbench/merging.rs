//! Merging a colleague's copy into the open project.
//!
//! Invariants: a merge is one undoable edit applied through the history
//! (undo takes all of it back); reading the other version and merging run
//! on a worker against a snapshot (started again on a new snapshot, with
//! what was read, if the project was edited meanwhile: never merged on the
//! UI thread); the merge report is UI state, never saved. "Merge…" in the
//! conflict-on-disk window merges the version on disk and records its hash,
//! so the next save goes over exactly the version that was merged in — and
//! is refused again if the file changed once more meanwhile.

use std::mem;
use std::path::{Path, PathBuf};

use crate::io::Workspace;
use crate::io::merge::{Theirs, merge_into_workspace_with, read_theirs};
use crate::model::merge::{MergeReport, Merged};
use crate::model::{DocumentId, Edit, Progress, Project};
use crate::ui::annotation_list::OwnedFilters;
use crate::ui::dialogs::{Picked, Purpose};
use crate::ui::workbench::JobKind;
use crate::ui::workbench::Workbench;
use crate::ui::workbench::agreement::AgreementView;
use crate::ui::workbench::applied::AppliedEdit;
use crate::ui::workbench::jobs::{Done, free_later};

/// State of the merge report and agreement windows.
#[derive(Clone, Debug, Default)]
pub struct Merging {
    /// The last merge's report, while its window is open.
    pub report: Option<MergeReport>,
    /// The agreement window, while open.
    pub agreement: Option<AgreementView>,
}

impl Workbench {
    /// "Merge project…": asks for a colleague's project file.
    pub(super) fn ask_merge(&mut self) {
        if self.ws.is_none() {
            self.fail("Open the project to merge into first.");
            return;
        }
        match self.dialogs.pick(Purpose::MergeProject, "") {
            Picked::Paths(p) => {
                if let Some(path) = p.first() {
                    self.merge_project(path, None);
                }
            }
            Picked::Cancelled => {}
            Picked::Unavailable => self.ask_path(Purpose::MergeProject, None),
        }
    }

    /// Merges the project file at `path` into the open one. `disk_hash` is
    /// set when merging the version of our own file found on disk. The
    /// file is read and merged on a worker, against a snapshot (a 100k
    /// annotation project takes most of a second); see [`MergeWork`].
    pub(super) fn merge_project(&mut self, path: &Path, disk_hash: Option<String>) {
        let Some(ws) = &self.ws else { return };
        if let Some(reason) = &ws.read_only {
            self.fail(format!(
                "This project is read-only ({reason}); merge into a copy."
            ));
            return;
        }
        let path = path.to_path_buf();
        let kind = JobKind::Merge(path.clone());
        let view = self.list_view();
        self.start_on_snapshot(kind, None, move |snapshot, progress| {
            let work = copy_work(&snapshot, path, disk_hash, false, view.as_ref(), progress);
            Done::Merged(Box::new(work))
        });
    }

    /// "Merge…" in the conflict window: merges the version on disk into
    /// ours. Three-way when the version we opened is among the previous
    /// versions (their deletions and renames then count); otherwise as a
    /// colleague's copy, which keeps everything either side has. Read,
    /// found and merged on a worker.
    pub(super) fn merge_with_disk(&mut self) {
        let Some(path) = self.safety.conflict.take() else {
            return;
        };
        self.safety.confirm_overwrite = false;
        let kind = JobKind::Merge(path.clone());
        let view = self.list_view();
        self.start_on_snapshot(kind, None, move |snapshot, progress| {
            Done::Merged(Box::new(disk_work(
                &snapshot,
                path,
                view.as_ref(),
                progress,
            )))
        });
    }

    /// Puts in place a merge read, computed and applied on a worker at
    /// history `revision`. If the project was edited meanwhile, the merge
    /// starts again on a new snapshot with what the worker read (the
    /// worker's copy lacks those edits; merging here took 1–2 s of the UI
    /// thread at 100k annotations).
    pub(super) fn finish_merge(&mut self, work: MergeWork, revision: u64) {
        let fresh = self.history.revision() == revision;
        match work {
            MergeWork::Failed(message) => self.fail(message),
            MergeWork::Copy {
                path,
                disk_hash,
                no_base,
                theirs,
                computed,
            } => {
                let Some(computed) = self.if_fresh(computed, fresh) else {
                    self.restart_merge(path.clone(), move |snapshot, view, progress| {
                        copy_merge_work(snapshot, path, *theirs, disk_hash, no_base, view, progress)
                    });
                    return;
                };
                let (report, change) = *computed;
                self.apply_copy_merge(&theirs, change, report, disk_hash);
                free_later(self.background_jobs, theirs);
                if no_base && let Some(r) = &mut self.merging.report {
                    r.notes.insert(
                        0,
                        "The version you opened is not among the previous versions, so this \
                         merged like a colleague's copy: annotations deleted on disk are kept."
                            .to_owned(),
                    );
                }
            }
            MergeWork::Disk {
                path,
                hash,
                base,
                theirs,
                computed,
            } => {
                let Some(computed) = self.if_fresh(computed, fresh) else {
                    self.restart_merge(path.clone(), move |snapshot, view, progress| {
                        disk_merge_work(snapshot, path, hash, *base, *theirs, view, progress)
                    });
                    return;
                };
                let (merged, change) = *computed;
                self.apply_disk_merge(change, merged, hash);
                free_later(self.background_jobs, (base, theirs));
            }
        }
    }

    /// Starts a merge whose reading is done (`merge`: merging and
    /// applying, on a worker) again on a new snapshot of the project.
    fn restart_merge(
        &mut self,
        path: PathBuf,
        merge: impl FnOnce(&Workspace, Option<&(DocumentId, OwnedFilters)>, &Progress) -> MergeWork
        + Send
        + 'static,
    ) {
        let view = self.list_view();
        self.start_on_snapshot(JobKind::Merge(path), None, move |snapshot, progress| {
            progress.phase(MERGING, 0);
            Done::Merged(Box::new(merge(&snapshot, view.as_ref(), progress)))
        });
    }

    /// `computed` when `fresh`; else `None`, freeing it elsewhere (it
    /// holds a whole project).
    fn if_fresh<T: Send + 'static>(&self, computed: Option<T>, fresh: bool) -> Option<T> {
        if fresh {
            return computed;
        }
        free_later(self.background_jobs, computed);
        None
    }

    fn apply_copy_merge(
        &mut self,
        theirs: &Theirs,
        change: AppliedEdit,
        mut report: MergeReport,
        disk_hash: Option<String>,
    ) {
        let name = format!("Merge {}", theirs.who);
        if !self.make_change(&name, change) {
            return;
        }
        if let Some(ws) = &mut self.ws {
            let unreadable = crate::io::merge::adopt_texts(ws, theirs);
            if unreadable > 0 {
                report.notes.push(format!(
                    "{unreadable} added document(s) have no readable source yet (see Project ▸ Problems)."
                ));
            }
            if disk_hash.is_some() {
                ws.file_hash = disk_hash;
            }
        }
        let summary = report.summary();
        if report.conflicts > 0 {
            self.fail(format!("{summary} — review them, then save."));
        } else {
            self.say(summary);
        }
        self.merging.report = Some(report);
        self.merging.agreement = None;
    }

    fn apply_disk_merge(&mut self, change: AppliedEdit, merged: DiskMerge, hash: String) {
        let DiskMerge {
            name,
            conflicts,
            mut report,
            ..
        } = merged;
        if !self.make_change("Merge the version on disk", change) {
            return;
        }
        if let Some(ws) = &mut self.ws {
            if name != ws.project.name {
                report
                    .notes
                    .push(format!("Project name: kept “{}”.", ws.project.name));
            }
            ws.file_hash = Some(hash);
        }
        report.conflicts = conflicts;
        let summary = format!(
            "Merged the version on disk (three-way): {conflicts} conflict(s) to review; save when ready"
        );
        if conflicts > 0 {
            self.fail(summary);
        } else {
            self.say(summary);
        }
        self.merging.report = Some(report);
    }
}

/// The phase of a merge that reads the other project.
const READING: &str = "Reading the other version";
/// The phase of a merge that compares and merges.
const MERGING: &str = "Merging";
/// The phase of a merge that applies it to a copy of the project.
const APPLYING: &str = "Applying the merge";
/// Why a stopped merge has no result (never shown: a stopped job is dropped).
const STOPPED: &str = "The merge was stopped.";

/// True when the merge was stopped; else starts its phase `next`.
fn stopped_before(progress: &Progress, next: &'static str) -> bool {
    let stopped = progress.stopped();
    if !stopped {
        progress.phase(next, 0);
    }
    stopped
}

/// What a merge job read and computed on a snapshot of the open project.
pub(super) enum MergeWork {
    /// Nothing to merge: what to tell the analyst.
    Failed(String),
    /// A colleague's copy (or the version on disk with no known base).
    Copy {
        /// The file read.
        path: PathBuf,
        /// The hash of the version on disk, when merging that.
        disk_hash: Option<String>,
        /// Merged as a copy because the base version was not found.
        no_base: bool,
        theirs: Box<Theirs>,
        /// The report, and the merge applied to the snapshot.
        computed: Option<Box<(MergeReport, AppliedEdit)>>,
    },
    /// The version on disk, three-way against the version we opened.
    Disk {
        /// The file read (ours).
        path: PathBuf,
        hash: String,
        base: Box<Project>,
        theirs: Box<Project>,
        /// The merge, and the change applied to the snapshot.
        computed: Option<Box<(DiskMerge, AppliedEdit)>>,
    },
}

/// A three-way merge of the version on disk: the edit that makes ours it,
/// and what to say about it.
pub(super) struct DiskMerge {
    /// The merged project's name.
    name: String,
    conflicts: usize,
    edit: Edit,
    report: MergeReport,
}

impl DiskMerge {
    fn new(
        base: &Project,
        ours: &Project,
        theirs: &Project,
        progress: &Progress,
    ) -> Result<Self, crate::model::Stopped> {
        let merged = crate::model::merge3::merge3_with(base, ours, theirs, progress)?;
        let edit = crate::model::diff::edit_between(ours, &merged.project);
        let mut report = merged.report;
        report.from = "the version on disk".to_owned();
        for name in crate::model::diff::unexpressed(ours, &merged.project) {
            report.notes.push(format!(
                "“{name}”: the version on disk records another version of this source; \
                 this project keeps its own record."
            ));
        }
        Ok(Self {
            name: merged.project.name.clone(),
            conflicts: merged.conflicts,
            edit,
            report,
        })
    }
}

/// `edit` applied to a copy of `ws`'s project (on the worker), or the
/// message of why it does not apply.
fn applied_on_copy(
    ws: &Workspace,
    name: &str,
    edit: Edit,
    view: Option<&(DocumentId, OwnedFilters)>,
) -> Result<AppliedEdit, String> {
    AppliedEdit::new(ws.project.clone(), edit, view).map_err(|e| format!("{name}: {e}"))
}

/// Reads a colleague's copy and merges it into `ws` (a worker's snapshot).
fn copy_work(
    ws: &Workspace,
    path: PathBuf,
    disk_hash: Option<String>,
    no_base: bool,
    view: Option<&(DocumentId, OwnedFilters)>,
    progress: &Progress,
) -> MergeWork {
    progress.phase(READING, 0);
    let our_dir = ws.path.as_ref().map(|_| ws.folder());
    let theirs = match read_theirs(&path, &ws.project, our_dir.as_deref()) {
        Ok(theirs) => theirs,
        Err(e) => return MergeWork::Failed(format!("Could not merge: {e}")),
    };
    if stopped_before(progress, MERGING) {
        return MergeWork::Failed(STOPPED.to_owned());
    }
    copy_merge_work(ws, path, theirs, disk_hash, no_base, view, progress)
}

/// Merges a colleague's copy, read, into `ws` (a worker's snapshot) and
/// applies the merge to a copy of it.
fn copy_merge_work(
    ws: &Workspace,
    path: PathBuf,
    theirs: Theirs,
    disk_hash: Option<String>,
    no_base: bool,
    view: Option<&(DocumentId, OwnedFilters)>,
    progress: &Progress,
) -> MergeWork {
    let Ok(Merged { edit, report, .. }) = merge_into_workspace_with(ws, &theirs, progress) else {
        return MergeWork::Failed(STOPPED.to_owned());
    };
    if stopped_before(progress, APPLYING) {
        return MergeWork::Failed(STOPPED.to_owned());
    }
    match applied_on_copy(ws, &format!("Merge {}", theirs.who), edit, view) {
        Ok(change) => MergeWork::Copy {
            path,
            disk_hash,
            no_base,
            theirs: Box::new(theirs),
            computed: Some(Box::new((report, change))),
        },
        Err(message) => MergeWork::Failed(message),
    }
}

/// Reads the version of our file on disk, finds the version we opened
/// among the previous versions and merges three-way (else as a copy).
fn disk_work(
    ws: &Workspace,
    path: PathBuf,
    view: Option<&(DocumentId, OwnedFilters)>,
    progress: &Progress,
) -> MergeWork {
    progress.phase(READING, 0);
    // Hash first: if the file changes again while we read it, the hash
    // is the older one and the next save is refused again (never lost).
    let hash = match std::fs::read(&path) {
        Ok(bytes) => crate::io::source::sha256_hex(&bytes),
        Err(e) => {
            return MergeWork::Failed(format!(
                "Could not read the version on disk: {e}: {}",
                path.display()
            ));
        }
    };
    let base = ws
        .file_hash
        .as_deref()
        .and_then(|h| crate::io::merge::find_version(&path, h));
    let Some(base) = base else {
        return copy_work(ws, path, Some(hash), true, view, progress);
    };
    let theirs = match crate::io::merge::read_disk_version(&path) {
        Ok(theirs) => theirs,
        Err(e) => return MergeWork::Failed(format!("Could not merge: {e}")),
    };
    if stopped_before(progress, MERGING) {
        return MergeWork::Failed(STOPPED.to_owned());
    }
    disk_merge_work(ws, path, hash, base, theirs, view, progress)
}

/// Merges the version on disk three-way into `ws` (a worker's snapshot)
/// and applies the merge to a copy of it.
fn disk_merge_work(
    ws: &Workspace,
    path: PathBuf,
    hash: String,
    base: Project,
    theirs: Project,
    view: Option<&(DocumentId, OwnedFilters)>,
    progress: &Progress,
) -> MergeWork {
    let Ok(mut merged) = DiskMerge::new(&base, &ws.project, &theirs, progress) else {
        return MergeWork::Failed(STOPPED.to_owned());
    };
    if stopped_before(progress, APPLYING) {
        return MergeWork::Failed(STOPPED.to_owned());
    }
    let edit = mem::replace(&mut merged.edit, Edit::Batch(Vec::new()));
    match applied_on_copy(ws, "Merge the version on disk", edit, view) {
        Ok(change) => MergeWork::Disk {
            path,
            hash,
            base: Box::new(base),
            theirs: Box::new(theirs),
            computed: Some(Box::new((merged, change))),
        },
        Err(message) => MergeWork::Failed(message),
    }
}
