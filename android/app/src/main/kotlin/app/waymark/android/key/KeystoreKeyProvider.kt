package app.waymark.android.key

import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import app.waymark.shell.key.SecretKeyProvider
import java.security.KeyStore
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

/**
 * The AES-256-GCM key in AndroidKeyStore that seals the database key. It needs
 * no user authentication, so reminders and sync work while the phone is
 * locked; it never leaves the keystore, and the IV is the keystore's choice.
 */
class KeystoreKeyProvider(private val alias: String = "waymark-database-key") : SecretKeyProvider {
    override fun sealingKey(): SecretKey {
        val store = KeyStore.getInstance(KEYSTORE).apply { load(null) }
        (store.getKey(alias, null) as? SecretKey)?.let { return it }
        val spec = KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setRandomizedEncryptionRequired(true)
            .setUserAuthenticationRequired(false)
            .build()
        return KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, KEYSTORE).apply { init(spec) }.generateKey()
    }

    private companion object {
        const val KEYSTORE = "AndroidKeyStore"
    }
}
