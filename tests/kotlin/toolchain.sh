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
build_bindings() {
    local profile=$1 out=$2 flag=()
    [ "$profile" = release ] && flag=(--release)
    (cd "$ROOT" && cargo build --quiet "${flag[@]}" -p waymark-ffi)
    local lib="$ROOT/target/$profile/libwaymark_ffi.so"
    rm -rf "$out"
    "$ROOT/target/$profile/uniffi-bindgen" generate --library "$lib" --language kotlin --no-format --out-dir "$out/kotlin" >/dev/null
    "$ROOT/target/$profile/uniffi-bindgen" generate --library "$lib" --language swift --out-dir "$out/swift" 2>&1 \
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

# run_junit [WRAPPER...]: runs the JUnit tests compiled into
# target/kotlin-test-classes, under WRAPPER if given (e.g. faketime '+400 days').
# Leaves JUnit's output in $JUNIT_LOG and "N passed, M failed" in $JUNIT_SUMMARY.
run_junit() {
    local tests status=0 passed failed=0 run
    tests=$(cd "$ROOT/tests/kotlin" && ls ./*Test.kt | sed 's|./||; s|\.kt$||; s|^|app.waymark.core.|')
    JUNIT_LOG=$(mktemp)
    # shellcheck disable=SC2086 # one argument per test class
    "$@" java -Djna.library.path="$ROOT/target/debug" -cp "$ROOT/target/kotlin-test-classes:$(kotlin_runtime_classpath)" \
        org.junit.runner.JUnitCore $tests >"$JUNIT_LOG" 2>&1 || status=$?
    passed=$(sed -n 's/^OK (\([0-9]*\) tests*)$/\1/p' "$JUNIT_LOG")
    if [ -z "$passed" ]; then
        run=$(sed -n 's/^Tests run: \([0-9]*\),  Failures: [0-9]*$/\1/p' "$JUNIT_LOG")
        failed=$(sed -n 's/^Tests run: [0-9]*,  Failures: \([0-9]*\)$/\1/p' "$JUNIT_LOG")
        passed=$((${run:-0} - ${failed:-0}))
    fi
    JUNIT_SUMMARY="${passed:-0} passed, ${failed:-0} failed"
    return $status
}
