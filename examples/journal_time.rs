//! Times the recovery journal on a big project: the snapshot written at
//! the first unsaved change, one appended edit, and a replay.
//! `cargo run --release --example journal_time -- PROJECT`

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    missing_docs
)]

use std::time::Instant;

use spanmark::io::Workspace;
use spanmark::io::journal::{self, Header, Journal};
use spanmark::model::{Edit, Timestamp};

fn main() {
    let path = std::path::PathBuf::from(std::env::args().nth(1).expect("PROJECT"));
    let ws = Workspace::open(&path).unwrap();
    let data = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let header = Header::new(Some(path.clone()), None, None, Timestamp(0));
    let mut j = Journal::start(data.path(), header, &ws.project, vec!["x".into()]).unwrap();
    let start = t.elapsed();
    j.flush();
    let written = t.elapsed();
    let id = ws.project.annotations().next().unwrap().id;
    let edit = Edit::SetNote {
        id,
        note: Some("n".into()),
        at: Timestamp(1),
    };
    let t = Instant::now();
    j.append("Edit note", edit, Timestamp(1));
    let append = t.elapsed();
    j.flush();
    let bytes = std::fs::read(j.path()).unwrap();
    let t = Instant::now();
    let r = journal::replay(journal::decode(&bytes)).unwrap();
    let replay = t.elapsed();
    println!(
        "{} annotations: start {start:?} on the UI thread (snapshot of {} KB written by the worker after {written:?}), append one edit {append:?}, replay {replay:?} ({} changes)",
        ws.project.annotation_count(),
        bytes.len() / 1024,
        r.names.len()
    );
}
