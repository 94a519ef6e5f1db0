#!/usr/bin/env bash
# Regenerates the README's screenshots: starts the console on the demo project in a virtual X display and captures
# each view. Needs Xvfb and GTK 3 (Debian: xvfb libgtk-3-0).
#   docs/screenshots/update.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
(cd "$root" && mvn -B -q -DskipTests package)
jar="$(ls "$root"/app/cli/target/stator-cli-*.jar | head -n 1)"
display=":$(( 200 + RANDOM % 300 ))"
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$data"' EXIT
sleep 1
# stator.screenshots makes the console wait for live values, save each view as a PNG, then close.
DISPLAY="$display" java -Dstator.screenshots="$here" -jar "$jar" run --data "$data" --duration 60s
echo "screenshots written to $here"
