//! The uniffi surface of waymark-core: one object per open profile, with
//! calls shaped around screens. Everything here converts and delegates; the
//! rules live in the core.

use std::sync::Arc;

use zeroize::Zeroizing;

use std::time::{Duration, SystemTime};

use waymark_core::backup::RestoreReport;
use waymark_core::export::{ExportFormat, ExportedFile};
use waymark_core::import::{ImportPreview, ImportResult, MoodMapping};
use waymark_core::journal::Vocabulary;
use waymark_core::measures::{self, Assessment, AssessmentDraft, AssessmentFilter, DueMeasure, Form, Instrument};
use waymark_core::measures::{MeasureSchedule, Progress, ProgressQuery, VitalsDraft, VitalsReading};
use waymark_core::safety::{SafetyPage, SafetySearchHit};
use waymark_core::share::{ShareRequest, SummaryForms};
use waymark_core::sync::{ChannelInfo, HttpTransport, Invite, ReceivedSummary, SyncReport, SyncStatus};
use waymark_core::{
    Appointment, AppointmentDraft, CareItem, CareItemKind, CheckIn, CheckInDraft, Course, CourseDraft, CourseOverview,
    Home, ImportReport, JournalPage, JournalQuery, PlannedNotification, Reconciliation, ReminderSettings, SafetyEvent,
    SafetyPlan, SafetyPlanStep, SearchHit, Settings, Store, TodayView, WaymarkError,
};
use waymark_core::{DuePrompt, HelpNow, Zone};

uniffi::setup_scaffolding!("waymark");

/// Deletes the profile at `db_path` (database, WAL, shared-memory and journal
/// files, overwritten first). Refused while the profile is open here: call
/// `close_profile` first. The shell deletes the key from the keystore.
/// Returns how many files were removed.
#[uniffi::export]
pub fn erase_profile(db_path: String) -> Result<u32, WaymarkError> {
    Ok(waymark_core::store::erase(db_path)?)
}

/// Restores the backup file at `backup_path` into the store at `db_path`
/// under `key`, reading it in chunks. A store that holds anything is replaced
/// only with `replace`; on any error the store at `db_path` is as it was.
/// Refused while that profile is open here: call `close_profile` first.
#[uniffi::export]
pub fn restore_backup(
    backup_path: String,
    passphrase: String,
    db_path: String,
    key: Vec<u8>,
    replace: bool,
) -> Result<RestoreReport, WaymarkError> {
    let key = Zeroizing::new(key);
    Ok(waymark_core::backup::restore_file(backup_path, &passphrase, db_path, &key, replace)?)
}

/// The crisis lines for `region` (the device's ISO 3166 code) in `locale`,
/// with no profile open: for first launch, the unlock screen, a lost key or
/// a damaged store. The open profile's `help_now` uses the patient's settings.
#[uniffi::export]
pub fn help_now(region: Option<String>, locale: String) -> Result<HelpNow, WaymarkError> {
    Ok(waymark_core::safety::help::help_now(region.as_deref(), &locale))
}

/// Every safety page in `locale` (falling back to English), available before any profile is open.
#[uniffi::export]
pub fn safety_pages(locale: String) -> Result<Vec<SafetyPage>, WaymarkError> {
    Ok(waymark_core::safety::safety_pages(&locale))
}

#[uniffi::export]
pub fn safety_page(id: String, locale: String) -> Result<SafetyPage, WaymarkError> {
    Ok(waymark_core::safety::safety_page(&id, &locale)?)
}

/// Offline search over the safety pages' titles, tags and text, best first.
#[uniffi::export]
pub fn search_safety(query: String, locale: String) -> Result<Vec<SafetySearchHit>, WaymarkError> {
    Ok(waymark_core::safety::search_safety(&query, &locale))
}

/// A questionnaire's wording, options and codes in `locale`'s language where
/// Waymark has an official translation, available before any profile is open.
#[uniffi::export]
pub fn measure_form(instrument: Instrument, locale: String) -> Result<Form, WaymarkError> {
    Ok(measures::form(instrument, &locale))
}

