//! Executing commands: the only code that changes the project.
//!
//! Invariants: every project change is one [`History::apply`] call with a
//! name the Edit menu shows ("Undo Tag as claim"), refused while an undo or
//! redo runs on a worker (`steps.rs`, which also drops a selection whose
//! annotation is gone after either); failures become status messages,
//! never panics.

use crate::io::project_file::timestamp;
use crate::model::tagging::{self, Actor};
use crate::model::{AnnotationId, CharRange, Edit, Label, LabelId, Rgb};
use crate::ui::command::{Command, Nudge};
use crate::ui::workbench::{After, Workbench};

/// Colours offered for new labels, in order.
pub const PALETTE: [[u8; 3]; 8] = [
    [0xf2, 0x8e, 0x2b],
    [0x4e, 0x79, 0xa7],
    [0xe1, 0x57, 0x59],
    [0x59, 0xa1, 0x4f],
    [0xb0, 0x7a, 0xa1],
    [0x76, 0xb7, 0xb2],
    [0xed, 0xc9, 0x48],
    [0x9c, 0x75, 0x5f],
];

impl Workbench {
    /// Executes one command (the workbench calls this after drawing; tests
    /// may too), then journals the edits it applied for crash recovery.
    pub fn execute(&mut self, c: Command) {
        self.run(c);
        self.journal_sync();
        self.lock_sync();
    }

    fn run(&mut self, c: Command) {
        match c {
            Command::NewProject => self.guard(After::New),
            Command::OpenProject => self.guard(After::OpenDialog),
            Command::OpenPath(p) => self.guard(After::Open(p)),
            Command::DropFiles(paths) => self.drop_files(paths),
            Command::CloseProject => self.guard(After::Close),
            Command::Quit => self.guard(After::Quit),
            Command::Answer(a) => self.answer(a),
            Command::SubmitPath => self.submit_path(),
            Command::CancelPath => self.path_prompt = None,
            Command::Save => self.save(false, None),
            Command::SaveAs => self.save(true, None),
            Command::SaveSingleFile => self.save_single_file(),
            Command::ExtractSources => self.extract_sources(),
            Command::LocateSource(doc) => self.locate_source(doc),
            Command::UseLocatedAnyway => self.use_located_anyway(),
            Command::CancelLocate => self.sharing.offer = None,
            Command::AddSources => self.add_sources(),
            Command::Undo => self.undo(true),
            Command::Redo => self.undo(false),
            Command::Delete => {
                if let Some(id) = self.selected {
                    let next = self.review_next_if_current(id);
                    if self.apply("Delete annotation", Edit::RemoveAnnotation(id)) {
                        self.selected = None;
                        // Deleting the review panel's current row moves it on.
                        self.review_advance(id, next);
                    }
                }
            }
            Command::Find => {
                if let Some(v) = &mut self.view {
                    v.find.open = true;
                    v.find.focus = true;
                }
            }
            Command::FindNext | Command::FindPrev => self.step_find(c == Command::FindNext),
            Command::ZoomIn => self.prefs.zoom = (self.prefs.zoom + 0.1).min(3.0),
            Command::ZoomOut => self.prefs.zoom = (self.prefs.zoom - 0.1).max(0.5),
            Command::ZoomReset => self.prefs.zoom = 1.0,
            Command::ToggleTheme => self.prefs.dark = !self.prefs.dark,
            Command::ToggleWordSnap => self.prefs.word_snap = !self.prefs.word_snap,
            Command::ManageLabels => self.ui.labels_open = true,
            Command::ShowProblems => self.ui.problems_open = true,
            Command::OpenExport => self.open_export(),
            Command::OpenImport => self.transfer.import_open = true,
            Command::RunExport => self.start_export(),
            Command::CancelExport => self.cancel_export(),
            Command::CancelOpen => self.cancel_open(),
            Command::StopJob => self.stop_job(),
            Command::SaveExportReport => self.save_export_report(),
            Command::ChooseExportPath => self.choose_export_path(),
            Command::ChooseImportFile => self.choose_import_file(),
            Command::RunImport => self.run_import(),
            Command::ShowShortcuts => self.ui.shortcuts_open = true,
            Command::NextAnnotation => self.step_annotation(true),
            Command::PrevAnnotation => self.step_annotation(false),
            Command::ClearSelection => match &mut self.view {
                // Escape closes the find bar first (egui drops the field's focus on Escape).
                Some(v) if v.find.open => v.find.open = false,
                // While re-placing: the first Escape drops the selection, the next stops.
                Some(v) if self.review.replacing.is_some() && v.selection.is_none() => {
                    self.review.replacing = None;
                }
                Some(v) => {
                    v.selection = None;
                    self.selected = None;
                }
                None => self.selected = None,
            },
            Command::Deselect => {
                self.selected = None;
                if let Some(v) = &mut self.view {
                    v.selection = None;
                }
            }
            Command::Resize(n) => self.nudge(n, false),
            Command::ResizeByWord(n) => self.nudge(n, true),
            Command::Caret {
                forward,
                word,
                extend,
            } => {
                if let Some(v) = &mut self.view {
                    v.move_caret(forward, word, extend);
                }
            }
            Command::Tag(label) => self.tag(&label),
            Command::Retag(id, label) => self.retag(id, &label),
            Command::SelectAnnotation(id) => self.select_annotation(id),
            Command::OpenDocument(d) => {
                self.open_document(d);
                self.selected = None;
            }
            Command::SetNote(id, note) => {
                let note = (!note.trim().is_empty()).then_some(note);
                let at = timestamp::now();
                self.apply("Edit note", Edit::SetNote { id, note, at });
            }
            Command::MarkReviewed(id) => self.mark_reviewed(id),
            Command::SetStatus(doc, status) => {
                self.apply("Set status", Edit::SetStatus { doc, status });
            }
            Command::AddLabel(name) => self.add_label(&name),
            Command::EditLabel(id, props) => {
                self.apply(
                    &format!("Edit label {}", props.name),
                    Edit::EditLabel { id, props },
                );
            }
            Command::RemoveLabel { label, reassign_to } => self.remove_label(&label, reassign_to),
            Command::RestoreRecovery(i) => self.restore_recovery(i),
            Command::SaveOursAsCopy => self.save_ours_as_copy(),
            Command::MergeWithDisk => self.merge_with_disk(),
            Command::MergeProject => self.ask_merge(),
            Command::CloseMergeReport => self.merging.report = None,
            Command::ShowAgreement => self.show_agreement(),
            Command::CloseAgreement => self.merging.agreement = None,
            Command::ToggleAgreementAuthor(a) => self.toggle_agreement_author(&a),
            Command::OverwriteDisk => self.overwrite_disk(),
            Command::CancelConflict => {
                self.safety.conflict = None;
                self.safety.confirm_overwrite = false;
            }
            Command::OpenLocked(choice) => self.open_locked(choice),
            Command::ShowPreviousVersions => self.safety.versions_open = true,
            Command::OpenPreviousVersion(p) => self.open_previous_version(&p),
            Command::DiscardRecovery(i) => self.discard_recovery(i),
            Command::Review(action) => self.review(action),
            Command::SetAuthor(name) => self.set_author(&name),
        }
    }

