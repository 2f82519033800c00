#!/usr/bin/env bash
# Consumer checks: export the sample project in every format with the
# spanmark binary, then load each export with the real tools (spaCy,
# seqeval, datasets) in a cached virtual environment (.venv-consumers,
# about 1 GB; created on first run, reused afterwards).
#
# Env: SPANMARK_BIN (binary to use; default: build the debug one),
#      SPANMARK_CONSUMER_VENV (venv folder), CARGO_TARGET_DIR (as cargo).
set -euo pipefail
cd "$(dirname "$0")/../.."

VENV=${SPANMARK_CONSUMER_VENV:-.venv-consumers}
if ! "$VENV/bin/python" -c "import spacy, seqeval, datasets" 2>/dev/null; then
  echo "== creating $VENV (spaCy 3.8, seqeval, datasets)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  "$VENV/bin/pip" install --quiet 'spacy==3.8.*' seqeval datasets
fi

BIN=${SPANMARK_BIN:-}
if [ -z "$BIN" ]; then
  cargo build --locked --quiet --bin spanmark
  BIN=${CARGO_TARGET_DIR:-target}/debug/spanmark
fi

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# Two projects: the sample, and a stress project built as a user would
# (new + import of a CSV) with spans inside tokens, across CRLF, nested,
# on combining marks and a ZWJ emoji.
STRESS="$OUT/stress-project/stress.spanmark.ron"
"$BIN" new "$STRESS" tests/fixtures/consumers/stress.txt > /dev/null
"$BIN" import "$STRESS" --format csv tests/fixtures/consumers/stress.csv > /dev/null

declare -A EXT=([doccano]=jsonl [doccano-rel]=jsonl [prodigy]=jsonl [conll]=conll [bilou]=conll
                [labelstudio]=json [w3c]=jsonld [csv]=csv)
status=0
for PROJECT in projects/harbour-fire/harbour-fire.spanmark.ron "$STRESS"; do
  name=$(basename "$PROJECT" .spanmark.ron)
  dir="$OUT/exports-$name"
  mkdir -p "$dir"
  for f in doccano doccano-rel prodigy spacy conll bilou hf brat labelstudio w3c csv; do
    if [ -n "${EXT[$f]:-}" ]; then dest="$dir/$f.${EXT[$f]}"; else dest="$dir/$f"; fi
    "$BIN" export "$PROJECT" --format "$f" --out "$dest" --report "$dir/$f.report.json" > "$dir/$f.stdout"
  done
  echo "== consumers: $name"
  # Offline: datasets must not try the Hub for a local JSON file.
  HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 HF_HOME="$OUT/hf-home" \
    "$VENV/bin/python" tests/consumers/check_exports.py "$dir" "$(dirname "$PROJECT")" || status=1
done
exit "$status"
