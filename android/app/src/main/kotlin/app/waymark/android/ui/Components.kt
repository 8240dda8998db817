package app.waymark.android.ui

import android.content.Intent
import android.net.Uri
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import app.waymark.android.R
import app.waymark.shell.model.HelpLine
import app.waymark.shell.model.HelpNow
import app.waymark.shell.model.SafetyAlert
import java.time.Instant
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import java.time.format.FormatStyle

/** The smallest touch target: 48 dp. */
val TouchTarget = Modifier.heightIn(min = 48.dp)

@Composable
fun Heading(text: String) {
    Text(text, style = MaterialTheme.typography.titleLarge, modifier = Modifier.padding(vertical = 8.dp).semantics { heading() })
}

/** What the core refused, in its own words. */
@Composable
fun Refusal(message: String?) {
    if (message != null) Text(message, color = MaterialTheme.colorScheme.error, modifier = Modifier.padding(vertical = 4.dp))
}

/** An instant in the phone's zone and the phone's style: formatting only. */
fun shortTime(instant: Instant): String =
    DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withZone(ZoneId.systemDefault()).format(instant)

/**
 * The safety alert's card, the same wherever an alert shows (a new result, a
 * result read back, progress): its words, who is not told, and the lines.
 */
@Composable
fun HelpCard(alert: SafetyAlert, onSafetyPlan: () -> Unit) {
    Card(colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.errorContainer), modifier = Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(alert.title, style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { heading() })
            Text(alert.message)
            Text(alert.nobodyIsTold, style = MaterialTheme.typography.bodySmall)
            alert.helpNow?.let { HelpLines(it) }
            if (alert.safetyPlan != null) {
                OutlinedButton(onClick = onSafetyPlan, modifier = TouchTarget) { Text(stringResource(R.string.open_safety_plan)) }
            }
            Text(alert.source, style = MaterialTheme.typography.labelSmall)
        }
    }
}

/** Emergency first, then crisis lines, each with its way to call or text. */
@Composable
fun HelpLines(help: HelpNow) {
    Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
        HelpLineList(help.lines)
        help.limitedHoursNote?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
        help.fallback?.let { Text(it) }
        Text(help.directory, style = MaterialTheme.typography.bodySmall)
    }
}

@Composable
fun HelpLineList(lines: List<HelpLine>) {
    lines.forEach { HelpLineRow(it) }
}

@Composable
private fun HelpLineRow(line: HelpLine) {
    val context = LocalContext.current
    Column(Modifier.fillMaxWidth()) {
        Text(line.name, style = MaterialTheme.typography.titleSmall)
        Text(line.hours + " · " + line.languages, style = MaterialTheme.typography.bodySmall)
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            line.dial?.let { number ->
                // A tablet may have no dialer: the number stays on screen to call from another phone.
                Button(onClick = { runCatching { context.startActivity(Intent(Intent.ACTION_DIAL, Uri.fromParts("tel", number, null))) } }, modifier = TouchTarget) {
                    Text(line.callLabel ?: stringResource(R.string.call_number, line.phone ?: number))
                }
            }
            line.text?.let { number ->
                OutlinedButton(onClick = { runCatching { context.startActivity(Intent(Intent.ACTION_SENDTO, Uri.fromParts("smsto", number, null))) } }, modifier = TouchTarget) {
                    Text(line.textLabel ?: stringResource(R.string.text_number, number))
                }
            }
        }
    }
}
