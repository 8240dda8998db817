package app.waymark.shell.screens

import app.waymark.core.CheckIn
import app.waymark.core.DuePrompt
import app.waymark.core.ValenceName
import app.waymark.shell.Device
import app.waymark.shell.Profile

data class PromptsState(
    /** Open now, oldest first; grounding ones when the last days were hard. */
    val due: List<DuePrompt> = emptyList(),
    /** The mood scale an answer is rated on, in the patient's language. */
    val valences: List<ValenceName> = emptyList(),
    /** The journal entry the last answer became. */
    val answered: CheckIn? = null,
    val error: String? = null,
)

/** Integration prompts timed after each session; an answer becomes a journal entry linked to it. */
class PromptsHolder(
    profile: Profile,
    private val device: Device,
    private val planChanged: PlanChanged,
) : StateHolder<PromptsState>(PromptsState(), profile) {
    override fun PromptsState.showing(message: String?) = copy(error = message)

    /** Three calls: the language, the mood scale in it, and the prompts open now. */
    suspend fun load() {
        if (state.value.valences.isEmpty()) {
            val language = core { it.contentLanguage() } ?: return
            val vocabulary = library { it.vocabulary(language) } ?: return
            update { it.copy(valences = vocabulary.valences) }
        }
        val due = core { it.promptsDue(device.now()) } ?: return
        update { it.copy(due = due) }
    }

    /** [valence] is the patient's pick on [PromptsState.valences]. */
    suspend fun answer(id: String, text: String, valence: Int, shared: Boolean) {
        val entry = core { it.answerPrompt(device.now(), id, text, valence, device.zone(), shared) } ?: return
        update { it.copy(answered = entry) }
        val due = core { it.promptsDue(device.now()) } ?: return
        update { it.copy(due = due) }
        planChanged.planChanged()
    }
}
