package app.waymark.android

import android.content.Intent
import android.os.Build
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import app.waymark.android.reminders.RouteExtras
import app.waymark.android.ui.WaymarkApp
import app.waymark.shell.screens.Destination
import kotlinx.coroutines.flow.MutableStateFlow

/** The one activity. A tapped notification arrives as [Destination] extras (RouteExtras). */
class MainActivity : ComponentActivity() {
    private val opened = MutableStateFlow<Destination?>(null)

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        enableEdgeToEdge()
        // The app switcher shows no journal page.
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) setRecentsScreenshotEnabled(false)
        // Read once: after a rotation the destination has been shown already.
        if (savedInstanceState == null) opened.value = RouteExtras.read(intent)
        setContent { WaymarkApp(graph, opened, onOpened = { opened.value = null }) }
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        setIntent(intent)
        opened.value = RouteExtras.read(intent)
    }
}
