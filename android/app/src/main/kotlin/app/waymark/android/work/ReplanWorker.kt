package app.waymark.android.work

import android.content.Context
import androidx.work.CoroutineWorker
import androidx.work.WorkerParameters
import app.waymark.android.graph
import app.waymark.shell.ProfileState

/** Applies the core's reminder plan to AlarmManager, opening the profile if the process is cold. */
class ReplanWorker(context: Context, parameters: WorkerParameters) : CoroutineWorker(context, parameters) {
    override suspend fun doWork(): Result {
        val graph = applicationContext.graph
        // A profile that cannot open waits for the patient; its alarms stay as they are.
        if (graph.profile.open() != ProfileState.Open) return Result.success()
        if (inputData.getBoolean(LOCALE_CHANGED, false)) graph.profile.deviceLocaleChanged()
        val applied = if (inputData.getBoolean(RESCHEDULE_ALL, false)) graph.reminders.rescheduleAll() else graph.reminders.reconcile()
        return if (applied.isSuccess) Result.success() else Result.retry()
    }

    companion object {
        const val RESCHEDULE_ALL = "reschedule-all"
        const val LOCALE_CHANGED = "locale-changed"
    }
}
