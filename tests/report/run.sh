#!/usr/bin/env bash
# The report and the FHIR Bundle, checked by outside tools: the Bundle by the
# R4B models of fhir.resources (PyPI), the report in headless Chromium (Debian)
# driven by playwright-core (npm). Installs them on first use: Python and npm
# packages into the ignored .tools/, Chromium with apt.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
tools="$ROOT/.tools"
if [ ! -x "$tools/py/bin/python" ] || ! "$tools/py/bin/python" -c "import fhir.resources" 2>/dev/null; then
    python3 -m venv "$tools/py"
    "$tools/py/bin/pip" install --quiet "fhir.resources==8.3.0"
fi
if [ ! -x /usr/bin/chromium ]; then
    echo "== installing Chromium (Debian)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d "$tools/node/node_modules/playwright-core" ]; then
    mkdir -p "$tools/node"
    (cd "$tools/node" && npm install --silent --no-audit --no-fund playwright-core@1.65.1 >/dev/null)
fi

(cd "$ROOT" && cargo build --quiet -p waymark-cli)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
waymark() { TZ=Europe/Paris "$ROOT/target/debug/waymark" --data-dir "$work/profile" "$@"; }
waymark demo >/dev/null
waymark checkin --valence 1 --note "Shared with <b>markup</b> & an answer" --share >/dev/null
waymark share --from "$(date -d '-35 days' +%F)" --to "$(date +%F)" --scopes mood,measures,sessions,safety,notes \
    --preview --html "$work/report.html" --fhir "$work/bundle.json" >"$work/summary.json"

"$tools/py/bin/python" "$ROOT/tests/report/validate_fhir.py" "$work/bundle.json"
mkdir -p "$ROOT/target/report"
WAYMARK_NODE_TOOLS="$tools/node" node "$ROOT/tests/report/render.mjs" "$work/report.html" "$work/summary.json" \
    "$ROOT/target/report/report.png"
cp "$work/report.html" "$work/bundle.json" "$ROOT/target/report/"

# Only the measures scope, a PHQ-9 whose item 9 is 3 with a total of 3, and one with item 9 declined:
# the therapist still reads item 9 in words, and the declined one has no PHQ-9 total in the Bundle.
waymark() { TZ=Europe/Paris "$ROOT/target/debug/waymark" --data-dir "$work/item9" "$@"; }
waymark assess phq9 --answers 0,0,0,0,0,0,0,0,3 --at "$(date -u -d '-3 days' +%FT09:00:00Z)" >/dev/null
waymark assess phq9 --answers 1,0,0,0,0,0,0,0,x --at "$(date -u -d '-1 days' +%FT09:00:00Z)" >/dev/null
waymark share --from "$(date -d '-7 days' +%F)" --to "$(date +%F)" --scopes measures \
    --preview --html "$work/item9.html" --fhir "$work/item9.json" >"$work/item9-summary.json"
"$tools/py/bin/python" "$ROOT/tests/report/validate_fhir.py" "$work/item9.json" 1
WAYMARK_NODE_TOOLS="$tools/node" node "$ROOT/tests/report/render.mjs" "$work/item9.html" "$work/item9-summary.json" \
    "$ROOT/target/report/item9.png" 1
cp "$work/item9.html" "$ROOT/target/report/"
