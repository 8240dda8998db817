package app.waymark.shell

import app.waymark.WaymarkInterface
import app.waymark.core.RestoreReport
import app.waymark.core.StorageFailure
import app.waymark.core.WaymarkException
import app.waymark.shell.key.DatabaseKeyFile
import app.waymark.shell.key.KeyState
import java.io.File
import java.security.SecureRandom
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
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
 * The sole owner of the profile's core object. Every call runs on
 * [dispatcher] (the core thread). Nothing here ever wipes a profile on its
 * own: a lost key or a damaged file leaves every file as it was, for the
 * patient to restore or, after a typed confirmation, erase.
 */
class Profile(
    private val database: File,
    private val keys: DatabaseKeyFile,
    private val device: Device = SystemDevice,
    private val core: Core = RustCore,
    private val dispatcher: CoroutineDispatcher = CoreThread.dispatcher,
) {
    private val mutableState = MutableStateFlow<ProfileState>(ProfileState.NotOpened)
    val state: StateFlow<ProfileState> = mutableState.asStateFlow()
    private var waymark: WaymarkInterface? = null

    suspend fun open(): ProfileState = withContext(dispatcher) {
        if (waymark == null) {
            keyFor()?.let { key -> mutableState.value = openWith(key) }
        } else {
            mutableState.value = ProfileState.Open
        }
        mutableState.value
    }

    /** Runs [call] on the core thread with the open profile; throws what the core throws. */
    suspend fun <T> call(call: (WaymarkInterface) -> T): T = withContext(dispatcher) {
        call(checkNotNull(waymark) { "the profile is not open (${mutableState.value})" })
    }

    /**
     * Runs [call] like [call], but gives a failure instead of throwing. A
     * storage failure also moves the profile to the state whose screen
     * recovers from it, whichever screen made the call.
     */
    suspend fun <T> attempt(call: (WaymarkInterface) -> T): Result<T> = withContext(dispatcher) {
        val open = waymark ?: return@withContext Result.failure(IllegalStateException("Open Waymark first."))
        try {
            Result.success(call(open))
        } catch (e: WaymarkException) {
            if (e is WaymarkException.Storage) storageFailed(e)
            Result.failure(e)
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            // A panic in the core arrives as uniffi's InternalException: shown, never a crash.
            Result.failure(e)
        }
    }

    /** Runs [call] with the calls that need no profile (help now, safety pages, forms), on the core thread. */
    suspend fun <T> withoutProfile(call: (Core) -> T): Result<T> = withContext(dispatcher) {
        try {
            Result.success(call(core))
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            Result.failure(e)
        }
    }

    /** After the phone's language changes: the core's words follow it, unless the patient chose one. */
    suspend fun deviceLocaleChanged(): Result<Unit> = attempt { it.setDeviceLocale(device.localeTag()) }

    suspend fun close() = withContext(dispatcher) {
        closeCore()
        mutableState.value = ProfileState.NotOpened
    }

    /**
     * Erases the profile: the database and its side files, then its key.
     * The erase screen asks for the typed confirmation before calling this.
     */
    suspend fun erase(): Result<UInt> = withContext(dispatcher) {
        closeCore()
        // Closed either way: after a failed erase, the unlock screen opens what is left.
        mutableState.value = ProfileState.NotOpened
        try {
            val removed = core.eraseProfile(database.path)
            keys.delete()
            Result.success(removed)
        } catch (e: WaymarkException) {
            Result.failure(e)
        }
    }

    /**
     * Restores [backup] over this profile and opens it. It keeps the key when
     * it can be read; after a lost key it seals a new one, only once the
     * restore has succeeded. A failed restore leaves the profile as it was.
     */
    suspend fun restore(backup: File, passphrase: String): Result<RestoreReport> = withContext(dispatcher) {
        closeCore()
        val read = keys.read()
        val key = (read as? KeyState.Ready)?.key ?: ByteArray(KEY_BYTES).also { SecureRandom().nextBytes(it) }
        try {
            val report = core.restoreBackup(backup.path, passphrase, database.path, key.copyOf(), true)
            if (read !is KeyState.Ready) keys.replace(key)
            mutableState.value = openWith(key)
            Result.success(report)
        } catch (e: WaymarkException) {
            key.fill(0)
            mutableState.value = ProfileState.NotOpened
            Result.failure(e)
        }
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
        waymark = core.open(database.path, key, device.localeTag())
        ProfileState.Open
    } catch (e: WaymarkException.Storage) {
        stateFor(e.failure, e.readable())
    } catch (e: WaymarkException) {
        ProfileState.Failed(e.readable())
    } finally {
        key.fill(0)
    }

    /** A store that failed is closed, so that its recovery screen's retry opens it afresh. */
    private fun storageFailed(e: WaymarkException.Storage) {
        closeCore()
        mutableState.value = stateFor(e.failure, e.readable())
    }

    private fun closeCore() {
        (waymark as? AutoCloseable)?.close()
        waymark = null
    }

    companion object {
        private const val KEY_BYTES = 32

        fun stateFor(failure: StorageFailure, message: String): ProfileState = when (failure) {
            StorageFailure.WRONG_KEY -> ProfileState.WrongKey
            StorageFailure.DAMAGED -> ProfileState.Damaged
            StorageFailure.TOO_NEW -> ProfileState.TooNew
            StorageFailure.DISK_FULL -> ProfileState.DiskFull
            StorageFailure.CLOSED -> ProfileState.NotOpened
            StorageFailure.IN_USE, StorageFailure.FAILED -> ProfileState.Failed(message)
        }
    }
}
