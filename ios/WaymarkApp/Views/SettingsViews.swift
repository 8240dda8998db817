import SwiftUI
import WaymarkShell

struct SettingsView: View {
    @State private var model: SettingsModel
    @State private var region = ""
    let go: (Screen) -> Void

    init(graph: AppGraph, go: @escaping (Screen) -> Void) {
        _model = State(initialValue: SettingsModel(profile: graph.profile, planChanged: graph.planChanged))
        self.go = go
    }

    var body: some View {
        Form {
            Refusal(message: model.state.error)
            NotificationPermission()
            if let settings = model.state.settings {
                Section {
                    Toggle("settings.measure.reminders", isOn: Binding(get: { settings.reminders.measures }, set: { on in
                        var changed = settings.reminders
                        changed.measures = on
                        Task { await model.reminders(changed) }
                    }))
                    ForEach(settings.measureSchedules, id: \.instrument) { schedule in
                        Toggle(instrumentName(schedule.instrument), isOn: Binding(get: { schedule.enabled }, set: { on in
                            var changed = schedule
                            changed.enabled = on
                            Task { await model.schedule(changed) }
                        }))
                    }
                } header: { Text("settings.reminders") }
                Section {
                    TextField("settings.region", text: $region)
                        .onAppear { region = settings.region ?? "" }
                        .onSubmit { Task { await model.region(region.isEmpty ? nil : region) } }
                    Button("settings.language.phone") { Task { await model.language(nil) } }
                    Button("settings.language.en") { Task { await model.language("en") } }
                    Button("settings.language.es") { Task { await model.language("es") } }
                } header: { Text("settings.region.language") }
            }
            Section {
                Button("backup.title") { go(.backup) }
                Button("import.title") { go(.importing) }
                Button("export.title") { go(.export) }
                Button("erase.title", role: .destructive) { go(.erase) }
            } header: { Text("settings.data") }
        }
        .navigationTitle("settings.title")
        .helpNowButton(go)
        .task { await model.load() }
    }
}

/// Until the profile opens: opening it (a first launch makes its key), or
/// the state that stopped it, with what the patient can do. Help now comes
/// first on every one of these; nothing here erases anything.
struct UnlockView: View {
    @State private var model: UnlockModel
    private let graph: AppGraph

    init(graph: AppGraph) {
        self.graph = graph
        _model = State(initialValue: UnlockModel(profile: graph.profile, device: graph.device))
    }

    var body: some View {
        NavigationStack {
            List {
                if let help = model.state.help {
                    Section { HelpLines(help: help) } header: { Text(help.title) }
                }
                if let message = message(model.state.profile) {
                    Section {
                        Text(message)
                        if case .failed(let reason) = model.state.profile { Text(reason).font(.footnote) }
                        Button("unlock.retry") { Task { await model.unlock() } }
                        NavigationLink("backup.restore") { BackupView(graph: graph) }
                        NavigationLink("erase.title") { EraseView(graph: graph) }
                    }
                }
            }
            .navigationTitle("app.name")
        }
        .task(id: graph.profile.state) {
            await model.load()
            if graph.profile.state == .notOpened { await model.unlock() }
        }
    }

    private func message(_ state: ProfileState) -> LocalizedStringKey? {
        switch state {
        case .notOpened, .open: return nil
        case .keyLost: return "unlock.key.lost"
        case .wrongKey: return "unlock.wrong.key"
        case .damaged: return "unlock.damaged"
        case .tooNew: return "unlock.too.new"
        case .diskFull: return "unlock.disk.full"
        case .failed: return "unlock.failed"
        }
    }
}
