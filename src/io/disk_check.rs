//! Is the project file on disk still the version this window knows?
//!
//! Invariant: a save replaces the file only if its bytes hash to the hash
//! recorded when it was opened or last saved here, *and* nothing touched
//! it between that hashing and the rename: the file's identity (device,
//! inode, size, modification time) is taken before it is read and compared
//! again right before the rename. So the hashing can run on another thread
//! while the new text is written, without opening a window in which a
//! colleague's save could slip in unnoticed (a replacement by rename — what
//! Spanmark, sync tools and git do — always changes the inode).
//! A file that cannot be read counts as unchanged (saving recreates it),
//! unless one appears before the rename.
//!
//! Reading and hashing the file each time (31 MB at 100k annotations: a
//! fifth of a save's CPU, and a stall of the window when the project's
//! file is checked on regaining focus) is skipped when it is still a
//! version whose hash is known: [`SeenFile`] remembers one version — its
//! stamp and, on Unix, its status-change time, which every write, rename
//! or `touch` moves forward and no tool can set back — with the hash of
//! its bytes. It is taken after our own save (right after the rename) and
//! after opening (only for a file last changed over a second before it
//! was read, so a second write within the same clock tick cannot hide).
//! What is left uncaught is a write by another program landing within the
//! same clock tick as our own rename (≤ 4 ms on Linux, finer with
//! multigrain timestamps) and keeping the size; the save then still keeps
//! the replaced file as a backup when one is due.

use std::fs::Metadata;
use std::path::Path;
use std::time::SystemTime;

use crate::io::error::SaveError;

/// What identifies one version of a file without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    modified: Option<SystemTime>,
    device: u64,
    inode: u64,
}

impl FileStamp {
    /// The stamp of a file's metadata.
    #[must_use]
    pub fn of(meta: &Metadata) -> Self {
        #[cfg(unix)]
        let (device, inode) = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let (device, inode) = (0, 0);
        Self {
            len: meta.len(),
            modified: meta.modified().ok(),
            device,
            inode,
        }
    }

    /// The stamp of the file at `path` (following links), `None` when
    /// there is none.
    #[must_use]
    pub fn read(path: &Path) -> Option<Self> {
        std::fs::metadata(path).ok().map(|m| Self::of(&m))
    }
}

/// A [`FileStamp`] with the status-change time (Unix only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Version {
    stamp: FileStamp,
    changed: SystemTime,
}

impl Version {
    /// The version of a regular file's metadata; `None` elsewhere than on
    /// Unix (no status-change time to rely on) and for anything but a file.
    fn of(meta: &Metadata) -> Option<Self> {
        if !meta.is_file() {
            return None;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let secs = u64::try_from(meta.ctime()).ok()?;
            let nanos = u32::try_from(meta.ctime_nsec()).ok()?;
            let changed =
                SystemTime::UNIX_EPOCH.checked_add(std::time::Duration::new(secs, nanos))?;
            Some(Self {
                stamp: FileStamp::of(meta),
                changed,
            })
        }
        #[cfg(not(unix))]
        {
            None
        }
    }

    /// The version of the file at `path` as the file system has it now:
    /// the file is opened first, which makes a network file system
    /// (NFS's close-to-open rule) fetch fresh attributes instead of
    /// answering from its cache.
    fn read(path: &Path) -> Option<Self> {
        // Only a regular file is opened (opening a FIFO would block).
        if !std::fs::metadata(path).ok()?.is_file() {
            return None;
        }
        let meta = std::fs::File::open(path).and_then(|f| f.metadata()).ok()?;
        Self::of(&meta)
    }
}

/// How long before it is read a file must have been last changed for its
/// version to be remembered at opening.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(1);

/// One version of the project file and the SHA-256 of its bytes (see the
/// module docs); a pure cache of a fact about that version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeenFile {
    version: Version,
    hash: String,
}

/// Taken before a file is read: [`SeenFile::after_read`] remembers the
/// version read if it did not change meanwhile.
#[derive(Clone, Copy, Debug)]
pub struct BeforeRead(Option<Version>);

impl SeenFile {
    /// The version of the file at `path`, taken before reading it.
    #[must_use]
    pub fn before_read(path: &Path) -> BeforeRead {
        BeforeRead(Version::read(path))
    }

