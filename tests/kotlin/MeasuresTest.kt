package app.waymark

import app.waymark.core.Answer
import app.waymark.core.AssessmentDraft
import app.waymark.core.AssessmentFilter
import app.waymark.core.BaselineRule
import app.waymark.core.CheckInDraft
import app.waymark.core.Instrument
import app.waymark.core.MeasureException
import app.waymark.core.MeasureSchedule
import app.waymark.core.OutcomeStatus
import app.waymark.core.ProgressQuery
import app.waymark.core.SafetyAlertKind
import app.waymark.core.Severity
import app.waymark.core.VitalsDraft
import java.time.Instant
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** PHQ-9, GAD-7, vitals and progress as a shell sees them, through the bindings. */
class MeasuresTest {
    private val key = ByteArray(32) { 3 }
    private val zone = "Europe/Paris"
    private val now = Instant.parse("2026-11-20T12:00:00Z")

    private fun scores(vararg values: Int) = values.map { Answer.Score(it) }

    private fun phq9(vararg values: Int, at: Instant? = null) =
        AssessmentDraft(instrument = Instrument.PHQ9, answers = scores(*values), takenAt = at, zone = zone)

    @Test
    fun theFormsAreBundledWithTheirWordingAndCodes() {
        val phq9 = measureForm(Instrument.PHQ9, "en-GB")
        assertEquals("en", phq9.locale)
        assertEquals(9, phq9.items.size)
        assertEquals("44261-6", phq9.loincTotal)
        assertTrue(phq9.items[8].allowsPreferNotToAnswer)
        assertTrue(phq9.items[8].text.startsWith("Thoughts that you would be better off dead"))
        assertEquals(listOf("Not at all", "Several days", "More than half the days", "Nearly every day"),
            phq9.options.map { it.label })
        val gad7 = measureForm(Instrument.GAD7, "en")
        assertEquals(7, gad7.items.size)
        assertTrue(gad7.items.none { it.allowsPreferNotToAnswer })
        assertTrue(gad7.source.contains("Spitzer"))
        assertEquals("Over the last 2 weeks, how often have you been bothered by the following problems?", gad7.question)
    }

    @Test
    fun spanishFormsAreTheOfficialUsSpanishWithTheSameCodes() {
        val phq9 = measureForm(Instrument.PHQ9, "es_MX")
        assertEquals("es", phq9.locale)
        assertEquals("Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera", phq9.items[8].text)
        assertEquals("44260-8", phq9.items[8].loinc)
        assertEquals(listOf("Ningún día", "Varios días", "Más de la mitad de los días", "Casi todos los días"),
            phq9.options.map { it.label })
        val gad7 = measureForm(Instrument.GAD7, "es")
        assertEquals("Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta", gad7.items[0].text)
        assertEquals("en", measureForm(Instrument.GAD7, "de").locale)
    }

