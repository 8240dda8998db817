package app.waymark.android

import android.content.Context
import app.waymark.android.key.KeystoreKeyProvider
import app.waymark.android.reminders.AlarmSink
import app.waymark.shell.Profile
import app.waymark.shell.SystemDevice
import app.waymark.shell.key.DatabaseKeyFile
import app.waymark.shell.reminders.Reminders
import app.waymark.shell.screens.PlanChanged
import app.waymark.shell.sync.BackgroundSync
import app.waymark.shell.sync.UrlConnectionTransport
import java.io.File

/**
 * The objects the whole app shares, made once by [WaymarkApplication]: the
 * profile (the sole owner of the core), the phone's alarms and the relay's
 * transport. Screens, receivers and workers all reach the core through these.
 */
class AppGraph(context: Context) {
    val device = SystemDevice
    private val folder = File(context.noBackupFilesDir, "profile").apply { mkdirs() }
    val profile = Profile(
        database = File(folder, "waymark.db"),
        keys = DatabaseKeyFile(File(folder, "database.key"), KeystoreKeyProvider()),
        device = device,
    )
    val sink = AlarmSink(context)
    val reminders = Reminders(profile, sink, device)
    val planChanged = PlanChanged { reminders.reconcile() }
    val transport = UrlConnectionTransport()
    val backgroundSync = BackgroundSync(profile, transport, reminders, device)
}
