package app.waymark.core

import app.waymark.core.model.CheckInDraft
import app.waymark.core.model.ExportFormat
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.File

/** Export and erase, as a shell's "your data" screen calls them. */
class DataTest {
    @Test
    fun exportGivesFilesAndEraseLeavesNothing() {
        val path = newDbPath()
        Waymark.open(path, ByteArray(32) { 31 }).use { waymark ->
            waymark.addCheckin(CheckInDraft(valence = 1, zone = "Europe/Paris", text = "ERASE-SENTINEL from Kotlin"))
            val json = waymark.export(ExportFormat.JSON).single()
            assertEquals("waymark-export.json", json.name)
            assertTrue(json.content.contains("ERASE-SENTINEL from Kotlin"))
            val csv = waymark.export(ExportFormat.CSV)
            assertEquals(listOf("checkins.csv", "measures.csv"), csv.map { it.name })
            assertTrue(csv[0].content.lines()[1].contains(",Europe/Paris,1,"))
        }
        assertTrue(eraseProfile(path) >= 1u)
        val folder = File(path).parentFile
        assertFalse(folder.listFiles()!!.any { it.name.startsWith(File(path).name) })
        assertEquals(0u, eraseProfile(path))
    }
}
