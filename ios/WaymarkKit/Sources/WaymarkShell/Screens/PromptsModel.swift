import Foundation
import Observation
import WaymarkCore

public struct PromptsState: ScreenState {
    /// Open now, oldest first; grounding ones when the last days were hard.
    public var due: [DuePrompt] = []
    /// The mood scale an answer is rated on, in the patient's language.
    public var valences: [ValenceName] = []
    /// The journal entry the last answer became.
    public var answered: CheckIn?
    public var error: String?
}

/// Integration prompts timed after each session; an answer becomes a journal entry linked to it.
@MainActor
@Observable
public final class PromptsModel: ScreenModel {
    public internal(set) var state = PromptsState()
    let profile: Profile
    private let device: Device
    private let planChanged: PlanChanged

    public init(profile: Profile, device: Device, planChanged: @escaping PlanChanged) {
        self.profile = profile
        self.device = device
        self.planChanged = planChanged
    }

    /// Three calls: the language, the mood scale in it, and the prompts open now.
    public func load() async {
        if state.valences.isEmpty {
            guard let language = await core({ try $0.contentLanguage() }) else { return }
            guard let vocabulary = await library({ try $0.vocabulary(locale: language) }) else { return }
            state.valences = vocabulary.valences
        }
        await refresh()
    }

    /// `valence` is the patient's pick on `state.valences`.
    public func answer(_ id: String, text: String, valence: Int32, shared: Bool) async {
        let (now, zone) = (device.now(), device.zone())
        guard let entry = await core({ try $0.answerPrompt(now: now, id: id, text: text, valence: valence, zone: zone, shared: shared) }) else { return }
        state.answered = entry
        await refresh()
        await planChanged()
    }

    private func refresh() async {
        let now = device.now()
        guard let due = await core({ try $0.promptsDue(now: now) }) else { return }
        state.due = due
    }
}
