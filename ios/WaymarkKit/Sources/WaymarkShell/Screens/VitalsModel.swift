import Foundation
import Observation
import WaymarkCore

public struct VitalsState: ScreenState {
    public var systolic: Int32?
    public var diastolic: Int32?
    public var heartRate: Int32?
    public var sessionId: String?
    public var shared = false
    /// The saved reading, with the core's flag when it is one the clinic should hear about.
    public var saved: VitalsReading?
    public var error: String?
}

/// Blood pressure and heart rate. No call on load; the core checks and flags each reading.
@MainActor
@Observable
public final class VitalsModel: ScreenModel {
    public internal(set) var state = VitalsState()
    let profile: Profile
    private let device: Device

    public init(profile: Profile, device: Device) {
        self.profile = profile
        self.device = device
    }

    public func edit(_ change: (inout VitalsState) -> Void) {
        change(&state)
        state.saved = nil
    }

    public func save() async {
        let current = state
        let draft = VitalsDraft(
            systolic: current.systolic, diastolic: current.diastolic, heartRate: current.heartRate,
            takenAt: device.now(), zone: device.zone(), sessionId: current.sessionId, shared: current.shared
        )
        guard let saved = await core({ try $0.addVitals(draft: draft) }) else { return }
        state = VitalsState(saved: saved)
    }
}
