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
# the test binaries it lists run directly, each from its package's folder as
# `cargo test` would, and doctests do not run. The JUnit tests reuse the
# classes tests/kotlin/run.sh compiled, against a relay on the real clock.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

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
    if [ "$(id -u)" = 0 ]; then sudo=(); else sudo=(sudo); fi
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null
fi

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
# The monotonic clock stays real: timeouts, back-off and the relay's rate
# limiter measure durations with it, and a faked one would stall them.
export FAKETIME_DONT_FAKE_MONOTONIC=1

# "package<TAB>folder<TAB>binary" for every test binary of the wanted packages.
binaries=$(cargo test --locked --workspace --no-run --message-format=json 2>/dev/null | ONLY=$only python3 -c '
import json, os, sys
wanted = set(filter(None, os.environ["ONLY"].split(",")))
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]:
        package = m["package_id"].split("#")[-1].split("@")[0].rsplit("/", 1)[-1]
        if not wanted or package in wanted:
            print(package, os.path.dirname(m["manifest_path"]), m["executable"], sep="\t")
')
[ -n "$binaries" ] || { echo "no test binaries were built for '${only:-the workspace}'" >&2; exit 1; }

if [ "$kotlin" = 1 ]; then
    source tests/kotlin/toolchain.sh
    [ -d "$root/target/kotlin-test-classes" ] || { echo "run tests/kotlin/run.sh first: it compiles the JUnit tests" >&2; exit 1; }
    start_test_relay
fi

status=0
for clock in "$@"; do
    case $clock in dst-eve:*) clock=$(dst_eve "${clock#dst-eve:}") ;; esac
    failed=()
    while IFS=$'\t' read -r package folder binary; do
        name="$package/$(basename "$binary" | sed 's/-[0-9a-f]*$//')"
        log=$(mktemp)
        if (cd "$folder" && CARGO_MANIFEST_DIR=$folder timeout 900 faketime "$clock" "$binary" >"$log" 2>&1); then
            echo "clock $clock: $name: $(grep -o '[0-9]* passed; [0-9]* failed' "$log" | tail -1 || echo ok)"
        else
            echo "clock $clock: $name FAILED:"
            grep -E '^(---- |test .* FAILED|thread .* panicked|  left|  right|assertion)' "$log" | head -40 | sed 's/^/    /'
            failed+=("$name")
        fi
        rm -f "$log"
    done <<<"$binaries"
    if [ "$kotlin" = 1 ]; then
        if run_junit faketime "$clock"; then echo "clock $clock: kotlin: $JUNIT_SUMMARY"; else
            echo "clock $clock: kotlin FAILED: $JUNIT_SUMMARY"
            failed+=(kotlin)
        fi
    fi
    if [ ${#failed[@]} -gt 0 ]; then
        echo "clock $clock: ${#failed[@]} failed: ${failed[*]}"
        status=1
    else
        echo "clock $clock: all passed"
    fi
done
exit $status
