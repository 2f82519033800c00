//! Running exports (on a worker thread) and imports (through the history).
//!
//! Invariants: an export reads a snapshot of the project and texts taken
//! when it starts, so editing on meanwhile cannot tear it; its files are
//! written atomically by the worker; the UI thread only polls. An import is
//! read and placed on a worker (a job, like a save) and applied as one
//! undoable history step.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::io::SourceState;
use crate::io::export::{self, ExportOptions, Format, Progress, Split};
use crate::io::import::place::{NewTexts, STEP, plan_import_with};
use crate::io::import::{ImportError, ImportOptions, ImportReport};
use crate::io::project_file::timestamp;
use crate::ui::dialogs::{Picked, Purpose};
use crate::ui::transfer::ExportJob;
use crate::ui::workbench::JobKind;
use crate::ui::workbench::Workbench;
use crate::ui::workbench::applied::AppliedEdit;
use crate::ui::workbench::jobs::{Done, free_later};

impl Workbench {
    /// Opens the export window with a destination beside the project.
    pub(super) fn open_export(&mut self) {
        if self.transfer.out.is_empty() {
            self.propose_export_path();
        }
        self.transfer.export_open = true;
    }

    fn propose_export_path(&mut self) {
        self.transfer.out = self
            .default_export_path(self.transfer.format)
            .display()
            .to_string();
        self.transfer.out_proposed_for = Some(self.transfer.format);
    }

    /// Keeps a proposed destination in step with the chosen format (called
    /// every frame; a path the analyst typed or chose is left alone).
    fn sync_export_path(&mut self) {
        if let Some(f) = self.transfer.out_proposed_for
            && f != self.transfer.format
        {
            self.propose_export_path();
        }
    }

    fn default_export_path(&self, format: Format) -> PathBuf {
        let Some(ws) = &self.ws else {
            return PathBuf::new();
        };
        let stem = crate::io::export::select::file_safe(&ws.project.name);
        let name = if format.is_folder() {
            format!("{stem}-{}", format.name())
        } else {
            format!("{stem}.{}", format.extension())
        };
        ws.folder().join("exports").join(name)
    }

    pub(super) fn choose_export_path(&mut self) {
        let suggested = self.default_export_path(self.transfer.format);
        let name = suggested
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match self.dialogs.pick(Purpose::ExportTo, &name) {
            Picked::Paths(p) => {
                if let Some(p) = p.first() {
                    self.transfer.out = p.display().to_string();
                    self.transfer.out_proposed_for = None;
                }
            }
            Picked::Cancelled => {}
            Picked::Unavailable => self.ask_path(Purpose::ExportTo, None),
        }
    }

    pub(super) fn choose_import_file(&mut self) {
        match self.dialogs.pick(Purpose::ImportFrom, "") {
            Picked::Paths(p) => {
                if let Some(p) = p.first() {
                    self.transfer.import_file = p.display().to_string();
                }
            }
            Picked::Cancelled => {}
            Picked::Unavailable => self.ask_path(Purpose::ImportFrom, None),
        }
    }

