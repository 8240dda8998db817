import Foundation
import Observation
import WaymarkCore

public struct CourseState: ScreenState {
    /// The course, its sessions with their care plans and checklists, and what comes after it.
    public var overview: CourseOverview?
    public var error: String?
}

/// The course and its appointments. Every change is the core's: the model
/// passes the patient's choice, reloads the overview and re-plans reminders.
@MainActor
@Observable
public final class CourseModel: ScreenModel {
    public internal(set) var state = CourseState()
    public internal(set) var event: ScreenEvent?
    let profile: Profile
    private let device: Device
    private let planChanged: PlanChanged

    public init(profile: Profile, device: Device, planChanged: @escaping PlanChanged) {
        self.profile = profile
        self.device = device
        self.planChanged = planChanged
    }

    public func load() async {
        let (now, zone) = (device.now(), device.zone())
        guard let overview = await core({ try $0.courseOverview(now: now, deviceZone: zone) }) else { return }
        state.overview = overview
    }

    /// `firstSession` is the clinic's local time, `YYYY-MM-DDTHH:MM`, in `zone` (the phone's unless the patient picks the clinic's).
    public func start(_ template: CourseTemplate, firstSession: String, zone: String? = nil, place: String = "") async {
        let draft = CourseDraft(template: template, firstSession: firstSession, zone: zone ?? device.zone(), place: place)
        await changed { try $0.startCourse(draft: draft) }
    }

    public func add(_ draft: AppointmentDraft) async {
        await changed { try $0.addAppointment(draft: draft) }
    }

    public func move(_ id: String, localStart: String, zone: String? = nil) async {
        await changed { try $0.moveAppointment(id: id, localStart: localStart, zone: zone) }
    }

    public func cancel(_ id: String) async {
        await changed { try $0.cancelAppointment(id: id) }
    }

    public func done(_ id: String) async {
        let now = device.now()
        await changed { try $0.markAppointmentDone(id: id, at: now) }
    }

    public func missed(_ id: String) async {
        await changed { try $0.markAppointmentMissed(id: id) }
    }

    public func delete(_ id: String) async {
        await changed { try $0.deleteAppointment(id: id) }
    }

    public func check(_ appointmentId: String, item: CareItemKind, checked: Bool) async {
        await changed { try $0.setChecklistItem(appointmentId: appointmentId, item: item, checked: checked) }
    }

    public func fasting(_ courseId: String, noFoodBeforeMinutes: UInt32?, noLiquidsBeforeMinutes: UInt32?) async {
        await changed {
            try $0.setFasting(courseId: courseId, noFoodBeforeMinutes: noFoodBeforeMinutes, noLiquidsBeforeMinutes: noLiquidsBeforeMinutes)
        }
    }

    /// Esketamine maintenance after week 8, as the clinic decides: every `everyWeeks` weeks, `sessions` more.
    public func continueCourse(everyWeeks: UInt32, sessions: UInt32) async {
        let now = device.now()
        await changed { try $0.continueCourse(now: now, everyWeeks: everyWeeks, sessions: sessions) }
    }

    /// The course as an `.ics` file for the share sheet, with the reminders as alarms.
    public func exportCalendar() async {
        guard let ics = await core({ try $0.exportCalendar() }) else { return }
        event = .share(name: "waymark-course.ics", mimeType: "text/calendar", content: ics)
    }

    public func eventHandled() {
        event = nil
    }

    private func changed<T: Sendable>(_ write: @escaping @Sendable (WaymarkProtocol) throws -> T) async {
        guard await core(write) != nil else { return }
        await load()
        await planChanged()
    }
}
