//! Writes a large generated project for trying the workbench by hand:
//! `cargo run --release --example make_corpus -- OUT_DIR [MEGABYTES] [ANNOTATIONS]`
//! (default 10 MB, 50,000 annotations). The text is seeded prose with ~10 %
//! non-ASCII words; the project file is `OUT_DIR/big.spanmark.ron`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::path::PathBuf;

use spanmark::io::Workspace;
use spanmark::model::{Edit, History, Project, SourceText};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(
        args.next()
            .ok_or("usage: make_corpus OUT_DIR [MEGABYTES] [ANNOTATIONS]")?,
    );
    let mb: usize = args.next().map_or(Ok(10), |s| s.parse())?;
    let n: usize = args.next().map_or(Ok(50_000), |s| s.parse())?;
    std::fs::create_dir_all(&out)?;
    let text = corpus::prose(mb * 1024 * 1024, 7);
    let source = out.join("big.txt");
    std::fs::write(&source, &text)?;
    let project_path = out.join("big.spanmark.ron");
    let mut ws = Workspace::new(Project::new("Generated corpus"));
    ws.path = Some(project_path.clone());
    let new = ws.prepare_document(&source)?;
    let mut history = History::new_unsaved();
    history.apply(
        &mut ws.project,
        "Add document",
        Edit::AddDocument {
            doc: Box::new(new.doc.clone()),
            index: 0,
        },
    )?;
    let generated = corpus::project_with(&SourceText::new(text), n, 11);
    let annotations: Vec<_> = generated
        .annotations()
        .cloned()
        .map(|mut a| {
            a.doc = new.doc.id;
            Edit::AddAnnotation(Box::new(a))
        })
        .collect();
    history.apply(&mut ws.project, "Add annotations", Edit::Batch(annotations))?;
    ws.save_as(&project_path)?;
    println!(
        "wrote {} ({} annotations over {} MB)",
        project_path.display(),
        ws.project.annotation_count(),
        mb
    );
    Ok(())
}
