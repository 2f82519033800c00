//! The subcommands' bodies.
//!
//! Invariant: a command that writes a project writes it once, atomically,
//! at the end, and only when something changed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::Failure;
use crate::io::project_file::name_from_path;
use crate::io::{Problem, Workspace};
use crate::model::{Edit, History, Project};

/// Without a subcommand: the window.
pub fn open_window(paths: &[PathBuf]) -> Result<ExitCode, Failure> {
    crate::app::run(paths).map_err(|e| Failure::new(1, e))?;
    Ok(ExitCode::SUCCESS)
}

fn open(path: &Path) -> Result<Workspace, Failure> {
    Workspace::open(path).map_err(|e| Failure::new(2, e))
}

/// `spanmark new PROJECT [SOURCES...]`.
pub fn new(path: &Path, sources: &[PathBuf], name: Option<String>) -> Result<ExitCode, Failure> {
    if path.exists() {
        return Err(Failure::new(
            1,
            format!(
                "a file already exists there; choose another name: {}",
                path.display()
            ),
        ));
    }
    let name = name.unwrap_or_else(|| name_from_path(path));
    let mut ws = Workspace::new(Project::new(&name));
    ws.path = Some(path.to_path_buf());
    add_sources(&mut ws, sources)?;
    ws.save_as(path).map_err(|e| Failure::new(1, e))?;
    out!(
        "Created {} with {} document(s).",
        path.display(),
        ws.project.documents().len()
    );
    Ok(ExitCode::SUCCESS)
}

/// `spanmark add PROJECT SOURCES...`.
pub fn add(path: &Path, sources: &[PathBuf]) -> Result<ExitCode, Failure> {
    let mut ws = open(path)?;
    if let Some(reason) = &ws.read_only {
        return Err(Failure::new(
            1,
            format!("the project is read-only ({reason}): {}", path.display()),
        ));
    }
    let added = add_sources(&mut ws, sources)?;
    if added > 0 {
        ws.save_as(path).map_err(|e| Failure::new(1, e))?;
    }
    out!("Added {added} document(s) to {}.", path.display());
    Ok(ExitCode::SUCCESS)
}

/// Adds each source, skipping files already in the project. Returns how many were added.
fn add_sources(ws: &mut Workspace, sources: &[PathBuf]) -> Result<usize, Failure> {
    let mut history = History::new_saved();
    let mut added = 0;
    for file in sources {
        let new = ws.prepare_document(file).map_err(|e| {
            Failure::new(
                1,
                format!("cannot add this source: {e}: {}", file.display()),
            )
        })?;
        if let Some(existing) = ws
            .project
            .documents()
            .iter()
            .find(|d| d.sha256 == new.doc.sha256)
        {
            out!(
                "Skipped {}: the same text is already in the project as {:?}.",
                file.display(),
                existing.name
            );
            continue;
        }
        if let Some(copy) = &new.copied_to {
            out!(
                "Copied {} into the project folder as {}.",
                file.display(),
                copy.display()
            );
        }
        if new.decoded.guessed {
            out!(
                "Note: {} is not UTF-8; read it as {}.",
                file.display(),
                new.decoded.encoding
            );
        }
        let id = new.doc.id;
        let index = ws.project.documents().len();
        history
            .apply(
                &mut ws.project,
                "Add document",
                Edit::AddDocument {
                    doc: Box::new(new.doc),
                    index,
                },
            )
            .map_err(|e| Failure::new(1, e))?;
        ws.sources.insert(
            id,
            crate::io::SourceState::Ready(std::sync::Arc::new(new.decoded.text)),
        );
        added += 1;
    }
    Ok(added)
}

/// `spanmark validate PROJECT`.
pub fn validate(path: &Path) -> Result<ExitCode, Failure> {
    let ws = open(path)?;
    if ws.problems.is_empty() {
        out!(
            "{}: OK ({} documents, {} annotations).",
            path.display(),
            ws.project.documents().len(),
            ws.project.annotation_count()
        );
        return Ok(ExitCode::SUCCESS);
    }
    for p in &ws.problems {
        out!("{}: {p}", path.display());
    }
    Ok(ExitCode::from(1))
}

/// `spanmark stats PROJECT [--json]`.
pub fn stats(path: &Path, json: bool) -> Result<ExitCode, Failure> {
    let ws = open(path)?;
    let p = &ws.project;
    let by_id = p.count_by_label();
    let by_label: BTreeMap<String, usize> = p
        .labels()
        .iter()
        .map(|l| (l.name.clone(), by_id.get(&l.id).copied().unwrap_or(0)))
        .collect();
    let mut by_document: BTreeMap<String, usize> = BTreeMap::new();
    for d in p.documents() {
        let key = if by_document.contains_key(&d.name) {
            format!("{} ({})", d.name, d.path)
        } else {
            d.name.clone()
        };
        by_document.insert(key, p.count_of(d.id));
    }
    let review = ws
        .problems
        .iter()
        .filter(|x| matches!(x, Problem::Annotation { .. }))
        .count();
    if json {
        let value = serde_json::json!({
            "project": p.name,
            "documents": p.documents().len(),
            "annotations": p.annotation_count(),
            "by_label": by_label,
            "by_document": by_document,
            "needs_review": review,
        });
        out!("{value:#}");
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} documents, {} annotations",
        p.name,
        p.documents().len(),
        p.annotation_count()
    );
    let width = by_label
        .keys()
        .chain(by_document.keys())
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(0);
    let _ = writeln!(out, "By label:");
    for (name, n) in &by_label {
        let _ = writeln!(out, "  {name:<width$} {n:>8}");
    }
    let _ = writeln!(out, "By document:");
    for (name, n) in &by_document {
        let _ = writeln!(out, "  {name:<width$} {n:>8}");
    }
    if review > 0 {
        let _ = writeln!(
            out,
            "{review} annotation(s) need review (run spanmark validate)."
        );
    }
    out!("{}", out.trim_end());
    Ok(ExitCode::SUCCESS)
}
