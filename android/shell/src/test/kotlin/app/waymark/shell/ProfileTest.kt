package app.waymark.shell

import app.waymark.core.CheckInDraft
import app.waymark.core.StorageFailure
import app.waymark.shell.key.DatabaseKeyFile
import app.waymark.shell.key.SecretKeyProvider
import java.io.File
import java.nio.file.Files
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test

class ProfileTest {
    private val sealing: SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
    private val provider = object : SecretKeyProvider {
        override fun sealingKey() = sealing
    }
    private val dir: File = Files.createTempDirectory("waymark-profile").toFile()
    private val database = File(dir, "waymark.db")
    private val keyFile = File(dir, "database.key")

    private fun profile() = Profile(database, DatabaseKeyFile(keyFile, provider), TestDevice())

    private fun opened(): Profile = profile().also { runBlocking { assertEquals(ProfileState.Open, it.open()) } }

    @Test
    fun aFirstLaunchMakesTheKeyAndTheProfileThenOpensItAgain() = runBlocking {
        val first = profile()
        assertEquals(ProfileState.NotOpened, first.state.value)
        assertEquals(ProfileState.Open, first.open())
        assertTrue(keyFile.exists() && database.exists())
        val id = first.call { it.addCheckin(CheckInDraft(valence = 2, zone = "Europe/Madrid", text = "hola")).id }
        assertEquals("es", first.call { it.settings().contentLanguage })
        first.close()
        assertEquals(ProfileState.NotOpened, first.state.value)
        val again = opened()
        assertEquals("hola", again.call { it.checkin(id).text })
        again.close()
    }

    @Test
    fun aLostKeyIsKeyLostAndNothingIsWipedOrRemade() = runBlocking {
        opened().close()
        val before = database.readBytes()
        assertTrue(keyFile.delete())
        val state = profile().open()
        assertTrue("$state", state is ProfileState.KeyLost)
        assertFalse("no new key replaces the lost one", keyFile.exists())
        assertArrayEquals(before, database.readBytes())
    }

    @Test
    fun anotherKeyIsWrongKeyAndATruncatedFileIsDamaged() = runBlocking {
        opened().close()
        val before = database.readBytes()
        keyFile.delete()
        DatabaseKeyFile(keyFile, provider).create()
        assertEquals(ProfileState.WrongKey, profile().open())
        assertArrayEquals(before, database.readBytes())

        database.writeBytes(before.copyOf(5000))
        assertEquals(ProfileState.Damaged, profile().open())
        assertEquals(5000, database.length().toInt())
    }

    @Test
    fun everyStorageFailureHasItsState() {
        val expected = mapOf(
            StorageFailure.WRONG_KEY to ProfileState.WrongKey,
            StorageFailure.DAMAGED to ProfileState.Damaged,
            StorageFailure.TOO_NEW to ProfileState.TooNew,
            StorageFailure.DISK_FULL to ProfileState.DiskFull,
            StorageFailure.CLOSED to ProfileState.NotOpened,
            StorageFailure.IN_USE to ProfileState.Failed("m"),
            StorageFailure.FAILED to ProfileState.Failed("m"),
        )
        assertEquals(StorageFailure.entries.toSet(), expected.keys)
        for ((failure, state) in expected) assertEquals(state, Profile.stateFor(failure, "m"))
    }

    @Test
    fun theCoresWordsFollowThePhonesLanguageWhenItChanges() = runBlocking {
        val device = TestDevice()
        val profile = Profile(database, DatabaseKeyFile(keyFile, provider), device)
        assertEquals(ProfileState.Open, profile.open())
        assertEquals("es", profile.call { it.settings().contentLanguage })
        device.locale = java.util.Locale.UK
        profile.deviceLocaleChanged().getOrThrow()
        assertEquals("en", profile.call { it.settings().contentLanguage })
        profile.close()
    }

    @Test(expected = IllegalStateException::class)
    fun aCallBeforeOpeningIsRefused() {
        runBlocking { profile().call { it.settings() } }
    }

    @Test
    fun callsRunOnTheCoreThread() = runBlocking {
        val profile = opened()
        assertEquals("waymark-core", profile.call { Thread.currentThread().name })
        profile.close()
    }
}
