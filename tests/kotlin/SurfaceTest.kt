package app.waymark

import app.waymark.core.CheckInDraft
import app.waymark.core.CourseDraft
import app.waymark.core.CourseTemplate
import app.waymark.core.JournalException
import app.waymark.core.LifeArea
import app.waymark.core.NotificationKind
import app.waymark.core.ReminderException
import app.waymark.core.Route
import app.waymark.core.ShareRequest
import app.waymark.core.ShareScope
import app.waymark.core.StorageFailure
import app.waymark.core.StoreException
import app.waymark.core.WaymarkException
import app.waymark.core.ZoneException
import java.io.File
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneOffset
import java.time.temporal.ChronoUnit
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test

/** The public face a shell meets: one error surface, and one call per screen. */
class SurfaceTest {
    private val key = ByteArray(32) { 41 }
    private val zone = "Europe/Madrid"

    /** Damages each page of a profile in turn, as a failing flash chip would. */
    @Test
    fun aDamagedStoreReachedThroughAReminderOrAShareCallIsTheStorageFailure() {
        val path = newDbPath()
        Waymark.open(newDbPath(), ByteArray(32) { 42 }, null).use { clinician ->
            val code = clinician.invite("http://127.0.0.1:9", "A.B.").pairingCode
            Waymark.open(path, key, null).use { patient ->
                patient.pair(code)
                patient.addCheckin(CheckInDraft(valence = 1, zone = zone))
                val today = LocalDate.now(ZoneOffset.UTC).toString()
                patient.share(ShareRequest(today, today, "UTC", listOf(ShareScope.MOOD)))
            }
        }
        val original = File(path).readBytes()
        val page = 4096
        val today = LocalDate.now(ZoneOffset.UTC).toString()
        val met = mutableMapOf<String, Int>()
        // Page 0 holds the salt: damaged, it cannot be told from a wrong key.
        for (index in 1 until original.size / page) {
            val bytes = original.copyOf()
            bytes.fill(0x5a, index * page, (index + 1) * page)
            File(path).writeBytes(bytes)
            val waymark = try {
                Waymark.open(path, key, null)
            } catch (e: WaymarkException.Storage) {
                assertEquals("page $index: ${e.error}", StorageFailure.DAMAGED, e.failure)
                met.merge("open", 1, Int::plus)
                continue
            }
            waymark.use {
                val calls = mapOf<String, () -> Unit>(
                    "reminders" to { it.reconcileNotifications(Instant.now(), zone, null) },
                    "share" to { it.share(ShareRequest(today, today, "UTC", listOf(ShareScope.MOOD))) },
                    "home" to { it.home(Instant.now(), zone) },
                )
                for ((name, call) in calls) {
                    try {
                        call()
                    } catch (e: WaymarkException.Storage) {
                        assertEquals("page $index, $name: ${e.error}", StorageFailure.DAMAGED, e.failure)
                        assertTrue(e.error is StoreException.Damaged || e.error is StoreException.Corrupt)
                        met.merge(name, 1, Int::plus)
                    }
                }
            }
        }
        for (name in listOf("open", "reminders", "share", "home")) {
            assertTrue("$name never met a damaged page: $met", (met[name] ?: 0) > 0)
        }
    }

    @Test
    fun anInputErrorKeepsItsModulesTypeAndMessage(): Unit = Waymark.open(newDbPath(), key, null).use { waymark ->
        val valence = assertRefused<JournalException.InvalidValence> { waymark.addCheckin(CheckInDraft(valence = 9, zone = zone)) }
        assertTrue(valence.message!!, valence.message!!.contains("valence 9"))
        assertRefused<ReminderException.InvalidMaxPending> { waymark.planNotifications(Instant.EPOCH, zone, 0u) }
    }

    /** A zone name is checked once, as it crosses into the core, whichever call or record carries it. */
    @Test
    fun anUnknownZoneIsRefusedAtTheEdgeAndNothingIsWritten(): Unit = Waymark.open(newDbPath(), key, null).use { waymark ->
        val thrown = assertThrows<WaymarkException.Zone> { waymark.today(Instant.EPOCH, "Atlantis/Capital") }
        assertTrue(thrown.error is ZoneException.Unknown)
        assertTrue(thrown.message!!, thrown.message!!.contains("Atlantis/Capital"))
        assertRefused<ZoneException.Unknown> { waymark.addCheckin(CheckInDraft(valence = 1, zone = "Mars/Base")) }
        assertRefused<ZoneException.Unknown> { waymark.planNotifications(Instant.EPOCH, "", null) }
        assertRefused<ZoneException.Unknown> {
            waymark.share(ShareRequest("2026-11-01", "2026-11-02", "Europe/Nowhere", listOf(ShareScope.MOOD)))
        }
        assertTrue(waymark.today(Instant.EPOCH, zone).entries.isEmpty())
        assertEquals("Europe/Paris", waymark.addCheckin(CheckInDraft(valence = 1, zone = "Europe/Paris")).zone)
    }