    /// The file at `path`, read and hashed to `hash`, if it is still the
    /// version taken before the read and was last changed over a second
    /// before that.
    #[must_use]
    pub fn after_read(path: &Path, before: BeforeRead, hash: &str) -> Option<Self> {
        let version = before.0?;
        let settled = SystemTime::now()
            .duration_since(version.changed)
            .is_ok_and(|age| age >= SETTLED);
        (settled && Version::read(path) == Some(version)).then(|| Self {
            version,
            hash: hash.to_owned(),
        })
    }

    /// True when the file at `path` is still this version (its hash is
    /// then known without reading it).
    #[must_use]
    pub fn is_current(&self, path: &Path) -> bool {
        Version::read(path) == Some(self.version)
    }

    /// The file at `path` right after we renamed our bytes, hashing to
    /// `hash`, over it.
    #[must_use]
    pub fn written(path: &Path, hash: &str) -> Option<Self> {
        Version::read(path).map(|version| Self {
            version,
            hash: hash.to_owned(),
        })
    }
}

/// The file on disk as read once: its stamp and the hash of its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskCheck {
    stamp: Option<FileStamp>,
    hash: Option<String>,
    touched_while_read: bool,
}

impl DiskCheck {
    /// As [`DiskCheck::take`], without reading the file when it is still
    /// the version `seen` (whose hash is then the file's).
    #[must_use]
    pub fn take_known(path: &Path, seen: Option<&SeenFile>) -> Self {
        match seen {
            Some(seen) if seen.is_current(path) => Self::of_seen(seen),
            _ => Self::take(path),
        }
    }

    /// What reading the file would find, for a file still at `seen`.
    fn of_seen(seen: &SeenFile) -> Self {
        Self {
            stamp: Some(seen.version.stamp),
            hash: Some(seen.hash.clone()),
            touched_while_read: false,
        }
    }

    /// As [`DiskCheck::take_known`] with `seen`, and when the file had to
    /// be read, remembering in `seen` the version read (if it qualifies:
    /// [`SeenFile::after_read`]), so the next check can skip reading it.
    pub fn take_remembering(path: &Path, seen: &mut Option<SeenFile>) -> Self {
        if let Some(known) = seen.as_ref().filter(|s| s.is_current(path)) {
            return Self::of_seen(known);
        }
        let before = SeenFile::before_read(path);
        let check = Self::take(path);
        if let Some(hash) = &check.hash
            && !check.touched_while_read
            && let Some(read) = SeenFile::after_read(path, before, hash)
        {
            *seen = Some(read);
        }
        check
    }

    /// Reads and hashes the file at `path`.
    #[must_use]
    pub fn take(path: &Path) -> Self {
        let meta = std::fs::metadata(path).ok();
        let stamp = meta.as_ref().map(FileStamp::of);
        // Something other than a file where ours was (a FIFO would block
        // the read) is certainly not our file.
        if meta.is_some_and(|m| !m.is_file()) {
            return Self {
                stamp,
                hash: None,
                touched_while_read: true,
            };
        }
        let hash = std::fs::File::open(path)
            .and_then(crate::io::source::sha256_hex_of)
            .ok();
        Self {
            stamp,
            hash,
            touched_while_read: FileStamp::read(path) != stamp,
        }
    }

    /// True when the file read had the hash `known` (or could not be read).
    #[must_use]
    pub fn matches(&self, known: &str) -> bool {
        !self.touched_while_read && self.hash.as_deref().is_none_or(|h| h == known)
    }

