package app.waymark.android.reminders

import android.content.Intent
import app.waymark.shell.model.Instrument
import app.waymark.shell.screens.Destination

/** A [Destination] carried in an intent's extras: from a notification to the screen it opens. */
object RouteExtras {
    private const val SCREEN = "app.waymark.screen"
    private const val ID = "app.waymark.id"

    fun put(intent: Intent, destination: Destination): Intent = intent.apply {
        when (destination) {
            is Destination.Appointment -> putExtra(SCREEN, "appointment").putExtra(ID, destination.id)
            is Destination.Assessment -> putExtra(SCREEN, "assessment").putExtra(ID, destination.instrument.name)
            is Destination.Prompt -> putExtra(SCREEN, "prompt").putExtra(ID, destination.id)
            Destination.Home -> putExtra(SCREEN, "home")
            Destination.HelpNow -> putExtra(SCREEN, "help-now")
            Destination.SafetyPlan -> putExtra(SCREEN, "safety-plan")
        }
    }

    /** The destination an intent names; anything unknown (an old build's extras, another app's) opens home. */
    fun read(intent: Intent?): Destination? {
        val id = intent?.getStringExtra(ID)
        return when (intent?.getStringExtra(SCREEN)) {
            null -> null
            "appointment" -> id?.let { Destination.Appointment(it) }
            "assessment" -> Instrument.entries.firstOrNull { it.name == id }?.let { Destination.Assessment(it) }
            "prompt" -> id?.let { Destination.Prompt(it) }
            "help-now" -> Destination.HelpNow
            "safety-plan" -> Destination.SafetyPlan
            else -> Destination.Home
        }
    }
}
