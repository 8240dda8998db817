import Foundation
import Observation
import WaymarkCore

public struct CheckInState: ScreenState {
    /// The mood scale, labels and areas, named in the patient's language.
    public var vocabulary: Vocabulary?
    /// The entry being edited; nil for a new check-in.
    public var editing: String?
    /// The zone an edited entry was written in, which it keeps.
    public var zone: String?
    public var valence: Int32?
    public var energy: Int32?
    public var anxiety: Int32?
    public var sleepHours: Double?
    public var labels: Set<EmotionLabel> = []
    public var areas: Set<LifeArea> = []
    public var text = ""
    public var shared = false
    public var saved: CheckIn?
    public var error: String?

    /// The patient has picked a mood; the core checks everything else.
    public var canSave: Bool { valence != nil }
}

/// A quick check-in or free writing, new or edited. Private unless the patient marks it shared.
@MainActor
@Observable
public final class CheckInModel: ScreenModel {
    public internal(set) var state = CheckInState()
    let profile: Profile
    private let device: Device
    private let planChanged: PlanChanged

    public init(profile: Profile, device: Device, planChanged: @escaping PlanChanged) {
        self.profile = profile
        self.device = device
        self.planChanged = planChanged
    }

    /// Two calls: the language, then its words.
    public func load() async {
        guard let language = await core({ try $0.contentLanguage() }) else { return }
        guard let vocabulary = await library({ try $0.vocabulary(locale: language) }) else { return }
        state.vocabulary = vocabulary
    }

    /// Three calls: `load` and the whole entry.
    public func loadEntry(_ id: String) async {
        await load()
        guard let entry = await core({ try $0.checkin(id: id) }) else { return }
        state.editing = entry.id
        state.zone = entry.zone
        state.valence = entry.valence
        state.energy = entry.energy
        state.anxiety = entry.anxiety
        state.sleepHours = entry.sleepHours
        state.labels = Set(entry.labels)
        state.areas = Set(entry.areas)
        state.text = entry.text
        state.shared = entry.shared
        state.saved = nil
    }

    public func edit(_ change: (inout CheckInState) -> Void) {
        change(&state)
        state.saved = nil
    }

    public func toggle(_ label: EmotionLabel) {
        edit { if $0.labels.contains(label) { $0.labels.remove(label) } else { $0.labels.insert(label) } }
    }

    public func toggle(_ area: LifeArea) {
        edit { if $0.areas.contains(area) { $0.areas.remove(area) } else { $0.areas.insert(area) } }
    }

    public func save() async {
        guard let valence = state.valence else { return }
        let current = state
        let draft = CheckInDraft(
            valence: valence, energy: current.energy, anxiety: current.anxiety, sleepHours: current.sleepHours,
            labels: Array(current.labels), areas: Array(current.areas), text: current.text,
            occurredAt: current.editing == nil ? device.now() : nil,
            zone: current.zone ?? device.zone(), shared: current.shared
        )
        let editing = current.editing
        guard let saved = await core({ waymark in
            if let editing { return try waymark.editCheckin(id: editing, draft: draft) }
            return try waymark.addCheckin(draft: draft)
        }) else { return }
        state = CheckInState(vocabulary: state.vocabulary, saved: saved)
        // A low check-in can turn the next prompts into grounding ones.
        await planChanged()
    }
}
