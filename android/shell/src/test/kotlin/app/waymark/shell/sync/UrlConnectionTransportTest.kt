package app.waymark.shell.sync

import app.waymark.core.HttpRequest
import app.waymark.core.TransportException
import com.sun.net.httpserver.HttpServer
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset
import org.junit.After
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test

/** The relay's transport against a local HTTP server that misbehaves on purpose. */
class UrlConnectionTransportTest {
    private val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0).apply {
        createContext("/echo") { exchange ->
            val body = exchange.requestBody.readBytes()
            exchange.responseHeaders.add("X-Auth", exchange.requestHeaders.getFirst("Authorization"))
            exchange.sendResponseHeaders(201, body.size.toLong())
            exchange.responseBody.use { it.write(body) }
        }
        createContext("/moved") { exchange ->
            exchange.responseHeaders.add("Location", "http://example.org/elsewhere")
            exchange.sendResponseHeaders(302, -1)
            exchange.close()
        }
        createContext("/busy") { exchange ->
            exchange.responseHeaders.add("Retry-After", exchange.requestURI.query)
            exchange.sendResponseHeaders(429, -1)
            exchange.close()
        }
        createContext("/slow") { exchange ->
            Thread.sleep(1500)
            exchange.sendResponseHeaders(200, -1)
            exchange.close()
        }
        createContext("/huge") { exchange ->
            exchange.sendResponseHeaders(200, 0)
            exchange.responseBody.use { out -> repeat(40) { out.write(ByteArray(1024)) } }
        }
        executor = java.util.concurrent.Executors.newCachedThreadPool()
        start()
    }
    private val base = "http://127.0.0.1:${server.address.port}"
    // Generous time-outs but for the slow relay's test, so a busy machine does not turn an answer into a time-out.
    private val transport = UrlConnectionTransport(readTimeout = Duration.ofSeconds(20), maxBody = 32 * 1024)

    @After
    fun stop() = server.stop(0)

    @Test
    fun aPutCarriesItsBodyAndTokenAndTheAnswerComesBack() {
        val response = transport.send(HttpRequest("PUT", "$base/echo", "tok", byteArrayOf(1, 2, 3)))
        assertEquals(201, response.status.toInt())
        assertArrayEquals(byteArrayOf(1, 2, 3), response.body)
        assertNull(response.retryAfterSeconds)
    }

    @Test
    fun aRedirectIsNotFollowed() {
        assertEquals(302, transport.send(HttpRequest("GET", "$base/moved", "tok", ByteArray(0))).status.toInt())
    }

    @Test
    fun retryAfterIsReadInSecondsOrAsADate() {
        assertEquals(120u, transport.send(HttpRequest("GET", "$base/busy?120", "tok", ByteArray(0))).retryAfterSeconds)
        val clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC)
        val dated = UrlConnectionTransport(clock = clock)
        assertEquals(90u, dated.retryAfterSeconds("Sun, 01 Mar 2026 10:01:30 GMT"))
        assertEquals(0u, dated.retryAfterSeconds("Sun, 01 Mar 2026 09:00:00 GMT"))
        assertNull(dated.retryAfterSeconds("soon"))
        assertNull(dated.retryAfterSeconds("-5"))
    }

    @Test
    fun aSlowRelayTimesOut() {
        val impatient = UrlConnectionTransport(readTimeout = Duration.ofMillis(300))
        assertThrows<TransportException.Timeout> { impatient.send(HttpRequest("GET", "$base/slow", "tok", ByteArray(0))) }
    }

    @Test
    fun anAbsentRelayIsUnreachableAndAHugeAnswerIsRefused() {
        val closed = ServerSocket(0).use { it.localPort }
        assertThrows<TransportException.Unreachable> { transport.send(HttpRequest("GET", "http://127.0.0.1:$closed/", "t", ByteArray(0))) }
        val huge = assertThrows<TransportException.Unreachable> { transport.send(HttpRequest("GET", "$base/huge", "tok", ByteArray(0))) }
        assertTrue(huge.reason, huge.reason.contains("over 32768 bytes"))
    }

    private inline fun <reified E : Throwable> assertThrows(block: () -> Unit): E {
        try {
            block()
        } catch (e: Throwable) {
            if (e is E) return e
            throw AssertionError("expected ${E::class.simpleName}, got $e", e)
        }
        fail("expected ${E::class.simpleName}")
        throw IllegalStateException()
    }
}
