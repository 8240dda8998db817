//! The uniffi surface of waymark-core: one object per open profile, with
//! calls shaped around screens. Everything here converts and delegates; the
//! rules live in the core.

use std::sync::Arc;

use zeroize::Zeroizing;

use std::time::SystemTime;

use waymark_core::measures::{self, Assessment, AssessmentDraft, AssessmentFilter, DueMeasure, Form, Instrument};
use waymark_core::measures::{MeasureError, MeasureSchedule, Progress, ProgressQuery, VitalsDraft, VitalsReading};
use waymark_core::{
    CheckIn, CheckInDraft, JournalError, JournalPage, JournalQuery, SafetyEvent, SearchHit, Store, StoreError,
    TodayView,
};

uniffi::setup_scaffolding!("waymark");

/// A questionnaire's wording, options and codes, available before any profile is open.
#[uniffi::export]
pub fn measure_form(instrument: Instrument) -> Form {
    measures::form(instrument)
}

/// A patient's open, encrypted Waymark database.
#[derive(uniffi::Object)]
pub struct Waymark {
    store: Store,
}

#[uniffi::export]
impl Waymark {
    /// Opens or creates the database at `path` with the shell's 32-byte key
    /// (sealed by Android Keystore or the iOS Keychain).
    #[uniffi::constructor]
    pub fn open(path: String, key: Vec<u8>) -> Result<Arc<Self>, StoreError> {
        let key = Zeroizing::new(key);
        Ok(Arc::new(Self { store: Store::open(path, &key)? }))
    }

    /// Re-encrypts the database under a new 32-byte key.
    pub fn rekey(&self, new_key: Vec<u8>) -> Result<(), StoreError> {
        self.store.rekey(&Zeroizing::new(new_key))
    }

    /// The home screen: today's entries, the streak and the last seven days.
    pub fn today(&self, zone: String) -> Result<TodayView, JournalError> {
        self.store.today(&zone)
    }

    pub fn add_checkin(&self, draft: CheckInDraft) -> Result<CheckIn, JournalError> {
        self.store.add_checkin(&draft)
    }

    pub fn checkin(&self, id: String) -> Result<CheckIn, JournalError> {
        self.store.checkin(&id)
    }

    pub fn edit_checkin(&self, id: String, draft: CheckInDraft) -> Result<CheckIn, JournalError> {
        self.store.edit_checkin(&id, &draft)
    }

    pub fn delete_checkin(&self, id: String) -> Result<CheckIn, JournalError> {
        self.store.delete_checkin(&id)
    }

    pub fn undelete_checkin(&self, id: String) -> Result<CheckIn, JournalError> {
        self.store.undelete_checkin(&id)
    }

    pub fn journal_page(&self, query: JournalQuery) -> Result<JournalPage, JournalError> {
        self.store.journal_page(&query)
    }

    pub fn search_journal(&self, query: String, limit: u32) -> Result<Vec<SearchHit>, JournalError> {
        self.store.search_journal(&query, limit)
    }

    /// Scores and saves a PHQ-9 or GAD-7; check `safety_alert` on the result and show it at once.
    pub fn add_assessment(&self, draft: AssessmentDraft) -> Result<Assessment, MeasureError> {
        self.store.add_assessment(&draft)
    }

    pub fn assessment(&self, id: String) -> Result<Assessment, MeasureError> {
        self.store.assessment(&id)
    }

    /// Saved results, newest first.
    pub fn assessments(&self, filter: AssessmentFilter) -> Result<Vec<Assessment>, MeasureError> {
        self.store.assessments(&filter)
    }

    pub fn pick_baseline(&self, id: String) -> Result<Assessment, MeasureError> {
        self.store.pick_baseline(&id)
    }

    pub fn clear_baseline(&self, instrument: Instrument) -> Result<(), MeasureError> {
        self.store.clear_baseline(instrument)
    }

    /// Saves a blood pressure and/or heart rate; `flag` is set on a reading to act on.
    pub fn add_vitals(&self, draft: VitalsDraft) -> Result<VitalsReading, MeasureError> {
        self.store.add_vitals(&draft)
    }

    /// The progress screen: scores, response and remission, trends, vitals, safety events, what is due.
    pub fn progress(&self, query: ProgressQuery) -> Result<Progress, MeasureError> {
        self.store.progress(&query)
    }

    pub fn due_measures(&self, zone: String) -> Result<Vec<DueMeasure>, MeasureError> {
        self.store.due_measures(&zone)
    }

    pub fn measure_schedules(&self) -> Result<Vec<MeasureSchedule>, MeasureError> {
        self.store.measure_schedules()
    }

    pub fn set_measure_schedule(&self, schedule: MeasureSchedule) -> Result<(), MeasureError> {
        self.store.set_measure_schedule(&schedule)
    }

    /// Times the app raised a safety alert in `[from, to)`, oldest first.
    pub fn safety_events(
        &self,
        from: Option<SystemTime>,
        to: Option<SystemTime>,
    ) -> Result<Vec<SafetyEvent>, StoreError> {
        self.store.safety_events(from, to)
    }
}
