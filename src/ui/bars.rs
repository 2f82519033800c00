//! The menu bar, the label bar and the status bar.
//!
//! Invariant: every entry reads its name and shortcut from [`Command`], and
//! clicking it only pushes that command.

use egui::{Button, Panel, RichText, Ui};

use crate::ui::command::Command;
use crate::ui::theme;
use crate::ui::workbench::Workbench;

/// A menu entry for `c`, enabled when `enabled`; pushes `c` when clicked.
fn item(ui: &mut Ui, c: Command, text: Option<String>, enabled: bool, out: &mut Vec<Command>) {
    let mut b = Button::new(text.unwrap_or_else(|| c.label()));
    if let Some(s) = c.shortcut() {
        b = b.shortcut_text(ui.ctx().format_shortcut(&s));
    }
    if ui.add_enabled(enabled, b).clicked() {
        out.push(c);
    }
}

/// The top menu bar.
pub fn menu_bar(ui: &mut Ui, wb: &Workbench, out: &mut Vec<Command>) {
    Panel::top("menu_bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            let open = wb.ws.is_some();
            ui.menu_button("Project", |ui| {
                item(ui, Command::NewProject, None, true, out);
                item(ui, Command::OpenProject, None, true, out);
                ui.menu_button("Open Recent", |ui| {
                    if wb.prefs.recent.is_empty() {
                        ui.label("No recent projects");
                    }
                    for p in &wb.prefs.recent {
                        item(ui, Command::OpenPath(p.clone()), None, true, out);
                    }
                });
                item(ui, Command::AddSources, None, open, out);
                ui.separator();
                item(ui, Command::Save, None, open, out);
                item(ui, Command::SaveAs, None, open, out);
                item(ui, Command::SaveSingleFile, None, open, out);
                let packed = wb.ws.as_ref().is_some_and(|w| w.packed);
                item(ui, Command::ExtractSources, None, packed, out);
                item(ui, Command::ShowProblems, None, open, out);
                let review = Command::Review(crate::ui::review::ReviewAction::Open);
                item(ui, review, None, open, out);
                let saved = wb.ws.as_ref().is_some_and(|w| w.path.is_some());
                item(ui, Command::ShowPreviousVersions, None, saved, out);
                ui.separator();
                item(ui, Command::MergeProject, None, open, out);
                item(ui, Command::ShowAgreement, None, open, out);
                ui.separator();
                item(ui, Command::OpenImport, None, open, out);
                item(ui, Command::OpenExport, None, open, out);
                item(ui, Command::CloseProject, None, open, out);
                ui.separator();
                item(ui, Command::Quit, None, true, out);
            });
            ui.menu_button("Edit", |ui| {
                let undo = wb.history.undo_name().map(|n| format!("Undo {n}"));
                let redo = wb.history.redo_name().map(|n| format!("Redo {n}"));
                let (u, r) = (undo.is_some(), redo.is_some());
                item(ui, Command::Undo, undo, open && u, out);
                item(ui, Command::Redo, redo, open && r, out);
                ui.separator();
                item(ui, Command::Delete, None, wb.selected.is_some(), out);
                item(ui, Command::Find, None, wb.view.is_some(), out);
                item(ui, Command::NextAnnotation, None, wb.view.is_some(), out);
                item(ui, Command::PrevAnnotation, None, wb.view.is_some(), out);
                ui.separator();
                let sel = wb.selected.is_some();
                for c in crate::ui::command::KEYED
                    .iter()
                    .filter(|c| matches!(c, Command::Resize(_)))
                {
                    item(ui, c.clone(), None, sel, out);
                }
            });
            ui.menu_button("View", |ui| {
                item(ui, Command::ZoomIn, None, true, out);
                item(ui, Command::ZoomOut, None, true, out);
                item(ui, Command::ZoomReset, None, true, out);
                ui.separator();
                let mut dark = wb.prefs.dark;
                if ui
                    .checkbox(&mut dark, Command::ToggleTheme.label())
                    .clicked()
                {
                    out.push(Command::ToggleTheme);
                }
                let mut snap = wb.prefs.word_snap;
                if ui
                    .checkbox(&mut snap, Command::ToggleWordSnap.label())
                    .clicked()
                {
                    out.push(Command::ToggleWordSnap);
                }
            });
            ui.menu_button("Help", |ui| {
                item(ui, Command::ShowShortcuts, None, true, out);
            });
        });
    });
}

