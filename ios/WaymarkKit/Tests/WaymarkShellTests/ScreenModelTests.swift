import Foundation
import WaymarkCore
import XCTest
@testable import WaymarkShell

/// As android/shell's ScreensTest: each screen model against the real library.
@MainActor
final class ScreenModelTests: XCTestCase {
    func testACheckInIsSavedEditedFoundDeletedAndBroughtBack() async throws {
        let phone = Phone()
        _ = await phone.profile.open()
        let checkIn = CheckInModel(profile: phone.profile, device: phone.device, planChanged: phone.planChanged)
        await checkIn.load()
        XCTAssertEqual(checkIn.state.vocabulary?.language, "es")
        XCTAssertEqual(checkIn.state.vocabulary?.valences.map(\.valence), Array(-3...3))
        XCTAssertFalse(checkIn.state.canSave)
        checkIn.edit { $0.valence = -1; $0.text = "Un paseo junto al río" }
        checkIn.toggle(EmotionLabel.calm)
        await checkIn.save()
        let saved = try XCTUnwrap(checkIn.state.saved)
        XCTAssertEqual(saved.labels, [.calm])

        await checkIn.loadEntry(saved.id)
        checkIn.edit { $0.valence = 9 }
        await checkIn.save()
        XCTAssertTrue(checkIn.state.error?.contains("9") ?? false)

        let journal = JournalModel(profile: phone.profile)
        await journal.load()
        XCTAssertEqual(journal.state.rows.map(\.id), [saved.id])
        await journal.search("río")
        XCTAssertEqual(journal.state.hits?.first?.entry.id, saved.id)
        await journal.delete(saved.id)
        XCTAssertTrue(journal.state.rows.isEmpty)
        await journal.undo()
        XCTAssertEqual(journal.state.rows.map(\.id), [saved.id])
    }

    func testItem9AboveZeroShowsTheHelpCard() async throws {
        let phone = Phone()
        _ = await phone.profile.open()
        let phq9 = AssessmentModel(profile: phone.profile, device: phone.device, planChanged: phone.planChanged, instrument: .phq9)
        await phq9.load()
        let form = try XCTUnwrap(phq9.state.form)
        XCTAssertEqual(form.items.count, 9)
        for index in form.items.indices { phq9.answer(index, 0) }
        phq9.answer(8, 1)
        await phq9.submit()
        let alert = try XCTUnwrap(phq9.state.result?.safetyAlert)
        XCTAssertEqual(alert.kind, .phq9SelfHarmThoughts)
        XCTAssertFalse(alert.helpNow?.lines.isEmpty ?? true)
        phq9.decline(8)
        await phq9.submit()
        XCTAssertEqual(phq9.state.result?.safetyAlert?.kind, .phq9SelfHarmDeclined)
    }

    func testAFullDiskStillShowsHelpAndMovesTheProfileToItsScreen() async throws {
        let full = WaymarkError.Storage(failure: .diskFull, error: .DiskFull(message: "the disk is full"))
        let phone = Phone(core: FailingCore(failing: full))
        _ = await phone.profile.open()
        let phq9 = AssessmentModel(profile: phone.profile, device: phone.device, planChanged: phone.planChanged, instrument: .phq9)
        await phq9.load()
        for index in phq9.state.answers.indices { phq9.answer(index, 3) }
        await phq9.submit()
        XCTAssertNil(phq9.state.result)
        XCTAssertTrue(phq9.state.unsavedHelp?.lines.contains { $0.country == "ES" } ?? false)
        XCTAssertEqual(phone.profile.state, .diskFull)
        XCTAssertEqual(phq9.state.error, "the disk is full")
        let help = HelpNowModel(profile: phone.profile, device: phone.device)
        await help.load()
        XCTAssertFalse(help.state.help?.lines.isEmpty ?? true)
    }

    func testTheSafetyScreensWorkWithoutAProfile() async throws {
        let phone = Phone()
        let library = SafetyLibraryModel(profile: phone.profile, device: phone.device)
        await library.load()
        XCTAssertFalse(library.state.pages.isEmpty)
        await library.search("quiero morir")
        let first = try XCTUnwrap(library.state.hits?.first)
        XCTAssertEqual(first.kind, .helpNow)
        await library.openHit(first)
        XCTAssertEqual(library.event, .navigate(.helpNow))
        let unlock = UnlockModel(profile: phone.profile, device: phone.device)
        await unlock.load()
        XCTAssertNotNil(unlock.state.help)
        let opened = await unlock.unlock()
        XCTAssertEqual(opened, .open)
    }

    func testRemindersFollowTheCoursesPlanAndEraseCancelsThem() async throws {
        let phone = Phone()
        _ = await phone.profile.open()
        let course = CourseModel(profile: phone.profile, device: phone.device, planChanged: phone.planChanged)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: phone.device.zone)!
        let day = calendar.dateComponents([.year, .month, .day], from: phone.device.now.addingTimeInterval(3 * 86_400))
        let first = String(format: "%04d-%02d-%02dT09:00", day.year!, day.month!, day.day!)
        await course.start(.ivInduction, firstSession: first)
        XCTAssertNotNil(course.state.overview?.next)
        let (now, zone) = (phone.device.now, phone.device.zone)
        let plan = try await phone.profile.call { try $0.planNotifications(now: now, deviceZone: zone, maxPending: nil) }
        XCTAssertEqual(Set(phone.scheduler.pending.keys), Set(plan.map(\.id)))
        XCTAssertLessThanOrEqual(phone.scheduler.pending.count, 64)
        let again = await phone.reminders.reconcile()
        XCTAssertEqual(try again.get(), ReminderReport(scheduled: 0, cancelled: 0))

        let erase = EraseModel(profile: phone.profile, reminders: phone.reminders, confirmationWord: "BORRAR")
        erase.type("borra")
        await erase.erase()
        XCTAssertTrue(FileManager.default.fileExists(atPath: phone.database.path))
        erase.type(" borrar ")
        await erase.erase()
        XCTAssertTrue(erase.state.erased)
        XCTAssertTrue(phone.scheduler.pending.isEmpty)
        XCTAssertFalse(FileManager.default.fileExists(atPath: phone.database.path))
        XCTAssertNil(phone.keys.key)
    }
}