    @Test
    fun anItem9AnswerAboveZeroReachesKotlinAsASafetyAlertAndAnEvent() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            val result = waymark.addAssessment(phq9(0, 0, 0, 0, 0, 0, 0, 0, 1, at = Instant.parse("2026-11-19T09:00:00Z")))
            assertEquals(1u, result.total)
            assertEquals(Severity.MINIMAL, result.severity)
            val alert = result.safetyAlert!!
            assertEquals(SafetyAlertKind.PHQ9_SELF_HARM_THOUGHTS, alert.kind)
            assertTrue(alert.message.contains("emergency"))
            val events = waymark.safetyEvents(null, null)
            assertEquals(1, events.size)
            assertEquals(result.id, events[0].assessmentId)
            assertNotNull(alert.helpNow)
            assertEquals(6, alert.safetyPlan!!.sections.size)
            assertTrue(alert.nobodyIsTold.contains("does not alert your clinic"))
            // Read back later, the alert still brings the lines and the plan.
            assertEquals(result, waymark.assessment(result.id))
            assertEquals(alert, waymark.assessments(AssessmentFilter())[0].safetyAlert)
            assertEquals(Answer.Score(1), waymark.progress(now, ProgressQuery(zone = zone)).phq9.trajectory[0].item9Answer)
        }
    }

    @Test
    fun preferNotToAnswerIsAllowedOnItem9Only() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            val declined = scores(1, 1, 1, 1, 1, 1, 1, 1) + Answer.PreferNotToAnswer
            val saved = waymark.addAssessment(AssessmentDraft(Instrument.PHQ9, declined, Instant.parse("2026-11-19T09:00:00Z"), zone))
            assertEquals(8u, saved.total)
            assertTrue(!saved.complete)
            val card = saved.safetyAlert!!
            assertEquals(SafetyAlertKind.PHQ9_SELF_HARM_DECLINED, card.kind)
            assertNotNull(card.helpNow)
            assertNotNull(card.safetyPlan)
            assertEquals(SafetyAlertKind.PHQ9_SELF_HARM_DECLINED, waymark.safetyEvents(null, null).single().kind)
            assertEquals(card, waymark.assessment(saved.id).safetyAlert)
            val point = waymark.progress(now, ProgressQuery(zone = zone)).phq9.trajectory.single()
            assertEquals(Answer.PreferNotToAnswer, point.item9Answer)
            assertTrue(!point.complete)
            assertNull("an incomplete result is no baseline", waymark.progress(now, ProgressQuery(zone = zone)).phq9.baseline)
            assertRefused<MeasureException.IncompleteBaseline> { waymark.pickBaseline(saved.id) }
            val early = listOf(Answer.PreferNotToAnswer) + scores(1, 1, 1, 1, 1, 1, 1, 1)
            assertRefused<MeasureException.CannotDecline> {
                waymark.addAssessment(AssessmentDraft(Instrument.PHQ9, early, zone = zone))
            }
        }
    }

    @Test
    fun badFormsAreTypedExceptionsAndNothingIsStored() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            val missing = assertRefused<MeasureException.MissingAnswer> { waymark.addAssessment(phq9(1, 1, 1, 1, 1, 1, 1, 1)) }
            assertTrue(missing.message!!.contains("item 9"))
            assertRefused<MeasureException.TooManyAnswers> { waymark.addAssessment(phq9(1, 1, 1, 1, 1, 1, 1, 1, 1, 1)) }
            assertRefused<MeasureException.AnswerOutOfRange> { waymark.addAssessment(phq9(4, 1, 1, 1, 1, 1, 1, 1, 1)) }
            assertRefused<MeasureException.AnswerOutOfRange> { waymark.addAssessment(phq9(-1, 1, 1, 1, 1, 1, 1, 1, 1)) }
            assertRefused<MeasureException.SystolicOutOfRange> {
                waymark.addVitals(VitalsDraft(systolic = 300, diastolic = 20, zone = zone))
            }
            assertRefused<MeasureException.DiastolicNotBelowSystolic> {
                waymark.addVitals(VitalsDraft(systolic = 80, diastolic = 120, zone = zone))
            }
            assertTrue(waymark.assessments(AssessmentFilter()).isEmpty())
            assertTrue(waymark.progress(now, ProgressQuery(zone = zone)).vitals.isEmpty())
        }
    }

    @Test
    fun theProgressScreenComesInOneCall() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            val baseline = waymark.addAssessment(phq9(3, 3, 3, 3, 3, 3, 2, 0, 0, at = Instant.parse("2026-10-01T09:00:00Z")))
            waymark.addAssessment(phq9(2, 2, 2, 1, 1, 1, 0, 0, 0, at = Instant.parse("2026-10-29T09:00:00Z")))
            waymark.addAssessment(
                AssessmentDraft(Instrument.GAD7, scores(1, 1, 1, 1, 1, 1, 1), Instant.parse("2026-10-29T09:05:00Z"), zone),
            )
            waymark.addCheckin(CheckInDraft(valence = 1, anxiety = 3, occurredAt = Instant.parse("2026-10-29T10:00:00Z"), zone = zone))
            val reading = waymark.addVitals(
                VitalsDraft(systolic = 185, diastolic = 95, heartRate = 80, takenAt = Instant.parse("2026-10-29T11:00:00Z"), zone = zone),
            )
            assertNotNull(reading.flag)

            val progress = waymark.progress(now, ProgressQuery(from = "2026-10-01", to = "2026-10-31", zone = zone))
            assertEquals(20u, progress.phq9.baseline!!.total)
            assertEquals(9u, progress.phq9.latest!!.total)
            assertEquals(55.0, progress.phq9.reductionPercent!!, 1e-9)
            assertEquals(OutcomeStatus.MET, progress.phq9.response!!.status)
            assertEquals(OutcomeStatus.NOT_MET, progress.phq9.remission!!.status)
            assertTrue(progress.phq9.response!!.definition.contains("50%"))
            assertTrue(progress.clinicNote.contains("before changing or stopping any treatment"))
            assertEquals(7u, progress.gad7.latest!!.total)
            assertEquals(listOf("2026-10-29"), progress.trends.map { it.date })
            assertEquals(3.0, progress.trends[0].meanAnxiety!!, 0.0)
            assertEquals(1, progress.vitals.size)
            assertEquals(2, progress.due.size)

            val picked = waymark.pickBaseline(progress.phq9.latest!!.id)
            assertEquals(BaselineRule.PICKED, waymark.progress(now, ProgressQuery(zone = zone)).phq9.baselineRule)
            waymark.clearBaseline(Instrument.PHQ9)
            assertEquals(baseline.id, waymark.progress(now, ProgressQuery(zone = zone)).phq9.baseline!!.id)
            assertEquals(picked.id, waymark.assessments(AssessmentFilter(instrument = Instrument.PHQ9))[0].id)
        }
    }

    @Test
    fun measuresFallDueOnTheirSchedule() {
        Waymark.open(newDbPath(), key, null).use { waymark ->
            assertTrue(waymark.dueMeasures(now, zone).all { it.dueNow && it.dueAt == null })
            waymark.addAssessment(phq9(1, 1, 1, 1, 1, 1, 1, 1, 0, at = now))
            val phq9 = waymark.dueMeasures(now, zone).first { it.instrument == Instrument.PHQ9 }
            assertTrue(!phq9.dueNow)
            val weekOn = Instant.parse("2026-11-26T23:00:00Z")
            assertEquals("a week on, from the start of that day in Paris", weekOn, phq9.dueAt)
            assertTrue(waymark.dueMeasures(weekOn, zone).first { it.instrument == Instrument.PHQ9 }.dueNow)
            waymark.setMeasureSchedule(MeasureSchedule(Instrument.GAD7, 14u, false))
            assertEquals(listOf(Instrument.PHQ9), waymark.dueMeasures(now, zone).map { it.instrument })
            assertEquals(14u, waymark.measureSchedules().first { it.instrument == Instrument.GAD7 }.everyDays)
            assertRefused<MeasureException.InvalidInterval> {
                waymark.setMeasureSchedule(MeasureSchedule(Instrument.PHQ9, 0u, true))
            }
        }
    }
}
