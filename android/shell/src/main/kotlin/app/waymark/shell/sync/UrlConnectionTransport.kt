package app.waymark.shell.sync

import app.waymark.core.HttpRequest
import app.waymark.core.HttpResponse
import app.waymark.core.HttpTransport
import app.waymark.core.TransportException
import java.io.ByteArrayOutputStream
import java.io.IOException
import java.io.InputStream
import java.net.HttpURLConnection
import java.net.SocketTimeoutException
import java.net.URL
import java.time.Clock
import java.time.Duration
import java.time.ZonedDateTime
import java.time.format.DateTimeFormatter
import java.time.format.DateTimeParseException

/**
 * The relay over `HttpURLConnection`, which Android and the desktop JVM both
 * have. It follows no redirect (a 3xx goes back to the core as it came),
 * times out, reads `Retry-After`, and reads at most [maxBody] bytes of an
 * answer: the relay is untrusted. The core calls it on the core thread,
 * once per request.
 */
class UrlConnectionTransport(
    private val connectTimeout: Duration = Duration.ofSeconds(15),
    private val readTimeout: Duration = Duration.ofSeconds(30),
    private val maxBody: Int = 16 * 1024 * 1024,
    private val clock: Clock = Clock.systemUTC(),
) : HttpTransport {
    override fun send(request: HttpRequest): HttpResponse {
        val connection = try {
            URL(request.url).openConnection() as HttpURLConnection
        } catch (e: IOException) {
            throw TransportException.Unreachable("cannot reach ${request.url}: ${e.message}")
        }
        try {
            connection.instanceFollowRedirects = false
            connection.useCaches = false
            connection.connectTimeout = connectTimeout.toMillis().toInt()
            connection.readTimeout = readTimeout.toMillis().toInt()
            connection.requestMethod = request.method
            connection.setRequestProperty("Authorization", "Bearer ${request.bearerToken}")
            if (request.method == "PUT" || request.method == "POST") {
                connection.doOutput = true
                connection.setRequestProperty("Content-Type", "application/octet-stream")
                connection.setFixedLengthStreamingMode(request.body.size)
                connection.outputStream.use { it.write(request.body) }
            }
            val status = connection.responseCode
            val stream = if (status >= 400) connection.errorStream else connection.inputStream
            val body = stream?.use { readBounded(it) } ?: ByteArray(0)
            return HttpResponse(status.toUShort(), body, retryAfterSeconds(connection.getHeaderField("Retry-After")))
        } catch (e: SocketTimeoutException) {
            throw TransportException.Timeout("the relay did not answer within ${readTimeout.toMillis()} ms")
        } catch (e: IOException) {
            throw TransportException.Unreachable("the connection to the relay failed: ${e.message}")
        } finally {
            connection.disconnect()
        }
    }

    /** `readNBytes` would do, but Android has it only from API 33. */
    private fun readBounded(stream: InputStream): ByteArray {
        val out = ByteArrayOutputStream()
        val buffer = ByteArray(64 * 1024)
        while (true) {
            val read = stream.read(buffer)
            if (read < 0) return out.toByteArray()
            if (out.size() + read > maxBody) throw IOException("the relay's answer is over $maxBody bytes")
            out.write(buffer, 0, read)
        }
    }

    /** `Retry-After` as seconds: either a number or an HTTP date (RFC 9110 §10.2.3); anything else is ignored. */
    internal fun retryAfterSeconds(header: String?): UInt? {
        val value = header?.trim()?.takeIf { it.isNotEmpty() } ?: return null
        value.toUIntOrNull()?.let { return it }
        return try {
            val at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()
            Duration.between(clock.instant(), at).seconds.coerceIn(0, UInt.MAX_VALUE.toLong()).toUInt()
        } catch (e: DateTimeParseException) {
            null
        }
    }
}
