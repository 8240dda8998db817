import BackgroundTasks
import Foundation
import WaymarkShell

/// The objects the whole app shares, made once: the profile (the only way to
/// the core), reminders, the relay's transport and background sync.
@MainActor
final class AppGraph {
    let device = SystemDevice()
    let profile: Profile
    let reminders: Reminders
    let transport = URLSessionTransport()
    let backgroundSync: BackgroundSync
    let scheduler = SystemBackgroundTasks()

    init() {
        // Application Support, which Profile excludes from iCloud and computer backups.
        let support = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
        let database = support.appendingPathComponent("profile", isDirectory: true).appendingPathComponent("waymark.db")
        profile = Profile(database: database, keys: KeychainKeyStore(), device: device)
        reminders = Reminders(profile: profile, scheduler: UserNotificationScheduler(), device: device)
        backgroundSync = BackgroundSync(profile: profile, transport: transport, reminders: reminders, device: device)
    }

    /// After a write that may change the plan.
    func planChanged() async {
        _ = await reminders.reconcile()
    }
}

/// `BGTaskScheduler` behind the shell's protocol.
struct SystemBackgroundTasks: BackgroundTaskScheduling {
    func submit(identifier: String, earliest: Date) throws {
        let request = BGAppRefreshTaskRequest(identifier: identifier)
        request.earliestBeginDate = earliest
        try BGTaskScheduler.shared.submit(request)
    }
}
