package app.waymark.shell.screens

import app.waymark.core.RestoreReport
import app.waymark.shell.Profile
import app.waymark.shell.ProfileState
import app.waymark.shell.readable
import app.waymark.shell.reminders.Reminders
import java.io.File

data class BackupState(
    val busy: Boolean = false,
    /** The size of the backup just written. */
    val written: ULong? = null,
    val restored: RestoreReport? = null,
    val error: String? = null,
)

/**
 * Waymark's own passphrase backup, the one way to a new phone (OS backups
 * are off). The app copies between the document picker and a cache file; the
 * core reads and writes the file in chunks.
 */
class BackupHolder(profile: Profile, private val reminders: Reminders) : StateHolder<BackupState>(BackupState(), profile) {
    override fun BackupState.showing(message: String?) = copy(error = message)

    suspend fun backup(target: File, passphrase: String) {
        update { it.copy(busy = true, written = null) }
        val bytes = core { it.backup(target.path, passphrase) }
        update { it.copy(busy = false, written = bytes) }
    }

    /**
     * Replaces this profile with [source]. The reminders the old profile set
     * are cancelled first, and the restored profile's are scheduled after.
     */
    suspend fun restore(source: File, passphrase: String) {
        update { it.copy(busy = true, restored = null) }
        reminders.cancelAll()
        val report = profile.restore(source, passphrase)
        update { it.copy(busy = false, restored = report.getOrNull(), error = report.exceptionOrNull()?.readable()) }
        // A failed restore leaves the old profile, which opens again with its reminders.
        if (profile.open() == ProfileState.Open) reminders.rescheduleAll()
    }
}
