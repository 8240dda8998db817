import Foundation
import WaymarkCore

/// The one place the core is called. Every core call blocks (docs/ffi.md),
/// so all of them run on this actor's executor, in order, never on the main actor.
public actor CoreActor {
    private let core: Core
    private var waymark: WaymarkProtocol?

    public init(core: Core = RustCore()) {
        self.core = core
    }

    var isOpen: Bool { waymark != nil }

    func open(path: String, key: Data, deviceLocale: String) throws {
        waymark = try core.open(path: path, key: key, deviceLocale: deviceLocale)
    }

    /// Drops the profile's object; the core closes the database as it goes.
    func close() {
        try? waymark?.closeProfile()
        waymark = nil
    }

    /// Runs `body` with the open profile.
    func run<T: Sendable>(_ body: @Sendable (WaymarkProtocol) throws -> T) throws -> T {
        guard let waymark else { throw ShellError.notOpen }
        return try body(waymark)
    }

    /// Runs `body` with the calls that need no profile (help now, safety pages, forms).
    func withoutProfile<T: Sendable>(_ body: @Sendable (Core) throws -> T) throws -> T {
        try body(core)
    }
}

/// The shell's own refusals, beside the core's.
public enum ShellError: Error, LocalizedError, Equatable {
    case notOpen
    case unreadableFile(String)

    public var errorDescription: String? {
        switch self {
        case .notOpen: return "Open Waymark first."
        case .unreadableFile(let reason): return reason
        }
    }
}
