import BackgroundTasks
import SwiftUI
import UserNotifications
import WaymarkShell

@main
struct WaymarkApp: App {
    @UIApplicationDelegateAdaptor(AppDelegate.self) private var delegate
    @Environment(\.scenePhase) private var phase

    var body: some Scene {
        WindowGroup {
            RootView(graph: delegate.graph, opened: delegate.opened)
        }
        .onChange(of: phase) { _, now in
            // Re-plan on every return to the foreground: the day, the zone or the plan may have changed.
            guard now == .active else { return }
            Task { _ = await delegate.graph.reminders.reconcile() }
        }
    }
}

/// Registers background refresh before launch ends, routes tapped
/// notifications to their screen, and lets notifications show in the foreground.
@MainActor
final class AppDelegate: NSObject, UIApplicationDelegate, UNUserNotificationCenterDelegate {
    let graph = AppGraph()
    let opened = OpenedDestination()

    func application(_ application: UIApplication, didFinishLaunchingWithOptions options: [UIApplication.LaunchOptionsKey: Any]? = nil) -> Bool {
        UNUserNotificationCenter.current().delegate = self
        UserNotificationScheduler.register(placeholder: String(localized: "notification.hidden"))
        let registered = BGTaskScheduler.shared.register(forTaskWithIdentifier: BackgroundSync.identifier, using: nil) { task in
            guard let refresh = task as? BGAppRefreshTask else { return }
            Task { @MainActor in self.refresh(refresh) }
        }
        if registered { graph.backgroundSync.scheduleNext(on: graph.scheduler) }
        return true
    }

    /// One background refresh: about 30 seconds; the sync stops between two messages at 20.
    private func refresh(_ task: BGAppRefreshTask) {
        graph.backgroundSync.scheduleNext(on: graph.scheduler)
        let work = Task { @MainActor in
            let outcome = await graph.backgroundSync.run(timeLimit: 20, attempt: 0)
            if case .done = outcome { task.setTaskCompleted(success: true) } else { task.setTaskCompleted(success: false) }
        }
        task.expirationHandler = { work.cancel() }
    }

    nonisolated func userNotificationCenter(_ center: UNUserNotificationCenter, didReceive response: UNNotificationResponse) async {
        let info = response.notification.request.content.userInfo
        await MainActor.run { opened.destination = Destination(userInfo: info) }
    }

    nonisolated func userNotificationCenter(_ center: UNUserNotificationCenter, willPresent notification: UNNotification) async -> UNNotificationPresentationOptions {
        [.banner, .list, .sound]
    }
}

/// The screen a tapped notification asked for, until the root view has shown it.
@MainActor
@Observable
final class OpenedDestination {
    var destination: Destination?
}
