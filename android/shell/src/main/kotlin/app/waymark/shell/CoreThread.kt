package app.waymark.shell

import java.util.concurrent.Executors
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.asCoroutineDispatcher

/**
 * The one thread that calls the core. Every core call blocks (docs/ffi.md),
 * so none runs on the main thread, and one thread keeps them in order.
 */
object CoreThread {
    val dispatcher: CoroutineDispatcher =
        Executors.newSingleThreadExecutor { task -> Thread(task, "waymark-core").apply { isDaemon = true } }
            .asCoroutineDispatcher()
}
