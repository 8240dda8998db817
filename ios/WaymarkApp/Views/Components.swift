import SwiftUI
import WaymarkShell

/// What the core refused, in its own words.
struct Refusal: View {
    let message: String?

    var body: some View {
        if let message { Text(message).foregroundStyle(.red) }
    }
}

/// "Help now" in the toolbar of every screen but help now itself.
struct HelpNowButton: ViewModifier {
    let go: (Screen) -> Void

    func body(content: Content) -> some View {
        content.toolbar {
            ToolbarItem(placement: .primaryAction) {
                Button("help.now") { go(.helpNow) }
                    .accessibilityHint(Text("help.now.hint"))
            }
        }
    }
}

extension View {
    func helpNowButton(_ go: @escaping (Screen) -> Void) -> some View { modifier(HelpNowButton(go: go)) }
}

/// Emergency first, then crisis lines, with the notes that go with them.
struct HelpLines: View {
    let help: HelpNow

    var body: some View {
        HelpLineList(lines: help.lines)
        if let note = help.limitedHoursNote { Text(note).font(.footnote) }
        if let fallback = help.fallback { Text(fallback) }
        Text(help.directory).font(.footnote)
    }
}

/// Each line with its way to call or text.
struct HelpLineList: View {
    let lines: [HelpLine]
    @Environment(\.openURL) private var openURL

    var body: some View {
        ForEach(Array(lines.enumerated()), id: \.offset) { _, line in
            VStack(alignment: .leading, spacing: 6) {
                Text(line.name).font(.headline)
                Text(line.hours + " · " + line.languages).font(.footnote)
                HStack {
                    if let dial = line.dial, let url = URL(string: "tel:" + dial) {
                        Button(line.callLabel ?? line.phone ?? dial) { openURL(url) }
                            .buttonStyle(.borderedProminent)
                            .frame(minHeight: 44)
                    }
                    if let number = line.text, let url = URL(string: "sms:" + number) {
                        Button(line.textLabel ?? number) { openURL(url) }
                            .buttonStyle(.bordered)
                            .frame(minHeight: 44)
                    }
                }
            }
        }
    }
}

/// The safety alert's card, the same wherever an alert shows.
struct HelpCard: View {
    let alert: SafetyAlert
    let openPlan: () -> Void

    var body: some View {
        Section {
            Text(alert.message)
            Text(alert.nobodyIsTold).font(.footnote)
            if let help = alert.helpNow { HelpLines(help: help) }
            if alert.safetyPlan != nil { Button("safety.plan.open", action: openPlan).frame(minHeight: 44) }
            Text(alert.source).font(.caption2)
        } header: {
            Text(alert.title).font(.headline).foregroundStyle(.red)
        }
    }
}

/// An instant in the phone's zone and style: formatting only.
func shortTime(_ date: Date) -> String {
    date.formatted(date: .abbreviated, time: .shortened)
}

/// One thing to do around a dose, in the core's words.
struct CareRow: View {
    let item: CareItem

    var body: some View {
        VStack(alignment: .leading) {
            Text(item.title).font(.subheadline.bold())
            Text(item.detail)
            if let from = item.from { Text("care.from \(shortTime(from))").font(.caption) }
            if let until = item.until { Text("care.until \(shortTime(until))").font(.caption) }
        }
    }
}

/// The last seven days as bars, with the same facts in words for VoiceOver.
struct MoodWeek: View {
    let days: [DayValence]

    var body: some View {
        HStack(alignment: .bottom, spacing: 4) {
            ForEach(days, id: \.date) { day in
                // Drawing only: a valence from -3 to +3 as a bar's height.
                let height = day.meanValence.map { max(0.05, min(1, ($0 + 3) / 6)) } ?? 0
                RoundedRectangle(cornerRadius: 3)
                    .fill(.tint)
                    .frame(maxWidth: .infinity)
                    .frame(height: 64 * height)
            }
        }
        .frame(height: 64)
        .accessibilityElement(children: .ignore)
        .accessibilityLabel(Text("mood.week"))
        .accessibilityValue(Text(days.map { day in
            day.date + ": " + (day.meanValence.map { String(format: "%.1f", $0) } ?? String(localized: "mood.none"))
        }.joined(separator: ". ")))
    }
}

func instrumentName(_ instrument: Instrument) -> LocalizedStringKey {
    instrument == .phq9 ? "measure.phq9" : "measure.gad7"
}

/// A file the core made, for the share sheet: the patient picks where it goes, if anywhere.
struct SharedFile: Identifiable {
    let id = UUID()
    let url: URL

    init(name: String, content: String) {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        try? content.write(to: url, atomically: true, encoding: .utf8)
    }
}

struct ShareSheet: UIViewControllerRepresentable {
    let urls: [URL]

    init(url: URL) { urls = [url] }

    init(urls: [URL]) { self.urls = urls }

    func makeUIViewController(context: Context) -> UIActivityViewController {
        UIActivityViewController(activityItems: urls, applicationActivities: nil)
    }

    func updateUIViewController(_ controller: UIActivityViewController, context: Context) {}
}

/// A model's one-shot events: a file to the share sheet, a destination to `go`.
struct ShareEvents: ViewModifier {
    let event: ScreenEvent?
    let handled: () -> Void
    let go: (Screen) -> Void
    @State private var file: SharedFile?

    func body(content: Content) -> some View {
        content
            .onChange(of: event) { _, event in
                guard let event else { return }
                switch event {
                case .share(let name, _, let text): file = SharedFile(name: name, content: text)
                case .navigate(let destination): go(Screen(destination))
                }
                handled()
            }
            .sheet(item: $file) { file in ShareSheet(url: file.url) }
    }
}

extension View {
    func shareEvents(_ event: ScreenEvent?, handled: @escaping () -> Void, go: @escaping (Screen) -> Void = { _ in }) -> some View {
        modifier(ShareEvents(event: event, handled: handled, go: go))
    }
}
