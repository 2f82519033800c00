#!/usr/bin/env bash
# Real process kill: start the window on a copy of the sample project,
# delete two annotations with the keyboard (unsaved), kill -9 the app,
# then check the recovery journal offers exactly those two changes and
# restores a project with exactly those two annotations gone; a second
# start shows the offer window. Needs xvfb, xdotool, imagemagick.
#   bash tests/gui_kill_recovery.sh [SPANMARK_BINARY] [SCREENSHOT]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/spanmark}
shot=${2:-target/recovery-offer.png}
display=:96
work=$(mktemp -d)
export SPANMARK_DATA_DIR="$work/data"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true; rm -rf "$work"' EXIT
export DISPLAY=$display
for _ in $(seq 1 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
cp -r projects/harbour-fire/. "$work/p/" 2>/dev/null || { mkdir -p "$work/p"; cp -r projects/harbour-fire/. "$work/p/"; }
p="$work/p/harbour-fire.spanmark.ron"
before=$(sha256sum <"$p")

window_of() { # pid → window id
  for _ in $(seq 1 120); do
    w=$(xdotool search --pid "$1" --onlyvisible 2>/dev/null | head -n 1 || true)
    [ -n "$w" ] && { echo "$w"; return 0; }
    sleep 0.25
  done
  return 1
}

"$bin" "$p" &
app=$!
win=$(window_of "$app") || { echo "gui-kill: no window"; exit 1; }
sleep 2
xdotool windowfocus "$win"; sleep 0.5
# A first start asks for the analyst's name: Escape keeps the suggested one.
xdotool key Escape; sleep 0.4
for _ in 1 2; do xdotool key Tab; sleep 0.4; xdotool key Delete; sleep 0.6; done
title=$(xdotool getwindowname "$win")
case "$title" in "● "*) ;; *) echo "gui-kill: no unsaved changes were made (title: $title)"; exit 1 ;; esac
kill -9 "$app"; wait "$app" 2>/dev/null || true
[ "$(sha256sum <"$p")" = "$before" ] || { echo "gui-kill: the project file changed"; exit 1; }
[ -f "$work/p/harbour-fire.spanmark.lock" ] || { echo "gui-kill: the killed app left no lock"; exit 1; }

offers=$("$bin" debug-recover --save-as "$work/restored.spanmark.ron")
echo "gui-kill: $offers"
case "$offers" in "Restore 2 unsaved changes to Port Aldren warehouse fire from "*"Delete annotation, Delete annotation"*) ;;
  *) echo "gui-kill: unexpected offer"; exit 1 ;; esac
n=$("$bin" stats "$work/restored.spanmark.ron" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["annotations"])')
[ "$n" = 13 ] || { echo "gui-kill: restored $n annotations, expected 13"; exit 1; }

# A second start offers it (and replaces the dead app's stale lock).
"$bin" "$p" &
app=$!
win=$(window_of "$app") || { echo "gui-kill: no second window"; exit 1; }
sleep 3
import -window root "$shot"
holder=$(grep '^pid: ' "$work/p/harbour-fire.spanmark.lock")
[ "$holder" = "pid: $app" ] || { echo "gui-kill: stale lock not replaced ($holder)"; exit 1; }
kill "$app"; wait "$app" 2>/dev/null || true
echo "gui-kill: killed after 2 unsaved edits; the offer restores exactly them (13 annotations); screenshot $shot"