    /// Starts the export drafted in the window on a worker thread.
    pub(super) fn start_export(&mut self) {
        let Some(ws) = &self.ws else { return };
        if self.transfer.job.is_some() {
            return;
        }
        let t = &mut self.transfer;
        let out = PathBuf::from(t.out.trim());
        if t.out.trim().is_empty() {
            self.fail("Choose where to export first.");
            return;
        }
        let mut opts = ExportOptions::new(t.format, &ws.project.name);
        if !t.format.holds_overlaps() {
            opts.overlaps = t.overlaps;
        }
        if t.format.is_token_based() && t.align.is_some() {
            opts.align = t.align;
        }
        if t.split {
            opts.split = Split::parse("80,10,10", t.seed);
        }
        let project = ws.project.clone();
        let texts: BTreeMap<_, _> = ws
            .sources
            .iter()
            .filter_map(|(id, s)| Some((*id, Arc::clone(s.text()?))))
            .collect();
        let done = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(project.documents().len()));
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = std::sync::mpsc::channel();
        let (d, n, c) = (Arc::clone(&done), Arc::clone(&total), Arc::clone(&cancel));
        std::thread::spawn(move || {
            let step = move |i: usize, of: usize| {
                d.store(i, Ordering::Relaxed);
                n.store(of, Ordering::Relaxed);
            };
            let progress = Progress {
                on_step: Some(&step),
                cancel: Some(&c),
            };
            if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
                // The proposed `exports/` folder may not exist yet.
                let _ = std::fs::create_dir_all(parent);
            }
            let result = export::export_to(&project, &texts, &opts, progress, &out)
                .map_err(|e| e.to_string());
            let _ = tx.send(result);
        });
        t.report = None;
        t.report_json = None;
        t.job = Some(ExportJob {
            done,
            total,
            cancel,
            result: rx,
        });
        self.say("Exporting…");
    }

    /// Asks the running export to stop.
    pub(super) fn cancel_export(&mut self) {
        if let Some(job) = &self.transfer.job {
            job.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Picks up a finished export's result (called every frame).
    pub(super) fn poll_export(&mut self) {
        self.sync_export_path();
        let Some(job) = &self.transfer.job else {
            return;
        };
        let Ok(result) = job.result.try_recv() else {
            return;
        };
        self.transfer.job = None;
        match result {
            Ok((paths, report)) => {
                let losses = report.loss_count();
                self.transfer.report = Some(report.to_string());
                self.transfer.report_json = Some(report.to_json());
                let first = paths
                    .first()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                self.say(format!(
                    "Exported {} file(s){}: {first}",
                    paths.len(),
                    if losses > 0 {
                        format!(", {losses} change(s) listed in the report")
                    } else {
                        String::new()
                    }
                ));
            }
            Err(e) => self.fail(format!("Export failed: {e}")),
        }
    }

    /// Writes the last report as JSON beside the export.
    pub(super) fn save_export_report(&mut self) {
        let Some(json) = &self.transfer.report_json else {
            return;
        };
        let out = PathBuf::from(self.transfer.out.trim());
        let target = if out.is_dir() {
            out.join("fidelity-report.json")
        } else {
            out.with_extension("report.json")
        };
        match crate::io::atomic::write_atomic(&target, json.as_bytes()) {
            Ok(()) => self.say(format!("Saved the report: {}", target.display())),
            Err(e) => self.fail(format!("Report not saved: {e}")),
        }
    }

    /// Imports the chosen file as one undoable step. The file is read,
    /// matched, checked and applied on a worker, to a snapshot, which also
    /// lists the rows the annotation list will show (100k spans: ~0.13 s
    /// of reading and placing, ~0.13 s of applying); this thread only puts
    /// the result in place (`examples/jobs_time.rs`).
    pub(super) fn run_import(&mut self) {
        if self.ws.is_none() {
            return;
        }
        let file = PathBuf::from(self.transfer.import_file.trim());
        let opts = ImportOptions {
            format: self.transfer.import_format,
            add_documents: self.transfer.add_documents,
            author: self.prefs.author.clone(),
            now: timestamp::now(),
        };
        self.start_import(file, opts);
    }

    /// Starts the import job for `file` with `opts` (see [`Self::run_import`]).
    fn start_import(&mut self, file: PathBuf, opts: ImportOptions) {
        let view = self.list_view();
        let kind = JobKind::Import(file.clone(), Box::new(opts.clone()));
        self.start_on_snapshot(kind, None, move |snapshot, progress| {
            let planned = plan_import_with(&snapshot, &file, &opts, progress);
            let imported = planned.and_then(|planned| {
                let (edit, new_texts, report) = planned.into_parts();
                let change = edit
                    .map(|e| AppliedEdit::new(snapshot.project, e, view.as_ref()))
                    .transpose()?;
                Ok(Imported {
                    change,
                    new_texts,
                    report,
                })
            });
            Done::Imported(Box::new(imported))
        });
    }

    /// Puts in place an import applied to a snapshot taken at history
    /// `revision`. If the project was edited meanwhile, the import is
    /// started again on a new snapshot (the worker's copy lacks those
    /// edits, and its ids may clash with them; planning it here took
    /// ~0.4 s of the UI thread at 100k spans).
    pub(super) fn finish_import(
        &mut self,
        file: &Path,
        opts: &ImportOptions,
        imported: Result<Imported, ImportError>,
        revision: u64,
    ) {
        if self.history.revision() != revision {
            free_later(self.background_jobs, imported);
            self.start_import(file.to_path_buf(), opts.clone());
            return;
        }
        let done = imported.map(|i| {
            if let Some(applied) = i.change {
                self.make_change(STEP, applied);
            }
            if let Some(ws) = &mut self.ws {
                for (id, text) in i.new_texts {
                    ws.sources.insert(id, SourceState::Ready(text));
                }
            }
            i.report
        });
        match done {
            Ok(report) => {
                // At most 500 unplaced spans listed: the window shows it as one label.
                self.transfer.import_report = Some(format!("{report:.500}"));
                self.say(format!("Imported annotations from {}", file.display()));
            }
            Err(e) => self.fail(format!("Import failed: {e}")),
        }
    }
}

/// An import read, placed and applied to a snapshot on a worker.
pub(super) struct Imported {
    /// The import applied to the snapshot (`None`: nothing to add).
    change: Option<AppliedEdit>,
    /// Texts of the documents it adds.
    new_texts: NewTexts,
    report: ImportReport,
}
