//! The Export… and Import annotations… windows.
//!
//! Invariants: these windows only edit their own drafts (format, options,
//! paths) and push commands; the export itself runs on a worker thread
//! started by the workbench, and the windows only read its progress and
//! result. An import goes through the history as one undoable step.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::Receiver;

use egui::{ComboBox, Context, ProgressBar, RichText, ScrollArea, TextEdit, Window};

use crate::io::export::{AlignPolicy, FidelityReport, Format, OverlapPolicy};
use crate::io::import::ImportFormat;
use crate::ui::command::Command;

/// What a finished export sends back: the files written and the report, or
/// the error in plain words.
pub type ExportResult = Result<(Vec<PathBuf>, FidelityReport), String>;

/// An export running on a worker thread.
pub struct ExportJob {
    /// Documents done.
    pub done: Arc<AtomicUsize>,
    /// Documents in total.
    pub total: Arc<AtomicUsize>,
    /// Set to stop the export.
    pub cancel: Arc<AtomicBool>,
    /// The result, when it arrives.
    pub result: Receiver<ExportResult>,
}

/// Drafts of the export and import windows, and the running export.
pub struct Transfer {
    /// Export window shown.
    pub export_open: bool,
    /// Import window shown.
    pub import_open: bool,
    /// Chosen export format.
    pub format: Format,
    /// Overlap policy for formats that cannot hold overlaps.
    pub overlaps: OverlapPolicy,
    /// Token alignment policy for token formats (`None`: the format's default).
    pub align: Option<AlignPolicy>,
    /// Split by document into train/dev/test (80/10/10).
    pub split: bool,
    /// Seed of the split.
    pub seed: u64,
    /// Export destination (file or folder).
    pub out: String,
    /// The format `out` was proposed for, while the analyst has not edited it.
    pub out_proposed_for: Option<Format>,
    /// The running export.
    pub job: Option<ExportJob>,
    /// The last export's report, as text.
    pub report: Option<String>,
    /// The last export's report as JSON, to save beside the export.
    pub report_json: Option<String>,
    /// Chosen import format.
    pub import_format: ImportFormat,
    /// File (or brat folder) to import.
    pub import_file: String,
    /// Create documents for texts the project does not have.
    pub add_documents: bool,
    /// The last import's report, as text.
    pub import_report: Option<String>,
}

impl Default for Transfer {
    fn default() -> Self {
        Self {
            export_open: false,
            import_open: false,
            format: Format::Prodigy,
            overlaps: OverlapPolicy::Longest,
            align: None,
            split: false,
            seed: 42,
            out: String::new(),
            out_proposed_for: None,
            job: None,
            report: None,
            report_json: None,
            import_format: ImportFormat::Doccano,
            import_file: String::new(),
            add_documents: false,
            import_report: None,
        }
    }
}

const IMPORT_FORMATS: [(ImportFormat, &str); 6] = [
    (ImportFormat::Doccano, "doccano JSONL"),
    (ImportFormat::Prodigy, "Prodigy / spaCy JSONL"),
    (ImportFormat::Brat, "brat standoff (.ann or folder)"),
    (ImportFormat::LabelStudio, "Label Studio JSON"),
    (ImportFormat::Csv, "Spanmark CSV"),
    (ImportFormat::W3c, "W3C Web Annotation JSON-LD"),
];

fn overlap_name(p: OverlapPolicy) -> &'static str {
    match p {
        OverlapPolicy::Keep => "keep all",
        OverlapPolicy::Longest => "longest span wins",
        OverlapPolicy::First => "first span wins",
        OverlapPolicy::PerLabel => "one file per label",
    }
}

fn align_name(p: Option<AlignPolicy>) -> &'static str {
    match p {
        None => "the format's default",
        Some(AlignPolicy::Snap) => "snap outward to tokens",
        Some(AlignPolicy::Drop) => "drop misaligned spans",
        Some(AlignPolicy::Keep) => "keep and report",
    }
}

