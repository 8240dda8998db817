package app.waymark.shell.sync

import app.waymark.Waymark
import app.waymark.core.ShareRequest
import app.waymark.core.ShareScope
import app.waymark.shell.Phone
import app.waymark.shell.screens.NoNetwork
import java.io.File
import java.time.Duration
import java.time.LocalDate
import java.time.ZoneId
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/** Background sync's policy against the real relay: done, retry, or give up until the patient opens the app. */
class BackgroundSyncTest {
    private val relay = System.getenv("WAYMARK_TEST_RELAY") ?: error("run.sh starts a relay and sets WAYMARK_TEST_RELAY")
    private val minutes = Duration.ofMinutes(8)

    private suspend fun pairedWithAShare(): Phone {
        val phone = Phone().opened()
        Waymark.open(File(phone.dir, "clinician.db").path, ByteArray(32) { 9 }, "en").use { clinician ->
            phone.profile.call { it.pair(clinician.invite(relay, "Dr. B.").pairingCode) }
        }
        val today = LocalDate.now(ZoneId.of(phone.device.zone)).toString()
        phone.profile.call { it.share(ShareRequest(today, today, phone.device.zone, listOf(ShareScope.MOOD))) }
        return phone
    }

    @Test
    fun aShareWaitingIsSentAndTheRemindersReconciled() = runBlocking {
        val phone = pairedWithAShare()
        phone.profile.close()
        // The worker starts in a cold process: it opens the profile itself.
        val outcome = BackgroundSync(phone.profile, UrlConnectionTransport(), phone.reminders, phone.device).run(minutes, 0)
        assertEquals(1u, (outcome as SyncOutcome.Done).report.uploaded)
        assertEquals(0u, phone.profile.call { it.home(phone.device.now, phone.device.zone) }.pendingShares)
        phone.profile.close()
    }

    @Test
    fun noNetworkIsRetriedThenGivenUpAndNothingIsLost() = runBlocking {
        val phone = pairedWithAShare()
        val sync = BackgroundSync(phone.profile, NoNetwork, phone.reminders, phone.device, maxAttempts = 3)
        assertTrue(sync.run(minutes, 0) is SyncOutcome.Retry)
        assertTrue(sync.run(minutes, 1) is SyncOutcome.Retry)
        assertTrue(sync.run(minutes, 2) is SyncOutcome.GiveUp)
        assertEquals(1u, phone.profile.call { it.home(phone.device.now, phone.device.zone) }.pendingShares)
        // Out of time before the first message: run again.
        assertTrue(BackgroundSync(phone.profile, NoNetwork, phone.reminders, phone.device).run(Duration.ZERO, 0) is SyncOutcome.Retry)
        phone.profile.close()
    }

    @Test
    fun aProfileThatCannotOpenIsLeftForThePatient() = runBlocking {
        val phone = Phone().opened()
        phone.profile.close()
        phone.keyFile.delete()
        val outcome = BackgroundSync(phone.profile, NoNetwork, phone.reminders, phone.device).run(minutes, 0)
        assertTrue("$outcome", outcome is SyncOutcome.GiveUp)
        assertTrue(phone.database.exists())
    }
}
