//! Writing this session's recovery journal, off the UI thread.
//!
//! Invariants: jobs are written in the order they were queued (snapshot
//! before the edits after it); edits are encoded on the caller's thread
//! (cheap) and snapshots on the worker (a 50k-annotation project takes
//! ~100 ms to encode and write); the session's liveness lock
//! (`JOURNAL.lock`) is taken before [`Journal::start`] returns and held
//! until the journal is dropped; dropping a journal waits for every queued
//! write, so what was queued is on disk afterwards. A write error is kept
//! and reported once through [`Journal::take_error`]; later writes are
//! still tried.

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::io::atomic::write_atomic;
use crate::io::error::SaveError;
use crate::io::journal::{
    EXTENSION, Header, LOCK_SUFFIX, RECOVERY_DIR, Record, Replayed, SNAPSHOT_EVERY_EDITS,
    SNAPSHOT_EVERY_SECS, Snapshot, encode,
};
use crate::model::{Edit, Project, Timestamp};

enum Job {
    /// Rewrite the file as header + snapshot.
    /// The project is a clone sharing the caller's maps (O(1) to make):
    /// the worker copies what it needs out of it and drops it at once.
    Base(Box<(Header, Vec<String>, Timestamp, Project)>),
    /// Encode one record, append it and flush it to disk (encoded here: a
    /// big batch — an import — takes a while to encode).
    Append(Box<Record>),
    /// Everything is saved: remove the journal.
    Remove,
    /// The analyst discarded the changes: keep the journal aside.
    SetAside,
    /// Answer once everything before is written.
    Flush(Sender<()>),
}

/// An open journal being written by this session.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    lock_path: PathBuf,
    _lock: File,
    header: Header,
    names: Vec<String>,
    since_snapshot: usize,
    snapshot_at: Timestamp,
    tx: Option<Sender<Job>>,
    worker: Option<JoinHandle<()>>,
    error: Arc<Mutex<Option<String>>>,
}

/// The lock file a live session holds beside `journal`.
#[must_use]
pub fn lock_path_of(journal: &Path) -> PathBuf {
    let mut p = journal.as_os_str().to_owned();
    p.push(LOCK_SUFFIX);
    PathBuf::from(p)
}

impl Journal {
    /// Starts a journal in `dir` for a project that has unsaved changes
    /// `names` and is now `project`.
    ///
    /// # Errors
    /// When the folder or the lock cannot be created.
    pub fn start(
        dir: &Path,
        header: Header,
        project: &Project,
        names: Vec<String>,
    ) -> Result<Self, SaveError> {
        let dir = dir.join(RECOVERY_DIR);
        std::fs::create_dir_all(&dir).map_err(|e| SaveError::io("create", e, dir.clone()))?;
        let key = match &header.project_path {
            Some(p) => crate::io::source::sha256_hex(p.to_string_lossy().as_bytes()),
            None => crate::io::source::sha256_hex(
                format!("untitled {} {}", std::process::id(), header.started.0).as_bytes(),
            ),
        };
        let key = key.get(..16).unwrap_or(&key).to_owned();
        // A journal of the same project that is not ours (another live
        // session, or one not yet recovered) is never overwritten.
        let path = (1..)
            .map(|n| match n {
                1 => dir.join(format!("{key}.{EXTENSION}")),
                n => dir.join(format!("{key}-{n}.{EXTENSION}")),
            })
            .find(|p| {
                OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(p)
                    .is_ok()
            })
            .unwrap_or_else(|| dir.join(format!("{key}.{EXTENSION}")));
        let at = header.started;
        let mut j = Self::open(&path, header, names, at)?;
        j.queue_base(project, at);
        Ok(j)
    }

    /// Continues a journal left by an ended session (after a restore).
    ///
    /// # Errors
    /// When it is locked by a live session or cannot be written.
    pub fn adopt(path: &Path, replayed: &Replayed) -> Result<Self, SaveError> {
        let mut j = Self::open(
            path,
            replayed.header.clone(),
            replayed.names.clone(),
            replayed.last,
        )?;
        // Rewrite it so a torn tail is gone before we append.
        j.queue_base(&replayed.project, replayed.last);
        Ok(j)
    }

