import Foundation
import Observation
import WaymarkCore

public struct SettingsState: ScreenState {
    public var settings: Settings?
    public var error: String?
}

/// Reminders, questionnaire schedules, region and language: one call to show, one per change and one to show again.
@MainActor
@Observable
public final class SettingsModel: ScreenModel {
    public internal(set) var state = SettingsState()
    let profile: Profile
    private let planChanged: PlanChanged

    public init(profile: Profile, planChanged: @escaping PlanChanged) {
        self.profile = profile
        self.planChanged = planChanged
    }

    public func load() async {
        guard let settings = await core({ try $0.settings() }) else { return }
        state.settings = settings
    }

    public func reminders(_ settings: ReminderSettings) async {
        await changed { try $0.setReminderSettings(settings: settings) }
    }

    public func schedule(_ schedule: MeasureSchedule) async {
        await changed { try $0.setMeasureSchedule(schedule: schedule) }
    }

    /// An ISO 3166 code for crisis lines, or nil for the phone's.
    public func region(_ region: String?) async {
        await changed { try $0.setRegion(region: region) ?? "" }
    }

    /// `en` or `es`, or nil for the phone's.
    public func language(_ locale: String?) async {
        await changed { try $0.setLanguage(locale: locale) ?? "" }
    }

    private func changed<T: Sendable>(_ write: @escaping @Sendable (WaymarkProtocol) throws -> T) async {
        guard await core(write) != nil else { return }
        await load()
        // Quiet hours, offsets, schedules and language all change what is planned.
        await planChanged()
    }
}
