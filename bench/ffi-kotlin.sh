#!/usr/bin/env bash
# Measures, from Kotlin on the JVM through JNA and the release library, the call
# cost of today(), a 50-entry page, progress(), courseOverview() and planNotifications()
# on the ten-year store, and reports the
# stripped size of the release libwaymark_ffi.so.
set -euo pipefail
source "$(dirname "$0")/../tests/kotlin/toolchain.sh"

ensure_tools
fixture=$(cd "$ROOT" && cargo run --quiet --release -p waymark-core --example bench_fixture)
gen="$ROOT/target/bindings-bench"
build_bindings release "$gen"
classes="$ROOT/target/kotlin-bench-classes"
rm -rf "$classes"
compile_kotlin "$classes" $(find "$gen/kotlin" -name '*.kt') "$ROOT/bench/kotlin/FfiBench.kt"
java -Djna.library.path="$ROOT/target/release" -cp "$classes:$(kotlin_runtime_classpath)" \
    app.waymark.bench.FfiBenchKt "$fixture"

lib="$ROOT/target/release/libwaymark_ffi.so"
stripped=$(mktemp)
strip --strip-all -o "$stripped" "$lib"
echo "libwaymark_ffi.so (release): $(stat -c %s "$lib") bytes, stripped: $(stat -c %s "$stripped") bytes"
rm -f "$stripped"
