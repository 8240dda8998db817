package app.waymark

import app.waymark.core.CheckInDraft
import app.waymark.core.EmotionLabel
import app.waymark.core.JournalException
import app.waymark.core.JournalQuery
import app.waymark.core.LifeArea
import app.waymark.core.StorageFailure
import app.waymark.core.StoreException
import app.waymark.core.ZoneException
import java.io.File
import java.time.Instant
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** The journal as a shell sees it: through the generated bindings, on the JVM. */
class WaymarkTest {
    private val key = ByteArray(32) { 7 }
    private val zone = "Europe/Paris"

    private fun draft(valence: Int, text: String = "", at: Instant? = null) =
        CheckInDraft(valence = valence, text = text, occurredAt = at, zone = zone)

    @Test
    fun aCheckInRoundTripsEveryField() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            val at = Instant.parse("2026-11-20T18:30:00Z")
            val saved = waymark.addCheckin(
                CheckInDraft(
                    valence = 2, energy = 4, anxiety = 3, sleepHours = 7.25,
                    labels = listOf(EmotionLabel.HOPEFUL, EmotionLabel.CALM),
                    areas = listOf(LifeArea.SELF_CARE),
                    text = "Walked by the river.", occurredAt = at, zone = zone, shared = true,
                ),
            )
            assertEquals(saved, waymark.checkin(saved.id))
            assertEquals(listOf(EmotionLabel.HOPEFUL, EmotionLabel.CALM), saved.labels)
            assertEquals(listOf(LifeArea.SELF_CARE), saved.areas)
            assertEquals(7.25, saved.sleepHours!!, 0.0)
            assertEquals(at, saved.occurredAt)
            assertTrue(saved.shared)
            assertNull(saved.deletedAt)
        }
    }

    @Test
    fun aCheckInIsPrivateAndHappensNowByDefault() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            val before = Instant.now().minusMillis(1)
            val saved = waymark.addCheckin(CheckInDraft(valence = 0, zone = zone))
            assertTrue(!saved.shared)
            assertTrue(saved.occurredAt >= before && saved.occurredAt <= Instant.now())
        }
    }

    @Test
    fun unicodeTextRoundTripsAndIsFound() {
        val texts = listOf(
            "Café crème avec Zoë 🎉🙂",
            "今天去了东京塔",
            "東京タワーに行った",
            "שלום עולם",
            "مرحبا بالعالم",
            "family 👨‍👩‍👧 time",
        )
        Waymark.open(newDbPath(), key, null).use { waymark ->
            val ids = texts.map { waymark.addCheckin(draft(1, it)).id }
            assertEquals(texts, ids.map { waymark.checkin(it).text })
            mapOf("cafe" to 0, "🎉" to 0, "东京" to 1, "タワー" to 2, "שלום" to 3, "بالعالم" to 4, "family" to 5)
                .forEach { (query, index) ->
                    val hits = waymark.searchJournal(query, 10u)
                    assertEquals("query $query", listOf(texts[index]), hits.map { it.entry.preview })
                }
            val hit = waymark.searchJournal("crème", 10u).single()
            assertEquals(listOf("crème"), hit.snippet.filter { it.highlighted }.map { it.text })
            assertEquals(texts[0], hit.snippet.joinToString("") { it.text })
        }
    }

    @Test
    fun editDeleteAndUndoDelete() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            val saved = waymark.addCheckin(draft(-1, "rough morning"))
            val edited = waymark.editCheckin(saved.id, draft(1, "better by noon"))
            assertEquals("better by noon", edited.text)
            assertEquals(saved.occurredAt, edited.occurredAt)
            assertNotNull(waymark.deleteCheckin(saved.id).deletedAt)
            assertTrue(waymark.journalPage(JournalQuery()).entries.isEmpty())
            assertRefused<JournalException.Deleted> { waymark.editCheckin(saved.id, draft(0)) }
            assertNull(waymark.undeleteCheckin(saved.id).deletedAt)
            assertEquals(listOf(saved.id), waymark.journalPage(JournalQuery()).entries.map { it.id })
        }
    }

    @Test
    fun pagesWalkTheJournalNewestFirstWithoutGaps() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            val start = Instant.parse("2026-10-01T12:00:00Z")
            val ids = (0 until 23).map { waymark.addCheckin(draft(0, at = start.plusSeconds(3600L * (it / 2)))) }
                .sortedWith(compareByDescending<app.waymark.core.CheckIn> { it.occurredAt }.thenByDescending { it.id })
                .map { it.id }
            val seen = mutableListOf<String>()
            var cursor: String? = null
            do {
                val page = waymark.journalPage(JournalQuery(limit = 5u, after = cursor))
                seen += page.entries.map { it.id }
                cursor = page.nextCursor
            } while (cursor != null)
            assertEquals(ids, seen)
            val ranged = waymark.journalPage(JournalQuery(from = start, to = start.plusSeconds(3600)))
            assertEquals(2, ranged.entries.size)
        }
    }

    @Test
    fun todayBuildsTheHomeScreenInOneCall() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            val now = Instant.parse("2026-11-20T18:30:00Z")
            waymark.addCheckin(draft(3, "today", now.minusSeconds(3600)))
            waymark.addCheckin(draft(-1, "also today", now))
            waymark.addCheckin(draft(2, "yesterday in Paris", Instant.parse("2026-11-19T22:59:00Z")))
            val view = waymark.today(now, zone)
            assertEquals("2026-11-20", view.date)
            assertEquals(zone, view.zone)
            assertEquals(listOf("also today", "today"), view.entries.map { it.preview })
            assertEquals(2u, view.streakDays)
            assertEquals(7, view.last7Days.size)
            assertEquals(view.date, view.last7Days.last().date)
            assertEquals(1.0, view.last7Days.last().meanValence!!, 0.0)
            assertEquals(2.0, view.last7Days[5].meanValence!!, 0.0)
        }
    }

    @Test
    fun invalidInputIsATypedExceptionWithAReadableMessage() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            val error = assertRefused<JournalException.InvalidValence> { waymark.addCheckin(draft(4)) }
            assertTrue(error.message!!, error.message!!.contains("valence 4 is out of range"))
            assertRefused<JournalException.InvalidAnxiety> {
                waymark.addCheckin(CheckInDraft(valence = 0, anxiety = 11, zone = zone))
            }
            assertRefused<JournalException.TextTooLong> { waymark.addCheckin(draft(0, "x".repeat(100_001))) }
            assertRefused<ZoneException.Unknown> { waymark.today(Instant.EPOCH, "Atlantis/Capital") }
            assertRefused<JournalException.NotFound> { waymark.checkin("no-such-id") }
            assertTrue(waymark.journalPage(JournalQuery()).entries.isEmpty())
        }
    }

    @Test
    fun aWrongOrShortKeyIsATypedExceptionAndTheFileIsUntouched() {
        val path = newDbPath()
        Waymark.open(path, key, null).use { it.addCheckin(draft(1, "kept")) }
        val before = File(path).readBytes()
        val wrong = assertStorageFailure(StorageFailure.WRONG_KEY) { Waymark.open(path, ByteArray(32) { 9 }, null) }
        assertTrue(wrong.error is StoreException.WrongKey)
        assertTrue(wrong.error.message!!, wrong.error.message!!.contains("does not open the database"))
        val short = assertStorageFailure(StorageFailure.WRONG_KEY) { Waymark.open(path, ByteArray(16), null) }
        assertTrue(short.error is StoreException.KeyLength)
        assertTrue(before.contentEquals(File(path).readBytes()))
        Waymark.open(path, key, null).use { assertEquals("kept", it.journalPage(JournalQuery()).entries.single().preview) }
    }

    @Test
    fun rekeyMovesTheDatabaseToANewKey() {
        val path = newDbPath()
        val newKey = ByteArray(32) { (it * 3).toByte() }
        Waymark.open(path, key, null).use {
            it.addCheckin(draft(2, "before rekey"))
            assertStorageFailure(StorageFailure.WRONG_KEY) { it.rekey(ByteArray(31)) }
            it.rekey(newKey)
        }
        assertStorageFailure(StorageFailure.WRONG_KEY) { Waymark.open(path, key, null) }
        Waymark.open(path, newKey, null).use {
            assertEquals("before rekey", it.journalPage(JournalQuery()).entries.single().preview)
        }
    }
}
