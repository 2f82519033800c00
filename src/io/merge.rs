//! Merging project files: colleagues' copies (N-way) and git's three-way
//! merge driver. The rules live in [`crate::model::merge`] and
//! [`crate::model::merge3`]; this module reads and writes the files.
//!
//! Invariants: a colleague's file is read with the real loader (the same
//! validation as opening it) and only its own folder is read for sources,
//! through the path policy. A document new to our project has its source
//! referred to where it lies inside our folder, or copied into our folder's
//! `sources/` — nothing is written outside the folder of the project being
//! merged into. The driver writes only the file git names (`%A`), atomically,
//! and leaves it untouched when any of the three cannot be read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::io::error::{LoadError, SaveError};
use crate::io::paths::{relative_to, resolve_source};
use crate::io::project_file;
use crate::io::relocate::copy_into;
use crate::io::workspace::Workspace;
use crate::model::merge::{MergeReport, merge_into, merge_into_with};
use crate::model::merge3::merge3;
use crate::model::{Document, DocumentId, Project};
use crate::model::{Progress, Stopped};

/// Why a merge failed.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A project file could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The result could not be written.
    #[error(transparent)]
    Save(#[from] SaveError),
    /// Written by a newer Spanmark: merging could lose what it added.
    #[error("the project file was written by a newer Spanmark; merge it there: {0}")]
    Newer(PathBuf),
}

/// A colleague's copy, ready to merge into ours.
#[derive(Clone, Debug)]
pub struct Theirs {
    /// Their project, with new documents' paths made valid from our folder.
    pub project: Project,
    /// Whom to name in messages: the one author of all its annotations, or
    /// the file name.
    pub who: String,
    /// Anything to tell the analyst about their sources.
    pub notes: Vec<String>,
    /// Source texts embedded in their file (a single-file project), by
    /// the SHA-256 of the document they belong to.
    pub texts: BTreeMap<String, String>,
}

/// Reads a colleague's project file for merging into `ours`, which lives in
/// `our_dir` (`None` while ours is unsaved: paths are kept as they are).
///
/// # Errors
/// Their file cannot be read or is from a newer Spanmark; a source could not
/// be copied into our folder.
pub fn read_theirs(
    path: &Path,
    ours: &Project,
    our_dir: Option<&Path>,
) -> Result<Theirs, MergeError> {
    let parsed = project_file::load_file(path)?;
    if parsed.read_only {
        return Err(MergeError::Newer(path.to_path_buf()));
    }
    let embedded = parsed.embedded;
    let mut project = parsed.project;
    let who = new_authors(&project, ours).unwrap_or_else(|| who_made(&project, path));
    let their_dir = crate::io::workspace::folder_of(path);
    let mut notes = Vec::new();
    let mut texts = BTreeMap::new();
    for (id, text) in embedded {
        if let Some(d) = project.document(id) {
            texts.insert(d.sha256.clone(), text);
        }
    }
    if let Some(our_dir) = our_dir {
        for doc in project.documents_mut() {
            let known = ours
                .documents()
                .iter()
                .any(|d| d.sha256 == doc.sha256 || d.path == doc.path);
            if known {
                continue;
            }
            if let Some(text) = texts.get(&doc.sha256) {
                // Sent as a single file: write the source out beside ours.
                match write_embedded(our_dir, doc, text) {
                    Ok(stored) => doc.path = stored,
                    Err(e) => notes.push(format!(
                        "The source of “{}” from {who} could not be written out ({e}); \
                         its text is kept in memory and in a single-file save.",
                        doc.name
                    )),
                }
                continue;
            }
            match resolve_source(&their_dir, &doc.path) {
                Ok(real) => {
                    doc.path = match relative_to(our_dir, &real) {
                        Some(rel) => rel,
                        None => copy_into(our_dir, &real, &doc.sha256)?,
                    };
                }
                Err(e) => notes.push(format!(
                    "The source of “{}” from {who} could not be read ({e}); \
                     use Locate file… once you have it.",
                    doc.name
                )),
            }
        }
    }
    Ok(Theirs {
        project,
        who,
        notes,
        texts,
    })
}

