#!/usr/bin/env bash
# Runs every cargo-fuzz target in turn on the stable toolchain (cargo-fuzz
# needs nightly flags; RUSTC_BOOTSTRAP=1 unlocks them on stable, and
# `-s none` needs no sanitizer runtime).
#   fuzz/run.sh 25            each target for 25 seconds (CI)
#   fuzz/run.sh --runs 5000000   each target for 5 million executions
# New inputs go to fuzz/corpus/TARGET (ignored by git); findings to
# fuzz/artifacts/TARGET. Exits non-zero on the first finding.
set -euo pipefail
cd "$(dirname "$0")"
unset CARGO_TARGET_DIR # the fuzz crate builds in fuzz/target
export RUSTC_BOOTSTRAP=1
limit=(-max_total_time="${1:-25}")
if [ "${1:-}" = "--runs" ]; then limit=(-runs="$2" -max_total_time=3600); fi
targets=$(grep -A1 '^\[\[bin\]\]' Cargo.toml | sed -n 's/^name = "\(.*\)"/\1/p')
cargo fuzz build -s none -O >/dev/null
for t in $targets; do
  mkdir -p "corpus/$t"
  echo "== fuzz $t (${limit[*]})"
  log=$(mktemp)
  if ! cargo fuzz run -s none -O "$t" "corpus/$t" "seeds/$t" -- \
      "${limit[@]}" -max_len=8192 -timeout=10 -rss_limit_mb=1024 \
      -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log"; rm -f "$log"; exit 1
  fi
  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs' "$log" || tail -3 "$log"
  rm -f "$log"
done
