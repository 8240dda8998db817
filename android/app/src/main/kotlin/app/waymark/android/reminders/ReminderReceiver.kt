package app.waymark.android.reminders

import android.Manifest
import android.app.Notification
import android.app.PendingIntent
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.os.Build
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import app.waymark.android.MainActivity
import app.waymark.android.R
import app.waymark.shell.model.NotificationKind
import app.waymark.shell.model.PlannedNotification
import app.waymark.shell.screens.Destination

/**
 * An alarm came due: post its notification. Everything it shows was planned
 * by the core and travels in the alarm's intent, so nothing opens the
 * database here. Tapping it opens [MainActivity] directly (no trampoline).
 * On the lock screen only the neutral public text shows.
 */
class ReminderReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        val id = intent.data?.schemeSpecificPart ?: return
        // POST_NOTIFICATIONS exists from Android 13; before it, notifications need no permission.
        val granted = Build.VERSION.SDK_INT < Build.VERSION_CODES.TIRAMISU ||
            ContextCompat.checkSelfPermission(context, Manifest.permission.POST_NOTIFICATIONS) == PackageManager.PERMISSION_GRANTED
        if (!granted) return
        val kind = NotificationKind.entries.firstOrNull { it.name == intent.getStringExtra(KIND) } ?: return
        val channel = Channels.of(kind)
        val opening = RouteExtras.put(Intent(context, MainActivity::class.java), RouteExtras.read(intent) ?: Destination.Home)
            .setAction("app.waymark.OPEN.$id")
            .addFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_CLEAR_TOP)
        val tap = PendingIntent.getActivity(context, 0, opening, PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT)
        val public = NotificationCompat.Builder(context, channel)
            .setSmallIcon(R.drawable.ic_notification)
            .setContentTitle(intent.getStringExtra(PUBLIC_TITLE))
            .setContentText(intent.getStringExtra(PUBLIC_BODY))
            .build()
        val body = intent.getStringExtra(BODY)
        val notification = NotificationCompat.Builder(context, channel)
            .setSmallIcon(R.drawable.ic_notification)
            .setContentTitle(intent.getStringExtra(TITLE))
            .setContentText(body)
            .setStyle(NotificationCompat.BigTextStyle().bigText(body))
            .setVisibility(NotificationCompat.VISIBILITY_PRIVATE)
            .setPublicVersion(public)
            .setCategory(if (intent.getBooleanExtra(URGENT, false)) Notification.CATEGORY_ALARM else Notification.CATEGORY_REMINDER)
            .setPriority(if (intent.getBooleanExtra(URGENT, false)) NotificationCompat.PRIORITY_HIGH else NotificationCompat.PRIORITY_DEFAULT)
            .setContentIntent(tap)
            .setAutoCancel(true)
            .build()
        NotificationManagerCompat.from(context).notify(id, NOTIFICATION, notification)
    }

    companion object {
        const val NOTIFICATION = 1
        private const val KIND = "app.waymark.kind"
        private const val TITLE = "app.waymark.title"
        private const val BODY = "app.waymark.body"
        private const val PUBLIC_TITLE = "app.waymark.public-title"
        private const val PUBLIC_BODY = "app.waymark.public-body"
        private const val URGENT = "app.waymark.urgent"

        /** The alarm's intent, carrying what the notification will show. */
        fun content(intent: Intent, notification: PlannedNotification): Intent =
            RouteExtras.put(intent, Destination.of(notification.route))
                .putExtra(KIND, notification.kind.name)
                .putExtra(TITLE, notification.title)
                .putExtra(BODY, notification.body)
                .putExtra(PUBLIC_TITLE, notification.publicTitle)
                .putExtra(PUBLIC_BODY, notification.publicBody)
                .putExtra(URGENT, notification.urgent)
    }
}
