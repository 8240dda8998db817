package app.waymark.shell

import java.time.Instant
import java.time.ZoneId
import java.util.Locale

/** What the shell reads off the phone: the time, its zone and its language. Tests set all three. */
interface Device {
    fun now(): Instant

    /** The phone's IANA zone, read at every call: the patient may have flown since the last. */
    fun zone(): String

    fun locale(): Locale

    /** The locale as the core takes it (`es-MX`). */
    fun localeTag(): String = locale().toLanguageTag()

    /** The phone's country, for crisis lines before a profile is open; `null` when the locale names none. */
    fun region(): String? = locale().country.ifEmpty { null }
}

/** The phone's own clock, zone and locale. */
object SystemDevice : Device {
    override fun now(): Instant = Instant.now()
    override fun zone(): String = ZoneId.systemDefault().id
    override fun locale(): Locale = Locale.getDefault()
}
