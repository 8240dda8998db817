import Foundation
import UserNotifications
import WaymarkCore

/// Where reminders go: `UNUserNotificationCenter` on the phone, a recording scheduler in tests.
public protocol NotificationScheduling: Sendable {
    /// The ids of Waymark's notifications the system holds now.
    func pendingIdentifiers() async -> [String]
    func schedule(_ notification: PlannedNotification) async throws
    func cancel(_ ids: [String]) async
}

/// What one reconciliation did.
public struct ReminderReport: Equatable, Sendable {
    public let scheduled: Int
    public let cancelled: Int
}

/// Keeps the system's pending notifications equal to the core's plan. iOS
/// lists what it holds, so the core diffs against that list (no record
/// needed, unlike Android); the plan stays within the 64-pending cap because
/// the core caps it (`ReminderSettings.maxPending`, 60 unless changed).
@MainActor
public final class Reminders {
    private let profile: Profile
    private let scheduler: NotificationScheduling
    private let device: Device

    public init(profile: Profile, scheduler: NotificationScheduling, device: Device) {
        self.profile = profile
        self.scheduler = scheduler
        self.device = device
    }

    /// On foreground, from background refresh, and after any change to the plan.
    public func reconcile() async -> Result<ReminderReport, Error> {
        let held = await scheduler.pendingIdentifiers()
        let (now, zone) = (device.now(), device.zone())
        let diff = await profile.attempt { try $0.reconcileNotifications(now: now, deviceZone: zone, osPendingIds: held) }
        guard case .success(let reconciliation) = diff else { return diff.map { _ in ReminderReport(scheduled: 0, cancelled: 0) } }
        await scheduler.cancel(reconciliation.cancel)
        for notification in reconciliation.add {
            do { try await scheduler.schedule(notification) } catch { return .failure(error) }
        }
        return .success(ReminderReport(scheduled: reconciliation.add.count, cancelled: reconciliation.cancel.count))
    }

    /// Before the profile is erased or replaced by a restore: everything Waymark set goes.
    public func cancelAll() async {
        await scheduler.cancel(await scheduler.pendingIdentifiers())
    }
}

/// The plan on `UNUserNotificationCenter`. Safety reminders (fasting, after a
/// session) are time-sensitive, so they break through Focus; the lock screen
/// shows the core's neutral text until the phone is unlocked (iOS's default
/// "Show Previews: When Unlocked").
public struct UserNotificationScheduler: NotificationScheduling {
    public static let category = "app.waymark.reminder"
    private static let prefix = "waymark."

    public init() {}

    /// The category whose hidden-preview text is the core's neutral words; registered once at launch.
    public static func register(placeholder: String) {
        let category = UNNotificationCategory(
            identifier: category, actions: [], intentIdentifiers: [],
            hiddenPreviewsBodyPlaceholder: placeholder, options: []
        )
        UNUserNotificationCenter.current().setNotificationCategories([category])
    }

    public func pendingIdentifiers() async -> [String] {
        await UNUserNotificationCenter.current().pendingNotificationRequests()
            .map(\.identifier)
            .filter { $0.hasPrefix(Self.prefix) }
            .map { String($0.dropFirst(Self.prefix.count)) }
    }

    public func schedule(_ notification: PlannedNotification) async throws {
        let content = UNMutableNotificationContent()
        content.title = notification.title
        content.body = notification.body
        content.categoryIdentifier = Self.category
        content.interruptionLevel = notification.urgent ? .timeSensitive : .active
        content.userInfo = Route.userInfo(notification.route)
        // The instant in UTC with its zone named, so a change of the phone's zone does not move it.
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        var when = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: notification.fireAt)
        when.timeZone = utc.timeZone
        let trigger = UNCalendarNotificationTrigger(dateMatching: when, repeats: false)
        let request = UNNotificationRequest(identifier: Self.prefix + notification.id, content: content, trigger: trigger)
        try await UNUserNotificationCenter.current().add(request)
    }

    public func cancel(_ ids: [String]) async {
        let identifiers = ids.map { Self.prefix + $0 }
        let center = UNUserNotificationCenter.current()
        center.removePendingNotificationRequests(withIdentifiers: identifiers)
        center.removeDeliveredNotifications(withIdentifiers: identifiers)
    }
}

extension Route {
    /// The route in a notification's `userInfo`, read back by `Destination(userInfo:)`.
    public static func userInfo(_ route: Route) -> [String: String] {
        switch route {
        case .appointment(let id): return ["screen": "appointment", "id": id]
        case .assessment(let instrument): return ["screen": "assessment", "id": instrument == .phq9 ? "phq9" : "gad7"]
        case .prompt(let id): return ["screen": "prompt", "id": id]
        }
    }
}
