import Foundation
import Observation
import WaymarkCore

public struct UnlockState: ScreenState {
    public var profile: ProfileState = .notOpened
    /// Always on this screen, from the bundled lines: no profile is needed.
    public var help: HelpNow?
    public var error: String?
}

/// Start, and every state in which the profile is not open: opening, a lost
/// key, a wrong key, a damaged or too new store, a full disk. Nothing here
/// wipes anything; restore and erase are their own screens.
@MainActor
@Observable
public final class UnlockModel: ScreenModel {
    public internal(set) var state = UnlockState()
    let profile: Profile
    private let device: Device

    public init(profile: Profile, device: Device) {
        self.profile = profile
        self.device = device
    }

    /// One call: help now with no profile.
    public func load() async {
        let (region, locale) = (device.region(), device.localeTag())
        if let help = await library({ try $0.helpNow(region: region, locale: locale) }) { state.help = help }
        state.profile = profile.state
    }

    /// Opens the profile (the first launch makes its key); gives the state the app shows next.
    @discardableResult
    public func unlock() async -> ProfileState {
        let opened = await profile.open()
        state.profile = opened
        return opened
    }
}
