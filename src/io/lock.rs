//! The lock file beside an open project: `NAME.spanmark.lock`, plain text
//! naming who has the project open (user, host, process, since when), so a
//! colleague opening it too — on the same machine or over a share — is
//! told, and can open it read-only, open a copy, or take it over.
//!
//! Invariants: a lock is created with `create_new` (two openers never both
//! win), held open with an advisory lock while the project is open, and
//! removed when the [`ProjectLock`] is dropped — only if it is still ours. A
//! lock left by a process of *this* host that no longer runs (its advisory
//! lock is free, or its pid is gone) is stale and replaced; a lock from
//! another host is never judged stale automatically.

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::model::Timestamp;

/// Who holds a lock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    /// User name.
    pub user: String,
    /// Host name.
    pub host: String,
    /// Process id on that host.
    pub pid: u32,
    /// Since when (RFC 3339 UTC, as written).
    pub since: String,
}

impl Holder {
    /// This process, now.
    #[must_use]
    pub fn me(now: Timestamp) -> Self {
        Self {
            user: user_name(),
            host: host_name(),
            pid: std::process::id(),
            since: crate::io::project_file::timestamp::format(now),
        }
    }

    fn to_text(&self) -> String {
        format!(
            "Spanmark lock: this project is open in Spanmark. It is removed when the project \
             is closed; if Spanmark is no longer running there, it may be deleted.\n\
             user: {}\nhost: {}\npid: {}\nsince: {}\n",
            self.user, self.host, self.pid, self.since
        )
    }

    fn parse(text: &str) -> Option<Self> {
        let field = |k: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(k)?.strip_prefix(": "))
                .map(str::to_owned)
        };
        Some(Self {
            user: field("user")?,
            host: field("host")?,
            pid: field("pid")?.parse().ok()?,
            since: field("since")?,
        })
    }

    /// "ines on laptop-7 since 2026-11-25 16:15 UTC".
    #[must_use]
    pub fn describe(&self) -> String {
        format!(
            "{} on {} since {}",
            self.user,
            self.host,
            self.since.replace('T', " ").replace('Z', " UTC")
        )
    }
}

/// Why a lock was not taken.
#[derive(Debug, Error)]
pub enum LockError {
    /// Someone else has the project open.
    #[error("this project is open by {} (lock file {})", .holder.describe(), .path.display())]
    Held {
        /// Who.
        holder: Holder,
        /// The lock file.
        path: PathBuf,
    },
    /// The lock file could not be written (read-only folder, ...).
    #[error("could not create the lock file ({source}): {path}")]
    Io {
        /// Underlying error.
        source: std::io::Error,
        /// The lock file.
        path: PathBuf,
    },
}

/// A held lock; dropping it removes the lock file (if still ours).
#[derive(Debug)]
pub struct ProjectLock {
    path: PathBuf,
    project: PathBuf,
    me: Holder,
    _file: File,
}

/// The lock file of a project: `harbour.spanmark.ron` → `harbour.spanmark.lock`.
#[must_use]
pub fn lock_path(project: &Path) -> PathBuf {
    let name = project
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let stem = name
        .strip_suffix(".spanmark.ron")
        .or_else(|| name.strip_suffix(".ron"))
        .unwrap_or(&name);
    project.with_file_name(format!("{stem}.spanmark.lock"))
}

impl ProjectLock {
    /// Takes the lock of `project`, replacing a stale one from this host.
    ///
    /// # Errors
    /// [`LockError::Held`] when someone else has it open.
    pub fn acquire(project: &Path, now: Timestamp) -> Result<Self, LockError> {
        let path = lock_path(project);
        if let Some(holder) = read_holder(&path) {
            if !is_stale(&path, &holder) {
                return Err(LockError::Held { holder, path });
            }
            let _ = std::fs::remove_file(&path);
        } else if std::fs::symlink_metadata(&path).is_ok() {
            // Empty or unreadable (or not a plain file: a FIFO, a link): its
            // writer died before finishing it, or it is no lock at all.
            let _ = std::fs::remove_file(&path);
        }
        Self::create(project, &path, now)
    }