/// Writes an embedded text into `our_dir/sources/` as the bytes it was read
/// from (checked against the document's hash); returns the stored path.
fn write_embedded(our_dir: &Path, doc: &Document, text: &str) -> Result<String, SaveError> {
    let fail =
        |e: std::io::Error| SaveError::io("write a merged source", e, our_dir.join("sources"));
    let bytes = crate::io::pack::encode(text, &doc.encoding, doc.bom)
        .filter(|b| crate::io::source::sha256_hex(b) == doc.sha256)
        .ok_or_else(|| {
            fail(std::io::Error::other(
                "the text does not match its recorded hash",
            ))
        })?;
    let name = doc
        .path
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty() && *n != "..")
        .unwrap_or("source.txt");
    let staging = tempfile::tempdir().map_err(fail)?;
    let file = staging.path().join(name);
    std::fs::write(&file, bytes).map_err(fail)?;
    copy_into(our_dir, &file, &doc.sha256)
}

/// After a merge was applied to `ws`: gives every added document its text,
/// from their file when it was a single file, else from our folder.
/// Returns how many have none.
pub fn adopt_texts(ws: &mut Workspace, theirs: &Theirs) -> usize {
    for d in ws.project.documents() {
        if ws.sources.contains_key(&d.id) {
            continue;
        }
        if let Some(t) = theirs.texts.get(&d.sha256) {
            let text = std::sync::Arc::new(crate::model::SourceText::new(t.clone()));
            ws.sources
                .insert(d.id, crate::io::workspace::SourceState::Ready(text));
        }
    }
    ws.load_new_sources()
}

/// The authors of what `theirs` has and `ours` has not (matched by quote,
/// label and author), when one to three: "Bob", "Bob, Chen".
fn new_authors(theirs: &Project, ours: &Project) -> Option<String> {
    let known: std::collections::BTreeSet<(&str, &str, &str)> = ours
        .annotations()
        .map(|a| (a.anchor.quote.as_str(), a.label.as_str(), a.author.as_str()))
        .collect();
    let new: std::collections::BTreeSet<&str> = theirs
        .annotations()
        .filter(|a| {
            !known.contains(&(a.anchor.quote.as_str(), a.label.as_str(), a.author.as_str()))
        })
        .map(|a| a.author.as_str())
        .filter(|a| !a.is_empty())
        .collect();
    (1..=3)
        .contains(&new.len())
        .then(|| new.into_iter().collect::<Vec<_>>().join(", "))
}

/// The one author of every annotation in `project`, or the file's folder
/// and name (copies of one project usually share the file name).
#[must_use]
pub fn who_made(project: &Project, path: &Path) -> String {
    let mut authors = project.annotations().map(|a| a.author.as_str());
    let first = authors.next().filter(|a| !a.is_empty());
    match first {
        Some(a) if authors.all(|b| b == a) => a.to_owned(),
        _ => {
            let folder = path
                .parent()
                .and_then(Path::file_name)
                .map(|f| f.to_string_lossy().into_owned());
            let file = path
                .file_name()
                .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
            folder.map_or(file.clone(), |f| format!("{f}/{file}"))
        }
    }
}

/// Merges `theirs` into the open workspace's project (placing annotations
/// on changed sources in our texts). Returns the merge; the caller applies
/// its edit.
#[must_use]
pub fn merge_into_workspace(ws: &Workspace, theirs: &Theirs) -> crate::model::merge::Merged {
    let merged = merge_into(&ws.project, &theirs.project, &theirs.who, &|d| {
        ws.text(d).cloned()
    });
    with_their_notes(merged, theirs)
}

/// As [`merge_into_workspace`], reporting to and stopped by `progress`
/// ([`crate::model::merge::merge_into_with`]).
///
/// # Errors
/// [`Stopped`].
pub fn merge_into_workspace_with(
    ws: &Workspace,
    theirs: &Theirs,
    progress: &Progress,
) -> Result<crate::model::merge::Merged, Stopped> {
    let texts = |d| ws.text(d).cloned();
    merge_into_with(&ws.project, &theirs.project, &theirs.who, &texts, progress)
        .map(|merged| with_their_notes(merged, theirs))
}

