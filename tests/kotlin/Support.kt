package app.waymark.core

import java.io.File
import java.nio.file.Files
import org.junit.Assert.fail

/** A path for a new database in a fresh temporary folder. */
fun newDbPath(): String {
    val dir = Files.createTempDirectory("waymark-kotlin").toFile()
    dir.deleteOnExit()
    return File(dir, "waymark.db").path
}

/** Runs [block] and returns the exception it threw, failing unless it is an [E]. */
inline fun <reified E : Throwable> assertThrows(block: () -> Unit): E {
    try {
        block()
    } catch (e: Throwable) {
        if (e is E) return e
        throw AssertionError("expected ${E::class.simpleName}, got $e", e)
    }
    fail("expected ${E::class.simpleName}, nothing was thrown")
    throw IllegalStateException()
}
