import Foundation
import WaymarkCore

/// The core as the shell sees it: the calls made without a profile, and
/// `open`, which gives the profile's calls. A protocol, so that tests can
/// count the calls a screen makes; `RustCore` is the real library.
public protocol Core: Sendable {
    func open(path: String, key: Data, deviceLocale: String?) throws -> WaymarkProtocol
    func helpNow(region: String?, locale: String) throws -> HelpNow
    func safetyPages(locale: String) throws -> [SafetyPage]
    func safetyPage(id: String, locale: String) throws -> SafetyPage
    func searchSafety(query: String, locale: String) throws -> [SafetySearchHit]
    func measureForm(instrument: Instrument, locale: String) throws -> Form
    func vocabulary(locale: String) throws -> Vocabulary
    func eraseProfile(dbPath: String) throws -> UInt32
    func restoreBackup(backupPath: String, passphrase: String, dbPath: String, key: Data, replace: Bool) throws -> RestoreReport
}

/// The generated bindings over the real library.
public struct RustCore: Core {
    public init() {}

    public func open(path: String, key: Data, deviceLocale: String?) throws -> WaymarkProtocol {
        try Waymark.open(path: path, key: key, deviceLocale: deviceLocale)
    }

    public func helpNow(region: String?, locale: String) throws -> HelpNow {
        try WaymarkCore.helpNow(region: region, locale: locale)
    }

    public func safetyPages(locale: String) throws -> [SafetyPage] {
        try WaymarkCore.safetyPages(locale: locale)
    }

    public func safetyPage(id: String, locale: String) throws -> SafetyPage {
        try WaymarkCore.safetyPage(id: id, locale: locale)
    }

    public func searchSafety(query: String, locale: String) throws -> [SafetySearchHit] {
        try WaymarkCore.searchSafety(query: query, locale: locale)
    }

    public func measureForm(instrument: Instrument, locale: String) throws -> Form {
        try WaymarkCore.measureForm(instrument: instrument, locale: locale)
    }

    public func vocabulary(locale: String) throws -> Vocabulary {
        try WaymarkCore.vocabulary(locale: locale)
    }

    public func eraseProfile(dbPath: String) throws -> UInt32 {
        try WaymarkCore.eraseProfile(dbPath: dbPath)
    }

    public func restoreBackup(backupPath: String, passphrase: String, dbPath: String, key: Data, replace: Bool) throws -> RestoreReport {
        try WaymarkCore.restoreBackup(backupPath: backupPath, passphrase: passphrase, dbPath: dbPath, key: key, replace: replace)
    }
}
