package app.waymark.android.reminders

import android.app.NotificationChannel
import android.app.NotificationManager
import android.content.Context
import app.waymark.android.R
import app.waymark.shell.model.NotificationKind

/** Notification channels by purpose, so the patient can silence check-ins and keep safety. */
object Channels {
    const val SESSIONS = "sessions"
    const val SAFETY = "safety"
    const val CHECK_INS = "check-ins"

    fun create(context: Context) {
        val manager = context.getSystemService(NotificationManager::class.java)
        manager.createNotificationChannels(
            listOf(
                channel(context, SESSIONS, R.string.channel_sessions, R.string.channel_sessions_about, NotificationManager.IMPORTANCE_HIGH),
                channel(context, SAFETY, R.string.channel_safety, R.string.channel_safety_about, NotificationManager.IMPORTANCE_HIGH),
                channel(context, CHECK_INS, R.string.channel_check_ins, R.string.channel_check_ins_about, NotificationManager.IMPORTANCE_DEFAULT),
            ),
        )
    }

    fun of(kind: NotificationKind): String = when (kind) {
        NotificationKind.APPOINTMENT_REMINDER -> SESSIONS
        NotificationKind.FASTING_START, NotificationKind.POST_SESSION_SAFETY -> SAFETY
        NotificationKind.MEASURE_DUE, NotificationKind.INTEGRATION_PROMPT -> CHECK_INS
    }

    private fun channel(context: Context, id: String, name: Int, about: Int, importance: Int) =
        NotificationChannel(id, context.getString(name), importance).apply {
            description = context.getString(about)
            lockscreenVisibility = android.app.Notification.VISIBILITY_PRIVATE
        }
}
