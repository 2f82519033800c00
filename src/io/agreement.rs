//! Gathering annotators for [`crate::model::agreement`]: from several
//! project files (one annotator each) or from the authors of one project
//! (after merging colleagues' copies).
//!
//! Invariants: documents are matched by content hash; spans are compared
//! by label *name*, so copies whose label ids differ still compare. Tokens
//! (for α) are those of the token exports (`io::export::tokenize`),
//! whitespace left out; a document whose text is not available falls back
//! to characters, which the result says.
//!
//! Which documents count as shared: across files, those present (by hash)
//! in every file; within one project, those where every compared author
//! made at least one annotation (an author who never opened a document did
//! not "disagree" with the others on it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::io::error::LoadError;
use crate::io::export::tokenize::tokenize;
use crate::io::merge::who_made;
use crate::io::workspace::Workspace;
use crate::model::agreement::{Agreement, Coder, SharedDoc, Span, agreement, agreement_with};
use crate::model::{Annotation, Document, Progress, Project, SourceText, Stopped};

/// Compares the annotators of several project files. With one file, its
/// authors are compared instead.
///
/// # Errors
/// A project file that cannot be read.
pub fn from_files(paths: &[PathBuf]) -> Result<Agreement, LoadError> {
    let workspaces = paths
        .iter()
        .map(|p| Workspace::open(p))
        .collect::<Result<Vec<_>, _>>()?;
    if let [ws] = workspaces.as_slice() {
        return Ok(by_author(ws, None));
    }
    let mut coders = Vec::new();
    for (ws, path) in workspaces.iter().zip(paths) {
        let mut name = who_made(&ws.project, path);
        if coders.iter().any(|c: &Coder| c.name == name) {
            name = format!("{name} ({})", path.display());
        }
        let mut c = Coder {
            name,
            ..Coder::default()
        };
        for d in ws.project.documents() {
            let spans = spans_of(&ws.project, d, |_| true);
            c.docs.insert(d.sha256.clone(), spans);
        }
        coders.push(c);
    }
    let Some(first) = workspaces.first() else {
        return Ok(agreement(&[], &[]));
    };
    let shared: Vec<SharedDoc> = first
        .project
        .documents()
        .iter()
        .filter(|d| coders.iter().all(|c| c.docs.contains_key(&d.sha256)))
        .map(|d| {
            let text = workspaces.iter().find_map(|w| {
                let same = w
                    .project
                    .documents()
                    .iter()
                    .find(|x| x.sha256 == d.sha256)?;
                w.text(same.id).cloned()
            });
            shared_doc(d, text)
        })
        .collect();
    Ok(agreement(&coders, &shared))
}

/// Compares the authors of one project (`who`: these authors; `None`: all
/// who annotated). An annotation made by several (`agreed`) counts for each.
#[must_use]
pub fn by_author(ws: &Workspace, who: Option<&[String]>) -> Agreement {
    // Nobody stops this report: it always ends with the agreement.
    by_author_with(ws, who, &Progress::new()).unwrap_or_default()
}

/// As [`by_author`], reporting to `progress` and stoppable
/// ([`agreement_with`]).
///
/// # Errors
/// [`Stopped`] when `progress` was stopped.
pub fn by_author_with(
    ws: &Workspace,
    who: Option<&[String]>,
    progress: &Progress,
) -> Result<Agreement, Stopped> {
    let p = &ws.project;
    let names: Vec<String> = who.map_or_else(|| authors_of(p), <[String]>::to_vec);
    let mut coders: Vec<Coder> = names
        .iter()
        .map(|n| Coder {
            name: n.clone(),
            ..Coder::default()
        })
        .collect();
    for d in p.documents() {
        for c in &mut coders {
            let spans = spans_of(p, d, |a| a.authors().any(|x| x == c.name));
            if !spans.is_empty() {
                c.docs.insert(d.sha256.clone(), spans);
            }
        }
    }
    let shared: Vec<SharedDoc> = p
        .documents()
        .iter()
        .filter(|d| coders.iter().all(|c| c.docs.contains_key(&d.sha256)))
        .map(|d| shared_doc(d, ws.text(d.id).cloned()))
        .collect();
    agreement_with(&coders, &shared, progress)
}

/// Everyone who made an annotation in `p` (co-authors included), sorted.
#[must_use]
pub fn authors_of(p: &Project) -> Vec<String> {
    let all: BTreeSet<&str> = p.annotations().flat_map(Annotation::authors).collect();
    all.into_iter().map(str::to_owned).collect()
}

fn spans_of(p: &Project, d: &Document, keep: impl Fn(&Annotation) -> bool) -> Vec<Span> {
    let names: BTreeMap<_, _> = p.labels().iter().map(|l| (&l.id, &l.name)).collect();
    p.annotations_of(d.id)
        .filter(|a| keep(a))
        .map(|a| Span {
            start: a.range.start().0,
            end: a.range.end().0,
            label: names
                .get(&a.label)
                .map_or_else(|| a.label.as_str().to_owned(), |n| (*n).clone()),
        })
        .collect()
}

fn shared_doc(d: &Document, text: Option<Arc<SourceText>>) -> SharedDoc {
    let tokens = text.map_or_else(Vec::new, |t| {
        tokenize(&t)
            .into_iter()
            .filter(|t| !t.space)
            .map(|t| (t.start, t.end))
            .collect()
    });
    SharedDoc {
        key: d.sha256.clone(),
        name: d.name.clone(),
        char_len: d.char_len,
        tokens,
    }
}
