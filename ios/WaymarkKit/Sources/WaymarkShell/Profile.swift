import Foundation
import Observation
import Security
import WaymarkCore

/// What the app can do with the profile; each state but `open` has its own screen, all with help now.
public enum ProfileState: Equatable, Sendable {
    case notOpened
    case open
    /// The profile exists but its key is gone or cannot be read: restore a backup, or erase after confirming.
    case keyLost(String)
    case wrongKey
    case damaged
    case tooNew
    case diskFull
    /// Anything else the core reported; its message says what to do.
    case failed(String)
}

/// The profile: its state for the screens, and the only way to the core,
/// through `CoreActor`. Nothing here ever wipes a profile on its own.
@MainActor
@Observable
public final class Profile {
    public private(set) var state: ProfileState = .notOpened
    private let database: URL
    private let keys: DatabaseKeyStore
    private let device: Device
    private let core: CoreActor

    public init(database: URL, keys: DatabaseKeyStore, device: Device = SystemDevice(), core: CoreActor = CoreActor()) {
        self.database = database
        self.keys = keys
        self.device = device
        self.core = core
    }

    @discardableResult
    public func open() async -> ProfileState {
        let alreadyOpen = await core.isOpen
        if alreadyOpen {
            state = .open
            return state
        }
        guard let key = keyFor() else { return state }
        state = await openWith(key)
        return state
    }

    /// Runs `body` on the core actor with the open profile; throws what the core throws.
    public func call<T: Sendable>(_ body: @escaping @Sendable (WaymarkProtocol) throws -> T) async throws -> T {
        try await core.run(body)
    }

    /// Runs `body` like `call`, but gives a result. A storage failure also
    /// moves the profile to the state whose screen recovers from it.
    public func attempt<T: Sendable>(_ body: @escaping @Sendable (WaymarkProtocol) throws -> T) async -> Result<T, Error> {
        do {
            return .success(try await core.run(body))
        } catch {
            if case .Storage(let failure, _) = error as? WaymarkError {
                await core.close()
                state = Profile.state(for: failure, message: readable(error))
            }
            return .failure(error)
        }
    }

    /// Runs `body` with the calls that need no profile, on the core actor.
    public func withoutProfile<T: Sendable>(_ body: @escaping @Sendable (Core) throws -> T) async -> Result<T, Error> {
        do {
            return .success(try await core.withoutProfile(body))
        } catch {
            return .failure(error)
        }
    }

    /// After the phone's language changes: the core's words follow it, unless the patient chose one.
    public func deviceLocaleChanged() async -> Result<Void, Error> {
        let locale = device.localeTag()
        return await attempt { try $0.setDeviceLocale(locale: locale) }
    }

    public func close() async {
        await core.close()
        state = .notOpened
    }

    /// Erases the profile: the database and its side files, then its key.
    /// The erase screen asks for the typed confirmation first.
    public func erase() async -> Result<UInt32, Error> {
        await core.close()
        // Closed either way: after a failed erase, the unlock screen opens what is left.
        state = .notOpened
        let path = database.path
        let erased = await withoutProfile { try $0.eraseProfile(dbPath: path) }
        if case .success = erased {
            do { try keys.delete() } catch { return .failure(error) }
        }
        return erased
    }

    /// Restores `backup` over this profile and opens it. It keeps the key
    /// when it can be read; after a lost key it keeps a new one, only once
    /// the restore has succeeded. A failed restore leaves the profile as it was.
    public func restore(backup: URL, passphrase: String) async -> Result<RestoreReport, Error> {
        await core.close()
        let read = keys.read()
        var key = Data(count: 32)
        if case .ready(let kept) = read {
            key = kept
        } else {
            _ = key.withUnsafeMutableBytes { SecRandomCopyBytes(kSecRandomDefault, 32, $0.baseAddress!) }
        }
        let (from, to, newKey) = (backup.path, database.path, key)
        let restored = await withoutProfile {
            try $0.restoreBackup(backupPath: from, passphrase: passphrase, dbPath: to, key: newKey, replace: true)
        }
        switch restored {
        case .success:
            if case .ready = read {} else {
                do { try keys.replace(key) } catch { return .failure(error) }
            }
            state = await openWith(key)
        case .failure:
            state = .notOpened
        }
        return restored
    }

    /// The database key, or nil with the state that says why there is none.
    private func keyFor() -> Data? {
        switch keys.read() {
        case .ready(let key):
            return key
        case .missing:
            // A first launch makes the key; a profile without one has lost it.
            if FileManager.default.fileExists(atPath: database.path) {
                state = .keyLost("the profile's key is missing")
                return nil
            }
            do {
                return try keys.create()
            } catch {
                state = .failed("the keychain would not keep a new key: \(error)")
                return nil
            }
        case .unreadable(let reason):
            state = .keyLost(reason)
            return nil
        }
    }

    private func openWith(_ key: Data) async -> ProfileState {
        do {
            // The profile never leaves the phone in an iCloud or computer backup: Waymark's own backup moves it.
            var folder = database.deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var excluded = URLResourceValues()
            excluded.isExcludedFromBackup = true
            try folder.setResourceValues(excluded)
            try await core.open(path: database.path, key: key, deviceLocale: device.localeTag())
            return .open
        } catch {
            if case .Storage(let failure, _) = error as? WaymarkError {
                return Profile.state(for: failure, message: readable(error))
            }
            return .failed(readable(error))
        }
    }

    public nonisolated static func state(for failure: StorageFailure, message: String) -> ProfileState {
        switch failure {
        case .wrongKey: return .wrongKey
        case .damaged: return .damaged
        case .tooNew: return .tooNew
        case .diskFull: return .diskFull
        case .closed: return .notOpened
        case .inUse, .failed: return .failed(message)
        }
    }
}
