package app.waymark

import app.waymark.core.BackupException
import app.waymark.core.CheckInDraft
import app.waymark.core.ExportFormat
import app.waymark.core.ImportException
import app.waymark.core.JournalException
import app.waymark.core.StorageFailure
import app.waymark.core.MoodMapping
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.File
import java.time.Instant

/** Export and erase, as a shell's "your data" screen calls them. */
class DataTest {
    @Test
    fun exportGivesFilesAndEraseLeavesNothing() {
        val path = newDbPath()
        Waymark.open(path, ByteArray(32) { 31 }, null).use { waymark ->
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
        Waymark.open(path, ByteArray(32) { 32 }, null).use { waymark ->
            val written = waymark.addCheckin(CheckInDraft(valence = 1, zone = "UTC"))
            assertStorageFailure(StorageFailure.IN_USE) { eraseProfile(path) }
            assertEquals(written.id, waymark.checkin(written.id).id)
            waymark.closeProfile()
            assertStorageFailure(StorageFailure.CLOSED) { waymark.checkin(written.id) }
            assertStorageFailure(StorageFailure.CLOSED) { waymark.planNotifications(Instant.EPOCH, "UTC", null) }
            assertStorageFailure(StorageFailure.CLOSED) { waymark.syncStatus() }
            assertTrue(eraseProfile(path) >= 1u)
        }
    }

    @Test
    fun aBackupRestoresOnAnotherDevice() {
        val source = newDbPath()
        val backup = "$source.waymark"
        Waymark.open(source, ByteArray(32) { 41 }, null).use { waymark ->
            waymark.addCheckin(CheckInDraft(valence = 2, zone = "Europe/Paris", text = "Backed up from Kotlin"))
            assertRefused<BackupException.WeakPassphrase> { waymark.backup(backup, "short") }
            assertFalse(File(backup).exists())
            val size = waymark.backup(backup, "a long passphrase")
            assertEquals(File(backup).length().toULong(), size)
        }
        val target = newDbPath()
        val newKey = ByteArray(32) { 42 }
        assertRefused<BackupException.WrongPassphrase> { restoreBackup(backup, "another passphrase", target, newKey, false) }
        assertFalse(File(target).exists())
        val tampered = "$source.tampered"
        File(tampered).writeBytes(File(backup).readBytes().also { it[it.size / 2] = (it[it.size / 2] + 1).toByte() })
        assertRefused<BackupException.Tampered> { restoreBackup(tampered, "a long passphrase", target, newKey, false) }
        assertEquals(1u, restoreBackup(backup, "a long passphrase", target, newKey, false).checkins)
        Waymark.open(target, newKey, null).use { waymark ->
            assertTrue(waymark.export(ExportFormat.JSON).single().content.contains("Backed up from Kotlin"))
        }
    }

    @Test
    fun aDaylioExportIsPreviewedMappedAndImportedOnce() {
        val csv = "full_date,date,weekday,time,mood,activities,note\n" +
            "2022-06-02,June 2,Thursday,8:30 PM,ok but sleepy,\"\",\"Long day\"\n" +
            "2022-06-01,June 1,Wednesday,9:00,rad,\"family\",\"\""
        Waymark.open(newDbPath(), ByteArray(32) { 51 }, null).use { waymark ->
            val preview = waymark.previewDaylio(csv, emptyList(), "Europe/Paris")
            assertEquals(listOf("ok but sleepy"), preview.unmapped)
            assertRefused<ImportException.UnmappedMoods> { waymark.importDaylio(csv, emptyList(), "Europe/Paris") }
            val mapped = listOf(MoodMapping("ok but sleepy", -1))
            assertEquals(2u, waymark.importDaylio(csv, mapped, "Europe/Paris").added)
            assertEquals(2u, waymark.importDaylio(csv, mapped, "Europe/Paris").skipped)
        }
    }
}
