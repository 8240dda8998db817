//! Waymark's core: every rule and every byte of a patient's data, shared by
//! the Android and iOS shells (through `waymark-ffi`) and the desktop CLI.
//!
//! Types that cross the FFI derive uniffi only with the `uniffi` feature, so
//! the core builds and tests as plain Rust.

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("waymark_core");

pub mod backup;
mod content;
pub mod course;
pub mod error;
pub mod export;
#[cfg(any(fuzzing, test))]
pub mod fuzz;
pub mod home;
pub mod import;
pub mod journal;
pub mod measures;
mod names;
mod profile;
pub mod prompts;
pub mod reminders;
pub mod safety;
pub mod share;
mod spacing;
pub mod store;
pub mod sync;
#[cfg(test)]
mod test_support;
pub(crate) mod text;
pub mod time;
pub use time::{Zone, ZoneError};
#[cfg(test)]
mod wording;

pub use course::{
    Appointment, AppointmentDraft, AppointmentKind, AppointmentStatus, AppointmentView, CareItem, CareItemKind, Course,
    CourseDraft, CourseError, CourseOverview, CourseTemplate, ImportReport,
};
pub use error::{StorageFailure, WaymarkError};
pub use home::{Home, Settings};
pub use journal::{
    CheckIn, CheckInDraft, DayValence, EmotionLabel, JournalError, JournalPage, JournalQuery, JournalRow, LifeArea,
    SearchHit, SnippetPart, TodayView,
};
pub use measures::{
    Answer, Assessment, AssessmentDraft, AssessmentFilter, DueMeasure, Form, Instrument, MeasureError, MeasureSchedule,
    Progress, ProgressQuery, Severity, VitalsDraft, VitalsReading,
};
pub use prompts::{DuePrompt, PromptError, PromptPhase};
pub use reminders::{NotificationKind, PlannedNotification, Reconciliation, ReminderError, ReminderSettings, Route};
pub use safety::{
    HelpLine, HelpLineKind, HelpNow, SafetyAlert, SafetyAlertKind, SafetyError, SafetyEvent, SafetyPlan, SafetyPlanStep,
};
pub use store::{Store, StoreError};
