//! The "Recover unsaved work" window, shown at start when ended sessions
//! (a crash, a kill) left unsaved changes in their journals.
//!
//! Invariant: it only reads the offers and pushes
//! [`Command::RestoreRecovery`] / [`Command::DiscardRecovery`]; nothing is
//! restored or discarded without the analyst's click.

use egui::{Context, RichText, Window};

use crate::io::recovery::Pending;
use crate::ui::command::Command;

/// Draws the window while there are offers.
pub fn show(ctx: &Context, offers: &[Pending], out: &mut Vec<Command>) {
    if offers.is_empty() {
        return;
    }
    Window::new("Recover unsaved work")
        .collapsible(false)
        .default_width(560.0)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 80.0])
        .show(ctx, |ui| {
            ui.label("Spanmark ended without saving these changes. They were kept for you:");
            for (i, offer) in offers.iter().enumerate() {
                ui.separator();
                ui.label(RichText::new(offer.offer()).strong());
                ui.label(RichText::new(offer.summary()).small());
                if offer.replayed.failed > 0 {
                    ui.label(format!(
                        "{} recorded change(s) could not be applied again and are left out.",
                        offer.replayed.failed
                    ));
                }
                ui.horizontal(|ui| {
                    for c in [Command::RestoreRecovery(i), Command::DiscardRecovery(i)] {
                        if ui.button(c.label()).clicked() {
                            out.push(c);
                        }
                    }
                });
            }
        });
}
