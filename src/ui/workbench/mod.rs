//! The workbench: everything the window shows, and the one place commands
//! are executed.
//!
//! Invariants: drawing code only reads state (plus its own drafts and the
//! view's selection) and pushes [`Command`]s; [`Workbench::show`] executes
//! them once, after drawing. Every project change goes through
//! [`History::apply`] so undo sees it. The workbench knows egui but not
//! eframe: the window glue lives in `crate::app`.

mod agreement;
mod applied;
mod execute;
mod files;
mod job_kind;
mod jobs;
mod merging;
mod recovery;
mod review;
mod safety;
mod sharing;
mod steps;
mod transfer;

use std::path::PathBuf;

use egui::{Context, Key, Modifiers, Ui, ViewportCommand};
use serde::{Deserialize, Serialize};

use crate::io::Workspace;
use crate::model::{AnnotationId, History};
use crate::ui::command::{self, Command};
use crate::ui::dialogs::{Dialogs, Purpose};
use crate::ui::document_view::DocumentView;
use crate::ui::{bars, panels, windows};

pub use agreement::{AgreementView, DisagreementRow};
pub use execute::PALETTE;
pub use files::After;
pub use job_kind::JobKind;
pub use jobs::Job;
pub use merging::Merging;
pub use recovery::Recovery;
pub use safety::{LockedChoice, Safety};
pub use sharing::Sharing;
pub use steps::BIG_STEP;

/// Preferences kept between runs (never project data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// UI zoom factor.
    pub zoom: f32,
    /// Dark theme.
    pub dark: bool,
    /// Snap selections to whole words.
    pub word_snap: bool,
    /// Recently opened project files, newest first.
    pub recent: Vec<PathBuf>,
    /// Name recorded as the author of new annotations.
    pub author: String,
    /// The analyst confirmed `author` (the first-start prompt was answered):
    /// the name is not asked again. Old preferences load as `false`.
    pub author_confirmed: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            zoom: 1.0,
            dark: false,
            word_snap: true,
            recent: Vec::new(),
            author: std::env::var("USER").unwrap_or_else(|_| "analyst".to_owned()),
            author_confirmed: false,
        }
    }
}

/// A line for the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// What happened.
    pub text: String,
    /// True for failures.
    pub error: bool,
}

/// An in-app path field shown when native dialogs are unavailable.
#[derive(Clone, Debug, PartialEq)]
pub struct PathPrompt {
    /// What the path is for.
    pub purpose: Purpose,
    /// The path typed so far.
    pub text: String,
    /// What to do after a successful save.
    pub then: Option<After>,
    /// Focus the field on the next frame.
    pub focus: bool,
}

/// Drafts and open/closed flags of the secondary windows and panels.
#[derive(Clone, Debug, Default)]
pub struct UiState {
    /// Label manager shown.
    pub labels_open: bool,
    /// Name typed for a new label.
    pub new_label: String,
    /// Label being removed and where its annotations go.
    pub removing: Option<(crate::model::LabelId, Option<crate::model::LabelId>)>,
    /// Label being renamed and the name typed so far.
    pub renaming: Option<(crate::model::LabelId, String)>,
    /// Keyboard shortcut list shown.
    pub shortcuts_open: bool,
    /// Problems window shown.
    pub problems_open: bool,
    /// Annotation list filter: label id (`None` = all).
    pub filter_label: Option<crate::model::LabelId>,
    /// Annotation list filter: text.
    pub filter_text: String,
    /// Annotation list filter: author (`None` = all).
    pub filter_author: Option<String>,
    /// Annotation list: a coloured chip per author on each row.
    pub color_by_author: bool,
    /// The first-start name prompt, with the name typed so far.
    pub author_prompt: Option<String>,
    /// Note being edited: annotation and text.
    pub note_draft: Option<(AnnotationId, String)>,
    /// Rows of the annotation list, kept between frames.
    pub list: crate::ui::annotation_list::AnnotationList,
    /// Texts of the annotation list's rows, kept for one revision.
    pub row_texts: crate::ui::annotation_list::RowTexts,
}

