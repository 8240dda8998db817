import SwiftUI
import WaymarkShell

/// The app's screens, pushed on the navigation stack.
enum Screen: Hashable {
    case checkIn(String?)
    case journal
    case assessment(Instrument)
    case vitals
    case progress
    case course(String?)
    case prompts(String?)
    case library
    case helpNow
    case safetyPlan
    case sharing
    case backup
    case importing
    case export
    case erase
    case settings

    init(_ destination: Destination) {
        switch destination {
        case .home: self = .journal
        case .helpNow: self = .helpNow
        case .safetyPlan: self = .safetyPlan
        case .appointment(let id): self = .course(id)
        case .assessment(let instrument): self = .assessment(instrument)
        case .prompt(let id): self = .prompts(id)
        }
    }
}

/// The unlock screen until the profile is open (and whenever a storage
/// failure closes it), then the screens, each with help now one tap away.
struct RootView: View {
    let graph: AppGraph
    let opened: OpenedDestination
    @State private var path: [Screen] = []

    var body: some View {
        if graph.profile.state != .open {
            UnlockView(graph: graph)
        } else {
            NavigationStack(path: $path) {
                HomeView(graph: graph) { path.append($0) }
                    .navigationDestination(for: Screen.self) { screen in destination(screen) }
            }
            // Opened: the plan may have moved while the app was closed (docs/ffi.md's cold start).
            .task { _ = await graph.reminders.reconcile() }
            .onChange(of: opened.destination) { _, wanted in
                guard let wanted else { return }
                if wanted != .home { path.append(Screen(wanted)) }
                opened.destination = nil
            }
        }
    }

    @ViewBuilder
    private func destination(_ screen: Screen) -> some View {
        let go: (Screen) -> Void = { path.append($0) }
        switch screen {
        case .checkIn(let entry): CheckInView(graph: graph, entry: entry) { path.removeLast() }
        case .journal: JournalView(graph: graph, go: go)
        case .assessment(let instrument): AssessmentView(graph: graph, instrument: instrument, go: go)
        case .vitals: VitalsView(graph: graph)
        case .progress: ProgressScreen(graph: graph, go: go)
        case .course(let appointment): CourseView(graph: graph, focused: appointment, go: go)
        case .prompts(let prompt): PromptsView(graph: graph, focused: prompt)
        case .library: SafetyLibraryView(graph: graph, go: go)
        case .helpNow: HelpNowView(graph: graph, go: go)
        case .safetyPlan: SafetyPlanView(graph: graph)
        case .sharing: SharingView(graph: graph)
        case .backup: BackupView(graph: graph)
        case .importing: ImportView(graph: graph)
        case .export: ExportView(graph: graph)
        case .erase: EraseView(graph: graph)
        case .settings: SettingsView(graph: graph, go: go)
        }
    }
}
