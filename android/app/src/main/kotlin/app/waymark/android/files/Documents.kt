package app.waymark.android.files

import android.content.Context
import android.net.Uri
import java.io.File
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

/**
 * Between the system's document picker and the core, which reads and writes
 * files by path: a private cache file, deleted as soon as it has been copied.
 */
object Documents {
    suspend fun <T> fromPicked(context: Context, uri: Uri, block: suspend (File) -> T): T {
        val file = File.createTempFile("picked", null, context.cacheDir)
        try {
            withContext(Dispatchers.IO) {
                context.contentResolver.openInputStream(uri).use { input ->
                    requireNotNull(input) { "the picked file cannot be opened" }
                    file.outputStream().use { input.copyTo(it) }
                }
            }
            return block(file)
        } finally {
            file.delete()
        }
    }

    suspend fun <T> toPicked(context: Context, uri: Uri, write: suspend (File) -> T): T {
        val file = File(context.cacheDir, "outgoing-" + System.nanoTime())
        try {
            val result = write(file)
            if (file.exists()) {
                withContext(Dispatchers.IO) {
                    // "wt" truncates; a provider that refuses it gets "w", which a new document needs no more than.
                    val stream = runCatching { context.contentResolver.openOutputStream(uri, "wt") }.getOrNull()
                        ?: context.contentResolver.openOutputStream(uri, "w")
                    stream.use { output ->
                        requireNotNull(output) { "the chosen place cannot be written" }
                        file.inputStream().use { it.copyTo(output) }
                    }
                }
            }
            return result
        } finally {
            file.delete()
        }
    }

    /** A picked text file (a calendar, a CSV export), refused past [MAX_TEXT] bytes rather than read whole. */
    suspend fun readText(context: Context, uri: Uri): String = withContext(Dispatchers.IO) {
        context.contentResolver.openInputStream(uri).use { input ->
            val bytes = requireNotNull(input) { "the picked file cannot be opened" }.readBytesUpTo(MAX_TEXT + 1)
            require(bytes.size <= MAX_TEXT) { "the file is over ${MAX_TEXT / (1024 * 1024)} MB; Waymark does not read files this large" }
            bytes.toString(Charsets.UTF_8)
        }
    }

    private const val MAX_TEXT = 16 * 1024 * 1024

    private fun java.io.InputStream.readBytesUpTo(limit: Int): ByteArray {
        val out = java.io.ByteArrayOutputStream()
        val buffer = ByteArray(64 * 1024)
        while (out.size() < limit) {
            val read = read(buffer, 0, minOf(buffer.size, limit - out.size()))
            if (read < 0) break
            out.write(buffer, 0, read)
        }
        return out.toByteArray()
    }
}