/// Draws the export window.
pub fn export_window(ctx: &Context, t: &mut Transfer, out: &mut Vec<Command>) {
    let mut open = t.export_open;
    Window::new("Export")
        .open(&mut open)
        .resizable(true)
        .default_width(520.0)
        .show(ctx, |ui| {
            let running = t.job.is_some();
            ui.add_enabled_ui(!running, |ui| {
                ComboBox::from_label("Format")
                    .selected_text(t.format.name())
                    .show_ui(ui, |ui| {
                        for f in Format::ALL {
                            ui.selectable_value(&mut t.format, f, f.name())
                                .on_hover_text(f.about());
                        }
                    });
                ui.label(RichText::new(t.format.about()).weak());
                if !t.format.holds_overlaps() {
                    ComboBox::from_label("Overlapping spans")
                        .selected_text(overlap_name(t.overlaps))
                        .show_ui(ui, |ui| {
                            for p in [
                                OverlapPolicy::Longest,
                                OverlapPolicy::First,
                                OverlapPolicy::PerLabel,
                            ] {
                                ui.selectable_value(&mut t.overlaps, p, overlap_name(p));
                            }
                        });
                }
                if t.format.is_token_based() {
                    ComboBox::from_label("Spans not on token boundaries")
                        .selected_text(align_name(t.align))
                        .show_ui(ui, |ui| {
                            for p in [None, Some(AlignPolicy::Snap), Some(AlignPolicy::Drop), Some(AlignPolicy::Keep)] {
                                ui.selectable_value(&mut t.align, p, align_name(p));
                            }
                        });
                }
                ui.horizontal(|ui| {
                    ui.checkbox(&mut t.split, "Split documents 80/10/10 into train/dev/test");
                    if t.split {
                        let label = ui.label("seed");
                        ui.add(egui::DragValue::new(&mut t.seed))
                            .labelled_by(label.id);
                    }
                });
                ui.horizontal(|ui| {
                    let label = ui.label(if t.format.is_folder() {
                        "Folder"
                    } else {
                        "File"
                    });
                    let edit = ui
                        .add(TextEdit::singleline(&mut t.out).desired_width(320.0))
                        .labelled_by(label.id);
                    if edit.changed() {
                        t.out_proposed_for = None;
                    }
                    if ui.button("Choose…").clicked() {
                        out.push(Command::ChooseExportPath);
                    }
                });
                ui.label(
                    RichText::new(
                        "Where a format has offsets, they count Unicode code points (Python str indices).",
                    )
                    .weak(),
                );
                if ui.button("Export").clicked() {
                    out.push(Command::RunExport);
                }
            });
            if let Some(job) = &t.job {
                let (done, total) = (
                    job.done.load(Ordering::Relaxed),
                    job.total.load(Ordering::Relaxed).max(1),
                );
                #[allow(clippy::cast_precision_loss)]
                let fraction = done as f32 / total as f32;
                ui.add(ProgressBar::new(fraction).text(format!("{done} of {total} documents")));
                if ui.button("Cancel export").clicked() {
                    out.push(Command::CancelExport);
                }
                ctx.request_repaint();
            }
            if let Some(report) = &t.report {
                ui.separator();
                ui.heading("Fidelity report");
                ScrollArea::vertical().max_height(260.0).show(ui, |ui| {
                    ui.label(RichText::new(report).monospace());
                });
                if t.report_json.is_some() && ui.button("Save report as JSON").clicked() {
                    out.push(Command::SaveExportReport);
                }
            }
        });
    t.export_open = open;
}

/// Draws the import window.
pub fn import_window(ctx: &Context, t: &mut Transfer, out: &mut Vec<Command>) {
    let mut open = t.import_open;
    Window::new("Import annotations").open(&mut open).resizable(true).default_width(520.0).show(ctx, |ui| {
        let name = IMPORT_FORMATS.iter().find(|(f, _)| *f == t.import_format).map_or("", |(_, n)| n);
        ComboBox::from_label("Format").selected_text(name).show_ui(ui, |ui| {
            for (f, n) in IMPORT_FORMATS {
                ui.selectable_value(&mut t.import_format, f, n);
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label("File");
            ui.add(TextEdit::singleline(&mut t.import_file).desired_width(320.0)).labelled_by(label.id);
            if ui.button("Choose…").clicked() {
                out.push(Command::ChooseImportFile);
            }
        });
        ui.checkbox(&mut t.add_documents, "Add documents for texts not in the project");
        ui.label(
            RichText::new("Imported spans are pre-annotations: each keeps its origin (tool and file), and one undo removes the whole import.")
                .weak(),
        );
        if ui.button("Import").clicked() {
            out.push(Command::RunImport);
        }
        if let Some(report) = &t.import_report {
            ui.separator();
            ScrollArea::vertical().max_height(260.0).show(ui, |ui| {
                ui.label(RichText::new(report).monospace());
            });
        }
    });
    t.import_open = open;
}
