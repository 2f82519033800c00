//! The merge report window and the agreement window.
//!
//! Invariants: both only read state and push commands. The disagreement
//! list draws only its visible rows (`show_rows`), so a project with
//! hundreds of thousands of differing spans stays smooth; every row is a
//! named button that selects the annotation it is about.

use egui::{Context, Grid, RichText, ScrollArea, Window};

use crate::model::agreement::Scores;
use crate::model::merge::MergeReport;
use crate::ui::command::Command;
use crate::ui::workbench::AgreementView;

/// What the last merge did.
pub fn merge_report(ctx: &Context, report: Option<&MergeReport>, out: &mut Vec<Command>) {
    let Some(r) = report else { return };
    let mut open = true;
    Window::new("Merge report")
        .open(&mut open)
        .default_width(560.0)
        .show(ctx, |ui| {
            ui.label(RichText::new(r.summary()).strong());
            for (status, n) in &r.placed {
                ui.label(format!("Placed again in a changed source: {n} {status}"));
            }
            if r.conflicts > 0 {
                ui.label(format!(
                    "{} annotation(s) are marked as conflicts: find them with ⚠ in the \
                     annotation list; keep, retag or delete each.",
                    r.conflicts
                ));
            }
            // A note per line, drawn only where visible (a merge can leave
            // one per annotation); each is cut to the width, whole on hover.
            let row = ui.text_style_height(&egui::TextStyle::Body);
            ScrollArea::vertical()
                .max_height(240.0)
                .auto_shrink([false, true])
                .show_rows(ui, row, r.notes.len(), |ui, rows| {
                    for note in r.notes.get(rows).unwrap_or_default() {
                        ui.add(egui::Label::new(note).truncate())
                            .on_hover_text(note);
                    }
                });
            if ui.button(Command::CloseMergeReport.label()).clicked() {
                out.push(Command::CloseMergeReport);
            }
        });
    if !open {
        out.push(Command::CloseMergeReport);
    }
}

fn fig(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.3}"))
}

fn row(ui: &mut egui::Ui, name: &str, s: &Scores) {
    ui.label(name);
    ui.label(s.spans.to_string());
    ui.label(fig(s.f1_exact));
    ui.label(fig(s.f1_overlap));
    ui.label(fig(s.kappa));
    ui.label(fig(s.alpha));
    ui.end_row();
}

/// Agreement between the open project's authors, with the places they differ.
pub fn agreement(ctx: &Context, view: Option<&AgreementView>, out: &mut Vec<Command>) {
    let Some(v) = view else { return };
    let a = &v.agreement;
    let mut open = true;
    Window::new("Agreement")
        .open(&mut open)
        .default_width(620.0)
        .show(ctx, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label("Compare:");
                for (name, on) in &v.authors {
                    let c = Command::ToggleAgreementAuthor(name.clone());
                    let mut checked = *on;
                    if ui
                        .checkbox(&mut checked, name)
                        .on_hover_text(c.label())
                        .clicked()
                    {
                        out.push(c);
                    }
                }
            });
            if a.coders.len() < 2 || a.documents.is_empty() {
                ui.label(
                    "Agreement needs two or more authors who annotated the same documents. \
                     Merge colleagues' copies (Project ▸ Merge project…) first.",
                );
            } else {
                ui.label(format!(
                    "{} on {} shared document(s). κ on characters; α nominal on {}.",
                    a.coders.join(", "),
                    a.documents.len(),
                    a.alpha_unit
                ));
                Grid::new("agreement-figures").striped(true).show(ui, |ui| {
                    for h in [
                        "Label",
                        "Spans",
                        "F1 exact",
                        "F1 overlap",
                        "Cohen's κ",
                        "Krippendorff's α",
                    ] {
                        ui.strong(h);
                    }
                    ui.end_row();
                    row(ui, "All labels", &a.overall);
                    for (l, s) in &a.per_label {
                        row(ui, l, s);
                    }
                });
                ui.separator();
                ui.label(format!("{} place(s) where they differ:", v.rows.len()));
                let h = ui.text_style_height(&egui::TextStyle::Button) + 4.0;
                ScrollArea::vertical().max_height(300.0).show_rows(
                    ui,
                    h,
                    v.rows.len(),
                    |ui, range| {
                        for r in v.rows.get(range).unwrap_or_default() {
                            let clicked = ui
                                .add_enabled(r.target.is_some(), egui::Button::new(&r.text))
                                .clicked();
                            if let (true, Some(id)) = (clicked, r.target) {
                                out.push(Command::SelectAnnotation(id));
                            }
                        }
                    },
                );
            }
            ui.horizontal(|ui| {
                if ui.button(Command::CloseAgreement.label()).clicked() {
                    out.push(Command::CloseAgreement);
                }
            });
        });
    if !open {
        out.push(Command::CloseAgreement);
    }
}
