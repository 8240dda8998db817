package app.waymark.android.ui

import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxHeight
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.MaterialTheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import app.waymark.android.R
import app.waymark.shell.model.DayValence

// Drawing only: the one place the app does arithmetic on a value the core
// gave it, to turn a valence from -3 to +3 into a bar's height.

/**
 * The last seven days' mood as bars, with the same facts in words for
 * TalkBack: the chart is a picture of a list the screen reader reads.
 */
@Composable
fun MoodWeek(days: List<DayValence>) {
    val noEntry = stringResource(R.string.mood_day_none)
    val spoken = days.joinToString(". ") { day ->
        day.date + ": " + (day.meanValence?.let { "%.1f".format(it) } ?: noEntry)
    }
    val description = stringResource(R.string.mood_week_description, spoken)
    Row(
        horizontalArrangement = Arrangement.spacedBy(4.dp),
        modifier = Modifier.fillMaxWidth().padding(vertical = 8.dp).semantics { contentDescription = description },
    ) {
        days.forEach { day -> MoodBar(day, Modifier.weight(1f)) }
    }
}

@Composable
private fun MoodBar(day: DayValence, modifier: Modifier) {
    val height = day.meanValence?.let { ((it + 3.0) / 6.0).toFloat().coerceIn(0.05f, 1f) } ?: 0f
    Box(modifier.height(64.dp), contentAlignment = Alignment.BottomCenter) {
        Box(Modifier.fillMaxWidth().fillMaxHeight(height).background(MaterialTheme.colorScheme.primary))
    }
}
