//! What to export and how: the format table and the export options.
//!
//! Invariant: every format's name, offset unit and limits are stated here
//! once; the CLI help and the GUI dialog read them from [`Format::about`].

use std::fmt;

/// An export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// doccano sequence labeling JSONL (`label: [[start, end, "claim"]]`).
    Doccano,
    /// doccano JSONL with `entities` and `relations`.
    DoccanoRel,
    /// Prodigy / spaCy JSONL with `tokens` and `spans`.
    Prodigy,
    /// spaCy: tokens-and-spans JSONL plus the DocBin helper script.
    Spacy,
    /// CoNLL-2003 columns with IOB2 tags.
    Conll,
    /// CoNLL-2003 columns with BILOU tags.
    Bilou,
    /// Hugging Face token classification JSONL plus the tag list.
    Hf,
    /// brat standoff `.txt` + `.ann` per document.
    Brat,
    /// Label Studio task JSON.
    LabelStudio,
    /// W3C Web Annotation JSON-LD.
    W3c,
    /// CSV, one row per annotation.
    Csv,
}

impl Format {
    /// Every format, in the order shown to users.
    pub const ALL: [Self; 11] = [
        Self::Doccano,
        Self::DoccanoRel,
        Self::Prodigy,
        Self::Spacy,
        Self::Conll,
        Self::Bilou,
        Self::Hf,
        Self::Brat,
        Self::LabelStudio,
        Self::W3c,
        Self::Csv,
    ];

    /// The name used on the command line.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Doccano => "doccano",
            Self::DoccanoRel => "doccano-rel",
            Self::Prodigy => "prodigy",
            Self::Spacy => "spacy",
            Self::Conll => "conll",
            Self::Bilou => "bilou",
            Self::Hf => "hf",
            Self::Brat => "brat",
            Self::LabelStudio => "labelstudio",
            Self::W3c => "w3c",
            Self::Csv => "csv",
        }
    }

    /// Parses a command-line name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// One line for `--help` and the export dialog: shape, offset unit, limits.
    #[must_use]
    pub fn about(self) -> &'static str {
        match self {
            Self::Doccano => {
                "JSONL, one document per line, label: [[start, end, label]]; offsets in Unicode code points (doccano's web UI counts UTF-16 units: warned for emoji); overlaps kept; notes not representable"
            }
            Self::DoccanoRel => {
                "JSONL with entities (start_offset, end_offset in code points, note, author) and relations (empty: Spanmark has no relations yet); lossless"
            }
            Self::Prodigy => {
                "JSONL with tokens and spans (code points; token_end inclusive), note and author on each span; overlaps kept; lossless with --align keep (default)"
            }
            Self::Spacy => {
                "folder: tokens+spans JSONL (code points) and jsonl_to_docbin.py, which builds a .spacy DocBin with spaCy itself; spans snapped to tokens by default"
            }
            Self::Conll => {
                "CoNLL-2003 columns (TOKEN _ _ TAG), IOB2 tags, -DOCSTART- per document, blank line between sentences (UAX #29 sentences, every line break ends one, never inside a span); tokens are UAX #29 words with punctuation, quotes and dashes split; no offsets, notes or overlaps"
            }
            Self::Bilou => "as conll, with BILOU tags",
            Self::Hf => {
                "folder: token classification JSONL (tokens, ner_tags ints, one line per sentence) + tags.json; IOB2; no offsets, notes or overlaps"
            }
            Self::Brat => {
                "folder: NAME.txt (written byte-exact) + NAME.ann per document + annotation.conf; code points; spans crossing line breaks become fragments; notes as AnnotatorNotes"
            }
            Self::LabelStudio => {
                "JSON list of tasks, results with start/end in code points, notes in region meta; --predictions writes pre-annotations; lossless"
            }
            Self::W3c => {
                "W3C Web Annotation JSON-LD collection: TextQuoteSelector + TextPositionSelector (code points), tagging and commenting bodies, creator; lossless"
            }
            Self::Csv => {
                "CSV (RFC 4180, UTF-8): document,start,end,label,text,note,author,created; code points; lossless"
            }
        }
    }

    /// True when the export is a folder of files; otherwise one file
    /// (unless a split or per-label files make it a folder).
    #[must_use]
    pub fn is_folder(self) -> bool {
        matches!(self, Self::Spacy | Self::Hf | Self::Brat)
    }

    /// True when the format can hold overlapping spans.
    #[must_use]
    pub fn holds_overlaps(self) -> bool {
        !matches!(self, Self::Conll | Self::Bilou | Self::Hf)
    }

    /// True when spans are tied to tokens.
    #[must_use]
    pub fn is_token_based(self) -> bool {
        matches!(
            self,
            Self::Prodigy | Self::Spacy | Self::Conll | Self::Bilou | Self::Hf
        )
    }

    /// File extension of the main file(s).
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Self::Doccano | Self::DoccanoRel | Self::Prodigy | Self::Spacy | Self::Hf => "jsonl",
            Self::Conll | Self::Bilou => "conll",
            Self::Brat => "ann",
            Self::LabelStudio => "json",
            Self::W3c => "jsonld",
            Self::Csv => "csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What to do with overlapping spans in formats that cannot hold them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OverlapPolicy {
    /// Keep them (formats that cannot: resolved as `Longest`, and said so).
    #[default]
    Keep,
    /// The longer span wins (then the earlier one).
    Longest,
    /// The earlier span wins (then the longer one).
    First,
    /// One file per label, so only same-label overlaps remain to resolve.
    PerLabel,
}