/// The whole workbench state.
pub struct Workbench {
    /// The open project, if any.
    pub ws: Option<Workspace>,
    /// Undo history of the open project.
    pub history: History,
    /// The document shown.
    pub view: Option<DocumentView>,
    /// The selected annotation.
    pub selected: Option<AnnotationId>,
    /// Preferences.
    pub prefs: Prefs,
    /// Last status message.
    pub message: Option<Message>,
    /// The unsaved-changes prompt, with what to do after it.
    pub prompt: Option<After>,
    /// The in-app path field, when a dialog is unavailable.
    pub path_prompt: Option<PathPrompt>,
    /// Window and panel drafts.
    pub ui: UiState,
    /// Export and import windows, and a running export.
    pub transfer: crate::ui::transfer::Transfer,
    /// Crash recovery: the data directory, this session's journal, and
    /// what ended sessions left.
    pub recovery: Recovery,
    /// Conflicts on disk and the previous-versions window.
    pub safety: Safety,
    /// The merge report and agreement windows.
    pub merging: Merging,
    /// The review panel (changed sources, merge conflicts).
    pub review: crate::ui::review::ReviewState,
    /// Changes whenever another workspace is shown (keys cached rows).
    pub generation: u64,
    /// The open or save running on a worker thread.
    pub job: Option<Job>,
    /// "Locate file…" in progress.
    pub sharing: Sharing,
    /// Run opens and saves on worker threads (on by default; tests may
    /// turn it off to have them finish inside the command).
    pub background_jobs: bool,
    close_after_job: bool,
    /// The context of the last frame, for workers that warm its font
    /// atlas (`ui::warm`); set by [`Self::show`].
    egui_ctx: Option<Context>,
    dialogs: Box<dyn Dialogs>,
    queue: Vec<Command>,
    /// Set when the window may close now.
    pub quit: bool,
    close_sent: bool,
    title: String,
}

impl Workbench {
    /// An empty workbench using `dialogs` for file choices.
    #[must_use]
    pub fn new(dialogs: Box<dyn Dialogs>, prefs: Prefs) -> Self {
        Self {
            ws: None,
            history: History::new_saved(),
            view: None,
            selected: None,
            prefs,
            message: None,
            prompt: None,
            path_prompt: None,
            ui: UiState::default(),
            transfer: crate::ui::transfer::Transfer::default(),
            recovery: Recovery::default(),
            safety: Safety::default(),
            merging: Merging::default(),
            review: crate::ui::review::ReviewState::default(),
            generation: 0,
            job: None,
            sharing: Sharing::default(),
            background_jobs: true,
            close_after_job: false,
            egui_ctx: None,
            dialogs,
            queue: Vec::new(),
            quit: false,
            close_sent: false,
            title: String::new(),
        }
    }

    /// Queues a command for the end of this frame.
    pub fn push(&mut self, c: Command) {
        self.queue.push(c);
    }

