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

# A real relay for ShareTest, on a free loopback port and a throwaway SQLite file.
(cd "$ROOT" && cargo build --quiet -p waymark-relay)
relay_dir=$(mktemp -d)
"$ROOT/target/debug/waymark-relay" --listen 127.0.0.1:0 --db "sqlite:$relay_dir/relay.db" \
    >"$relay_dir/out" 2>"$relay_dir/log" &
relay_pid=$!
trap 'kill $relay_pid 2>/dev/null || true; rm -rf "$relay_dir"' EXIT
for _ in $(seq 100); do grep -q '^listening on ' "$relay_dir/out" && break; sleep 0.1; done
export WAYMARK_TEST_RELAY=$(sed -n 's/^listening on //p' "$relay_dir/out")
[ -n "$WAYMARK_TEST_RELAY" ] || { echo "the relay did not start: $(cat "$relay_dir/log")" >&2; exit 1; }

classes="$ROOT/target/kotlin-test-classes"
rm -rf "$classes"
compile_kotlin "$classes" $(find "$gen/kotlin" -name '*.kt') "$ROOT"/tests/kotlin/*.kt
tests=$(cd "$ROOT/tests/kotlin" && ls ./*Test.kt | sed 's|./||; s|\.kt$||; s|^|app.waymark.core.|')
log=$(mktemp)
status=0
java -Djna.library.path="$ROOT/target/debug" -cp "$classes:$(kotlin_runtime_classpath)" \
    org.junit.runner.JUnitCore $tests | tee "$log" || status=$?
passed=$(sed -n 's/^OK (\([0-9]*\) tests*)$/\1/p' "$log")
if [ -z "$passed" ]; then
    run=$(sed -n 's/^Tests run: \([0-9]*\),  Failures: [0-9]*$/\1/p' "$log")
    failed=$(sed -n 's/^Tests run: [0-9]*,  Failures: \([0-9]*\)$/\1/p' "$log")
    passed=$((${run:-0} - ${failed:-0}))
fi
rm -f "$log"
echo "kotlin: ${passed:-0} passed, ${failed:-0} failed"
exit $status
