package app.waymark.core

import app.waymark.core.model.BackupException
import app.waymark.core.model.CheckInDraft
import app.waymark.core.model.ExportFormat
import app.waymark.core.model.ImportException
import app.waymark.core.model.JournalException
import app.waymark.core.model.StoreException
import app.waymark.core.model.MoodMapping
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

    @Test
    fun anOpenProfileIsNeitherErasedNorRestoredOverAndAClosedOneSaysSo() {
        val path = newDbPath()
        Waymark.open(path, ByteArray(32) { 32 }).use { waymark ->
            val written = waymark.addCheckin(CheckInDraft(valence = 1, zone = "UTC"))
            assertThrows<StoreException.InUse> { eraseProfile(path) }
            assertEquals(written.id, waymark.checkin(written.id).id)
            waymark.closeProfile()
            assertThrows<JournalException.Store> { waymark.checkin(written.id) }
            assertTrue(eraseProfile(path) >= 1u)
        }
    }

    @Test
    fun aBackupRestoresOnAnotherDevice() {
        val source = newDbPath()
        val backup = Waymark.open(source, ByteArray(32) { 41 }).use { waymark ->
            waymark.addCheckin(CheckInDraft(valence = 2, zone = "Europe/Paris", text = "Backed up from Kotlin"))
            assertThrows<BackupException.WeakPassphrase> { waymark.backup("short") }
            waymark.backup("a long passphrase")
        }
        val target = newDbPath()
        val newKey = ByteArray(32) { 42 }
        assertThrows<BackupException.WrongPassphrase> { restoreBackup(backup, "another passphrase", target, newKey, false) }
        assertFalse(File(target).exists())
        assertThrows<BackupException.Tampered> {
            restoreBackup(backup.copyOf().also { it[it.size / 2] = (it[it.size / 2] + 1).toByte() }, "a long passphrase", target, newKey, false)
        }
        assertEquals(1u, restoreBackup(backup, "a long passphrase", target, newKey, false).checkins)
        Waymark.open(target, newKey).use { waymark ->
            assertTrue(waymark.export(ExportFormat.JSON).single().content.contains("Backed up from Kotlin"))
        }
    }

    @Test
    fun aDaylioExportIsPreviewedMappedAndImportedOnce() {
        val csv = "full_date,date,weekday,time,mood,activities,note\n" +
            "2022-06-02,June 2,Thursday,8:30 PM,ok but sleepy,\"\",\"Long day\"\n" +
            "2022-06-01,June 1,Wednesday,9:00,rad,\"family\",\"\""
        Waymark.open(newDbPath(), ByteArray(32) { 51 }).use { waymark ->
            val preview = waymark.previewDaylio(csv, emptyList(), "Europe/Paris")
            assertEquals(listOf("ok but sleepy"), preview.unmapped)
            assertThrows<ImportException.UnmappedMoods> { waymark.importDaylio(csv, emptyList(), "Europe/Paris") }
            val mapped = listOf(MoodMapping("ok but sleepy", -1))
            assertEquals(2u, waymark.importDaylio(csv, mapped, "Europe/Paris").added)
            assertEquals(2u, waymark.importDaylio(csv, mapped, "Europe/Paris").skipped)
        }
    }
}
