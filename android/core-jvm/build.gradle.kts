// The core's generated Kotlin bindings for the desktop JVM (build-rust.sh writes
// them from the unstripped library): what shell compiles against and tests on.
plugins {
    alias(libs.plugins.kotlin.jvm)
}

kotlin {
    jvmToolchain(17)
    sourceSets["main"].kotlin.srcDir(layout.buildDirectory.dir("generated/uniffi/jvm"))
}

dependencies {
    api(libs.jna)
}
