import Foundation
import Observation
import WaymarkCore

public struct JournalState: ScreenState {
    /// Newest first, with a one-line preview each; the whole text only in `open`.
    public var rows: [JournalRow] = []
    public var nextCursor: String?
    public var query = ""
    public var hits: [SearchHit]?
    public var open: CheckIn?
    /// The entry just deleted, which the patient can still bring back.
    public var undoable: String?
    public var error: String?
}

/// The journal: pages of entries, full-text search, one entry whole, delete with undo.
@MainActor
@Observable
public final class JournalModel: ScreenModel {
    public internal(set) var state = JournalState()
    let profile: Profile
    private let pageSize: UInt32

    public init(profile: Profile, pageSize: UInt32 = 50) {
        self.profile = profile
        self.pageSize = pageSize
    }

    public func load() async {
        let query = JournalQuery(limit: pageSize)
        guard let page = await core({ try $0.journalPage(query: query) }) else { return }
        state.rows = page.entries
        state.nextCursor = page.nextCursor
    }

    public func more() async {
        guard let after = state.nextCursor else { return }
        let query = JournalQuery(limit: pageSize, after: after)
        guard let page = await core({ try $0.journalPage(query: query) }) else { return }
        state.rows += page.entries
        state.nextCursor = page.nextCursor
    }

    public func search(_ query: String) async {
        state.query = query
        if query.trimmingCharacters(in: .whitespaces).isEmpty {
            state.hits = nil
            return
        }
        let limit = pageSize
        guard let hits = await core({ try $0.searchJournal(query: query, limit: limit) }) else { return }
        state.hits = hits
    }

    public func openEntry(_ id: String) async {
        guard let entry = await core({ try $0.checkin(id: id) }) else { return }
        state.open = entry
    }

    public func closeEntry() {
        state.open = nil
    }

    public func delete(_ id: String) async {
        guard await core({ try $0.deleteCheckin(id: id) }) != nil else { return }
        state.undoable = id
        state.open = nil
        await load()
    }

    public func undo() async {
        guard let id = state.undoable else { return }
        guard await core({ try $0.undeleteCheckin(id: id) }) != nil else { return }
        state.undoable = nil
        await load()
    }
}
