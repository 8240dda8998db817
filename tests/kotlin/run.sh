#!/usr/bin/env bash
# Runs the Kotlin JUnit tests against the generated bindings on the desktop JVM,
# and checks that the Swift bindings generate (there is no Swift compiler here).
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"

ensure_tools
gen="$ROOT/target/bindings-test"
build_bindings debug "$gen"
for file in WaymarkCore.swift WaymarkModel.swift WaymarkCoreFFI.h WaymarkModelFFI.h; do
    [ -s "$gen/swift/$file" ] || { echo "Swift generation did not produce $file" >&2; exit 1; }
done
echo "swift: bindings generated ($(ls "$gen/swift" | tr '\n' ' '))"

start_test_relay

classes="$ROOT/target/kotlin-test-classes"
rm -rf "$classes"
compile_kotlin "$classes" $(find "$gen/kotlin" -name '*.kt') "$ROOT"/tests/kotlin/*.kt
status=0
run_junit || status=$?
cat "$JUNIT_LOG"
rm -f "$JUNIT_LOG"
echo "kotlin: $JUNIT_SUMMARY"
exit $status
