package app.waymark.shell.screens

import app.waymark.shell.Profile
import app.waymark.shell.readable
import app.waymark.shell.reminders.Reminders

data class EraseState(val typed: String = "", val erased: Boolean = false, val error: String? = null) {
    fun confirms(word: String): Boolean = typed.trim().equals(word, ignoreCase = true)
}

/**
 * Erasing everything, only after the patient types [confirmationWord] (from
 * the app's strings, in their language). Reminders go first, then the
 * database and its key. Nothing can bring it back but a backup.
 */
class EraseHolder(
    profile: Profile,
    private val reminders: Reminders,
    private val confirmationWord: String,
) : StateHolder<EraseState>(EraseState(), profile) {
    override fun EraseState.showing(message: String?) = copy(error = message)

    fun type(text: String) = update { it.copy(typed = text) }

    suspend fun erase() {
        if (!state.value.confirms(confirmationWord)) return
        reminders.cancelAll()
        val erased = profile.erase()
        update { it.copy(erased = erased.isSuccess, typed = "", error = erased.exceptionOrNull()?.readable()) }
    }
}
