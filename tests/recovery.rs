//! Crash recovery: the journal format (checksums, torn records), and the
//! real workbench dropped without saving then started again — the offer
//! must restore exactly the unsaved edits.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod ui_common;

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use spanmark::io::journal::{self, Header, Journal, Record};
use spanmark::io::recovery;
use spanmark::model::{AnnotationId, Edit, LabelId, Project, Timestamp};
use spanmark::ui::command::Command;
use ui_common::{harness, sample_copy};

fn journals(data: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(data.join(journal::RECOVERY_DIR))
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let n = p.file_name().unwrap().to_string_lossy().into_owned();
                    !n.ends_with(".lock") && !n.starts_with('.')
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Opens the sample in a workbench journaling into `data` and makes four
/// unsaved changes; returns the project as it then is in memory.
fn edit_without_saving(file: &Path, data: &Path) -> Project {
    let mut h = harness(Some(file), vec![]);
    h.state_mut().recovery.data_dir = Some(data.to_path_buf());
    let wb = h.state_mut();
    wb.execute(Command::SetNote(
        AnnotationId(1),
        "checked with the port".into(),
    ));
    wb.execute(Command::Retag(AnnotationId(2), LabelId::new("unverified")));
    wb.execute(Command::AddLabel("rumour".into()));
    wb.execute(Command::SelectAnnotation(AnnotationId(3)));
    wb.execute(Command::Delete);
    wb.execute(Command::Undo); // the delete, undone: journaled too
    wb.execute(Command::MarkReviewed(AnnotationId(4)));
    h.run();
    assert!(h.state().is_dirty());
    assert_eq!(journals(data).len(), 1, "one journal for the session");
    h.state().ws.as_ref().unwrap().project.clone()
    // The harness is dropped here without saving: as if the app was killed.
}

#[test]
fn killed_gui_restarts_with_an_offer_that_restores_exactly_the_unsaved_edits() {
    let (_dir, file) = sample_copy();
    let data = tempfile::tempdir().unwrap();
    let before_file = std::fs::read(&file).unwrap();
    let expected = edit_without_saving(&file, data.path());
    assert_eq!(std::fs::read(&file).unwrap(), before_file, "nothing saved");

    let mut h = harness(None, vec![]);
    h.state_mut().recovery.data_dir = Some(data.path().to_path_buf());
    h.state_mut().offer_recovery();
    h.run();
    let offer = h.state().recovery.offers[0].offer();
    assert!(
        offer.starts_with("Restore 6 unsaved changes to Port Aldren warehouse fire from "),
        "{offer}"
    );
    h.get_by_label(&offer);
    let summary = h.state().recovery.offers[0].summary();
    assert!(
        summary.contains("Undo Delete annotation, Mark as reviewed"),
        "{summary}"
    );
    h.get_by_role_and_label(Role::Button, "Restore").click();
    h.run();
    let wb = h.state();
    let ws = wb.ws.as_ref().expect("restored");
    assert!(ws.project == expected, "exactly the pre-crash project");
    assert_eq!(ws.path.as_deref(), Some(file.as_path()));
    assert!(wb.is_dirty(), "restored changes are unsaved until saved");
    assert!(wb.recovery.offers.is_empty());

    // Restored work is journaled on: a second crash loses nothing either.
    h.state_mut()
        .execute(Command::SetNote(AnnotationId(5), "after restore".into()));
    let expected2 = h.state().ws.as_ref().unwrap().project.clone();
    drop(h);
    let mut h = harness(None, vec![]);
    h.state_mut().recovery.data_dir = Some(data.path().to_path_buf());
    h.state_mut().offer_recovery();
    h.state_mut().execute(Command::RestoreRecovery(0));
    assert!(h.state().ws.as_ref().unwrap().project == expected2);

    // Saving ends the journal.
    h.state_mut().execute(Command::Save);
    assert!(!h.state().is_dirty(), "{:?}", h.state().message);
    assert!(journals(data.path()).is_empty());
    let saved = spanmark::io::Workspace::open(&file).unwrap();
    assert_eq!(
        saved
            .project
            .annotation(AnnotationId(5))
            .unwrap()
            .note
            .as_deref(),
        Some("after restore")
    );
}

#[test]
fn a_torn_last_record_is_ignored_and_earlier_ones_kept() {
    let (_dir, file) = sample_copy();
    let data = tempfile::tempdir().unwrap();
    edit_without_saving(&file, data.path());
    let j = journals(data.path()).pop().unwrap();
    let bytes = std::fs::read(&j).unwrap();
    // Cut into the last record, as a crash mid-write would.
    std::fs::write(&j, &bytes[..bytes.len() - 7]).unwrap();
    let offers = recovery::pending(data.path());
    assert_eq!(offers.len(), 1);
    assert_eq!(offers[0].changes(), 5, "the torn 6th change is left out");
    assert!(offers[0].replayed.names.last().unwrap().starts_with("Undo"));
    // A flipped byte in an earlier record stops the replay there.
    let mut bad = bytes.clone();
    let third_line = bad
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(2)
        .unwrap()
        .0;
    bad[third_line - 3] ^= 0x20;
    std::fs::write(&j, &bad).unwrap();
    assert_eq!(recovery::pending(data.path())[0].changes(), 1);
}

#[test]
fn discarding_keeps_the_journal_aside_and_never_offers_it_again() {
    let (_dir, file) = sample_copy();
    let data = tempfile::tempdir().unwrap();
    edit_without_saving(&file, data.path());
    let mut h = harness(None, vec![]);
    h.state_mut().recovery.data_dir = Some(data.path().to_path_buf());
    h.state_mut().offer_recovery();
    h.run();
    h.get_by_role_and_label(Role::Button, "Discard").click();
    h.run();
    assert!(h.state().recovery.offers.is_empty());
    assert!(h.state().ws.is_none());
    let left = journals(data.path());
    assert_eq!(left.len(), 1);
    assert!(left[0].to_string_lossy().ends_with(".journal.discarded"));
    assert!(recovery::pending(data.path()).is_empty());
}

#[test]
fn a_live_session_journal_is_not_offered_to_another_window() {
    let (_dir, file) = sample_copy();
    let data = tempfile::tempdir().unwrap();
    let mut h = harness(Some(&file), vec![]);
    h.state_mut().recovery.data_dir = Some(data.path().to_path_buf());
    h.state_mut()
        .execute(Command::SetNote(AnnotationId(1), "live".into()));
    assert_eq!(journals(data.path()).len(), 1);
    assert!(recovery::pending(data.path()).is_empty(), "locked: in use");
    drop(h);
    assert_eq!(recovery::pending(data.path()).len(), 1);
}

#[test]
fn a_restored_project_is_not_saved_over_a_file_changed_since() {
    let (_dir, file) = sample_copy();
    let data = tempfile::tempdir().unwrap();
    edit_without_saving(&file, data.path());
    let theirs = std::fs::read_to_string(&file)
        .unwrap()
        .replace("Port Aldren warehouse fire", "Port Aldren fire (theirs)");
    std::fs::write(&file, &theirs).unwrap();
    let mut h = harness(None, vec![]);
    h.state_mut().recovery.data_dir = Some(data.path().to_path_buf());
    h.state_mut().offer_recovery();
    h.state_mut().execute(Command::RestoreRecovery(0));
    h.state_mut().execute(Command::Save);
    assert!(h.state().is_dirty());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), theirs);
}

