package app.waymark.shell.screens

import app.waymark.core.Home
import app.waymark.shell.Device
import app.waymark.shell.Profile

data class HomeState(val home: Home? = null, val error: String? = null)

/** Home: today's check-ins, the next session and the care in force, what is due. One call. */
class HomeHolder(profile: Profile, private val device: Device) : StateHolder<HomeState>(HomeState(), profile) {
    override fun HomeState.showing(message: String?) = copy(error = message)

    suspend fun load() {
        val home = core { it.home(device.now(), device.zone()) } ?: return
        update { it.copy(home = home) }
    }
}
