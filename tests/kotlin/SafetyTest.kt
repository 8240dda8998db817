package app.waymark

import app.waymark.core.Answer
import app.waymark.core.AssessmentDraft
import app.waymark.core.Confidence
import app.waymark.core.HelpLineKind
import app.waymark.core.Instrument
import app.waymark.core.SafetyException
import app.waymark.core.SafetyPlanStep
import app.waymark.core.SafetySearchHitKind
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** Crisis lines, the region setting and the safety plan, as a shell sees them. */
class SafetyTest {
    private val key = ByteArray(32) { 11 }

    @Test
    fun helpNowGivesEmergencyFirstAndNeverTheRetiredUsNumber() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            val us = waymark.helpNow("US", null)
            assertEquals(HelpLineKind.EMERGENCY, us.lines[0].kind)
            assertEquals("988", us.lines[1].phone)
            assertTrue(us.lines.none { it.phone?.contains("273-8255") == true })
            assertNull(us.fallback)
            val unknown = waymark.helpNow(null, null)
            assertTrue(unknown.lines.isEmpty())
            assertNotNull(unknown.fallback)
            assertEquals("GB", waymark.setRegion("gb"))
            assertEquals("GB", waymark.region())
            assertTrue(waymark.helpNow(null, null).lines.any { it.phone == "116 123" })
            assertRefused<SafetyException.InvalidRegion> { waymark.setRegion("Britain") }
            assertNull(waymark.setRegion(null))
        }
    }

    @Test
    fun helpNowNeedsNoProfile() {
        val gb = helpNow("GB", "en-GB")
        assertEquals(HelpLineKind.EMERGENCY, gb.lines[0].kind)
        assertTrue(gb.lines.any { it.phone == "116 123" })
        assertEquals(gb.lines, helpNow("gb", "en").lines)
        val nowhere = helpNow(null, "es")
        assertTrue(nowhere.lines.isEmpty())
        assertNotNull(nowhere.fallback)
    }

    @Test
    fun theSafetyLibraryReadsAndSearchesOfflineInEnglishAndSpanish() {
        val pages = safetyPages("en")
        assertEquals(14, pages.size)
        assertTrue(pages.any { it.id == "at-home-ketamine" } && pages.any { it.id == "after-course" })
        assertTrue(pages.all { it.sources.isNotEmpty() })
        assertEquals("Las horas después de una sesión", safetyPage("after-session", "es").title)
        assertEquals("en", safetyPage("after-session", "fr-FR").locale)
        assertRefused<SafetyException.UnknownPage> { safetyPage("nope", "en") }
        assertEquals("after-session", searchSafety("driving", "en").first().id)
        assertEquals("after-session", searchSafety("conducir", "es").first().id)
        assertEquals(SafetySearchHitKind.HELP_NOW, searchSafety("driving", "en").last().kind)
        for (query in listOf("I want to kill myself", "self-harm", "quiero morir", "hacerme daño")) {
            val hits = searchSafety(query, "es")
            assertEquals(query, SafetySearchHitKind.HELP_NOW, hits[0].kind)
            assertEquals("Ayuda ahora", hits[0].title)
            assertEquals(query, "warning-signs", hits[1].id)
        }
    }

    @Test
    fun everyLineSaysWhetherItIsOpen247AndWhereItComesFrom() = Waymark.open(newDbPath(), key, null).use { waymark ->
        val italy = waymark.helpNow("IT", "en")
        assertEquals(HelpLineKind.EMERGENCY, italy.lines[0].kind)
        assertEquals("Call 112", italy.lines[0].callLabel)
        val amico = italy.lines.first { it.name.startsWith("Telefono Amico") }
        assertFalse(amico.open247)
        assertTrue(amico.hoursNote!!.startsWith("Not open 24/7: daily 09:00-24:00"))
        assertNotNull(italy.limitedHoursNote)
        val samaritans = waymark.helpNow("GB", "en").lines.first { it.phone == "116 123" }
        assertEquals(Confidence.HIGH, samaritans.confidence)
        assertTrue(samaritans.checkedSource!!.contains("samaritans.org"))
        assertEquals("1669", waymark.helpNow("TH", "en").lines[0].phone)
    }

    @Test
    fun theSafetyPlanIsEditedExportedAndCarriedByAnItem9Alert() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            assertEquals(6, waymark.safetyPlan().sections.size)
            waymark.addSafetyPlanItem(SafetyPlanStep.WARNING_SIGNS, "Not sleeping")
            waymark.addSafetyPlanItem(SafetyPlanStep.WARNING_SIGNS, "Skipping meals")
            val added = waymark.addSafetyPlanItem(SafetyPlanStep.PEOPLE_TO_ASK, "My sister")
            val ana = added.sections[3].items.single().id
            waymark.editSafetyPlanItem(ana, "My sister Ana")
            val signs = waymark.safetyPlan().sections[0].items
            val moved = waymark.moveSafetyPlanItem(signs[1].id, 0u)
            assertEquals(listOf("Skipping meals", "Not sleeping"), moved.sections[0].items.map { it.text })
            assertRefused<SafetyException.InvalidPosition> { waymark.moveSafetyPlanItem(signs[1].id, 2u) }
            assertRefused<SafetyException.UnknownItem> { waymark.editSafetyPlanItem("nope", "text") }
            var plan = waymark.removeSafetyPlanItem(signs[0].id)
            plan = waymark.removeSafetyPlanItem(signs[1].id)
            assertTrue(plan.sections[0].items.isEmpty())
            assertTrue(waymark.exportSafetyPlan().contains("4. People I can ask for help\n   - My sister Ana"))
            val withReason = waymark.setPlanReason("My daughter")
            assertEquals("My daughter", withReason.reason)
            assertTrue(withReason.sections[5].hint!!.contains("ketamine"))
            waymark.setRegion("GB")
            assertEquals("999", waymark.safetyPlan().sections[4].suggestedLines[0].phone)
            assertNull(waymark.setPlanReason(null).reason)
            assertRefused<SafetyException.EmptyItem> { waymark.addSafetyPlanItem(SafetyPlanStep.DISTRACTIONS, " ") }

            waymark.setRegion("AU")
            val answers = (1..8).map { Answer.Score(0) } + Answer.Score(1)
            val alert = waymark.addAssessment(AssessmentDraft(Instrument.PHQ9, answers, zone = "Australia/Sydney")).safetyAlert!!
            assertTrue(alert.helpNow!!.lines.any { it.phone == "13 11 14" })
            assertEquals("My sister Ana", alert.safetyPlan!!.sections[3].items[0].text)
            assertFalse(alert.message.contains("dose"))
        }
    }

    @Test
    fun aSpanishSpeakerGetsHelpTheAlertAndThePlanInSpanish() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            assertNull(waymark.language())
            assertEquals("en", waymark.contentLanguage())
            assertEquals("es", waymark.setLanguage("es-MX"))
            assertEquals("es", waymark.language())
            assertEquals("es", waymark.contentLanguage())
            assertRefused<SafetyException.InvalidLanguage> { waymark.setLanguage("español") }
            waymark.setRegion("MX")
            val help = waymark.helpNow(null, null)
            assertEquals("es", help.locale)
            assertEquals("911", help.lines[0].phone)
            assertEquals("inglés", waymark.helpNow("GB", null).lines.first { it.name == "Samaritans" }.languages)
            assertEquals("English", waymark.helpNow("GB", "en").lines.first { it.name == "Samaritans" }.languages)
            assertTrue(waymark.helpNow("ZZ", null).fallback!!.contains("número local de emergencias"))

            val answers = (1..8).map { Answer.Score(0) } + Answer.Score(2)
            val alert = waymark.addAssessment(AssessmentDraft(Instrument.PHQ9, answers, zone = "America/Mexico_City")).safetyAlert!!
            assertEquals("No tiene que afrontar esto a solas", alert.title)
            assertTrue(alert.nobodyIsTold.startsWith("Waymark no avisa a su clínica"))
            assertEquals("Señales de alerta", alert.safetyPlan!!.sections[0].title)
            assertTrue(waymark.exportSafetyPlan().startsWith("Mi plan de seguridad\n"))
            assertNull(waymark.setLanguage(null))
        }
    }

    @Test
    fun theDeviceLocaleFillsInWhatThePatientHasNotSet() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            waymark.setDeviceLocale("es_AR")
            val help = waymark.helpNow(null, null)
            assertEquals("AR", help.region)
            assertEquals("es", help.locale)
            assertNull(waymark.region())
            waymark.setDeviceLocale(null)
            assertNull(waymark.helpNow(null, null).region)
        }
    }
}
