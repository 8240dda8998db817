package app.waymark.shell.screens

import app.waymark.core.HelpNow
import app.waymark.shell.Device
import app.waymark.shell.Profile
import app.waymark.shell.ProfileState

data class HelpNowState(val help: HelpNow? = null, val error: String? = null)

/**
 * Help now: emergency and crisis lines for the patient's region. It works
 * with no profile (first launch, a lost key, a damaged store) and falls back
 * to the bundled lines whenever the profile cannot answer. One call, two at
 * worst.
 */
class HelpNowHolder(profile: Profile, private val device: Device) : StateHolder<HelpNowState>(HelpNowState(), profile) {
    override fun HelpNowState.showing(message: String?) = copy(error = message)

    suspend fun load() {
        val fromProfile = if (profile.state.value == ProfileState.Open) profile.attempt { it.helpNow(null, null) }.getOrNull() else null
        val help = fromProfile ?: library { it.helpNow(device.region(), device.localeTag()) } ?: return
        update { it.copy(help = help) }
    }
}
