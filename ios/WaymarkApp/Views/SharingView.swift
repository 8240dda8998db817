import SwiftUI
import VisionKit
import WebKit
import WaymarkShell

struct SharingView: View {
    @State private var model: SharingModel
    @State private var typed = ""
    @State private var scanning = false

    init(graph: AppGraph) {
        _model = State(initialValue: SharingModel(profile: graph.profile, device: graph.device, transport: graph.transport, planChanged: graph.planChanged))
    }

    var body: some View {
        List {
            Refusal(message: model.state.error)
            let channels = (model.state.status?.channels ?? []).filter { $0.channel.revokedAt == nil }
            if channels.isEmpty {
                Section {
                    Text("sharing.pair.explained")
                    if DataScannerViewController.isSupported {
                        Button("sharing.scan") { scanning = true }.frame(minHeight: 44)
                    }
                    TextField("sharing.type.code", text: $typed)
                    Button("sharing.pair") { Task { await model.pair(typed) } }
                } header: { Text("sharing.pair.title") }
            } else {
                ForEach(channels, id: \.channel.id) { status in
                    Section {
                        if let last = status.lastSuccessAt { Text("sharing.last \(shortTime(last))") }
                        if let error = status.lastError { Text(error).foregroundStyle(.red) }
                        if status.pending > 0 { Text("sharing.waiting \(String(status.pending))") }
                        ForEach(status.failed, id: \.id) { failed in
                            Button("sharing.retry \(failed.error)") { Task { await model.retry(failed.id) } }
                        }
                        ForEach(status.held, id: \.id) { held in Text(held.reason).font(.footnote) }
                    } header: { Text("sharing.paired \(status.channel.label)") }
                }
                Section {
                    TextField("sharing.from", text: Binding(get: { model.state.from }, set: { model.choose(from: $0) }))
                    TextField("sharing.to", text: Binding(get: { model.state.to }, set: { model.choose(to: $0) }))
                    scope(.mood, "sharing.scope.mood")
                    scope(.measures, "sharing.scope.measures")
                    scope(.sessions, "sharing.scope.sessions")
                    scope(.safety, "sharing.scope.safety")
                    scope(.notes, "sharing.scope.notes")
                    Button("sharing.preview") { Task { await model.preview() } }
                } header: { Text("sharing.what") }
                if let preview = model.state.preview {
                    Section {
                        ReportPreview(html: preview.html).frame(height: 480)
                        Text(preview.nobodyIsTold)
                        Button("sharing.send") { Task { await model.share() } }.frame(minHeight: 44)
                    }
                }
                if model.state.shared != nil { Text("sharing.queued") }
                Button("sharing.sync") { Task { await model.syncNow() } }
                if let report = model.state.lastSync { Text("sharing.report \(String(report.uploaded)) \(String(report.received))") }
                Button("sharing.unpair", role: .destructive) { Task { await model.unpair() } }
            }
        }
        .navigationTitle("sharing.title")
        .task { await model.load() }
        .sheet(isPresented: $scanning) {
            CodeScanner { code in
                scanning = false
                Task { await model.pair(code) }
            }
        }
    }

    private func scope(_ scope: ShareScope, _ label: LocalizedStringKey) -> some View {
        Toggle(label, isOn: Binding(
            get: { model.state.scopes.contains(scope) },
            set: { on in model.choose(scopes: on ? model.state.scopes.union([scope]) : model.state.scopes.subtracting([scope])) }
        ))
    }
}

/// VisionKit's data scanner, for QR codes only; Waymark keeps no image.
private struct CodeScanner: UIViewControllerRepresentable {
    let found: (String) -> Void

    func makeUIViewController(context: Context) -> DataScannerViewController {
        let scanner = DataScannerViewController(recognizedDataTypes: [.barcode(symbologies: [.qr])], isHighlightingEnabled: true)
        scanner.delegate = context.coordinator
        try? scanner.startScanning()
        return scanner
    }

    func updateUIViewController(_ controller: DataScannerViewController, context: Context) {}

    func makeCoordinator() -> Coordinator { Coordinator(found: found) }

    final class Coordinator: NSObject, DataScannerViewControllerDelegate {
        let found: (String) -> Void

        init(found: @escaping (String) -> Void) { self.found = found }

        func dataScanner(_ scanner: DataScannerViewController, didAdd items: [RecognizedItem], allItems: [RecognizedItem]) {
            for case .barcode(let code) in items {
                if let value = code.payloadStringValue {
                    scanner.stopScanning()
                    found(value)
                    return
                }
            }
        }
    }
}

/// The report as the therapist will read it: no JavaScript, no network.
private struct ReportPreview: UIViewRepresentable {
    let html: String

    func makeUIView(context: Context) -> WKWebView {
        let configuration = WKWebViewConfiguration()
        configuration.defaultWebpagePreferences.allowsContentJavaScript = false
        configuration.websiteDataStore = .nonPersistent()
        return WKWebView(frame: .zero, configuration: configuration)
    }

    func updateUIView(_ view: WKWebView, context: Context) {
        view.loadHTMLString(html, baseURL: nil)
    }
}
