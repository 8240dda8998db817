import Foundation
import WaymarkCore

/// Something a screen does once, not a state it stays in.
public enum ScreenEvent: Equatable, Sendable {
    /// Hand `content` to the share sheet under `name`.
    case share(name: String, mimeType: String, content: String)
    case navigate(Destination)
}

/// The screens a notification, a card or a finished action can lead to.
public enum Destination: Equatable, Hashable, Sendable {
    case home
    case helpNow
    case safetyPlan
    case appointment(String)
    case assessment(Instrument)
    case prompt(String)

    /// Where a tapped notification leads: the core's route, unchanged.
    public init(route: Route) {
        switch route {
        case .appointment(let id): self = .appointment(id)
        case .assessment(let instrument): self = .assessment(instrument)
        case .prompt(let id): self = .prompt(id)
        }
    }

    /// The destination in a notification's `userInfo` (`Route.userInfo`); anything unknown opens home.
    public init?(userInfo: [AnyHashable: Any]) {
        guard let screen = userInfo["screen"] as? String else { return nil }
        let id = userInfo["id"] as? String
        switch (screen, id) {
        case ("appointment", .some(let id)): self = .appointment(id)
        case ("assessment", "phq9"): self = .assessment(.phq9)
        case ("assessment", "gad7"): self = .assessment(.gad7)
        case ("prompt", .some(let id)): self = .prompt(id)
        default: self = .home
        }
    }
}

/// Tells reminders that a write may have changed the plan (`Reminders.reconcile`).
public typealias PlanChanged = @MainActor () async -> Void

/// A screen's state: an immutable value with the core's last refusal, if any.
public protocol ScreenState: Sendable {
    var error: String? { get set }
}

/// One screen's model, one for one with the Android shell's state holders:
/// the same state fields and actions (tests/ios checks). It computes nothing
/// the core has: it passes what the patient did to the core and shows what comes back.
@MainActor
protocol ScreenModel: AnyObject {
    associatedtype State: ScreenState
    var state: State { get set }
    var profile: Profile { get }
}

extension ScreenModel {
    /// One call on the open profile: a refusal becomes the state's error and gives nil; a storage
    /// failure also moves the profile to its recovery screen (`Profile.attempt`).
    func core<T: Sendable>(_ body: @escaping @Sendable (WaymarkProtocol) throws -> T) async -> T? {
        shown(await profile.attempt(body))
    }

    /// One call that needs no profile.
    func library<T: Sendable>(_ body: @escaping @Sendable (Core) throws -> T) async -> T? {
        shown(await profile.withoutProfile(body))
    }

    private func shown<T>(_ result: Result<T, Error>) -> T? {
        switch result {
        case .success(let value):
            state.error = nil
            return value
        case .failure(let error):
            state.error = readable(error)
            return nil
        }
    }
}
