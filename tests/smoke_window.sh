#!/usr/bin/env bash
# Real-window smoke test: start the release binary under Xvfb with the
# sample project, wait for its window, screenshot it, check the picture is
# not blank, and close the window the way a user would.
# Needs: xvfb, xdotool, imagemagick (installed by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/spanmark}
shot=${2:-target/smoke-window.png}
display=:97

Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true' EXIT
export DISPLAY=$display
for _ in $(seq 1 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

"$bin" projects/harbour-fire/harbour-fire.spanmark.ron &
app=$!
win=""
for _ in $(seq 1 120); do
  win=$(xdotool search --pid "$app" --onlyvisible 2>/dev/null | head -n 1 || true)
  [ -n "$win" ] && break
  kill -0 "$app" 2>/dev/null || { echo "smoke: the app exited before showing a window"; exit 1; }
  sleep 0.25
done
[ -n "$win" ] || { echo "smoke: no window after 30 s"; kill "$app"; exit 1; }
sleep 3 # let it paint a few frames
title=$(xdotool getwindowname "$win")
import -window root "$shot"
spread=$(convert "$shot" -colorspace Gray -format '%[fx:standard_deviation]' info:)
colours=$(convert "$shot" -format '%k' info:)
echo "smoke: window \"$title\", screenshot $shot: grey std-dev $spread, $colours colours"
awk -v s="$spread" -v c="$colours" 'BEGIN { exit !(s > 0.05 && c > 50) }' || { echo "smoke: the screenshot looks blank"; kill "$app"; exit 1; }
case "$title" in *"Port Aldren"*) ;; *) echo "smoke: unexpected window title"; kill "$app"; exit 1 ;; esac

# Close like a user: Ctrl+Q (no unsaved changes, so no prompt).
# No window manager runs: give the window keyboard focus, then type
# (XTEST events, as from a real keyboard).
xdotool windowfocus "$win"
sleep 0.5
# A first start asks for the analyst's name: Escape keeps the suggested one.
xdotool key Escape
sleep 0.4
xdotool key ctrl+q
for _ in $(seq 1 40); do kill -0 "$app" 2>/dev/null || break; sleep 0.25; done
if kill -0 "$app" 2>/dev/null; then echo "smoke: the app did not close"; kill "$app"; exit 1; fi
wait "$app" && echo "smoke: closed cleanly"
