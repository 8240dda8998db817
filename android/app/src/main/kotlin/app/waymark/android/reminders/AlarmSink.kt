package app.waymark.android.reminders

import android.app.AlarmManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.net.Uri
import android.os.Build
import androidx.core.app.NotificationManagerCompat
import app.waymark.shell.model.PlannedNotification
import app.waymark.shell.reminders.Delivery
import app.waymark.shell.reminders.DeliveryPolicy
import app.waymark.shell.reminders.NotificationSink

/**
 * The core's plan on AlarmManager. Each alarm is a broadcast to
 * [ReminderReceiver], told apart by its id in the intent's data, so that
 * setting an id again replaces its alarm and cancelling finds it.
 */
class AlarmSink(private val context: Context) : NotificationSink {
    private val alarms = context.getSystemService(AlarmManager::class.java)

    override fun canScheduleExact(): Boolean = Build.VERSION.SDK_INT < Build.VERSION_CODES.S || alarms.canScheduleExactAlarms()

    override fun schedule(notification: PlannedNotification, delivery: Delivery) {
        val intent = ReminderReceiver.content(intent(notification.id), notification)
        val pending = PendingIntent.getBroadcast(context, 0, intent, PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT)
        when (delivery) {
            is Delivery.Exact -> alarms.setExactAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, delivery.at.toEpochMilli(), pending)
            // Safety reminders without the exact permission still fire in Doze, at the window's start;
            // so do windows under ten minutes, which Android 12+ would stretch past their end.
            is Delivery.Window -> if (notification.urgent || delivery.length < DeliveryPolicy.WINDOW) {
                alarms.setAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, delivery.start.toEpochMilli(), pending)
            } else {
                alarms.setWindow(AlarmManager.RTC_WAKEUP, delivery.start.toEpochMilli(), delivery.length.toMillis(), pending)
            }
        }
    }

    override fun cancel(id: String) {
        PendingIntent.getBroadcast(context, 0, intent(id), PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_NO_CREATE)
            ?.let { alarms.cancel(it) }
        NotificationManagerCompat.from(context).cancel(id, ReminderReceiver.NOTIFICATION)
    }

    private fun intent(id: String) =
        Intent(context, ReminderReceiver::class.java).setData(Uri.fromParts("waymark-reminder", id, null))
}