#[test]
fn journal_snapshots_and_replay_give_the_same_project() {
    let (_dir, file) = sample_copy();
    let data = tempfile::tempdir().unwrap();
    let ws = spanmark::io::Workspace::open(&file).unwrap();
    let mut p = ws.project.clone();
    let header = Header::new(Some(file.clone()), None, None, Timestamp(1));
    let mut j = Journal::start(data.path(), header, &p, vec![]).unwrap();
    for k in 0..1200u32 {
        let id = AnnotationId(u64::from(k % 15) + 1);
        let edit = Edit::SetNote {
            id,
            note: Some(format!("note {k} “é” 👨🏻\u{200d}🚒\n")),
            at: Timestamp(i64::from(k)),
        };
        edit.clone().apply(&mut p).unwrap();
        j.append("Edit note", edit, Timestamp(i64::from(k)));
        if j.snapshot_due(Timestamp(i64::from(k))) {
            j.snapshot(&p, Timestamp(i64::from(k)));
        }
    }
    j.flush();
    assert_eq!(j.take_error(), None);
    let bytes = std::fs::read(j.path()).unwrap();
    let records = journal::decode(&bytes);
    assert!(
        records.len() < 500,
        "snapshots keep the journal short ({} records)",
        records.len()
    );
    assert!(matches!(records[1], Record::Snapshot { .. }));
    let replayed = journal::replay(records).unwrap();
    assert!(replayed.project == p);
    assert_eq!(replayed.names.len(), 1200);
    assert_eq!(replayed.failed, 0);
}

