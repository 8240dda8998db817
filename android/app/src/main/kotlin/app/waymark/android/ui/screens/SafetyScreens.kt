package app.waymark.android.ui.screens

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.waymark.android.AppGraph
import app.waymark.android.R
import app.waymark.android.ui.Frame
import app.waymark.android.ui.Heading
import app.waymark.android.ui.HelpLines
import app.waymark.android.ui.Refusal
import app.waymark.android.ui.Routes
import app.waymark.android.ui.TouchTarget
import app.waymark.android.ui.screenModel
import app.waymark.android.ui.shareEvents
import app.waymark.shell.model.SafetySearchHit
import app.waymark.shell.screens.HelpNowHolder
import app.waymark.shell.screens.HelpNowState
import app.waymark.shell.screens.SafetyLibraryHolder
import app.waymark.shell.screens.SafetyLibraryState

@Composable
fun HelpNowRoute(graph: AppGraph, go: (String) -> Unit) {
    val model = screenModel("help-now") { HelpNowHolder(graph.profile, graph.device) }
    val state by model.holder.state.collectAsStateWithLifecycle()
    LaunchedEffect(Unit) { model.holder.load() }
    HelpNowScreen(state, openPlan = { go(Routes.SAFETY_PLAN) })
}

/** Help now: the lines first, nothing before them but their title. */
@Composable
fun HelpNowScreen(state: HelpNowState, openPlan: (() -> Unit)?) {
    Frame(state.help?.title ?: stringResource(R.string.help_now), onHelpNow = null) {
        state.help?.let { help -> item { HelpLines(help) } }
        item { Refusal(state.error) }
        if (openPlan != null) {
            item { OutlinedButton(onClick = openPlan, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.open_safety_plan)) } }
        }
    }
}

@Composable
fun SafetyLibraryRoute(graph: AppGraph, go: (String) -> Unit) {
    val model = screenModel("safety-library") { SafetyLibraryHolder(graph.profile, graph.device) }
    val state by model.holder.state.collectAsStateWithLifecycle()
    LaunchedEffect(Unit) { model.holder.load() }
    shareEvents(model.holder.events, go)
    SafetyLibraryScreen(
        state,
        search = { query -> model.act { search(query) } },
        openHit = { hit -> model.act { openHit(hit) } },
        openPage = { id -> model.act { openPage(id) } },
        closePage = { model.holder.closePage() },
        go = go,
    )
}

@Composable
fun SafetyLibraryScreen(
    state: SafetyLibraryState,
    search: (String) -> Unit,
    openHit: (SafetySearchHit) -> Unit,
    openPage: (String) -> Unit,
    closePage: () -> Unit,
    go: (String) -> Unit,
) {
    Frame(stringResource(R.string.safety_library), onHelpNow = { go(Routes.HELP_NOW) }) {
        val page = state.open
        if (page != null) {
            item { Heading(page.title) }
            item { Text(page.body) }
            item { Heading(stringResource(R.string.sources)) }
            items(page.sources) { source ->
                Text(listOfNotNull(source.reference, source.url, source.note).joinToString(" · "), style = MaterialTheme.typography.bodySmall)
            }
            item { TextButton(onClick = closePage, modifier = TouchTarget) { Text(stringResource(R.string.close)) } }
            return@Frame
        }
        item {
            OutlinedTextField(
                value = state.query, onValueChange = search, singleLine = true,
                label = { Text(stringResource(R.string.search_safety)) }, modifier = Modifier.fillMaxWidth(),
            )
        }
        item { Refusal(state.error) }
        val hits = state.hits
        if (hits != null) {
            items(hits) { hit -> TextButton(onClick = { openHit(hit) }, modifier = TouchTarget.fillMaxWidth()) { Text(hit.title) } }
            // Every result list offers help now.
            item { OutlinedButton(onClick = { go(Routes.HELP_NOW) }, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.help_now)) } }
            return@Frame
        }
        items(state.pages, key = { it.id }) { entry ->
            TextButton(onClick = { openPage(entry.id) }, modifier = TouchTarget.fillMaxWidth()) { Text(entry.title) }
        }
    }
}
