package app.waymark.bench

import app.waymark.Waymark
import app.waymark.core.CheckInDraft
import app.waymark.core.CourseDraft
import app.waymark.core.CourseTemplate
import app.waymark.core.JournalQuery
import app.waymark.core.ProgressQuery
import java.io.File
import java.nio.file.Files
import java.time.Duration
import java.time.Instant

/** Call costs of home(), today(), the journal, journal, progress and course screens and the reminder plan, seen from Kotlin through JNA. */
fun main(args: Array<String>) {
    val fixture = File(args[0])
    val dir = Files.createTempDirectory("waymark-ffi-bench").toFile()
    val db = File(dir, "waymark.db")
    fixture.copyTo(db)
    val key = ByteArray(32) { 0x42 }
    val zone = "Europe/Berlin"
    Waymark.open(db.path, key, null).use { waymark ->
        // The workload's "now", as in core/benches/fixture: noon on the day of its last check-in.
        val now = Instant.ofEpochSecond(1_795_000_000 + 3_600)
        // A typical week on top of ten years: a check-in on each of the last six days, three today.
        (1..6).forEach { waymark.addCheckin(CheckInDraft(valence = 1, text = "day $it", occurredAt = now.minus(Duration.ofDays(it.toLong())), zone = zone)) }
        (1..3).forEach { waymark.addCheckin(CheckInDraft(valence = 2, text = "today $it", occurredAt = now.minusSeconds(60L * it), zone = zone)) }
        val first = JournalQuery(limit = 50u)
        println("today() entries: ${waymark.today(now, zone).entries.size}, page: ${waymark.journalPage(first).entries.size}")
        measure("today()") { waymark.today(now, zone) }
        measure("journalPage(limit = 50)") { waymark.journalPage(first) }
        val newest = waymark.journalPage(JournalQuery(limit = 1u)).entries[0].id
        measure("checkin(id), one record") { waymark.checkin(newest) }
        val tenYears = ProgressQuery(zone = zone)
        println("progress: ${waymark.progress(now, tenYears).trends.size} trend days, ${waymark.progress(now, tenYears).phq9.trajectory.size} PHQ-9s")
        measure("progress(), ten years", samples = 200) { waymark.progress(now, tenYears) }
        measure("progress(), last 90 days") { waymark.progress(now, ProgressQuery(from = "2026-08-20", zone = zone)) }
        // A course of 12 esketamine sessions starting next week, as a patient would have.
        val firstSession = java.time.LocalDate.ofInstant(now, java.time.ZoneId.of(zone)).plusDays(7)
        waymark.startCourse(CourseDraft(CourseTemplate.ESKETAMINE, "${firstSession}T09:00", zone))
        measure("courseOverview()") { waymark.courseOverview(now, zone) }
        measure("home(), one call for the home screen") { waymark.home(now, zone) }
        measure("planNotifications(max 60)") { waymark.planNotifications(now, zone, 60u) }
    }
    dir.deleteRecursively()
}

private fun measure(name: String, samples: Int = 2000, call: () -> Any) {
    repeat(samples / 7) { call() }
    val samples = LongArray(samples) {
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
