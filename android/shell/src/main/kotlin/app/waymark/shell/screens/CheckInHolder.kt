package app.waymark.shell.screens

import app.waymark.core.CheckIn
import app.waymark.core.CheckInDraft
import app.waymark.core.EmotionLabel
import app.waymark.core.LifeArea
import app.waymark.core.Vocabulary
import app.waymark.shell.Device
import app.waymark.shell.Profile

data class CheckInState(
    /** The labels and areas, named in the patient's language. */
    val vocabulary: Vocabulary? = null,
    /** The entry being edited; `null` for a new check-in. */
    val editing: String? = null,
    /** The zone an edited entry was written in, which it keeps. */
    val zone: String? = null,
    val valence: Int? = null,
    val energy: Int? = null,
    val anxiety: Int? = null,
    val sleepHours: Double? = null,
    val labels: Set<EmotionLabel> = emptySet(),
    val areas: Set<LifeArea> = emptySet(),
    val text: String = "",
    val shared: Boolean = false,
    val saved: CheckIn? = null,
    val error: String? = null,
) {
    /** The patient has picked a mood; the core checks everything else. */
    val canSave: Boolean get() = valence != null
}

/** A quick check-in or free writing, new or edited. Private unless the patient marks it shared. */
class CheckInHolder(
    profile: Profile,
    private val device: Device,
    private val planChanged: PlanChanged,
) : StateHolder<CheckInState>(CheckInState(), profile) {
    override fun CheckInState.showing(message: String?) = copy(error = message)

    /** Two calls: the language, then its words. */
    suspend fun load() {
        val language = core { it.contentLanguage() } ?: return
        val vocabulary = library { it.vocabulary(language) } ?: return
        update { it.copy(vocabulary = vocabulary) }
    }

    /** Three calls: [load] and the whole entry. */
    suspend fun loadEntry(id: String) {
        load()
        val entry = core { it.checkin(id) } ?: return
        update {
            it.copy(
                editing = entry.id, zone = entry.zone, valence = entry.valence, energy = entry.energy, anxiety = entry.anxiety,
                sleepHours = entry.sleepHours, labels = entry.labels.toSet(), areas = entry.areas.toSet(),
                text = entry.text, shared = entry.shared, saved = null,
            )
        }
    }

    fun edit(change: (CheckInState) -> CheckInState) = update { change(it).copy(saved = null) }

    fun toggle(label: EmotionLabel) = edit { it.copy(labels = it.labels.symmetricToggle(label)) }

    fun toggle(area: LifeArea) = edit { it.copy(areas = it.areas.symmetricToggle(area)) }

    suspend fun save() {
        val current = state.value
        val valence = current.valence ?: return
        val draft = CheckInDraft(
            valence = valence, energy = current.energy, anxiety = current.anxiety, sleepHours = current.sleepHours,
            labels = current.labels.toList(), areas = current.areas.toList(), text = current.text,
            occurredAt = if (current.editing == null) device.now() else null,
            zone = current.zone ?: device.zone(), shared = current.shared,
        )
        val saved = core { core -> current.editing?.let { core.editCheckin(it, draft) } ?: core.addCheckin(draft) } ?: return
        update { CheckInState(vocabulary = it.vocabulary, saved = saved) }
        // A low check-in can turn the next prompts into grounding ones.
        planChanged.planChanged()
    }

    private fun <T> Set<T>.symmetricToggle(item: T): Set<T> = if (item in this) this - item else this + item
}
