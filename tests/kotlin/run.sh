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
"$KOTLINC" -jvm-target 17 -Werror -cp "$classes:$JAVA_JARS:$KOTLIN_LIB/kotlin-test.jar:$coroutines" -d "$shell" \
    $(find "$ROOT/android/shell/src" -name '*.kt')
shell_tests=$(cd "$ROOT/android/shell/src/test/kotlin" && find . -name '*Test.kt' | sed 's|^\./||; s|\.kt$||; s|/|.|g' | sort)
shell_log=$(mktemp)
# shellcheck disable=SC2086 # one argument per test class
java -Djna.library.path="$ROOT/target/debug" -cp "$shell:$classes:$(kotlin_runtime_classpath):$coroutines" \
    org.junit.runner.JUnitCore $shell_tests >"$shell_log" 2>&1 || status=1
cat "$shell_log"
shell_passed=$(sed -n 's/^OK (\([0-9]*\) tests*)$/\1/p' "$shell_log")
rm -f "$shell_log"
if [ -n "$shell_passed" ]; then echo "android shell: $shell_passed passed, 0 failed"; else echo "android shell: failed"; status=1; fi
exit $status
