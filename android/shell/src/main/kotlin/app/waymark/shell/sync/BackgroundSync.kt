package app.waymark.shell.sync

import app.waymark.core.HttpTransport
import app.waymark.core.SyncReport
import app.waymark.shell.Device
import app.waymark.shell.Profile
import app.waymark.shell.ProfileState
import app.waymark.shell.readable
import app.waymark.shell.reminders.Reminders
import java.time.Duration

/** What a background sync asks of the scheduler (WorkManager's success, retry and failure). */
sealed interface SyncOutcome {
    data class Done(val report: SyncReport) : SyncOutcome

    /** Run again later, with the scheduler's backoff: messages are still waiting, or time ran out. */
    data class Retry(val reason: String) : SyncOutcome

    /** Retrying will not help until the patient opens the app (a locked, lost or damaged profile). */
    data class GiveUp(val reason: String) : SyncOutcome
}

/**
 * One background sync: open the profile if the process was cold, sync within
 * the time the platform gives, then reconcile reminders (an appointment from
 * the clinic changes the plan). The core keeps every message across runs, so
 * giving up loses nothing; it only stops asking the scheduler to come back.
 */
class BackgroundSync(
    private val profile: Profile,
    private val transport: HttpTransport,
    private val reminders: Reminders,
    private val device: Device,
    private val maxAttempts: Int = 5,
) {
    /** [timeLimit] is what the platform gives, less time for the reconcile (WorkManager: 10 min; iOS refresh: 30 s). */
    suspend fun run(timeLimit: Duration, attempt: Int): SyncOutcome {
        val state = profile.open()
        if (state != ProfileState.Open) return SyncOutcome.GiveUp("the profile is not open: $state")
        val synced = profile.attempt { it.sync(device.now(), transport, false, timeLimit) }
        val report = synced.getOrElse { error ->
            return if (profile.state.value == ProfileState.Open) retryOrGiveUp(attempt, error.readable())
            else SyncOutcome.GiveUp(error.readable())
        }
        reminders.reconcile()
        return when {
            report.outOfTime -> retryOrGiveUp(attempt, "out of time with messages left")
            report.pending > 0u && report.problems.isNotEmpty() -> retryOrGiveUp(attempt, report.problems.first())
            else -> SyncOutcome.Done(report)
        }
    }

    private fun retryOrGiveUp(attempt: Int, reason: String): SyncOutcome =
        if (attempt + 1 < maxAttempts) SyncOutcome.Retry(reason) else SyncOutcome.GiveUp("gave up after $maxAttempts tries: $reason")
}
