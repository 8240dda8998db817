package app.waymark.android.ui

import android.content.Intent
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.ui.platform.LocalContext
import app.waymark.shell.screens.ScreenEvent
import kotlinx.coroutines.flow.Flow

/**
 * A screen's one-shot events: a file to share goes to the system's share
 * sheet (the patient picks where, if anywhere), a destination to [go].
 */
@Composable
fun shareEvents(events: Flow<ScreenEvent>, go: (String) -> Unit = {}) {
    val context = LocalContext.current
    LaunchedEffect(events) {
        events.collect { event ->
            when (event) {
                is ScreenEvent.Share -> {
                    val send = Intent(Intent.ACTION_SEND).setType(event.mimeType)
                        .putExtra(Intent.EXTRA_TITLE, event.name)
                        .putExtra(Intent.EXTRA_TEXT, event.content)
                    context.startActivity(Intent.createChooser(send, event.name))
                }
                is ScreenEvent.Navigate -> go(Routes.of(event.to))
            }
        }
    }
}
