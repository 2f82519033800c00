#!/usr/bin/env bash
# kill -9 during saves, in a loop: after every kill the project file must
# load with the real loader (`spanmark validate`) and be byte-identical to
# one of the two states the saver alternates between; the temporary files a
# killed save leaves must be gone after the next start.
#   bash tests/save_kill_loop.sh [SPANMARK_BINARY] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/spanmark}
rounds=${2:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r projects/harbour-fire/. "$work/"
p="$work/harbour-fire.spanmark.ron"
name=$(basename "$p")
"$bin" debug-save-loop "$p" --count 1 && a=$(sha256sum <"$p")
"$bin" debug-save-loop "$p" --count 1 && b=$(sha256sum <"$p")
[ "$a" != "$b" ] || { echo "states A and B are the same"; exit 1; }
temps() { find "$work" -name ".*spanmark-tmp*" | wc -l; }
left=0 saw_a=0 saw_b=0
for i in $(seq 1 "$rounds"); do
  "$bin" debug-save-loop "$p" &
  pid=$!
  # 0–60 ms: start-up, load and many saves all get hit.
  sleep "0.0$(printf '%02d' $((RANDOM % 60)))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ "$(temps)" -gt 0 ] && left=$((left + 1))
  now=$(sha256sum <"$p")
  if [ "$now" = "$a" ]; then saw_a=$((saw_a + 1));
  elif [ "$now" = "$b" ]; then saw_b=$((saw_b + 1));
  else echo "round $i: the project file is neither state A nor B"; head -c 400 "$p"; exit 1; fi
  if ! "$bin" validate "$p" >/dev/null; then
    echo "round $i: the project file does not load cleanly"; "$bin" validate "$p" || true; exit 1
  fi
  if [ "$(temps)" -ne 0 ]; then
    echo "round $i: temporary files survived the next start:"; find "$work" -name ".*spanmark-tmp*"; exit 1
  fi
done
echo "save kill loop: $rounds kills, file always A ($saw_a) or B ($saw_b), loads cleanly;" \
     "$left kills left a temporary file, all cleaned on the next start"
