pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

// Fetches the JDK 17 toolchain the JVM modules ask for when the machine has another.
plugins {
    id("org.gradle.toolchains.foojay-resolver-convention") version "1.0.0"
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "Waymark"

// app: the Android application. shell: plain JVM Kotlin with every state holder,
// tested on the desktop JVM. core-jvm: the generated bindings for the desktop JVM,
// which shell compiles and tests against (the app carries Android's own).
include(":app", ":shell", ":core-jvm")