/// One button per label (colour, name, hotkey), "Manage labels…", and the
/// analyst's name recorded on new annotations (a preference).
pub fn label_bar(
    ui: &mut Ui,
    ws: Option<&crate::io::Workspace>,
    prefs: &mut crate::ui::Prefs,
    out: &mut Vec<Command>,
) {
    let Some(ws) = ws else { return };
    Panel::top("label_bar").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label("Tag:");
            for l in ws.project.labels() {
                let text = RichText::new(label_button_text(l));
                let b = Button::new(text.color(theme::label_solid(l.color)));
                let hint = if l.description.is_empty() {
                    format!("Tag the selection as {}", l.name)
                } else {
                    l.description.clone()
                };
                if ui.add(b).on_hover_text(hint).clicked() {
                    out.push(Command::Tag(l.id.clone()));
                }
            }
            ui.separator();
            if ui.button(Command::ManageLabels.label()).clicked() {
                out.push(Command::ManageLabels);
            }
            ui.separator();
            let l = ui.label("Annotator:");
            ui.add(egui::TextEdit::singleline(&mut prefs.author).desired_width(120.0))
                .labelled_by(l.id)
                .on_hover_text("Recorded as the author of the annotations you make");
        });
    });
}

/// What a label's button in the label bar says: a square, the name, the key.
#[must_use]
pub fn label_button_text(l: &crate::model::Label) -> String {
    let key = l.hotkey.map(|k| format!("  [{k}]")).unwrap_or_default();
    format!("■ {}{key}", l.name)
}

/// Document, selection, counts, "N to review", saved state and the last message.
pub fn status_bar(ui: &mut Ui, wb: &Workbench, out: &mut Vec<Command>) {
    Panel::bottom("status_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            let Some(ws) = &wb.ws else {
                // A failed or cancelled open is said here too.
                ui.label("No project open");
                message(ui, wb);
                return;
            };
            if let Some(v) = &wb.view {
                let name = ws.project.document(v.doc).map_or("", |d| d.name.as_str());
                ui.label(name);
                ui.separator();
                match v.selected_range(wb.prefs.word_snap) {
                    Some(r) => ui.label(format!(
                        "Selection {}–{} ({} chars)",
                        r.start(),
                        r.end(),
                        r.len()
                    )),
                    None => ui.label("No selection"),
                };
                ui.separator();
                ui.label(format!("{} in document", ws.project.count_of(v.doc)));
                ui.separator();
            }
            ui.label(format!("{} annotations", ws.project.annotation_count()));
            ui.separator();
            let flagged = ws.project.flagged_count();
            if flagged > 0 {
                let text = RichText::new(format!("⚠ {flagged} to review"))
                    .color(theme::warning(wb.prefs.dark));
                let open = Command::Review(crate::ui::review::ReviewAction::Open);
                if ui.button(text).on_hover_text(open.label()).clicked() {
                    out.push(open);
                }
                ui.separator();
            }
            if wb.is_dirty() {
                ui.colored_label(theme::warning(wb.prefs.dark), "Unsaved changes");
            } else {
                ui.label("Saved");
            }
            if let Some(job) = &wb.job
                && let Some(status) = job.kind.status()
            {
                ui.separator();
                job_bar(ui, job, 140.0);
                ui.label(match job.progress.phase_name() {
                    // "Placing the annotations in x.txt — finding the moved quotes…"
                    Some(phase) => format!(
                        "{} — {}…",
                        status.trim_end_matches('…'),
                        phase.to_lowercase()
                    ),
                    None => status,
                });
                if job.progress.stopped() {
                    ui.label("Stopping…");
                } else if job.kind.can_stop()
                    && ui
                        .button(Command::StopJob.label())
                        .on_hover_text(job.kind.stop_hint())
                        .clicked()
                {
                    out.push(Command::StopJob);
                }
            }
            message(ui, wb);
        });
    });
}

/// The last message, after a separator: errors in the warning colour.
fn message(ui: &mut Ui, wb: &Workbench) {
    if let Some(m) = &wb.message {
        ui.separator();
        if m.error {
            ui.colored_label(theme::warning(wb.prefs.dark), &m.text);
        } else {
            ui.label(&m.text);
        }
    }
}

/// A running job's bar, `width` points wide: the fraction of its phase
/// done and the percentage when the worker reports one, else an animated
/// bar with the time so far.
pub fn job_bar(ui: &mut Ui, job: &crate::ui::workbench::Job, width: f32) {
    let bar = match job.progress.fraction() {
        Some(f) => egui::ProgressBar::new(f).text(format!("{:.0} %", f * 100.0)),
        None => egui::ProgressBar::new(0.0)
            .animate(true)
            .text(format!("{:.1} s", job.started.elapsed().as_secs_f64())),
    };
    ui.add(bar.desired_width(width));
}
