package app.waymark.android.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.foundation.layout.Row
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.waymark.android.AppGraph
import app.waymark.android.R
import app.waymark.android.ui.Frame
import app.waymark.android.ui.Heading
import app.waymark.android.ui.HelpCard
import app.waymark.android.ui.HelpLines
import app.waymark.android.ui.Refusal
import app.waymark.android.ui.Routes
import app.waymark.android.ui.TouchTarget
import app.waymark.android.ui.screenModel
import app.waymark.shell.model.Instrument
import app.waymark.shell.model.Severity
import app.waymark.shell.screens.AssessmentHolder
import app.waymark.shell.screens.AssessmentState

@Composable
fun AssessmentRoute(graph: AppGraph, instrument: Instrument, go: (String) -> Unit) {
    val model = screenModel("assessment:${instrument.name}") { AssessmentHolder(graph.profile, graph.device, graph.planChanged, instrument) }
    val state by model.holder.state.collectAsStateWithLifecycle()
    // Loaded once: a rotation or a return from the safety plan keeps the answers and the help card.
    LaunchedEffect(instrument) { if (model.holder.state.value.form == null) model.holder.load() }
    AssessmentScreen(
        state,
        answer = { item, value -> model.holder.answer(item, value) },
        decline = { item -> model.holder.decline(item) },
        submit = { model.act { submit() } },
        go = go,
    )
}

@Composable
fun AssessmentScreen(
    state: AssessmentState,
    answer: (Int, UInt) -> Unit,
    decline: (Int) -> Unit,
    submit: () -> Unit,
    go: (String) -> Unit,
) {
    val form = state.form
    Frame(form?.title ?: "", onHelpNow = { go(Routes.HELP_NOW) }) {
        // Help first: the alert's card, or the bundled lines when the result could not be kept.
        state.result?.safetyAlert?.let { alert -> item { HelpCard(alert, onSafetyPlan = { go(Routes.SAFETY_PLAN) }) } }
        state.unsavedHelp?.let { help -> item { HelpLines(help) } }
        state.result?.let { result ->
            item { Heading(stringResource(R.string.your_result)) }
            item { Text(stringResource(R.string.total_score, result.total.toInt())) }
            result.severity?.let { severity -> item { Text(stringResource(severityName(severity))) } }
        }
        item { Refusal(state.error) }
        if (form == null || state.result != null) return@Frame
        item { Text(form.question) }
        form.items.forEachIndexed { index, question ->
            item {
                Column(Modifier.fillMaxWidth().selectableGroup(), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                    Text(question.text, style = MaterialTheme.typography.titleSmall)
                    form.options.forEach { option ->
                        Choice(option.label, state.chosen(index) == option.value) { answer(index, option.value) }
                    }
                    if (question.allowsPreferNotToAnswer) {
                        Choice(stringResource(R.string.prefer_not_to_answer), state.declined(index)) {
                            decline(index)
                        }
                    }
                }
            }
        }
        item { Button(onClick = submit, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.save)) } }
        item { Text(form.source, style = MaterialTheme.typography.labelSmall) }
    }
}

@Composable
private fun Choice(label: String, selected: Boolean, onClick: () -> Unit) {
    Row(
        TouchTarget.fillMaxWidth().selectable(selected = selected, onClick = onClick, role = Role.RadioButton).padding(horizontal = 4.dp),
        verticalAlignment = Alignment.CenterVertically,
    ) {
        RadioButton(selected = selected, onClick = null)
        Text(label, modifier = Modifier.padding(start = 8.dp))
    }
}

/** A severity band's name, as the form's source names it. */
fun severityName(severity: Severity): Int = when (severity) {
    Severity.MINIMAL -> R.string.severity_minimal
    Severity.MILD -> R.string.severity_mild
    Severity.MODERATE -> R.string.severity_moderate
    Severity.MODERATELY_SEVERE -> R.string.severity_moderately_severe
    Severity.SEVERE -> R.string.severity_severe
}
