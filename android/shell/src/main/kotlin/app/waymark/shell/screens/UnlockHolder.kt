package app.waymark.shell.screens

import app.waymark.core.HelpNow
import app.waymark.shell.Device
import app.waymark.shell.Profile
import app.waymark.shell.ProfileState

data class UnlockState(
    val profile: ProfileState = ProfileState.NotOpened,
    /** Always on this screen, from the bundled lines: no profile is needed. */
    val help: HelpNow? = null,
    val error: String? = null,
)

/**
 * Start, and every state in which the profile is not open: opening, a lost
 * key, a wrong key, a damaged or too new store, a full disk. Nothing here
 * wipes anything; restore and erase are their own screens.
 */
class UnlockHolder(profile: Profile, private val device: Device) : StateHolder<UnlockState>(UnlockState(), profile) {
    override fun UnlockState.showing(message: String?) = copy(error = message)

    /** One call: help now with no profile. */
    suspend fun load() {
        val help = library { it.helpNow(device.region(), device.localeTag()) }
        update { it.copy(profile = profile.state.value, help = help ?: it.help) }
    }

    /** Opens the profile (the first launch makes its key); gives the state the app shows next. */
    suspend fun unlock(): ProfileState {
        val opened = profile.open()
        update { it.copy(profile = opened) }
        return opened
    }
}
