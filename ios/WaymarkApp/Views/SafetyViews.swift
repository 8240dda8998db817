import SwiftUI
import WaymarkShell

struct HelpNowView: View {
    @State private var model: HelpNowModel
    let go: (Screen) -> Void

    init(graph: AppGraph, go: @escaping (Screen) -> Void) {
        _model = State(initialValue: HelpNowModel(profile: graph.profile, device: graph.device))
        self.go = go
    }

    var body: some View {
        List {
            if let help = model.state.help { HelpLines(help: help) }
            Refusal(message: model.state.error)
            Button("safety.plan.open") { go(.safetyPlan) }.frame(minHeight: 44)
        }
        .navigationTitle(model.state.help?.title ?? "")
        .task { await model.load() }
    }
}

struct SafetyLibraryView: View {
    @State private var model: SafetyLibraryModel
    let go: (Screen) -> Void

    init(graph: AppGraph, go: @escaping (Screen) -> Void) {
        _model = State(initialValue: SafetyLibraryModel(profile: graph.profile, device: graph.device))
        self.go = go
    }

    var body: some View {
        List {
            Refusal(message: model.state.error)
            if let page = model.state.open {
                Section {
                    Text(page.body)
                    ForEach(Array(page.sources.enumerated()), id: \.offset) { _, source in
                        Text([source.reference, source.url, source.note].compactMap { $0 }.joined(separator: " · ")).font(.caption)
                    }
                    Button("action.close") { model.closePage() }
                } header: { Text(page.title) }
            } else if let hits = model.state.hits {
                ForEach(Array(hits.enumerated()), id: \.offset) { _, hit in
                    Button(hit.title) { Task { await model.openHit(hit) } }
                }
                // Every result list offers help now.
                Button("help.now") { go(.helpNow) }
            } else {
                ForEach(model.state.pages, id: \.id) { page in
                    Button(page.title) { Task { await model.openPage(page.id) } }
                }
            }
        }
        .searchable(text: Binding(get: { model.state.query }, set: { query in Task { await model.search(query) } }), prompt: Text("safety.search"))
        .navigationTitle("safety.library")
        .helpNowButton(go)
        .shareEvents(model.event, handled: model.eventHandled, go: go)
        .task { await model.load() }
    }
}

struct SafetyPlanView: View {
    @State private var model: SafetyPlanModel
    @State private var drafts: [SafetyPlanStep: String] = [:]

    init(graph: AppGraph) {
        _model = State(initialValue: SafetyPlanModel(profile: graph.profile))
    }

    var body: some View {
        List {
            Refusal(message: model.state.error)
            if let plan = model.state.plan {
                ForEach(plan.sections, id: \.step) { section in
                    Section {
                        if let hint = section.hint { Text(hint).font(.footnote) }
                        ForEach(section.items, id: \.id) { item in Text(item.text) }
                            .onDelete { offsets in
                                for offset in offsets { Task { await model.remove(section.items[offset].id) } }
                            }
                            .onMove { from, to in
                                guard let first = from.first else { return }
                                let item = section.items[first]
                                Task { await model.move(item.id, index: UInt32(to > first ? to - 1 : to)) }
                            }
                        HelpLineList(lines: section.suggestedLines)
                        TextField("safety.plan.add", text: Binding(get: { drafts[section.step] ?? "" }, set: { drafts[section.step] = $0 }))
                            .onSubmit {
                                let text = drafts[section.step] ?? ""
                                drafts[section.step] = ""
                                Task { await model.add(section.step, text: text) }
                            }
                    } header: { Text(String(section.number) + ". " + section.title) }
                }
                Section {
                    if let reason = plan.reason { Text(reason) }
                } header: { Text(plan.reasonTitle) }
                Button("safety.plan.share") { Task { await model.export() } }
                Text(plan.source).font(.caption2)
            }
        }
        .toolbar { EditButton() }
        .navigationTitle(model.state.plan?.title ?? "")
        .shareEvents(model.event, handled: model.eventHandled)
        .task { await model.load() }
    }
}
