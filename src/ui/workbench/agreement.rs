//! The agreement window's content: the figures between the chosen
//! authors and the disagreement list, computed on a worker.
//!
//! Invariants: the figures are UI state, recomputed on request and never
//! saved; they are computed on a snapshot on a worker, and a stopped
//! computation is never shown (its job is dropped when stopped).

use crate::io::Workspace;
use crate::model::agreement::Agreement;
use crate::model::{AnnotationId, Progress, Stopped};
use crate::ui::workbench::JobKind;
use crate::ui::workbench::Workbench;
use crate::ui::workbench::jobs::Done;

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

impl Workbench {
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
        self.start_on_snapshot(JobKind::Agreement, None, move |snapshot, progress| {
            let all = crate::io::agreement::authors_of(&snapshot.project);
            let authors = all.into_iter().map(|a| (a, true)).collect();
            Done::Agreement(Box::new(agreement_view(&snapshot, authors, progress)))
        });
    }

    /// Computes the agreement between the chosen `authors` on a worker (a
    /// 100k-annotation project takes most of a second); the window shows
    /// it when done.
    fn show_agreement_of(&mut self, authors: Vec<(String, bool)>) {
        self.start_on_snapshot(JobKind::Agreement, None, move |snapshot, progress| {
            Done::Agreement(Box::new(agreement_view(&snapshot, authors, progress)))
        });
    }

    /// Shows an agreement computed on a worker (a stopped one is never
    /// delivered: its job is dropped when stopped).
    pub(super) fn finish_agreement(&mut self, view: Result<AgreementView, Stopped>) {
        if let Ok(view) = view {
            self.merging.agreement = Some(view);
        }
    }
}

/// The agreement window's content for the chosen `authors` of `ws`,
/// reporting to `progress`.
fn agreement_view(
    ws: &Workspace,
    authors: Vec<(String, bool)>,
    progress: &Progress,
) -> Result<AgreementView, Stopped> {
    let chosen: Vec<String> = authors
        .iter()
        .filter(|(_, on)| *on)
        .map(|(n, _)| n.clone())
        .collect();
    let agreement = crate::io::agreement::by_author_with(ws, Some(&chosen), progress)?;
    let p = &ws.project;
    let rows = agreement
        .disagreements
        .iter()
        .map(|d| {
            let doc = p.documents().iter().find(|x| x.sha256 == d.doc);
            let target = doc.and_then(|doc| {
                p.annotations_starting_at(doc.id, d.span.start)
                    .find(|a| {
                        a.range.end().0 == d.span.end
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
    Ok(AgreementView {
        agreement,
        rows,
        authors,
    })
}