#[test]
fn closing_or_quitting_with_discard_sets_the_journal_aside() {
    use spanmark::ui::command::Answer;
    for then in [Command::CloseProject, Command::Quit] {
        let (_dir, file) = sample_copy();
        let data = tempfile::tempdir().unwrap();
        let mut h = harness(Some(&file), vec![]);
        h.state_mut().recovery.data_dir = Some(data.path().to_path_buf());
        h.state_mut()
            .execute(Command::SetNote(AnnotationId(1), "given up".into()));
        h.state_mut().execute(then.clone());
        h.state_mut().execute(Command::Answer(Answer::Discard));
        drop(h);
        let left = journals(data.path());
        assert_eq!(left.len(), 1, "{then:?}");
        assert!(left[0].to_string_lossy().ends_with(".journal.discarded"));
        assert!(recovery::pending(data.path()).is_empty(), "{then:?}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Cut anywhere or with any byte flipped, a journal decodes to a prefix
    /// of its records: never a panic, never a record that was not written.
    #[test]
    fn a_damaged_journal_decodes_to_a_prefix(cut in 0usize..=1000, flip in 0usize..1000, bit in 0u8..8) {
        let p = spanmark::io::Workspace::open(&spanmark_sample()).unwrap().project;
        let mut bytes = journal::encode(&Record::Header(Header::new(None, None, None, Timestamp(0))));
        let edits: Vec<Edit> = (1..=20u64)
            .map(|k| Edit::SetNote { id: AnnotationId(k % 15 + 1), note: Some(format!("n{k} é👍")), at: Timestamp(0) })
            .collect();
        bytes.extend(journal::encode(&Record::Snapshot { at: Timestamp(0), names: vec![], project: Box::new(journal::Snapshot::of(&p)) }));
        for e in &edits {
            bytes.extend(journal::encode(&Record::Edit { at: Timestamp(0), name: "n".into(), edit: e.clone() }));
        }
        let full: Vec<Vec<u8>> = journal::decode(&bytes).iter().map(journal::encode).collect();
        proptest::prop_assert_eq!(full.len(), 22);
        // Per mille of the journal's length: cut anywhere, flip anywhere.
        let mut damaged = bytes[..bytes.len() * cut / 1000].to_vec();
        if let Some(b) = damaged.get_mut(bytes.len() * flip / 1000) {
            *b ^= 1 << bit;
        }
        let got: Vec<Vec<u8>> = journal::decode(&damaged).iter().map(journal::encode).collect();
        proptest::prop_assert!(got.len() <= full.len());
        proptest::prop_assert_eq!(&got[..], &full[..got.len()]);
    }
}

fn spanmark_sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/harbour-fire/harbour-fire.spanmark.ron")
}
