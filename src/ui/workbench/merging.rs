//! Merging a colleague's copy into the open project, and the agreement view.
//!
//! Invariants: a merge is one undoable edit applied through the history
//! (undo takes all of it back); the merge report and the agreement figures
//! are UI state, recomputed on request, never saved. "Merge…" in the
//! conflict-on-disk window merges the version on disk and records its hash,
//! so the next save goes over exactly the version that was merged in — and
//! is refused again if the file changed once more meanwhile.

use std::path::Path;

use crate::io::merge::{merge_into_workspace, read_theirs};
use crate::model::AnnotationId;
use crate::model::agreement::Agreement;
use crate::model::merge::MergeReport;
use crate::ui::dialogs::{Picked, Purpose};
use crate::ui::workbench::Workbench;

/// One row of the disagreement list.
#[derive(Clone, Debug, PartialEq)]
pub struct DisagreementRow {
    /// Document name, range, label, who did and did not.
    pub text: String,
    /// The annotation to go to (one of those who made the span).
    pub target: Option<AnnotationId>,
}

/// The agreement window's content.
#[derive(Clone, Debug, PartialEq)]
pub struct AgreementView {
    /// The figures.
    pub agreement: Agreement,
    /// The disagreement list, in document order.
    pub rows: Vec<DisagreementRow>,
    /// Everyone who annotated in the project, and whether they are compared.
    pub authors: Vec<(String, bool)>,
}

/// State of the merge report and agreement windows.
#[derive(Clone, Debug, Default)]
pub struct Merging {
    /// The last merge's report, while its window is open.
    pub report: Option<MergeReport>,
    /// The agreement window, while open.
    pub agreement: Option<AgreementView>,
}

impl Workbench {
    /// "Merge project…": asks for a colleague's project file.
    pub(super) fn ask_merge(&mut self) {
        if self.ws.is_none() {
            self.fail("Open the project to merge into first.");
            return;
        }
        match self.dialogs.pick(Purpose::MergeProject, "") {
            Picked::Paths(p) => {
                if let Some(path) = p.first() {
                    self.merge_project(path, None);
                }
            }
            Picked::Cancelled => {}
            Picked::Unavailable => self.ask_path(Purpose::MergeProject, None),
        }
    }

    /// Merges the project file at `path` into the open one. `disk_hash` is
    /// set when merging the version of our own file found on disk.
    pub(super) fn merge_project(&mut self, path: &Path, disk_hash: Option<String>) {
        let Some(ws) = &self.ws else { return };
        if let Some(reason) = &ws.read_only {
            self.fail(format!(
                "This project is read-only ({reason}); merge into a copy."
            ));
            return;
        }
        let our_dir = ws.path.as_ref().map(|_| ws.folder());
        let theirs = match read_theirs(path, &ws.project, our_dir.as_deref()) {
            Ok(t) => t,
            Err(e) => {
                self.fail(format!("Could not merge: {e}"));
                return;
            }
        };
        let merged = merge_into_workspace(ws, &theirs);
        let name = format!("Merge {}", theirs.who);
        if !self.apply(&name, merged.edit) {
            return;
        }
        let mut report = merged.report;
        if let Some(ws) = &mut self.ws {
            let unreadable = crate::io::merge::adopt_texts(ws, &theirs);
            if unreadable > 0 {
                report.notes.push(format!(
                    "{unreadable} added document(s) have no readable source yet (see Project ▸ Problems)."
                ));
            }
            if disk_hash.is_some() {
                ws.file_hash = disk_hash;
            }
        }
        let summary = report.summary();
        if report.conflicts > 0 {
            self.fail(format!("{summary} — review them, then save."));
        } else {
            self.say(summary);
        }
        self.merging.report = Some(report);
        self.merging.agreement = None;
    }

