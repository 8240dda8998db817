package app.waymark.android.ui.screens

import androidx.activity.compose.BackHandler
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.Button
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.res.stringResource
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.waymark.android.AppGraph
import app.waymark.android.R
import app.waymark.android.ui.Frame
import app.waymark.android.ui.Heading
import app.waymark.android.ui.HelpLines
import app.waymark.android.ui.TouchTarget
import app.waymark.android.ui.screenModel
import app.waymark.shell.ProfileState
import app.waymark.shell.screens.UnlockHolder

/**
 * Until the profile opens: opening it (a first launch makes its key), or the
 * state that stopped it, with what the patient can do. Help now is on every
 * one of these, first; nothing here erases anything.
 */
@Composable
fun UnlockRoute(graph: AppGraph) {
    val model = screenModel("unlock") { UnlockHolder(graph.profile, graph.device) }
    val state by model.holder.state.collectAsStateWithLifecycle()
    val profile by graph.profile.state.collectAsStateWithLifecycle()
    var screen by rememberSaveable { mutableStateOf<String?>(null) }
    // Every time the profile leaves Open (a first launch, an erase, a storage failure): show why, and open it if nothing stops it.
    LaunchedEffect(profile) {
        model.holder.load()
        if (graph.profile.state.value == ProfileState.NotOpened) model.holder.unlock()
        if (profile == ProfileState.NotOpened) screen = null
    }
    BackHandler(enabled = screen != null) { screen = null }
    when (screen) {
        "restore" -> BackupRoute(graph)
        "erase" -> EraseRoute(graph)
        else -> Frame(stringResource(R.string.app_name), onHelpNow = null) {
            state.help?.let { help ->
                item { Heading(help.title) }
                item { HelpLines(help) }
            }
            val message = when (state.profile) {
                ProfileState.NotOpened, ProfileState.Open -> null
                is ProfileState.KeyLost -> R.string.state_key_lost
                ProfileState.WrongKey -> R.string.state_wrong_key
                ProfileState.Damaged -> R.string.state_damaged
                ProfileState.TooNew -> R.string.state_too_new
                ProfileState.DiskFull -> R.string.state_disk_full
                is ProfileState.Failed -> R.string.state_failed
            }
            if (message != null) {
                item { Text(stringResource(message)) }
                (state.profile as? ProfileState.Failed)?.let { failed -> item { Text(failed.message) } }
                item { Button(onClick = { model.act { unlock() } }, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.try_again)) } }
                item { OutlinedButton(onClick = { screen = "restore" }, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.restore_backup)) } }
                item { OutlinedButton(onClick = { screen = "erase" }, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.erase_title)) } }
            }
        }
    }
}
