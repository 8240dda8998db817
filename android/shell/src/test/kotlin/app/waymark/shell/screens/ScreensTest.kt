package app.waymark.shell.screens

import app.waymark.core.Answer
import app.waymark.core.CourseTemplate
import app.waymark.core.EmotionLabel
import app.waymark.core.ExportFormat
import app.waymark.core.Instrument
import app.waymark.core.SafetyAlertKind
import app.waymark.core.SafetyPlanStep
import app.waymark.core.SafetySearchHitKind
import app.waymark.core.StorageFailure
import app.waymark.core.StoreException
import app.waymark.core.WaymarkException
import app.waymark.shell.Phone
import app.waymark.shell.ProfileState
import java.io.File
import java.time.ZoneId
import java.time.temporal.ChronoUnit
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** Each screen's state holder against the real library: what it shows, what it does, and how many calls it makes. */
class ScreensTest {
    @Test
    fun everyScreenLoadsInAtMostThreeCalls() = runBlocking {
        val phone = Phone()
        val device = phone.device
        val onLoad = linkedMapOf<String, Int>()
        suspend fun screen(name: String, load: suspend () -> Unit) {
            onLoad[name] = phone.counter.count(load)
        }
        screen("unlock (no profile yet)") { UnlockHolder(phone.profile, device).load() }
        screen("help now (no profile)") { HelpNowHolder(phone.profile, device).load() }
        screen("safety library (no profile)") { SafetyLibraryHolder(phone.profile, device).load() }
        phone.opened()
        val entry = phone.profile.call { it.addCheckin(app.waymark.core.CheckInDraft(valence = 1, zone = device.zone)) }
        screen("home") { HomeHolder(phone.profile, device).load() }
        screen("check-in") { CheckInHolder(phone.profile, device, phone.planChanged).load() }
        screen("check-in, editing an entry") { CheckInHolder(phone.profile, device, phone.planChanged).loadEntry(entry.id) }
        screen("journal and search") { JournalHolder(phone.profile).load() }
        screen("PHQ-9") { AssessmentHolder(phone.profile, device, phone.planChanged, Instrument.PHQ9).load() }
        screen("GAD-7") { AssessmentHolder(phone.profile, device, phone.planChanged, Instrument.GAD7).load() }
        screen("vitals") { VitalsHolder(phone.profile, device) }
        screen("progress") { ProgressHolder(phone.profile, device).load() }
        screen("course and appointments") { CourseHolder(phone.profile, device, phone.planChanged).load() }
        screen("prompts") { PromptsHolder(phone.profile, device, phone.planChanged).load() }
        screen("safety library") { SafetyLibraryHolder(phone.profile, device).load() }
        screen("help now") { HelpNowHolder(phone.profile, device).load() }
        screen("safety plan") { SafetyPlanHolder(phone.profile).load() }
        screen("share, pairing and sync status") { SharingHolder(phone.profile, device, NoNetwork, phone.planChanged).load() }
        screen("backup and restore") { BackupHolder(phone.profile, phone.reminders) }
        screen("import") { ImportHolder(phone.profile, device, phone.planChanged) }
        screen("export") { ExportHolder(phone.profile) }
        screen("erase") { EraseHolder(phone.profile, phone.reminders, "BORRAR") }
        screen("settings") { SettingsHolder(phone.profile, phone.planChanged).load() }
        println("FFI calls on load, by screen (android/shell state holders):")
        onLoad.forEach { (name, calls) -> println("  %-34s %d".format(name, calls)) }
        assertTrue("$onLoad", onLoad.values.all { it <= 3 })
        assertEquals(3, onLoad["check-in, editing an entry"])
        phone.profile.close()
    }

    @Test
    fun aCheckInIsSavedEditedFoundDeletedAndBroughtBack() = runBlocking {
        val phone = Phone().opened()
        val checkIn = CheckInHolder(phone.profile, phone.device, phone.planChanged)
        checkIn.load()
        assertEquals("es", checkIn.state.value.vocabulary!!.language)
        assertFalse(checkIn.state.value.canSave)
        checkIn.edit { it.copy(valence = -1, text = "Un paseo junto al río") }
        checkIn.toggle(EmotionLabel.CALM)
        checkIn.save()
        val saved = checkIn.state.value.saved!!
        assertEquals(listOf(EmotionLabel.CALM), saved.labels)
        assertEquals(phone.device.now, saved.occurredAt)

        checkIn.loadEntry(saved.id)
        checkIn.edit { it.copy(valence = 9) }
        checkIn.save()
        assertTrue(checkIn.state.value.error!!, checkIn.state.value.error!!.contains("9"))
        assertEquals(-1, phone.profile.call { it.checkin(saved.id) }.valence)
        checkIn.edit { it.copy(valence = 2) }
        checkIn.save()
        assertNull(checkIn.state.value.error)

        val journal = JournalHolder(phone.profile)
        journal.load()
        assertEquals(2, journal.state.value.rows.single().valence)
        journal.search("río")
        assertEquals(saved.id, journal.state.value.hits!!.single().entry.id)
        journal.delete(saved.id)
        assertTrue(journal.state.value.rows.isEmpty())
        journal.undo()
        assertEquals(saved.id, journal.state.value.rows.single().id)
        phone.profile.close()
    }

