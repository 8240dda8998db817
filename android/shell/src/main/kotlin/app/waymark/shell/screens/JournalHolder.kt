package app.waymark.shell.screens

import app.waymark.core.CheckIn
import app.waymark.core.JournalQuery
import app.waymark.core.JournalRow
import app.waymark.core.SearchHit
import app.waymark.shell.Profile

data class JournalState(
    /** Newest first, with a one-line preview each; the whole text only in [open]. */
    val rows: List<JournalRow> = emptyList(),
    val nextCursor: String? = null,
    val query: String = "",
    val hits: List<SearchHit>? = null,
    val open: CheckIn? = null,
    /** The entry just deleted, which the patient can still bring back. */
    val undoable: String? = null,
    val error: String? = null,
)

/** The journal: pages of entries, full-text search, one entry whole, delete with undo. */
class JournalHolder(profile: Profile, private val pageSize: UInt = 50u) : StateHolder<JournalState>(JournalState(), profile) {
    override fun JournalState.showing(message: String?) = copy(error = message)

    suspend fun load() {
        val page = core { it.journalPage(JournalQuery(limit = pageSize)) } ?: return
        update { it.copy(rows = page.entries, nextCursor = page.nextCursor) }
    }

    suspend fun more() {
        val after = state.value.nextCursor ?: return
        val page = core { it.journalPage(JournalQuery(limit = pageSize, after = after)) } ?: return
        update { it.copy(rows = it.rows + page.entries, nextCursor = page.nextCursor) }
    }

    suspend fun search(query: String) {
        update { it.copy(query = query) }
        if (query.isBlank()) return update { it.copy(hits = null) }
        val hits = core { it.searchJournal(query, pageSize) } ?: return
        update { it.copy(hits = hits) }
    }

    suspend fun openEntry(id: String) {
        val entry = core { it.checkin(id) } ?: return
        update { it.copy(open = entry) }
    }

    fun closeEntry() = update { it.copy(open = null) }

    suspend fun delete(id: String) {
        core { it.deleteCheckin(id) } ?: return
        update { it.copy(undoable = id, open = null) }
        load()
    }

    suspend fun undo() {
        val id = state.value.undoable ?: return
        core { it.undeleteCheckin(id) } ?: return
        update { it.copy(undoable = null) }
        load()
    }
}
