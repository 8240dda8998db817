import Foundation
import Observation
import WaymarkCore

public struct BackupState: ScreenState {
    public var busy = false
    /// The size of the backup just written.
    public var written: UInt64?
    public var restored: RestoreReport?
    public var error: String?
}

/// Waymark's own passphrase backup, the one way to a new phone (the profile
/// is excluded from iCloud backups). The app copies between the document
/// picker and a temporary file; the core reads and writes it in chunks.
@MainActor
@Observable
public final class BackupModel: ScreenModel {
    public internal(set) var state = BackupState()
    let profile: Profile
    private let reminders: Reminders

    public init(profile: Profile, reminders: Reminders) {
        self.profile = profile
        self.reminders = reminders
    }

    public func backup(_ target: URL, passphrase: String) async {
        state.busy = true
        state.written = nil
        let path = target.path
        state.written = await core({ try $0.backup(path: path, passphrase: passphrase) })
        state.busy = false
    }

    /// Replaces this profile with `source`. The old profile's notifications go first, and the restored profile's are set after.
    public func restore(_ source: URL, passphrase: String) async {
        state.busy = true
        state.restored = nil
        await reminders.cancelAll()
        let report = await profile.restore(backup: source, passphrase: passphrase)
        state.busy = false
        switch report {
        case .success(let restored):
            state.restored = restored
            state.error = nil
        case .failure(let error):
            state.error = readable(error)
        }
        // A failed restore leaves the old profile, which opens again with its reminders.
        if await profile.open() == .open { _ = await reminders.reconcile() }
    }
}
