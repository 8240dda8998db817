import Foundation
import Observation
import WaymarkCore

public struct HelpNowState: ScreenState {
    public var help: HelpNow?
    public var error: String?
}

/// Help now: emergency and crisis lines for the patient's region. It works
/// with no profile (first launch, a lost key, a damaged store) and falls back
/// to the bundled lines whenever the profile cannot answer.
@MainActor
@Observable
public final class HelpNowModel: ScreenModel {
    public internal(set) var state = HelpNowState()
    let profile: Profile
    private let device: Device

    public init(profile: Profile, device: Device) {
        self.profile = profile
        self.device = device
    }

    public func load() async {
        if profile.state == .open, case .success(let help) = await profile.attempt({ try $0.helpNow(region: nil, locale: nil) }) {
            state.help = help
            return
        }
        let (region, locale) = (device.region(), device.localeTag())
        guard let help = await library({ try $0.helpNow(region: region, locale: locale) }) else { return }
        state.help = help
    }
}