/// The names of the emotion labels and life areas in `locale`'s language, for the check-in screen.
#[uniffi::export]
pub fn vocabulary(locale: String) -> Result<Vocabulary, WaymarkError> {
    Ok(waymark_core::journal::vocabulary(&locale))
}

/// A patient's open, encrypted Waymark database.
#[derive(uniffi::Object)]
pub struct Waymark {
    store: Store,
}

#[uniffi::export]
impl Waymark {
    /// Opens or creates the database at `path` with the shell's 32-byte key
    /// (sealed by Android Keystore or the iOS Keychain). `device_locale`
    /// (e.g. `es_MX`) stands in for the region and language the patient has
    /// not set; `set_device_locale` changes it later.
    #[uniffi::constructor]
    pub fn open(path: String, key: Vec<u8>, device_locale: Option<String>) -> Result<Arc<Self>, WaymarkError> {
        let key = Zeroizing::new(key);
        let store = Store::open(path, &key)?;
        store.set_device_locale(device_locale.as_deref())?;
        Ok(Arc::new(Self { store }))
    }

    /// Closes the profile, so it can be restored over or erased; every later
    /// call gets `StoreException.Closed`. (Kotlin's own `close()` frees the
    /// object itself.)
    pub fn close_profile(&self) -> Result<(), WaymarkError> {
        self.store.close();
        Ok(())
    }

    /// Re-encrypts the database under a new 32-byte key.
    pub fn rekey(&self, new_key: Vec<u8>) -> Result<(), WaymarkError> {
        Ok(self.store.rekey(&Zeroizing::new(new_key))?)
    }

    /// The home screen at `now` on a phone in `zone`, in one call: today's
    /// check-ins, the next session and the care in force, prompts and
    /// measures due, and what waits to be shared.
    pub fn home(&self, now: SystemTime, zone: Zone) -> Result<Home, WaymarkError> {
        self.store.home_at(now, zone)
    }

    /// The settings screen: reminders, measure schedules, region and language.
    pub fn settings(&self) -> Result<Settings, WaymarkError> {
        self.store.settings()
    }

    /// Today's entries, the streak and the last seven days, at `now`.
    pub fn today(&self, now: SystemTime, zone: Zone) -> Result<TodayView, WaymarkError> {
        Ok(self.store.today_at(now, zone)?)
    }

    pub fn add_checkin(&self, draft: CheckInDraft) -> Result<CheckIn, WaymarkError> {
        Ok(self.store.add_checkin(&draft)?)
    }

    pub fn checkin(&self, id: String) -> Result<CheckIn, WaymarkError> {
        Ok(self.store.checkin(&id)?)
    }

    pub fn edit_checkin(&self, id: String, draft: CheckInDraft) -> Result<CheckIn, WaymarkError> {
        Ok(self.store.edit_checkin(&id, &draft)?)
    }

    pub fn delete_checkin(&self, id: String) -> Result<CheckIn, WaymarkError> {
        Ok(self.store.delete_checkin(&id)?)
    }

    pub fn undelete_checkin(&self, id: String) -> Result<CheckIn, WaymarkError> {
        Ok(self.store.undelete_checkin(&id)?)
    }

    pub fn journal_page(&self, query: JournalQuery) -> Result<JournalPage, WaymarkError> {
        Ok(self.store.journal_page(&query)?)
    }

    pub fn search_journal(&self, query: String, limit: u32) -> Result<Vec<SearchHit>, WaymarkError> {
        Ok(self.store.search_journal(&query, limit)?)
    }

    /// Scores and saves a PHQ-9 or GAD-7; check `safety_alert` on the result and show it at once.
    pub fn add_assessment(&self, draft: AssessmentDraft) -> Result<Assessment, WaymarkError> {
        Ok(self.store.add_assessment(&draft)?)
    }

