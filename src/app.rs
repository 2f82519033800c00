//! The window: eframe glue around [`Workbench`]. The only module (besides
//! `main.rs` via the CLI) that knows eframe.
//!
//! Invariants: eframe's storage holds preferences only ([`Prefs`]), never
//! project data; fonts are installed once at start-up through
//! [`crate::ui::fonts::setup_fonts`].

use std::path::PathBuf;

use crate::ui::dialogs::NativeDialogs;
use crate::ui::{Prefs, Workbench};

/// Key of the preferences in eframe's storage.
const PREFS_KEY: &str = "spanmark.prefs";

/// The eframe application.
pub struct App {
    /// Everything shown.
    pub workbench: Workbench,
}

impl App {
    /// Builds the app from eframe's creation context, opening `paths`.
    #[must_use]
    pub fn new(cc: &eframe::CreationContext<'_>, paths: &[PathBuf]) -> Self {
        crate::ui::fonts::setup_fonts(&cc.egui_ctx);
        let prefs: Prefs = cc
            .storage
            .and_then(|s| eframe::get_value(s, PREFS_KEY))
            .unwrap_or_default();
        let mut workbench = Workbench::new(Box::new(NativeDialogs::default()), prefs);
        workbench.recovery.data_dir = crate::io::journal::data_dir();
        workbench.offer_recovery();
        workbench.ask_author_once();
        workbench.open_paths(paths);
        Self { workbench }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let confirmed = self.workbench.prefs.author_confirmed;
        self.workbench.show(ui);
        if !confirmed
            && self.workbench.prefs.author_confirmed
            && let Some(storage) = frame.storage_mut()
        {
            // The name was just given: keep it now (eframe saves otherwise
            // only every 30 s and on exit), so a crash never asks again.
            eframe::set_value(storage, PREFS_KEY, &self.workbench.prefs);
            storage.flush();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.workbench.prefs);
    }
}

/// Opens the window and runs until it is closed.
///
/// # Errors
/// When no window can be created (no display, no OpenGL).
pub fn run(paths: &[PathBuf]) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Spanmark")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0]),
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    let paths = paths.to_vec();
    eframe::run_native(
        "Spanmark",
        options,
        Box::new(move |cc| Ok(Box::new(App::new(cc, &paths)))),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}
