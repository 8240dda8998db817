# Sourced by the Kotlin test and benchmark scripts. Installs what they need on a
# fresh machine (kotlinc from npm into .tools/, JNA and JUnit 4 from Debian) and
# builds the library and its generated bindings. See design.md §7.

KOTLIN_VERSION=2.4.20
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TOOLS="$ROOT/.tools"
KOTLINC="$TOOLS/kotlinc-$KOTLIN_VERSION/bin/kotlinc"
KOTLIN_LIB="$TOOLS/kotlinc-$KOTLIN_VERSION/lib"
JAVA_JARS="/usr/share/java/jna.jar:/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar"

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_tools() {
    if [ ! -x "$KOTLINC" ]; then
        echo "installing kotlinc $KOTLIN_VERSION into $TOOLS" >&2
        mkdir -p "$TOOLS"
        local unpack
        unpack=$(mktemp -d "$TOOLS/unpack.XXXX")
        (cd "$unpack" && npm pack --silent "kotlin-compiler@$KOTLIN_VERSION" >/dev/null && tar xzf ./*.tgz)
        rm -rf "$TOOLS/kotlinc-$KOTLIN_VERSION"
        mv "$unpack/package" "$TOOLS/kotlinc-$KOTLIN_VERSION"
        rm -rf "$unpack"
    fi
    if ! command -v java >/dev/null || [ ! -f /usr/share/java/jna.jar ] || [ ! -f /usr/share/java/junit4.jar ]; then
        echo "installing a JDK, JNA and JUnit 4 from Debian" >&2
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jdk-headless libjna-java junit4 >/dev/null
    fi
}

# build_bindings PROFILE OUT: builds libwaymark_ffi for PROFILE (debug|release) and
# generates the Kotlin and Swift bindings under OUT/kotlin and OUT/swift.
# The Swift sources of both crates compile as one module over one C module:
# one module map naming both headers, and no file importing another module.
check_one_swift_module() {
    local swift=$1
    local map="$swift/module.modulemap"
    [ -s "$map" ] || { echo "Swift generation made no module.modulemap" >&2; return 1; }
    grep -q '^module WaymarkCoreFFI' "$map" || { echo "the module map does not define WaymarkCoreFFI" >&2; return 1; }
    local headers sources
    headers=$(find "$swift" -name '*.h' | wc -l)
    sources=$(find "$swift" -name '*.swift' | wc -l)
    [ "$headers" -eq 2 ] && [ "$sources" -eq 2 ] || { echo "expected 2 headers and 2 Swift files" >&2; return 1; }
    for header in "$swift"/*.h; do
        grep -q "header \"$(basename "$header")\"" "$map" || { echo "the module map misses $header" >&2; return 1; }
    done
    if grep -h '^import ' "$swift"/*.swift | grep -v -x -e 'import Foundation' -e 'import WaymarkCoreFFI' >&2; then
        echo "a generated Swift file imports another module" >&2
        return 1
    fi
    echo "swift: one module WaymarkCore over WaymarkCoreFFI ($(ls "$swift" | tr '\n' ' '))"
}

# The Android app's Kotlin generates with bindings/uniffi-android.toml laid over the crates' own.
check_android_bindings() {
    local profile=$1 out=$2
    "$ROOT/target/$profile/uniffi-bindgen" generate --library "$ROOT/target/$profile/libwaymark_ffi.so" \
        --language kotlin --no-format --config "$ROOT/bindings/uniffi-android.toml" --out-dir "$out" >/dev/null
    grep -q "android.system.SystemCleaner" -r "$out" || { echo "Android bindings do not use SystemCleaner" >&2; return 1; }
    [ -s "$out/app/waymark/waymark.kt" ] && [ -s "$out/app/waymark/core/waymark_core.kt" ] ||
        { echo "Android bindings are not in app.waymark and app.waymark.core: $(find "$out" -name '*.kt')" >&2; return 1; }
    echo "android: bindings generated with SystemCleaner"
}

build_bindings() {
    local profile=$1 out=$2 flag=()
    [ "$profile" = release ] && flag=(--release)
    (cd "$ROOT" && cargo build --quiet "${flag[@]}" -p waymark-ffi)
    local lib="$ROOT/target/$profile/libwaymark_ffi.so"
    rm -rf "$out"
    "$ROOT/target/$profile/uniffi-bindgen" generate --library "$lib" --language kotlin --no-format --out-dir "$out/kotlin" >/dev/null
    "$ROOT/target/$profile/uniffi-bindgen-swift" --swift-sources --headers --modulemap \
        --module-name WaymarkCoreFFI --modulemap-filename module.modulemap "$lib" "$out/swift" 2>&1 \
        | grep -v "Unable to auto-format" >&2 || true
}

# compile_kotlin OUT_DIR SOURCES...: compiles with the generated bindings on the classpath.
compile_kotlin() {
    local out=$1
    shift
    "$KOTLINC" -jvm-target 17 -nowarn -cp "$JAVA_JARS:$KOTLIN_LIB/kotlin-test.jar" -d "$out" "$@"
}

kotlin_runtime_classpath() {
    echo "$JAVA_JARS:$KOTLIN_LIB/kotlin-stdlib.jar:$KOTLIN_LIB/kotlin-test.jar"
}

# start_test_relay: a real relay for ShareTest on a free loopback port and a
# throwaway SQLite file, stopped when the calling script exits; sets
# WAYMARK_TEST_RELAY to its address.
start_test_relay() {
    (cd "$ROOT" && cargo build --quiet -p waymark-relay)
    RELAY_DIR=$(mktemp -d)
    "$ROOT/target/debug/waymark-relay" --listen 127.0.0.1:0 --db "sqlite:$RELAY_DIR/relay.db" \
        >"$RELAY_DIR/out" 2>"$RELAY_DIR/log" &
    RELAY_PID=$!
    trap 'kill $RELAY_PID 2>/dev/null || true; rm -rf "$RELAY_DIR"' EXIT
    for _ in $(seq 100); do grep -q '^listening on ' "$RELAY_DIR/out" && break; sleep 0.1; done
    WAYMARK_TEST_RELAY=$(sed -n 's/^listening on //p' "$RELAY_DIR/out")
    [ -n "$WAYMARK_TEST_RELAY" ] || { echo "the relay did not start: $(cat "$RELAY_DIR/log")" >&2; return 1; }
    export WAYMARK_TEST_RELAY
}

# junit CLASSPATH TESTS [WRAPPER...]: runs the JUnit classes TESTS (space-separated)
# under WRAPPER if given (e.g. faketime '+400 days'). Leaves JUnit's output in
# $JUNIT_LOG and "N passed, M failed" in $JUNIT_SUMMARY.
junit() {
    local classpath=$1 tests=$2 status=0 passed failed=0 run
    shift 2
    JUNIT_LOG=$(mktemp)
    # shellcheck disable=SC2086 # one argument per test class
    "$@" java -Djna.library.path="$ROOT/target/debug" -cp "$classpath" \
        org.junit.runner.JUnitCore $tests >"$JUNIT_LOG" 2>&1 || status=$?
    passed=$(sed -n 's/^OK (\([0-9]*\) tests*)$/\1/p' "$JUNIT_LOG")
    if [ -z "$passed" ]; then
        run=$(sed -n 's/^Tests run: \([0-9]*\),  Failures: [0-9]*$/\1/p' "$JUNIT_LOG")
        failed=$(sed -n 's/^Tests run: [0-9]*,  Failures: \([0-9]*\)$/\1/p' "$JUNIT_LOG")
        passed=$((${run:-0} - ${failed:-0}))
        [ "$status" != 0 ] && [ "${failed:-0}" = 0 ] && failed=1
    fi
    JUNIT_SUMMARY="${passed:-0} passed, ${failed:-0} failed"
    return $status
}

# run_junit [WRAPPER...]: the tests/kotlin JUnit tests compiled into target/kotlin-test-classes.
run_junit() {
    local tests
    tests=$(cd "$ROOT/tests/kotlin" && ls ./*Test.kt | sed 's|./||; s|\.kt$||; s|^|app.waymark.|')
    junit "$ROOT/target/kotlin-test-classes:$(kotlin_runtime_classpath)" "$tests" "$@"
}

# run_shell_junit [WRAPPER...]: android/shell's JUnit tests, compiled into
# target/android-shell-classes against the bindings in target/kotlin-test-classes.
run_shell_junit() {
    local tests
    tests=$(cd "$ROOT/android/shell/src/test/kotlin" && find . -name '*Test.kt' | sed 's|^\./||; s|\.kt$||; s|/|.|g' | sort)
    junit "$ROOT/target/android-shell-classes:$ROOT/target/kotlin-test-classes:$(kotlin_runtime_classpath):$KOTLIN_LIB/kotlinx-coroutines-core-jvm.jar" \
        "$tests" "$@"
}