/// The notes reading their copy made, put before the merge's own.
fn with_their_notes(
    mut merged: crate::model::merge::Merged,
    theirs: &Theirs,
) -> crate::model::merge::Merged {
    merged
        .report
        .notes
        .splice(0..0, theirs.notes.iter().cloned());
    merged
}

/// `spanmark merge`: merges `inputs` (the first is the base: its documents,
/// paths and label colours win) and saves the result to `out`.
///
/// # Errors
/// Any input unreadable, or the save failing.
pub fn merge_files(inputs: &[PathBuf], out: &Path) -> Result<Vec<MergeReport>, MergeError> {
    let Some((first, rest)) = inputs.split_first() else {
        return Ok(Vec::new());
    };
    let mut ws = Workspace::open(first)?;
    if ws.read_only.is_some() {
        return Err(MergeError::Newer(first.clone()));
    }
    let dir = ws.folder();
    let mut reports = Vec::new();
    for path in rest {
        let theirs = read_theirs(path, &ws.project, Some(&dir))?;
        let merged = merge_into_workspace(&ws, &theirs);
        ws.project = merged.project;
        adopt_texts(&mut ws, &theirs);
        reports.push(merged.report);
    }
    ws.save_as(out)?;
    Ok(reports)
}

/// The version of `project` whose bytes hash to `sha256`, from its
/// previous versions (`.spanmark-history`), newest first: the common
/// ancestor for merging the file on disk with the work in memory.
#[must_use]
pub fn find_version(project: &Path, sha256: &str) -> Option<Project> {
    crate::io::backup::list(project)
        .iter()
        .rev()
        .find(|b| {
            std::fs::read(b).is_ok_and(|bytes| crate::io::source::sha256_hex(&bytes) == sha256)
        })
        .and_then(|b| project_file::load_file(b).ok())
        .map(|parsed| parsed.project)
}

/// Reads the project file on disk (their version of our project).
///
/// # Errors
/// Unreadable, invalid, or from a newer Spanmark.
pub fn read_disk_version(path: &Path) -> Result<Project, MergeError> {
    let parsed = project_file::load_file(path)?;
    if parsed.read_only {
        return Err(MergeError::Newer(path.to_path_buf()));
    }
    Ok(parsed.project)
}

/// `spanmark merge-driver %O %A %B`: merges `theirs` into `ours` (git's
/// `%A`, overwritten with the result) from their `base`. Returns the
/// number of conflicts marked.
///
/// # Errors
/// Any of the three unreadable (then `ours` is left as it was).
pub fn merge_driver(
    base: &Path,
    ours: &Path,
    theirs: &Path,
) -> Result<(usize, MergeReport), MergeError> {
    type Loaded = (Project, BTreeMap<DocumentId, String>);
    let load = |p: &Path| -> Result<Loaded, MergeError> {
        let parsed = project_file::load_file(p)?;
        if parsed.read_only {
            return Err(MergeError::Newer(p.to_path_buf()));
        }
        Ok((parsed.project, parsed.embedded))
    };
    let (o, a, b) = (load(base)?, load(ours)?, load(theirs)?);
    let merged = merge3(&o.0, &a.0, &b.0);
    // Single-file projects stay single files: embed every text either side had.
    let mut by_hash: BTreeMap<&str, &str> = BTreeMap::new();
    for (p, texts) in [&b, &a] {
        for (id, t) in texts {
            if let Some(d) = p.document(*id) {
                by_hash.insert(d.sha256.as_str(), t.as_str());
            }
        }
    }
    let embedded: BTreeMap<DocumentId, &str> = merged
        .project
        .documents()
        .iter()
        .filter_map(|d| by_hash.get(d.sha256.as_str()).map(|t| (d.id, *t)))
        .collect();
    project_file::save_with(ours, &merged.project, &embedded)?;
    Ok((merged.conflicts, merged.report))
}
