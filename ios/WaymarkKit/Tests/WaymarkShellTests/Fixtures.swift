import Foundation
import WaymarkCore
@testable import WaymarkShell

/// A phone whose clock, zone and language the test sets.
final class TestDevice: Device, @unchecked Sendable {
    var now: Date
    var zone: String
    var locale: Locale

    init(now: Date = Date(timeIntervalSince1970: floor(Date().timeIntervalSince1970)), zone: String = "Europe/Madrid", locale: Locale = Locale(identifier: "es_ES")) {
        self.now = now
        self.zone = zone
        self.locale = locale
    }

    func now() -> Date { now }
    func zone() -> String { zone }
    func locale() -> Locale { locale }
}

/// The database key in memory, standing in for the Keychain.
final class MemoryKeyStore: DatabaseKeyStore, @unchecked Sendable {
    var key: Data?
    var refuses = false

    func read() -> KeyState {
        if refuses { return .unreadable("the keychain refused the key (-25308)") }
        return key.map { .ready($0) } ?? .missing
    }

    func create() throws -> Data {
        if key != nil { throw KeyStoreError.exists }
        let made = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
        key = made
        return made
    }

    func replace(_ key: Data) throws { self.key = key }

    func delete() throws { key = nil }
}

/// What a reconciliation left pending, as `UNUserNotificationCenter` would hold it.
final class RecordingScheduler: NotificationScheduling, @unchecked Sendable {
    var pending: [String: PlannedNotification] = [:]

    func pendingIdentifiers() async -> [String] { Array(pending.keys) }
    func schedule(_ notification: PlannedNotification) async throws { pending[notification.id] = notification }
    func cancel(_ ids: [String]) async { ids.forEach { pending[$0] = nil } }
}

/// The real library, with the calls named in `failing` throwing instead (a full disk, say).
struct FailingCore: Core {
    let real = RustCore()
    let failing: WaymarkError

    func open(path: String, key: Data, deviceLocale: String?) throws -> WaymarkProtocol {
        FailingWaymark(real: try real.open(path: path, key: key, deviceLocale: deviceLocale), failing: failing)
    }
    func helpNow(region: String?, locale: String) throws -> HelpNow { try real.helpNow(region: region, locale: locale) }
    func safetyPages(locale: String) throws -> [SafetyPage] { try real.safetyPages(locale: locale) }
    func safetyPage(id: String, locale: String) throws -> SafetyPage { try real.safetyPage(id: id, locale: locale) }
    func searchSafety(query: String, locale: String) throws -> [SafetySearchHit] { try real.searchSafety(query: query, locale: locale) }
    func measureForm(instrument: Instrument, locale: String) throws -> Form { try real.measureForm(instrument: instrument, locale: locale) }
    func vocabulary(locale: String) throws -> Vocabulary { try real.vocabulary(locale: locale) }
    func eraseProfile(dbPath: String) throws -> UInt32 { try real.eraseProfile(dbPath: dbPath) }
    func restoreBackup(backupPath: String, passphrase: String, dbPath: String, key: Data, replace: Bool) throws -> RestoreReport {
        try real.restoreBackup(backupPath: backupPath, passphrase: passphrase, dbPath: dbPath, key: key, replace: replace)
    }
}

/// The generated object, whose PHQ-9 save and home screen fail as `failing` says; the rest is the real profile.
final class FailingWaymark: Waymark, @unchecked Sendable {
    let real: WaymarkProtocol
    let failing: WaymarkError

    init(real: WaymarkProtocol, failing: WaymarkError) {
        self.real = real
        self.failing = failing
        super.init(noHandle: Waymark.NoHandle())
    }

    required init(unsafeFromHandle handle: UInt64) { fatalError("not made from a handle") }

    override func addAssessment(draft: AssessmentDraft) throws -> Assessment { throw failing }
    override func home(now: Date, zone: Zone) throws -> Home { throw failing }
    override func contentLanguage() throws -> String { try real.contentLanguage() }
    override func closeProfile() throws { try real.closeProfile() }
}

/// A phone: a profile in a fresh folder, its device, its notifications.
@MainActor
final class Phone {
    let device = TestDevice()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-\(UUID().uuidString)", isDirectory: true)
    let keys = MemoryKeyStore()
    let scheduler = RecordingScheduler()
    let profile: Profile
    let reminders: Reminders

    var database: URL { folder.appendingPathComponent("waymark.db") }

    init(core: Core = RustCore()) {
        profile = Profile(database: folder.appendingPathComponent("waymark.db"), keys: keys, device: device, core: CoreActor(core: core))
        reminders = Reminders(profile: profile, scheduler: scheduler, device: device)
    }

    func planChanged() async {
        _ = await reminders.reconcile()
    }
}
