package app.waymark.bench

import app.waymark.core.Waymark
import app.waymark.core.model.CheckInDraft
import app.waymark.core.model.JournalQuery
import java.io.File
import java.nio.file.Files
import java.time.Duration
import java.time.Instant

/** Call costs of the home screen and a journal page, seen from Kotlin through JNA. */
fun main(args: Array<String>) {
    val fixture = File(args[0])
    val dir = Files.createTempDirectory("waymark-ffi-bench").toFile()
    val db = File(dir, "waymark.db")
    fixture.copyTo(db)
    val key = ByteArray(32) { 0x42 }
    val zone = "Europe/Berlin"
    Waymark.open(db.path, key).use { waymark ->
        // A typical week on top of ten years: a check-in on each of the last six days, three today.
        val now = Instant.now()
        (1..6).forEach { waymark.addCheckin(CheckInDraft(valence = 1, text = "day $it", occurredAt = now.minus(Duration.ofDays(it.toLong())), zone = zone)) }
        (1..3).forEach { waymark.addCheckin(CheckInDraft(valence = 2, text = "today $it", occurredAt = now.minusSeconds(60L * it), zone = zone)) }
        val first = JournalQuery(limit = 50u)
        println("today() entries: ${waymark.today(zone).entries.size}, page: ${waymark.journalPage(first).entries.size}")
        measure("today()") { waymark.today(zone) }
        measure("journalPage(limit = 50)") { waymark.journalPage(first) }
        val newest = waymark.journalPage(JournalQuery(limit = 1u)).entries[0].id
        measure("checkin(id), one record") { waymark.checkin(newest) }
    }
    dir.deleteRecursively()
}

private fun measure(name: String, call: () -> Any) {
    repeat(300) { call() }
    val samples = LongArray(2000) {
        val start = System.nanoTime()
        call()
        System.nanoTime() - start
    }
    samples.sort()
    val median = samples[samples.size / 2] / 1000.0
    val p90 = samples[samples.size * 9 / 10] / 1000.0
    val mean = samples.average() / 1000.0
    println("%-28s median %8.1f µs   mean %8.1f µs   p90 %8.1f µs".format(name, median, mean, p90))
}
