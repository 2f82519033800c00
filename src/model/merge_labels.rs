//! Bringing another copy's labels into a project before merging annotations.
//!
//! Invariants: labels are matched by name (case-insensitive, as
//! [`Project::label_by_name`]); a matched label keeps this project's colour
//! and hotkey and the difference is reported, never silently dropped. A new
//! label keeps its id unless taken, loses a hotkey another label already
//! uses, and gets another colour when its colour is already in use — each
//! such change is reported in plain words. Every change is an [`Edit`]
//! applied to the working project and recorded, so the whole merge is one
//! undoable step.

use std::collections::BTreeMap;

use crate::model::edit::{Edit, LabelProps};
use crate::model::label::{LabelId, Rgb};
use crate::model::project::Project;

/// Colours offered to a merged label whose own colour is already used.
const SPARE_COLOURS: [[u8; 3]; 12] = [
    [0x4e, 0x79, 0xa7],
    [0xf2, 0x8e, 0x2b],
    [0xe1, 0x57, 0x59],
    [0x76, 0xb7, 0xb2],
    [0x59, 0xa1, 0x4f],
    [0xed, 0xc9, 0x48],
    [0xb0, 0x7a, 0xa1],
    [0xff, 0x9d, 0xa7],
    [0x9c, 0x75, 0x5f],
    [0xba, 0xb0, 0xac],
    [0x1f, 0x9e, 0x89],
    [0x8c, 0x6b, 0xd6],
];

/// A colour no label of `project` uses (the first spare one), or `fallback`
/// when all spare colours are taken.
#[must_use]
pub fn unused_colour(project: &Project, fallback: Rgb) -> Rgb {
    SPARE_COLOURS
        .iter()
        .map(|c| Rgb(*c))
        .find(|c| project.labels().iter().all(|l| l.color != *c))
        .unwrap_or(fallback)
}

/// Merges `theirs`' labels into `work`, pushing the edits made onto `edits`
/// and a sentence per resolved clash onto `notes`. Returns their label id →
/// the id in `work`.
pub fn merge_labels(
    work: &mut Project,
    theirs: &Project,
    who: &str,
    edits: &mut Vec<Edit>,
    notes: &mut Vec<String>,
) -> BTreeMap<LabelId, LabelId> {
    let mut map = BTreeMap::new();
    for label in theirs.labels() {
        if let Some(ours) = work.label_by_name(&label.name).cloned() {
            map.insert(label.id.clone(), ours.id.clone());
            if ours.placeholder && !label.placeholder {
                // Ours was only a stand-in: their definition is the real one.
                let props = LabelProps {
                    name: ours.name.clone(),
                    hotkey: label.hotkey.filter(|k| work.label_by_hotkey(*k).is_none()),
                    ..LabelProps::of(label)
                };
                apply(work, edits, notes, Edit::EditLabel { id: ours.id, props });
                continue;
            }
            if ours.color != label.color {
                notes.push(format!(
                    "Label “{}”: kept colour {} ({who} had {}).",
                    ours.name,
                    ours.color.to_hex(),
                    label.color.to_hex()
                ));
            }
            if ours.hotkey != label.hotkey && label.hotkey.is_some() {
                notes.push(format!(
                    "Label “{}”: kept hotkey {} ({who} had {}).",
                    ours.name,
                    key_name(ours.hotkey),
                    key_name(label.hotkey)
                ));
            }
            continue;
        }
        let mut new = label.clone();
        if work.label(&new.id).is_some() {
            new.id = work.fresh_label_id(&new.name);
        }
        if let Some(k) = new.hotkey
            && let Some(holder) = work.label_by_hotkey(k)
        {
            notes.push(format!(
                "Label “{}” from {who}: hotkey {k} is taken by “{}”, so it has none here.",
                new.name, holder.name
            ));
            new.hotkey = None;
        }
        if let Some(same) = work.labels().iter().find(|l| l.color == new.color) {
            let colour = unused_colour(work, new.color);
            if colour != new.color {
                notes.push(format!(
                    "Label “{}” from {who}: colour {} is used by “{}”, so it is {} here.",
                    new.name,
                    new.color.to_hex(),
                    same.name,
                    colour.to_hex()
                ));
                new.color = colour;
            }
        }
        map.insert(label.id.clone(), new.id.clone());
        let index = work.labels().len();
        apply(work, edits, notes, Edit::AddLabel { label: new, index });
    }
    map
}

fn key_name(k: Option<char>) -> String {
    k.map_or_else(|| "none".to_owned(), |c| c.to_string())
}

/// Applies `edit` to `work` and records it. The merge only builds edits
/// that apply; should the model refuse one anyway, that is said in `notes`
/// (never silently skipped) and false is returned.
pub(crate) fn apply(
    work: &mut Project,
    edits: &mut Vec<Edit>,
    notes: &mut Vec<String>,
    edit: Edit,
) -> bool {
    let kept = edit.clone();
    match edit.apply(work) {
        Ok(_) => {
            edits.push(kept);
            true
        }
        Err(e) => {
            notes.push(format!("Not merged: {e} ({kept:?})"));
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::label::Label;

    #[test]
    fn same_names_merge_and_clashes_are_reported() {
        let mut ours = Project::new("a");
        let taken = ours.labels()[0].clone();
        // Same name as ours, other colour: ours kept, reported.
        let mut claim = ours.label(&LabelId::new("claim")).cloned().unwrap();
        claim.color = Rgb([1, 2, 3]);
        // A new label whose hotkey and colour are taken here.
        let mut source = Label::new("source", "source", taken.color);
        source.hotkey = taken.hotkey;
        let (theirs, _) =
            Project::from_parts("b".into(), vec![], vec![], vec![claim, source], vec![]);
        let (mut edits, mut notes) = (Vec::new(), Vec::new());
        let map = merge_labels(&mut ours, &theirs, "bob", &mut edits, &mut notes);
        assert_eq!(map[&LabelId::new("claim")], LabelId::new("claim"));
        let added = ours.label(&map[&LabelId::new("source")]).unwrap();
        assert_eq!(added.hotkey, None);
        assert_ne!(added.color, taken.color);
        assert_eq!(edits.len(), 1);
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(notes[0].contains("kept colour"), "{notes:?}");
    }
}
