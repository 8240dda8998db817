import Foundation
import Observation
import WaymarkCore

public struct SafetyPlanState: ScreenState {
    public var plan: SafetyPlan?
    public var error: String?
}

/// The patient's Stanley-Brown safety plan; every edit returns the whole plan.
@MainActor
@Observable
public final class SafetyPlanModel: ScreenModel {
    public internal(set) var state = SafetyPlanState()
    public internal(set) var event: ScreenEvent?
    let profile: Profile

    public init(profile: Profile) {
        self.profile = profile
    }

    public func load() async { await shown { try $0.safetyPlan() } }

    public func add(_ step: SafetyPlanStep, text: String) async { await shown { try $0.addSafetyPlanItem(step: step, text: text) } }

    public func edit(_ id: String, text: String) async { await shown { try $0.editSafetyPlanItem(id: id, text: text) } }

    public func remove(_ id: String) async { await shown { try $0.removeSafetyPlanItem(id: id) } }

    /// Moves item `id` to `index` within its step.
    public func move(_ id: String, index: UInt32) async { await shown { try $0.moveSafetyPlanItem(id: id, index: index) } }

    public func reason(_ text: String?) async { await shown { try $0.setPlanReason(reason: text) } }

    /// The plan as text for the share sheet: to print, or to send to someone the patient trusts.
    public func export() async {
        guard let text = await core({ try $0.exportSafetyPlan() }) else { return }
        event = .share(name: "safety-plan.txt", mimeType: "text/plain", content: text)
    }

    public func eventHandled() {
        event = nil
    }

    private func shown(_ call: @escaping @Sendable (WaymarkProtocol) throws -> SafetyPlan) async {
        guard let plan = await core(call) else { return }
        state.plan = plan
    }
}
