package app.waymark.shell

import app.waymark.Waymark
import app.waymark.core.StorageFailure
import app.waymark.core.WaymarkException
import app.waymark.shell.key.DatabaseKeyFile
import app.waymark.shell.key.KeyState
import java.io.File
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.withContext

/** What the app can do with the profile; each state but [Open] has its own screen, all with help now. */
sealed interface ProfileState {
    data object NotOpened : ProfileState
    data object Open : ProfileState

    /** The profile exists but its key is gone or cannot be unsealed: restore a backup, or erase after confirming. */
    data class KeyLost(val reason: String) : ProfileState
    data object WrongKey : ProfileState
    data object Damaged : ProfileState
    data object TooNew : ProfileState
    data object DiskFull : ProfileState

    /** Anything else the core reported; its message says what to do. */
    data class Failed(val message: String) : ProfileState
}

/**
 * The sole owner of the [Waymark] object. Every call runs on [dispatcher]
 * (the core thread). Opening never wipes anything: a lost key or a damaged
 * file leaves every file as it was for the patient to restore or erase.
 */
class Profile(
    private val database: File,
    private val keys: DatabaseKeyFile,
    private val deviceLocale: () -> String?,
    private val dispatcher: CoroutineDispatcher = CoreThread.dispatcher,
) {
    private val mutableState = MutableStateFlow<ProfileState>(ProfileState.NotOpened)
    val state: StateFlow<ProfileState> = mutableState
    private var waymark: Waymark? = null

    suspend fun open(): ProfileState = withContext(dispatcher) {
        if (waymark == null) mutableState.value = openWith(keyFor() ?: return@withContext mutableState.value)
        mutableState.value
    }

    /** Runs [call] on the core thread with the open profile. */
    suspend fun <T> call(call: (Waymark) -> T): T = withContext(dispatcher) {
        call(checkNotNull(waymark) { "the profile is not open (${mutableState.value})" })
    }

    suspend fun close() = withContext(dispatcher) {
        waymark?.close()
        waymark = null
        mutableState.value = ProfileState.NotOpened
    }

    /** The database key, or `null` with the state that says why there is none. */
    private fun keyFor(): ByteArray? = when (val read = keys.read()) {
        is KeyState.Ready -> read.key
        // A first launch makes the key; a profile without one has lost it.
        KeyState.Missing -> if (database.exists()) lost("the profile's key is missing") else keys.create()
        is KeyState.Unreadable -> lost(read.reason)
    }

    private fun lost(reason: String): ByteArray? {
        mutableState.value = ProfileState.KeyLost(reason)
        return null
    }

    private fun openWith(key: ByteArray): ProfileState = try {
        waymark = Waymark.open(database.path, key, deviceLocale())
        ProfileState.Open
    } catch (e: WaymarkException.Storage) {
        stateFor(e.failure, e.message)
    } catch (e: WaymarkException) {
        ProfileState.Failed(e.message ?: e.toString())
    } finally {
        key.fill(0)
    }

    companion object {
        fun stateFor(failure: StorageFailure, message: String): ProfileState = when (failure) {
            StorageFailure.WRONG_KEY -> ProfileState.WrongKey
            StorageFailure.DAMAGED -> ProfileState.Damaged
            StorageFailure.TOO_NEW -> ProfileState.TooNew
            StorageFailure.DISK_FULL -> ProfileState.DiskFull
            StorageFailure.CLOSED, StorageFailure.IN_USE, StorageFailure.FAILED -> ProfileState.Failed(message)
        }
    }
}
