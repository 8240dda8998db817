// Plain JVM Kotlin: the profile, the key file, reminders, sync and every screen's
// state holder. No Android imports, so its tests run on the desktop JVM against the
// real library, as tests/kotlin/run.sh runs them on a machine without Gradle.
plugins {
    alias(libs.plugins.kotlin.jvm)
}

kotlin {
    jvmToolchain(17)
    compilerOptions {
        allWarningsAsErrors.set(true)
    }
    // The call-counting wrapper the tests use, generated from the bindings by build-rust.sh.
    sourceSets["test"].kotlin.srcDir(layout.buildDirectory.dir("generated/counted"))
}

dependencies {
    // The JVM bindings at compile time only: the app brings Android's, with the same API.
    compileOnly(project(":core-jvm"))
    implementation(libs.kotlinx.coroutines.core)
    testImplementation(project(":core-jvm"))
    testImplementation(libs.junit)
}

tasks.test {
    // The desktop library from build-rust.sh, and a relay for the sharing tests
    // (start one as tests/kotlin/toolchain.sh's start_test_relay does).
    systemProperty("jna.library.path", rootDir.resolve("../target/debug").path)
    environment("WAYMARK_TEST_RELAY", System.getenv("WAYMARK_TEST_RELAY") ?: "")
}
