package app.waymark.shell.key

import java.io.File
import java.io.FileOutputStream
import java.nio.ByteBuffer
import java.security.GeneralSecurityException
import java.security.SecureRandom
import javax.crypto.Cipher
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * The key that seals the database key. On Android it is an AES-256-GCM key
 * in AndroidKeyStore that needs no user authentication, so background work
 * runs while the phone is locked; tests use a plain JCE key.
 */
interface SecretKeyProvider {
    /** The sealing key, made on first use. */
    fun sealingKey(): SecretKey
}

/** What reading the database key found. The shell never wipes a profile on any of these. */
sealed interface KeyState {
    class Ready(val key: ByteArray) : KeyState

    /** No key file: a first launch, or the app's data was cleared. */
    data object Missing : KeyState

    /** A key file that cannot be opened: damaged, or sealed by a key the phone no longer has. */
    data class Unreadable(val reason: String) : KeyState
}

/**
 * The database's random 32-byte key, sealed by the provider's key with
 * AES-GCM and kept in [file] (in `noBackupFilesDir` on Android).
 *
 * Format: magic `WMKY`, version 1, the IV's length, the IV the provider's
 * cipher chose, then the sealed key and its 16-byte tag; the first six bytes
 * are the associated data.
 */
class DatabaseKeyFile(private val file: File, private val provider: SecretKeyProvider) {
    /** Makes and seals a new key. Refuses if a key file exists: replacing it would lose the profile. */
    fun create(): ByteArray {
        check(!file.exists()) { "a database key already exists at $file; open it, never replace it" }
        val key = ByteArray(KEY_BYTES).also { SecureRandom().nextBytes(it) }
        seal(key)
        return key
    }

    /** Seals [key] in place of a lost or unreadable one, once a backup has been restored under it. */
    fun replace(key: ByteArray) {
        require(key.size == KEY_BYTES) { "a database key is $KEY_BYTES bytes, not ${key.size}" }
        seal(key)
    }

    /** Removes the key file, when the profile it opens has been erased. */
    fun delete() {
        check(!file.exists() || file.delete()) { "could not remove the key file at $file" }
    }

    private fun seal(key: ByteArray) {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, provider.sealingKey())
        val header = header(cipher.iv.size)
        cipher.updateAAD(header)
        writeDurably(header + cipher.iv + cipher.doFinal(key))
    }

    fun read(): KeyState {
        if (!file.exists()) return KeyState.Missing
        val bytes = try {
            file.readBytes()
        } catch (e: java.io.IOException) {
            return KeyState.Unreadable("the key file cannot be read: ${e.message}")
        }
        if (bytes.size < HEADER_BYTES || !bytes.copyOfRange(0, 4).contentEquals(MAGIC)) {
            return KeyState.Unreadable("the key file is not a Waymark key file")
        }
        if (bytes[4] != VERSION) return KeyState.Unreadable("the key file is version ${bytes[4]}, which this app does not read")
        val ivSize = bytes[5].toInt() and 0xff
        if (ivSize !in 12..16 || bytes.size != HEADER_BYTES + ivSize + KEY_BYTES + TAG_BYTES) {
            return KeyState.Unreadable("the key file is cut short or damaged")
        }
        return try {
            val cipher = Cipher.getInstance(TRANSFORMATION)
            val iv = bytes.copyOfRange(HEADER_BYTES, HEADER_BYTES + ivSize)
            cipher.init(Cipher.DECRYPT_MODE, provider.sealingKey(), GCMParameterSpec(TAG_BYTES * 8, iv))
            cipher.updateAAD(bytes.copyOfRange(0, HEADER_BYTES))
            KeyState.Ready(cipher.doFinal(bytes, HEADER_BYTES + ivSize, KEY_BYTES + TAG_BYTES))
        } catch (e: GeneralSecurityException) {
            KeyState.Unreadable("the key file does not open with this phone's key (${e.javaClass.simpleName})")
        }
    }

    private fun header(ivSize: Int): ByteArray =
        ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).put(VERSION).put(ivSize.toByte()).array()

    /** Written beside the target, synced, then renamed: a crash leaves the old state or the new, never half. */
    private fun writeDurably(bytes: ByteArray) {
        val partial = File(file.parentFile, "${file.name}.partial")
        FileOutputStream(partial).use { out ->
            out.write(bytes)
            out.fd.sync()
        }
        check(partial.renameTo(file)) { "could not move the new key file into place at $file" }
    }

    private companion object {
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val KEY_BYTES = 32
        const val TAG_BYTES = 16
        const val HEADER_BYTES = 6
        const val VERSION: Byte = 1
        val MAGIC = "WMKY".toByteArray(Charsets.US_ASCII)
    }
}