    pub fn assessment(&self, id: String) -> Result<Assessment, WaymarkError> {
        Ok(self.store.assessment(&id)?)
    }

    /// Saved results, newest first.
    pub fn assessments(&self, filter: AssessmentFilter) -> Result<Vec<Assessment>, WaymarkError> {
        Ok(self.store.assessments(&filter)?)
    }

    pub fn pick_baseline(&self, id: String) -> Result<Assessment, WaymarkError> {
        Ok(self.store.pick_baseline(&id)?)
    }

    pub fn clear_baseline(&self, instrument: Instrument) -> Result<(), WaymarkError> {
        Ok(self.store.clear_baseline(instrument)?)
    }

    /// Saves a blood pressure and/or heart rate; `flag` is set on a reading to act on.
    pub fn add_vitals(&self, draft: VitalsDraft) -> Result<VitalsReading, WaymarkError> {
        Ok(self.store.add_vitals(&draft)?)
    }

    /// The progress screen at `now`: scores, response and remission, trends, vitals, safety events, what is due.
    pub fn progress(&self, now: SystemTime, query: ProgressQuery) -> Result<Progress, WaymarkError> {
        Ok(self.store.progress_at(now, &query)?)
    }

    /// Each enabled measure with when it falls due, as seen at `now`.
    pub fn due_measures(&self, now: SystemTime, zone: Zone) -> Result<Vec<DueMeasure>, WaymarkError> {
        Ok(self.store.due_measures_at(now, zone)?)
    }

    pub fn measure_schedules(&self) -> Result<Vec<MeasureSchedule>, WaymarkError> {
        Ok(self.store.measure_schedules()?)
    }

    pub fn set_measure_schedule(&self, schedule: MeasureSchedule) -> Result<(), WaymarkError> {
        Ok(self.store.set_measure_schedule(&schedule)?)
    }

    /// Times the app raised a safety alert in `[from, to)`, oldest first.
    pub fn safety_events(
        &self,
        from: Option<SystemTime>,
        to: Option<SystemTime>,
    ) -> Result<Vec<SafetyEvent>, WaymarkError> {
        Ok(self.store.safety_events(from, to)?)
    }

    /// Starts a course from a template; its sessions are scheduled from the first one.
    pub fn start_course(&self, draft: CourseDraft) -> Result<Course, WaymarkError> {
        Ok(self.store.start_course(&draft)?)
    }

    /// Continues an esketamine course on its rhythm, every 1 or 2 weeks, the first session after `now`.
    pub fn continue_course(
        &self,
        now: SystemTime,
        every_weeks: u32,
        sessions: u32,
    ) -> Result<Vec<Appointment>, WaymarkError> {
        Ok(self.store.continue_course_at(now, every_weeks, sessions)?)
    }

    /// Sets the course's fasting times in minutes before each dose; `None` removes a rule.
    pub fn set_fasting(
        &self,
        course_id: String,
        no_food_before_minutes: Option<u32>,
        no_liquids_before_minutes: Option<u32>,
    ) -> Result<Course, WaymarkError> {
        Ok(self.store.set_fasting(&course_id, no_food_before_minutes, no_liquids_before_minutes)?)
    }

    /// The course screen: next, upcoming and past sessions with their care plans.
    pub fn course_overview(&self, now: SystemTime, device_zone: Zone) -> Result<CourseOverview, WaymarkError> {
        Ok(self.store.course_overview(now, device_zone)?)
    }

    pub fn add_appointment(&self, draft: AppointmentDraft) -> Result<Appointment, WaymarkError> {
        Ok(self.store.add_appointment(&draft)?)
    }

    /// Moves a session to a new local time, in its own zone unless `zone` is given.
    pub fn move_appointment(
        &self,
        id: String,
        local_start: String,
        zone: Option<Zone>,
    ) -> Result<Appointment, WaymarkError> {
        Ok(self.store.move_appointment(&id, &local_start, zone)?)
    }

