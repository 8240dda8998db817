import Foundation
import Observation
import WaymarkCore

public struct SharingState: ScreenState {
    /// Paired channels, what waits to be sent, what failed or was set aside, and why.
    public var status: SyncStatus?
    /// Local dates, `YYYY-MM-DD`.
    public var from = ""
    public var to = ""
    /// Nothing is chosen for the patient.
    public var scopes: Set<ShareScope> = []
    /// What the therapist would read, before it is sent.
    public var preview: SummaryForms?
    public var shared: SummaryForms?
    public var lastSync: SyncReport?
    public var error: String?
}

/// Sharing with a therapist: pairing with their code (typed or scanned), the
/// summary the patient picks, previewed then sealed into the outbox, sync now
/// and its status. The summary leaves the phone only through `syncNow` or
/// background refresh, and only to a paired channel.
@MainActor
@Observable
public final class SharingModel: ScreenModel {
    public internal(set) var state = SharingState()
    let profile: Profile
    private let device: Device
    private let transport: HttpTransport
    private let planChanged: PlanChanged

    public init(profile: Profile, device: Device, transport: HttpTransport, planChanged: @escaping PlanChanged) {
        self.profile = profile
        self.device = device
        self.transport = transport
        self.planChanged = planChanged
    }

    /// One call; the range starts as the last four weeks, for the patient to change.
    public func load() async {
        if state.to.isEmpty {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: device.zone()) ?? .current
            let today = device.now()
            let start = calendar.date(byAdding: .day, value: -27, to: today) ?? today
            state.from = Self.day(start, calendar)
            state.to = Self.day(today, calendar)
        }
        guard let status = await core({ try $0.syncStatus() }) else { return }
        state.status = status
    }

    public func choose(from: String? = nil, to: String? = nil, scopes: Set<ShareScope>? = nil) {
        state.from = from ?? state.from
        state.to = to ?? state.to
        state.scopes = scopes ?? state.scopes
        state.preview = nil
    }

    public func pair(_ code: String) async {
        let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
        guard await core({ try $0.pair(code: trimmed) }) != nil else { return }
        await load()
    }

    public func preview() async {
        let request = request()
        guard let forms = await core({ try $0.previewShare(request: request) }) else { return }
        state.preview = forms
    }

    public func share() async {
        let request = request()
        guard let forms = await core({ try $0.share(request: request) }) else { return }
        state.shared = forms
        state.preview = nil
        await syncNow()
    }

    /// Sends what waits and fetches what the therapist sent (appointments, prompts), then re-plans reminders.
    public func syncNow() async {
        let (now, transport) = (device.now(), transport)
        guard let report = await core({ try $0.sync(now: now, transport: transport, retryNow: true, timeLimit: nil) }) else { return }
        state.lastSync = report
        await planChanged()
        await load()
    }

    /// Sends a failed or set-aside message again at the next sync.
    public func retry(_ messageId: String) async {
        guard await core({ try $0.retryMessage(id: messageId) }) != nil else { return }
        await load()
    }

    public func unpair() async {
        guard await core({ try $0.unpair() }) != nil else { return }
        await load()
    }

    private func request() -> ShareRequest {
        ShareRequest(from: state.from, to: state.to, zone: device.zone(), scopes: Array(state.scopes))
    }

    private static func day(_ date: Date, _ calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
