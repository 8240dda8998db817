package app.waymark.shell

import app.waymark.Waymark
import app.waymark.core.CourseTemplate
import app.waymark.core.EmotionLabel
import app.waymark.core.Instrument
import app.waymark.core.ShareScope
import app.waymark.shell.reminders.Delivery
import app.waymark.shell.reminders.DeliveryPolicy
import app.waymark.shell.screens.AssessmentHolder
import app.waymark.shell.screens.BackupHolder
import app.waymark.shell.screens.CheckInHolder
import app.waymark.shell.screens.CourseHolder
import app.waymark.shell.screens.EraseHolder
import app.waymark.shell.screens.HelpNowHolder
import app.waymark.shell.screens.HomeHolder
import app.waymark.shell.screens.JournalHolder
import app.waymark.shell.screens.PromptsHolder
import app.waymark.shell.screens.SharingHolder
import app.waymark.shell.screens.UnlockHolder
import app.waymark.shell.sync.UrlConnectionTransport
import java.io.File
import java.nio.file.Files
import java.time.Duration
import java.time.ZoneId
import java.time.temporal.ChronoUnit
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertTrue
import org.junit.Test

/**
 * A patient's day, through the screens' state holders only, against the real
 * library and the relay tests/kotlin/run.sh started.
 */
class PatientDayTest {
    private val relay = System.getenv("WAYMARK_TEST_RELAY") ?: error("run.sh starts a relay and sets WAYMARK_TEST_RELAY")
    private val transport = UrlConnectionTransport()

    @Test
    fun aPatientsDay() = runBlocking {
        val phone = Phone()
        val device = phone.device

        // First launch, before any key exists: help now works.
        val help = HelpNowHolder(phone.profile, device)
        help.load()
        assertTrue(help.state.value.help!!.lines.any { it.country == "ES" })
        assertFalse(phone.keyFile.exists())
        val unlock = UnlockHolder(phone.profile, device)
        unlock.load()
        assertNotNull(unlock.state.value.help)
        assertEquals(ProfileState.Open, unlock.unlock())
        assertTrue(phone.keyFile.exists())

        // A check-in.
        val checkIn = CheckInHolder(phone.profile, device, phone.planChanged)
        checkIn.load()
        checkIn.edit { it.copy(valence = 1, text = "Nervioso antes de la primera sesión") }
        checkIn.toggle(EmotionLabel.ANXIOUS)
        checkIn.save()
        assertNotNull(checkIn.state.value.saved)

        // PHQ-9 with item 9 above 0: help is on the screen with the result.
        val phq9 = AssessmentHolder(phone.profile, device, phone.planChanged, Instrument.PHQ9)
        phq9.load()
        phq9.state.value.form!!.items.indices.forEach { phq9.answer(it, 1u) }
        phq9.answer(8, 2u)
        phq9.submit()
        val alert = phq9.state.value.result!!.safetyAlert!!
        assertTrue(alert.helpNow!!.lines.isNotEmpty())
        assertNotNull(alert.safetyPlan)

        // A course whose first session is in two days, and its reminders, without the exact-alarm permission.
        phone.sink.exactAllowed = false
        val course = CourseHolder(phone.profile, device, phone.planChanged)
        val first = device.now.plus(2, ChronoUnit.DAYS).atZone(ZoneId.of(device.zone)).toLocalDate().atTime(10, 0)
        course.start(CourseTemplate.IV_INDUCTION, first.toString(), place = "Clínica")
        val session = course.state.value.overview!!.next!!.appointment
        val plan = phone.profile.call { it.planNotifications(device.now, device.zone, null) }
        assertEquals(plan.map { it.id }.toSet(), phone.sink.scheduled.keys)
        for ((notification, delivery) in phone.sink.scheduled.values) {
            val window = delivery as Delivery.Window
            if (notification.exact) {
                assertEquals(notification.fireAt, window.start.plus(window.length))
            } else {
                assertEquals(Delivery.Window(notification.fireAt, DeliveryPolicy.WINDOW), window)
            }
        }
        assertTrue(plan.any { it.exact } && plan.any { !it.exact })

        // The session happens; the next day a prompt is open and answered into the journal.
        device.now = session.startsAt.plus(Duration.ofHours(2))
        course.done(session.id)
        device.now = session.startsAt.plus(Duration.ofDays(1)).plus(Duration.ofHours(4))
        val prompts = PromptsHolder(phone.profile, device, phone.planChanged)
        prompts.load()
        val prompt = prompts.state.value.due.first()
        prompts.answer(prompt.id, "Más tranquilo de lo que esperaba.", 1, true)
        assertEquals(prompt.promptId, prompts.state.value.answered!!.promptId)
        assertTrue(prompts.state.value.due.none { it.id == prompt.id })

        // Pairing with the therapist, sharing, and syncing through the real relay.
        Waymark.open(File(phone.dir, "clinician.db").path, ByteArray(32) { 7 }, "en").use { clinician ->
            val code = clinician.invite(relay, "Dr. R.").pairingCode
            val sharing = SharingHolder(phone.profile, device, transport, phone.planChanged)
            sharing.load()
            sharing.pair(code)
            assertEquals(1, sharing.state.value.status!!.channels.size)
            sharing.choose(scopes = setOf(ShareScope.MOOD, ShareScope.MEASURES, ShareScope.SESSIONS))
            sharing.share()
            assertEquals(null, sharing.state.value.error)
            assertTrue(sharing.state.value.lastSync!!.uploaded >= 1u)
            assertEquals(0u, sharing.state.value.status!!.channels.single().pending)
            clinician.sync(device.now, transport, true, null)
            val received = clinician.receivedSummaries().single()
            assertTrue(clinician.receivedSummary(received.channel, received.id).json.contains(sharing.state.value.shared!!.summaryId))
        }

        val home = HomeHolder(phone.profile, device)
        home.load()
        assertEquals(0u, home.state.value.home!!.pendingShares)

        // A backup, restored on a new phone.
        val backupFile = File(Files.createTempDirectory("waymark-backup").toFile(), "waymark.backup")
        val passphrase = "río azul montaña verde 42"
        BackupHolder(phone.profile, phone.reminders).backup(backupFile, passphrase)
        assertTrue(backupFile.length() > 0)
        val newPhone = Phone(TestDevice(device.now, "America/Mexico_City"))
        val restore = BackupHolder(newPhone.profile, newPhone.reminders)
        restore.restore(backupFile, passphrase)
        assertEquals(null, restore.state.value.error)
        assertEquals(2u, restore.state.value.restored!!.checkins)
        assertEquals(ProfileState.Open, newPhone.profile.state.value)
        val journal = JournalHolder(newPhone.profile)
        journal.load()
        assertEquals(2, journal.state.value.rows.size)
        assertTrue("the new phone set the restored reminders", newPhone.sink.scheduled.isNotEmpty())
        newPhone.profile.close()

        // Erase, after the typed word: the alarms, the database and its key are gone.
        val erase = EraseHolder(phone.profile, phone.reminders, "BORRAR")
        erase.type("BORRAR")
        erase.erase()
        assertTrue(erase.state.value.erased)
        assertTrue(phone.sink.scheduled.isEmpty())
        assertFalse(phone.database.exists() || phone.keyFile.exists())
        help.load()
        assertTrue(help.state.value.help!!.lines.isNotEmpty())
    }
}
