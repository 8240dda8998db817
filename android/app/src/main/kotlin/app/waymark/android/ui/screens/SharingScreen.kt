package app.waymark.android.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import android.webkit.WebView
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
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
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.compose.ui.viewinterop.AndroidView
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.waymark.android.AppGraph
import app.waymark.android.R
import app.waymark.android.ui.Frame
import app.waymark.android.ui.Heading
import app.waymark.android.ui.Refusal
import app.waymark.android.ui.TouchTarget
import app.waymark.android.ui.screenModel
import app.waymark.android.ui.shortTime
import app.waymark.android.work.Work
import app.waymark.shell.model.ShareScope
import app.waymark.shell.screens.SharingHolder
import app.waymark.shell.screens.SharingState
import com.google.mlkit.vision.barcode.common.Barcode
import com.google.mlkit.vision.codescanner.GmsBarcodeScannerOptions
import com.google.mlkit.vision.codescanner.GmsBarcodeScanning

@Composable
fun SharingRoute(graph: AppGraph) {
    val context = LocalContext.current
    val model = screenModel("sharing") { SharingHolder(graph.profile, graph.device, graph.transport, graph.planChanged) }
    val state by model.holder.state.collectAsStateWithLifecycle()
    LaunchedEffect(Unit) { model.holder.load() }
    SharingScreen(
        state,
        scan = {
            // The system's code scanner: Waymark itself never sees the camera.
            val options = GmsBarcodeScannerOptions.Builder().setBarcodeFormats(Barcode.FORMAT_QR_CODE).build()
            GmsBarcodeScanning.getClient(context, options).startScan()
                .addOnSuccessListener { code -> code.rawValue?.let { value -> model.act { pair(value) } } }
        },
        pair = { code -> model.act { pair(code) } },
        choose = { from, to, scopes -> model.holder.choose(from, to, scopes) },
        preview = { model.act { preview() } },
        share = {
            model.act { share() }
            // If the network is not there now, the summary goes when it is back.
            Work.syncSoon(context)
        },
        syncNow = { model.act { syncNow() } },
        retry = { id -> model.act { retry(id) } },
        unpair = { model.act { unpair() } },
    )
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
fun SharingScreen(
    state: SharingState,
    scan: () -> Unit,
    pair: (String) -> Unit,
    choose: (String, String, Set<ShareScope>) -> Unit,
    preview: () -> Unit,
    share: () -> Unit,
    syncNow: () -> Unit,
    retry: (String) -> Unit,
    unpair: () -> Unit,
) {
    Frame(stringResource(R.string.sharing), onHelpNow = null) {
        item { Refusal(state.error) }
        val channels = state.status?.channels.orEmpty().filter { it.channel.revokedAt == null }
        if (channels.isEmpty()) {
            item { Heading(stringResource(R.string.pair_title)) }
            item { Text(stringResource(R.string.pair_explained)) }
            item { Button(onClick = scan, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.scan_code)) } }
            item {
                var typed by rememberSaveable { mutableStateOf("") }
                OutlinedTextField(value = typed, onValueChange = { typed = it }, label = { Text(stringResource(R.string.type_code)) }, modifier = Modifier.fillMaxWidth())
                TextButton(onClick = { pair(typed) }, modifier = TouchTarget) { Text(stringResource(R.string.pair)) }
            }
            return@Frame
        }
        items(channels, key = { it.channel.id }) { status ->
            Text(stringResource(R.string.paired_with, status.channel.label), style = MaterialTheme.typography.titleMedium)
            status.lastSuccessAt?.let { Text(stringResource(R.string.last_sync, shortTime(it))) }
            status.lastError?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            if (status.pending > 0u) Text(stringResource(R.string.waiting_to_send, status.pending.toInt()))
            status.failed.forEach { failed ->
                TextButton(onClick = { retry(failed.id) }, modifier = TouchTarget) { Text(stringResource(R.string.retry_message, failed.error)) }
            }
            status.held.forEach { held -> Text(held.reason, style = MaterialTheme.typography.bodySmall) }
        }
        item { Heading(stringResource(R.string.what_to_share)) }
        item {
            OutlinedTextField(value = state.from, onValueChange = { choose(it, state.to, state.scopes) }, label = { Text(stringResource(R.string.from_date)) })
            OutlinedTextField(value = state.to, onValueChange = { choose(state.from, it, state.scopes) }, label = { Text(stringResource(R.string.to_date)) })
        }
        item {
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                listOf(
                    ShareScope.MOOD to R.string.scope_mood, ShareScope.MEASURES to R.string.scope_measures,
                    ShareScope.SESSIONS to R.string.scope_sessions, ShareScope.SAFETY to R.string.scope_safety,
                    ShareScope.NOTES to R.string.scope_notes,
                ).forEach { (scope, label) ->
                    val chosen = scope in state.scopes
                    FilterChip(
                        selected = chosen,
                        onClick = { choose(state.from, state.to, if (chosen) state.scopes - scope else state.scopes + scope) },
                        label = { Text(stringResource(label)) },
                        modifier = TouchTarget,
                    )
                }
            }
        }
        item { OutlinedButton(onClick = preview, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.preview)) } }
        state.preview?.let { forms ->
            item { ReportPreview(forms.html) }
            item { Text(forms.nobodyIsTold) }
            item { Button(onClick = share, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.send_summary)) } }
        }
        state.shared?.let { item { Text(stringResource(R.string.summary_queued)) } }
        item { OutlinedButton(onClick = syncNow, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.sync_now)) } }
        state.lastSync?.let { report -> item { Text(stringResource(R.string.sync_report, report.uploaded.toInt(), report.received.toInt())) } }
        item { TextButton(onClick = unpair, modifier = TouchTarget) { Text(stringResource(R.string.unpair)) } }
    }
}

/** The report as the therapist will read it: no JavaScript, no network, nothing but the page. */
@Composable
private fun ReportPreview(html: String) {
    AndroidView(
        factory = { context ->
            WebView(context).apply {
                settings.javaScriptEnabled = false
                settings.blockNetworkLoads = true
                settings.allowFileAccess = false
                settings.allowContentAccess = false
            }
        },
        update = { view -> view.loadDataWithBaseURL(null, html, "text/html", "utf-8", null) },
        modifier = Modifier.fillMaxWidth().height(480.dp),
    )
}
