package app.waymark.android.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.foundation.text.KeyboardOptions
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.waymark.android.AppGraph
import app.waymark.android.R
import app.waymark.android.ui.Frame
import app.waymark.android.ui.Heading
import app.waymark.android.ui.Refusal
import app.waymark.android.ui.TouchTarget
import app.waymark.android.ui.screenModel
import app.waymark.shell.model.EmotionLabel
import app.waymark.shell.model.LifeArea
import app.waymark.shell.screens.CheckInHolder
import app.waymark.shell.screens.CheckInState

@Composable
fun CheckInRoute(graph: AppGraph, entry: String?, done: () -> Unit) {
    val model = screenModel("check-in:$entry") { CheckInHolder(graph.profile, graph.device, graph.planChanged) }
    val state by model.holder.state.collectAsStateWithLifecycle()
    LaunchedEffect(entry) {
        if (model.holder.state.value.vocabulary == null) {
            if (entry == null) model.holder.load() else model.holder.loadEntry(entry)
        }
    }
    LaunchedEffect(state.saved) { if (state.saved != null) done() }
    CheckInScreen(
        state,
        edit = { change -> model.holder.edit(change) },
        toggleLabel = { model.holder.toggle(it) },
        toggleArea = { model.holder.toggle(it) },
        save = { model.act { save() } },
    )
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
fun CheckInScreen(
    state: CheckInState,
    edit: ((CheckInState) -> CheckInState) -> Unit,
    toggleLabel: (EmotionLabel) -> Unit,
    toggleArea: (LifeArea) -> Unit,
    save: () -> Unit,
) {
    Frame(stringResource(R.string.check_in), onHelpNow = null) {
        val vocabulary = state.vocabulary
        item { Heading(stringResource(R.string.how_are_you)) }
        if (vocabulary != null) {
            item {
                // The core's scale, very unpleasant to very pleasant, each step a chip with its name.
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    vocabulary.valences.forEach { step ->
                        FilterChip(
                            selected = state.valence == step.valence,
                            onClick = { edit { it.copy(valence = step.valence) } },
                            label = { Text(step.name) },
                            modifier = TouchTarget,
                        )
                    }
                }
            }
        }
        if (vocabulary != null) {
            item { Heading(stringResource(R.string.feelings)) }
            item {
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    vocabulary.labels.forEach { label ->
                        FilterChip(selected = label.label in state.labels, onClick = { toggleLabel(label.label) }, label = { Text(label.name) }, modifier = TouchTarget)
                    }
                }
            }
            item { Heading(stringResource(R.string.life_areas)) }
            item {
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    vocabulary.areas.forEach { area ->
                        FilterChip(selected = area.area in state.areas, onClick = { toggleArea(area.area) }, label = { Text(area.name) }, modifier = TouchTarget)
                    }
                }
            }
        }
        item {
            OutlinedTextField(
                value = state.sleepHours?.toString() ?: "",
                onValueChange = { typed -> edit { it.copy(sleepHours = typed.toDoubleOrNull()) } },
                label = { Text(stringResource(R.string.sleep_hours)) },
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Decimal),
                modifier = Modifier.fillMaxWidth(),
            )
        }
        item {
            OutlinedTextField(
                value = state.text,
                onValueChange = { typed -> edit { it.copy(text = typed) } },
                label = { Text(stringResource(R.string.write_freely)) },
                minLines = 4,
                modifier = Modifier.fillMaxWidth(),
            )
        }
        item {
            Row {
                Text(stringResource(R.string.share_with_therapist), modifier = Modifier.weight(1f))
                Switch(checked = state.shared, onCheckedChange = { shared -> edit { it.copy(shared = shared) } })
            }
        }
        item { Refusal(state.error) }
        item {
            Button(onClick = save, enabled = state.canSave, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.save)) }
        }
    }
}
