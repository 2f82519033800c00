//! The label manager: add, rename, recolour, re-key and remove labels.
//!
//! Invariants: every change is pushed as a command (one undo step each);
//! colours come from a fixed palette so a colour change is one step, not a
//! drag of many; removing a label in use requires choosing where its
//! annotations go.

use egui::{Button, Context, RichText, Window};

use crate::model::{LabelProps, Rgb};
use crate::ui::command::Command;
use crate::ui::theme;
use crate::ui::workbench::Workbench;

/// Hotkeys offered for labels.
const HOTKEYS: &str = "1234567890abcdefghijklmnopqrstuvwxyz";

/// Draws the window while it is open.
pub fn show(ctx: &Context, wb: &mut Workbench, out: &mut Vec<Command>) {
    let Some(ws) = &wb.ws else { return };
    let p = &ws.project;
    let state = &mut wb.ui;
    let mut open = true;
    Window::new("Manage labels")
        .open(&mut open)
        .default_width(520.0)
        .show(ctx, |ui| {
            egui::Grid::new("labels_grid").striped(true).show(ui, |ui| {
                for l in p.labels() {
                    let props = LabelProps::of(l);
                    ui.colored_label(theme::label_solid(l.color), "■");
                    let mut done = false;
                    match &mut state.renaming {
                        Some((id, draft)) if id == &l.id => {
                            ui.horizontal(|ui| {
                                let r =
                                    ui.add(egui::TextEdit::singleline(draft).desired_width(110.0));
                                let r = r.on_hover_text(format!("New name for {}", l.name));
                                let enter =
                                    r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                                if (ui.button("Apply").clicked() || enter)
                                    && !draft.trim().is_empty()
                                {
                                    let name = draft.trim().to_owned();
                                    out.push(Command::EditLabel(
                                        l.id.clone(),
                                        LabelProps {
                                            name,
                                            ..props.clone()
                                        },
                                    ));
                                    done = true;
                                }
                            });
                        }
                        _ => {
                            if ui
                                .button(&l.name)
                                .on_hover_text(format!("Rename {}", l.name))
                                .clicked()
                            {
                                state.renaming = Some((l.id.clone(), l.name.clone()));
                            }
                        }
                    }
                    if done {
                        state.renaming = None;
                    }
                    ui.horizontal(|ui| {
                        for c in crate::ui::workbench::PALETTE {
                            let chip =
                                Button::new(RichText::new("■").color(theme::label_solid(Rgb(c))))
                                    .selected(l.color.0 == c);
                            let hint = format!("Colour {} for {}", Rgb(c).to_hex(), l.name);
                            let r = ui.add(chip);
                            let name = hint.clone();
                            // The chip's accessible name says what it does, not "■".
                            r.widget_info(|| {
                                egui::WidgetInfo::selected(
                                    egui::Role::Button,
                                    true,
                                    l.color.0 == c,
                                    name.clone(),
                                )
                            });
                            if r.on_hover_text(hint).clicked() && l.color.0 != c {
                                out.push(Command::EditLabel(
                                    l.id.clone(),
                                    LabelProps {
                                        color: Rgb(c),
                                        ..props.clone()
                                    },
                                ));
                            }
                        }
                    });
                    let key = l.hotkey.map_or("none".to_owned(), |k| k.to_string());
                    let key_combo = egui::ComboBox::from_id_salt(("hotkey", &l.id))
                        .selected_text(key)
                        .show_ui(ui, |ui| {
                            let taken = |k: char| {
                                p.labels()
                                    .iter()
                                    .any(|o| o.id != l.id && o.hotkey == Some(k))
                            };
                            if ui.selectable_label(l.hotkey.is_none(), "none").clicked() {
                                out.push(Command::EditLabel(
                                    l.id.clone(),
                                    LabelProps {
                                        hotkey: None,
                                        ..props.clone()
                                    },
                                ));
                            }
                            for k in HOTKEYS.chars().filter(|&k| !taken(k)) {
                                if ui
                                    .selectable_label(l.hotkey == Some(k), k.to_string())
                                    .clicked()
                                {
                                    out.push(Command::EditLabel(
                                        l.id.clone(),
                                        LabelProps {
                                            hotkey: Some(k),
                                            ..props.clone()
                                        },
                                    ));
                                }
                            }
                        });
                    let key_name = format!("Hotkey for {}", l.name);
                    key_combo.response.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::ComboBox, true, key_name.clone())
                    });
                    let uses = p.label_use_count(&l.id);
                    ui.label(format!("{uses} uses"));
                    if ui.button(format!("Remove {}", l.name)).clicked() {
                        if uses == 0 {
                            out.push(Command::RemoveLabel {
                                label: l.id.clone(),
                                reassign_to: None,
                            });
                        } else {
                            state.removing = Some((l.id.clone(), None));
                        }
                    }
                    ui.end_row();
                }
            });
            let mut keep = false;
            if let Some((from, to)) = &mut state.removing {
                ui.separator();
                let from_name = p
                    .label(from)
                    .map_or(from.as_str(), |l| l.name.as_str())
                    .to_owned();
                ui.label(format!("“{from_name}” is in use. Move its annotations to:"));
                let shown = to
                    .as_ref()
                    .and_then(|t| p.label(t))
                    .map_or("choose…", |l| l.name.as_str());
                egui::ComboBox::from_label("Move to")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        for l in p.labels().iter().filter(|l| &l.id != from) {
                            ui.selectable_value(to, Some(l.id.clone()), &l.name);
                        }
                    });
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(to.is_some(), Button::new("Move and remove"))
                        .clicked()
                    {
                        out.push(Command::RemoveLabel {
                            label: from.clone(),
                            reassign_to: to.clone(),
                        });
                    }
                    keep = ui.button("Keep label").clicked();
                });
            }
            if keep {
                state.removing = None;
            }
            ui.separator();
            ui.horizontal(|ui| {
                let l = ui.label("New label:");
                ui.add(egui::TextEdit::singleline(&mut state.new_label).desired_width(160.0))
                    .labelled_by(l.id);
                if ui
                    .add_enabled(!state.new_label.trim().is_empty(), Button::new("Add label"))
                    .clicked()
                {
                    out.push(Command::AddLabel(state.new_label.clone()));
                }
            });
        });
    wb.ui.labels_open = open;
}