    /// Takes the lock even though someone holds it (the analyst chose
    /// "Take over" after being told who).
    ///
    /// # Errors
    /// When the lock file cannot be written.
    pub fn take_over(project: &Path, now: Timestamp) -> Result<Self, LockError> {
        let path = lock_path(project);
        let _ = std::fs::remove_file(&path);
        Self::create(project, &path, now)
    }

    fn create(project: &Path, path: &Path, now: Timestamp) -> Result<Self, LockError> {
        let me = Holder::me(now);
        let io = |source| LockError::Io {
            source,
            path: path.to_path_buf(),
        };
        let mut file = match OpenOptions::new().write(true).create_new(true).open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                // Another opener won the race.
                let holder = read_holder(path).unwrap_or_else(|| me.clone());
                return Err(LockError::Held {
                    holder,
                    path: path.to_path_buf(),
                });
            }
            Err(e) => return Err(io(e)),
        };
        file.write_all(me.to_text().as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        let _ = file.try_lock();
        Ok(Self {
            path: path.to_path_buf(),
            project: project.to_path_buf(),
            me,
            _file: file,
        })
    }

    /// Who we are in the lock file.
    #[must_use]
    pub fn holder(&self) -> &Holder {
        &self.me
    }

    /// The project this lock is for.
    #[must_use]
    pub fn project(&self) -> &Path {
        &self.project
    }
}

impl ProjectLock {
    /// True when the lock file on disk is still the one we created (not
    /// replaced by someone who took the project over).
    fn still_ours(&self) -> bool {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            match (self._file.metadata(), std::fs::metadata(&self.path)) {
                (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
                _ => false,
            }
        }
        #[cfg(not(unix))]
        {
            read_holder(&self.path).as_ref() == Some(&self.me)
        }
    }
}

impl Drop for ProjectLock {
    fn drop(&mut self) {
        if self.still_ours() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Copies `project` beside itself as `STEM (copy).spanmark.ron` (or
/// `(copy 2)`, ...) for an analyst who wants to work on while a colleague
/// has it open; returns the copy.
///
/// # Errors
/// When it cannot be read or written.
pub fn copy_beside(project: &Path) -> Result<PathBuf, crate::io::SaveError> {
    let name = project
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let stem = name.strip_suffix(".spanmark.ron").unwrap_or(&name);
    let target = (1..)
        .map(|n| {
            let tag = if n == 1 {
                "copy".to_owned()
            } else {
                format!("copy {n}")
            };
            project.with_file_name(format!("{stem} ({tag}).spanmark.ron"))
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| project.with_file_name(format!("{stem} (copy).spanmark.ron")));
    let bytes = std::fs::read(project)
        .map_err(|e| crate::io::SaveError::io("read", e, project.to_path_buf()))?;
    crate::io::atomic::write_atomic(&target, &bytes)?;
    Ok(target)
}

/// Who holds the lock of `project`, if anyone (stale locks included).
#[must_use]
pub fn holder_of(project: &Path) -> Option<Holder> {
    read_holder(&lock_path(project))
}

fn read_holder(path: &Path) -> Option<Holder> {
    use std::io::Read as _;
    let mut text = String::new();
    // Only a plain file beside the project: never a FIFO (it would block)
    // or a link to a file elsewhere.
    if !std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    File::open(path)
        .ok()?
        .take(4096)
        .read_to_string(&mut text)
        .ok()?;
    Holder::parse(&text)
}

/// A lock from this host whose process is gone.
fn is_stale(path: &Path, holder: &Holder) -> bool {
    if holder.host != host_name() {
        return false;
    }
    let proc_root = Path::new("/proc/self");
    if proc_root.exists() && !Path::new(&format!("/proc/{}", holder.pid)).exists() {
        return true;
    }
    // The holder keeps an advisory lock on the file while it runs.
    match OpenOptions::new().read(true).write(true).open(path) {
        Ok(f) => match f.try_lock() {
            Ok(()) => {
                let _ = f.unlock();
                true
            }
            Err(_) => false,
        },
        Err(_) => false,
    }
}

fn user_name() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "someone".to_owned())
}

/// This machine's name.
#[must_use]
pub fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .or_else(|| {
            ["COMPUTERNAME", "HOSTNAME"]
                .iter()
                .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        })
        .unwrap_or_else(|| "this-computer".to_owned())
}
