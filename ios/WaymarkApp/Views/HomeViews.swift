import SwiftUI
import WaymarkShell

struct HomeView: View {
    @State private var model: HomeModel
    let go: (Screen) -> Void

    init(graph: AppGraph, go: @escaping (Screen) -> Void) {
        _model = State(initialValue: HomeModel(profile: graph.profile, device: graph.device))
        self.go = go
    }

    var body: some View {
        List {
            Refusal(message: model.state.error)
            if let home = model.state.home {
                Section {
                    Button("checkin.title") { go(.checkIn(nil)) }.frame(minHeight: 44)
                    MoodWeek(days: home.today.last7Days)
                    Text("home.streak \(String(home.today.streakDays))")
                    ForEach(home.today.entries, id: \.id) { row in
                        Text(shortTime(row.occurredAt) + " · " + row.preview)
                    }
                } header: { Text("home.today") }
                if let next = home.nextSession {
                    Section {
                        Button { go(.course(next.appointment.id)) } label: {
                            VStack(alignment: .leading) {
                                Text(next.appointment.title).font(.headline)
                                Text(next.localTime + " · " + next.appointment.place)
                            }
                        }
                    } header: { Text("home.next") }
                }
                if !home.activeCare.isEmpty {
                    Section {
                        ForEach(Array(home.activeCare.enumerated()), id: \.offset) { _, item in CareRow(item: item) }
                    } header: { Text("home.care") }
                }
                if !home.promptsDue.isEmpty {
                    Section {
                        ForEach(home.promptsDue, id: \.id) { prompt in
                            Button(prompt.heading) { go(.prompts(prompt.id)) }
                        }
                    } header: { Text("prompts.title") }
                }
                if !home.measuresDue.isEmpty {
                    Section {
                        ForEach(home.measuresDue, id: \.instrument) { due in
                            Button(instrumentName(due.instrument)) { go(.assessment(due.instrument)) }
                        }
                    } header: { Text("home.due") }
                }
                if home.pendingShares > 0 {
                    Text("home.pending \(String(home.pendingShares))")
                }
            }
            Section {
                Button("journal.title") { go(.journal) }
                Button("course.title") { go(.course(nil)) }
                Button("progress.title") { go(.progress) }
                Button("vitals.title") { go(.vitals) }
                Button("safety.library") { go(.library) }
                Button("safety.plan") { go(.safetyPlan) }
                Button("sharing.title") { go(.sharing) }
                Button("settings.title") { go(.settings) }
            }
        }
        .navigationTitle("app.name")
        .helpNowButton(go)
        .task { await model.load() }
        .refreshable { await model.load() }
    }
}

struct CheckInView: View {
    @State private var model: CheckInModel
    private let entry: String?
    private let done: () -> Void

    init(graph: AppGraph, entry: String?, done: @escaping () -> Void) {
        _model = State(initialValue: CheckInModel(profile: graph.profile, device: graph.device, planChanged: graph.planChanged))
        self.entry = entry
        self.done = done
    }

    var body: some View {
        Form {
            if let vocabulary = model.state.vocabulary {
                Section {
                    // The core's scale, very unpleasant to very pleasant.
                    ForEach(vocabulary.valences, id: \.valence) { step in
                        Button { model.edit { $0.valence = step.valence } } label: {
                            Label(step.name, systemImage: model.state.valence == step.valence ? "largecircle.fill.circle" : "circle")
                        }
                        .frame(minHeight: 44)
                    }
                } header: { Text("checkin.how") }
                Section {
                    ForEach(vocabulary.labels, id: \.label) { label in
                        Toggle(label.name, isOn: Binding(get: { model.state.labels.contains(label.label) }, set: { _ in model.toggle(label.label) }))
                    }
                } header: { Text("checkin.feelings") }
                Section {
                    ForEach(vocabulary.areas, id: \.area) { area in
                        Toggle(area.name, isOn: Binding(get: { model.state.areas.contains(area.area) }, set: { _ in model.toggle(area.area) }))
                    }
                } header: { Text("checkin.areas") }
            }
            Section {
                TextField("checkin.write", text: Binding(get: { model.state.text }, set: { text in model.edit { $0.text = text } }), axis: .vertical)
                    .lineLimit(4...)
                Toggle("share.with.therapist", isOn: Binding(get: { model.state.shared }, set: { shared in model.edit { $0.shared = shared } }))
            }
            Refusal(message: model.state.error)
            Button("action.save") { Task { await model.save() } }
                .disabled(!model.state.canSave)
                .frame(minHeight: 44)
        }
        .navigationTitle("checkin.title")
        .task {
            guard model.state.vocabulary == nil else { return }
            if let entry { await model.loadEntry(entry) } else { await model.load() }
        }
        .onChange(of: model.state.saved) { _, saved in if saved != nil { done() } }
    }
}

struct JournalView: View {
    @State private var model: JournalModel
    let go: (Screen) -> Void

    init(graph: AppGraph, go: @escaping (Screen) -> Void) {
        _model = State(initialValue: JournalModel(profile: graph.profile))
        self.go = go
    }

    var body: some View {
        List {
            Refusal(message: model.state.error)
            if model.state.undoable != nil {
                Button("journal.undo") { Task { await model.undo() } }
            }
            if let entry = model.state.open {
                Section {
                    Text(entry.text)
                    Button("action.edit") { go(.checkIn(entry.id)) }
                    Button("action.delete", role: .destructive) { Task { await model.delete(entry.id) } }
                    Button("action.close") { model.closeEntry() }
                } header: { Text(shortTime(entry.occurredAt)) }
            } else if let hits = model.state.hits {
                if hits.isEmpty { Text("journal.nothing") }
                ForEach(hits, id: \.entry.id) { hit in
                    Button { Task { await model.openEntry(hit.entry.id) } } label: {
                        Text(hit.snippet.reduce(AttributedString()) { text, part in
                            var piece = AttributedString(part.text)
                            if part.highlighted { piece.inlinePresentationIntent = .stronglyEmphasized }
                            return text + piece
                        })
                    }
                }
            } else {
                ForEach(model.state.rows, id: \.id) { row in
                    Button { Task { await model.openEntry(row.id) } } label: {
                        VStack(alignment: .leading) {
                            Text(shortTime(row.occurredAt)).font(.caption)
                            Text(row.preview)
                        }
                    }
                }
                if model.state.nextCursor != nil {
                    Button("journal.older") { Task { await model.more() } }
                }
            }
        }
        .searchable(text: Binding(get: { model.state.query }, set: { query in Task { await model.search(query) } }), prompt: Text("journal.search"))
        .navigationTitle("journal.title")
        .task { await model.load() }
    }
}