    @Test
    fun homeHoldsWhatTheCallsItReplacesReturn(): Unit = Waymark.open(newDbPath(), key, null).use { waymark ->
        val now = Instant.now().truncatedTo(ChronoUnit.SECONDS)
        val firstSession = now.plus(2, ChronoUnit.DAYS).atZone(java.time.ZoneId.of(zone)).toLocalDateTime().withNano(0)
        waymark.startCourse(CourseDraft(CourseTemplate.IV_INDUCTION, firstSession.toString(), zone, "Clinic"))
        waymark.addCheckin(CheckInDraft(valence = 2, zone = zone, occurredAt = now.minusSeconds(60)))

        val home = waymark.home(now, zone)
        assertEquals(waymark.today(now, zone), home.today)
        assertEquals(waymark.courseOverview(now, zone).next, home.nextSession)
        assertEquals(waymark.promptsDue(now), home.promptsDue)
        assertEquals(waymark.dueMeasures(now, zone).filter { it.dueNow }, home.measuresDue)
        assertEquals(waymark.syncStatus().channels.sumOf { it.pending.toInt() }.toUInt(), home.pendingShares)
        assertFalse(home.measuresDue.isEmpty())
        assertEquals(1, home.today.entries.size)
    }

    @Test
    fun settingsAndTheDeviceLocaleGivenAtOpen(): Unit = Waymark.open(newDbPath(), key, "es_MX").use { waymark ->
        val settings = waymark.settings()
        assertEquals("es", settings.contentLanguage)
        assertEquals(waymark.reminderSettings(), settings.reminders)
        assertEquals(waymark.measureSchedules(), settings.measureSchedules)
        assertEquals(null, settings.region)
        assertTrue(waymark.helpNow(null, null).lines.isNotEmpty())
    }

    @Test
    fun notificationsCarryTheirRouteAndUrgencyAndTheCoreRemembersWhatWasApplied(): Unit =
        Waymark.open(newDbPath(), key, null).use { waymark ->
            val now = Instant.now().truncatedTo(ChronoUnit.SECONDS)
            val firstSession = now.plus(3, ChronoUnit.DAYS).atZone(java.time.ZoneId.of(zone)).toLocalDateTime().withNano(0)
            val course = waymark.startCourse(CourseDraft(CourseTemplate.IV_INDUCTION, firstSession.toString(), zone, "Clinic"))
            val plan = waymark.planNotifications(now, zone, null)
            val sessions = waymark.courseOverview(now, zone).upcoming.map { it.appointment.id }.toSet()
            assertTrue(course.id.isNotEmpty() && plan.any { it.route is Route.Appointment })
            for (notification in plan) {
                when (val route = notification.route) {
                    is Route.Appointment -> assertTrue("$route", route.id in sessions)
                    is Route.Prompt -> assertEquals(NotificationKind.INTEGRATION_PROMPT, notification.kind)
                    is Route.Assessment -> assertEquals(NotificationKind.MEASURE_DUE, notification.kind)
                }
                assertEquals(notification.kind in setOf(NotificationKind.FASTING_START, NotificationKind.POST_SESSION_SAFETY), notification.urgent)
                assertEquals("Waymark", notification.publicTitle)
                assertFalse(notification.publicBody.contains("ketamine") || notification.publicBody.contains("session"))
            }
            val capped = waymark.planNotifications(now, zone, 3u)
            assertTrue(capped.last().body, capped.last().body.endsWith("Open Waymark to set up your next reminders."))

            val first = waymark.reconcileNotifications(now, zone, null)
            assertEquals(plan.map { it.id }, first.add.map { it.id })
            waymark.notificationsApplied(first.pending)
            val next = waymark.reconcileNotifications(now, zone, null)
            assertTrue(next.add.isEmpty() && next.cancel.isEmpty())
            assertRefused<ReminderException.TooManyApplied> { waymark.notificationsApplied(List(1001) { "$it" }) }
        }

    @Test
    fun theCheckInScreenGetsItsWordsInThePatientsLanguageWithoutAProfile() {
        val spanish = vocabulary("es_MX")
        assertEquals("es", spanish.language)
        assertEquals(38, spanish.labels.size)
        assertEquals(18, spanish.areas.size)
        assertEquals("Autocuidado", spanish.areas.single { it.area == LifeArea.SELF_CARE }.name)
        assertEquals((-3..3).toList(), spanish.valences.map { it.valence })
        assertEquals("Muy desagradable", spanish.valences.first().name)
        assertEquals("Self-care", vocabulary("en").areas.single { it.area == LifeArea.SELF_CARE }.name)
        assertEquals("en", vocabulary("fr-FR").language)
    }
}
