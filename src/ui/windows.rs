//! Secondary windows: the unsaved-changes prompt, the in-app path field,
//! the problems list and the welcome screen.
//!
//! Invariant: these windows push commands; only the path field and the
//! label manager's drafts are edited in place.

use egui::{Context, Modal, Ui, Window};

use crate::ui::command::{Answer, Command};
use crate::ui::dialogs::Purpose;
use crate::ui::labels_window;
use crate::ui::workbench::{Prefs, Workbench};

/// Shows whichever secondary windows are open.
pub fn show(ctx: &Context, wb: &mut Workbench, out: &mut Vec<Command>) {
    if wb.prompt.is_some() {
        unsaved_prompt(ctx, wb, out);
    }
    if wb.path_prompt.is_some() {
        path_prompt(ctx, wb, out);
    }
    if wb.ui.problems_open {
        problems(ctx, wb, out);
    }
    if wb.sharing.offer.is_some() {
        locate_offer(ctx, wb, out);
    }
    if wb.ui.shortcuts_open {
        shortcuts(ctx, wb);
    }
    if wb.ui.labels_open {
        labels_window::show(ctx, wb, out);
    }
    if wb.ui.author_prompt.is_some() {
        author_prompt(ctx, wb, out);
    }
}

/// The first-start question: the analyst's name, recorded as the author of
/// their annotations (prefilled; Enter, OK or Escape keep what is shown).
fn author_prompt(ctx: &Context, wb: &mut Workbench, out: &mut Vec<Command>) {
    let Some(draft) = &mut wb.ui.author_prompt else {
        return;
    };
    Modal::new(egui::Id::unique("author_prompt")).show(ctx, |ui| {
        ui.heading("Welcome to Spanmark");
        let l = ui.label("Your name (recorded as the author of your annotations):");
        let r = ui
            .add(egui::TextEdit::singleline(draft).desired_width(320.0))
            .labelled_by(l.id);
        // Focus the field once, when the prompt first shows.
        let asked = egui::Id::unique("author_prompt_focused");
        if !ui
            .ctx()
            .data_mut(|d| d.get_temp::<bool>(asked).unwrap_or(false))
        {
            ui.ctx().data_mut(|d| d.insert_temp(asked, true));
            r.request_focus();
        }
        ui.weak("You can change it later in the Annotator field of the label bar.");
        let keys =
            ui.input(|i| i.key_pressed(egui::Key::Enter) || i.key_pressed(egui::Key::Escape));
        if ui
            .button(Command::SetAuthor(String::new()).label())
            .clicked()
            || keys
        {
            out.push(Command::SetAuthor(draft.clone()));
        }
    });
}

fn unsaved_prompt(ctx: &Context, wb: &Workbench, out: &mut Vec<Command>) {
    let name = wb.ws.as_ref().map_or("", |w| w.project.name.as_str());
    Modal::new(egui::Id::unique("unsaved_prompt")).show(ctx, |ui| {
        ui.heading("Save changes?");
        ui.label(format!("Save the changes to “{name}” before going on?"));
        ui.horizontal(|ui| {
            for a in [Answer::Save, Answer::Discard, Answer::Cancel] {
                if ui.button(Command::Answer(a).label()).clicked() {
                    out.push(Command::Answer(a));
                }
            }
        });
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            out.push(Command::Answer(Answer::Cancel));
        }
    });
}

fn path_prompt(ctx: &Context, wb: &mut Workbench, out: &mut Vec<Command>) {
    let Some(p) = &mut wb.path_prompt else { return };
    let title = match p.purpose {
        Purpose::OpenProject => "Open project",
        Purpose::SaveProject => "Save project as",
        Purpose::AddSources => "Add document",
        Purpose::ExportTo => "Export to",
        Purpose::ImportFrom => "Import annotations from",
        Purpose::MergeProject => "Merge project",
        Purpose::SaveSingleFile => "Save as single file",
        Purpose::ExtractTo => "Extract sources into folder",
        Purpose::LocateSource => "Locate file",
    };
    Window::new(title)
        .collapsible(false)
        .default_width(480.0)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 120.0])
        .show(ctx, |ui| {
            ui.label("No file dialog is available here. Type the full path of the file:");
            let l = ui.label("Path:");
            let r = ui
                .add(egui::TextEdit::singleline(&mut p.text).desired_width(420.0))
                .labelled_by(l.id);
            if std::mem::take(&mut p.focus) {
                r.request_focus();
            }
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                if ui.button(Command::SubmitPath.label()).clicked() || enter {
                    out.push(Command::SubmitPath);
                }
                if ui.button(Command::CancelPath.label()).clicked() {
                    out.push(Command::CancelPath);
                }
            });
        });
}

fn problems(ctx: &Context, wb: &mut Workbench, out: &mut Vec<Command>) {
    let Some(ws) = &wb.ws else { return };
    let mut open = true;
    Window::new("Problems")
        .open(&mut open)
        .default_width(520.0)
        .show(ctx, |ui| {
            if ws.problems.is_empty() {
                ui.label("Nothing was found wrong when this project was opened.");
            }
            if let Some(r) = &ws.read_only {
                ui.label(format!(
                    "This project is read-only: {r}. Use Save As to keep changes."
                ));
            }
            // One line per problem, drawn only where visible: opening a
            // project whose big source is missing lists one problem per
            // annotation (100k rows took seconds a frame unvirtualized).
            let row = ui.spacing().interact_size.y;
            egui::ScrollArea::vertical()
                .max_height(360.0)
                .auto_shrink([false, true])
                .show_rows(ui, row, ws.problems.len(), |ui, rows| {
                    for p in ws.problems.get(rows).unwrap_or_default() {
                        ui.horizontal(|ui| problem_row(ui, ws, p, out));
                    }
                });
        });
    wb.ui.problems_open = open;
}

