package app.waymark.shell.reminders

import app.waymark.core.CourseDraft
import app.waymark.core.CourseTemplate
import app.waymark.core.NotificationKind
import app.waymark.core.PlannedNotification
import app.waymark.core.Route
import app.waymark.shell.Phone
import java.time.Duration
import java.time.Instant
import java.time.ZoneId
import java.time.temporal.ChronoUnit
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

class RemindersTest {
    private val now = Instant.now().truncatedTo(ChronoUnit.MINUTES)

    private fun planned(exact: Boolean, fireAt: Instant) = PlannedNotification(
        id = "n", fireAt = fireAt, localTime = "", kind = NotificationKind.FASTING_START, title = "", body = "",
        publicTitle = "", publicBody = "", route = Route.Appointment("a"), urgent = exact, exact = exact,
    )

    @Test
    fun exactWhenAllowedElseAWindowThatEndsOnTimeAndOrdinaryOnesAWindowThatStartsOnTime() {
        val at = now.plus(Duration.ofHours(5))
        val window = DeliveryPolicy.WINDOW
        val table = listOf(
            Triple(planned(exact = true, at), true, Delivery.Exact(at)),
            Triple(planned(exact = true, at), false, Delivery.Window(at.minus(window), window)),
            Triple(planned(exact = false, at), true, Delivery.Window(at, window)),
            Triple(planned(exact = false, at), false, Delivery.Window(at, window)),
            // Due in four minutes without the permission: the window starts now, never in the past.
            Triple(planned(exact = true, now.plusSeconds(240)), false, Delivery.Window(now, Duration.ofSeconds(240))),
        )
        for ((notification, allowed, expected) in table) {
            assertEquals("exact=${notification.exact}, allowed=$allowed", expected, DeliveryPolicy.deliveryFor(notification, allowed, now))
        }
    }

    @Test
    fun theCorePlansThePhoneHoldsItAndAWindowedAlarmIsCountedForThePermissionScreen() = runBlocking {
        val phone = Phone().opened()
        phone.device.now = now
        val zone = phone.device.zone
        val first = now.plus(3, ChronoUnit.DAYS).atZone(ZoneId.of(zone)).toLocalDateTime().withHour(9).withMinute(0)
        phone.profile.call { it.startCourse(CourseDraft(CourseTemplate.IV_INDUCTION, first.toString(), zone)) }

        phone.sink.exactAllowed = false
        val first_pass = phone.reminders.reconcile().getOrThrow()
        val plan = phone.profile.call { it.planNotifications(now, zone, null) }
        assertEquals(plan.map { it.id }.toSet(), phone.sink.scheduled.keys)
        val wantExact = plan.count { it.exact }
        assertTrue("an IV course has exact reminders", wantExact > 0)
        assertEquals(ReminderReport(plan.size, 0, wantExact), first_pass)

        // Nothing changed: the core remembers what the phone holds, so nothing is set again.
        assertEquals(ReminderReport(0, 0, 0), phone.reminders.reconcile().getOrThrow())

        // The patient grants exact alarms: every reminder is set again, the exact ones exactly.
        phone.sink.exactAllowed = true
        assertEquals(ReminderReport(plan.size, 0, 0), phone.reminders.rescheduleAll().getOrThrow())
        for ((notification, delivery) in phone.sink.scheduled.values) {
            assertEquals(notification.exact, delivery is Delivery.Exact)
        }

        // The course is cancelled session by session: the phone cancels exactly what it held.
        val sessions = phone.profile.call { it.courseOverview(now, zone).upcoming.map { view -> view.appointment.id } }
        sessions.forEach { id -> phone.profile.call { it.cancelAppointment(id) } }
        val after = phone.reminders.reconcile().getOrThrow()
        assertTrue(after.cancelled > 0)
        val left = phone.profile.call { it.planNotifications(now, zone, null) }.map { it.id }.toSet()
        assertEquals(left, phone.sink.scheduled.keys)

        assertEquals(left.size, phone.reminders.cancelAll().getOrThrow())
        assertTrue(phone.sink.scheduled.isEmpty())
        phone.profile.close()
    }

    @Test
    fun afterABootThePhoneHoldsNothingAndEveryReminderIsSetAgain() = runBlocking {
        val phone = Phone().opened()
        phone.device.now = now
        val zone = phone.device.zone
        val first = now.plus(2, ChronoUnit.DAYS).atZone(ZoneId.of(zone)).toLocalDateTime().withHour(10).withMinute(0)
        phone.profile.call { it.startCourse(CourseDraft(CourseTemplate.ESKETAMINE, first.toString(), zone)) }
        val planned = phone.reminders.reconcile().getOrThrow().scheduled
        phone.sink.scheduled.clear()
        assertEquals(planned, phone.reminders.rescheduleAll().getOrThrow().scheduled)
        assertEquals(planned, phone.sink.scheduled.size)
        phone.profile.close()
    }
}
