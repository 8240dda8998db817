package app.waymark.shell.screens

import app.waymark.core.Instrument
import app.waymark.core.Progress
import app.waymark.core.ProgressQuery
import app.waymark.shell.Device
import app.waymark.shell.Profile

data class ProgressState(
    /** Local dates, `YYYY-MM-DD`; `null` is open-ended. */
    val from: String? = null,
    val to: String? = null,
    /** Scores, bands, baseline, response and remission, mood trends, vitals and safety events, as the core found them. */
    val progress: Progress? = null,
    val error: String? = null,
) {
    /** The results that raised a safety alert (item 9 above 0, or declined), to mark in the list as the report does. */
    val alerted: Set<String> get() = progress?.safetyEvents?.mapNotNull { it.assessmentId }?.toSet().orEmpty()
}

/** Progress over a course: one call. */
class ProgressHolder(profile: Profile, private val device: Device) : StateHolder<ProgressState>(ProgressState(), profile) {
    override fun ProgressState.showing(message: String?) = copy(error = message)

    suspend fun load(from: String? = state.value.from, to: String? = state.value.to) {
        update { it.copy(from = from, to = to) }
        val progress = core { it.progress(device.now(), ProgressQuery(from, to, device.zone())) } ?: return
        update { it.copy(progress = progress) }
    }

    /** Makes result [id] the baseline response and remission are measured from. */
    suspend fun pickBaseline(id: String) {
        core { it.pickBaseline(id) } ?: return
        load()
    }

    suspend fun clearBaseline(instrument: Instrument) {
        core { it.clearBaseline(instrument) } ?: return
        load()
    }
}
