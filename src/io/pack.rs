//! Single-file projects: source texts embedded in the project file
//! (`embedded_sources`), and extracting them back out.
//!
//! Invariants:
//! - An embedded text is the decoded text; its bytes are reproduced from the
//!   document's recorded encoding and BOM ([`encode`]), and only a text
//!   whose reproduced bytes have the recorded SHA-256 counts as unchanged.
//!   When a packed file also has a source file on disk, the embedded text
//!   wins and the file is not read.
//! - [`pack_to`] writes a packed copy only when every document has a text
//!   that reproduces its bytes exactly.
//! - [`unpack`] writes only inside the folder it is given: every stored path
//!   is checked by the path policy, every folder on the way and every target
//!   is checked (after following symlinks) to lie inside it, a FIFO, device
//!   or folder in the way is refused without being opened, and an existing
//!   different file is only replaced when the caller allows it. All checks
//!   run before the first write, so a refusal writes nothing.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use encoding_rs::Encoding;

use crate::io::error::{PackError, SaveError};
use crate::io::paths::check_relative;
use crate::io::source::{DecodedSource, sha256_hex};
use crate::io::workspace::Workspace;
use crate::model::{Document, DocumentId, Newline, Progress, SourceText, Stopped};

/// The bytes a decoded text was read from, reproduced from its recorded
/// encoding (WHATWG name) and BOM; `None` when the text cannot be written in
/// that encoding.
#[must_use]
pub fn encode(text: &str, encoding: &str, bom: bool) -> Option<Vec<u8>> {
    let units = |be: bool| -> Vec<u8> {
        let mark: &[u8] = match (bom, be) {
            (false, _) => &[],
            (true, true) => &[0xfe, 0xff],
            (true, false) => &[0xff, 0xfe],
        };
        let mut out = mark.to_vec();
        for u in text.encode_utf16() {
            out.extend(if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        out
    };
    match Encoding::for_label(encoding.as_bytes())?.name() {
        "UTF-16LE" => Some(units(false)),
        "UTF-16BE" => Some(units(true)),
        "UTF-8" => {
            let mut out = if bom {
                vec![0xef, 0xbb, 0xbf]
            } else {
                Vec::new()
            };
            out.extend_from_slice(text.as_bytes());
            Some(out)
        }
        _ if bom => None,
        _ => {
            let enc = Encoding::for_label(encoding.as_bytes())?;
            let (bytes, used, unmappable) = enc.encode(text);
            (used == enc && !unmappable).then(|| bytes.into_owned())
        }
    }
}

/// An embedded text as if it had been read from its file: the bytes are
/// reproduced from the document's encoding and BOM (plain UTF-8 when the
/// text cannot be written in them, e.g. after someone edited it by hand), so
/// the hash tells whether it is the text the annotations were made on.
#[must_use]
pub fn decoded_from_embedded(doc: &Document, text: String) -> DecodedSource {
    let (bytes, encoding, bom) = match encode(&text, &doc.encoding, doc.bom) {
        Some(b) => (b, doc.encoding.clone(), doc.bom),
        None => (text.as_bytes().to_vec(), "UTF-8".to_owned(), false),
    };
    DecodedSource {
        newline: Newline::detect(&text),
        text: SourceText::new(text),
        encoding,
        guessed: false,
        bom,
        sha256: sha256_hex(&bytes),
        byte_len: bytes.len() as u64,
    }
}

/// The texts a save of `ws` embeds: every document's text when the
/// workspace is packed, none otherwise.
#[must_use]
pub fn embedded_texts(ws: &Workspace) -> BTreeMap<DocumentId, Arc<SourceText>> {
    if !ws.packed {
        return BTreeMap::new();
    }
    ws.project
        .documents()
        .iter()
        .filter_map(|d| ws.text(d.id).map(|t| (d.id, Arc::clone(t))))
        .collect()
}

/// The texts embedded in the project file at `path` (none when it has no
/// `embedded_sources` section or cannot be read), for recovery.
#[must_use]
pub fn embedded_in_file(path: &Path) -> BTreeMap<DocumentId, String> {
    crate::io::project_file::read_text(path)
        .ok()
        .filter(|t| t.contains("\n    embedded_sources: [\n"))
        .and_then(|t| crate::io::project_file::parse(&t).ok())
        .map(|p| p.embedded)
        .unwrap_or_default()
}

/// Checks every document has a text in memory (no reading, no hashing:
/// quick enough to run before asking where to write; [`check_packable`]
/// checks the rest).
///
/// # Errors
/// The first document without a text.
pub fn check_available(ws: &Workspace) -> Result<(), PackError> {
    match ws
        .project
        .documents()
        .iter()
        .find(|d| ws.text(d.id).is_none())
    {
        Some(d) => Err(PackError::SourceUnavailable {
            name: d.name.clone(),
            path: d.path.clone(),
        }),
        None => Ok(()),
    }
}

/// Checks every document has a text that reproduces its recorded bytes
/// (re-encodes and hashes every text: run it on a worker for big projects).
///
/// # Errors
/// The first document without a text, or whose bytes cannot be reproduced.
pub fn check_packable(ws: &Workspace) -> Result<(), PackError> {
    check_available(ws)?;
    for d in ws.project.documents() {
        let Some(text) = ws.text(d.id) else {
            continue;
        };
        let same =
            encode(text.as_str(), &d.encoding, d.bom).is_some_and(|b| sha256_hex(&b) == d.sha256);
        if !same {
            return Err(PackError::NotReproducible {
                name: d.name.clone(),
                encoding: d.encoding.clone(),
                path: d.path.clone(),
            });
        }
    }
    Ok(())
}

/// Writes a single-file copy of `ws` to `out` (every source text embedded).
/// The open project is not changed, unless `out` is its own file: then it
/// becomes a single-file project, saved there.
///
/// # Errors
/// A document that cannot be embedded (nothing written), or a save error.
pub fn pack_to(ws: &mut Workspace, out: &Path) -> Result<(), PackError> {
    pack_to_with(ws, out, &Progress::new())
}

/// As [`pack_to`], the save reporting to `progress` and stoppable until
/// the file is replaced ([`Workspace::save_as_with`]).
///
/// # Errors
/// As [`pack_to`], or a [`SaveError::Stopped`].
pub fn pack_to_with(ws: &mut Workspace, out: &Path, progress: &Progress) -> Result<(), PackError> {
    check_packable(ws)?;
    if ws.path.as_deref() == Some(out) {
        ws.packed = true;
        let saved = ws.save_as_with(out, progress);
        if saved.is_err() {
            ws.packed = false;
        }
        return Ok(saved?);
    }
    let mut copy = ws.snapshot_for_save();
    copy.packed = true;
    copy.read_only = None;
    Ok(copy.save_as_with(out, progress)?)
}

/// What [`unpack`] wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Unpacked {
    /// The project file written.
    pub project: PathBuf,
    /// Source files written.
    pub written: Vec<PathBuf>,
    /// Source files already there with the same bytes (left alone).
    pub unchanged: Vec<PathBuf>,
}

/// Writes every embedded source of `ws` under its stored path inside `dir`,
/// then the project without embedded texts as `dir/NAME` (the packed file's
/// name), and makes `ws` that un-packed project. `force` allows replacing
/// existing different regular files inside `dir`.
///
/// # Errors
/// Not a packed project, a path that breaks the rules or leads outside
/// `dir`, something not a regular file in the way, an existing different
/// file (without `force`): then nothing was written. Or a write error.
pub fn unpack(ws: &mut Workspace, dir: &Path, force: bool) -> Result<Unpacked, PackError> {
    unpack_with(ws, dir, force, &Progress::new())
}

/// The phase of [`unpack_with`] that writes the sources (by bytes).
pub const WRITING_SOURCES: &str = "Writing the source files";

/// As [`unpack`], reporting the bytes of sources written to `progress`;
/// stopped, it ends with [`SaveError::Stopped`] before the next file (the
/// project file is written last, so `ws` and its file stay single-file;
/// sources already written stay in `dir`).
///
/// # Errors
/// As [`unpack`], or a [`SaveError::Stopped`].
pub fn unpack_with(
    ws: &mut Workspace,
    dir: &Path,
    force: bool,
    progress: &Progress,
) -> Result<Unpacked, PackError> {
    let project_name = ws.path.as_deref().and_then(Path::file_name).map_or_else(
        || "project.spanmark.ron".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    if !ws.packed {
        return Err(PackError::NotPacked {
            path: ws
                .path
                .clone()
                .unwrap_or_else(|| project_name.clone().into()),
        });
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| SaveError::io("create the folder", e, dir.to_path_buf()))?;
    let root = dir
        .canonicalize()
        .map_err(|e| SaveError::io("open the folder", e, dir.to_path_buf()))?;
    // Plan every write first: a refusal leaves the folder untouched.
    let mut plan: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut out = Unpacked::default();
    for d in ws.project.documents() {
        let Some(text) = ws.text(d.id) else { continue };
        check_relative(&d.path).map_err(|error| PackError::BadPath {
            name: d.name.clone(),
            error,
        })?;
        let bytes = encode(text.as_str(), &d.encoding, d.bom)
            .filter(|b| sha256_hex(b) == d.sha256)
            .ok_or_else(|| PackError::NotReproducible {
                name: d.name.clone(),
                encoding: d.encoding.clone(),
                path: d.path.clone(),
            })?;
        let target = checked_target(&root, &d.path)?;
        if plan.iter().any(|(p, _)| *p == target) {
            return Err(PackError::Exists { path: target });
        }
        match existing_file(&root, &target)? {
            Some(hash) if hash == d.sha256 => out.unchanged.push(target),
            Some(_) if !force => return Err(PackError::Exists { path: target }),
            _ => plan.push((target, bytes)),
        }
    }
    let project_target = checked_target(&root, &project_name)?;
    let unpacked_text =
        crate::io::project_file::to_ron_string(&ws.project).map_err(|e| SaveError::Verify {
            message: e.to_string(),
            path: project_target.clone(),
        })?;
    match existing_file(&root, &project_target)? {
        Some(hash) if hash == sha256_hex(unpacked_text.as_bytes()) => {}
        Some(_) if !force => {
            return Err(PackError::Exists {
                path: project_target,
            });
        }
        _ => {}
    }
    let stopped = |path: &Path| {
        progress.check().map_err(|Stopped| SaveError::Stopped {
            path: path.to_path_buf(),
        })
    };
    progress.phase(
        WRITING_SOURCES,
        plan.iter().map(|(_, b)| b.len() as u64).sum(),
    );
    for (target, bytes) in plan {
        stopped(&target)?;
        create_parents(&root, &target)?;
        crate::io::atomic::write_atomic(&target, &bytes)?;
        progress.advance(bytes.len() as u64);
        out.written.push(target);
    }
    let hash = crate::io::project_file::save_guarded(
        &project_target,
        &ws.project,
        &BTreeMap::new(),
        || stopped(&project_target),
    )?;
    ws.path = Some(project_target.clone());
    ws.file_hash = Some(hash);
    ws.packed = false;
    ws.read_only = None;
    out.project = project_target;
    Ok(out)
}

/// `root/stored`, after checking each existing folder on the way lies
/// inside `root` once symlinks are followed (missing ones are created later
/// by [`create_parents`], after the same check).
fn checked_target(root: &Path, stored: &str) -> Result<PathBuf, PackError> {
    let mut at = root.to_path_buf();
    let parts: Vec<&str> = stored.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        if i + 1 == parts.len() {
            break;
        }
        match std::fs::symlink_metadata(&at) {
            Err(_) => {}
            Ok(_) => {
                let real = at
                    .canonicalize()
                    .map_err(|_| PackError::Escapes { path: at.clone() })?;
                if !real.starts_with(root) {
                    return Err(PackError::Escapes { path: at });
                }
                if !real.is_dir() {
                    return Err(PackError::NotRegular { path: at });
                }
            }
        }
    }
    Ok(at)
}

/// The SHA-256 of the regular file at `target`, `None` when nothing is
/// there. Never opens anything but a regular file inside `root`.
fn existing_file(root: &Path, target: &Path) -> Result<Option<String>, PackError> {
    let Ok(link) = std::fs::symlink_metadata(target) else {
        return Ok(None);
    };
    let real = if link.file_type().is_symlink() {
        let real = target.canonicalize().map_err(|_| PackError::Escapes {
            path: target.to_path_buf(),
        })?;
        if !real.starts_with(root) {
            return Err(PackError::Escapes {
                path: target.to_path_buf(),
            });
        }
        real
    } else {
        target.to_path_buf()
    };
    let meta = std::fs::metadata(&real).map_err(|e| SaveError::io("inspect", e, real.clone()))?;
    if !meta.is_file() {
        return Err(PackError::NotRegular {
            path: target.to_path_buf(),
        });
    }
    let bytes = std::fs::read(&real).map_err(|e| SaveError::io("read", e, real.clone()))?;
    Ok(Some(sha256_hex(&bytes)))
}

/// Creates the missing folders between `root` and `target`, re-checking
/// containment after each one.
fn create_parents(root: &Path, target: &Path) -> Result<(), PackError> {
    let Some(parent) = target.parent() else {
        return Ok(());
    };
    let rest = parent.strip_prefix(root).map_err(|_| PackError::Escapes {
        path: target.to_path_buf(),
    })?;
    let mut at = root.to_path_buf();
    for c in rest.components() {
        let Component::Normal(part) = c else {
            return Err(PackError::Escapes {
                path: target.to_path_buf(),
            });
        };
        at.push(part);
        if std::fs::symlink_metadata(&at).is_err() {
            std::fs::create_dir(&at)
                .map_err(|e| SaveError::io("create a folder", e, at.clone()))?;
        }
        let real = at
            .canonicalize()
            .map_err(|e| SaveError::io("open a folder", e, at.clone()))?;
        if !real.starts_with(root) || !real.is_dir() {
            return Err(PackError::Escapes { path: at });
        }
    }
    Ok(())
}
