import Foundation
import Security

/// What reading the database key found. The shell never wipes a profile on any of these.
public enum KeyState: Equatable, Sendable {
    case ready(Data)
    /// No key: a first launch, or the app was deleted and installed again.
    case missing
    /// A key that cannot be read: the keychain refused, or the item is damaged.
    case unreadable(String)
}

/// Where the database's random 32-byte key lives: the Keychain on the phone, memory in tests.
public protocol DatabaseKeyStore: Sendable {
    func read() -> KeyState
    /// Makes and keeps a new key; refuses if one exists, since replacing it would lose the profile.
    func create() throws -> Data
    /// Keeps `key` in place of a lost one, once a backup has been restored under it.
    func replace(_ key: Data) throws
    func delete() throws
}

/// The key as a Keychain generic password: readable after the first unlock
/// (background refresh runs while locked), on this device only, never synced
/// to iCloud and never in a backup.
public struct KeychainKeyStore: DatabaseKeyStore {
    private let service: String
    private let account: String

    public init(service: String = "app.waymark.database", account: String = "key") {
        self.service = service
        self.account = account
    }

    private var query: [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: account,
            kSecAttrSynchronizable as String: false,
            kSecUseDataProtectionKeychain as String: true,
        ]
    }

    public func read() -> KeyState {
        var lookup = query
        lookup[kSecReturnData as String] = true
        lookup[kSecMatchLimit as String] = kSecMatchLimitOne
        var found: CFTypeRef?
        let status = SecItemCopyMatching(lookup as CFDictionary, &found)
        switch status {
        case errSecSuccess:
            guard let key = found as? Data, key.count == 32 else { return .unreadable("the key in the keychain is not 32 bytes") }
            return .ready(key)
        case errSecItemNotFound:
            return .missing
        default:
            return .unreadable("the keychain refused the key (\(status))")
        }
    }

    public func create() throws -> Data {
        if case .ready = read() { throw KeyStoreError.exists }
        var key = Data(count: 32)
        let made = key.withUnsafeMutableBytes { SecRandomCopyBytes(kSecRandomDefault, 32, $0.baseAddress!) }
        guard made == errSecSuccess else { throw KeyStoreError.keychain(made) }
        try add(key)
        return key
    }

    public func replace(_ key: Data) throws {
        guard key.count == 32 else { throw KeyStoreError.wrongLength(key.count) }
        try delete()
        try add(key)
    }

    public func delete() throws {
        let status = SecItemDelete(query as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else { throw KeyStoreError.keychain(status) }
    }

    private func add(_ key: Data) throws {
        var item = query
        item[kSecValueData as String] = key
        item[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        let status = SecItemAdd(item as CFDictionary, nil)
        guard status == errSecSuccess else { throw KeyStoreError.keychain(status) }
    }
}

public enum KeyStoreError: Error, Equatable {
    case exists
    case wrongLength(Int)
    case keychain(OSStatus)
}
