import Foundation
import WaymarkCore

/// `BGTaskScheduler` behind a protocol, so tests control when background work runs.
public protocol BackgroundTaskScheduling: Sendable {
    /// Asks for the next run no earlier than `earliest`; the system decides when.
    func submit(identifier: String, earliest: Date) throws
}

/// What a background sync asks of the scheduler.
public enum SyncOutcome: Equatable, Sendable {
    case done(SyncReport)
    /// Run again later: messages are still waiting, or time ran out.
    case retry(String)
    /// Retrying will not help until the patient opens the app.
    case giveUp(String)
}

/// One background sync: open the profile if the app was cold, sync within the
/// time iOS gives (a `BGAppRefreshTask` has about 30 s), then reconcile
/// reminders. The core keeps every message across runs, so giving up loses nothing.
@MainActor
public final class BackgroundSync {
    public static let identifier = "app.waymark.refresh"
    private let profile: Profile
    private let transport: HttpTransport
    private let reminders: Reminders
    private let device: Device
    private let maxAttempts: Int

    public init(profile: Profile, transport: HttpTransport, reminders: Reminders, device: Device, maxAttempts: Int = 5) {
        self.profile = profile
        self.transport = transport
        self.reminders = reminders
        self.device = device
        self.maxAttempts = maxAttempts
    }

    public func run(timeLimit: TimeInterval, attempt: Int) async -> SyncOutcome {
        let state = await profile.open()
        guard state == .open else { return .giveUp("the profile is not open: \(state)") }
        let (now, transport) = (device.now(), transport)
        let synced = await profile.attempt { try $0.sync(now: now, transport: transport, retryNow: false, timeLimit: timeLimit) }
        switch synced {
        case .failure(let error):
            return profile.state == .open ? retryOrGiveUp(attempt, readable(error)) : .giveUp(readable(error))
        case .success(let report):
            _ = await reminders.reconcile()
            if report.outOfTime { return retryOrGiveUp(attempt, "out of time with messages left") }
            if report.pending > 0, let problem = report.problems.first { return retryOrGiveUp(attempt, problem) }
            return .done(report)
        }
    }

    /// Asks for the next refresh: background refresh must be submitted again after every run.
    public func scheduleNext(on scheduler: BackgroundTaskScheduling, after interval: TimeInterval = 4 * 3600) {
        try? scheduler.submit(identifier: BackgroundSync.identifier, earliest: device.now().addingTimeInterval(interval))
    }

    private func retryOrGiveUp(_ attempt: Int, _ reason: String) -> SyncOutcome {
        attempt + 1 < maxAttempts ? .retry(reason) : .giveUp("gave up after \(maxAttempts) tries: \(reason)")
    }
}