    @Test
    fun item9AboveZeroShowsTheHelpCardAndAnUnsavedResultStillShowsHelp() = runBlocking {
        val phone = Phone().opened()
        val phq9 = AssessmentHolder(phone.profile, phone.device, phone.planChanged, Instrument.PHQ9)
        phq9.load()
        val form = phq9.state.value.form!!
        assertEquals(9, form.items.size)
        assertTrue(form.items.last().allowsPreferNotToAnswer)
        form.items.indices.forEach { phq9.answer(it, 0u) }
        phq9.answer(8, 1u)
        phq9.submit()
        val alert = phq9.state.value.result!!.safetyAlert!!
        assertEquals(SafetyAlertKind.PHQ9_SELF_HARM_THOUGHTS, alert.kind)
        assertTrue(alert.helpNow!!.lines.isNotEmpty())

        // Declined: the gentler card, as on every other path.
        phq9.decline(8)
        phq9.submit()
        assertEquals(SafetyAlertKind.PHQ9_SELF_HARM_DECLINED, phq9.state.value.result!!.safetyAlert!!.kind)

        // A missing answer is the core's refusal, shown beside the form; nothing is saved.
        phq9.load()
        phq9.submit()
        assertNotNull(phq9.state.value.error)
        assertNull(phq9.state.value.result)

        // The disk fills as the patient saves: help comes from the bundled lines, and the profile goes to its screen.
        phone.counter.failing = mapOf("addAssessment" to WaymarkException.Storage(StorageFailure.DISK_FULL, StoreException.DiskFull("the disk is full")))
        form.items.indices.forEach { phq9.answer(it, 3u) }
        phq9.submit()
        assertNull(phq9.state.value.result)
        assertTrue(phq9.state.value.unsavedHelp!!.lines.any { it.country == "ES" })
        assertEquals(ProfileState.DiskFull, phone.profile.state.value)
        assertEquals("the disk is full", phq9.state.value.error)
    }

    @Test
    fun aStorageFailureOnAnyScreenMovesTheProfileToItsRecoveryScreen() = runBlocking {
        val phone = Phone().opened()
        phone.counter.failing = mapOf("home" to WaymarkException.Storage(StorageFailure.DAMAGED, StoreException.Damaged("page 7 is damaged")))
        val home = HomeHolder(phone.profile, phone.device)
        home.load()
        assertEquals(ProfileState.Damaged, phone.profile.state.value)
        assertEquals("page 7 is damaged", home.state.value.error)
        // Help now still answers, from the bundled lines.
        val help = HelpNowHolder(phone.profile, phone.device)
        help.load()
        assertTrue(help.state.value.help!!.lines.isNotEmpty())
        // The recovery screen's retry opens the store afresh.
        phone.counter.failing = emptyMap()
        assertEquals(ProfileState.Open, UnlockHolder(phone.profile, phone.device).unlock())
        home.load()
        assertNull(home.state.value.error)

        // A panic in the core arrives as uniffi's InternalException: the screen shows it, the app goes on.
        phone.counter.failing = mapOf("home" to app.waymark.InternalException("the core panicked"))
        home.load()
        assertEquals("the core panicked", home.state.value.error)
        assertEquals(ProfileState.Open, phone.profile.state.value)
        phone.profile.close()
    }

    @Test
    fun aCourseItsChecklistAndItsCalendarFile() = runBlocking {
        val phone = Phone().opened()
        val zone = ZoneId.of(phone.device.zone)
        val first = phone.device.now.plus(4, ChronoUnit.DAYS).atZone(zone).toLocalDate().atTime(9, 0)
        val course = CourseHolder(phone.profile, phone.device, phone.planChanged)
        course.start(CourseTemplate.ESKETAMINE, first.toString())
        val next = course.state.value.overview!!.next!!
        assertEquals(first.toString(), next.appointment.localStart.take(16))
        val item = next.care.first().kind
        course.check(next.appointment.id, item, true)
        assertTrue(course.state.value.overview!!.next!!.care.first { it.kind == item }.checked)
        assertTrue("reminders were planned", phone.sink.scheduled.isNotEmpty())
        course.exportCalendar()
        val file = course.events.first() as ScreenEvent.Share
        assertTrue(file.content.startsWith("BEGIN:VCALENDAR"))
        course.move(next.appointment.id, "not a time")
        assertNotNull(course.state.value.error)
        phone.profile.close()
    }

