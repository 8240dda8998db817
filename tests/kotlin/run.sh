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

# android/shell is plain JVM Kotlin: compiled here with -Werror against the
# same bindings, and its JUnit tests run against the same debug library.
shell="$ROOT/target/android-shell-classes"
rm -rf "$shell"
coroutines="$KOTLIN_LIB/kotlinx-coroutines-core-jvm.jar"
# The tests count the calls each screen makes through a wrapper generated from the bindings.
python3 "$ROOT/tests/kotlin/counted_waymark.py" "$gen/kotlin/app/waymark/waymark.kt" "$gen/CountedWaymark.kt"
"$KOTLINC" -jvm-target 17 -Werror -cp "$classes:$JAVA_JARS:$KOTLIN_LIB/kotlin-test.jar:$coroutines" -d "$shell" \
    $(find "$ROOT/android/shell/src" -name '*.kt') "$gen/CountedWaymark.kt"
run_shell_junit || status=1
cat "$JUNIT_LOG"
rm -f "$JUNIT_LOG"
echo "android shell: $JUNIT_SUMMARY"
exit $status
