import Foundation
import Observation
import WaymarkCore

public struct ImportState: ScreenState {
    /// A Daylio export as read, before anything is written: counts, unmapped moods, a sample.
    public var daylio: ImportPreview?
    /// The export being previewed, kept here so that it survives the view.
    public var csv: String?
    public var mappings: [MoodMapping] = []
    public var imported: ImportResult?
    public var calendar: ImportReport?
    public var error: String?
}

/// Bringing data in: a Daylio CSV export (previewed, mapped, imported once) and a clinic's calendar file.
@MainActor
@Observable
public final class ImportModel: ScreenModel {
    public internal(set) var state = ImportState()
    let profile: Profile
    private let device: Device
    private let planChanged: PlanChanged

    public init(profile: Profile, device: Device, planChanged: @escaping PlanChanged) {
        self.profile = profile
        self.device = device
        self.planChanged = planChanged
    }

    public func previewDaylio(_ csv: String, mappings: [MoodMapping]? = nil) async {
        let (chosen, zone) = (mappings ?? state.mappings, device.zone())
        guard let preview = await core({ try $0.previewDaylio(csv: csv, mappings: chosen, zone: zone) }) else { return }
        state.daylio = preview
        state.csv = csv
        state.mappings = chosen
        state.imported = nil
    }

    /// Imports the export last previewed, with its mappings.
    public func importDaylio() async {
        guard let csv = state.csv else { return }
        let (mappings, zone) = (state.mappings, device.zone())
        guard let result = await core({ try $0.importDaylio(csv: csv, mappings: mappings, zone: zone) }) else { return }
        state.imported = result
        state.daylio = nil
        state.csv = nil
    }

    /// An `.ics` from the clinic, all or nothing; times without a zone are read in the phone's.
    public func importCalendar(_ ics: String) async {
        let (now, zone) = (device.now(), device.zone())
        guard let report = await core({ try $0.importCalendar(now: now, ics: ics, defaultZone: zone) }) else { return }
        state.calendar = report
        await planChanged()
    }
}
