#!/usr/bin/env bash
# Builds the core for Apple platforms on a Mac with Xcode and rustup:
#   1. the static library for aarch64-apple-ios (devices), aarch64-apple-ios-sim
#      and x86_64-apple-ios (simulators, joined with lipo), and for macOS
#      (aarch64 and x86_64 joined) so WaymarkShell's tests run with `swift test`;
#      SQLCipher uses CommonCrypto on these targets (core/Cargo.toml), so no
#      OpenSSL is built or linked: build with OPENSSL_DIR unset;
#   2. the Swift bindings of both crates from the unstripped macOS library
#      (stripping removes uniffi's metadata), one module map for the C module
#      WaymarkCoreFFI over both headers;
#   3. WaymarkKit/WaymarkCoreFFI.xcframework (xcodebuild -create-xcframework),
#      and the generated Swift into WaymarkKit/Sources/WaymarkCore.
# Generated files are ignored, never committed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
[ "$(uname)" = Darwin ] || { echo "build-xcframework.sh needs macOS and Xcode" >&2; exit 1; }
unset OPENSSL_DIR OPENSSL_LIB_DIR OPENSSL_INCLUDE_DIR
ios=aarch64-apple-ios
simulators=(aarch64-apple-ios-sim x86_64-apple-ios)
macs=(aarch64-apple-darwin x86_64-apple-darwin)
rustup target add "$ios" "${simulators[@]}" "${macs[@]}" >/dev/null

cd "$root"
for target in "$ios" "${simulators[@]}" "${macs[@]}"; do
    echo "== $target"
    cargo rustc --locked -p waymark-ffi --lib --release --target "$target" --crate-type staticlib
done

work="$root/target/xcframework"
rm -rf "$work" && mkdir -p "$work/simulator" "$work/macos" "$work/headers" "$work/swift"
lipo -create $(for t in "${simulators[@]}"; do echo "$root/target/$t/release/libwaymark_ffi.a"; done) -output "$work/simulator/libwaymark_ffi.a"
lipo -create $(for t in "${macs[@]}"; do echo "$root/target/$t/release/libwaymark_ffi.a"; done) -output "$work/macos/libwaymark_ffi.a"

echo "== the Swift bindings"
cargo build --locked -p waymark-ffi --bin uniffi-bindgen-swift
cargo build --locked -p waymark-ffi --lib
"$root/target/debug/uniffi-bindgen-swift" --swift-sources --headers --modulemap \
    --module-name WaymarkCoreFFI --modulemap-filename module.modulemap \
    "$root/target/debug/libwaymark_ffi.dylib" "$work/swift"
mv "$work/swift/"*.h "$work/swift/module.modulemap" "$work/headers/"

echo "== the xcframework"
framework="$here/WaymarkKit/WaymarkCoreFFI.xcframework"
rm -rf "$framework"
xcodebuild -create-xcframework \
    -library "$root/target/$ios/release/libwaymark_ffi.a" -headers "$work/headers" \
    -library "$work/simulator/libwaymark_ffi.a" -headers "$work/headers" \
    -library "$work/macos/libwaymark_ffi.a" -headers "$work/headers" \
    -output "$framework"
sources="$here/WaymarkKit/Sources/WaymarkCore"
rm -rf "$sources" && mkdir -p "$sources"
cp "$work/swift/"*.swift "$sources/"
echo "done: $framework and $(ls "$sources" | tr '\n' ' ')"