    /// "Merge…" in the conflict window: merges the version on disk into
    /// ours. Three-way when the version we opened is among the previous
    /// versions (their deletions and renames then count); otherwise as a
    /// colleague's copy, which keeps everything either side has.
    pub(super) fn merge_with_disk(&mut self) {
        let Some(path) = self.safety.conflict.take() else {
            return;
        };
        self.safety.confirm_overwrite = false;
        // Hash first: if the file changes again while we read it, the hash
        // is the older one and the next save is refused again (never lost).
        let hash = match std::fs::read(&path) {
            Ok(bytes) => crate::io::source::sha256_hex(&bytes),
            Err(e) => {
                self.fail(format!(
                    "Could not read the version on disk: {e}: {}",
                    path.display()
                ));
                return;
            }
        };
        let base = self
            .ws
            .as_ref()
            .and_then(|w| w.file_hash.as_deref())
            .and_then(|h| crate::io::merge::find_version(&path, h));
        let Some(base) = base else {
            self.merge_project(&path, Some(hash));
            if let Some(r) = &mut self.merging.report {
                r.notes.insert(
                    0,
                    "The version you opened is not among the previous versions, so this \
                     merged like a colleague's copy: annotations deleted on disk are kept."
                        .to_owned(),
                );
            }
            return;
        };
        let theirs = match crate::io::merge::read_disk_version(&path) {
            Ok(t) => t,
            Err(e) => {
                self.fail(format!("Could not merge: {e}"));
                return;
            }
        };
        let Some(ws) = &self.ws else { return };
        let merged = crate::model::merge3::merge3(&base, &ws.project, &theirs);
        let edit = crate::model::diff::edit_between(&ws.project, &merged.project);
        let mut report = merged.report;
        report.from = "the version on disk".to_owned();
        for name in crate::model::diff::unexpressed(&ws.project, &merged.project) {
            report.notes.push(format!(
                "“{name}”: the version on disk records another version of this source; \
                 this project keeps its own record."
            ));
        }
        if !self.apply("Merge the version on disk", edit) {
            return;
        }
        if let Some(ws) = &mut self.ws {
            if merged.project.name != ws.project.name {
                report
                    .notes
                    .push(format!("Project name: kept “{}”.", ws.project.name));
            }
            ws.file_hash = Some(hash);
        }
        report.conflicts = merged.conflicts;
        let summary = format!(
            "Merged the version on disk (three-way): {} conflict(s) to review; save when ready",
            merged.conflicts
        );
        if merged.conflicts > 0 {
            self.fail(summary);
        } else {
            self.say(summary);
        }
        self.merging.report = Some(report);
    }

    /// Compares `name` too, or no longer (at least two stay compared).
    pub(super) fn toggle_agreement_author(&mut self, name: &str) {
        let Some(v) = &self.merging.agreement else {
            return;
        };
        let mut authors = v.authors.clone();
        if let Some(a) = authors.iter_mut().find(|(n, _)| n == name) {
            a.1 = !a.1;
        }
        if authors.iter().filter(|(_, on)| *on).count() < 2 {
            self.fail("Agreement compares at least two authors.");
            return;
        }
        self.show_agreement_of(authors);
    }

    /// Opens (or refreshes) the agreement window for all the project's authors.
    pub(super) fn show_agreement(&mut self) {
        let Some(ws) = &self.ws else { return };
        let all = crate::io::agreement::authors_of(&ws.project);
        self.show_agreement_of(all.into_iter().map(|a| (a, true)).collect());
    }

    fn show_agreement_of(&mut self, authors: Vec<(String, bool)>) {
        let Some(ws) = &self.ws else { return };
        let chosen: Vec<String> = authors
            .iter()
            .filter(|(_, on)| *on)
            .map(|(n, _)| n.clone())
            .collect();
        let agreement = crate::io::agreement::by_author(ws, Some(&chosen));
        let p = &ws.project;
        let rows = agreement
            .disagreements
            .iter()
            .map(|d| {
                let doc = p.documents().iter().find(|x| x.sha256 == d.doc);
                let target = doc.and_then(|doc| {
                    p.annotations_of(doc.id)
                        .find(|a| {
                            a.range.start().0 == d.span.start
                                && a.range.end().0 == d.span.end
                                && p.label(&a.label).is_some_and(|l| l.name == d.span.label)
                        })
                        .map(|a| a.id)
                });
                DisagreementRow {
                    text: format!(
                        "{} {}–{} {}: by {}; not by {}",
                        doc.map_or("?", |x| x.name.as_str()),
                        d.span.start,
                        d.span.end,
                        d.span.label,
                        d.by.join(", "),
                        d.not_by.join(", ")
                    ),
                    target,
                }
            })
            .collect();
        self.merging.agreement = Some(AgreementView {
            agreement,
            rows,
            authors,
        });
    }
}
