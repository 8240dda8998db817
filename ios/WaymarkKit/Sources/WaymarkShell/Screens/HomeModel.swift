import Foundation
import Observation
import WaymarkCore

public struct HomeState: ScreenState {
    public var home: Home?
    public var error: String?
}

/// Home: today's check-ins, the next session and the care in force, what is due. One call.
@MainActor
@Observable
public final class HomeModel: ScreenModel {
    public internal(set) var state = HomeState()
    let profile: Profile
    private let device: Device

    public init(profile: Profile, device: Device) {
        self.profile = profile
        self.device = device
    }

    public func load() async {
        let (now, zone) = (device.now(), device.zone())
        guard let home = await core({ try $0.home(now: now, zone: zone) }) else { return }
        state.home = home
    }
}