    /// True when the project has unsaved changes.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.ws.is_some() && self.history.is_dirty()
    }

    /// The window title: project name and unsaved marker.
    #[must_use]
    pub fn title(&self) -> String {
        match &self.ws {
            None => "Spanmark".to_owned(),
            Some(ws) => {
                let mark = if self.is_dirty() { "● " } else { "" };
                format!("{mark}{} — Spanmark", ws.project.name)
            }
        }
    }

    /// Draws one frame, then executes the commands it produced.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if self.egui_ctx.is_none() {
            self.egui_ctx = Some(ctx.clone());
        }
        self.apply_prefs(&ctx);
        self.review_auto_open();
        let mut out = std::mem::take(&mut self.queue);
        let modal = self.prompt.is_some() || self.ui.author_prompt.is_some();
        if !modal && self.path_prompt.is_none() {
            command::read_shortcuts(&ctx, &mut out);
            crate::ui::review_panel::read_keys(&ctx, &self.review, &mut out);
            self.read_label_keys(&ctx, &mut out);
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            out.push(Command::DropFiles(dropped));
        }
        if ctx.input(|i| i.viewport().close_requested()) && !self.quit {
            if self.job.is_some() {
                // Never cut a save short: close when the job is done.
                ctx.send_viewport_cmd(ViewportCommand::CancelClose);
                self.close_after_job = true;
            } else if self.is_dirty() {
                ctx.send_viewport_cmd(ViewportCommand::CancelClose);
                self.prompt = Some(After::Quit);
            } else {
                self.quit = true;
            }
        }
        bars::menu_bar(ui, self, &mut out);
        bars::label_bar(ui, self.ws.as_ref(), &mut self.prefs, &mut out);
        bars::status_bar(ui, self, &mut out);
        panels::documents_panel(ui, self, &mut out);
        panels::annotations_panel(ui, self, &mut out);
        // Under the document, between the side panels (which keep their height).
        crate::ui::review_panel::show(ui, self, &mut out);
        egui::CentralPanel::default().show(ui, |ui| self.central(ui, &mut out));
        windows::show(&ctx, self, &mut out);
        crate::ui::transfer::export_window(&ctx, &mut self.transfer, &mut out);
        crate::ui::transfer::import_window(&ctx, &mut self.transfer, &mut out);
        crate::ui::recovery_window::show(&ctx, &self.recovery.offers, &mut out);
        crate::ui::safety_windows::conflict(&ctx, &self.safety, &mut out);
        crate::ui::merge_windows::merge_report(&ctx, self.merging.report.as_ref(), &mut out);
        crate::ui::merge_windows::agreement(&ctx, self.merging.agreement.as_ref(), &mut out);
        crate::ui::safety_windows::locked(&ctx, self.safety.locked.as_ref(), &mut out);
        if self.safety.versions_open {
            let path = self.ws.as_ref().and_then(|w| w.path.clone());
            let open = crate::ui::safety_windows::versions(&ctx, path.as_deref(), &mut out);
            self.safety.versions_open = open;
        }
        let checking_disk = self.check_disk_on_focus(ctx.input(|i| i.focused));
        self.poll_export();
        self.poll_job();
        if self.job.is_some() || checking_disk {
            // Keep polling (and animating the progress) until it is done.
            ctx.request_repaint_after(std::time::Duration::from_millis(30));
        }
        if !out.is_empty() {
            // State changed after drawing: draw again so it shows.
            ctx.request_repaint();
        }
        for c in out {
            self.execute(c);
        }
        // Edits made outside commands (opening text files) are journaled too.
        self.journal_sync();
        self.lock_sync();
        if self.quit && !self.close_sent {
            self.close_sent = true;
            ctx.send_viewport_cmd(ViewportCommand::Close);
        }
        let title = self.title();
        if title != self.title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    fn apply_prefs(&self, ctx: &Context) {
        if ctx.options(|o| o.zoom_with_keyboard) {
            // Zoom keys are our commands (and persisted in prefs), not egui's.
            ctx.options_mut(|o| o.zoom_with_keyboard = false);
        }
        if (ctx.zoom_factor() - self.prefs.zoom).abs() > 0.001 {
            ctx.set_zoom_factor(self.prefs.zoom);
        }
        let theme = if self.prefs.dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        };
        if ctx.theme() != theme {
            ctx.set_theme(theme);
        }
    }

    /// Label hotkeys (1, 2, 3…) tag the selection or retag the selected annotation.
    fn read_label_keys(&self, ctx: &Context, out: &mut Vec<Command>) {
        let Some(ws) = &self.ws else { return };
        if ctx.text_edit_focused() {
            return;
        }
        for label in ws.project.labels() {
            let Some(key) = label.hotkey.and_then(|c| Key::from_name(&c.to_string())) else {
                continue;
            };
            if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, key)) {
                out.push(Command::Tag(label.id.clone()));
            }
        }
    }

    fn central(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        if let Some(job) = &self.job
            && let JobKind::Open(path) = &job.kind
        {
            windows::opening(ui, path, job, out);
            return;
        }
        let Some(ws) = &self.ws else {
            windows::welcome(ui, &self.prefs, out);
            return;
        };
        let Some(view) = &mut self.view else {
            ui.label("Choose a document on the left, or add documents from the Project menu.");
            return;
        };
        let input = crate::ui::document_view::ViewInput {
            project: &ws.project,
            selected: self.selected,
            word_snap: self.prefs.word_snap,
            dark: self.prefs.dark,
        };
        view.ui(ui, &input, out);
    }

    fn say(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    fn fail(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }
}