    /// Applies an edit as one undoable step; reports failure in the status bar.
    pub(super) fn apply(&mut self, name: &str, edit: Edit) -> bool {
        if self.stepping() {
            self.fail("Wait until the undo or redo is done, then edit again.");
            return false;
        }
        let Some(ws) = &mut self.ws else { return false };
        let touched = crate::ui::annotation_list::touched(&ws.project, &edit);
        let from = self.history.revision();
        match self.history.apply(&mut ws.project, name, edit) {
            Ok(()) => {
                self.ui.list.edited(from, self.history.revision(), touched);
                true
            }
            Err(e) => {
                self.fail(format!("{name}: {e}"));
                false
            }
        }
    }

    /// Clears the review flag; after a fuzzy match or a changed quote the
    /// text now at the range becomes the stored quote (else the next open
    /// would flag it again).
    fn mark_reviewed(&mut self, id: AnnotationId) {
        let ws = self.ws.as_ref();
        let a = ws.and_then(|w| w.project.annotation(id));
        let recapture = a.filter(|a| {
            matches!(
                a.review,
                Some(
                    crate::model::Review::Fuzzy { .. } | crate::model::Review::QuoteMismatch { .. }
                )
            )
        });
        let anchor = recapture.and_then(|a| {
            let text = ws.and_then(|w| w.text(a.doc))?;
            Some((a.range, crate::model::Anchor::capture(text, a.range)?))
        });
        let edit = match anchor {
            Some((range, anchor)) => Edit::Resize {
                id,
                range,
                anchor,
                at: timestamp::now(),
            },
            None => Edit::SetReview { id, review: None },
        };
        self.apply("Mark as reviewed", edit);
    }

    fn actor(&self) -> Actor {
        Actor {
            author: self.prefs.author.as_str().into(),
            now: timestamp::now(),
        }
    }

    fn label_name(&self, id: &LabelId) -> String {
        self.ws
            .as_ref()
            .and_then(|w| w.project.label(id))
            .map_or_else(|| id.to_string(), |l| l.name.clone())
    }

    fn tag(&mut self, label: &LabelId) {
        let words = self.prefs.word_snap;
        let range = self.view.as_ref().and_then(|v| v.selected_range(words));
        match (range, self.selected) {
            (Some(range), _) => self.tag_range(range, label),
            (None, Some(id)) => self.retag(id, label),
            (None, None) => self.say("Select some text first, then press a label key."),
        }
    }