/// One problem on one line: its action button first (*Show #id*, *Locate
/// file…*), then its text, cut to the window's width (whole on hover).
fn problem_row(
    ui: &mut Ui,
    ws: &crate::io::Workspace,
    p: &crate::io::Problem,
    out: &mut Vec<Command>,
) {
    if let crate::io::Problem::Annotation { id, .. } = p
        && ui.small_button(format!("Show {id}")).clicked()
    {
        out.push(Command::SelectAnnotation(*id));
    }
    if let crate::io::Problem::Source { name, path, .. } = p
        && let Some(d) = ws
            .project
            .documents()
            .iter()
            .find(|d| &d.name == name && &d.path == path && ws.text(d.id).is_none())
    {
        let c = Command::LocateSource(d.id);
        if ui.small_button(c.label()).clicked() {
            out.push(c);
        }
    }
    let text = p.to_string();
    ui.add(egui::Label::new(format!("• {text}")).truncate())
        .on_hover_text(text);
}

/// A located file whose bytes differ from the recorded ones: use it anyway?
fn locate_offer(ctx: &Context, wb: &Workbench, out: &mut Vec<Command>) {
    let Some(c) = &wb.sharing.offer else { return };
    let name = wb
        .ws
        .as_ref()
        .and_then(|w| w.project.document(c.doc))
        .map_or_else(String::new, |d| d.name.clone());
    Modal::new(egui::Id::unique("locate_offer")).show(ctx, |ui| {
        ui.heading("Not the same text");
        ui.label(format!(
            "This file is not the text “{name}” was annotated on: its contents differ \
             (the SHA-256 does not match). If you use it anyway, every annotation is placed \
             again in it; the ones that moved or could not be placed are flagged for review, \
             none is removed."
        ));
        ui.label(c.file.display().to_string());
        ui.horizontal(|ui| {
            for cmd in [Command::UseLocatedAnyway, Command::CancelLocate] {
                if ui.button(cmd.label()).clicked() {
                    out.push(cmd);
                }
            }
        });
    });
}

/// Every command with a fixed shortcut, read from the command table, plus
/// the label hotkeys of the open project.
fn shortcuts(ctx: &Context, wb: &mut Workbench) {
    let mut open = true;
    Window::new("Keyboard shortcuts")
        .open(&mut open)
        .show(ctx, |ui| {
            egui::Grid::new("shortcut_grid")
                .striped(true)
                .show(ui, |ui| {
                    for c in crate::ui::command::KEYED {
                        let keys = [c.shortcut(), c.alternate_shortcut()]
                            .into_iter()
                            .flatten()
                            .map(|s| ctx.format_shortcut(&s))
                            .collect::<Vec<_>>()
                            .join(" or ");
                        ui.label(keys);
                        ui.label(c.label());
                        ui.end_row();
                    }
                    if let Some(ws) = &wb.ws {
                        for l in ws.project.labels() {
                            if let Some(k) = l.hotkey {
                                ui.label(k.to_string());
                                ui.label(format!(
                                    "Tag selection as {} (or retag the selected annotation)",
                                    l.name
                                ));
                                ui.end_row();
                            }
                        }
                    }
                    ui.label("Enter");
                    ui.label("Re-place here (while re-placing an annotation in the review panel)");
                    ui.end_row();
                    ui.label("Double-click");
                    ui.label("Select a word");
                    ui.end_row();
                    ui.label("Shift+click");
                    ui.label("Extend the selection");
                    ui.end_row();
                    ui.label("Click a highlight");
                    ui.label("Select it (click again to cycle through overlaps)");
                    ui.end_row();
                });
        });
    wb.ui.shortcuts_open = open;
}

/// What the central area shows when no project is open.
pub fn welcome(ui: &mut Ui, prefs: &Prefs, out: &mut Vec<Command>) {
    ui.vertical_centered(|ui| {
        ui.add_space(60.0);
        ui.heading("Spanmark");
        ui.label("Highlight spans in source documents, tag them, save diffable projects.");
        ui.add_space(16.0);
        for c in [Command::OpenProject, Command::NewProject] {
            if ui.button(c.label()).clicked() {
                out.push(c);
            }
        }
        if !prefs.recent.is_empty() {
            ui.add_space(16.0);
            ui.label("Recent projects:");
            for p in &prefs.recent {
                if ui.link(p.display().to_string()).clicked() {
                    out.push(Command::OpenPath(p.clone()));
                }
            }
        }
    });
}

/// What the central area shows while a project is being opened on a
/// worker thread: which file, how long so far, and a way to stop.
pub fn opening(
    ui: &mut Ui,
    path: &std::path::Path,
    job: &crate::ui::workbench::Job,
    out: &mut Vec<Command>,
) {
    ui.vertical_centered(|ui| {
        ui.add_space(60.0);
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        ui.heading(format!("Opening {name}…"));
        #[allow(clippy::cast_precision_loss)]
        let mb = job.bytes as f64 / (1024.0 * 1024.0);
        ui.label(format!("{mb:.1} MB project file"));
        // A fraction while annotations are placed again, else activity and time.
        crate::ui::bars::job_bar(ui, job, 360.0);
        ui.label(
            job.progress
                .phase_name()
                .unwrap_or("Reading the project, its sources, and checking every annotation."),
        );
        if ui.button(Command::CancelOpen.label()).clicked() {
            out.push(Command::CancelOpen);
        }
    });
}
