//! The review panel (a bottom panel under the document): every annotation
//! that needs the analyst — moved, fuzzy, orphaned, quote mismatch… after a
//! source changed, or a merge conflict — grouped by document, with status,
//! label, author, and the text before and after, and the actions Accept /
//! Keep, Re-place…, Remove and Go to.
//!
//! Invariants: drawing only reads the project and pushes
//! [`Command::Review`] actions; rows are fixed-height and only the visible
//! ones are built (`show_rows`), so a changed source that moved half a
//! million annotations costs the same per frame as one that moved ten.
//! Keyboard: F8 / Shift+F8 step through rows (selecting each in the
//! document), Ctrl+Enter accepts, Ctrl+Shift+R starts a re-place and Enter
//! confirms it, Delete removes the selected annotation.

use egui::text::LayoutJob;
use egui::{
    Align, Color32, FontId, Key, Label, Layout, Modifiers, Panel, RichText, TextFormat, Ui,
};

use crate::model::{Annotation, CharRange, Project, Review, SourceText, annotation::Anchor};
use crate::ui::command::Command;
use crate::ui::review::{ReviewAction, ReviewState, Row};
use crate::ui::theme;
use crate::ui::workbench::Workbench;

/// Context characters shown on each side of a quote.
const CONTEXT: usize = 40;
/// Chars of a long quote shown: half from its start, half from its end.
const QUOTE: usize = 120;

/// Keys read while nothing else took them: Enter confirms a re-place.
pub fn read_keys(ctx: &egui::Context, state: &ReviewState, out: &mut Vec<Command>) {
    if state.replacing.is_some()
        && !ctx.text_edit_focused()
        && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter))
    {
        out.push(Command::Review(ReviewAction::ReplaceHere));
    }
}

/// The panel, when open and a project is shown.
pub fn show(ui: &mut Ui, wb: &mut Workbench, out: &mut Vec<Command>) {
    let Some(ws) = &wb.ws else { return };
    if !wb.review.open {
        return;
    }
    let p = &ws.project;
    let key = (wb.generation, wb.history.revision());
    let has_selection = wb
        .view
        .as_ref()
        .and_then(|v| v.selected_range(wb.prefs.word_snap))
        .is_some();
    let dark = wb.prefs.dark;
    let state = &mut wb.review;
    state.rows(p, key);
    Panel::bottom("review_panel")
        .resizable(true)
        .default_size(280.0)
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.heading("Review");
                ui.label(format!("{} to review", state.item_count()));
                let moves = ReviewAction::AcceptAllMoves;
                if ui.button(moves.label()).clicked() {
                    out.push(Command::Review(moves));
                }
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    if ui.button(ReviewAction::Close.label()).clicked() {
                        out.push(Command::Review(ReviewAction::Close));
                    }
                });
            });
            let keys = keys_hint(ui.ctx());
            ui.add(Label::new(RichText::new(keys).weak()).wrap());
            ui.separator();
            if state.item_count() == 0 {
                ui.label(
                    "Nothing needs review: every annotation is where it was, with no conflicts.",
                );
                return;
            }
            let line = ui.spacing().interact_size.y + ui.spacing().item_spacing.y;
            let row_h = 4.0 * line + 6.0;
            let ctx = RowCtx {
                p,
                ws,
                current: state.current,
                replacing: state.replacing,
                has_selection,
                dark,
            };
            let mut area = egui::ScrollArea::vertical()
                .id_salt("review_rows")
                .auto_shrink([false, false]);
            if state.current != state.scrolled_to {
                // The keyboard moved the cursor: bring its row into view.
                state.scrolled_to = state.current;
                if let Some(i) = state.current.and_then(|c| state.position(c)) {
                    #[allow(clippy::cast_precision_loss)]
                    let y = (i.saturating_sub(1) as f32) * (row_h + ui.spacing().item_spacing.y);
                    area = area.vertical_scroll_offset(y);
                }
            }
            // Borrowed, not copied: only the visible rows are read.
            let rows = state.rows(p, key);
            area.show_rows(ui, row_h, rows.len(), |ui, range| {
                for r in rows.get(range).unwrap_or_default() {
                    let (rect, _) = ui.allocate_exact_size(
                        egui::vec2(ui.available_width(), row_h),
                        egui::Sense::hover(),
                    );
                    let mut child = ui.new_child(
                        egui::UiBuilder::new()
                            .max_rect(rect)
                            .layout(Layout::top_down(Align::Min)),
                    );
                    match r {
                        Row::Document(doc, n) => heading(&mut child, p, *doc, *n),
                        Row::Item(id) => {
                            if let Some(a) = p.annotation(*id) {
                                item(&mut child, &ctx, a, out);
                            }
                        }
                    }
                }
            });
        });
}

