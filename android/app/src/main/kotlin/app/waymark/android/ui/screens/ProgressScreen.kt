package app.waymark.android.ui.screens

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.waymark.android.AppGraph
import app.waymark.android.R
import app.waymark.android.ui.Frame
import app.waymark.android.ui.Heading
import app.waymark.android.ui.Refusal
import app.waymark.android.ui.Routes
import app.waymark.android.ui.TouchTarget
import app.waymark.android.ui.screenModel
import app.waymark.android.ui.shortTime
import app.waymark.shell.model.InstrumentProgress
import app.waymark.shell.model.Outcome
import app.waymark.shell.screens.ProgressHolder
import app.waymark.shell.screens.ProgressState

@Composable
fun ProgressRoute(graph: AppGraph, go: (String) -> Unit) {
    val model = screenModel("progress") { ProgressHolder(graph.profile, graph.device) }
    val state by model.holder.state.collectAsStateWithLifecycle()
    LaunchedEffect(Unit) { model.holder.load() }
    ProgressScreen(state, pickBaseline = { id -> model.act { pickBaseline(id) } }, go = go)
}

@Composable
fun ProgressScreen(state: ProgressState, pickBaseline: (String) -> Unit, go: (String) -> Unit) {
    Frame(stringResource(R.string.progress), onHelpNow = { go(Routes.HELP_NOW) }) {
        item { Refusal(state.error) }
        val progress = state.progress ?: return@Frame
        item { InstrumentCard(R.string.phq9, progress.phq9, state.alerted, pickBaseline) }
        item { InstrumentCard(R.string.gad7, progress.gad7, state.alerted, pickBaseline) }
        if (progress.safetyEvents.isNotEmpty()) {
            item { Heading(stringResource(R.string.safety_events)) }
            items(progress.safetyEvents, key = { it.id }) { event ->
                Text(stringResource(R.string.safety_event_at, shortTime(event.occurredAt)))
            }
        }
        item { Heading(stringResource(R.string.mood)) }
        // The trend as text: one line a day, newest first, which TalkBack reads as it is.
        items(progress.trends.asReversed().take(30)) { day ->
            Text(stringResource(R.string.trend_day, day.date, "%.1f".format(day.rollingValence7d), day.checkins.toInt()))
        }
        if (progress.vitals.isNotEmpty()) {
            item { Heading(stringResource(R.string.vitals)) }
            items(progress.vitals, key = { it.id }) { reading ->
                Text(shortTime(reading.takenAt) + " · " + listOfNotNull(reading.systolic, reading.diastolic).joinToString("/") + (reading.heartRate?.let { " · $it" } ?: ""))
            }
        }
        item { Text(progress.clinicNote, style = MaterialTheme.typography.bodySmall) }
    }
}

@Composable
private fun InstrumentCard(title: Int, progress: InstrumentProgress, alerted: Set<String>, pickBaseline: (String) -> Unit) {
    Column(Modifier.fillMaxWidth().padding(vertical = 8.dp)) {
        Heading(stringResource(title))
        progress.latest?.let { Text(stringResource(R.string.latest_score, it.total.toInt(), shortTime(it.takenAt))) }
        progress.baseline?.let { Text(stringResource(R.string.baseline_score, it.total.toInt(), shortTime(it.takenAt))) }
        progress.response?.let { OutcomeLine(it) }
        progress.remission?.let { OutcomeLine(it) }
        progress.trajectory.asReversed().take(12).forEach { point ->
            val marked = if (point.id in alerted) " · " + stringResource(R.string.item9_marked) else ""
            TextButton(onClick = { pickBaseline(point.id) }, modifier = TouchTarget) {
                Text(shortTime(point.takenAt) + " · " + point.total.toInt() + marked)
            }
        }
    }
}

@Composable
private fun OutcomeLine(outcome: Outcome) {
    Text(outcome.definition + ": " + stringResource(outcomeName(outcome)), style = MaterialTheme.typography.bodyMedium)
}

private fun outcomeName(outcome: Outcome): Int = when (outcome.status) {
    app.waymark.shell.model.OutcomeStatus.MET -> R.string.outcome_met
    app.waymark.shell.model.OutcomeStatus.NOT_MET -> R.string.outcome_not_met
    app.waymark.shell.model.OutcomeStatus.NOT_APPLICABLE -> R.string.outcome_not_applicable
}
