package app.waymark.shell.screens

import app.waymark.core.SafetyPage
import app.waymark.core.SafetySearchHit
import app.waymark.core.SafetySearchHitKind
import app.waymark.shell.Device
import app.waymark.shell.Profile
import app.waymark.shell.ProfileState

data class SafetyLibraryState(
    val language: String? = null,
    val pages: List<SafetyPage> = emptyList(),
    val query: String = "",
    /** Help now first when the words name a crisis; the core decides. */
    val hits: List<SafetySearchHit>? = null,
    val open: SafetyPage? = null,
    val error: String? = null,
)

/**
 * The bundled safety pages, offline from first launch: in the patient's
 * language when a profile is open, the phone's before.
 */
class SafetyLibraryHolder(profile: Profile, private val device: Device) :
    StateHolder<SafetyLibraryState>(SafetyLibraryState(), profile) {
    override fun SafetyLibraryState.showing(message: String?) = copy(error = message)

    /** One call without a profile, two with one. */
    suspend fun load() {
        val language = language()
        val pages = library { it.safetyPages(language) } ?: return
        update { it.copy(language = language, pages = pages) }
    }

    suspend fun search(query: String) {
        update { it.copy(query = query) }
        if (query.isBlank()) return update { it.copy(hits = null) }
        val language = language()
        val hits = library { it.searchSafety(query, language) } ?: return
        update { it.copy(hits = hits) }
    }

    /** Opens a hit: a page here, or help now. */
    suspend fun openHit(hit: SafetySearchHit) = when (hit.kind) {
        SafetySearchHitKind.HELP_NOW -> emit(ScreenEvent.Navigate(Destination.HelpNow))
        SafetySearchHitKind.PAGE -> openPage(hit.id)
    }

    suspend fun openPage(id: String) {
        val language = language()
        val page = library { it.safetyPage(id, language) } ?: return
        update { it.copy(open = page) }
    }

    fun closePage() = update { it.copy(open = null) }

    private suspend fun language(): String {
        state.value.language?.let { return it }
        if (profile.state.value != ProfileState.Open) return device.localeTag()
        return profile.attempt { it.contentLanguage() }.getOrDefault(device.localeTag())
    }
}
