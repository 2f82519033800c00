//! The path policy for sources named inside project files.
//!
//! Invariant: a project file can only make Spanmark read regular files
//! inside the project's folder. Stored paths are relative and `/`-separated,
//! with no `..`, root, drive, UNC prefix, backslash, NUL or device name;
//! after resolving symlinks the file must still lie inside the folder.

use std::path::{Component, Path, PathBuf};

use crate::io::error::{PathError, SourceError};

/// Windows device names, refused on every OS so projects stay portable.
const DEVICES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Checks the text of a stored source path against the policy.
///
/// # Errors
/// Names the first rule the path breaks.
pub fn check_relative(path: &str) -> Result<(), PathError> {
    let owned = || path.to_owned();
    if path.is_empty() {
        return Err(PathError::Empty);
    }
    let bytes = path.as_bytes();
    let has_drive = bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic();
    if path.starts_with('/') || path.starts_with('\\') || has_drive {
        return Err(PathError::Absolute(owned()));
    }
    if path.contains('\\') || path.contains('\0') || path.contains(':') {
        return Err(PathError::Malformed(owned()));
    }
    for part in path.split('/') {
        match part {
            "" | "." => return Err(PathError::Malformed(owned())),
            ".." => return Err(PathError::ParentDir(owned())),
            _ => {}
        }
        let stem = part
            .split('.')
            .next()
            .unwrap_or(part)
            .trim_end()
            .to_ascii_lowercase();
        if DEVICES.contains(&stem.as_str()) {
            return Err(PathError::Device(owned()));
        }
    }
    Ok(())
}

/// Resolves a stored path under `project_dir` and checks it names a regular
/// file inside that folder (symlinks followed, then containment re-checked).
///
/// # Errors
/// A [`PathError`] for policy breaches, [`SourceError::Missing`] when absent,
/// [`SourceError::NotRegular`] for folders, FIFOs and devices.
pub fn resolve_source(project_dir: &Path, stored: &str) -> Result<PathBuf, SourceError> {
    check_relative(stored)?;
    let joined = project_dir.join(stored);
    let real = match joined.canonicalize() {
        Ok(real) => real,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(SourceError::Missing),
        Err(e) => return Err(SourceError::Io(e.to_string())),
    };
    let root = project_dir
        .canonicalize()
        .map_err(|e| SourceError::Io(e.to_string()))?;
    if !real.starts_with(&root) {
        return Err(PathError::Escapes(stored.to_owned()).into());
    }
    let meta = std::fs::metadata(&real).map_err(|e| SourceError::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(SourceError::NotRegular);
    }
    Ok(real)
}

/// The stored form of `file` relative to `project_dir`, or `None` when the
/// file lies outside that folder or the result would break the policy.
#[must_use]
pub fn relative_to(project_dir: &Path, file: &Path) -> Option<String> {
    let root = project_dir.canonicalize().ok()?;
    let real = file.canonicalize().ok()?;
    let rest = real.strip_prefix(&root).ok()?;
    let mut parts = Vec::new();
    for c in rest.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_str()?.to_owned()),
            _ => return None,
        }
    }
    let stored = parts.join("/");
    check_relative(&stored).ok().map(|()| stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_refuses_escapes() {
        assert!(check_relative("sources/a.txt").is_ok());
        assert!(check_relative("a b/ü.md").is_ok());
        assert_eq!(check_relative(""), Err(PathError::Empty));
        for bad in [
            "/etc/passwd",
            "C:/x.txt",
            "c:x",
            "\\\\server\\share\\x",
            "\\x",
        ] {
            assert!(
                matches!(check_relative(bad), Err(PathError::Absolute(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            check_relative("../x"),
            Err(PathError::ParentDir(_))
        ));
        assert!(matches!(
            check_relative("a/../../x"),
            Err(PathError::ParentDir(_))
        ));
        assert!(matches!(
            check_relative("a\\b"),
            Err(PathError::Malformed(_))
        ));
        assert!(matches!(
            check_relative("a//b"),
            Err(PathError::Malformed(_))
        ));
        assert!(matches!(
            check_relative("./a"),
            Err(PathError::Malformed(_))
        ));
        assert!(matches!(
            check_relative("a\0b"),
            Err(PathError::Malformed(_))
        ));
        assert!(matches!(check_relative("CON"), Err(PathError::Device(_))));
        assert!(matches!(
            check_relative("x/nul.txt"),
            Err(PathError::Device(_))
        ));
        assert!(matches!(
            check_relative("a/Com1.log"),
            Err(PathError::Device(_))
        ));
    }
}
