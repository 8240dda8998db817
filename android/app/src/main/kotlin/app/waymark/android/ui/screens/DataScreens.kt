package app.waymark.android.ui.screens

import android.net.Uri
import android.provider.DocumentsContract
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.waymark.android.AppGraph
import app.waymark.android.R
import app.waymark.android.files.Documents
import app.waymark.android.ui.Frame
import app.waymark.android.ui.Heading
import app.waymark.android.ui.Refusal
import app.waymark.android.ui.TouchTarget
import app.waymark.android.ui.screenModel
import app.waymark.shell.model.ExportFormat
import app.waymark.shell.screens.BackupHolder
import app.waymark.shell.screens.EraseHolder
import app.waymark.shell.screens.ExportHolder
import app.waymark.shell.screens.ImportHolder
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

/** Waymark's own backup: to a file the patient picks, under a passphrase; and back. */
@Composable
fun BackupRoute(graph: AppGraph) {
    val context = LocalContext.current
    val model = screenModel("backup") { BackupHolder(graph.profile, graph.reminders) }
    val state by model.holder.state.collectAsStateWithLifecycle()
    var passphrase by remember { mutableStateOf("") }
    var problem by remember { mutableStateOf<String?>(null) }
    val files = context.applicationContext
    // In the ViewModel's scope: a restore that opens the profile must finish (and set its reminders)
    // even though this screen leaves as it does. A file the picker cannot open is said, not a crash.
    val create = rememberLauncherForActivityResult(ActivityResultContracts.CreateDocument("application/octet-stream")) { uri: Uri? ->
        if (uri != null) model.act { problem = runCatching { Documents.toPicked(files, uri) { file -> backup(file, passphrase) } }.exceptionOrNull()?.message }
    }
    val pick = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocument()) { uri: Uri? ->
        if (uri != null) model.act { problem = runCatching { Documents.fromPicked(files, uri) { file -> restore(file, passphrase) } }.exceptionOrNull()?.message }
    }
    Frame(stringResource(R.string.backup), onHelpNow = null) {
        item { Text(stringResource(R.string.backup_explained)) }
        item {
            OutlinedTextField(
                value = passphrase, onValueChange = { passphrase = it }, singleLine = true,
                visualTransformation = PasswordVisualTransformation(),
                label = { Text(stringResource(R.string.passphrase)) }, modifier = Modifier.fillMaxWidth(),
            )
        }
        item { Refusal(problem ?: state.error) }
        item {
            Button(onClick = { create.launch("waymark.backup") }, enabled = !state.busy, modifier = TouchTarget.fillMaxWidth()) {
                Text(stringResource(R.string.create_backup))
            }
        }
        state.written?.let { item { Text(stringResource(R.string.backup_written)) } }
        item { Heading(stringResource(R.string.restore)) }
        item { Text(stringResource(R.string.restore_explained)) }
        item {
            OutlinedButton(onClick = { pick.launch(arrayOf("*/*")) }, enabled = !state.busy, modifier = TouchTarget.fillMaxWidth()) {
                Text(stringResource(R.string.restore_backup))
            }
        }
        state.restored?.let { report ->
            item { Text(stringResource(R.string.restored, report.checkins.toInt(), report.assessments.toInt(), report.appointments.toInt())) }
        }
    }
}

