import Foundation
import Observation
import WaymarkCore

public struct ExportState: ScreenState {
    public var files: [ExportedFile] = []
    public var error: String?
}

/// Everything the patient wrote, as JSON or CSV files for a folder they pick.
@MainActor
@Observable
public final class ExportModel: ScreenModel {
    public internal(set) var state = ExportState()
    let profile: Profile

    public init(profile: Profile) {
        self.profile = profile
    }

    public func export(_ format: ExportFormat) async {
        guard let files = await core({ try $0.export(format: format) }) else { return }
        state.files = files
    }
}