impl OverlapPolicy {
    /// Parses `keep`, `longest`, `first` or `per-label`.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "keep" => Self::Keep,
            "longest" => Self::Longest,
            "first" => Self::First,
            "per-label" => Self::PerLabel,
            _ => return None,
        })
    }
}

/// What to do with a span whose ends fall inside tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlignPolicy {
    /// Widen it to whole tokens.
    Snap,
    /// Leave it out.
    Drop,
    /// Keep its exact offsets (tag formats cannot: they tag whole tokens).
    Keep,
}

impl AlignPolicy {
    /// Parses `snap`, `drop` or `keep`.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "snap" => Self::Snap,
            "drop" => Self::Drop,
            "keep" => Self::Keep,
            _ => return None,
        })
    }
}

/// A train/dev/test split by document, in percent-like weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Split {
    /// Weight of the training part.
    pub train: u32,
    /// Weight of the development part.
    pub dev: u32,
    /// Weight of the test part.
    pub test: u32,
    /// Seed of the shuffle; the same seed gives the same split.
    pub seed: u64,
}

impl Split {
    /// Parses `80,10,10` with a seed.
    #[must_use]
    pub fn parse(s: &str, seed: u64) -> Option<Self> {
        let parts: Vec<u32> = s
            .split(',')
            .map(|p| p.trim().parse().ok())
            .collect::<Option<_>>()?;
        match parts.as_slice() {
            &[train, dev, test] if train + dev + test > 0 => Some(Self {
                train,
                dev,
                test,
                seed,
            }),
            _ => None,
        }
    }
}

/// Everything an export needs besides the project.
#[derive(Clone, Debug)]
pub struct ExportOptions {
    /// The format.
    pub format: Format,
    /// Documents to export, by name or path (empty: all).
    pub documents: Vec<String>,
    /// Labels to export, by name or id (empty: all).
    pub labels: Vec<String>,
    /// Overlap policy (used by formats that cannot hold overlaps).
    pub overlaps: OverlapPolicy,
    /// Token alignment; `None` uses the format's default (`keep` for
    /// prodigy, `snap` for the others).
    pub align: Option<AlignPolicy>,
    /// Optional train/dev/test split by document.
    pub split: Option<Split>,
    /// Base name of the files written (e.g. the project's name).
    pub stem: String,
    /// Label Studio: write `predictions` instead of `annotations`.
    pub predictions: bool,
}

impl ExportOptions {
    /// Defaults for `format`: everything, overlaps kept, default alignment.
    #[must_use]
    pub fn new(format: Format, stem: &str) -> Self {
        Self {
            format,
            documents: Vec::new(),
            labels: Vec::new(),
            overlaps: OverlapPolicy::Keep,
            align: None,
            split: None,
            stem: stem.to_owned(),
            predictions: false,
        }
    }

    /// The alignment policy in force.
    #[must_use]
    pub fn align_policy(&self) -> AlignPolicy {
        self.align.unwrap_or(match self.format {
            Format::Prodigy => AlignPolicy::Keep,
            _ => AlignPolicy::Snap,
        })
    }
}