    fn open(
        path: &Path,
        header: Header,
        names: Vec<String>,
        at: Timestamp,
    ) -> Result<Self, SaveError> {
        let lock_path = lock_path_of(path);
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| SaveError::io("create", e, lock_path.clone()))?;
        if let Err(std::fs::TryLockError::WouldBlock) = lock.try_lock() {
            return Err(SaveError::Io {
                action: "lock the recovery journal",
                source: std::io::Error::other("another Spanmark window uses it"),
                path: path.to_path_buf(),
            });
        }
        let (tx, rx) = channel::<Job>();
        let error = Arc::new(Mutex::new(None));
        let worker = {
            let target = path.to_path_buf();
            let error = Arc::clone(&error);
            std::thread::Builder::new()
                .name("spanmark-journal".into())
                .spawn(move || {
                    let mut file: Option<File> = None;
                    for job in rx {
                        if let Err(e) = run(&target, &mut file, job)
                            && let Ok(mut slot) = error.lock()
                        {
                            slot.get_or_insert(e.to_string());
                        }
                    }
                })
                .map_err(|e| SaveError::io("start the journal writer", e, path.to_path_buf()))?
        };
        Ok(Self {
            path: path.to_path_buf(),
            lock_path,
            _lock: lock,
            header,
            names,
            since_snapshot: 0,
            snapshot_at: at,
            tx: Some(tx),
            worker: Some(worker),
            error,
        })
    }

    fn queue_base(&mut self, project: &Project, at: Timestamp) {
        let job = Job::Base(Box::new((
            self.header.clone(),
            self.names.clone(),
            at,
            project.clone(),
        )));
        self.send(job);
        self.since_snapshot = 0;
        self.snapshot_at = at;
    }

    fn send(&self, job: Job) {
        if let Some(tx) = &self.tx
            && tx.send(job).is_err()
            && let Ok(mut slot) = self.error.lock()
        {
            slot.get_or_insert_with(|| "the journal writer stopped".to_owned());
        }
    }

    /// Queues one applied edit (encoded, written and flushed to disk in
    /// order, on the writer's thread).
    pub fn append(&mut self, name: &str, edit: Edit, at: Timestamp) {
        self.send(Job::Append(Box::new(Record::Edit {
            at,
            name: name.to_owned(),
            edit,
        })));
        self.names.push(name.to_owned());
        self.since_snapshot += 1;
    }

    /// True when a snapshot is due (many edits, or minutes, since the last).
    #[must_use]
    pub fn snapshot_due(&self, now: Timestamp) -> bool {
        self.since_snapshot >= SNAPSHOT_EVERY_EDITS
            || (self.since_snapshot > 0 && now.0 - self.snapshot_at.0 >= SNAPSHOT_EVERY_SECS)
    }

    /// Queues a rewrite of the journal as header + a snapshot of `project`.
    pub fn snapshot(&mut self, project: &Project, now: Timestamp) {
        self.queue_base(project, now);
    }

    /// The first write error since the last call, if any.
    pub fn take_error(&self) -> Option<String> {
        self.error.lock().ok().and_then(|mut e| e.take())
    }

    /// Waits until everything queued so far is on disk.
    pub fn flush(&self) {
        let (tx, rx) = channel();
        self.send(Job::Flush(tx));
        let _ = rx.recv();
    }

    /// Unsaved changes journaled so far.
    #[must_use]
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when nothing is journaled.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The journal file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The project file it is about.
    #[must_use]
    pub fn project_path(&self) -> Option<&Path> {
        self.header.project_path.as_deref()
    }

    /// Ends the session's journal: everything is saved (or deliberately
    /// discarded), so the file is removed.
    pub fn finish(self) {
        self.send(Job::Remove);
    }

    /// Ends the session's journal without saving (the analyst discarded
    /// the changes, or switched to another project): it is kept aside for
    /// a few days as `*.journal.discarded` and never offered.
    pub fn set_aside(self) {
        self.send(Job::SetAside);
    }

    fn stop(&mut self) {
        self.tx = None;
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_file(&self.lock_path);
    }
}

/// Does one job on the worker thread.
fn run(path: &Path, file: &mut Option<File>, job: Job) -> Result<(), SaveError> {
    match job {
        Job::Base(b) => {
            let (header, names, at, project) = *b;
            // Copied out first and the shared project let go, so the
            // window in which the next edit on the UI thread finds the
            // maps still shared (and copies them there) is as short as
            // it can be.
            let snapshot = Snapshot::of(&project);
            drop(project);
            let mut bytes = encode(&Record::Header(header));
            bytes.extend(encode(&Record::Snapshot {
                at,
                names,
                project: Box::new(snapshot),
            }));
            write_atomic(path, &bytes)?;
            *file = None;
        }
        Job::Append(record) => {
            let line = encode(&record);
            if file.is_none() {
                *file = Some(
                    OpenOptions::new()
                        .append(true)
                        .open(path)
                        .map_err(|e| SaveError::io("open", e, path.to_path_buf()))?,
                );
            }
            if let Some(f) = file.as_mut() {
                let err = |e| SaveError::io("write the recovery journal", e, path.to_path_buf());
                f.write_all(&line).map_err(err)?;
                f.sync_data().map_err(err)?;
            }
        }
        Job::Remove => {
            *file = None;
            let _ = std::fs::remove_file(path);
        }
        Job::SetAside => {
            *file = None;
            crate::io::recovery::discard(path);
        }
        Job::Flush(done) => {
            let _ = done.send(());
        }
    }
    Ok(())
}
