//! The side panels: documents on the left; annotation list and inspector on
//! the right.
//!
//! Invariant: panels change only their own drafts (filters, the note being
//! typed); everything else is pushed as a [`Command`].

use egui::{Panel, RichText, ScrollArea, Ui};

use crate::model::{Annotation, Status};
use crate::ui::command::Command;
use crate::ui::theme;
use crate::ui::workbench::Workbench;

/// What a document's row in the documents panel says: name and count.
#[must_use]
pub fn document_row_text(name: &str, count: usize) -> String {
    format!("{name}  ({count})")
}

/// The list of documents with counts and status.
pub fn documents_panel(ui: &mut Ui, wb: &Workbench, out: &mut Vec<Command>) {
    let Some(ws) = &wb.ws else { return };
    Panel::left("documents").default_size(210.0).show(ui, |ui| {
        ui.heading("Documents");
        let current = wb.view.as_ref().map(|v| v.doc);
        // Two lines per document, drawn only where visible: an import can
        // add a document per text (thousands of short posts).
        let line = ui.spacing().interact_size.y;
        let row = 2.0 * line + ui.spacing().item_spacing.y;
        let docs = ws.project.documents();
        ScrollArea::vertical()
            .id_salt("doc_list")
            .auto_shrink([false, true])
            .show_rows(ui, row, docs.len(), |ui, rows| {
                for d in docs.get(rows).unwrap_or_default() {
                    let size = egui::vec2(ui.available_width(), row);
                    ui.allocate_ui(size, |ui| {
                        ui.set_min_height(row);
                        document_row(ui, wb, ws, d, current == Some(d.id), out);
                    });
                }
            });
        if let Some(d) = current.and_then(|c| ws.project.document(c)) {
            ui.separator();
            let mut status = d.status;
            egui::ComboBox::from_label("Status")
                .selected_text(status.as_str())
                .show_ui(ui, |ui| {
                    for s in [Status::Todo, Status::InProgress, Status::Done] {
                        ui.selectable_value(&mut status, s, s.as_str());
                    }
                });
            if status != d.status {
                out.push(Command::SetStatus(d.id, status));
            }
        }
    });
}

/// One document in the documents panel: its name and count on one line
/// (click to show it), then its status and, when its source is missing, a warning
/// and *Locate file…* on the same line.
fn document_row(
    ui: &mut Ui,
    wb: &Workbench,
    ws: &crate::io::Workspace,
    d: &crate::model::Document,
    current: bool,
    out: &mut Vec<Command>,
) {
    // One line, cut to the panel's width (whole on hover): rows have a
    // fixed height so that only the visible ones are drawn.
    let text = document_row_text(&d.name, ws.project.count_of(d.id));
    let name = ui.add(egui::Button::selectable(current, text.as_str()).truncate());
    if name.on_hover_text(text).clicked() {
        out.push(Command::OpenDocument(d.id));
    }
    ui.horizontal(|ui| {
        ui.add_space(12.0);
        ui.weak(d.status.as_str());
        if ws.text(d.id).is_none() {
            ui.colored_label(theme::warning(wb.prefs.dark), "source missing");
            let c = Command::LocateSource(d.id);
            if ui.small_button(c.label()).clicked() {
                out.push(c);
            }
        }
    });
}

/// The annotation list of the current document, then the inspector.
pub fn annotations_panel(ui: &mut Ui, wb: &mut Workbench, out: &mut Vec<Command>) {
    let (Some(ws), Some(view)) = (&wb.ws, &wb.view) else {
        return;
    };
    let p = &ws.project;
    let state = &mut wb.ui;
    Panel::right("annotations")
        .default_size(300.0)
        .show(ui, |ui| {
            ui.heading("Annotations");
            ui.horizontal(|ui| {
                let shown = state
                    .filter_label
                    .as_ref()
                    .and_then(|l| p.label(l))
                    .map_or("All labels", |l| l.name.as_str());
                egui::ComboBox::from_label("Label filter")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut state.filter_label, None, "All labels");
                        for l in p.labels() {
                            ui.selectable_value(
                                &mut state.filter_label,
                                Some(l.id.clone()),
                                &l.name,
                            );
                        }
                    });
            });
            ui.horizontal(|ui| {
                let shown = state
                    .filter_author
                    .clone()
                    .unwrap_or_else(|| "All authors".to_owned());
                let key = (wb.generation, wb.history.revision());
                let (list, chosen) = (&mut state.list, &mut state.filter_author);
                egui::ComboBox::from_label("Author filter")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        // The choices are computed only while the list is open.
                        ui.selectable_value(chosen, None, "All authors");
                        for name in list.authors(p, key) {
                            ui.selectable_value(chosen, Some(name.clone()), name);
                        }
                    });
                ui.checkbox(&mut state.color_by_author, "Colour by author");
            });
            ui.horizontal(|ui| {
                let l = ui.label("Filter:");
                ui.add(
                    egui::TextEdit::singleline(&mut state.filter_text).hint_text("text or note"),
                )
                .labelled_by(l.id);
            });
            let filters = crate::ui::annotation_list::Filters {
                label: state.filter_label.as_ref(),
                author: state.filter_author.as_deref(),
                text: &state.filter_text,
            };
            let by_author = state.color_by_author;
            let dark = wb.prefs.dark;
            let key = (wb.generation, wb.history.revision());
            let list = state.list.rows(p, key, view.doc, filters);
            let texts = &mut state.row_texts;
            ui.weak(format!("{} shown", list.len()));
            let row = ui.spacing().interact_size.y + ui.spacing().item_spacing.y;
            ScrollArea::vertical()
                .id_salt("annotation_list")
                .auto_shrink([false, true])
                .max_height(ui.available_height() * 0.55)
                // Only the rows in view are built, however many annotations there are.
                .show_rows(ui, row, list.len(), |ui, rows| {
                    let shown = list.get(rows).unwrap_or_default();
                    for a in shown.iter().filter_map(|id| p.annotation(*id)) {
                        ui.horizontal(|ui| {
                            if let Some(l) = p.label(&a.label) {
                                ui.colored_label(theme::label_solid(l.color), "■")
                                    .on_hover_text(&l.name);
                            }
                            if by_author {
                                author_chips(ui, a, dark);
                            }
                            let text = texts.get(key, a);
                            let r = ui.selectable_label(wb.selected == Some(a.id), text);
                            if r.clicked() {
                                out.push(Command::SelectAnnotation(a.id));
                            }
                        });
                    }
                });
            ui.separator();
            inspector(
                ui,
                wb.selected.and_then(|id| p.annotation(id)),
                p,
                state,
                out,
            );
        });
}

