package app.waymark.android.ui.screens

import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.waymark.android.AppGraph
import app.waymark.android.R
import app.waymark.android.ui.Frame
import app.waymark.android.ui.Heading
import app.waymark.android.ui.Refusal
import app.waymark.android.ui.Routes
import app.waymark.android.ui.TouchTarget
import app.waymark.android.ui.screenModel
import app.waymark.shell.model.Instrument
import app.waymark.shell.model.MeasureSchedule
import app.waymark.shell.model.ReminderSettings
import app.waymark.shell.screens.SettingsHolder
import app.waymark.shell.screens.SettingsState

@Composable
fun SettingsRoute(graph: AppGraph, go: (String) -> Unit) {
    val model = screenModel("settings") { SettingsHolder(graph.profile, graph.planChanged) }
    val state by model.holder.state.collectAsStateWithLifecycle()
    LaunchedEffect(Unit) { model.holder.load() }
    SettingsScreen(
        state,
        exactAllowed = exactAlarmsAllowed(graph),
        reminders = { settings -> model.act { reminders(settings) } },
        schedule = { measure -> model.act { schedule(measure) } },
        region = { code -> model.act { region(code) } },
        language = { code -> model.act { language(code) } },
        go = go,
    )
}

@Composable
fun SettingsScreen(
    state: SettingsState,
    exactAllowed: Boolean,
    reminders: (ReminderSettings) -> Unit,
    schedule: (MeasureSchedule) -> Unit,
    region: (String?) -> Unit,
    language: (String?) -> Unit,
    go: (String) -> Unit,
) {
    Frame(stringResource(R.string.settings), onHelpNow = { go(Routes.HELP_NOW) }) {
        item { Refusal(state.error) }
        item { ReminderPermissions(exactAllowed) }
        val settings = state.settings ?: return@Frame
        item { Heading(stringResource(R.string.reminders)) }
        item {
            Row {
                Text(stringResource(R.string.measure_reminders), modifier = Modifier.weight(1f))
                Switch(checked = settings.reminders.measures, onCheckedChange = { reminders(settings.reminders.copy(measures = it)) })
            }
        }
        items(settings.measureSchedules) { measure ->
            Row {
                Text(stringResource(if (measure.instrument == Instrument.PHQ9) R.string.phq9 else R.string.gad7), modifier = Modifier.weight(1f))
                Switch(checked = measure.enabled, onCheckedChange = { schedule(measure.copy(enabled = it)) })
            }
        }
        item { Heading(stringResource(R.string.region_and_language)) }
        item {
            var typed by rememberSaveable(settings.region) { mutableStateOf(settings.region ?: "") }
            OutlinedTextField(value = typed, onValueChange = { typed = it }, singleLine = true, label = { Text(stringResource(R.string.region_code)) })
            TextButton(onClick = { region(typed.ifBlank { null }) }, modifier = TouchTarget) { Text(stringResource(R.string.save)) }
        }
        item {
            Row {
                listOf(null to R.string.language_phone, "en" to R.string.language_en, "es" to R.string.language_es).forEach { (code, label) ->
                    TextButton(onClick = { language(code) }, modifier = TouchTarget) { Text(stringResource(label)) }
                }
            }
        }
        item { Heading(stringResource(R.string.your_data)) }
        listOf(
            R.string.backup to Routes.BACKUP, R.string.import_title to Routes.IMPORT,
            R.string.export_title to Routes.EXPORT, R.string.erase_title to Routes.ERASE,
        ).forEach { (label, route) ->
            item { OutlinedButton(onClick = { go(route) }, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(label)) } }
        }
    }
}
