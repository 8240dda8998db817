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
