package app.waymark.shell

import app.waymark.Waymark
import app.waymark.WaymarkInterface
import app.waymark.core.Form
import app.waymark.core.HelpNow
import app.waymark.core.Instrument
import app.waymark.core.RestoreReport
import app.waymark.core.SafetyPage
import app.waymark.core.SafetySearchHit
import app.waymark.core.Vocabulary
import app.waymark.core.WaymarkException

/**
 * The core as the shell sees it: the calls made without a profile, and
 * [open], which gives the profile's calls. An interface, so that tests can
 * count the calls a screen makes; [RustCore] is the real library. The
 * `@Throws` let a Java proxy pass the core's exceptions through unwrapped.
 */
interface Core {
    /** Opens (or creates) the profile at [path]; the result is also [AutoCloseable]. */
    @Throws(WaymarkException::class)
    fun open(path: String, key: ByteArray, deviceLocale: String?): WaymarkInterface
    @Throws(WaymarkException::class)
    fun helpNow(region: String?, locale: String): HelpNow
    @Throws(WaymarkException::class)
    fun safetyPages(locale: String): List<SafetyPage>
    @Throws(WaymarkException::class)
    fun safetyPage(id: String, locale: String): SafetyPage
    @Throws(WaymarkException::class)
    fun searchSafety(query: String, locale: String): List<SafetySearchHit>
    @Throws(WaymarkException::class)
    fun measureForm(instrument: Instrument, locale: String): Form
    @Throws(WaymarkException::class)
    fun vocabulary(locale: String): Vocabulary
    @Throws(WaymarkException::class)
    fun eraseProfile(dbPath: String): UInt
    @Throws(WaymarkException::class)
    fun restoreBackup(backupPath: String, passphrase: String, dbPath: String, key: ByteArray, replace: Boolean): RestoreReport
}

/** The generated bindings over the real library. */
object RustCore : Core {
    override fun open(path: String, key: ByteArray, deviceLocale: String?): WaymarkInterface = Waymark.open(path, key, deviceLocale)
    override fun helpNow(region: String?, locale: String) = app.waymark.helpNow(region, locale)
    override fun safetyPages(locale: String) = app.waymark.safetyPages(locale)
    override fun safetyPage(id: String, locale: String) = app.waymark.safetyPage(id, locale)
    override fun searchSafety(query: String, locale: String) = app.waymark.searchSafety(query, locale)
    override fun measureForm(instrument: Instrument, locale: String) = app.waymark.measureForm(instrument, locale)
    override fun vocabulary(locale: String) = app.waymark.vocabulary(locale)
    override fun eraseProfile(dbPath: String) = app.waymark.eraseProfile(dbPath)
    override fun restoreBackup(backupPath: String, passphrase: String, dbPath: String, key: ByteArray, replace: Boolean) =
        app.waymark.restoreBackup(backupPath, passphrase, dbPath, key, replace)
}
