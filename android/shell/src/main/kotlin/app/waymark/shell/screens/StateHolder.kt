package app.waymark.shell.screens

import app.waymark.WaymarkInterface
import app.waymark.core.Instrument
import app.waymark.core.Route
import app.waymark.shell.Core
import app.waymark.shell.Profile
import app.waymark.shell.readable
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.receiveAsFlow
import kotlinx.coroutines.flow.update

/** Something a screen does once, not a state it stays in: open the share sheet, go to another screen. */
sealed interface ScreenEvent {
    /** Hand [content] to the system's share sheet or file picker under [name]. */
    data class Share(val name: String, val mimeType: String, val content: String) : ScreenEvent

    data class Navigate(val to: Destination) : ScreenEvent
}

/** The screens a notification, a card or a finished action can lead to. */
sealed interface Destination {
    data object Home : Destination
    data object HelpNow : Destination
    data object SafetyPlan : Destination
    data class Appointment(val id: String) : Destination
    data class Assessment(val instrument: Instrument) : Destination
    data class Prompt(val id: String) : Destination

    companion object {
        /** Where a tapped notification leads: the core's route, unchanged. */
        fun of(route: Route): Destination = when (route) {
            is Route.Appointment -> Appointment(route.id)
            is Route.Assessment -> Assessment(route.instrument)
            is Route.Prompt -> Prompt(route.id)
        }
    }
}

/** Tells reminders that a write may have changed the plan (`Reminders.reconcile`). */
fun interface PlanChanged {
    suspend fun planChanged()
}

/**
 * One screen's state and actions. The state is a [StateFlow] of an immutable
 * value, the actions are suspend functions (the Android ViewModel launches
 * them), and one-shot [events] go through a channel. A holder computes
 * nothing the core has: it passes what the patient did to the core and
 * shows what comes back.
 */
abstract class StateHolder<S>(initial: S, protected val profile: Profile) {
    private val mutableState = MutableStateFlow(initial)
    val state: StateFlow<S> = mutableState.asStateFlow()
    private val eventChannel = Channel<ScreenEvent>(Channel.BUFFERED)
    val events: Flow<ScreenEvent> = eventChannel.receiveAsFlow()

    /** The state with [message] as the refusal it shows, or none. */
    protected abstract fun S.showing(message: String?): S

    protected fun update(change: (S) -> S) = mutableState.update(change)

    protected suspend fun emit(event: ScreenEvent) = eventChannel.send(event)

    /**
     * One call on the open profile. A refusal becomes the state's message and
     * gives `null`; a storage failure also moves the profile to its recovery
     * screen (see [Profile.attempt]).
     */
    protected suspend fun <T : Any> core(call: (WaymarkInterface) -> T): T? = shown(profile.attempt(call))

    /** One call that needs no profile. */
    protected suspend fun <T : Any> library(call: (Core) -> T): T? = shown(profile.withoutProfile(call))

    private fun <T : Any> shown(result: Result<T>): T? {
        val message = result.exceptionOrNull()?.readable()
        update { it.showing(message) }
        return result.getOrNull()
    }
}
