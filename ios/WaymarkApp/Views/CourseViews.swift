import SwiftUI
import UserNotifications
import WaymarkShell

struct CourseView: View {
    @State private var model: CourseModel
    @State private var firstSession = ""
    let focused: String?
    let go: (Screen) -> Void

    init(graph: AppGraph, focused: String?, go: @escaping (Screen) -> Void) {
        _model = State(initialValue: CourseModel(profile: graph.profile, device: graph.device, planChanged: graph.planChanged))
        self.focused = focused
        self.go = go
    }

    var body: some View {
        List {
            Refusal(message: model.state.error)
            NotificationPermission()
            if let overview = model.state.overview {
                if let course = overview.course {
                    Section {
                        if let ending = overview.ending { Text(ending.message + " " + ending.clinicNote) }
                        ForEach(overview.upcoming.sorted { first, _ in first.appointment.id == focused }, id: \.appointment.id) { view in
                            SessionRow(view: view, model: model)
                        }
                    } header: { Text(course.title) }
                    if !overview.past.isEmpty {
                        Section {
                            ForEach(overview.past, id: \.appointment.id) { view in Text(view.localTime + " · " + view.appointment.title) }
                        } header: { Text("course.past") }
                    }
                    Button("course.export") { Task { await model.exportCalendar() } }
                    Button("course.import") { go(.importing) }
                } else {
                    Section {
                        TextField("course.first.hint", text: $firstSession)
                        Button("course.template.iv") { Task { await model.start(.ivInduction, firstSession: firstSession) } }
                        Button("course.template.esketamine") { Task { await model.start(.esketamine, firstSession: firstSession) } }
                        Button("course.template.kap") { Task { await model.start(.kap, firstSession: firstSession) } }
                        Button("course.template.custom") { Task { await model.start(.custom, firstSession: firstSession) } }
                    } header: { Text("course.start") }
                }
            }
        }
        .navigationTitle("course.title")
        .helpNowButton(go)
        .task { await model.load() }
        .shareEvents(model.event, handled: model.eventHandled, go: go)
    }
}

private struct SessionRow: View {
    let view: AppointmentView
    let model: CourseModel

    var body: some View {
        VStack(alignment: .leading, spacing: 6) {
            Text(view.appointment.title).font(.headline)
            Text(view.localTime + " · " + view.appointment.place)
            ForEach(Array(view.care.enumerated()), id: \.offset) { _, item in
                Toggle(isOn: Binding(get: { item.checked }, set: { checked in
                    Task { await model.check(view.appointment.id, item: item.kind, checked: checked) }
                })) { CareRow(item: item) }
            }
            if view.appointment.status == .scheduled {
                HStack {
                    Button("course.done") { Task { await model.done(view.appointment.id) } }
                    Button("course.cancelled", role: .destructive) { Task { await model.cancel(view.appointment.id) } }
                }
                .buttonStyle(.bordered)
            }
        }
    }
}

/// Asked in context, where reminders are set up: without it, no fasting or after-session reminder reaches the patient.
struct NotificationPermission: View {
    @State private var status: UNAuthorizationStatus = .authorized

    var body: some View {
        Group {
            if status == .notDetermined || status == .denied {
                Section {
                    Text("notifications.why")
                    Button("notifications.allow") {
                        Task {
                            _ = try? await UNUserNotificationCenter.current().requestAuthorization(options: [.alert, .sound, .badge])
                            status = await UNUserNotificationCenter.current().notificationSettings().authorizationStatus
                        }
                    }
                    .frame(minHeight: 44)
                }
            }
        }
        .task { status = await UNUserNotificationCenter.current().notificationSettings().authorizationStatus }
    }
}

struct PromptsView: View {
    @State private var model: PromptsModel
    let focused: String?

    init(graph: AppGraph, focused: String?) {
        _model = State(initialValue: PromptsModel(profile: graph.profile, device: graph.device, planChanged: graph.planChanged))
        self.focused = focused
    }

    var body: some View {
        List {
            Refusal(message: model.state.error)
            if model.state.answered != nil { Text("prompts.saved") }
            if model.state.due.isEmpty { Text("prompts.none") }
            ForEach(model.state.due.sorted { first, _ in first.id == focused }, id: \.id) { prompt in
                PromptCard(prompt: prompt, valences: model.state.valences) { text, valence, shared in
                    Task { await model.answer(prompt.id, text: text, valence: valence, shared: shared) }
                }
            }
        }
        .navigationTitle("prompts.title")
        .task { await model.load() }
    }
}

private struct PromptCard: View {
    let prompt: DuePrompt
    let valences: [ValenceName]
    let answer: (String, Int32, Bool) -> Void
    @State private var text = ""
    @State private var valence: Int32?
    @State private var shared = false

    var body: some View {
        Section {
            Text(prompt.text)
            TextField("prompts.answer", text: $text, axis: .vertical).lineLimit(3...)
            Picker("checkin.how", selection: $valence) {
                ForEach(valences, id: \.valence) { step in Text(step.name).tag(Optional(step.valence)) }
            }
            Toggle("share.with.therapist", isOn: $shared)
            Button("action.save") { if let valence { answer(text, valence, shared) } }
                .disabled(valence == nil)
        } header: { Text(prompt.heading) }
    }
}
