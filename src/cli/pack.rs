//! `spanmark pack` and `spanmark unpack`: single-file projects for sharing.
//!
//! Invariants: `pack` never changes the project it reads and writes only
//! OUT; `unpack` writes only inside DIR (see [`crate::io::pack`]) and
//! replaces an existing different file only with `--force`.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::Failure;
use crate::io::Workspace;
use crate::io::pack::{pack_to, unpack as unpack_into};

/// `spanmark pack PROJECT -o OUT [--force]`.
pub fn pack(project: &Path, out: &Path, force: bool) -> Result<ExitCode, Failure> {
    let mut ws = Workspace::open(project).map_err(|e| Failure::new(2, e))?;
    if !force && std::fs::symlink_metadata(out).is_ok() {
        return Err(Failure::new(
            1,
            format!(
                "a file is already there; choose another name or add --force: {}",
                out.display()
            ),
        ));
    }
    if same_file(project, out) {
        return Err(Failure::new(
            1,
            format!(
                "OUT is the project itself; choose another name for the single-file copy: {}",
                out.display()
            ),
        ));
    }
    pack_to(&mut ws, out).map_err(|e| Failure::new(1, e))?;
    out!(
        "Packed {} document(s) with {} annotation(s) into {}.",
        ws.project.documents().len(),
        ws.project.annotation_count(),
        out.display()
    );
    if ws.changed_on_open {
        out!(
            "Some sources changed since they were annotated: the copy holds the annotations as placed again (see `spanmark reanchor`)."
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `spanmark unpack PACKED -o DIR [--force]`.
pub fn unpack(packed: &Path, dir: &Path, force: bool) -> Result<ExitCode, Failure> {
    let mut ws = Workspace::open(packed).map_err(|e| Failure::new(2, e))?;
    let done = unpack_into(&mut ws, dir, force).map_err(|e| Failure::new(1, e))?;
    for f in &done.written {
        out!("wrote {}", f.display());
    }
    for f in &done.unchanged {
        out!("already there, same bytes: {}", f.display());
    }
    out!("wrote {}", done.project.display());
    Ok(ExitCode::SUCCESS)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
