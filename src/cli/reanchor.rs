//! `spanmark reanchor PROJECT [--save]`: where every annotation of a changed
//! source landed.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::Failure;
use crate::io::Workspace;
use crate::model::reanchor::Placement;

/// Prints one line per annotation of each changed source: id, document,
/// status (`exact`, `moved`, `fuzzy` with score, `orphaned`), old and new
/// offsets and the quote. With `save`, writes the re-anchored project.
pub fn reanchor(path: &Path, save: bool) -> Result<ExitCode, Failure> {
    let mut ws = Workspace::open(path).map_err(|e| Failure::new(2, e))?;
    if ws.reanchored.is_empty() {
        out!(
            "{}: no source changed; nothing to re-anchor.",
            path.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut counts = [0usize; 4];
    for r in &ws.reanchored {
        let Some(a) = ws.project.annotation(r.id) else {
            continue;
        };
        let doc = ws
            .project
            .document(a.doc)
            .map_or_else(|| a.doc.to_string(), |d| d.name.clone());
        let (slot, detail) = match r.placement {
            Placement::Exact => (0, String::new()),
            Placement::Moved { to, ambiguous } => (
                1,
                format!(" -> {to}{}", if ambiguous { " (ambiguous)" } else { "" }),
            ),
            Placement::Fuzzy {
                to,
                score,
                ambiguous,
            } => (
                2,
                format!(
                    " -> {to} score {}.{:03}{}",
                    score / 1000,
                    score % 1000,
                    if ambiguous { " (ambiguous)" } else { "" }
                ),
            ),
            Placement::Orphaned => (3, String::new()),
        };
        counts[slot] += 1;
        let excerpt: String = a.anchor.quote.chars().take(60).collect();
        out!(
            "{}\t{}\t{}\t{}{}\t{:?}",
            r.id,
            doc,
            r.placement.status(),
            r.from,
            detail,
            excerpt
        );
    }
    out!(
        "{} exact, {} moved, {} fuzzy, {} orphaned (none removed).",
        counts[0],
        counts[1],
        counts[2],
        counts[3]
    );
    if save {
        ws.save_as(path).map_err(|e| Failure::new(1, e))?;
        out!(
            "Saved {}; moved, fuzzy and orphaned annotations are marked for review.",
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
