package app.waymark.shell.screens

import app.waymark.core.CheckIn
import app.waymark.core.DuePrompt
import app.waymark.shell.Device
import app.waymark.shell.Profile

data class PromptsState(
    /** Open now, oldest first; grounding ones when the last days were hard. */
    val due: List<DuePrompt> = emptyList(),
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

    suspend fun load() {
        val due = core { it.promptsDue(device.now()) } ?: return
        update { it.copy(due = due) }
    }

    suspend fun answer(id: String, text: String, valence: Int, shared: Boolean) {
        val entry = core { it.answerPrompt(device.now(), id, text, valence, device.zone(), shared) } ?: return
        update { it.copy(answered = entry) }
        load()
        planChanged.planChanged()
    }
}
