#!/usr/bin/env bash
# Builds the core for the phones and the bindings for the app, on a machine
# with the Android NDK (r28 or later) and cargo-ndk:
#   1. libwaymark_ffi.so for arm64-v8a, armeabi-v7a and x86_64 into
#      app/src/main/jniLibs (cargo ndk; 16 KB pages from .cargo/config.toml);
#   2. Android's Kotlin bindings, from the unstripped arm64 library (uniffi's
#      metadata is stripped with the symbols), into app/build/generated/uniffi;
#   3. the desktop library and its JVM bindings, for shell's tests, into
#      ../target/debug and core-jvm/build/generated/uniffi, and the tests'
#      call-counting wrapper into shell/build/generated/counted;
#   4. a check that every 64-bit library's LOAD segments are aligned to 16 KB.
# PROFILE=dev builds the phone libraries unoptimised.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
profile=${PROFILE:-release}
targets=(aarch64-linux-android armv7-linux-androideabi x86_64-linux-android)

command -v cargo-ndk >/dev/null || { echo "cargo-ndk is missing: cargo install cargo-ndk" >&2; exit 1; }
ndk=${ANDROID_NDK_HOME:-${ANDROID_NDK_ROOT:-}}
[ -d "$ndk" ] || { echo "set ANDROID_NDK_HOME to an NDK (r28 or later)" >&2; exit 1; }
rustup target add "${targets[@]}" >/dev/null

cd "$root"
echo "== the phone libraries"
cargo ndk -t arm64-v8a -t armeabi-v7a -t x86_64 -o "$here/app/src/main/jniLibs" build --profile "$profile" -p waymark-ffi

echo "== the bindings"
cargo build --quiet -p waymark-ffi
bindgen="$root/target/debug/uniffi-bindgen"
dir=$([ "$profile" = dev ] && echo debug || echo "$profile")
rm -rf "$here/app/build/generated/uniffi/android" "$here/core-jvm/build/generated/uniffi/jvm"
"$bindgen" generate --library "$root/target/aarch64-linux-android/$dir/libwaymark_ffi.so" --language kotlin \
    --config "$root/bindings/uniffi-android.toml" --out-dir "$here/app/build/generated/uniffi/android"
"$bindgen" generate --library "$root/target/debug/libwaymark_ffi.so" --language kotlin \
    --out-dir "$here/core-jvm/build/generated/uniffi/jvm"
mkdir -p "$here/shell/build/generated/counted"
python3 "$root/tests/kotlin/counted_waymark.py" "$here/core-jvm/build/generated/uniffi/jvm/app/waymark/waymark.kt" \
    "$here/shell/build/generated/counted/CountedWaymark.kt"

# Every LOAD segment's alignment (readelf's last column) that is below 0x4000.
load_alignments_below_16k() {
    "$1" -lW "$2" | awk '$1 == "LOAD" {print $NF}' | while read -r align; do
        if [ $((align)) -lt 16384 ]; then echo "$align"; fi
    done | sort -u | tr '\n' ' '
}

echo "== 16 KB alignment (developer.android.com/guide/practices/page-sizes)"
readelf=$(find "$ndk/toolchains/llvm/prebuilt" -name llvm-readelf -type f | head -1)
[ -x "$readelf" ] || { echo "no llvm-readelf in $ndk" >&2; exit 1; }
status=0
for abi in arm64-v8a x86_64; do
    lib="$here/app/src/main/jniLibs/$abi/libwaymark_ffi.so"
    small=$(load_alignments_below_16k "$readelf" "$lib")
    if [ -n "$small" ]; then echo "$abi: LOAD segments aligned to $small, not 16 KB" >&2; status=1; else echo "$abi: 16 KB aligned"; fi
done
exit $status
