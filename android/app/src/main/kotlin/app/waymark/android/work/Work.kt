package app.waymark.android.work

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.workDataOf
import java.time.Duration

/** WorkManager's part: re-planning reminders, and syncing once a connection is back. */
object Work {
    private const val REPLAN = "replan"
    private const val DAILY_REPLAN = "replan-daily"
    private const val SYNC = "sync"
    private const val PERIODIC_SYNC = "sync-periodic"

    /** The day's reminders are re-planned twice a day, and a paired profile syncs every few hours when online. */
    fun schedulePeriodic(context: Context) {
        val manager = WorkManager.getInstance(context)
        manager.enqueueUniquePeriodicWork(
            DAILY_REPLAN, ExistingPeriodicWorkPolicy.KEEP,
            PeriodicWorkRequestBuilder<ReplanWorker>(Duration.ofHours(12)).build(),
        )
        manager.enqueueUniquePeriodicWork(
            PERIODIC_SYNC, ExistingPeriodicWorkPolicy.KEEP,
            PeriodicWorkRequestBuilder<SyncWorker>(Duration.ofHours(6)).setConstraints(online()).build(),
        )
    }

    fun replan(context: Context, rescheduleAll: Boolean, localeChanged: Boolean = false) {
        val request = OneTimeWorkRequestBuilder<ReplanWorker>()
            .setInputData(workDataOf(ReplanWorker.RESCHEDULE_ALL to rescheduleAll, ReplanWorker.LOCALE_CHANGED to localeChanged))
            .build()
        WorkManager.getInstance(context).enqueueUniqueWork(REPLAN, ExistingWorkPolicy.APPEND_OR_REPLACE, request)
    }

    /** After a share: sync as soon as there is a connection, retrying with backoff. */
    fun syncSoon(context: Context) {
        val request = OneTimeWorkRequestBuilder<SyncWorker>()
            .setConstraints(online())
            .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, Duration.ofSeconds(30))
            .build()
        WorkManager.getInstance(context).enqueueUniqueWork(SYNC, ExistingWorkPolicy.REPLACE, request)
    }

    private fun online() = Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build()
}