    pub fn cancel_appointment(&self, id: String) -> Result<Appointment, WaymarkError> {
        Ok(self.store.cancel_appointment(&id)?)
    }

    /// Marks a session done (now when `at` is `None`), which starts its after-session window.
    pub fn mark_appointment_done(&self, id: String, at: Option<SystemTime>) -> Result<Appointment, WaymarkError> {
        Ok(self.store.mark_appointment_done(&id, at)?)
    }

    pub fn mark_appointment_missed(&self, id: String) -> Result<Appointment, WaymarkError> {
        Ok(self.store.mark_appointment_missed(&id)?)
    }

    pub fn delete_appointment(&self, id: String) -> Result<(), WaymarkError> {
        Ok(self.store.delete_appointment(&id)?)
    }

    /// Ticks or unticks a dosing session's checklist item; returns its care plan.
    pub fn set_checklist_item(
        &self,
        appointment_id: String,
        item: CareItemKind,
        checked: bool,
    ) -> Result<Vec<CareItem>, WaymarkError> {
        Ok(self.store.set_checklist_item(&appointment_id, item, checked)?)
    }

    /// Imports a clinic's .ics file, all or nothing; recurring events are expanded around `now`.
    pub fn import_calendar(
        &self,
        now: SystemTime,
        ics: String,
        default_zone: Zone,
    ) -> Result<ImportReport, WaymarkError> {
        Ok(self.store.import_calendar(&ics, default_zone, now)?)
    }

    /// The course as an .ics file with display alarms.
    pub fn export_calendar(&self) -> Result<String, WaymarkError> {
        Ok(self.store.export_calendar()?)
    }

    pub fn reminder_settings(&self) -> Result<ReminderSettings, WaymarkError> {
        Ok(self.store.reminder_settings()?)
    }

    pub fn set_reminder_settings(&self, settings: ReminderSettings) -> Result<(), WaymarkError> {
        Ok(self.store.set_reminder_settings(&settings)?)
    }

    /// The notifications that should be pending at `now`; `max_pending` overrides the setting.
    pub fn plan_notifications(
        &self,
        now: SystemTime,
        device_zone: Zone,
        max_pending: Option<u32>,
    ) -> Result<Vec<PlannedNotification>, WaymarkError> {
        Ok(self.store.plan_notifications(now, device_zone, max_pending)?)
    }

    /// What to schedule and cancel so the phone matches the plan. iOS passes
    /// the ids it holds; Android, which cannot list its alarms, passes `None`
    /// and the core uses what `notifications_applied` last recorded (after a
    /// reboot, pass an empty list).
    pub fn reconcile_notifications(
        &self,
        now: SystemTime,
        device_zone: Zone,
        os_pending_ids: Option<Vec<String>>,
    ) -> Result<Reconciliation, WaymarkError> {
        Ok(self.store.reconcile_notifications(now, device_zone, os_pending_ids.as_deref())?)
    }

    /// Records what the phone holds after applying a reconciliation: its `pending`.
    pub fn notifications_applied(&self, ids: Vec<String>) -> Result<(), WaymarkError> {
        Ok(self.store.notifications_applied(&ids)?)
    }

    /// Crisis and emergency lines for `region` (an ISO 3166 code) in `locale`;
    /// `None` uses the stored region or language.
    pub fn help_now(&self, region: Option<String>, locale: Option<String>) -> Result<HelpNow, WaymarkError> {
        Ok(self.store.help_now(region.as_deref(), locale.as_deref())?)
    }

    pub fn region(&self) -> Result<Option<String>, WaymarkError> {
        Ok(self.store.region()?)
    }

    /// Sets the patient's region for crisis lines, or clears it with `None`; returns it normalised.
    pub fn set_region(&self, region: Option<String>) -> Result<Option<String>, WaymarkError> {
        Ok(self.store.set_region(region.as_deref())?)
    }

