import Foundation
import Observation
import WaymarkCore

public struct AssessmentState: ScreenState {
    public var instrument: Instrument
    public var form: Form?
    /// One per item, in the form's order.
    public var answers: [Answer] = []
    public var sessionId: String?
    public var shared = false
    /// The saved result; its `safetyAlert`, when set, is the help card, shown before anything else.
    public var result: Assessment?
    /// Help now, when storage failed and the answers could not be saved: a result that is not
    /// kept cannot raise its alert, so the lines are shown whatever the answers were.
    public var unsavedHelp: HelpNow?
    public var error: String?

    /// The option value chosen for item `index` (from 0), if any.
    public func chosen(_ index: Int) -> UInt32? {
        guard answers.indices.contains(index), case .score(let value) = answers[index] else { return nil }
        return UInt32(value)
    }

    public func declined(_ index: Int) -> Bool {
        answers.indices.contains(index) && answers[index] == .preferNotToAnswer
    }
}

/// PHQ-9 or GAD-7: the official form in the patient's language, scored by the core.
@MainActor
@Observable
public final class AssessmentModel: ScreenModel {
    public internal(set) var state: AssessmentState
    let profile: Profile
    private let device: Device
    private let planChanged: PlanChanged

    public init(profile: Profile, device: Device, planChanged: @escaping PlanChanged, instrument: Instrument) {
        self.profile = profile
        self.device = device
        self.planChanged = planChanged
        state = AssessmentState(instrument: instrument)
    }

    /// Two calls: the language, then the form in it.
    public func load(sessionId: String? = nil) async {
        guard let language = await core({ try $0.contentLanguage() }) else { return }
        let instrument = state.instrument
        guard let form = await library({ try $0.measureForm(instrument: instrument, locale: language) }) else { return }
        state.form = form
        state.answers = Array(repeating: .unanswered, count: form.items.count)
        state.sessionId = sessionId
        state.result = nil
    }

    /// The patient's answer to item `index` (from 0): one of the form's option values.
    public func answer(_ index: Int, _ value: UInt32) {
        setAnswer(index, .score(value: Int32(value)))
    }

    /// "Prefer not to answer", which the form offers only where the core takes it.
    public func decline(_ index: Int) {
        setAnswer(index, .preferNotToAnswer)
    }

    public func share(_ shared: Bool) {
        state.shared = shared
    }

    public func submit() async {
        let current = state
        let draft = AssessmentDraft(
            instrument: current.instrument, answers: current.answers, takenAt: device.now(), zone: device.zone(),
            sessionId: current.sessionId, shared: current.shared
        )
        switch await profile.attempt({ try $0.addAssessment(draft: draft) }) {
        case .success(let result):
            state.result = result
            state.unsavedHelp = nil
            state.error = nil
            await planChanged()
        case .failure(let problem):
            state.error = readable(problem)
            guard case .Storage = problem as? WaymarkError else { return }
            // Help does not wait for storage: the bundled lines need no profile.
            let (region, locale) = (device.region(), device.localeTag())
            if case .success(let help) = await profile.withoutProfile({ try $0.helpNow(region: region, locale: locale) }) {
                state.unsavedHelp = help
            }
        }
    }

    private func setAnswer(_ index: Int, _ answer: Answer) {
        guard state.answers.indices.contains(index) else { return }
        state.answers[index] = answer
        state.result = nil
    }
}
