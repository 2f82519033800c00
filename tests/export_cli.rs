//! `spanmark export` / `spanmark import` as a user runs them: where files
//! go, the report, `--strict`, one-line errors, import saving the project.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::string_slice,
    missing_docs
)]

mod common;

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn help_lists_every_format_with_its_offset_unit() {
    let out = run(&["export", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    for f in [
        "doccano",
        "doccano-rel",
        "prodigy",
        "spacy",
        "conll",
        "bilou",
        "hf",
        "brat",
        "labelstudio",
        "w3c",
        "csv",
    ] {
        assert!(help.contains(&format!("  {f} ")), "{f} missing:\n{help}");
    }
    assert!(
        help.contains("code points") && help.contains("UTF-16"),
        "{help}"
    );
}

#[test]
fn single_file_to_a_path_and_into_an_existing_folder() {
    let sample = common::sample_path();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.jsonl");
    let out = run(&[
        "export",
        sample.to_str().unwrap(),
        "--format",
        "doccano-rel",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 3);
    assert!(
        text(&out.stdout).contains("0 change(s) or loss(es), 1 warning(s)"),
        "{}",
        text(&out.stdout)
    );
    let out = run(&[
        "export",
        sample.to_str().unwrap(),
        "--format",
        "csv",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(dir.path().join("harbour-fire.csv").exists());
}

#[test]
fn folder_formats_report_json_and_strict() {
    let sample = common::sample_path();
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("conll");
    let report = dir.path().join("r.json");
    let args = |strict: bool| {
        let mut v = vec![
            "export",
            sample.to_str().unwrap(),
            "--format",
            "hf",
            "--out",
            out_dir.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ];
        if strict {
            v.push("--strict");
        }
        v.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let a: Vec<String> = args(false);
    let out = run(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out_dir.join("tags.json").exists() && out_dir.join("harbour-fire.jsonl").exists());
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(r["written"], 14);
    assert_eq!(r["entries"][0]["kind"], "overlap_resolved");
    let a = args(true);
    let out = run(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.trim_end().ends_with("conll"), "{stderr}");
}

#[test]
fn split_and_filters() {
    let sample = common::sample_path();
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("split");
    let out = run(&[
        "export",
        sample.to_str().unwrap(),
        "--format",
        "prodigy",
        "--out",
        out_dir.to_str().unwrap(),
        "--split",
        "34,33,33",
        "--seed",
        "1",
        "--labels",
        "claim,quote",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let lines: usize = ["train", "dev", "test"]
        .iter()
        .map(|p| {
            std::fs::read_to_string(out_dir.join(format!("{p}.jsonl")))
                .unwrap()
                .lines()
                .count()
        })
        .sum();
    assert_eq!(lines, 3);
    assert!(
        !std::fs::read_to_string(out_dir.join("train.jsonl"))
            .unwrap()
            .contains("unverified")
    );
}

#[test]
fn errors_are_one_line_with_the_path_last() {
    let sample = common::sample_path();
    let out = run(&[
        "export",
        sample.to_str().unwrap(),
        "--format",
        "csv",
        "--out",
        "/nonexistent-dir/x/y.csv",
    ]);
    assert_ne!(out.status.code(), Some(0));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.trim_end().ends_with("y.csv") && !stderr.contains("panicked"),
        "{stderr}"
    );
    let out = run(&[
        "export",
        sample.to_str().unwrap(),
        "--format",
        "csv",
        "--out",
        "x.csv",
        "--labels",
        "nope",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no label named \"nope\""));
    let out = run(&[
        "export",
        "/nonexistent.spanmark.ron",
        "--format",
        "csv",
        "--out",
        "x.csv",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr)
            .trim_end()
            .ends_with("/nonexistent.spanmark.ron")
    );
}

#[test]
fn export_then_import_through_the_cli_saves_the_project() {
    let (dir, path) = common::sample_copy();
    let csv = dir.path().join("all.csv");
    let out = run(&[
        "export",
        path.to_str().unwrap(),
        "--format",
        "csv",
        "--out",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Re-importing into the same project places nothing (all duplicates).
    let before = std::fs::read(&path).unwrap();
    let out = run(&[
        "import",
        path.to_str().unwrap(),
        "--format",
        "csv",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Imported 0 annotation(s)"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "nothing placed, nothing saved"
    );
    // Drop the annotations, then import them back from the CSV.
    let stripped: String = String::from_utf8(before.clone())
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with("(id: ") || !l.contains(" label: "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&path, stripped).unwrap();
    let report = dir.path().join("import.json");
    let out = run(&[
        "import",
        path.to_str().unwrap(),
        "--format",
        "csv",
        csv.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Imported 15 annotation(s)"),
        "{}",
        text(&out.stdout)
    );
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(
        (r["placed"].as_u64(), r["by_label"]["claim"].as_u64()),
        (Some(15), Some(7))
    );
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(saved.matches("origin: \"csv:all.csv\"").count(), 15);
    assert_eq!(
        run(&["validate", path.to_str().unwrap()]).status.code(),
        Some(0)
    );
}