    /// The language Waymark's words are in: the patient's, else the device's, else `en`.
    pub fn content_language(&self) -> Result<String, WaymarkError> {
        Ok(self.store.content_language()?)
    }

    /// The device's locale (e.g. `es_MX`): its region and language stand in
    /// for settings the patient has not made, until the profile is closed.
    /// Call it after `open`, and again when the locale changes.
    pub fn set_device_locale(&self, locale: Option<String>) -> Result<(), WaymarkError> {
        Ok(self.store.set_device_locale(locale.as_deref())?)
    }

    pub fn language(&self) -> Result<Option<String>, WaymarkError> {
        Ok(self.store.language()?)
    }

    /// Sets the patient's language for safety content (the shell passes the
    /// device's), or clears it with `None`; returns it normalised, e.g. `es`.
    pub fn set_language(&self, locale: Option<String>) -> Result<Option<String>, WaymarkError> {
        Ok(self.store.set_language(locale.as_deref())?)
    }

    /// The six Stanley-Brown steps with the patient's items.
    pub fn safety_plan(&self) -> Result<SafetyPlan, WaymarkError> {
        Ok(self.store.safety_plan()?)
    }

    pub fn add_safety_plan_item(&self, step: SafetyPlanStep, text: String) -> Result<SafetyPlan, WaymarkError> {
        Ok(self.store.add_safety_plan_item(step, &text)?)
    }

    /// Rewrites an item's text in its place.
    pub fn edit_safety_plan_item(&self, id: String, text: String) -> Result<SafetyPlan, WaymarkError> {
        Ok(self.store.edit_safety_plan_item(&id, &text)?)
    }

    pub fn remove_safety_plan_item(&self, id: String) -> Result<SafetyPlan, WaymarkError> {
        Ok(self.store.remove_safety_plan_item(&id)?)
    }

    /// Moves an item to `index` (0 first) within its step.
    pub fn move_safety_plan_item(&self, id: String, index: u32) -> Result<SafetyPlan, WaymarkError> {
        Ok(self.store.move_safety_plan_item(&id, index)?)
    }

    /// Sets the plan's last line, the one thing most important to the patient, or clears it with `None`.
    pub fn set_plan_reason(&self, reason: Option<String>) -> Result<SafetyPlan, WaymarkError> {
        Ok(self.store.set_plan_reason(reason.as_deref())?)
    }

    /// The safety plan as plain text, to share.
    pub fn export_safety_plan(&self) -> Result<String, WaymarkError> {
        Ok(self.store.safety_plan()?.to_text())
    }

    /// The integration prompts open at `now`, oldest first.
    pub fn prompts_due(&self, now: SystemTime) -> Result<Vec<DuePrompt>, WaymarkError> {
        Ok(self.store.prompts_due(now)?)
    }

    /// Answers a prompt open at `now`; the answer becomes a journal entry linked to its session and prompt.
    pub fn answer_prompt(
        &self,
        now: SystemTime,
        id: String,
        text: String,
        valence: i32,
        zone: Zone,
        shared: bool,
    ) -> Result<CheckIn, WaymarkError> {
        Ok(self.store.answer_prompt_at(now, &id, &text, valence, zone, shared)?)
    }

    /// Pairs this profile with the therapist whose code this is; nothing is sent until `sync`.
    pub fn pair(&self, code: String) -> Result<ChannelInfo, WaymarkError> {
        Ok(self.store.pair(&code)?)
    }

    /// Stops sharing: pending messages are dropped and the therapist's app is told at the next sync.
    pub fn unpair(&self) -> Result<ChannelInfo, WaymarkError> {
        Ok(self.store.unpair()?)
    }

    /// Exactly what `share` would send, without sending or storing anything.
    pub fn preview_share(&self, request: ShareRequest) -> Result<SummaryForms, WaymarkError> {
        Ok(self.store.preview_share(&request)?)
    }

    /// Encrypts the summary into the outbox; `sync` sends it.
    pub fn share(&self, request: ShareRequest) -> Result<SummaryForms, WaymarkError> {
        Ok(self.store.share(&request)?)
    }

