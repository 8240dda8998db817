package app.waymark.android.ui

import android.os.Build
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.material3.dynamicLightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.platform.LocalContext
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.navigation.NavHostController
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.rememberNavController
import app.waymark.android.AppGraph
import app.waymark.android.ui.screens.AssessmentRoute
import app.waymark.android.ui.screens.BackupRoute
import app.waymark.android.ui.screens.CheckInRoute
import app.waymark.android.ui.screens.CourseRoute
import app.waymark.android.ui.screens.EraseRoute
import app.waymark.android.ui.screens.ExportRoute
import app.waymark.android.ui.screens.HelpNowRoute
import app.waymark.android.ui.screens.HomeRoute
import app.waymark.android.ui.screens.ImportRoute
import app.waymark.android.ui.screens.JournalRoute
import app.waymark.android.ui.screens.ProgressRoute
import app.waymark.android.ui.screens.PromptsRoute
import app.waymark.android.ui.screens.SafetyLibraryRoute
import app.waymark.android.ui.screens.SafetyPlanRoute
import app.waymark.android.ui.screens.SettingsRoute
import app.waymark.android.ui.screens.SharingRoute
import app.waymark.android.ui.screens.UnlockRoute
import app.waymark.android.ui.screens.VitalsRoute
import app.waymark.shell.ProfileState
import app.waymark.shell.model.Instrument
import app.waymark.shell.screens.Destination
import kotlinx.coroutines.flow.StateFlow

/** Navigation routes, one per screen. */
object Routes {
    const val HOME = "home"
    const val CHECK_IN = "check-in?entry={entry}"
    const val JOURNAL = "journal"
    const val ASSESSMENT = "assessment/{instrument}"
    const val VITALS = "vitals"
    const val PROGRESS = "progress"
    const val COURSE = "course?appointment={appointment}"
    const val PROMPTS = "prompts?prompt={prompt}"
    const val LIBRARY = "safety"
    const val HELP_NOW = "help-now"
    const val SAFETY_PLAN = "safety-plan"
    const val SHARING = "sharing"
    const val BACKUP = "backup"
    const val IMPORT = "import"
    const val EXPORT = "export"
    const val ERASE = "erase"
    const val SETTINGS = "settings"

    fun checkIn(entry: String? = null) = if (entry == null) "check-in" else "check-in?entry=$entry"
    fun assessment(instrument: Instrument) = "assessment/${instrument.name}"

    fun of(destination: Destination): String = when (destination) {
        Destination.Home -> HOME
        Destination.HelpNow -> HELP_NOW
        Destination.SafetyPlan -> SAFETY_PLAN
        is Destination.Appointment -> "course?appointment=${destination.id}"
        is Destination.Assessment -> assessment(destination.instrument)
        is Destination.Prompt -> "prompts?prompt=${destination.id}"
    }
}

/**
 * The app: the unlock screen until the profile is open (and whenever a
 * storage failure closes it), then the screens. Every screen has a way to
 * help now.
 */
@Composable
fun WaymarkApp(graph: AppGraph, opened: StateFlow<Destination?>, onOpened: () -> Unit) {
    val context = LocalContext.current
    val colors = if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.S) dynamicLightColorScheme(context) else lightColorScheme()
    MaterialTheme(colorScheme = colors) {
        val profile by graph.profile.state.collectAsStateWithLifecycle()
        if (profile != ProfileState.Open) {
            UnlockRoute(graph)
            return@MaterialTheme
        }
        // A cold start: open, home, reconcile (docs/ffi.md). The plan may have moved while the app was closed.
        LaunchedEffect(profile) { graph.reminders.reconcile() }
        val navigation = rememberNavController()
        val destination by opened.collectAsStateWithLifecycle()
        LaunchedEffect(destination) {
            destination?.let { navigation.navigate(Routes.of(it)) }
            onOpened()
        }
        Screens(graph, navigation)
    }
}

@Composable
private fun Screens(graph: AppGraph, navigation: NavHostController) {
    val go: (String) -> Unit = { route -> navigation.navigate(route) }
    val back: () -> Unit = { navigation.popBackStack() }
    NavHost(navigation, startDestination = Routes.HOME) {
        composable(Routes.HOME) { HomeRoute(graph, go) }
        composable(Routes.CHECK_IN) { entry -> CheckInRoute(graph, entry.arguments?.getString("entry"), back) }
        composable(Routes.JOURNAL) { JournalRoute(graph, go) }
        composable(Routes.ASSESSMENT) { entry ->
            val instrument = Instrument.entries.firstOrNull { it.name == entry.arguments?.getString("instrument") } ?: Instrument.PHQ9
            AssessmentRoute(graph, instrument, go)
        }
        composable(Routes.VITALS) { VitalsRoute(graph) }
        composable(Routes.PROGRESS) { ProgressRoute(graph, go) }
        composable(Routes.COURSE) { entry -> CourseRoute(graph, entry.arguments?.getString("appointment"), go) }
        composable(Routes.PROMPTS) { entry -> PromptsRoute(graph, entry.arguments?.getString("prompt")) }
        composable(Routes.LIBRARY) { SafetyLibraryRoute(graph, go) }
        composable(Routes.HELP_NOW) { HelpNowRoute(graph, go) }
        composable(Routes.SAFETY_PLAN) { SafetyPlanRoute(graph) }
        composable(Routes.SHARING) { SharingRoute(graph) }
        composable(Routes.BACKUP) { BackupRoute(graph) }
        composable(Routes.IMPORT) { ImportRoute(graph) }
        composable(Routes.EXPORT) { ExportRoute(graph) }
        composable(Routes.ERASE) { EraseRoute(graph) }
        composable(Routes.SETTINGS) { SettingsRoute(graph, go) }
    }
}
