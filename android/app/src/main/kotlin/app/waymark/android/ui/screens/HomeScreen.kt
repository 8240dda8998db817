package app.waymark.android.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.pluralStringResource
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.waymark.android.AppGraph
import app.waymark.android.R
import app.waymark.android.ui.Frame
import app.waymark.android.ui.Heading
import app.waymark.android.ui.MoodWeek
import app.waymark.android.ui.Refusal
import app.waymark.android.ui.Routes
import app.waymark.android.ui.TouchTarget
import app.waymark.android.ui.screenModel
import app.waymark.android.ui.shortTime
import app.waymark.shell.model.CareItem
import app.waymark.shell.model.Instrument
import app.waymark.shell.screens.HomeHolder
import app.waymark.shell.screens.HomeState

@Composable
fun HomeRoute(graph: AppGraph, go: (String) -> Unit) {
    val model = screenModel("home") { HomeHolder(graph.profile, graph.device) }
    val state by model.holder.state.collectAsStateWithLifecycle()
    LaunchedEffect(Unit) { model.holder.load() }
    HomeScreen(state, go)
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
fun HomeScreen(state: HomeState, go: (String) -> Unit) {
    Frame(stringResource(R.string.app_name), onHelpNow = { go(Routes.HELP_NOW) }) {
        item { Refusal(state.error) }
        val home = state.home ?: return@Frame
        item {
            Button(onClick = { go(Routes.checkIn()) }, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.check_in)) }
        }
        item { Heading(stringResource(R.string.today)) }
        item { MoodWeek(home.today.last7Days) }
        item { Text(pluralStringResource(R.plurals.streak_days, home.today.streakDays.toInt(), home.today.streakDays.toInt())) }
        items(home.today.entries, key = { it.id }) { row ->
            Text(shortTime(row.occurredAt) + " · " + row.preview, modifier = Modifier.padding(vertical = 4.dp))
        }
        home.nextSession?.let { next ->
            item { Heading(stringResource(R.string.next_session)) }
            item {
                Card(onClick = { go("course?appointment=${next.appointment.id}") }, modifier = Modifier.fillMaxWidth()) {
                    Column(Modifier.padding(16.dp)) {
                        Text(next.appointment.title, style = MaterialTheme.typography.titleMedium)
                        Text(next.localTime + " · " + next.appointment.place)
                    }
                }
            }
        }
        if (home.activeCare.isNotEmpty()) {
            item { Heading(stringResource(R.string.care_now)) }
            items(home.activeCare) { CareItemRow(it) }
        }
        if (home.promptsDue.isNotEmpty()) {
            item { Heading(stringResource(R.string.prompts)) }
            items(home.promptsDue, key = { it.id }) { prompt ->
                OutlinedButton(onClick = { go("prompts?prompt=${prompt.id}") }, modifier = TouchTarget.fillMaxWidth()) { Text(prompt.heading) }
            }
        }
        if (home.measuresDue.isNotEmpty()) {
            item { Heading(stringResource(R.string.check_ins_due)) }
            items(home.measuresDue) { due ->
                OutlinedButton(onClick = { go(Routes.assessment(due.instrument)) }, modifier = TouchTarget.fillMaxWidth()) {
                    Text(stringResource(if (due.instrument == Instrument.PHQ9) R.string.phq9 else R.string.gad7))
                }
            }
        }
        if (home.pendingShares > 0u) {
            item { Text(pluralStringResource(R.plurals.pending_shares, home.pendingShares.toInt(), home.pendingShares.toInt())) }
        }
        item {
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                listOf(
                    R.string.journal to Routes.JOURNAL, R.string.course to "course", R.string.progress to Routes.PROGRESS,
                    R.string.vitals to Routes.VITALS, R.string.safety_library to Routes.LIBRARY, R.string.safety_plan to Routes.SAFETY_PLAN,
                    R.string.sharing to Routes.SHARING, R.string.settings to Routes.SETTINGS,
                ).forEach { (label, route) ->
                    OutlinedButton(onClick = { go(route) }, modifier = TouchTarget) { Text(stringResource(label)) }
                }
            }
        }
    }
}

/** One thing to do around a dose, in the core's words, with its window when it has one. */
@Composable
fun CareItemRow(item: CareItem) {
    Column(Modifier.fillMaxWidth().padding(vertical = 4.dp)) {
        Text(item.title, style = MaterialTheme.typography.titleSmall)
        Text(item.detail)
        val from = item.from?.let { stringResource(R.string.from_time, shortTime(it)) }
        val until = item.until?.let { stringResource(R.string.until_time, shortTime(it)) }
        listOfNotNull(from, until).takeIf { it.isNotEmpty() }?.let { Text(it.joinToString(" "), style = MaterialTheme.typography.bodySmall) }
    }
}
