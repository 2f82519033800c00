//! Seeded synthetic corpora for benchmarks: prose with ~10 % non-ASCII
//! text in paragraphs, and projects with many overlapping annotations.
//! Nothing here is committed as data; the same seed gives the same bytes.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use spanmark::io::Workspace;
use spanmark::model::{
    Anchor, Annotation, AnnotationId, CharRange, Document, DocumentId, Edit, LabelId, Newline,
    Project, SourceText, Status, Timestamp,
};

/// A tiny deterministic PRNG (xorshift64*), so corpora need no extra crate.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "the",
    "port",
    "authority",
    "said",
    "fire",
    "warehouse",
    "officials",
    "claimed",
    "report",
    "according",
    "to",
    "witnesses",
    "of",
    "and",
    "in",
    "was",
    "a",
    "that",
    "on",
    "minister",
];
const EXOTIC: &[&str] = &[
    "café",
    "naïve",
    "Москва",
    "Ελλάδα",
    "北京",
    "東京",
    "🔥",
    "👨🏻‍🚒",
    "“quoted”",
    "—",
];

/// About `bytes` bytes of prose in paragraphs.
pub fn prose(bytes: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(bytes + 64);
    let mut para = 0;
    while out.len() < bytes {
        let w = if rng.below(10) == 0 {
            EXOTIC[rng.below(EXOTIC.len())]
        } else {
            WORDS[rng.below(WORDS.len())]
        };
        out.push_str(w);
        para += 1;
        if para > 60 + rng.below(120) {
            out.push_str(".\n\n");
            para = 0;
        } else {
            out.push(' ');
        }
    }
    out
}

/// One long line of about `bytes` bytes: the same prose with every line
/// break replaced by a space (the view must cut it into chunks).
pub fn single_line(bytes: usize, seed: u64) -> String {
    prose(bytes, seed).replace('\n', " ")
}

/// A project over one document holding `text`, with `n` annotations
/// (about a fifth of them overlapping a neighbour).
pub fn project_with(text: &SourceText, n: usize, seed: u64) -> Project {
    let doc = Document {
        id: DocumentId(1),
        name: "bench.txt".into(),
        path: "bench.txt".into(),
        sha256: "0".repeat(64),
        byte_len: text.byte_len() as u64,
        encoding: "UTF-8".into(),
        bom: false,
        newline: Newline::Lf,
        char_len: text.char_len(),
        status: Status::Todo,
    };
    project_over(doc, text, n, seed)
}

/// A project folder on disk, written by the real writer: `dir/NAME.txt`
/// holding `text` and `dir/NAME.spanmark.ron` with `n` annotations over
/// it. Returns the project file's path; open it with `Workspace::open`.
pub fn write_project(dir: &Path, name: &str, text: &str, n: usize, seed: u64) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let source = dir.join(format!("{name}.txt"));
    std::fs::write(&source, text).unwrap();
    let path = dir.join(format!("{name}.spanmark.ron"));
    let mut ws = Workspace::new(Project::new(name));
    ws.path = Some(path.clone());
    let new = ws.prepare_document(&source).unwrap();
    let project = project_over(new.doc, &new.decoded.text, n, seed);
    spanmark::io::project_file::save(&path, &project).unwrap();
    path
}

/// [`write_project`] once per `key`: a folder under `root` is reused when
/// a previous run completed it (a marker file is written last).
pub fn cached_project(
    root: &Path,
    key: &str,
    make_text: impl FnOnce() -> String,
    n: usize,
) -> PathBuf {
    let dir = root.join(key);
    let path = dir.join(format!("{key}.spanmark.ron"));
    let done = dir.join("complete");
    if done.exists() && path.exists() {
        return path;
    }
    let _ = std::fs::remove_dir_all(&dir);
    let path = write_project(&dir, key, &make_text(), n, 11);
    std::fs::write(done, b"ok").unwrap();
    path
}

fn project_over(doc: Document, text: &SourceText, n: usize, seed: u64) -> Project {
    let mut rng = Rng::new(seed);
    let mut p = Project::new("bench");
    let doc_id = doc.id;
    Edit::AddDocument {
        doc: Box::new(doc),
        index: 0,
    }
    .apply(&mut p)
    .unwrap();
    let labels = ["claim", "quote", "unverified"];
    let len = text.char_len();
    let mut annotations = Vec::with_capacity(n);
    let step = (len / n.max(1)).max(2);
    for i in 0..n {
        let start = (i * step + rng.below(step / 2 + 1)).min(len.saturating_sub(2));
        let long = rng.below(5) == 0;
        let span = 5 + rng.below(if long { step * 3 } else { step / 2 + 1 });
        let range = CharRange::new(start, (start + span).min(len));
        annotations.push(Annotation {
            id: AnnotationId(i as u64 + 1),
            doc: doc_id,
            range,
            label: LabelId::new(labels[i % 3]),
            note: (i % 7 == 0).then(|| "needs a second source".to_owned()),
            author: "bench".into(),
            created: Timestamp(1_795_600_000 + i as i64),
            modified: Timestamp(1_795_600_000 + i as i64),
            anchor: Anchor::capture(text, range).unwrap(),
            origin: None,
            agreed: Vec::new(),
            conflict: None,
            review: None,
        });
    }
    let (project, _) = Project::from_parts(
        "bench".into(),
        vec![],
        p.documents().to_vec(),
        p.labels().to_vec(),
        annotations,
    );
    project
}
