package app.waymark.shell.screens

import app.waymark.core.VitalsDraft
import app.waymark.core.VitalsReading
import app.waymark.shell.Device
import app.waymark.shell.Profile

data class VitalsState(
    val systolic: Int? = null,
    val diastolic: Int? = null,
    val heartRate: Int? = null,
    val sessionId: String? = null,
    val shared: Boolean = false,
    /** The saved reading, with the core's flag when it is one the clinic should hear about. */
    val saved: VitalsReading? = null,
    val error: String? = null,
)

/** Blood pressure and heart rate. No call on load; the core checks and flags each reading. */
class VitalsHolder(profile: Profile, private val device: Device) : StateHolder<VitalsState>(VitalsState(), profile) {
    override fun VitalsState.showing(message: String?) = copy(error = message)

    fun edit(change: (VitalsState) -> VitalsState) = update { change(it).copy(saved = null) }

    suspend fun save() {
        val current = state.value
        val draft = VitalsDraft(
            systolic = current.systolic, diastolic = current.diastolic, heartRate = current.heartRate,
            takenAt = device.now(), zone = device.zone(), sessionId = current.sessionId, shared = current.shared,
        )
        val saved = core { it.addVitals(draft) } ?: return
        update { VitalsState(saved = saved) }
    }
}
