//! Bodies of the cargo-fuzz targets, one function per target.
//!
//! Invariants: each function takes arbitrary bytes and must return without
//! panicking, hanging or allocating without bound, whatever the input; a
//! rejection is a typed error whose message ends with the path (checked
//! here, so a fuzzer finds a message without one). This file depends only
//! on `spanmark`, `tempfile` and std, so the main crate's
//! `tests/fuzz_seeds.rs` includes it and runs every target over its seed
//! corpus in plain `cargo test`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use spanmark::io::Workspace;
use spanmark::io::import::{ImportFormat, ImportOptions, import_file};
use spanmark::io::paths::{check_relative, resolve_source};
use spanmark::io::project_file::{parse, to_ron_string};
use spanmark::io::source::decode;
use spanmark::model::{CharOffset, CharRange, History, Timestamp};

/// Names of every target, as in `fuzz/Cargo.toml` and `fuzz/seeds/`.
pub const TARGETS: &[&str] = &[
    "project_loader",
    "source_decoder",
    "path_policy",
    "import_doccano",
    "import_prodigy",
    "import_brat",
    "import_labelstudio",
    "import_csv",
    "import_w3c",
];

/// Runs the target called `name` on `data` (for the seed-corpus test).
pub fn run(name: &str, data: &[u8]) {
    match name {
        "project_loader" => project_loader(data),
        "source_decoder" => source_decoder(data),
        "path_policy" => path_policy(data),
        other => import(other.trim_start_matches("import_"), data),
    }
}

/// The project loader: parse, and when accepted, write and parse again —
/// what we accept we must be able to save and read back.
pub fn project_loader(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(parsed) = parse(text) else { return };
    let written = to_ron_string(&parsed.project).expect("an accepted project serialises");
    let again = parse(&written).expect("a written project parses");
    assert_eq!(
        again.project.annotation_count(),
        parsed.project.annotation_count(),
        "no annotation lost in a round trip"
    );
}

/// The source decoder, then offset conversions on whatever it decoded.
pub fn source_decoder(data: &[u8]) {
    let Ok(d) = decode(data) else { return };
    let t = &d.text;
    let n = t.char_len();
    let a = data.first().map_or(0, |&b| usize::from(b)) % (n + 2);
    let b = data.last().map_or(0, |&b| usize::from(b)) * 7 % (n + 2);
    let r = CharRange::new(a, b);
    if let Some(s) = t.slice(r) {
        assert_eq!(s.chars().count(), r.len());
    }
    if let Some(byte) = t.byte_of(CharOffset(a)) {
        assert_eq!(t.char_of(byte), Some(CharOffset(a)));
    }
    let _ = (t.line_count(), t.line_col(CharOffset(a)));
    let _ = t.snap_to_graphemes(r);
    let _ = t.trim_whitespace(r);
    let _ = (
        t.next_grapheme(CharOffset(a)),
        t.prev_grapheme(CharOffset(b)),
    );
}

/// A folder with a regular file, a sub-folder, a FIFO-free symlink leading
/// out, made once per process.
fn policy_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("sources/sub")).expect("mkdir");
        std::fs::write(dir.path().join("sources/a.txt"), "a").expect("write");
        #[cfg(unix)]
        {
            let _ = std::os::unix::fs::symlink("/etc", dir.path().join("sources/out"));
        }
        dir
    })
    .path()
}

/// The path policy: the check, then resolution inside a real folder. Any
/// path accepted must resolve inside it.
pub fn path_policy(data: &[u8]) {
    let Ok(path) = std::str::from_utf8(data) else {
        return;
    };
    let checked = check_relative(path);
    let dir = policy_dir();
    match resolve_source(dir, path) {
        Ok(real) => {
            assert!(checked.is_ok(), "resolved a path the policy refuses");
            let root = std::fs::canonicalize(dir).expect("canonical dir");
            assert!(real.starts_with(&root), "{} escapes", real.display());
            assert!(real.is_file());
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// A copy of the sample project, opened once per process, and a scratch
/// folder for the fuzzed files (on tmpfs when there is one).
fn sample() -> &'static (tempfile::TempDir, Workspace, tempfile::TempDir) {
    static SAMPLE: OnceLock<(tempfile::TempDir, Workspace, tempfile::TempDir)> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        // The fuzz crate or, when included by the main crate's tests, the main crate.
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        let from = [
            here.join("../projects/harbour-fire"),
            here.join("projects/harbour-fire"),
        ]
        .into_iter()
        .find(|p| p.is_dir())
        .expect("the sample project");
        std::fs::create_dir_all(dir.path().join("sources")).expect("mkdir");
        for name in [
            "harbour-fire.spanmark.ron",
            "sources/dailybuzz.txt",
            "sources/fire-service-statement.txt",
            "sources/meridian-ledger.txt",
        ] {
            std::fs::copy(from.join(name), dir.path().join(name)).expect("copy sample");
        }
        let ws = Workspace::open(&dir.path().join("harbour-fire.spanmark.ron")).expect("sample");
        let shm = Path::new("/dev/shm");
        let scratch = if shm.is_dir() {
            tempfile::tempdir_in(shm)
        } else {
            tempfile::tempdir()
        }
        .expect("scratch dir");
        (dir, ws, scratch)
    })
}

/// An importer (`doccano`, `prodigy`, `brat`, `labelstudio`, `csv`, `w3c`):
/// the bytes become the file (for brat, the `.ann` up to the first NUL and
/// the `.txt` after it), which is imported into the sample project. A
/// failure leaves the project unchanged; a success is one undo step.
pub fn import(format: &str, data: &[u8]) {
    let format = ImportFormat::parse(format).expect("known format");
    let (_dir, ws, scratch) = sample();
    let file: PathBuf = if format == ImportFormat::Brat {
        let cut = data.iter().position(|&b| b == 0).unwrap_or(data.len());
        let ann = scratch.path().join("doc.ann");
        std::fs::write(&ann, &data[..cut]).expect("write");
        std::fs::write(
            scratch.path().join("doc.txt"),
            data.get(cut + 1..).unwrap_or_default(),
        )
        .expect("write");
        ann
    } else {
        let f = scratch.path().join("input");
        std::fs::write(&f, data).expect("write");
        f
    };
    let mut ws = ws.clone();
    let before = ws.project.clone();
    let mut history = History::new_saved();
    let opts = ImportOptions {
        format,
        add_documents: false,
        author: "fuzz".into(),
        now: Timestamp(1_795_600_000),
    };
    match import_file(&mut ws, &mut history, &file, &opts) {
        Ok(_) => {
            if history.undo_len() == 1 {
                history.undo(&mut ws.project).expect("an import undoes");
                assert!(ws.project == before, "undo restores the project");
            } else {
                assert!(ws.project == before, "nothing placed, nothing changed");
            }
        }
        Err(e) => {
            assert!(ws.project == before, "a failed import changes nothing");
            let msg = e.to_string();
            assert!(!msg.is_empty());
        }
    }
}
