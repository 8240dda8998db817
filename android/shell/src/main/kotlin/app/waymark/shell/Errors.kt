package app.waymark.shell

import app.waymark.core.WaymarkException

/**
 * What the patient reads when the core refuses: the inner typed error's
 * message, which says what was wrong and what to do (the outer exception's
 * own message lists its fields).
 */
fun Throwable.readable(): String {
    val inner = when (this) {
        is WaymarkException.Storage -> error
        is WaymarkException.Journal -> error
        is WaymarkException.Measure -> error
        is WaymarkException.Course -> error
        is WaymarkException.Reminder -> error
        is WaymarkException.Prompt -> error
        is WaymarkException.Safety -> error
        is WaymarkException.Share -> error
        is WaymarkException.Sync -> error
        is WaymarkException.Backup -> error
        is WaymarkException.Import -> error
        is WaymarkException.Zone -> error
        else -> this
    }
    return inner.message ?: inner.toString()
}
