package app.waymark.android.work

import android.content.Context
import androidx.work.CoroutineWorker
import androidx.work.WorkerParameters
import app.waymark.android.graph
import app.waymark.shell.sync.SyncOutcome
import java.time.Duration

/** One background sync within WorkManager's ten minutes, leaving time to reconcile reminders. */
class SyncWorker(context: Context, parameters: WorkerParameters) : CoroutineWorker(context, parameters) {
    override suspend fun doWork(): Result = when (applicationContext.graph.backgroundSync.run(TIME_LIMIT, runAttemptCount)) {
        is SyncOutcome.Done -> Result.success()
        is SyncOutcome.Retry -> Result.retry()
        is SyncOutcome.GiveUp -> Result.failure()
    }

    private companion object {
        val TIME_LIMIT: Duration = Duration.ofMinutes(8)
    }
}
