import Foundation
import WaymarkCore
import XCTest
@testable import WaymarkShell

/// As android/shell's PatientDayTest, through the screen models, against a relay
/// given by WAYMARK_TEST_RELAY (tests/kotlin/toolchain.sh's start_test_relay starts one).
@MainActor
final class PatientDayTests: XCTestCase {
    func testAPatientsDay() async throws {
        guard let relay = ProcessInfo.processInfo.environment["WAYMARK_TEST_RELAY"] else {
            throw XCTSkip("start a relay and set WAYMARK_TEST_RELAY")
        }
        let phone = Phone()
        let help = HelpNowModel(profile: phone.profile, device: phone.device)
        await help.load()
        XCTAssertTrue(help.state.help?.lines.contains { $0.country == "ES" } ?? false)
        XCTAssertNil(phone.keys.key)
        let opened = await UnlockModel(profile: phone.profile, device: phone.device).unlock()
        XCTAssertEqual(opened, .open)

        let phq9 = AssessmentModel(profile: phone.profile, device: phone.device, planChanged: phone.planChanged, instrument: .phq9)
        await phq9.load()
        for index in phq9.state.answers.indices { phq9.answer(index, 1) }
        phq9.answer(8, 2)
        await phq9.submit()
        XCTAssertNotNil(phq9.state.result?.safetyAlert?.helpNow)

        let clinicianPath = phone.folder.appendingPathComponent("clinician.db").path
        let clinician = try Waymark.open(path: clinicianPath, key: Data(repeating: 7, count: 32), deviceLocale: "en")
        let code = try clinician.invite(relayUrl: relay, label: "Dr. R.").pairingCode
        let transport = URLSessionTransport()
        let sharing = SharingModel(profile: phone.profile, device: phone.device, transport: transport, planChanged: phone.planChanged)
        await sharing.load()
        await sharing.pair(code)
        sharing.choose(scopes: [.mood, .measures])
        await sharing.share()
        XCTAssertNil(sharing.state.error)
        XCTAssertGreaterThanOrEqual(sharing.state.lastSync?.uploaded ?? 0, 1)
        _ = try clinician.sync(now: phone.device.now, transport: transport, retryNow: true, timeLimit: nil)
        XCTAssertEqual(try clinician.receivedSummaries().count, 1)

        let backup = phone.folder.appendingPathComponent("waymark.backup")
        await BackupModel(profile: phone.profile, reminders: phone.reminders).backup(backup, passphrase: "río azul montaña verde 42")
        let newPhone = Phone()
        let restore = BackupModel(profile: newPhone.profile, reminders: newPhone.reminders)
        await restore.restore(backup, passphrase: "río azul montaña verde 42")
        XCTAssertNil(restore.state.error)
        XCTAssertEqual(newPhone.profile.state, .open)
        XCTAssertEqual(restore.state.restored?.assessments, 1)
    }
}
