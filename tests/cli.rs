//! The `spanmark` binary as a user runs it: exit codes, messages, JSON.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::string_slice,
    missing_docs
)]

mod common;

use std::process::{Command, Output};

fn spanmark(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(args)
        .output()
        .unwrap()
}

fn run(args: &[&str]) -> Output {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    spanmark(&args)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn validate_sample_exits_zero() {
    let out = run(&["validate", common::sample_path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("OK"));
}

#[test]
fn validate_out_of_range_exits_one_naming_it() {
    let (_dir, path) = common::sample_copy();
    let t = std::fs::read_to_string(&path)
        .unwrap()
        .replace("start: 179, end: 225,", "start: 179, end: 4000,");
    std::fs::write(&path, t).unwrap();
    let out = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.contains("annotation #15") && stdout.contains("past the end"),
        "{stdout}"
    );
}

#[test]
fn validate_unreadable_exits_two_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("broken.spanmark.ron");
    std::fs::write(
        &p,
        "(format_version: 1, offset_unit: \"unicode_scalar_value\", name: \"x\", documents: [",
    )
    .unwrap();
    let out = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("line 1")
            && stderr.contains("ends early")
            && stderr.trim_end().ends_with("broken.spanmark.ron"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}

#[test]
fn stats_json_has_the_documented_keys() {
    let out = run(&["stats", common::sample_path().to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"], 3);
    assert_eq!(v["annotations"], 15);
    assert_eq!(v["by_label"]["claim"], 7);
    assert_eq!(v["by_label"]["quote"], 4);
    assert_eq!(v["by_label"]["unverified"], 4);
    assert_eq!(v["by_document"]["dailybuzz.txt"], 7);
}

#[test]
fn new_and_add_build_a_valid_project() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("a.txt");
    std::fs::write(&src, "Officials said “no comment” — 🔥\r\n").unwrap();
    let outside = tempfile::tempdir().unwrap();
    let far = outside.path().join("far.txt");
    std::fs::write(&far, "Copied in.").unwrap();
    let project = dir.path().join("p.spanmark.ron");
    let out = run(&["new", project.to_str().unwrap(), src.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(&[
        "add",
        project.to_str().unwrap(),
        far.to_str().unwrap(),
        src.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Copied") && stdout.contains("Skipped"),
        "{stdout}"
    );
    assert!(dir.path().join("sources/far.txt").exists());
    let saved = std::fs::read_to_string(&project).unwrap();
    assert!(
        saved.contains("path: \"a.txt\"")
            && saved.contains("path: \"sources/far.txt\"")
            && saved.contains("newline: \"crlf\""),
        "{saved}"
    );
    assert_eq!(
        run(&["validate", project.to_str().unwrap()]).status.code(),
        Some(0)
    );
    // `new` never overwrites.
    let again = run(&["new", project.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("already exists"));
}

#[test]
fn adding_a_binary_file_fails_cleanly() {
    let (dir, path) = common::sample_copy();
    let bin = dir.path().join("image.png");
    std::fs::write(&bin, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let before = std::fs::read(&path).unwrap();
    let out = run(&["add", path.to_str().unwrap(), bin.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("looks binary"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}
