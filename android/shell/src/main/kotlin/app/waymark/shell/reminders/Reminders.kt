package app.waymark.shell.reminders

import app.waymark.shell.Device
import app.waymark.shell.Profile

/** What one reconciliation did to the phone's alarms. */
data class ReminderReport(
    val scheduled: Int,
    val cancelled: Int,
    /** Reminders the core wants exact that went out windowed: ask for the exact-alarm permission, and say why. */
    val windowedWithoutPermission: Int,
)

/**
 * Keeps the phone's alarms equal to the core's plan. The core plans and
 * diffs; this only applies the diff to [sink] and tells the core what the
 * phone now holds. Two core calls.
 */
class Reminders(
    private val profile: Profile,
    private val sink: NotificationSink,
    private val device: Device,
) {
    /** After any change to the plan: a write, a new day, a change of time, zone or locale. */
    suspend fun reconcile(): Result<ReminderReport> = apply(phoneHoldsNone = false)

    /**
     * When the phone holds none of Waymark's alarms or holds them the wrong
     * way: after a reboot or an update, and when the exact-alarm permission
     * changes. Every planned reminder is scheduled again.
     */
    suspend fun rescheduleAll(): Result<ReminderReport> = apply(phoneHoldsNone = true)

    /**
     * Cancels every alarm the phone holds for this profile, before it is
     * erased or replaced by a restore: the core knows which it set.
     */
    suspend fun cancelAll(): Result<Int> {
        val diff = profile.attempt { it.reconcileNotifications(device.now(), device.zone(), null) }.getOrElse { return Result.failure(it) }
        val added = diff.add.map { it.id }.toSet()
        val held = diff.cancel + diff.pending.filter { it !in added }
        held.forEach(sink::cancel)
        return profile.attempt { it.notificationsApplied(emptyList()) }.map { held.size }
    }

    private suspend fun apply(phoneHoldsNone: Boolean): Result<ReminderReport> {
        val now = device.now()
        val held = if (phoneHoldsNone) emptyList<String>() else null
        val diff = profile.attempt { it.reconcileNotifications(now, device.zone(), held) }.getOrElse { return Result.failure(it) }
        val exactAllowed = sink.canScheduleExact()
        diff.cancel.forEach(sink::cancel)
        var windowed = 0
        for (notification in diff.add) {
            val delivery = DeliveryPolicy.deliveryFor(notification, exactAllowed, now)
            if (notification.exact && delivery is Delivery.Window) windowed++
            sink.schedule(notification, delivery)
        }
        return profile.attempt { it.notificationsApplied(diff.pending) }
            .map { ReminderReport(diff.add.size, diff.cancel.size, windowed) }
    }
}