    fn tag_range(&mut self, range: CharRange, label: &LabelId) {
        let (Some(ws), Some(view)) = (&self.ws, &self.view) else {
            return;
        };
        let made = tagging::tag(
            &ws.project,
            view.text(),
            view.doc,
            range,
            label,
            &self.actor(),
        );
        match made {
            Ok(a) => {
                let id = a.id;
                let name = format!("Tag as {}", self.label_name(label));
                if self.apply(&name, Edit::AddAnnotation(Box::new(a))) {
                    self.selected = Some(id);
                    if let Some(v) = &mut self.view {
                        v.selection = None;
                    }
                }
            }
            Err(e) => self.fail(format!("Not tagged: {e}")),
        }
    }

    fn retag(&mut self, id: AnnotationId, label: &LabelId) {
        let same = self
            .ws
            .as_ref()
            .and_then(|w| w.project.annotation(id))
            .is_some_and(|a| &a.label == label);
        if same {
            return;
        }
        let name = format!("Retag as {}", self.label_name(label));
        let at = timestamp::now();
        self.apply(
            &name,
            Edit::Retag {
                id,
                label: label.clone(),
                at,
            },
        );
    }

    pub(super) fn select_annotation(&mut self, id: AnnotationId) {
        let Some(a) = self.ws.as_ref().and_then(|w| w.project.annotation(id)) else {
            return;
        };
        let (doc, start) = (a.doc, a.range.start().0);
        self.open_document(doc);
        self.selected = Some(id);
        if let Some(v) = &mut self.view {
            v.selection = None;
            v.reveal(start);
        }
    }

    fn step_annotation(&mut self, forward: bool) {
        let (Some(ws), Some(v)) = (&self.ws, &self.view) else {
            return;
        };
        // O(log n) from the selected annotation, wrapping at either end.
        if let Some(id) = ws.project.neighbour(v.doc, self.selected, forward) {
            self.select_annotation(id);
        }
    }

    fn step_find(&mut self, forward: bool) {
        let Some(v) = &mut self.view else { return };
        if let Some(m) = v.find.step(forward) {
            v.select(m);
            v.reveal(m.start().0);
            self.selected = None;
        }
    }

    fn nudge(&mut self, n: Nudge, by_word: bool) {
        let (Some(ws), Some(v), Some(id)) = (&self.ws, &self.view, self.selected) else {
            return;
        };
        let Some(a) = ws.project.annotation(id) else {
            return;
        };
        let t = v.text();
        let (s, e) = (a.range.start(), a.range.end());
        let (s, e) = if by_word {
            use crate::ui::document_view::selection::{next_word_end, prev_word_start};
            let c = crate::model::CharOffset;
            let (ns, ne) = match n {
                Nudge::ExtendEnd => (s, c(next_word_end(t, e.0))),
                Nudge::ShrinkEnd => (s, c(prev_word_start(t, e.0))),
                Nudge::ExtendStart => (c(prev_word_start(t, s.0)), e),
                Nudge::ShrinkStart => (c(next_word_end(t, s.0)), e),
            };
            // Word steps land on word edges; never keep the spaces between.
            let r = t.trim_whitespace(CharRange::new(ns.0.min(ne.0), ne.0));
            (r.start(), r.end())
        } else {
            match n {
                Nudge::ExtendEnd => (s, t.next_grapheme(e)),
                Nudge::ShrinkEnd => (s, t.prev_grapheme(e)),
                Nudge::ExtendStart => (t.prev_grapheme(s), e),
                Nudge::ShrinkStart => (t.next_grapheme(s), e),
            }
        };
        if s >= e {
            return;
        }
        match tagging::resize(t, id, CharRange::new(s.0, e.0), timestamp::now()) {
            Ok(edit) => {
                self.apply("Resize annotation", edit);
            }
            Err(err) => self.fail(format!("Not resized: {err}")),
        }
    }

    fn add_label(&mut self, name: &str) {
        let Some(ws) = &self.ws else { return };
        let p = &ws.project;
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        let used: Vec<char> = p.labels().iter().filter_map(|l| l.hotkey).collect();
        let hotkey = "1234567890".chars().find(|c| !used.contains(c));
        let color = PALETTE[p.labels().len() % PALETTE.len()];
        let label = Label {
            hotkey,
            ..Label::new(p.fresh_label_id(name).as_str(), name, Rgb(color))
        };
        let index = p.labels().len();
        if self.apply(
            &format!("Add label {name}"),
            Edit::AddLabel { label, index },
        ) {
            self.ui.new_label.clear();
        }
    }

    fn remove_label(&mut self, label: &LabelId, to: Option<LabelId>) {
        let Some(ws) = &self.ws else { return };
        let name = format!("Remove label {}", self.label_name(label));
        if ws.project.label_use_count(label) == 0 {
            self.apply(&name, Edit::RemoveLabel(label.clone()));
            return;
        }
        let Some(to) = to else {
            self.fail("This label is in use: choose a label for its annotations first.");
            return;
        };
        match tagging::remove_label_reassigning(&ws.project, label, &to, timestamp::now()) {
            Ok(edit) => {
                if self.apply(&name, edit) {
                    self.ui.removing = None;
                }
            }
            Err(e) => self.fail(format!("{name}: {e}")),
        }
    }
}
