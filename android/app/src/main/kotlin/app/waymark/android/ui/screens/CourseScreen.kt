package app.waymark.android.ui.screens

import android.Manifest
import android.content.Intent
import android.content.pm.PackageManager
import android.net.Uri
import android.os.Build
import android.provider.Settings
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.Checkbox
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.core.content.ContextCompat
import androidx.lifecycle.compose.LifecycleResumeEffect
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.waymark.android.AppGraph
import app.waymark.android.R
import app.waymark.android.ui.Frame
import app.waymark.android.ui.Heading
import app.waymark.android.ui.Refusal
import app.waymark.android.ui.Routes
import app.waymark.android.ui.TouchTarget
import app.waymark.android.ui.screenModel
import app.waymark.android.ui.shareEvents
import app.waymark.shell.model.AppointmentStatus
import app.waymark.shell.model.AppointmentView
import app.waymark.shell.model.CourseTemplate
import app.waymark.shell.screens.CourseHolder
import app.waymark.shell.screens.CourseState

@Composable
fun CourseRoute(graph: AppGraph, appointment: String?, go: (String) -> Unit) {
    val model = screenModel("course") { CourseHolder(graph.profile, graph.device, graph.planChanged) }
    val state by model.holder.state.collectAsStateWithLifecycle()
    LaunchedEffect(Unit) { model.holder.load() }
    shareEvents(model.holder.events)
    CourseScreen(
        state,
        focused = appointment,
        exactAllowed = exactAlarmsAllowed(graph),
        start = { template, first -> model.act { start(template, first) } },
        check = { id, item, checked -> model.act { check(id, item, checked) } },
        done = { id -> model.act { done(id) } },
        cancel = { id -> model.act { cancel(id) } },
        exportCalendar = { model.act { exportCalendar() } },
        go = go,
    )
}

@Composable
fun CourseScreen(
    state: CourseState,
    focused: String?,
    exactAllowed: Boolean,
    start: (CourseTemplate, String) -> Unit,
    check: (String, app.waymark.shell.model.CareItemKind, Boolean) -> Unit,
    done: (String) -> Unit,
    cancel: (String) -> Unit,
    exportCalendar: () -> Unit,
    go: (String) -> Unit,
) {
    Frame(stringResource(R.string.course), onHelpNow = { go(Routes.HELP_NOW) }) {
        item { Refusal(state.error) }
        item { ReminderPermissions(exactAllowed) }
        val overview = state.overview ?: return@Frame
        val course = overview.course
        if (course == null) {
            item { StartCourse(start) }
            return@Frame
        }
        item { Heading(course.title) }
        overview.ending?.let { ending -> item { Text(ending.message + " " + ending.clinicNote) } }
        val upcoming = overview.upcoming.sortedByDescending { it.appointment.id == focused }
        items(upcoming, key = { it.appointment.id }) { view -> Session(view, check, done, cancel) }
        if (overview.past.isNotEmpty()) {
            item { Heading(stringResource(R.string.past_sessions)) }
            items(overview.past, key = { it.appointment.id }) { view -> Text(view.localTime + " · " + view.appointment.title) }
        }
        item { OutlinedButton(onClick = exportCalendar, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.export_calendar)) } }
        item { OutlinedButton(onClick = { go(Routes.IMPORT) }, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(R.string.import_calendar)) } }
    }
}

@Composable
private fun Session(
    view: AppointmentView,
    check: (String, app.waymark.shell.model.CareItemKind, Boolean) -> Unit,
    done: (String) -> Unit,
    cancel: (String) -> Unit,
) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp)) {
            Text(view.appointment.title, style = MaterialTheme.typography.titleMedium)
            Text(view.localTime + " · " + view.appointment.place)
            view.care.forEach { item ->
                Row(TouchTarget.fillMaxWidth(), verticalAlignment = Alignment.CenterVertically) {
                    Checkbox(checked = item.checked, onCheckedChange = { check(view.appointment.id, item.kind, it) })
                    Column { CareItemRow(item) }
                }
            }
            if (view.appointment.status == AppointmentStatus.SCHEDULED) {
                Row {
                    TextButton(onClick = { done(view.appointment.id) }, modifier = TouchTarget) { Text(stringResource(R.string.mark_done)) }
                    TextButton(onClick = { cancel(view.appointment.id) }, modifier = TouchTarget) { Text(stringResource(R.string.cancel_session)) }
                }
            }
        }
    }
}

/** The first session's local time as the clinic gave it; the core checks it and plans the course. */
@Composable
private fun StartCourse(start: (CourseTemplate, String) -> Unit) {
    var first by remember { mutableStateOf("") }
    Column {
        Heading(stringResource(R.string.start_course))
        OutlinedTextField(
            value = first, onValueChange = { first = it }, singleLine = true,
            label = { Text(stringResource(R.string.first_session_hint)) }, modifier = Modifier.fillMaxWidth(),
        )
        listOf(
            CourseTemplate.IV_INDUCTION to R.string.template_iv, CourseTemplate.ESKETAMINE to R.string.template_esketamine,
            CourseTemplate.KAP to R.string.template_kap, CourseTemplate.CUSTOM to R.string.template_custom,
        ).forEach { (template, label) ->
            Button(onClick = { start(template, first) }, modifier = TouchTarget.fillMaxWidth()) { Text(stringResource(label)) }
        }
    }
}

/**
 * Asked in context, where reminders are set up: notifications (Android 13+),
 * and exact alarms with why they matter, since without them fasting and
 * after-session reminders come up to ten minutes early.
 */
@Composable
fun ReminderPermissions(exactAllowed: Boolean) {
    val context = LocalContext.current
    fun granted() = Build.VERSION.SDK_INT < Build.VERSION_CODES.TIRAMISU ||
        ContextCompat.checkSelfPermission(context, Manifest.permission.POST_NOTIFICATIONS) == PackageManager.PERMISSION_GRANTED
    var notificationsAllowed by remember { mutableStateOf(granted()) }
    // Read again on return from the system's settings.
    LifecycleResumeEffect(Unit) {
        notificationsAllowed = granted()
        onPauseOrDispose { }
    }
    val ask = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { granted -> notificationsAllowed = granted }
    if (!notificationsAllowed && Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
        Card(Modifier.fillMaxWidth()) {
            Column(Modifier.padding(16.dp)) {
                Text(stringResource(R.string.notifications_why))
                Button(onClick = { ask.launch(Manifest.permission.POST_NOTIFICATIONS) }, modifier = TouchTarget) {
                    Text(stringResource(R.string.allow_notifications))
                }
            }
        }
    }
    if (!exactAllowed && Build.VERSION.SDK_INT >= Build.VERSION_CODES.S) {
        Card(Modifier.fillMaxWidth()) {
            Column(Modifier.padding(16.dp)) {
                Text(stringResource(R.string.exact_alarms_why))
                Button(
                    onClick = {
                        runCatching {
                            context.startActivity(Intent(Settings.ACTION_REQUEST_SCHEDULE_EXACT_ALARM, Uri.fromParts("package", context.packageName, null)))
                        }
                    },
                    modifier = TouchTarget,
                ) { Text(stringResource(R.string.allow_exact_alarms)) }
            }
        }
    }
}

/** Whether exact alarms are allowed, read again whenever the screen comes back from the system's settings. */
@Composable
fun exactAlarmsAllowed(graph: AppGraph): Boolean {
    var allowed by remember { mutableStateOf(graph.sink.canScheduleExact()) }
    LifecycleResumeEffect(Unit) {
        allowed = graph.sink.canScheduleExact()
        onPauseOrDispose { }
    }
    return allowed
}
