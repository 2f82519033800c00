//! Atomic file replacement.
//!
//! Invariant: after [`write_atomic`] returns, the target holds either its
//! old bytes (on any error) or exactly the new bytes; never a mix, never
//! empty. The new bytes go to a temporary file in the same folder, are
//! flushed to disk, renamed over the target, and the folder is flushed.
//! A symlinked target is followed: the file it points to is replaced and the
//! link stays. Temporary files are named `.NAME.spanmark-tmp*`. A target
//! that is not a regular file (a FIFO, a device, a folder) is refused
//! without being opened.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::io::error::SaveError;

/// Prefix marker of temporary files, for cleanup after a crash.
pub const TEMP_MARKER: &str = ".spanmark-tmp";

/// Writes `bytes` to `path` atomically, keeping an existing file's
/// permissions (new files get 0644).
///
/// # Errors
/// Read-only target, full disk, or any I/O failure; the old file is then
/// byte-identical and no temporary file is left.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_atomic_checked(path, &[bytes], || Ok(()), || Ok(()))
}

/// As [`write_atomic`] for bytes given in pieces (written one after the
/// other), with two checks that can stop the replacement:
/// `check` runs on another thread while the bytes are written and flushed
/// (CPU work such as verifying them overlaps the wait for the disk), and
/// `last` runs after both, right before the rename (such as "is the file
/// on disk still the one we know?"). If either fails, the temporary file is
/// removed, the target is untouched, and that error is returned.
///
/// # Errors
/// As [`write_atomic`], or the checks' errors.
pub fn write_atomic_checked(
    path: &Path,
    pieces: &[&[u8]],
    check: impl FnOnce() -> Result<(), SaveError> + Send,
    last: impl FnOnce() -> Result<(), SaveError>,
) -> Result<(), SaveError> {
    let mut file = AtomicFile::create(path)?;
    let err = |action| move |e| SaveError::io(action, e, path.to_path_buf());
    let (written, checked) = std::thread::scope(|s| {
        let checker = std::thread::Builder::new().spawn_scoped(s, check);
        let written = pieces
            .iter()
            .try_for_each(|bytes| file.tmp.write_all(bytes))
            .map_err(err("write"))
            .and_then(|()| file.tmp.as_file().sync_all().map_err(err("flush to disk")));
        let checked = match checker {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(SaveError::Verify {
                    message: "the check of the new file stopped unexpectedly".into(),
                    path: path.to_path_buf(),
                })
            }),
            // No second thread could run: the check runs here.
            Err(_) => Err(SaveError::Verify {
                message: "no thread was free to check the new file".into(),
                path: path.to_path_buf(),
            }),
        };
        (written, checked)
    });
    written?;
    checked?;
    last()?;
    file.persist()
}

/// A file being replaced atomically: its new bytes go to a temporary file
/// next to it ([`AtomicFile::file`]), which [`AtomicFile::commit`] flushes
/// to disk and renames over the target. Dropped without a commit, the
/// temporary file is removed and the target is untouched.
#[derive(Debug)]
pub struct AtomicFile {
    tmp: tempfile::NamedTempFile,
    /// The file replaced (a symlink's target).
    target: PathBuf,
    /// Its folder.
    dir: PathBuf,
    /// The path as given (for messages).
    path: PathBuf,
    existing: Option<fs::Metadata>,
}

impl AtomicFile {
    /// Starts replacing `path` (see [`write_atomic`] for what is refused).
    ///
    /// # Errors
    /// The target is not a regular file or is read-only, or no temporary
    /// file can be made next to it.
    pub fn create(path: &Path) -> Result<Self, SaveError> {
        let target = resolve_link(path);
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let existing = fs::metadata(&target).ok();
        if let Some(meta) = &existing {
            // A FIFO would block the open below; a device or folder must never
            // be renamed over.
            if !meta.is_file() {
                return Err(SaveError::NotRegular {
                    path: path.to_path_buf(),
                });
            }
            let writable = fs::OpenOptions::new().write(true).open(&target).is_ok();
            if meta.permissions().readonly() || !writable {
                return Err(SaveError::ReadOnly {
                    path: path.to_path_buf(),
                });
            }
        }
        let name = target
            .file_name()
            .map_or_else(|| "project".into(), |n| n.to_string_lossy().into_owned());
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}{TEMP_MARKER}"))
            .tempfile_in(&dir)
            .map_err(|e| SaveError::io("create a temporary file", e, path.to_path_buf()))?;
        Ok(Self {
            tmp,
            target,
            dir,
            path: path.to_path_buf(),
            existing,
        })
    }

    /// The temporary file the new bytes are written to.
    #[must_use]
    pub fn file(&self) -> &fs::File {
        self.tmp.as_file()
    }

    /// Flushes the new bytes to disk and puts them in place.
    ///
    /// # Errors
    /// Flushing, permissions or the rename failed; the target is then
    /// untouched and the temporary file removed.
    pub fn commit(self) -> Result<(), SaveError> {
        self.tmp
            .as_file()
            .sync_all()
            .map_err(|e| SaveError::io("flush to disk", e, self.path.clone()))?;
        self.persist()
    }

    /// Puts the (already flushed) new bytes in place.
    fn persist(self) -> Result<(), SaveError> {
        let path = self.path;
        match &self.existing {
            Some(meta) => self.tmp.as_file().set_permissions(meta.permissions()),
            None => set_new_file_permissions(self.tmp.as_file()),
        }
        .map_err(|e| SaveError::io("set permissions", e, path.clone()))?;
        self.tmp
            .persist(&self.target)
            .map_err(|e| SaveError::io("replace the file", e.error, path.clone()))?;
        sync_dir(&self.dir);
        Ok(())
    }
}

/// Removes temporary files a crashed save left in `dir` for file `name`.
/// Returns how many were removed.
pub fn clean_stray_temps(dir: &Path, name: &str) -> usize {
    let prefix = format!(".{name}{TEMP_MARKER}");
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let is_ours = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(&prefix));
        if is_ours && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

fn resolve_link(path: &Path) -> PathBuf {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link && let Ok(real) = fs::canonicalize(path) {
        return real;
    }
    path.to_path_buf()
}

/// New project files are readable by colleagues on a share: 0644.
#[cfg(unix)]
fn set_new_file_permissions(file: &fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_new_file_permissions(_file: &fs::File) -> std::io::Result<()> {
    Ok(())
}

/// Flushes a folder's entry list so the rename survives power loss (Unix).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}
