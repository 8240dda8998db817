package app.waymark.android.ui.screens

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.KeyboardType
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.waymark.android.AppGraph
import app.waymark.android.R
import app.waymark.android.ui.Frame
import app.waymark.android.ui.Heading
import app.waymark.android.ui.Refusal
import app.waymark.android.ui.TouchTarget
import app.waymark.android.ui.screenModel
import app.waymark.shell.screens.VitalsHolder
import app.waymark.shell.screens.VitalsState

@Composable
fun VitalsRoute(graph: AppGraph) {
    val model = screenModel("vitals") { VitalsHolder(graph.profile, graph.device) }
    val state by model.holder.state.collectAsStateWithLifecycle()
    VitalsScreen(state, edit = { model.holder.edit(it) }, save = { model.act { save() } })
}

@Composable
fun VitalsScreen(state: VitalsState, edit: ((VitalsState) -> VitalsState) -> Unit, save: () -> Unit) {
    Frame(stringResource(R.string.vitals), onHelpNow = null) {
        item { Number(R.string.systolic, state.systolic) { value -> edit { it.copy(systolic = value) } } }
        item { Number(R.string.diastolic, state.diastolic) { value -> edit { it.copy(diastolic = value) } } }
        item { Number(R.string.heart_rate, state.heartRate) { value -> edit { it.copy(heartRate = value) } } }
        item { Refusal(state.error) }
        item { Button(onClick = save, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.save)) } }
        state.saved?.flag?.let { flag ->
            item {
                Card(Modifier.fillMaxWidth()) {
                    Heading(flag.title)
                    Text(flag.message)
                    Text(flag.source)
                }
            }
        }
    }
}

@Composable
private fun Number(label: Int, value: Int?, change: (Int?) -> Unit) {
    OutlinedTextField(
        value = value?.toString() ?: "",
        onValueChange = { change(it.toIntOrNull()) },
        label = { Text(stringResource(label)) },
        singleLine = true,
        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Number),
        modifier = Modifier.fillMaxWidth(),
    )
}
