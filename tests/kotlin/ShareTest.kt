package app.waymark

import app.waymark.core.CheckInDraft
import app.waymark.core.HttpRequest
import app.waymark.core.HttpResponse
import app.waymark.core.HttpTransport
import app.waymark.core.PromptPhase
import app.waymark.core.Role
import app.waymark.core.ShareException
import app.waymark.core.ShareRequest
import app.waymark.core.ShareScope
import app.waymark.core.SyncException
import app.waymark.core.TransportException
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertTrue
import org.junit.Test
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpTimeoutException
import java.time.Duration
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId

/** The shell's HTTP client for sync, as an Android app would write it with OkHttp. */
class JavaHttpTransport : HttpTransport {
    private val client = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build()

    override fun send(request: HttpRequest): HttpResponse {
        val body = java.net.http.HttpRequest.BodyPublishers.ofByteArray(request.body)
        val built = java.net.http.HttpRequest.newBuilder(URI.create(request.url))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + request.bearerToken)
            .method(request.method, if (request.method == "PUT") body else java.net.http.HttpRequest.BodyPublishers.noBody())
            .build()
        try {
            val response = client.send(built, java.net.http.HttpResponse.BodyHandlers.ofByteArray())
            val retryAfter = response.headers().firstValue("retry-after").map { it.toUIntOrNull() }.orElse(null)
            return HttpResponse(response.statusCode().toUShort(), response.body(), retryAfter)
        } catch (e: HttpTimeoutException) {
            throw TransportException.Timeout(e.toString())
        } catch (e: java.io.IOException) {
            throw TransportException.Unreachable(e.toString())
        }
    }
}

/** Sharing from Kotlin through a real relay that run.sh started. */
class ShareTest {
    private val relay = System.getenv("WAYMARK_TEST_RELAY") ?: error("run.sh starts a relay and sets WAYMARK_TEST_RELAY")
    private val transport = JavaHttpTransport()

    @Test
    fun aPatientSharesAndTheClinicianReadsAndAnswers() {
        Waymark.open(newDbPath(), ByteArray(32) { 21 }, null).use { clinician ->
            Waymark.open(newDbPath(), ByteArray(32) { 22 }, null).use { patient ->
                val invite = clinician.invite(relay, "K.L.")
                assertEquals(Role.CLINICIAN, invite.channel.role)
                assertEquals(listOf(invite.channel), clinician.channels())
                assertRefused<SyncException.MalformedPairingCode> { patient.pair("hello") }
                assertEquals(Role.PATIENT, patient.pair(invite.pairingCode).role)

                val written = Instant.now()
                patient.addCheckin(
                    CheckInDraft(valence = 2, occurredAt = written, zone = "Europe/Paris", text = "Shared from Kotlin", shared = true),
                )
                val request = ShareRequest("2000-01-01", "2000-12-31", "Europe/Paris", listOf(ShareScope.NOTES))
                assertRefused<ShareException.RangeTooLong> { patient.previewShare(request.copy(to = "2099-12-31")) }
                val today = LocalDate.ofInstant(written, ZoneId.of("Europe/Paris")).toString()
                val thatDay = request.copy(from = today, to = today)
                assertTrue(patient.previewShare(thatDay).nobodyIsTold.startsWith("Waymark does not alert your clinic"))
                assertTrue(patient.previewShare(thatDay).json.contains("Shared from Kotlin"))
                val shared = patient.share(thatDay)
                assertEquals(1u, patient.syncStatus().channels[0].pending)

                val stopped = patient.sync(Instant.now(), transport, true, java.time.Duration.ZERO)
                assertTrue(stopped.outOfTime)
                assertEquals(0u, stopped.uploaded)
                val sent = patient.sync(Instant.now(), transport, true, java.time.Duration.ofMinutes(9))
                assertFalse(sent.outOfTime)
                assertEquals(1u, sent.uploaded)
                assertEquals(0u, sent.pending)
                assertNotNull(patient.syncStatus().channels[0].lastSuccessAt)

                assertEquals(1u, clinician.sync(Instant.now(), transport, false, null).received)
                val received = clinician.receivedSummaries().single()
                assertEquals(listOf(ShareScope.NOTES), received.scopes)
                val forms = clinician.receivedSummary(received.channel, received.id)
                assertRefused<SyncException.UnknownSummary> { clinician.receivedSummary("0".repeat(32), received.id) }
                assertTrue(forms.json.contains(shared.summaryId) && forms.json.contains("Shared from Kotlin"))
                assertTrue(forms.html.contains("Shared from Kotlin") && !forms.html.contains("<script"))
                assertTrue(forms.fhir.contains("\"resourceType\": \"Bundle\""))

                clinician.sendPrompt(invite.channel.id, "What helped most this week?")
                val ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Clinic//EN\r\nBEGIN:VEVENT\r\nUID:k-1@clinic\r\n" +
                    "DTSTAMP:20261101T090000Z\r\nDTSTART;TZID=Europe/Paris:20261220T100000\r\n" +
                    "DTEND;TZID=Europe/Paris:20261220T110000\r\nSUMMARY:Check-in visit\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
                clinician.sendAppointment(invite.channel.id, ics, "Europe/Paris")
                assertRefused<SyncException.UnusableAppointment> { clinician.sendAppointment(invite.channel.id, "nope", "Europe/Paris") }
                assertEquals(2u, clinician.sync(Instant.now(), transport, true, null).uploaded)
                assertEquals(2u, patient.sync(Instant.now(), transport, true, null).received)
                val assigned = patient.promptsDue(Instant.now()).single { it.phase == PromptPhase.ASSIGNED }
                assertEquals("What helped most this week?", assigned.text)
                assertTrue(patient.exportCalendar().contains("SUMMARY:Check-in visit"))

                assertTrue(patient.syncStatus().channels[0].held.isEmpty())
                assertRefused<SyncException.UnknownMessage> { patient.retryMessage("not-a-message") }

                patient.unpair()
                assertRefused<SyncException.NotPaired> { patient.share(thatDay) }
                assertEquals("the Revoke", 1u, patient.sync(Instant.now(), transport, true, null).uploaded)
                assertEquals(1u, clinician.sync(Instant.now(), transport, true, null).received)
                assertTrue(clinician.syncStatus().channels[0].channel.revokedAt != null)
                assertFalse(clinician.revokeChannel(invite.channel.id).revokedAt == null)
            }
        }
    }
}
