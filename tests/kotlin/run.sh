#!/usr/bin/env bash
# Runs the Kotlin JUnit tests against the generated bindings on the desktop JVM,
# and checks that the Swift bindings generate (there is no Swift compiler here).
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"

ensure_tools
gen="$ROOT/target/bindings-test"
build_bindings debug "$gen"
check_one_swift_module "$gen/swift"
check_android_bindings debug "$ROOT/target/bindings-android"

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
