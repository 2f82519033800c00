#!/usr/bin/env bash
# Layer guard: the model is pure, io knows no GUI, one file uses rfd.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
check() { # pattern, folder, message
  # Comment lines may name other layers; code may not.
  if hits=$(grep -rnE "$1" "$2" --include='*.rs' | grep -vE '^[^:]+:[0-9]+:[[:space:]]*//'); then
    echo "layer violation: $3"; echo "$hits"; fail=1
  fi
}
check 'std::fs|std::env|std::net|std::process|SystemTime|Instant::now|egui|eframe|rfd' src/model 'src/model must stay pure (no fs, clock, GUI)'
check 'egui|eframe|rfd' src/io 'src/io must not know the GUI'
check 'egui|eframe|rfd' src/cli 'src/cli is headless'
if [ -d src/ui ]; then check 'eframe' src/ui 'only src/app.rs and src/main.rs know eframe'; fi
rfd_files=$( (grep -rlE '\brfd::' src --include='*.rs' || true) | wc -l)
if [ "$rfd_files" -gt 1 ]; then echo "layer violation: rfd used in $rfd_files files (allowed: 1)"; grep -rlE '\brfd::' src; fail=1; fi
long=$(find src -name '*.rs' -print0 | xargs -0 wc -l | awk '$2 != "total" && $1 > 600 {print}')
if [ -n "$long" ]; then echo "files over 600 lines (split them):"; echo "$long"; fail=1; fi
[ "$fail" -eq 0 ] && echo "layers OK"
exit "$fail"
