import Foundation
import Observation
import WaymarkCore

public struct SafetyLibraryState: ScreenState {
    public var language: String?
    public var pages: [SafetyPage] = []
    public var query = ""
    /// Help now first when the words name a crisis; the core decides.
    public var hits: [SafetySearchHit]?
    public var open: SafetyPage?
    public var error: String?
}

/// The bundled safety pages, offline from first launch: in the patient's
/// language when a profile is open, the phone's before.
@MainActor
@Observable
public final class SafetyLibraryModel: ScreenModel {
    public internal(set) var state = SafetyLibraryState()
    public internal(set) var event: ScreenEvent?
    let profile: Profile
    private let device: Device

    public init(profile: Profile, device: Device) {
        self.profile = profile
        self.device = device
    }

    /// One call without a profile, two with one.
    public func load() async {
        let language = await language()
        guard let pages = await library({ try $0.safetyPages(locale: language) }) else { return }
        state.language = language
        state.pages = pages
    }

    public func search(_ query: String) async {
        state.query = query
        if query.trimmingCharacters(in: .whitespaces).isEmpty {
            state.hits = nil
            return
        }
        let language = await language()
        guard let hits = await library({ try $0.searchSafety(query: query, locale: language) }) else { return }
        state.hits = hits
    }

    /// Opens a hit: a page here, or help now.
    public func openHit(_ hit: SafetySearchHit) async {
        switch hit.kind {
        case .helpNow: event = .navigate(.helpNow)
        case .page: await openPage(hit.id)
        }
    }

    public func openPage(_ id: String) async {
        let language = await language()
        guard let page = await library({ try $0.safetyPage(id: id, locale: language) }) else { return }
        state.open = page
    }

    public func closePage() {
        state.open = nil
    }

    public func eventHandled() {
        event = nil
    }

    private func language() async -> String {
        if let language = state.language { return language }
        guard profile.state == .open, case .success(let language) = await profile.attempt({ try $0.contentLanguage() }) else {
            return device.localeTag()
        }
        return language
    }
}
