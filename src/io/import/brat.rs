//! brat standoff import: a `.ann` file with its `.txt`, or a folder of them.
//!
//! Invariants: the `.txt` is read byte-exact (line endings kept), so
//! offsets count its code points as brat's do; a discontinuous `T` line
//! becomes one span from its first fragment's start to its last
//! fragment's end (the fragments Spanmark writes are split only at line
//! breaks); `AnnotatorNotes` are unescaped as the exporter escapes them;
//! other line kinds (relations, events, attributes) are counted as not
//! placed. Files in a folder are read in name order.

use std::path::{Path, PathBuf};

use crate::io::import::{ImportError, Incoming, IncomingSpan, read_utf8};

/// Reads one `.ann` (with its `.txt`) or every `.ann` in a folder.
///
/// # Errors
/// Unreadable files or a malformed `T` line.
pub fn read(path: &Path) -> Result<Vec<Incoming>, ImportError> {
    let mut anns: Vec<PathBuf> = if path.is_dir() {
        std::fs::read_dir(path)
            .map_err(|e| ImportError::Read {
                message: e.to_string(),
                path: path.to_path_buf(),
            })?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ann"))
            .collect()
    } else {
        vec![path.to_path_buf()]
    };
    anns.sort();
    anns.iter().map(|a| read_one(a)).collect()
}

fn read_one(ann_path: &Path) -> Result<Incoming, ImportError> {
    let txt_path = ann_path.with_extension("txt");
    let text = read_utf8(&txt_path)?;
    let ann = read_utf8(ann_path)?;
    let name = txt_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    let mut spans: Vec<(String, IncomingSpan)> = Vec::new();
    let mut notes: Vec<(String, String)> = Vec::new();
    let mut other = 0usize;
    for (i, line) in ann.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let bad = |m: &str| ImportError::Parse {
            place: format!("line {}", i + 1),
            message: m.to_owned(),
            path: ann_path.to_path_buf(),
        };
        let mut cols = line.splitn(3, '\t');
        let (id, mid, rest) = (
            cols.next().unwrap_or_default(),
            cols.next().unwrap_or_default(),
            cols.next(),
        );
        if id.starts_with('T') {
            let (label, frags) = mid
                .split_once(' ')
                .ok_or_else(|| bad("a T line lacks its offsets"))?;
            let mut bounds = Vec::new();
            for frag in frags.split(';') {
                let (a, b) = frag
                    .trim()
                    .split_once(' ')
                    .ok_or_else(|| bad("bad fragment"))?;
                let a: usize = a.parse().map_err(|_| bad("bad start offset"))?;
                let b: usize = b.parse().map_err(|_| bad("bad end offset"))?;
                bounds.push((a, b));
            }
            let start = bounds.iter().map(|x| x.0).min().unwrap_or(0);
            let end = bounds.iter().map(|x| x.1).max().unwrap_or(0);
            spans.push((
                id.to_owned(),
                IncomingSpan {
                    start,
                    end,
                    label: label.to_owned(),
                    note: None,
                    author: None,
                    created: None,
                    quote: None,
                },
            ));
        } else if id.starts_with('#') && mid.starts_with("AnnotatorNotes ") {
            let target = mid.trim_start_matches("AnnotatorNotes ").trim().to_owned();
            notes.push((target, unescape(rest.unwrap_or_default())));
        } else {
            other += 1;
        }
    }
    for (target, note) in notes {
        if let Some((_, s)) = spans.iter_mut().find(|(id, _)| *id == target) {
            s.note = Some(match s.note.take() {
                Some(old) => format!("{old}\n{note}"),
                None => note,
            });
        }
    }
    let place = if other > 0 {
        format!(
            "{} ({other} relation/event/attribute line(s) not imported)",
            ann_path.display()
        )
    } else {
        ann_path.display().to_string()
    };
    Ok(Incoming {
        text: Some(text),
        name,
        place,
        spans: spans.into_iter().map(|(_, s)| s).collect(),
    })
}

/// Reverses the exporter's note escaping (`\\`, `\n`, `\r`, `\t`, `\uXXXX`).
#[must_use]
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}