/// "F8: next · Shift+F8: previous · …", read from the command table.
fn keys_hint(ctx: &egui::Context) -> String {
    let review = |a: ReviewAction| Command::Review(a);
    [
        (review(ReviewAction::Next), "next"),
        (review(ReviewAction::Prev), "previous"),
        (review(ReviewAction::Accept(None)), "accept"),
        (
            review(ReviewAction::StartReplace(None)),
            "re-place, then select and press Enter",
        ),
        (Command::Delete, "remove"),
    ]
    .iter()
    .filter_map(|(c, what)| {
        c.shortcut()
            .map(|s| format!("{}: {what}", ctx.format_shortcut(&s)))
    })
    .collect::<Vec<_>>()
    .join(" · ")
}

fn heading(ui: &mut Ui, p: &Project, doc: Option<crate::model::DocumentId>, n: usize) {
    // The heading sits at the foot of its (fixed-height) row, above its items.
    let line = ui.spacing().interact_size.y;
    ui.add_space((ui.available_height() - line - 2.0).max(0.0));
    let name = doc
        .and_then(|d| p.document(d))
        .map_or("Annotations of unknown documents", |d| d.name.as_str());
    ui.label(RichText::new(format!("{name} — {n} to review")).strong());
}

struct RowCtx<'a> {
    p: &'a Project,
    ws: &'a crate::io::Workspace,
    current: Option<crate::model::AnnotationId>,
    replacing: Option<crate::model::AnnotationId>,
    has_selection: bool,
    dark: bool,
}

/// The status word of a row, plain.
#[must_use]
pub fn status_text(a: &Annotation) -> String {
    let mut parts = Vec::new();
    match &a.review {
        None => {}
        Some(Review::Moved { from, ambiguous }) => {
            parts.push(format!("moved (was {})", span(*from)));
            if *ambiguous {
                parts.push("another place matches as well".to_owned());
            }
        }
        Some(Review::Fuzzy {
            from,
            score,
            ambiguous,
        }) => {
            parts.push(format!("fuzzy {}.{}% (was {from})", score / 10, score % 10));
            if *ambiguous {
                parts.push("another place matches as well".to_owned());
            }
        }
        Some(Review::Orphaned) => {
            parts.push("orphaned: not found in the changed source".to_owned())
        }
        Some(Review::QuoteMismatch { .. }) => {
            parts.push("quote differs from the source".to_owned())
        }
        Some(Review::OutOfRange { len }) => parts.push(format!("out of range ({len} characters)")),
        Some(Review::Duplicate { of }) => parts.push(format!("duplicate of {of}")),
        Some(Review::UnknownDocument) => parts.push("unknown document".to_owned()),
        Some(Review::SourceUnavailable) => parts.push("source unavailable".to_owned()),
    }
    if let Some(c) = &a.conflict {
        parts.push(format!("conflict: {c}"));
    }
    parts.join(" · ")
}

/// "125–208": a range in plain words.
fn span(r: CharRange) -> String {
    format!("{}–{}", r.start(), r.end())
}

