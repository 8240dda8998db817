import Foundation
import WaymarkCore
import XCTest
@testable import WaymarkShell

/// As android/shell's ProfileTest: the profile's states, and that nothing is ever wiped.
@MainActor
final class ProfileTests: XCTestCase {
    func testAFirstLaunchMakesTheKeyAndTheProfileThenOpensItAgain() async throws {
        let phone = Phone()
        XCTAssertEqual(phone.profile.state, .notOpened)
        let opened = await phone.profile.open()
        XCTAssertEqual(opened, .open)
        XCTAssertNotNil(phone.keys.key)
        let draft = CheckInDraft(valence: 2, text: "hola", zone: "Europe/Madrid")
        let id = try await phone.profile.call { try $0.addCheckin(draft: draft).id }
        let language = try await phone.profile.call { try $0.settings().contentLanguage }
        XCTAssertEqual(language, "es")
        await phone.profile.close()
        let again = await phone.profile.open()
        XCTAssertEqual(again, .open)
        let text = try await phone.profile.call { try $0.checkin(id: id).text }
        XCTAssertEqual(text, "hola")
    }

    func testALostKeyIsKeyLostAndNothingIsWipedOrRemade() async throws {
        let phone = Phone()
        _ = await phone.profile.open()
        await phone.profile.close()
        let before = try Data(contentsOf: phone.database)
        phone.keys.key = nil
        let state = await phone.profile.open()
        guard case .keyLost = state else { return XCTFail("\(state)") }
        XCTAssertNil(phone.keys.key, "no new key replaces the lost one")
        XCTAssertEqual(try Data(contentsOf: phone.database), before)
    }

    func testAnotherKeyIsWrongKeyAndATruncatedFileIsDamaged() async throws {
        let phone = Phone()
        _ = await phone.profile.open()
        await phone.profile.close()
        let before = try Data(contentsOf: phone.database)
        phone.keys.key = Data(repeating: 7, count: 32)
        let wrong = await phone.profile.open()
        XCTAssertEqual(wrong, .wrongKey)
        XCTAssertEqual(try Data(contentsOf: phone.database), before)
        try before.prefix(5000).write(to: phone.database)
        phone.keys.key = nil
        phone.keys.refuses = false
        let lost = await phone.profile.open()
        guard case .keyLost = lost else { return XCTFail("\(lost)") }
    }

    func testEveryStorageFailureHasItsState() {
        let expected: [(StorageFailure, ProfileState)] = [
            (.wrongKey, .wrongKey), (.damaged, .damaged), (.tooNew, .tooNew), (.diskFull, .diskFull),
            (.closed, .notOpened), (.inUse, .failed("m")), (.failed, .failed("m")),
        ]
        for (failure, state) in expected {
            XCTAssertEqual(Profile.state(for: failure, message: "m"), state)
        }
    }

    func testTheCoresWordsFollowThePhonesLanguageWhenItChanges() async throws {
        let phone = Phone()
        _ = await phone.profile.open()
        phone.device.locale = Locale(identifier: "en_GB")
        _ = await phone.profile.deviceLocaleChanged()
        let language = try await phone.profile.call { try $0.settings().contentLanguage }
        XCTAssertEqual(language, "en")
    }

    func testRetryAfterIsReadInSecondsOrAsADate() {
        let now = Date(timeIntervalSince1970: 1_772_359_200)  // Sun, 01 Mar 2026 10:00:00 GMT
        XCTAssertEqual(URLSessionTransport.retryAfterSeconds("120", now: now), 120)
        XCTAssertEqual(URLSessionTransport.retryAfterSeconds("Sun, 01 Mar 2026 10:01:30 GMT", now: now), 90)
        XCTAssertEqual(URLSessionTransport.retryAfterSeconds("Sun, 01 Mar 2026 09:00:00 GMT", now: now), 0)
        XCTAssertNil(URLSessionTransport.retryAfterSeconds("soon", now: now))
        XCTAssertNil(URLSessionTransport.retryAfterSeconds("-5", now: now))
    }
}
