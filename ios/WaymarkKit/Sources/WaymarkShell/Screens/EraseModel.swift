import Foundation
import Observation
import WaymarkCore

public struct EraseState: ScreenState {
    public var typed = ""
    public var erased = false
    public var error: String?

    public func confirms(_ word: String) -> Bool {
        typed.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare(word) == .orderedSame
    }
}

/// Erasing everything, only after the patient types `confirmationWord` (from
/// the app's strings, in their language). Notifications go first, then the
/// database and its key. Nothing can bring it back but a backup.
@MainActor
@Observable
public final class EraseModel: ScreenModel {
    public internal(set) var state = EraseState()
    let profile: Profile
    private let reminders: Reminders
    private let confirmationWord: String

    public init(profile: Profile, reminders: Reminders, confirmationWord: String) {
        self.profile = profile
        self.reminders = reminders
        self.confirmationWord = confirmationWord
    }

    public func type(_ text: String) {
        state.typed = text
    }

    public func erase() async {
        guard state.confirms(confirmationWord) else { return }
        await reminders.cancelAll()
        switch await profile.erase() {
        case .success:
            state = EraseState(erased: true)
        case .failure(let error):
            state.error = readable(error)
        }
    }
}