fn item(ui: &mut Ui, cx: &RowCtx<'_>, a: &Annotation, out: &mut Vec<Command>) {
    let current = cx.current == Some(a.id);
    let label =
        cx.p.label(&a.label)
            .map_or_else(|| a.label.to_string(), |l| l.name.clone());
    let authors: Vec<&str> = a.authors().collect();
    let head = format!(
        "{} {}  {label}  by {}  —  {}",
        if current { "▶" } else { " " },
        a.id,
        if authors.is_empty() {
            "unknown".to_owned()
        } else {
            authors.join(", ")
        },
        status_text(a)
    );
    let colour = theme::warning(cx.dark);
    ui.add(Label::new(RichText::new(head).color(colour).strong()).truncate());
    let font = FontId::proportional(13.0);
    let text_colour = ui.visuals().text_color();
    let mark = ui.visuals().selection.bg_fill;
    let before = context_job(&a.anchor, &font, text_colour, mark, "Before: ");
    ui.add(Label::new(before).truncate());
    let after = match (cx.ws.text(a.doc), &a.review) {
        (_, Some(Review::Orphaned | Review::UnknownDocument)) | (None, _) => {
            let mut j = LayoutJob::default();
            j.append("After: not found", 0.0, fmt(&font, colour, None));
            j
        }
        (Some(t), _) => match now_anchor(t, a.range) {
            Some(now) => context_job(&now, &font, text_colour, mark, "After:  "),
            None => {
                let mut j = LayoutJob::default();
                j.append(
                    "After: not found (range outside the text)",
                    0.0,
                    fmt(&font, colour, None),
                );
                j
            }
        },
    };
    ui.add(Label::new(after).truncate());
    ui.horizontal(|ui| {
        let id = Some(a.id);
        let acceptable = a.conflict.is_some()
            || matches!(
                a.review,
                Some(
                    Review::Moved { .. }
                        | Review::Fuzzy { .. }
                        | Review::QuoteMismatch { .. }
                        | Review::Duplicate { .. }
                        | Review::SourceUnavailable
                )
            );
        let accept = if a.review.is_none() { "Keep" } else { "Accept" };
        let r = ui
            .add_enabled(acceptable, egui::Button::new(accept))
            .on_hover_text(format!("{accept} annotation {}", a.id));
        if r.clicked() {
            out.push(Command::Review(ReviewAction::Accept(id)));
        }
        let can_place = cx.ws.text(a.doc).is_some();
        if cx.replacing == id {
            let here = ui.add_enabled(
                cx.has_selection,
                egui::Button::new(ReviewAction::ReplaceHere.label()),
            );
            if here.clicked() {
                out.push(Command::Review(ReviewAction::ReplaceHere));
            }
            if ui.button(ReviewAction::CancelReplace.label()).clicked() {
                out.push(Command::Review(ReviewAction::CancelReplace));
            }
            ui.weak("Select the new place in the document, then press Re-place here or Enter.");
        } else {
            let b = ui
                .add_enabled(
                    can_place,
                    egui::Button::new(ReviewAction::StartReplace(id).label()),
                )
                .on_hover_text(format!("Re-place annotation {}", a.id));
            if b.clicked() {
                out.push(Command::Review(ReviewAction::StartReplace(id)));
            }
        }
        let rm = ui
            .button(ReviewAction::Remove(id).label())
            .on_hover_text(format!("Remove annotation {}", a.id));
        if rm.clicked() {
            out.push(Command::Review(ReviewAction::Remove(id)));
        }
        let go = ui
            .button(ReviewAction::GoTo(a.id).label())
            .on_hover_text(format!("Go to annotation {}", a.id));
        if go.clicked() {
            out.push(Command::Review(ReviewAction::GoTo(a.id)));
        }
    });
}

/// Quote and context of the text now at `range`, or `None` outside the text.
fn now_anchor(t: &SourceText, range: CharRange) -> Option<Anchor> {
    Some(Anchor {
        quote: t.slice(range)?.to_owned(),
        prefix: t.before(range.start(), CONTEXT).to_owned(),
        suffix: t.after(range.end(), CONTEXT).to_owned(),
    })
}

fn fmt(font: &FontId, color: Color32, background: Option<Color32>) -> TextFormat {
    TextFormat {
        font_id: font.clone(),
        color,
        background: background.unwrap_or(Color32::TRANSPARENT),
        ..TextFormat::default()
    }
}

/// `lead …prefix[quote]suffix…` on one line, the quote highlighted.
fn context_job(
    anchor: &Anchor,
    font: &FontId,
    color: Color32,
    mark: Color32,
    lead: &str,
) -> LayoutJob {
    let flat = |s: &str| s.replace(['\n', '\r'], " ");
    let tail = |s: &str, n: usize| -> String {
        let count = s.chars().count();
        s.chars().skip(count.saturating_sub(n)).collect()
    };
    let quote = flat(&crate::ui::excerpt::ends(
        &anchor.quote,
        QUOTE / 2,
        QUOTE / 2,
    ));
    let mut j = LayoutJob::default();
    j.append(lead, 0.0, fmt(font, color, None));
    j.append(
        &format!("…{}", tail(&flat(&anchor.prefix), CONTEXT)),
        0.0,
        fmt(font, color, None),
    );
    j.append(&quote, 0.0, fmt(font, color, Some(mark)));
    let suffix: String = flat(&anchor.suffix).chars().take(CONTEXT).collect();
    j.append(&format!("{suffix}…"), 0.0, fmt(font, color, None));
    j
}
