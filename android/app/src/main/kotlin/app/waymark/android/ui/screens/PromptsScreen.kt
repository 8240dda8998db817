package app.waymark.android.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
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
import app.waymark.android.ui.Refusal
import app.waymark.android.ui.TouchTarget
import app.waymark.android.ui.screenModel
import app.waymark.shell.model.DuePrompt
import app.waymark.shell.model.ValenceName
import app.waymark.shell.screens.PromptsHolder
import app.waymark.shell.screens.PromptsState

@Composable
fun PromptsRoute(graph: AppGraph, prompt: String?) {
    val model = screenModel("prompts") { PromptsHolder(graph.profile, graph.device, graph.planChanged) }
    val state by model.holder.state.collectAsStateWithLifecycle()
    LaunchedEffect(Unit) { model.holder.load() }
    PromptsScreen(state, focused = prompt) { id, text, valence, shared -> model.act { answer(id, text, valence, shared) } }
}

@Composable
fun PromptsScreen(state: PromptsState, focused: String?, answer: (String, String, Int, Boolean) -> Unit) {
    Frame(stringResource(R.string.prompts), onHelpNow = null) {
        item { Refusal(state.error) }
        if (state.answered != null) item { Text(stringResource(R.string.answer_saved)) }
        if (state.due.isEmpty()) item { Text(stringResource(R.string.no_prompts)) }
        items(state.due.sortedByDescending { it.id == focused }, key = { it.id }) { prompt -> Prompt(prompt, state.valences, answer) }
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun Prompt(prompt: DuePrompt, valences: List<ValenceName>, answer: (String, String, Int, Boolean) -> Unit) {
    var text by rememberSaveable(prompt.id) { mutableStateOf("") }
    var valence by rememberSaveable(prompt.id) { mutableStateOf<Int?>(null) }
    var shared by rememberSaveable(prompt.id) { mutableStateOf(false) }
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp)) {
            Text(prompt.heading, style = MaterialTheme.typography.titleMedium)
            Text(prompt.text)
            OutlinedTextField(value = text, onValueChange = { text = it }, minLines = 3, modifier = Modifier.fillMaxWidth())
            Row {
                Text(stringResource(R.string.share_with_therapist), modifier = Modifier.weight(1f))
                Switch(checked = shared, onCheckedChange = { shared = it })
            }
            Text(stringResource(R.string.how_are_you))
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                valences.forEach { step ->
                    FilterChip(selected = valence == step.valence, onClick = { valence = step.valence }, label = { Text(step.name) }, modifier = TouchTarget)
                }
            }
            val picked = valence
            Button(onClick = { if (picked != null) answer(prompt.id, text, picked, shared) }, enabled = picked != null, modifier = TouchTarget) {
                Text(stringResource(R.string.save))
            }
        }
    }
}
