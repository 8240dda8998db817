#!/usr/bin/env bash
# Runs the built tests again with the wall clock moved by libfaketime, so a
# test that compares a fixed date with the clock fails now, not on the day the
# calendar reaches it.
#
#   tests/clock.sh [--only PACKAGES] [--no-kotlin] CLOCK...
#
# Each CLOCK is a faketime spec: '+400 days', or '2027-03-13 20:00:00Z' for a
# clock that starts there and runs on; or dst-eve:ZONE, six hours before the
# next daylight-saving change in the IANA zone ZONE. --only takes a
# comma-separated list of packages (default: every package in the workspace).
#
# libfaketime hangs cargo (and rustdoc) on a futex, so cargo only builds here:
# the workspace's test binaries run directly, each from its package's folder
# as `cargo test` would, and doctests do not run. The JUnit tests run from the
# classes tests/kotlin/run.sh last compiled, against a relay on the real clock.
set -euo pipefail
cd "$(dirname "$0")/.."
source tests/kotlin/toolchain.sh

only="" kotlin=1
while [ $# -gt 0 ]; do
    case $1 in
        --only) only=$2; shift 2 ;;
        --no-kotlin) kotlin=0; shift ;;
        *) break ;;
    esac
done
[ $# -gt 0 ] || { echo "usage: tests/clock.sh [--only PACKAGES] [--no-kotlin] CLOCK..." >&2; exit 2; }

if ! command -v faketime >/dev/null; then
    echo "installing faketime (libfaketime) from Debian" >&2
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null
fi
# The monotonic clock stays real: timeouts, back-off and the relay's rate
# limiter measure durations with it, and a faked one would stall them.
export FAKETIME_DONT_FAKE_MONOTONIC=1

# dst-eve:ZONE as a faketime spec: six hours before ZONE next changes its offset.
dst_eve() {
    python3 - "$1" <<'PY'
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

zone = ZoneInfo(sys.argv[1])
hour = timedelta(hours=1)
at = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0) + hour
offset = at.astimezone(zone).utcoffset()
for _ in range(2 * 366 * 24):
    if at.astimezone(zone).utcoffset() != offset:
        print((at - 6 * hour).strftime("%Y-%m-%d %H:%M:%SZ"))
        sys.exit(0)
    at += hour
sys.exit(f"{sys.argv[1]} does not change its offset in the next two years")
PY
}

# "package<TAB>folder<TAB>binary" for every test binary of the wanted packages.
scratch=$(mktemp -d)
cleanup() { rm -rf "$scratch"; }
trap cleanup EXIT
if ! cargo test --locked --workspace --no-run --message-format=json >"$scratch/build.json" 2>"$scratch/build.log"; then
    tail -30 "$scratch/build.log" >&2
    exit 1
fi
binaries=$(ONLY=$only python3 - "$scratch/build.json" <<'PY'
import json, os, sys
wanted = set(filter(None, os.environ["ONLY"].split(",")))
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m.get("reason") != "compiler-artifact" or not m.get("executable") or not m["profile"]["test"]:
        continue
    # "path+file:///…/core#waymark-core@0.1.0", or "…/cli#0.1.0" when the folder is the name.
    source, _, fragment = m["package_id"].rpartition("#")
    package = fragment.split("@")[0] if "@" in fragment else source.rstrip("/").rsplit("/", 1)[-1]
    if not wanted or package in wanted:
        print(package, os.path.dirname(m["manifest_path"]), m["executable"], sep="\t")
PY
)
[ -n "$binaries" ] || { echo "no test binaries were built for '${only:-the workspace}'" >&2; exit 1; }

if [ "$kotlin" = 1 ]; then
    [ -d "$ROOT/target/kotlin-test-classes" ] && [ -d "$ROOT/target/android-shell-classes" ] ||
        { echo "run tests/kotlin/run.sh first: it compiles the JUnit tests" >&2; exit 1; }
    # The library as the code is now; if its interface changed since, uniffi's checksums fail the JUnit run.
    cargo build --quiet --locked -p waymark-ffi
    start_test_relay
    trap 'cleanup; kill $RELAY_PID 2>/dev/null || true; rm -rf "$RELAY_DIR"' EXIT
fi

# What a failed run printed that says why: Rust's failures section, else its last lines.
why() {
    local section
    section=$(awk '/^failures:$/ {on = 1} on {print; if (/^test result/ || ++n == 60) exit}' "$1")
    if [ -n "$section" ]; then echo "$section"; else tail -30 "$1"; fi
}

status=0
for clock in "$@"; do
    case $clock in dst-eve:*) clock=$(dst_eve "${clock#dst-eve:}") ;; esac
    failed=()
    while IFS=$'\t' read -r package folder binary; do
        name="$package/$(basename "$binary" | sed 's/-[0-9a-f]*$//')"
        log="$scratch/test.log"
        code=0
        (cd "$folder" && CARGO_MANIFEST_DIR=$folder timeout 900 faketime "$clock" "$binary" </dev/null >"$log" 2>&1) ||
            code=$?
        if [ "$code" = 0 ]; then
            echo "clock $clock: $name: $(grep -o '[0-9]* passed; [0-9]* failed' "$log" | tail -1 || echo ok)"
        else
            [ "$code" = 124 ] && reason="timed out after 900 s" || reason="exit $code"
            echo "clock $clock: $name FAILED ($reason):"
            why "$log" | sed 's/^/    /'
            failed+=("$name")
        fi
    done <<<"$binaries"
    if [ "$kotlin" = 1 ]; then
        if run_junit faketime "$clock" </dev/null; then echo "clock $clock: kotlin: $JUNIT_SUMMARY"; else
            echo "clock $clock: kotlin FAILED: $JUNIT_SUMMARY"
            awk '/^There w/ {on = 1} on && n++ < 60 {print "    " $0}' "$JUNIT_LOG"
            failed+=(kotlin)
        fi
        rm -f "$JUNIT_LOG"
        if run_shell_junit faketime "$clock" </dev/null; then echo "clock $clock: android shell: $JUNIT_SUMMARY"; else
            echo "clock $clock: android shell FAILED: $JUNIT_SUMMARY"
            awk '/^There w/ {on = 1} on && n++ < 60 {print "    " $0}' "$JUNIT_LOG"
            failed+=(android-shell)
        fi
        rm -f "$JUNIT_LOG"
    fi
    if [ ${#failed[@]} -gt 0 ]; then
        echo "clock $clock: ${#failed[@]} failed: ${failed[*]}"
        status=1
    else
        echo "clock $clock: all passed"
    fi
done
exit $status
