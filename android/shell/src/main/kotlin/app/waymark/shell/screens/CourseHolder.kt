package app.waymark.shell.screens

import app.waymark.core.AppointmentDraft
import app.waymark.core.CareItemKind
import app.waymark.core.CourseDraft
import app.waymark.core.CourseOverview
import app.waymark.core.CourseTemplate
import app.waymark.shell.Device
import app.waymark.shell.Profile

data class CourseState(
    /** The course, its sessions with their care plans and checklists, and what comes after it. */
    val overview: CourseOverview? = null,
    val error: String? = null,
)

/**
 * The course and its appointments. Every change is the core's: the holder
 * passes the patient's choice, reloads the overview and re-plans reminders.
 */
class CourseHolder(
    profile: Profile,
    private val device: Device,
    private val planChanged: PlanChanged,
) : StateHolder<CourseState>(CourseState(), profile) {
    override fun CourseState.showing(message: String?) = copy(error = message)

    suspend fun load() {
        val overview = core { it.courseOverview(device.now(), device.zone()) } ?: return
        update { it.copy(overview = overview) }
    }

    /** [firstSession] is the clinic's local time, `YYYY-MM-DDTHH:MM`, in [zone] (the phone's unless the patient picks the clinic's). */
    suspend fun start(template: CourseTemplate, firstSession: String, zone: String = device.zone(), place: String = "") =
        changed { it.startCourse(CourseDraft(template, firstSession, zone, place)) }

    suspend fun add(draft: AppointmentDraft) = changed { it.addAppointment(draft) }

    suspend fun move(id: String, localStart: String, zone: String? = null) = changed { it.moveAppointment(id, localStart, zone) }

    suspend fun cancel(id: String) = changed { it.cancelAppointment(id) }

    suspend fun done(id: String) = changed { it.markAppointmentDone(id, device.now()) }

    suspend fun missed(id: String) = changed { it.markAppointmentMissed(id) }

    suspend fun delete(id: String) = changed { it.deleteAppointment(id) }

    suspend fun check(appointmentId: String, item: CareItemKind, checked: Boolean) =
        changed { it.setChecklistItem(appointmentId, item, checked) }

    suspend fun fasting(courseId: String, noFoodBeforeMinutes: UInt?, noLiquidsBeforeMinutes: UInt?) =
        changed { it.setFasting(courseId, noFoodBeforeMinutes, noLiquidsBeforeMinutes) }

    /** Esketamine maintenance after week 8, as the clinic decides: every [everyWeeks] weeks, [sessions] more. */
    suspend fun continueCourse(everyWeeks: UInt, sessions: UInt) = changed { it.continueCourse(device.now(), everyWeeks, sessions) }

    /** The course as an `.ics` file for the share sheet, with the reminders as alarms. */
    suspend fun exportCalendar() {
        val ics = core { it.exportCalendar() } ?: return
        emit(ScreenEvent.Share("waymark-course.ics", "text/calendar", ics))
    }

    private suspend fun changed(write: (app.waymark.WaymarkInterface) -> Any) {
        core(write) ?: return
        load()
        planChanged.planChanged()
    }
}
