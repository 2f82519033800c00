//! `spanmark merge`, `spanmark merge-driver` and `spanmark agreement`.
//!
//! Invariants: `merge` writes only the output file (and copies sources a
//! merged-in document needs into the output's folder); `merge-driver`
//! exits 0 for a clean merge, 1 when it marked conflicts (the file is valid
//! and opens in Spanmark to resolve them), 2 when it could not merge (the
//! file is left as it was, so git reports an ordinary conflict).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::Failure;
use crate::io::merge::{merge_driver, merge_files};
use crate::model::agreement::{Agreement, Scores};
use crate::model::merge::MergeReport;

/// `spanmark merge A B … -o OUT`.
pub fn merge(inputs: &[PathBuf], out: &Path) -> Result<ExitCode, Failure> {
    if inputs.len() < 2 {
        return Err(Failure::new(1, "merge needs at least two project files"));
    }
    let reports = merge_files(inputs, out).map_err(|e| Failure::new(2, e))?;
    let mut conflicts = 0;
    for r in &reports {
        print_report(r);
        conflicts += r.conflicts;
    }
    out!("Wrote {}", out.display());
    if conflicts > 0 {
        out!("{conflicts} annotation(s) are marked as conflicts: open the project to review them.");
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(r: &MergeReport) {
    out!("{}", r.summary());
    for (status, n) in &r.placed {
        out!("  placed again in a changed source: {n} {status}");
    }
    for note in &r.notes {
        out!("  {note}");
    }
}

/// `spanmark merge-driver %O %A %B`.
pub fn driver(base: &Path, ours: &Path, theirs: &Path) -> Result<ExitCode, Failure> {
    let (conflicts, report) = merge_driver(base, ours, theirs).map_err(|e| Failure::new(2, e))?;
    for note in &report.notes {
        eprintln!("spanmark: {note}");
    }
    if conflicts == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "spanmark: {conflicts} annotation(s) marked as conflicts; open the project in Spanmark, \
         review them, then `git add` it"
    );
    Ok(ExitCode::from(1))
}

/// `spanmark agreement A [B …] [--json]`.
pub fn agreement(paths: &[PathBuf], json: bool) -> Result<ExitCode, Failure> {
    let a = crate::io::agreement::from_files(paths).map_err(|e| Failure::new(2, e))?;
    if json {
        out!("{:#}", to_json(&a));
    } else {
        out!("{}", to_text(&a));
    }
    Ok(ExitCode::SUCCESS)
}

fn fig(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.3}"))
}

/// The report as text: a table per label, then the disagreements.
#[must_use]
pub fn to_text(a: &Agreement) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Agreement of {} on {} shared document(s); κ on characters, α nominal on {}",
        a.coders.join(", "),
        a.documents.len(),
        a.alpha_unit
    );
    let _ = writeln!(
        s,
        "{:<16} {:>6} {:>9} {:>10} {:>7} {:>7}",
        "label", "spans", "F1 exact", "F1 overlap", "κ", "α"
    );
    let row = |s: &mut String, name: &str, x: &Scores| {
        let _ = writeln!(
            s,
            "{:<16} {:>6} {:>9} {:>10} {:>7} {:>7}",
            name,
            x.spans,
            fig(x.f1_exact),
            fig(x.f1_overlap),
            fig(x.kappa),
            fig(x.alpha)
        );
    };
    row(&mut s, "(all)", &a.overall);
    for (l, x) in &a.per_label {
        row(&mut s, l, x);
    }
    let _ = writeln!(s, "{} disagreement(s):", a.disagreements.len());
    for d in &a.disagreements {
        let doc = a
            .documents
            .iter()
            .find(|(k, _)| *k == d.doc)
            .map_or(d.doc.as_str(), |(_, n)| n.as_str());
        let _ = writeln!(
            s,
            "  {doc} {}–{} {}: by {}; not by {}",
            d.span.start,
            d.span.end,
            d.span.label,
            d.by.join(", "),
            d.not_by.join(", ")
        );
    }
    s
}

fn scores_json(x: &Scores) -> serde_json::Value {
    serde_json::json!({
        "spans": x.spans,
        "f1_exact": x.f1_exact,
        "f1_overlap": x.f1_overlap,
        "cohen_kappa_chars": x.kappa,
        "krippendorff_alpha_nominal": x.alpha,
    })
}

/// The report as JSON (`null` for a measure that is not defined).
#[must_use]
pub fn to_json(a: &Agreement) -> serde_json::Value {
    let per_label: serde_json::Map<String, serde_json::Value> = a
        .per_label
        .iter()
        .map(|(l, x)| (l.clone(), scores_json(x)))
        .collect();
    let disagreements: Vec<serde_json::Value> = a
        .disagreements
        .iter()
        .map(|d| {
            serde_json::json!({
                "document_sha256": d.doc,
                "start": d.span.start,
                "end": d.span.end,
                "offset_unit": "unicode_scalar_values",
                "label": d.span.label,
                "by": d.by,
                "not_by": d.not_by,
            })
        })
        .collect();
    serde_json::json!({
        "annotators": a.coders,
        "documents": a.documents.iter().map(|(k, n)| serde_json::json!({"sha256": k, "name": n})).collect::<Vec<_>>(),
        "alpha_unit": a.alpha_unit,
        "kappa_unit": "characters",
        "overall": scores_json(&a.overall),
        "per_label": per_label,
        "disagreements": disagreements,
    })
}
