package app.waymark.android.reminders

import android.app.AlarmManager
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import app.waymark.android.work.Work

/**
 * The phone changed under the plan. After a reboot or an update the phone
 * holds none of Waymark's alarms, and after the exact-alarm permission
 * changes it holds them the wrong way: everything is set again. After a
 * change of time, zone or language the core re-plans and the diff is applied.
 */
class SystemEventsReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        when (intent.action) {
            Intent.ACTION_BOOT_COMPLETED, Intent.ACTION_MY_PACKAGE_REPLACED, AlarmManager.ACTION_SCHEDULE_EXACT_ALARM_PERMISSION_STATE_CHANGED ->
                Work.replan(context, rescheduleAll = true)
            Intent.ACTION_LOCALE_CHANGED -> Work.replan(context, rescheduleAll = false, localeChanged = true)
            Intent.ACTION_TIME_CHANGED, Intent.ACTION_TIMEZONE_CHANGED -> Work.replan(context, rescheduleAll = false)
        }
    }
}