    @Test
    fun theSafetyScreensWorkWithoutAProfileAndTheCrisisWordsLeadToHelpNow() = runBlocking {
        val phone = Phone()
        val library = SafetyLibraryHolder(phone.profile, phone.device)
        library.load()
        assertTrue(library.state.value.pages.isNotEmpty())
        library.search("quiero morir")
        val first = library.state.value.hits!!.first()
        assertEquals(SafetySearchHitKind.HELP_NOW, first.kind)
        library.openHit(first)
        assertEquals(ScreenEvent.Navigate(Destination.HelpNow), library.events.first())
        library.openPage(library.state.value.pages.first().id)
        assertNotNull(library.state.value.open)

        phone.opened()
        val plan = SafetyPlanHolder(phone.profile)
        plan.load()
        plan.add(SafetyPlanStep.WARNING_SIGNS, "No dormir")
        plan.add(SafetyPlanStep.WARNING_SIGNS, "Aislarme")
        val items = plan.state.value.plan!!.sections.first { it.step == SafetyPlanStep.WARNING_SIGNS }.items
        plan.move(items[1].id, 0u)
        assertEquals(listOf("Aislarme", "No dormir"), plan.state.value.plan!!.sections.first { it.step == SafetyPlanStep.WARNING_SIGNS }.items.map { it.text })
        plan.remove(items[0].id)
        plan.export()
        assertTrue((plan.events.first() as ScreenEvent.Share).content.contains("Aislarme"))
        plan.add(SafetyPlanStep.WARNING_SIGNS, "")
        assertNotNull(plan.state.value.error)
        phone.profile.close()
    }

    @Test
    fun aDaylioExportIsPreviewedThenImportedOnceAndACalendarFileBringsSessions() = runBlocking {
        val phone = Phone().opened()
        val import = ImportHolder(phone.profile, phone.device, phone.planChanged)
        val csv = "year,date,weekday,time,mood,activities,note\n" +
            "2017,September 13,Wednesday,5:01 PM,good,\"work | friends\",\"Nice day\"\n" +
            "2017,September 12,Tuesday,10:00 pm,awful,\"\",\"\"\n"
        import.previewDaylio(csv)
        assertEquals(2u, import.state.value.daylio!!.entries)
        assertEquals(0, phone.profile.call { it.journalPage(app.waymark.core.JournalQuery(limit = 10u)) }.entries.size)
        import.importDaylio()
        assertEquals(2u, import.state.value.imported!!.added)
        import.previewDaylio(csv)
        assertEquals(2u, import.state.value.daylio!!.alreadyImported)
        import.importDaylio()
        assertEquals(0u, import.state.value.imported!!.added)

        val start = phone.device.now.plus(5, ChronoUnit.DAYS).atZone(ZoneId.of("UTC"))
        val stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        val ics = listOf(
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Clinic//EN", "BEGIN:VEVENT", "UID:s1@clinic", "SEQUENCE:0",
            "DTSTAMP:" + stamp.format(start), "DTSTART:" + stamp.format(start), "DTEND:" + stamp.format(start.plusHours(2)),
            "SUMMARY:Ketamine infusion", "END:VEVENT", "END:VCALENDAR", "",
        ).joinToString("\r\n")
        import.importCalendar(ics)
        assertEquals(null, import.state.value.error)
        assertEquals(1u, import.state.value.calendar!!.added)
        import.importCalendar("BEGIN:VCALENDAR\r\nnot a calendar")
        assertNotNull(import.state.value.error)
        phone.profile.close()
    }

    @Test
    fun settingsProgressVitalsExportAndErase() = runBlocking {
        val phone = Phone().opened()
        val settings = SettingsHolder(phone.profile, phone.planChanged)
        settings.load()
        settings.region("MX")
        assertEquals("MX", settings.state.value.settings!!.region)
        settings.language("en")
        assertEquals("en", settings.state.value.settings!!.contentLanguage)
        settings.region("Atlantis")
        assertNotNull(settings.state.value.error)

        val vitals = VitalsHolder(phone.profile, phone.device)
        vitals.edit { it.copy(systolic = 185, diastolic = 112) }
        vitals.save()
        assertNotNull(vitals.state.value.saved!!.flag)

        val progress = ProgressHolder(phone.profile, phone.device)
        progress.load()
        assertEquals(1, progress.state.value.progress!!.vitals.size)

        val export = ExportHolder(phone.profile)
        export.export(ExportFormat.CSV)
        assertTrue(export.state.value.files.isNotEmpty())

        val erase = EraseHolder(phone.profile, phone.reminders, "BORRAR")
        erase.type("borra")
        erase.erase()
        assertTrue(phone.database.exists())
        erase.type(" borrar ")
        erase.erase()
        assertTrue(erase.state.value.erased)
        assertFalse(phone.database.exists() || phone.keyFile.exists())
        assertEquals(ProfileState.NotOpened, phone.profile.state.value)
        assertFalse(File(phone.dir, "waymark.db-wal").exists())
    }
}

/** A transport for screens that never reach the network. */
object NoNetwork : app.waymark.core.HttpTransport {
    override fun send(request: app.waymark.core.HttpRequest): app.waymark.core.HttpResponse =
        throw app.waymark.core.TransportException.Unreachable("no network in this test")
}
