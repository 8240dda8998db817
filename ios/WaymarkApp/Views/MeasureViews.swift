import SwiftUI
import WaymarkShell

struct AssessmentView: View {
    @State private var model: AssessmentModel
    let go: (Screen) -> Void

    init(graph: AppGraph, instrument: Instrument, go: @escaping (Screen) -> Void) {
        _model = State(initialValue: AssessmentModel(profile: graph.profile, device: graph.device, planChanged: graph.planChanged, instrument: instrument))
        self.go = go
    }

    var body: some View {
        Form {
            // Help first: the alert's card, or the bundled lines when the result could not be kept.
            if let alert = model.state.result?.safetyAlert { HelpCard(alert: alert) { go(.safetyPlan) } }
            if let help = model.state.unsavedHelp { Section { HelpLines(help: help) } }
            if let result = model.state.result {
                Section {
                    Text("assessment.total \(String(result.total))")
                    if let severity = result.severity { Text(severityName(severity)) }
                } header: { Text("assessment.result") }
            }
            Refusal(message: model.state.error)
            if let form = model.state.form, model.state.result == nil {
                Text(form.question)
                ForEach(Array(form.items.enumerated()), id: \.offset) { index, item in
                    Section {
                        Picker(item.text, selection: Binding(
                            get: { model.state.declined(index) ? -1 : (model.state.chosen(index).map(Int.init) ?? -2) },
                            set: { picked in if picked == -1 { model.decline(index) } else if picked >= 0 { model.answer(index, UInt32(picked)) } }
                        )) {
                            ForEach(form.options, id: \.value) { option in Text(option.label).tag(Int(option.value)) }
                            if item.allowsPreferNotToAnswer { Text("assessment.decline").tag(-1) }
                        }
                        .pickerStyle(.inline)
                    } header: { Text(item.text) }
                }
                Button("action.save") { Task { await model.submit() } }.frame(minHeight: 44)
                Text(form.source).font(.caption2)
            }
        }
        .navigationTitle(model.state.form?.title ?? "")
        .helpNowButton(go)
        .task { if model.state.form == nil { await model.load() } }
    }
}

/// A severity band's name, as the form's source names it.
func severityName(_ severity: Severity) -> LocalizedStringKey {
    switch severity {
    case .minimal: return "severity.minimal"
    case .mild: return "severity.mild"
    case .moderate: return "severity.moderate"
    case .moderatelySevere: return "severity.moderately.severe"
    case .severe: return "severity.severe"
    }
}

struct VitalsView: View {
    @State private var model: VitalsModel

    init(graph: AppGraph) {
        _model = State(initialValue: VitalsModel(profile: graph.profile, device: graph.device))
    }

    var body: some View {
        Form {
            number("vitals.systolic", get: { $0.systolic }, set: { $0.systolic = $1 })
            number("vitals.diastolic", get: { $0.diastolic }, set: { $0.diastolic = $1 })
            number("vitals.pulse", get: { $0.heartRate }, set: { $0.heartRate = $1 })
            Refusal(message: model.state.error)
            Button("action.save") { Task { await model.save() } }.frame(minHeight: 44)
            if let flag = model.state.saved?.flag {
                Section {
                    Text(flag.message)
                    Text(flag.source).font(.caption2)
                } header: { Text(flag.title) }
            }
        }
        .navigationTitle("vitals.title")
    }

    private func number(_ label: LocalizedStringKey, get: @escaping (VitalsState) -> Int32?, set: @escaping (inout VitalsState, Int32?) -> Void) -> some View {
        TextField(label, text: Binding(
            get: { get(model.state).map(String.init) ?? "" },
            set: { typed in model.edit { set(&$0, Int32(typed)) } }
        ))
        .keyboardType(.numberPad)
    }
}

struct ProgressScreen: View {
    @State private var model: ProgressModel
    let go: (Screen) -> Void

    init(graph: AppGraph, go: @escaping (Screen) -> Void) {
        _model = State(initialValue: ProgressModel(profile: graph.profile, device: graph.device))
        self.go = go
    }

    var body: some View {
        List {
            Refusal(message: model.state.error)
            if let progress = model.state.progress {
                InstrumentSection(title: "measure.phq9", progress: progress.phq9, alerted: model.state.alerted) { id in Task { await model.pickBaseline(id) } }
                InstrumentSection(title: "measure.gad7", progress: progress.gad7, alerted: model.state.alerted) { id in Task { await model.pickBaseline(id) } }
                if !progress.safetyEvents.isEmpty {
                    Section {
                        ForEach(progress.safetyEvents, id: \.id) { event in Text("progress.help.shown \(shortTime(event.occurredAt))") }
                    } header: { Text("progress.safety") }
                }
                Section {
                    // The trend as text, newest first, which VoiceOver reads as it is.
                    ForEach(Array(progress.trends.reversed().prefix(30)), id: \.date) { day in
                        Text(day.date + " · " + String(format: "%.1f", day.rollingValence7d))
                    }
                } header: { Text("progress.mood") }
                Text(progress.clinicNote).font(.footnote)
            }
        }
        .navigationTitle("progress.title")
        .helpNowButton(go)
        .task { await model.load() }
    }
}

private struct InstrumentSection: View {
    let title: LocalizedStringKey
    let progress: InstrumentProgress
    let alerted: Set<String>
    let pickBaseline: (String) -> Void

    var body: some View {
        Section {
            if let latest = progress.latest { Text("progress.latest \(String(latest.total)) \(shortTime(latest.takenAt))") }
            if let baseline = progress.baseline { Text("progress.baseline \(String(baseline.total)) \(shortTime(baseline.takenAt))") }
            if let response = progress.response { OutcomeRow(outcome: response) }
            if let remission = progress.remission { OutcomeRow(outcome: remission) }
            ForEach(Array(progress.trajectory.reversed().prefix(12)), id: \.id) { point in
                Button { pickBaseline(point.id) } label: {
                    HStack {
                        Text(shortTime(point.takenAt) + " · " + String(point.total))
                        if alerted.contains(point.id) { Text("progress.help.marked").foregroundStyle(.red) }
                    }
                }
            }
        } header: { Text(title) }
    }
}

private struct OutcomeRow: View {
    let outcome: Outcome

    var body: some View {
        VStack(alignment: .leading) {
            Text(outcome.definition)
            switch outcome.status {
            case .met: Text("outcome.met").bold()
            case .notMet: Text("outcome.not.met")
            case .notApplicable: Text("outcome.not.applicable")
            }
        }
    }
}
