package app.waymark.android.reminders

import android.content.Intent
import androidx.test.ext.junit.runners.AndroidJUnit4
import app.waymark.shell.model.Instrument
import app.waymark.shell.screens.Destination
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.annotation.Config

/** A notification's destination survives its trip through an intent; a stranger's extras open home. */
// A plain Application: WaymarkApplication starts WorkManager, which Robolectric does not initialise;
// SDK 36, the newest Robolectric 4.17 runs.
@RunWith(AndroidJUnit4::class)
@Config(application = android.app.Application::class, sdk = [36])
class RouteExtrasTest {
    @Test
    fun everyDestinationRoundTrips() {
        val all = listOf(
            Destination.Home, Destination.HelpNow, Destination.SafetyPlan, Destination.Appointment("a1"),
            Destination.Assessment(Instrument.PHQ9), Destination.Prompt("p1"),
        )
        for (destination in all) assertEquals(destination, RouteExtras.read(RouteExtras.put(Intent(), destination)))
    }

    @Test
    fun unknownExtrasOpenHomeAndNoneOpenNothing() {
        assertNull(RouteExtras.read(Intent()))
        assertEquals(Destination.Home, RouteExtras.read(Intent().putExtra("app.waymark.screen", "somewhere")))
        assertNull(RouteExtras.read(Intent().putExtra("app.waymark.screen", "assessment").putExtra("app.waymark.id", "PHQ12")))
    }
}
