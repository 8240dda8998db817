package app.waymark

import app.waymark.core.StorageFailure
import app.waymark.core.WaymarkException
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

/** The typed error a [WaymarkException] carries: its module's, or the storage error. */
fun WaymarkException.cause(): Throwable = when (this) {
    is WaymarkException.Storage -> error
    is WaymarkException.Journal -> error
    is WaymarkException.Measure -> error
    is WaymarkException.Course -> error
    is WaymarkException.Reminder -> error
    is WaymarkException.Prompt -> error
    is WaymarkException.Safety -> error
    is WaymarkException.Share -> error
    is WaymarkException.Sync -> error
    is WaymarkException.Backup -> error
    is WaymarkException.Import -> error
    is WaymarkException.Zone -> error
}

/** Runs [block], which the core must refuse with a [WaymarkException] carrying an [E]; returns the [E]. */
inline fun <reified E : Throwable> assertRefused(block: () -> Unit): E {
    val thrown = assertThrows<WaymarkException>(block)
    val inner = thrown.cause()
    if (inner is E) return inner
    throw AssertionError("expected ${E::class.simpleName} inside the WaymarkException, got $inner", thrown)
}

/** Runs [block], which must fail on storage with [failure], whatever module was called. */
fun assertStorageFailure(failure: StorageFailure, block: () -> Unit): WaymarkException.Storage {
    val thrown = assertThrows<WaymarkException.Storage>(block)
    if (thrown.failure != failure) throw AssertionError("expected $failure, got ${thrown.failure}: ${thrown.error}", thrown)
    return thrown
}
