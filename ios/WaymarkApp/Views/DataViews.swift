import SwiftUI
import UniformTypeIdentifiers
import WaymarkShell

/// Reads a picked file (security-scoped, from the document picker) into a
/// private temporary copy for the core, which reads by path; refuses past 16 MB for text.
enum PickedFile {
    static func copy(_ url: URL) throws -> URL {
        let scoped = url.startAccessingSecurityScopedResource()
        defer { if scoped { url.stopAccessingSecurityScopedResource() } }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.copyItem(at: url, to: copy)
        return copy
    }

    static func text(_ url: URL) throws -> String {
        let copy = try copy(url)
        defer { try? FileManager.default.removeItem(at: copy) }
        let size = (try FileManager.default.attributesOfItem(atPath: copy.path)[.size] as? Int) ?? 0
        guard size <= 16 * 1024 * 1024 else { throw ShellError.unreadableFile(String(localized: "files.too.large")) }
        return try String(contentsOf: copy, encoding: .utf8)
    }
}

struct BackupView: View {
    @State private var model: BackupModel
    @State private var passphrase = ""
    @State private var picking = false
    @State private var written: URL?
    @State private var problem: String?

    init(graph: AppGraph) {
        _model = State(initialValue: BackupModel(profile: graph.profile, reminders: graph.reminders))
    }

    var body: some View {
        Form {
            Text("backup.explained")
            SecureField("backup.passphrase", text: $passphrase)
            Refusal(message: problem ?? model.state.error)
            Button("backup.create") {
                Task {
                    let file = FileManager.default.temporaryDirectory.appendingPathComponent("waymark.backup")
                    try? FileManager.default.removeItem(at: file)
                    await model.backup(file, passphrase: passphrase)
                    if model.state.written != nil { written = file }
                }
            }
            .disabled(model.state.busy)
            Section {
                Text("backup.restore.explained")
                Button("backup.restore") { picking = true }.disabled(model.state.busy)
                if let restored = model.state.restored {
                    Text("backup.restored \(String(restored.checkins)) \(String(restored.assessments)) \(String(restored.appointments))")
                }
            } header: { Text("backup.restore.title") }
        }
        .navigationTitle("backup.title")
        .fileImporter(isPresented: $picking, allowedContentTypes: [.data]) { picked in
            problem = nil
            guard case .success(let url) = picked else { return }
            do {
                let copy = try PickedFile.copy(url)
                Task {
                    await model.restore(copy, passphrase: passphrase)
                    try? FileManager.default.removeItem(at: copy)
                }
            } catch {
                problem = error.localizedDescription
            }
        }
        // To Files or wherever the patient chooses, through the share sheet.
        .sheet(item: Binding(get: { written.map(BackupFile.init) }, set: { _ in written = nil })) { file in ShareSheet(url: file.url) }
    }
}

private struct BackupFile: Identifiable {
    let url: URL
    var id: URL { url }
}

struct ImportView: View {
    @State private var model: ImportModel
    @State private var picking: UTType?
    @State private var problem: String?

    init(graph: AppGraph) {
        _model = State(initialValue: ImportModel(profile: graph.profile, device: graph.device, planChanged: graph.planChanged))
    }

    var body: some View {
        Form {
            Refusal(message: problem ?? model.state.error)
            Button("import.daylio") { picking = .commaSeparatedText }
            if let preview = model.state.daylio {
                Section {
                    Text("import.preview \(String(preview.entries)) \(String(preview.alreadyImported))")
                    if !preview.unmapped.isEmpty { Text("import.unmapped \(preview.unmapped.joined(separator: ", "))") }
                    ForEach(Array(preview.sample.enumerated()), id: \.offset) { _, entry in Text(entry.local + " · " + entry.mood + " · " + entry.text) }
                    Button("import.now") { Task { await model.importDaylio() } }
                }
            }
            if let imported = model.state.imported { Text("import.done \(String(imported.added)) \(String(imported.skipped))") }
            Button("import.calendar") { picking = .calendarEvent }
            if let report = model.state.calendar {
                Text("import.calendar.done \(String(report.added)) \(String(report.updated)) \(String(report.cancelled))")
            }
        }
        .navigationTitle("import.title")
        .fileImporter(isPresented: Binding(get: { picking != nil }, set: { if !$0 { picking = nil } }), allowedContentTypes: [picking ?? .data]) { picked in
            let kind = picking
            problem = nil
            guard case .success(let url) = picked else { return }
            do {
                let text = try PickedFile.text(url)
                Task {
                    if kind == .calendarEvent { await model.importCalendar(text) } else { await model.previewDaylio(text) }
                }
            } catch {
                problem = error.localizedDescription
            }
        }
    }
}

struct ExportView: View {
    @State private var model: ExportModel
    @State private var files: [URL] = []

    init(graph: AppGraph) {
        _model = State(initialValue: ExportModel(profile: graph.profile))
    }

    var body: some View {
        Form {
            Text("export.explained")
            Refusal(message: model.state.error)
            Button("export.json") { Task { await export(.json) } }
            Button("export.csv") { Task { await export(.csv) } }
        }
        .navigationTitle("export.title")
        .sheet(isPresented: Binding(get: { !files.isEmpty }, set: { if !$0 { files = [] } })) { ShareSheet(urls: files) }
    }

    private func export(_ format: ExportFormat) async {
        await model.export(format)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-export", isDirectory: true)
        try? FileManager.default.removeItem(at: folder)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        files = model.state.files.compactMap { file in
            let url = folder.appendingPathComponent(file.name)
            return (try? file.content.write(to: url, atomically: true, encoding: .utf8)).map { url }
        }
    }
}

struct EraseView: View {
    @State private var model: EraseModel
    private let word = String(localized: "erase.word")

    init(graph: AppGraph) {
        _model = State(initialValue: EraseModel(profile: graph.profile, reminders: graph.reminders, confirmationWord: String(localized: "erase.word")))
    }

    var body: some View {
        Form {
            Text("erase.explained \(word)")
            TextField("erase.type", text: Binding(get: { model.state.typed }, set: { model.type($0) }))
                .autocorrectionDisabled()
            Refusal(message: model.state.error)
            Button("erase.everything", role: .destructive) { Task { await model.erase() } }
                .disabled(!model.state.confirms(word))
        }
        .navigationTitle("erase.title")
    }
}