    /// Uploads what is waiting and applies what arrived, through the shell's
    /// HTTP client. `retry_now` when the patient asked; background syncs pass
    /// false. `time_limit` stops it between messages, for a background task
    /// the phone will end; the report's `out_of_time` says it did.
    pub fn sync(
        &self,
        now: SystemTime,
        transport: Arc<dyn HttpTransport>,
        retry_now: bool,
        time_limit: Option<Duration>,
    ) -> Result<SyncReport, WaymarkError> {
        Ok(self.store.sync_within(transport.as_ref(), now, retry_now, time_limit)?)
    }

    pub fn sync_status(&self) -> Result<SyncStatus, WaymarkError> {
        Ok(self.store.sync_status()?)
    }

    /// Sends once more, at the next sync, a message the relay refused for good.
    pub fn retry_message(&self, id: String) -> Result<(), WaymarkError> {
        Ok(self.store.retry_message(&id)?)
    }

    /// On a clinician's profile: a channel for a new patient, and its pairing code.
    pub fn invite(&self, relay_url: String, label: String) -> Result<Invite, WaymarkError> {
        Ok(self.store.invite(&relay_url, &label)?)
    }

    pub fn revoke_channel(&self, id: String) -> Result<ChannelInfo, WaymarkError> {
        Ok(self.store.revoke_channel(&id)?)
    }

    pub fn channels(&self) -> Result<Vec<ChannelInfo>, WaymarkError> {
        Ok(self.store.channels()?)
    }

    /// On a clinician's profile: the summaries received, newest first.
    pub fn received_summaries(&self) -> Result<Vec<ReceivedSummary>, WaymarkError> {
        Ok(self.store.received_summaries()?)
    }

    /// One received summary, by the channel it came on and its id: its
    /// JSON, the printable report and the FHIR Bundle.
    pub fn received_summary(&self, channel: String, id: String) -> Result<SummaryForms, WaymarkError> {
        Ok(self.store.received_summary_forms(&channel, &id)?)
    }

    /// Queues an iCalendar file for the patient on `channel`.
    pub fn send_appointment(&self, channel: String, ics: String, zone: Zone) -> Result<String, WaymarkError> {
        Ok(self.store.send_appointment(&channel, &ics, zone)?)
    }

    /// Queues a prompt for the patient on `channel`.
    pub fn send_prompt(&self, channel: String, text: String) -> Result<String, WaymarkError> {
        Ok(self.store.send_prompt(&channel, &text)?)
    }

    /// The patient's data to save elsewhere: everything as JSON, or check-ins and measures as CSV.
    pub fn export(&self, format: ExportFormat) -> Result<Vec<ExportedFile>, WaymarkError> {
        Ok(self.store.export(format)?)
    }

    /// Writes the whole profile, encrypted, to a new file at `path` (in the
    /// app's own storage, for the share sheet or document picker to copy),
    /// in chunks, so memory stays the same whatever the profile's size.
    /// Returns the file's size in bytes.
    pub fn backup(&self, path: String, passphrase: String) -> Result<u64, WaymarkError> {
        Ok(self.store.backup_to_file(path, &passphrase)?)
    }

    /// What importing a Daylio CSV export would do; writes nothing.
    pub fn preview_daylio(
        &self,
        csv: String,
        mappings: Vec<MoodMapping>,
        zone: Zone,
    ) -> Result<ImportPreview, WaymarkError> {
        Ok(self.store.preview_daylio(&csv, &mappings, zone)?)
    }

    /// Imports a Daylio CSV export, all or nothing; a second import of the same file adds nothing.
    pub fn import_daylio(
        &self,
        csv: String,
        mappings: Vec<MoodMapping>,
        zone: Zone,
    ) -> Result<ImportResult, WaymarkError> {
        Ok(self.store.import_daylio(&csv, &mappings, zone)?)
    }
}
