import Foundation
import Observation
import WaymarkCore

public struct ProgressState: ScreenState {
    /// Local dates, `YYYY-MM-DD`; nil is open-ended.
    public var from: String?
    public var to: String?
    /// Scores, bands, baseline, response and remission, mood trends, vitals and safety events, as the core found them.
    public var progress: WaymarkCore.Progress?
    public var error: String?

    /// The results that raised a safety alert (item 9 above 0, or declined), to mark in the list as the report does.
    public var alerted: Set<String> { Set(progress?.safetyEvents.compactMap(\.assessmentId) ?? []) }
}

/// Progress over a course: one call.
@MainActor
@Observable
public final class ProgressModel: ScreenModel {
    public internal(set) var state = ProgressState()
    let profile: Profile
    private let device: Device

    public init(profile: Profile, device: Device) {
        self.profile = profile
        self.device = device
    }

    public func load() async {
        await load(from: state.from, to: state.to)
    }

    public func load(from: String?, to: String?) async {
        state.from = from
        state.to = to
        let (now, query) = (device.now(), ProgressQuery(from: from, to: to, zone: device.zone()))
        guard let progress = await core({ try $0.progress(now: now, query: query) }) else { return }
        state.progress = progress
    }

    /// Makes result `id` the baseline response and remission are measured from.
    public func pickBaseline(_ id: String) async {
        guard await core({ try $0.pickBaseline(id: id) }) != nil else { return }
        await load()
    }

    public func clearBaseline(_ instrument: Instrument) async {
        guard await core({ try $0.clearBaseline(instrument: instrument) }) != nil else { return }
        await load()
    }
}