/// Chars of a long quote's start and end the inspector shows.
const QUOTE_ENDS: (usize, usize) = (160, 60);

/// "by A (also: B, C)": the author, then those who made the same span.
#[must_use]
pub fn by_line(a: &Annotation) -> String {
    let who = if a.author.is_empty() {
        "unknown author"
    } else {
        a.author.as_str()
    };
    if a.agreed.is_empty() {
        format!("by {who}")
    } else {
        format!("by {who} (also: {})", a.agreed.join(", "))
    }
}

/// One coloured initials chip per author of a row (at most three).
fn author_chips(ui: &mut Ui, a: &Annotation, dark: bool) {
    for name in a.authors().take(3) {
        let initials: String = name
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .take(2)
            .collect();
        let text = RichText::new(initials).strong().monospace();
        ui.colored_label(theme::author_color(name, dark), text)
            .on_hover_text(name);
    }
}

fn inspector(
    ui: &mut Ui,
    a: Option<&Annotation>,
    p: &crate::model::Project,
    state: &mut crate::ui::workbench::UiState,
    out: &mut Vec<Command>,
) {
    ui.heading("Inspector");
    let Some(a) = a else {
        ui.weak("Select an annotation to see it here.");
        return;
    };
    let label = p.label(&a.label);
    egui::ComboBox::from_label("Label")
        .selected_text(label.map_or(a.label.as_str(), |l| l.name.as_str()))
        .show_ui(ui, |ui| {
            for l in p.labels() {
                if ui.selectable_label(l.id == a.label, &l.name).clicked() {
                    out.push(Command::Retag(a.id, l.id.clone()));
                }
            }
        });
    ui.label(format!(
        "Offsets {}–{} ({} chars)",
        a.range.start(),
        a.range.end(),
        a.range.len()
    ));
    // An excerpt: a span may run for pages, and the view shows it whole.
    ui.label(
        RichText::new(format!(
            "“{}”",
            crate::ui::excerpt::ends(&a.anchor.quote, QUOTE_ENDS.0, QUOTE_ENDS.1)
        ))
        .italics(),
    );
    if let Some(r) = &a.review {
        let dark = ui.visuals().dark_mode;
        ui.colored_label(theme::warning(dark), format!("Needs review: {r}"));
        if ui.button(Command::MarkReviewed(a.id).label()).clicked() {
            out.push(Command::MarkReviewed(a.id));
        }
    }
    ui.weak(format!("{} · {}", a.id, by_line(a)));
    if let Some(c) = &a.conflict {
        let dark = ui.visuals().dark_mode;
        ui.colored_label(theme::warning(dark), format!("Merge conflict: {c}"));
    }
    if state.note_draft.as_ref().is_none_or(|(id, _)| *id != a.id) {
        state.note_draft = Some((a.id, a.note.clone().unwrap_or_default()));
    }
    if let Some((_, draft)) = &mut state.note_draft {
        let l = ui.label("Note:");
        let r = ui
            .add(
                egui::TextEdit::multiline(draft)
                    .desired_rows(3)
                    .hint_text("add a note"),
            )
            .labelled_by(l.id);
        let changed = draft.as_str() != a.note.as_deref().unwrap_or_default();
        let save = ui
            .add_enabled(changed, egui::Button::new("Save note"))
            .clicked();
        if changed && (save || r.lost_focus()) {
            out.push(Command::SetNote(a.id, draft.clone()));
        }
    }
    if ui.button(Command::Delete.label()).clicked() {
        out.push(Command::Delete);
    }
}
