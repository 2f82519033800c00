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

/// The file on disk as read once: its stamp and the hash of its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskCheck {
    stamp: Option<FileStamp>,
    hash: Option<String>,
    touched_while_read: bool,
}

impl DiskCheck {
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
