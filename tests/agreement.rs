//! Agreement figures against values computed by hand on a small fixture.
//!
//! Text `aa bb cc dd` (11 characters; tokens aa, bb, cc, dd).
//! A: claim [0,5) "aa bb", quote [9,11) "dd".  B: claim [0,2) "aa", quote [9,11).
//!
//! - F1 exact: 1 match of 2+2 spans → 2·1/4 = 0.5.
//! - F1 overlap: every span overlaps one of the same label → 1.0.
//! - κ (characters): agree on 0–1, 5–8, 9–10 = 8 of 11; A: claim 5, none 4,
//!   quote 2; B: claim 2, none 7, quote 2. pe = (10+28+4)/121 = 42/121;
//!   κ = (88−42)/(121−42) = 46/79.
//! - α (tokens): aa {claim,claim}, bb {claim,none}, cc {none,none},
//!   dd {quote,quote}; n = 8, n_claim = 3, n_none = 3, n_quote = 2;
//!   within-unit disagreement Σ = 2; α = 1 − 7·2 / (64 − 22) = 2/3.
//! - claim only: exact 0, overlap 1; κ binary: agree 8/11, pe =
//!   (5·2 + 6·9)/121 = 64/121, κ = 24/57; α: covered {2,1,0,0}…: n_cov 3,
//!   n_not 5, Σ = 2 → α = 1 − 7·2/(64 − 34) = 8/15.
//! - quote only: identical → 1 everywhere.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::float_cmp,
    missing_docs
)]

mod common;

use spanmark::model::agreement::{Coder, SharedDoc, Span, agreement};

fn span(start: usize, end: usize, label: &str) -> Span {
    Span {
        start,
        end,
        label: label.into(),
    }
}

fn coder(name: &str, spans: Vec<Span>) -> Coder {
    Coder {
        name: name.into(),
        docs: [("doc".to_owned(), spans)].into(),
    }
}

fn doc(tokens: bool) -> SharedDoc {
    SharedDoc {
        key: "doc".into(),
        name: "fixture.txt".into(),
        char_len: 11,
        tokens: if tokens {
            vec![(0, 2), (3, 5), (6, 8), (9, 11)]
        } else {
            Vec::new()
        },
    }
}

fn close(x: Option<f64>, want: f64) {
    let x = x.expect("defined");
    assert!((x - want).abs() < 1e-9, "{x} != {want}");
}

#[test]
fn figures_match_the_hand_computed_values() {
    let a = coder("A", vec![span(0, 5, "claim"), span(9, 11, "quote")]);
    let b = coder("B", vec![span(0, 2, "claim"), span(9, 11, "quote")]);
    let r = agreement(&[a, b], &[doc(true)]);
    assert_eq!(r.alpha_unit, "tokens");
    close(r.overall.f1_exact, 0.5);
    close(r.overall.f1_overlap, 1.0);
    close(r.overall.kappa, 46.0 / 79.0);
    close(r.overall.alpha, 2.0 / 3.0);
    let claim = &r.per_label["claim"];
    close(claim.f1_exact, 0.0);
    close(claim.f1_overlap, 1.0);
    close(claim.kappa, 24.0 / 57.0);
    close(claim.alpha, 8.0 / 15.0);
    let quote = &r.per_label["quote"];
    close(quote.f1_exact, 1.0);
    close(quote.kappa, 1.0);
    close(quote.alpha, 1.0);
    // The two claim spans are where they differ.
    let places: Vec<(usize, usize, &str, &str)> = r
        .disagreements
        .iter()
        .map(|d| {
            (
                d.span.start,
                d.span.end,
                d.by[0].as_str(),
                d.not_by[0].as_str(),
            )
        })
        .collect();
    assert_eq!(places, vec![(0, 2, "B", "A"), (0, 5, "A", "B")]);
}

#[test]
fn without_tokens_alpha_counts_characters() {
    // Characters: A claim on 0–4, B on 0–1; quote equal. Values per char:
    // 2 agree claim, 3 disagree, 4 agree none, 2 agree quote; n = 22,
    // n_claim = 7, n_none = 11, n_quote = 4, Σ within = 3·2 = 6;
    // α = 1 − 21·6 / (484 − 49 − 121 − 16) = 1 − 126/298.
    let a = coder("A", vec![span(0, 5, "claim"), span(9, 11, "quote")]);
    let b = coder("B", vec![span(0, 2, "claim"), span(9, 11, "quote")]);
    let r = agreement(&[a, b], &[doc(false)]);
    assert_eq!(r.alpha_unit, "characters");
    close(r.overall.alpha, 1.0 - 126.0 / 298.0);
}

#[test]
fn undefined_measures_say_so() {
    // Nobody annotated anything: chance agreement is total, κ and α are undefined.
    let r = agreement(&[coder("A", vec![]), coder("B", vec![])], &[doc(true)]);
    assert_eq!(r.overall.kappa, None);
    assert_eq!(r.overall.alpha, None);
    assert_eq!(r.overall.f1_exact, None);
}

#[test]
fn the_cli_reports_agreement_between_the_authors_of_a_merged_project() {
    // The sample project has two authors who annotated different spans.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(["agreement", "--json"])
        .arg(common::sample_path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["annotators"],
        serde_json::json!(["Ines Moreau", "Tomás Ruiz"])
    );
    assert_eq!(v["alpha_unit"], "tokens");
    assert_eq!(v["kappa_unit"], "characters");
    assert!(v["overall"]["f1_exact"].is_number());
    assert!(v["disagreements"].as_array().is_some_and(|d| !d.is_empty()));
    assert_eq!(
        v["disagreements"][0]["offset_unit"],
        "unicode_scalar_values"
    );
}
