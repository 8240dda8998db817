package app.waymark.shell.reminders

import app.waymark.core.PlannedNotification
import java.time.Duration
import java.time.Instant

/**
 * Where reminders go: AlarmManager and the notification manager on the phone
 * (app/), a recording sink in tests. Android cannot list the alarms it
 * holds, so the core remembers what was applied (`notificationsApplied`).
 */
interface NotificationSink {
    /** Android 12+: whether SCHEDULE_EXACT_ALARM is granted (`AlarmManager.canScheduleExactAlarms()`). */
    fun canScheduleExact(): Boolean

    /** Schedules [notification], replacing any alarm with its id. */
    fun schedule(notification: PlannedNotification, delivery: Delivery)

    fun cancel(id: String)
}

/** How an alarm is set: at its instant, or anywhere in a window the system may pick to save battery. */
sealed interface Delivery {
    data class Exact(val at: Instant) : Delivery

    data class Window(val start: Instant, val length: Duration) : Delivery
}

/**
 * The exact-or-windowed policy. The core marks which reminders need an
 * exact time (fasting, after-session safety, a session about to start).
 * With the permission they get one; without it they get a window that ends
 * at their time, so they come early rather than late (a fasting reminder
 * after the cut-off is no use). The others get a window that starts at
 * their time, as Android's own `setWindow` does, so they never fire before
 * the end of quiet hours the core moved them to.
 */
object DeliveryPolicy {
    /** The widest window mobile-shells.md allows. */
    val WINDOW: Duration = Duration.ofMinutes(10)

    fun deliveryFor(notification: PlannedNotification, exactAllowed: Boolean, now: Instant): Delivery = when {
        notification.exact && exactAllowed -> Delivery.Exact(notification.fireAt)
        notification.exact -> {
            val start = maxOf(now, notification.fireAt.minus(WINDOW))
            Delivery.Window(start, Duration.between(start, notification.fireAt))
        }
        else -> Delivery.Window(notification.fireAt, WINDOW)
    }
}
