//! The "changed on disk" conflict window and the "Previous versions"
//! window.
//!
//! Invariant: both only read state and push commands; "Overwrite" needs a
//! second, explicitly worded click ("Overwrite their version").

use std::path::{Path, PathBuf};

use egui::{Context, RichText, Window};

use crate::io::backup;
use crate::io::lock::Holder;
use crate::ui::command::Command;
use crate::ui::workbench::LockedChoice;
use crate::ui::workbench::Safety;

/// The window shown when a save was refused because the file changed on disk.
pub fn conflict(ctx: &Context, s: &Safety, out: &mut Vec<Command>) {
    let Some(path) = &s.conflict else { return };
    Window::new("The project file changed on disk")
        .collapsible(false)
        .default_width(520.0)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 100.0])
        .show(ctx, |ui| {
            ui.label(format!(
                "Someone else saved this project since you opened it, so your changes were \
                 not written over theirs: {}",
                path.display()
            ));
            ui.horizontal(|ui| {
                for c in [
                    Command::SaveOursAsCopy,
                    Command::MergeWithDisk,
                    Command::OverwriteDisk,
                    Command::CancelConflict,
                ] {
                    if !(s.confirm_overwrite && c == Command::OverwriteDisk)
                        && ui.button(c.label()).clicked()
                    {
                        out.push(c);
                    }
                }
            });
            if s.confirm_overwrite {
                ui.label(
                    RichText::new(
                        "Overwrite replaces their version with yours. Theirs is kept in \
                         .spanmark-history, but their changes will not be in the project.",
                    )
                    .strong(),
                );
                if ui.button("Overwrite their version").clicked() {
                    out.push(Command::OverwriteDisk);
                }
            }
        });
}

/// The question shown when the project to open is open elsewhere.
pub fn locked(ctx: &Context, locked: Option<&(PathBuf, Holder)>, out: &mut Vec<Command>) {
    let Some((path, holder)) = locked else { return };
    Window::new("This project is open elsewhere")
        .collapsible(false)
        .default_width(520.0)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 100.0])
        .show(ctx, |ui| {
            ui.label(format!(
                "{} has this project open. Two people saving the same file lose each                  other's work: {}",
                holder.describe(),
                path.display()
            ));
            ui.label(
                "Open it read-only to look, open a copy to work on, or take it over if you                  are sure they are no longer working on it.",
            );
            ui.horizontal(|ui| {
                for choice in [
                    LockedChoice::ReadOnly,
                    LockedChoice::Copy,
                    LockedChoice::TakeOver,
                    LockedChoice::Cancel,
                ] {
                    let c = Command::OpenLocked(choice);
                    if ui.button(c.label()).clicked() {
                        out.push(c);
                    }
                }
            });
        });
}

/// The previous versions of `project`, newest first, each with an Open
/// button. Returns false when the window was closed.
pub fn versions(ctx: &Context, project: Option<&Path>, out: &mut Vec<Command>) -> bool {
    let mut open = true;
    Window::new("Previous versions")
        .open(&mut open)
        .default_width(480.0)
        .show(ctx, |ui| {
            let Some(project) = project else {
                ui.label("This project has not been saved yet.");
                return;
            };
            let all = backup::list(project);
            if all.is_empty() {
                ui.label("No previous versions are kept yet: one is kept at each save (at most one per 10 minutes).");
            }
            ui.label("A previous version opens as a copy beside the project; the project itself is not changed.");
            egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                for b in all.iter().rev() {
                    let when = backup::time_of_backup(project, b).map_or_else(
                        || "unknown time".to_owned(),
                        |t| {
                            crate::io::project_file::timestamp::format(t)
                                .replace('T', " ")
                                .replace('Z', " UTC")
                        },
                    );
                    let size = backup::size_of(b);
                    ui.horizontal(|ui| {
                        ui.label(format!("{when} — {size} bytes"));
                        if ui
                            .button("Open")
                            .on_hover_text(b.display().to_string())
                            .clicked()
                        {
                            out.push(Command::OpenPreviousVersion(b.clone()));
                        }
                    });
                }
            });
        });
    open
}
