package app.waymark.shell.key

import app.waymark.Waymark
import app.waymark.core.CheckInDraft
import app.waymark.core.JournalQuery
import java.io.File
import java.nio.file.Files
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotEquals
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test

class DatabaseKeyFileTest {
    private class JceProvider : SecretKeyProvider {
        var key: SecretKey = newKey()
        var uses = 0

        override fun sealingKey(): SecretKey = key.also { uses++ }

        companion object {
            fun newKey(): SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
        }
    }

    private fun keyFile(): File = File(Files.createTempDirectory("waymark-key").toFile(), "database.key")

    private fun ready(state: KeyState): ByteArray = (state as? KeyState.Ready)?.key ?: throw AssertionError("expected a key, got $state")

    @Test
    fun aNewKeyIsSealedAndReadsBackAsTheSameKey() {
        val file = keyFile()
        val keys = DatabaseKeyFile(file, JceProvider())
        assertEquals(KeyState.Missing, keys.read())
        val key = keys.create()
        assertEquals(32, key.size)
        assertArrayEquals(key, ready(keys.read()))
        assertFalse("no plaintext key in the file", file.readBytes().toList().windowed(32).any { it == key.toList() })
        assertEquals(6 + 12 + 48, file.length().toInt())
        assertFalse(File(file.parentFile, "database.key.partial").exists())
    }

    @Test
    fun theProvidersCipherChoosesAFreshIvForEveryKey() {
        val provider = JceProvider()
        val ivs = (1..3).map { keyFile().also { DatabaseKeyFile(it, provider).create() }.readBytes().copyOfRange(6, 18).toList() }
        assertEquals(3, ivs.toSet().size)
    }

    @Test
    fun anExistingKeyIsNeverReplaced() {
        val file = keyFile()
        val keys = DatabaseKeyFile(file, JceProvider())
        val key = keys.create()
        try {
            keys.create()
            fail("a second create must refuse")
        } catch (expected: IllegalStateException) {
            assertTrue(expected.message!!, expected.message!!.contains("never replace"))
        }
        assertArrayEquals(key, ready(keys.read()))
    }

    @Test
    fun aDamagedFileOrALostSealingKeyIsUnreadableNeverMissing() {
        val provider = JceProvider()
        val file = keyFile()
        DatabaseKeyFile(file, provider).create()
        val good = file.readBytes()
        val damaged = mapOf(
            "a flipped tag byte" to good.copyOf().also { it[it.size - 1] = (it[it.size - 1] + 1).toByte() },
            "a flipped header byte" to good.copyOf().also { it[5] = 13 },
            "cut short" to good.copyOf(good.size - 1),
            "a newer version" to good.copyOf().also { it[4] = 2 },
            "not a key file" to "SQLite format 3".toByteArray(),
            "empty" to ByteArray(0),
        )
        for ((what, bytes) in damaged) {
            file.writeBytes(bytes)
            assertTrue(what, DatabaseKeyFile(file, provider).read() is KeyState.Unreadable)
        }
        file.writeBytes(good)
        provider.key = JceProvider.newKey()
        val lost = DatabaseKeyFile(file, provider).read()
        assertTrue("$lost", lost is KeyState.Unreadable)
        assertTrue(file.exists())
    }

    @Test
    fun theUnsealedKeyOpensTheProfileAgainAfterARestart() {
        val dir = Files.createTempDirectory("waymark-profile").toFile()
        val provider = JceProvider()
        val db = File(dir, "waymark.db").path
        val first = DatabaseKeyFile(File(dir, "database.key"), provider).create()
        val id = Waymark.open(db, first, null).use { it.addCheckin(CheckInDraft(valence = 1, zone = "Europe/Madrid", text = "sealed")).id }
        val again = ready(DatabaseKeyFile(File(dir, "database.key"), provider).read())
        Waymark.open(db, again, null).use { waymark ->
            assertEquals("sealed", waymark.checkin(id).text)
            assertEquals(1, waymark.journalPage(JournalQuery()).entries.size)
        }
        assertNotEquals(0, provider.uses)
    }
}
