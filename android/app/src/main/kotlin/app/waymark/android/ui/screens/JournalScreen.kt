package app.waymark.android.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
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
import androidx.compose.ui.text.SpanStyle
import androidx.compose.ui.text.buildAnnotatedString
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.text.withStyle
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
import app.waymark.shell.model.JournalRow
import app.waymark.shell.model.SnippetPart
import app.waymark.shell.screens.JournalHolder
import app.waymark.shell.screens.JournalState

@Composable
fun JournalRoute(graph: AppGraph, go: (String) -> Unit) {
    val model = screenModel("journal") { JournalHolder(graph.profile) }
    val state by model.holder.state.collectAsStateWithLifecycle()
    LaunchedEffect(Unit) { model.holder.load() }
    JournalScreen(
        state,
        search = { query -> model.act { search(query) } },
        more = { model.act { more() } },
        openEntry = { id -> model.act { openEntry(id) } },
        close = { model.holder.closeEntry() },
        edit = { id -> go(Routes.checkIn(id)) },
        delete = { id -> model.act { delete(id) } },
        undo = { model.act { undo() } },
    )
}

@Composable
fun JournalScreen(
    state: JournalState,
    search: (String) -> Unit,
    more: () -> Unit,
    openEntry: (String) -> Unit,
    close: () -> Unit,
    edit: (String) -> Unit,
    delete: (String) -> Unit,
    undo: () -> Unit,
) {
    Frame(stringResource(R.string.journal), onHelpNow = null) {
        item {
            OutlinedTextField(
                value = state.query, onValueChange = search, singleLine = true,
                label = { Text(stringResource(R.string.search_journal)) }, modifier = Modifier.fillMaxWidth(),
            )
        }
        item { Refusal(state.error) }
        if (state.undoable != null) {
            item { TextButton(onClick = undo, modifier = TouchTarget) { Text(stringResource(R.string.undo_delete)) } }
        }
        val entry = state.open
        if (entry != null) {
            item { Heading(shortTime(entry.occurredAt)) }
            item { Text(entry.text) }
            item {
                Row {
                    TextButton(onClick = { edit(entry.id) }, modifier = TouchTarget) { Text(stringResource(R.string.edit)) }
                    TextButton(onClick = { delete(entry.id) }, modifier = TouchTarget) { Text(stringResource(R.string.delete)) }
                    TextButton(onClick = close, modifier = TouchTarget) { Text(stringResource(R.string.close)) }
                }
            }
            return@Frame
        }
        val hits = state.hits
        if (hits != null) {
            if (hits.isEmpty()) item { Text(stringResource(R.string.no_results)) }
            items(hits, key = { it.entry.id }) { hit -> Entry(hit.entry, openEntry) { Snippet(hit.snippet) } }
            return@Frame
        }
        items(state.rows, key = { it.id }) { row -> Entry(row, openEntry) { Text(row.preview) } }
        if (state.nextCursor != null) {
            item { OutlinedButton(onClick = more, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.older_entries)) } }
        }
    }
}

@Composable
private fun Entry(row: JournalRow, onOpen: (String) -> Unit, body: @Composable () -> Unit) {
    Column(TouchTarget.fillMaxWidth().clickable { onOpen(row.id) }.padding(vertical = 8.dp)) {
        Text(shortTime(row.occurredAt), style = MaterialTheme.typography.labelMedium)
        body()
    }
}

/** The core's snippet, its matched words in bold. */
@Composable
private fun Snippet(parts: List<SnippetPart>) {
    Text(
        buildAnnotatedString {
            parts.forEach { part ->
                if (part.highlighted) {
                    withStyle(SpanStyle(fontWeight = FontWeight.Bold)) { append(part.text) }
                } else {
                    append(part.text)
                }
            }
        },
    )
}
