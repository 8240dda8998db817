pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
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
