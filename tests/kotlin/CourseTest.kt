package app.waymark

import app.waymark.core.AppointmentDraft
import app.waymark.core.AppointmentKind
import app.waymark.core.AppointmentStatus
import app.waymark.core.CareItemKind
import app.waymark.core.CourseDraft
import app.waymark.core.CourseException
import app.waymark.core.CourseTemplate
import app.waymark.core.NotificationKind
import app.waymark.core.PromptException
import app.waymark.core.PromptPhase
import app.waymark.core.ReminderException
import app.waymark.core.ReminderSettings
import java.time.Instant
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** The treatment course, its reminders and calendar files, as a shell sees them. */
class CourseTest {
    private val key = ByteArray(32) { 5 }
    private val clinic = "America/New_York"
    private val beforeCourse = Instant.parse("2026-11-20T12:00:00Z")

    private fun esketamine(waymark: Waymark) =
        waymark.startCourse(CourseDraft(CourseTemplate.ESKETAMINE, "2026-12-01T09:00", clinic, "Riverside Clinic"))

    @Test
    fun aCourseFromATemplateShowsItsSessionsAndCarePlans() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            val course = esketamine(waymark)
            assertEquals(120u, course.noFoodBeforeMinutes)
            val overview = waymark.courseOverview(beforeCourse, "Europe/Paris")
            assertEquals(12, overview.upcoming.size)
            val next = overview.next!!
            assertEquals("2026-12-01T09:00:00", next.appointment.localStart)
            assertEquals("2026-12-01 15:00", next.localTime)
            assertEquals(Instant.parse("2026-12-01T14:00:00Z"), next.appointment.startsAt)
            val fasting = next.care.first { it.kind == CareItemKind.NO_FOOD }
            assertEquals(Instant.parse("2026-12-01T12:00:00Z"), fasting.from)
            val care = waymark.setChecklistItem(next.appointment.id, CareItemKind.RIDE_HOME, true)
            assertTrue(care.first { it.kind == CareItemKind.RIDE_HOME }.checked)
            val changed = waymark.setFasting(course.id, 180u, null)
            assertEquals(null, changed.noLiquidsBeforeMinutes)
            assertTrue(next.care.any { it.kind == CareItemKind.BLOOD_PRESSURE })
            assertNull(next.care.first { it.kind == CareItemKind.NO_BATH_OR_SWIMMING }.until)
            assertTrue(fasting.detail.contains("usual medicines"))
            assertNull(overview.ending)
        }
    }

    @Test
    fun afterWeek8TheEsketamineScheduleContinuesAndTheWordsFollowTheLanguage() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            waymark.setLanguage("es")
            val course = esketamine(waymark)
            assertEquals("Esketamina en aerosol nasal", course.title)
            val after = waymark.courseOverview(Instant.parse("2027-02-01T12:00:00Z"), clinic)
            val ending = after.ending!!
            assertTrue(ending.canContinue)
            assertTrue(ending.clinicNote.startsWith("Hable con su clínica"))
            val added = waymark.continueCourse(Instant.parse("2027-02-01T12:00:00Z"), 2u, 2u)
            assertEquals(listOf("2027-02-02T09:00:00", "2027-02-16T09:00:00"), added.map { it.localStart })
            assertEquals("Esketamina, mantenimiento", added[0].title)
            assertNull(waymark.courseOverview(Instant.parse("2027-02-01T12:00:00Z"), clinic).ending)
            assertRefused<CourseException.InvalidContinuation> { waymark.continueCourse(Instant.parse("2027-02-01T12:00:00Z"), 5u, 1u) }
            val spanishCare = waymark.courseOverview(Instant.parse("2027-02-01T12:00:00Z"), clinic).next!!.care
            assertEquals("Deje de comer", spanishCare.first { it.kind == CareItemKind.NO_FOOD }.title)
        }
    }

    @Test
    fun sessionsMoveCancelFinishAndDelete() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            esketamine(waymark)
            val sessions = waymark.courseOverview(beforeCourse, clinic).upcoming.map { it.appointment }
            val moved = waymark.moveAppointment(sessions[0].id, "2026-12-01T13:30", null)
            assertEquals("2026-12-01T13:30:00", moved.localStart)
            val done = waymark.markAppointmentDone(moved.id, Instant.parse("2026-12-01T20:40:00Z"))
            assertEquals(AppointmentStatus.DONE, done.status)
            assertEquals(AppointmentStatus.CANCELLED, waymark.cancelAppointment(sessions[1].id).status)
            assertEquals(AppointmentStatus.MISSED, waymark.markAppointmentMissed(sessions[2].id).status)
            waymark.deleteAppointment(sessions[3].id)
            val added = waymark.addAppointment(
                AppointmentDraft(AppointmentKind.MEDICAL_CHECK, "Blood pressure check", "2026-12-03T08:00", clinic, 30u),
            )
            assertEquals(30u, added.durationMinutes)
            val overview = waymark.courseOverview(Instant.parse("2026-12-02T00:00:00Z"), clinic)
            assertEquals(1u, overview.done)
            assertEquals(12, overview.upcoming.size + overview.past.size)
            assertRefused<CourseException.NotChangeable> { waymark.moveAppointment(done.id, "2026-12-05T09:00", null) }
            assertRefused<CourseException.InvalidLocalTime> { waymark.moveAppointment(sessions[4].id, "tomorrow", null) }
        }
    }

    @Test
    fun theReminderPlanAndReconcileReachKotlin() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            esketamine(waymark)
            waymark.setReminderSettings(ReminderSettings(listOf(1440u, 120u), 22u * 60u, 8u * 60u, 60u, true))
            assertEquals(listOf(1440u, 120u), waymark.reminderSettings().appointmentOffsetsMinutes)
            val plan = waymark.planNotifications(beforeCourse, clinic, 20u)
            assertEquals(20, plan.size)
            assertTrue(plan.zipWithNext().all { (a, b) -> a.fireAt <= b.fireAt })
            assertEquals(NotificationKind.APPOINTMENT_REMINDER, plan[0].kind)
            assertEquals("2026-11-30 09:00", plan[0].localTime)
            assertTrue(plan.any { it.kind == NotificationKind.FASTING_START && it.exact })
            assertEquals(plan.map { it.id }, waymark.planNotifications(beforeCourse, clinic, 20u).map { it.id })

            val diff = waymark.reconcileNotifications(beforeCourse, clinic, listOf(plan[0].id, "stale"))
            assertEquals(listOf("stale"), diff.cancel)
            assertTrue(diff.add.none { it.id == plan[0].id })
            assertRefused<ReminderException.InvalidMaxPending> { waymark.planNotifications(beforeCourse, clinic, 0u) }
            assertRefused<ReminderException.InvalidQuietHours> {
                waymark.setReminderSettings(ReminderSettings(listOf(60u), 1440u, 0u, 60u, true))
            }
        }
    }

    @Test
    fun calendarFilesGoOutAndComeBackIn() {
        val exported = Waymark.open(newDbPath(), key, null).use { waymark ->
            esketamine(waymark)
            waymark.exportCalendar()
        }
        assertTrue(exported.contains("BEGIN:VALARM"))
        Waymark.open(newDbPath(), key, null).use { waymark ->
            val report = waymark.importCalendar(beforeCourse, exported, clinic)
            assertEquals(12u, report.added)
            val sessions = waymark.courseOverview(beforeCourse, clinic).upcoming
            assertEquals(Instant.parse("2026-12-01T14:00:00Z"), sessions[0].appointment.startsAt)
            assertEquals(AppointmentKind.DOSING, sessions[0].appointment.kind)
            assertNotNull(sessions[0].appointment.calendarUid)
            val broken = exported.replaceFirst("DTEND:", "DTEND ")
            val error = assertRefused<CourseException.InvalidCalendar> { waymark.importCalendar(beforeCourse, broken, clinic) }
            assertTrue(error.message!!.contains("line"))
            assertEquals(12, waymark.courseOverview(beforeCourse, clinic).upcoming.size)
        }
    }

    @Test
    fun integrationPromptsAreDueAfterASessionAndAnswersGoToTheJournal() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            waymark.startCourse(CourseDraft(CourseTemplate.IV_INDUCTION, "2026-11-02T10:00", "UTC"))
            val twoDaysOn = Instant.parse("2026-11-04T12:00:00Z")
            val due = waymark.promptsDue(twoDaysOn)
            val dayOne = due.first { it.phase == PromptPhase.DAY1 }
            assertTrue(!dayOne.grounding && dayOne.text.isNotBlank())
            val entry = waymark.answerPrompt(twoDaysOn, dayOne.id, "Calmer than I expected.", 1, "UTC", true)
            assertEquals(dayOne.sessionId, entry.sessionId)
            assertEquals(dayOne.promptId, entry.promptId)
            assertEquals(entry, waymark.checkin(entry.id))
            assertEquals(twoDaysOn, entry.occurredAt)
            assertTrue(waymark.promptsDue(twoDaysOn).none { it.id == dayOne.id })
            assertRefused<PromptException.NotOpen> { waymark.answerPrompt(twoDaysOn, dayOne.id, "again", 1, "UTC", false) }
            val sameDay = due.first { it.phase == PromptPhase.SAME_DAY }
            val aWeekLater = sameDay.dueAt.plus(java.time.Duration.ofDays(7))
            val stale = assertRefused<PromptException.NotOpen> {
                waymark.answerPrompt(aWeekLater, sameDay.id, "late", 0, "UTC", false)
            }
            assertTrue(stale.message!!, stale.message!!.contains("not a prompt that is open now"))
        }
    }
}