/** A Daylio export, previewed before anything is written, and a clinic's calendar file. */
@Composable
fun ImportRoute(graph: AppGraph) {
    val files = LocalContext.current.applicationContext
    val model = screenModel("import") { ImportHolder(graph.profile, graph.device, graph.planChanged) }
    val state by model.holder.state.collectAsStateWithLifecycle()
    var problem by remember { mutableStateOf<String?>(null) }
    fun read(uri: Uri?, then: suspend ImportHolder.(String) -> Unit) {
        if (uri == null) return
        model.act {
            val text = runCatching { Documents.readText(files, uri) }
            problem = text.exceptionOrNull()?.message
            text.getOrNull()?.let { then(it) }
        }
    }
    val daylio = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocument()) { uri -> read(uri) { previewDaylio(it) } }
    val calendar = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocument()) { uri -> read(uri) { importCalendar(it) } }
    Frame(stringResource(R.string.import_title), onHelpNow = null) {
        item { Refusal(problem ?: state.error) }
        item { Button(onClick = { daylio.launch(arrayOf("text/*")) }, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.import_daylio)) } }
        state.daylio?.let { preview ->
            item { Text(stringResource(R.string.daylio_preview, preview.entries.toInt(), preview.alreadyImported.toInt())) }
            if (preview.unmapped.isNotEmpty()) item { Text(stringResource(R.string.daylio_unmapped, preview.unmapped.joinToString())) }
            items(preview.sample) { entry -> Text(entry.local + " · " + entry.mood + " · " + entry.text) }
            item {
                Button(onClick = { model.act { importDaylio() } }, modifier = TouchTarget.fillMaxWidth()) {
                    Text(stringResource(R.string.import_now))
                }
            }
        }
        state.imported?.let { result -> item { Text(stringResource(R.string.imported, result.added.toInt(), result.skipped.toInt())) } }
        item {
            OutlinedButton(onClick = { calendar.launch(arrayOf("text/calendar", "text/*")) }, modifier = TouchTarget.fillMaxWidth()) {
                Text(stringResource(R.string.import_calendar))
            }
        }
        state.calendar?.let { report ->
            item { Text(stringResource(R.string.calendar_imported, report.added.toInt(), report.updated.toInt(), report.cancelled.toInt())) }
        }
    }
}

/** Everything as JSON or CSV, into a folder the patient picks. */
@Composable
fun ExportRoute(graph: AppGraph) {
    val context = LocalContext.current
    val model = screenModel("export") { ExportHolder(graph.profile) }
    val state by model.holder.state.collectAsStateWithLifecycle()
    var format by remember { mutableStateOf(ExportFormat.JSON) }
    var saved by remember { mutableStateOf(false) }
    var problem by remember { mutableStateOf<String?>(null) }
    val resolver = context.applicationContext.contentResolver
    val folder = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocumentTree()) { uri ->
        if (uri == null) return@rememberLauncherForActivityResult
        model.act {
            saved = false
            export(format)
            if (state.value.error != null) return@act
            val written = runCatching {
                val parent = DocumentsContract.buildDocumentUriUsingTree(uri, DocumentsContract.getTreeDocumentId(uri))
                val type = if (format == ExportFormat.CSV) "text/csv" else "application/json"
                withContext(Dispatchers.IO) {
                    state.value.files.forEach { file ->
                        val target = requireNotNull(DocumentsContract.createDocument(resolver, parent, type, file.name)) { "cannot create ${file.name}" }
                        requireNotNull(resolver.openOutputStream(target)).use { it.write(file.content.toByteArray()) }
                    }
                }
            }
            problem = written.exceptionOrNull()?.message
            saved = written.isSuccess
        }
    }
    Frame(stringResource(R.string.export_title), onHelpNow = null) {
        item { Text(stringResource(R.string.export_explained)) }
        item { Refusal(problem ?: state.error) }
        item { Button(onClick = { format = ExportFormat.JSON; folder.launch(null) }, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.export_json)) } }
        item { OutlinedButton(onClick = { format = ExportFormat.CSV; folder.launch(null) }, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.export_csv)) } }
        if (saved) item { Text(stringResource(R.string.export_saved, state.files.size)) }
    }
}

/** Erase: only after the patient types the word the screen shows. */
@Composable
fun EraseRoute(graph: AppGraph) {
    val word = stringResource(R.string.erase_word)
    val model = screenModel("erase") { EraseHolder(graph.profile, graph.reminders, word) }
    val state by model.holder.state.collectAsStateWithLifecycle()
    Frame(stringResource(R.string.erase_title), onHelpNow = null) {
        item { Text(stringResource(R.string.erase_explained, word)) }
        item {
            OutlinedTextField(value = state.typed, onValueChange = { model.holder.type(it) }, singleLine = true, modifier = Modifier.fillMaxWidth())
        }
        item { Refusal(state.error) }
        item {
            Button(onClick = { model.act { erase() } }, enabled = state.confirms(word), modifier = TouchTarget.fillMaxWidth()) {
                Text(stringResource(R.string.erase_everything))
            }
        }
    }
}