    /// Ok when the file read had the hash `known` and is still that file.
    ///
    /// # Errors
    /// [`SaveError::ChangedOnDisk`] otherwise.
    pub fn confirm(&self, path: &Path, known: &str) -> Result<(), SaveError> {
        if self.matches(known) && FileStamp::read(path) == self.stamp {
            Ok(())
        } else {
            Err(SaveError::ChangedOnDisk {
                path: path.to_path_buf(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `bytes` over the file in place (same inode), as an editor
    /// or a sync tool might.
    fn rewrite_in_place(path: &Path, bytes: &[u8]) {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)
            .unwrap_or_else(|e| panic!("{e}"));
        f.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
    }

    #[cfg(unix)]
    #[test]
    fn a_version_seen_is_not_read_again_until_the_file_changes() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("p.ron");
        std::fs::write(&path, "ours").unwrap_or_else(|e| panic!("{e}"));
        let ours = crate::io::source::sha256_hex(b"ours");
        // A hash that is not the bytes' proves the file was not read.
        let seen = SeenFile::written(&path, "remembered");
        assert!(seen.is_some());
        let check = DiskCheck::take_known(&path, seen.as_ref());
        assert!(check.matches("remembered") && !check.matches(&ours));
        assert!(check.confirm(&path, "remembered").is_ok());
        // Rewritten in place with the same size (after a clock tick):
        // read and hashed again.
        std::thread::sleep(std::time::Duration::from_millis(30));
        rewrite_in_place(&path, b"them");
        let check = DiskCheck::take_known(&path, seen.as_ref());
        assert!(check.matches(&crate::io::source::sha256_hex(b"them")));
        // Even with its modification time set back (as `cp -p` or
        // `touch -r` do): same inode, size and modification time, but the
        // status-change time moved.
        let seen = SeenFile::written(&path, "remembered");
        let mtime = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .unwrap_or_else(|e| panic!("{e}"));
        std::thread::sleep(std::time::Duration::from_millis(30));
        rewrite_in_place(&path, b"ours");
        let f = std::fs::File::options()
            .append(true)
            .open(&path)
            .unwrap_or_else(|e| panic!("{e}"));
        f.set_modified(mtime).unwrap_or_else(|e| panic!("{e}"));
        let check = DiskCheck::take_known(&path, seen.as_ref());
        assert_eq!(FileStamp::read(&path), check.stamp);
        assert!(check.matches(&ours) && !check.matches("remembered"));
        // Gone, or not a file: no version, so nothing is skipped.
        std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(SeenFile::written(&path, "x").is_none());
        std::fs::create_dir(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(SeenFile::written(&path, "x").is_none());
    }

    #[cfg(unix)]
    #[test]
    fn a_file_read_is_remembered_only_once_settled_and_unchanged() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("p.ron");
        std::fs::write(&path, "ours").unwrap_or_else(|e| panic!("{e}"));
        // Changed just now: a second write in the same clock tick could
        // hide, so it is not remembered.
        let before = SeenFile::before_read(&path);
        assert!(SeenFile::after_read(&path, before, "h").is_none());
        let mut seen = None;
        let ours = crate::io::source::sha256_hex(b"ours");
        assert!(DiskCheck::take_remembering(&path, &mut seen).matches(&ours));
        assert!(seen.is_none());
        std::thread::sleep(SETTLED + std::time::Duration::from_millis(50));
        let before = SeenFile::before_read(&path);
        assert!(SeenFile::after_read(&path, before, "h").is_some());
        // A check that reads a settled file remembers it.
        assert!(DiskCheck::take_remembering(&path, &mut seen).matches(&ours));
        assert_eq!(seen.as_ref().map(|s| s.hash.as_str()), Some(ours.as_str()));
        // Changed between the two looks: not remembered.
        let before = SeenFile::before_read(&path);
        rewrite_in_place(&path, b"them");
        assert!(SeenFile::after_read(&path, before, "h").is_none());
    }

    #[test]
    fn a_replaced_or_rewritten_file_is_noticed() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("p.ron");
        std::fs::write(&path, "ours").unwrap_or_else(|e| panic!("{e}"));
        let ours = crate::io::source::sha256_hex(b"ours");
        let check = DiskCheck::take(&path);
        assert!(check.confirm(&path, &ours).is_ok());
        assert!(check.confirm(&path, "another hash").is_err());
        // Replaced by rename with the same bytes and size: a new inode.
        let other = dir.path().join("other");
        std::fs::write(&other, "ours").unwrap_or_else(|e| panic!("{e}"));
        std::fs::rename(&other, &path).unwrap_or_else(|e| panic!("{e}"));
        assert!(check.confirm(&path, &ours).is_err());
        // Missing: unchanged, unless one appears before the rename.
        std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{e}"));
        let gone = DiskCheck::take(&path);
        assert!(gone.confirm(&path, &ours).is_ok());
        std::fs::write(&path, "theirs").unwrap_or_else(|e| panic!("{e}"));
        assert!(gone.confirm(&path, &ours).is_err());
        // Not a file any more (here a folder; a FIFO is refused the same
        // way, without being opened).
        std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(!DiskCheck::take(&path).matches(&ours));
    }
}
