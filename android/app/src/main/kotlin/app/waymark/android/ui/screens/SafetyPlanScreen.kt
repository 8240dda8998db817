package app.waymark.android.ui.screens

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
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
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.waymark.android.AppGraph
import app.waymark.android.R
import app.waymark.android.ui.Frame
import app.waymark.android.ui.Heading
import app.waymark.android.ui.HelpLineList
import app.waymark.android.ui.Refusal
import app.waymark.android.ui.TouchTarget
import app.waymark.android.ui.screenModel
import app.waymark.android.ui.shareEvents
import app.waymark.shell.model.SafetyPlanSection
import app.waymark.shell.model.SafetyPlanStep
import app.waymark.shell.screens.SafetyPlanHolder
import app.waymark.shell.screens.SafetyPlanState

@Composable
fun SafetyPlanRoute(graph: AppGraph) {
    val model = screenModel("safety-plan") { SafetyPlanHolder(graph.profile) }
    val state by model.holder.state.collectAsStateWithLifecycle()
    LaunchedEffect(Unit) { model.holder.load() }
    shareEvents(model.holder.events)
    SafetyPlanScreen(
        state,
        add = { step, text -> model.act { add(step, text) } },
        remove = { id -> model.act { remove(id) } },
        moveUp = { id, index -> model.act { move(id, index) } },
        export = { model.act { export() } },
    )
}

@Composable
fun SafetyPlanScreen(
    state: SafetyPlanState,
    add: (SafetyPlanStep, String) -> Unit,
    remove: (String) -> Unit,
    moveUp: (String, UInt) -> Unit,
    export: () -> Unit,
) {
    val plan = state.plan
    Frame(plan?.title ?: stringResource(R.string.safety_plan), onHelpNow = null) {
        item { Refusal(state.error) }
        if (plan == null) return@Frame
        items(plan.sections, key = { it.step.name }) { section -> Section(section, add, remove, moveUp) }
        item { Heading(plan.reasonTitle) }
        plan.reason?.let { item { Text(it) } }
        item { OutlinedButton(onClick = export, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.share_plan)) } }
        item { Text(plan.source, style = MaterialTheme.typography.labelSmall) }
    }
}

@Composable
private fun Section(section: SafetyPlanSection, add: (SafetyPlanStep, String) -> Unit, remove: (String) -> Unit, moveUp: (String, UInt) -> Unit) {
    var draft by rememberSaveable(section.step.name) { mutableStateOf("") }
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp)) {
            Text(stringResource(R.string.plan_step, section.number.toInt(), section.title), style = MaterialTheme.typography.titleMedium)
            section.hint?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
            section.items.forEachIndexed { index, item ->
                Row {
                    Text(item.text, modifier = Modifier.weight(1f).padding(top = 12.dp))
                    if (index > 0) TextButton(onClick = { moveUp(item.id, (index - 1).toUInt()) }, modifier = TouchTarget) { Text(stringResource(R.string.move_up)) }
                    TextButton(onClick = { remove(item.id) }, modifier = TouchTarget) { Text(stringResource(R.string.remove)) }
                }
            }
            HelpLineList(section.suggestedLines)
            OutlinedTextField(value = draft, onValueChange = { draft = it }, modifier = Modifier.fillMaxWidth())
            TextButton(onClick = { add(section.step, draft); draft = "" }, modifier = TouchTarget) { Text(stringResource(R.string.add)) }
        }
    }
}
