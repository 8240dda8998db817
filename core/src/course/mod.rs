//! The treatment course: sessions with their local time and zone, made from
//! a template or by hand, and what to do before and after each dose.
//!
//! An appointment is a local date-time in the clinic's IANA zone. Its instant
//! is worked out when read, with this build's zone rules, so 09:00 stays 09:00
//! across DST changes and rule updates, and a patient who travels still sees
//! when the clinic expects them.

pub(crate) mod calendar;
pub(crate) mod care;
mod overview;
mod templates;
mod windows_zones;

use std::time::SystemTime;

use chrono::{Days, NaiveDateTime};
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

pub use calendar::ImportReport;
pub use care::{CareItem, CareItemKind};
pub use overview::{AppointmentView, CourseOverview};
pub use templates::CourseTemplate;

use crate::store::{Store, StoreError};
use crate::time::{self, rfc3339, Zone};

/// The longest title, place or notes an appointment keeps, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;
const MAX_DURATION_MINUTES: u32 = 24 * 60;

#[derive(Debug, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error), uniffi(flat_error))]
pub enum CourseError {
    #[error("\"{name}\" is not a course template; use iv-induction, esketamine, kap or custom")]
    UnknownTemplate { name: String },
    #[error("\"{text}\" is not a local date and time; use the form 2026-11-27T09:30")]
    InvalidLocalTime { text: String },
    #[error("a session of {minutes} minutes cannot be right; give 1 to 1440 minutes")]
    InvalidDuration { minutes: u32 },
    #[error("the {field} is {chars} characters long; shorten it to at most {max}")]
    TextTooLong { field: String, chars: u32, max: u32 },
    #[error("{minutes} minutes is not a fasting time; give 0 to 1440 minutes, or none")]
    InvalidFasting { minutes: u32 },
    #[error("no course has the id {id}; check the id")]
    CourseNotFound { id: String },
    #[error("no appointment has the id {id}; check the id, which may be mistyped or deleted")]
    AppointmentNotFound { id: String },
    #[error("the appointment {id} is {status}; only a scheduled or missed one can be changed")]
    NotChangeable { id: String, status: String },
    #[error("line {line} of the calendar file: {reason}; nothing was imported")]
    InvalidCalendar { line: u32, reason: String },
    #[error("the calendar file could not be read ({reason}); nothing was imported")]
    UnreadableCalendar { reason: String },
    #[error("\"{item}\" is not on this appointment's checklist")]
    NotOnChecklist { item: String },
    #[error("there is no course to continue; start one first")]
    NoCourse,
    #[error("a {template} course has no schedule to continue; add its sessions as the clinic books them")]
    NotContinuable { template: String },
    #[error("continue every 1 or 2 weeks, for 1 to 26 sessions, not every {every_weeks} weeks for {sessions}")]
    InvalidContinuation { every_weeks: u32, sessions: u32 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for CourseError {
    fn from(error: rusqlite::Error) -> Self {
        CourseError::Store(error.into())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum AppointmentKind {
    Dosing,
    Preparation,
    Integration,
    MedicalCheck,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    Scheduled,
    Done,
    Missed,
    Cancelled,
}

crate::names::stored_names!(AppointmentKind {
    Dosing => "dosing",
    Preparation => "preparation",
    Integration => "integration",
    MedicalCheck => "medical_check",
    Other => "other",
});

crate::names::stored_names!(AppointmentStatus {
    Scheduled => "scheduled",
    Done => "done",
    Missed => "missed",
    Cancelled => "cancelled",
});

/// A course to start: the template, and the first session in the clinic's zone.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CourseDraft {
    pub template: CourseTemplate,
    /// `YYYY-MM-DDTHH:MM[:SS]`, local time in `zone`.
    pub first_session: String,
    /// The clinic's IANA zone.
    pub zone: Zone,
    #[cfg_attr(feature = "uniffi", uniffi(default = ""))]
    pub place: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Course {
    pub id: String,
    pub template: CourseTemplate,
    pub title: String,
    pub zone: String,
    /// Minutes before a dose when food stops; `None` when there is no rule.
    pub no_food_before_minutes: Option<u32>,
    /// Minutes before a dose when liquids stop.
    pub no_liquids_before_minutes: Option<u32>,
    /// Where the fasting times come from.
    pub fasting_source: String,
}

/// A session to add, or the new details of one.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AppointmentDraft {
    pub kind: AppointmentKind,
    pub title: String,
    /// `YYYY-MM-DDTHH:MM[:SS]`, local time in `zone`.
    pub local_start: String,
    /// The IANA zone the appointment is kept in, normally the clinic's.
    pub zone: Zone,
    #[cfg_attr(feature = "uniffi", uniffi(default = 60))]
    pub duration_minutes: u32,
    #[cfg_attr(feature = "uniffi", uniffi(default = ""))]
    pub place: String,
    #[cfg_attr(feature = "uniffi", uniffi(default = ""))]
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Appointment {
    pub id: String,
    pub course_id: Option<String>,
    pub kind: AppointmentKind,
    pub title: String,
    /// As booked: `YYYY-MM-DDTHH:MM:SS` in `zone`.
    pub local_start: String,
    pub zone: String,
    /// The instant `local_start` is, under this build's zone rules.
    #[serde(with = "rfc3339")]
    pub starts_at: SystemTime,
    pub duration_minutes: u32,
    pub place: String,
    pub notes: String,
    pub status: AppointmentStatus,
    /// When it was marked done, which starts its after-session window.
    #[serde(with = "rfc3339::option")]
    pub done_at: Option<SystemTime>,
    /// The calendar UID and SEQUENCE when it came from an imported file; `None` when it is the patient's own.
    pub calendar_uid: Option<String>,
    pub calendar_sequence: Option<u32>,
}

impl Appointment {
    pub fn ends_at(&self) -> SystemTime {
        self.starts_at + std::time::Duration::from_secs(u64::from(self.duration_minutes) * 60)
    }
}

/// A local date-time as a shell or the CLI writes it.
pub fn parse_local(text: &str) -> Result<NaiveDateTime, CourseError> {
    time::parse_local(text).ok_or_else(|| CourseError::InvalidLocalTime { text: text.to_string() })
}

/// A zone read back from the store: rows are written with checked zones, so
/// a name this build cannot read is damage.
fn stored_zone(name: &str) -> Result<Tz, StoreError> {
    time::parse_zone(name).ok_or_else(|| StoreError::Damaged { detail: format!("\"{name}\" is not a time zone") })
}

fn check_text(field: &str, text: &str) -> Result<(), CourseError> {
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(CourseError::TextTooLong {
            field: field.to_string(),
            chars: chars as u32,
            max: MAX_TEXT_CHARS as u32,
        });
    }
    Ok(())
}

impl CourseDraft {
    /// Checks the draft without saving it.
    pub fn check(&self) -> Result<(), CourseError> {
        parse_local(&self.first_session)?;
        check_text("place", &self.place)
    }
}

impl AppointmentDraft {
    /// Checks the draft without saving it; returns its local time, canonical.
    pub fn check(&self) -> Result<String, CourseError> {
        let local = parse_local(&self.local_start)?;
        if !(1..=MAX_DURATION_MINUTES).contains(&self.duration_minutes) {
            return Err(CourseError::InvalidDuration { minutes: self.duration_minutes });
        }
        for (field, text) in [("title", &self.title), ("place", &self.place), ("notes", &self.notes)] {
            check_text(field, text)?;
        }
        Ok(canonical(local))
    }
}

fn canonical(local: NaiveDateTime) -> String {
    local.format("%Y-%m-%dT%H:%M:%S").to_string()
}

const COURSE_COLUMNS: &str = "id, template, title, zone, no_food_before_minutes, no_liquids_before_minutes";

/// A stored course, its name and fasting source in `language`: the name is
/// the template's, so it follows the patient's language.
fn read_course(row: &rusqlite::Row<'_>, language: &str) -> rusqlite::Result<Course> {
    let template: String = row.get(1)?;
    let template = template.parse::<CourseTemplate>().map_err(|e| conversion_error(1, e))?;
    let (food, liquids): (Option<u32>, Option<u32>) = (row.get(4)?, row.get(5)?);
    let defaults = template.fasting();
    let is_default = (food, liquids) == (defaults.no_food_before_minutes, defaults.no_liquids_before_minutes);
    let fasting_source =
        if is_default { template.fasting_source(language) } else { crate::text::get(language, "course.fasting_set") };
    Ok(Course {
        id: row.get(0)?,
        template,
        title: template.title(language).to_string(),
        zone: row.get(3)?,
        no_food_before_minutes: food,
        no_liquids_before_minutes: liquids,
        fasting_source: fasting_source.to_string(),
    })
}

const APPOINTMENT_COLUMNS: &str = "id, course_id, kind, title, local_start, zone, duration_minutes, place, notes, \
                                   status, done_at, ics_uid, ics_sequence";

fn conversion_error(column: usize, error: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(error))
}

fn read_appointment(row: &rusqlite::Row<'_>) -> rusqlite::Result<Appointment> {
    let damaged = |column: usize| move || conversion_error(column, std::fmt::Error);
    let kind = AppointmentKind::from_stored(&row.get::<_, String>(2)?).ok_or_else(damaged(2))?;
    let local_start: String = row.get(4)?;
    let zone_name: String = row.get(5)?;
    let local = parse_local(&local_start).map_err(|e| conversion_error(4, e))?;
    let tz = stored_zone(&zone_name).map_err(|e| conversion_error(5, e))?;
    Ok(Appointment {
        id: row.get(0)?,
        course_id: row.get(1)?,
        kind,
        title: row.get(3)?,
        starts_at: time::instant_of(local, tz),
        local_start,
        zone: zone_name,
        duration_minutes: row.get(6)?,
        place: row.get(7)?,
        notes: row.get(8)?,
        status: AppointmentStatus::from_stored(&row.get::<_, String>(9)?).ok_or_else(damaged(9))?,
        done_at: row.get::<_, Option<i64>>(10)?.map(time::from_millis),
        calendar_uid: row.get(11)?,
        calendar_sequence: row.get(12)?,
    })
}

pub(crate) fn find_appointment(conn: &Connection, id: &str) -> Result<Appointment, CourseError> {
    conn.prepare_cached(&format!("SELECT {APPOINTMENT_COLUMNS} FROM appointment WHERE id = ?1 AND deleted_at IS NULL"))?
        .query_row([id], read_appointment)
        .optional()?
        .ok_or_else(|| CourseError::AppointmentNotFound { id: id.to_string() })
}

/// Every live appointment, soonest first.
pub(crate) fn all_appointments(conn: &Connection) -> Result<Vec<Appointment>, CourseError> {
    let mut appointments = conn
        .prepare_cached(&format!("SELECT {APPOINTMENT_COLUMNS} FROM appointment WHERE deleted_at IS NULL"))?
        .query_map([], read_appointment)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    appointments.sort_by(|a, b| a.starts_at.cmp(&b.starts_at).then_with(|| a.id.cmp(&b.id)));
    Ok(appointments)
}

pub(crate) fn current_course(conn: &Connection) -> Result<Option<Course>, CourseError> {
    let language = crate::safety::stored_language(conn)?;
    Ok(conn
        .prepare_cached(&format!("SELECT {COURSE_COLUMNS} FROM course ORDER BY created_at DESC, id DESC LIMIT 1"))?
        .query_row([], |row| read_course(row, language))
        .optional()?)
}

/// The dosing session (scheduled or done) whose start is nearest `at`, if one
/// starts within `within` of it: a reading taken around a dose belongs to that session.
pub(crate) fn dosing_session_near(
    conn: &Connection,
    at: SystemTime,
    within: std::time::Duration,
) -> Result<Option<String>, StoreError> {
    let distance = |a: &Appointment| a.starts_at.duration_since(at).or_else(|_| at.duration_since(a.starts_at));
    let appointments = all_appointments(conn).map_err(course_error_as_store)?;
    Ok(appointments
        .into_iter()
        .filter(|a| a.kind == AppointmentKind::Dosing)
        .filter(|a| matches!(a.status, AppointmentStatus::Scheduled | AppointmentStatus::Done))
        .filter_map(|a| distance(&a).ok().filter(|d| *d <= within).map(|d| (d, a.id)))
        .min()
        .map(|(_, id)| id))
}

/// Stored courses and appointments were checked when read, so any error reading them is the store's.
fn course_error_as_store(error: CourseError) -> StoreError {
    match error {
        CourseError::Store(error) => error,
        other => StoreError::Damaged { detail: other.to_string() },
    }
}

/// When the current course began: the start of the local day (in the course's
/// zone) of its first live session, or when it was created if it has none.
pub(crate) fn current_course_began(conn: &Connection) -> Result<Option<SystemTime>, StoreError> {
    let Some(course) = current_course(conn).map_err(course_error_as_store)? else { return Ok(None) };
    let appointments = all_appointments(conn).map_err(course_error_as_store)?;
    let of_course = |a: &Appointment| a.course_id.as_deref() == Some(course.id.as_str());
    match appointments.into_iter().find(|a| of_course(a) && a.status != AppointmentStatus::Cancelled) {
        Some(first) => {
            let tz = stored_zone(&first.zone)?;
            Ok(Some(time::start_of_day(time::local_date(first.starts_at, tz), tz)))
        }
        None => Ok(conn
            .prepare_cached("SELECT created_at FROM course WHERE id = ?1")?
            .query_row([&course.id], |row| row.get::<_, i64>(0))
            .optional()?
            .map(time::from_millis)),
    }
}

fn insert_appointment(
    conn: &Connection,
    course_id: Option<&str>,
    draft: &AppointmentDraft,
    local_start: &str,
    now: i64,
) -> rusqlite::Result<String> {
    let id = uuid::Uuid::now_v7().to_string();
    conn.prepare_cached(
        "INSERT INTO appointment (id, course_id, kind, title, local_start, zone, duration_minutes, place, notes, \
         status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'scheduled', ?10, ?10)",
    )?
    .execute(params![
        id,
        course_id,
        draft.kind.as_str(),
        draft.title,
        local_start,
        draft.zone.name(),
        draft.duration_minutes,
        draft.place,
        draft.notes,
        now
    ])?;
    Ok(id)
}

impl Store {
    /// Starts a course from `draft.template`, with its sessions scheduled from the first one.
    pub fn start_course(&self, draft: &CourseDraft) -> Result<Course, CourseError> {
        draft.check()?;
        let first = parse_local(&draft.first_session)?;
        let template = draft.template;
        let fasting = template.fasting();
        let now = time::to_millis(SystemTime::now());
        let id = uuid::Uuid::now_v7().to_string();
        self.write(|tx| {
            let language = crate::safety::stored_language(tx)?;
            tx.prepare_cached(
                "INSERT INTO course (id, template, title, zone, no_food_before_minutes, no_liquids_before_minutes, \
                 created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            )?
            .execute(params![
                id,
                template.as_str(),
                template.title(language),
                draft.zone.name(),
                fasting.no_food_before_minutes,
                fasting.no_liquids_before_minutes,
                now
            ])?;
            for session in template.sessions() {
                let local = first
                    .checked_add_days(Days::new(session.day))
                    .ok_or_else(|| CourseError::InvalidLocalTime { text: draft.first_session.clone() })?;
                let appointment = AppointmentDraft {
                    kind: session.kind,
                    title: session.title(language),
                    local_start: canonical(local),
                    zone: draft.zone,
                    duration_minutes: session.duration_minutes,
                    place: draft.place.clone(),
                    notes: String::new(),
                };
                insert_appointment(tx, Some(&id), &appointment, &canonical(local), now)?;
            }
            Ok::<_, CourseError>(())
        })?;
        self.read(|conn| current_course(conn)?.ok_or(CourseError::CourseNotFound { id }))
    }

    /// Sets the course's fasting times, in minutes before each dose; `None` removes a rule.
    pub fn set_fasting(
        &self,
        course_id: &str,
        no_food_before_minutes: Option<u32>,
        no_liquids_before_minutes: Option<u32>,
    ) -> Result<Course, CourseError> {
        for minutes in [no_food_before_minutes, no_liquids_before_minutes].into_iter().flatten() {
            if minutes > MAX_DURATION_MINUTES {
                return Err(CourseError::InvalidFasting { minutes });
            }
        }
        self.write(|tx| {
            let changed = tx
                .prepare_cached(
                    "UPDATE course SET no_food_before_minutes = ?2, no_liquids_before_minutes = ?3, updated_at = ?4 \
                     WHERE id = ?1",
                )?
                .execute(params![
                    course_id,
                    no_food_before_minutes,
                    no_liquids_before_minutes,
                    time::to_millis(SystemTime::now())
                ])?;
            if changed == 0 {
                return Err(CourseError::CourseNotFound { id: course_id.to_string() });
            }
            let language = crate::safety::stored_language(tx)?;
            Ok(tx
                .prepare_cached(&format!("SELECT {COURSE_COLUMNS} FROM course WHERE id = ?1"))?
                .query_row([course_id], |row| read_course(row, language))?)
        })
    }

    /// Adds a session to the current course (or to none, before a course starts).
    pub fn add_appointment(&self, draft: &AppointmentDraft) -> Result<Appointment, CourseError> {
        let local_start = draft.check()?;
        let now = time::to_millis(SystemTime::now());
        self.write(|tx| {
            let course = current_course(tx)?;
            let id = insert_appointment(tx, course.as_ref().map(|c| c.id.as_str()), draft, &local_start, now)?;
            find_appointment(tx, &id)
        })
    }

    /// Moves a scheduled or missed session to a new local time, in its own zone
    /// unless `zone` is given. A missed session moved is scheduled again.
    pub fn move_appointment(
        &self,
        id: &str,
        local_start: &str,
        zone: Option<Zone>,
    ) -> Result<Appointment, CourseError> {
        let local = canonical(parse_local(local_start)?);
        self.change(id, |tx, current| {
            tx.prepare_cached(
                "UPDATE appointment SET local_start = ?2, zone = ?3, status = 'scheduled', updated_at = ?4 WHERE id = ?1",
            )?
            .execute(params![id, local, zone.map_or(current.zone.clone(), |z| z.name().to_string()), time::to_millis(SystemTime::now())])?;
            Ok(())
        })
    }

    pub fn cancel_appointment(&self, id: &str) -> Result<Appointment, CourseError> {
        self.set_status(id, AppointmentStatus::Cancelled, None)
    }

    /// Marks a session done at `at` (now when `None`), which starts its after-session window.
    pub fn mark_appointment_done(&self, id: &str, at: Option<SystemTime>) -> Result<Appointment, CourseError> {
        self.set_status(id, AppointmentStatus::Done, Some(at.unwrap_or_else(SystemTime::now)))
    }

    pub fn mark_appointment_missed(&self, id: &str) -> Result<Appointment, CourseError> {
        self.set_status(id, AppointmentStatus::Missed, None)
    }

    /// Removes a session, e.g. one a template made that the clinic did not book.
    pub fn delete_appointment(&self, id: &str) -> Result<(), CourseError> {
        self.write(|tx| {
            find_appointment(tx, id)?;
            let now = time::to_millis(SystemTime::now());
            tx.prepare_cached("UPDATE appointment SET deleted_at = ?2, updated_at = ?2 WHERE id = ?1")?
                .execute(params![id, now])?;
            Ok(())
        })
    }

    fn set_status(
        &self,
        id: &str,
        status: AppointmentStatus,
        done_at: Option<SystemTime>,
    ) -> Result<Appointment, CourseError> {
        self.change(id, |tx, _| {
            tx.prepare_cached("UPDATE appointment SET status = ?2, done_at = ?3, updated_at = ?4 WHERE id = ?1")?
                .execute(params![
                    id,
                    status.as_str(),
                    done_at.map(time::to_millis),
                    time::to_millis(SystemTime::now())
                ])?;
            Ok(())
        })
    }

    /// Runs `update` on a scheduled or missed appointment and returns it as changed.
    fn change(
        &self,
        id: &str,
        update: impl FnOnce(&Connection, &Appointment) -> Result<(), CourseError>,
    ) -> Result<Appointment, CourseError> {
        self.write(|tx| {
            let current = find_appointment(tx, id)?;
            if !matches!(current.status, AppointmentStatus::Scheduled | AppointmentStatus::Missed) {
                return Err(CourseError::NotChangeable { id: id.to_string(), status: current.status.as_str().into() });
            }
            update(tx, &current)?;
            find_appointment(tx, id)
        })
    }

    /// Continues an esketamine course on its rhythm: `sessions` more, every
    /// `every_weeks` weeks (1 or 2, as the label's maintenance phase) after its
    /// last dosing session, at the same local time and place, the first of them
    /// after `now`. Returns the sessions added.
    pub fn continue_course_at(
        &self,
        now: SystemTime,
        every_weeks: u32,
        sessions: u32,
    ) -> Result<Vec<Appointment>, CourseError> {
        if !(1..=2).contains(&every_weeks) || !(1..=26).contains(&sessions) {
            return Err(CourseError::InvalidContinuation { every_weeks, sessions });
        }
        let created = time::to_millis(SystemTime::now());
        self.write(|tx| {
            let course = current_course(tx)?.ok_or(CourseError::NoCourse)?;
            if course.template != CourseTemplate::Esketamine {
                return Err(CourseError::NotContinuable { template: course.template.title("en").to_string() });
            }
            let last = all_appointments(tx)?
                .into_iter()
                .filter(|a| a.course_id.as_deref() == Some(course.id.as_str()) && a.kind == AppointmentKind::Dosing)
                .rfind(|a| a.status != AppointmentStatus::Cancelled)
                .ok_or(CourseError::NoCourse)?;
            let local = parse_local(&last.local_start)?;
            let tz = stored_zone(&last.zone)?;
            let language = crate::safety::stored_language(tx)?;
            let step = 7 * u64::from(every_weeks);
            let after = |n: u64| {
                local
                    .checked_add_days(Days::new(step * n))
                    .ok_or_else(|| CourseError::InvalidLocalTime { text: last.local_start.clone() })
            };
            // Skip the slots already past, so a schedule picked up late starts from now.
            let missed = now.duration_since(last.starts_at).map_or(0, |gap| gap.as_secs() / (step * 24 * 3_600));
            let mut first = missed + 1;
            while time::instant_of(after(first)?, tz) <= now {
                first += 1;
            }
            let mut added = Vec::new();
            for n in first..first + u64::from(sessions) {
                let next = after(n)?;
                let draft = AppointmentDraft {
                    kind: AppointmentKind::Dosing,
                    title: crate::text::get(language, "course.maintenance").to_string(),
                    local_start: canonical(next),
                    zone: tz.into(),
                    duration_minutes: last.duration_minutes,
                    place: last.place.clone(),
                    notes: String::new(),
                };
                let id = insert_appointment(tx, Some(&course.id), &draft, &canonical(next), created)?;
                added.push(find_appointment(tx, &id)?);
            }
            Ok(added)
        })
    }

    /// The current course, if one was started.
    pub fn course(&self) -> Result<Option<Course>, CourseError> {
        self.read(current_course)
    }

    /// Every live appointment, soonest first.
    pub fn appointments(&self) -> Result<Vec<Appointment>, CourseError> {
        self.read(all_appointments)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::test_support::{at, open_store};

    pub(crate) fn start(store: &Store, template: CourseTemplate, first: &str, zone: &str) -> Course {
        let draft =
            CourseDraft { template, first_session: first.into(), zone: zone.parse().unwrap(), place: "Clinic".into() };
        store.start_course(&draft).unwrap()
    }

    #[test]
    fn a_template_schedules_its_sessions_at_the_same_local_time() {
        let (_dir, store) = open_store();
        let course = start(&store, CourseTemplate::Esketamine, "2026-10-20T09:00", "America/New_York");
        assert_eq!(course.no_food_before_minutes, Some(120));
        assert!(course.fasting_source.contains("spravato.com"));
        let sessions = store.appointments().unwrap();
        assert_eq!(sessions.len(), 12);
        assert!(sessions
            .iter()
            .all(|s| s.local_start.ends_with("T09:00:00") && s.status == AppointmentStatus::Scheduled));
        assert!(sessions.iter().all(|s| s.course_id.as_deref() == Some(course.id.as_str()) && s.place == "Clinic"));
        // New York leaves summer time on 2026-11-01: 09:00 is 13:00 UTC before and 14:00 UTC after.
        assert_eq!(sessions[0].starts_at, at("2026-10-20T13:00:00Z"));
        assert_eq!(sessions[4].local_start, "2026-11-03T09:00:00");
        assert_eq!(sessions[4].starts_at, at("2026-11-03T14:00:00Z"));
    }

    #[test]
    fn local_times_keep_to_the_wall_clock_across_dst_in_three_zones() {
        let table = [
            ("America/New_York", "2026-03-07T09:00", "2026-03-07T14:00:00Z", "2026-03-09T13:00:00Z"),
            ("Europe/London", "2026-03-28T09:00", "2026-03-28T09:00:00Z", "2026-03-30T08:00:00Z"),
            ("Australia/Sydney", "2026-04-04T09:00", "2026-04-03T22:00:00Z", "2026-04-05T23:00:00Z"),
        ];
        for (zone, first, before, after) in table {
            let (_dir, store) = open_store();
            start(&store, CourseTemplate::IvInduction, first, zone);
            let sessions = store.appointments().unwrap();
            assert_eq!((sessions[0].starts_at, sessions[1].starts_at), (at(before), at(after)), "{zone}");
        }
    }

    #[test]
    fn a_time_skipped_by_dst_is_read_with_the_offset_before_it() {
        let new_york = time::parse_zone("America/New_York").unwrap();
        let skipped = parse_local("2026-03-08T02:30").unwrap();
        assert_eq!(time::instant_of(skipped, new_york), at("2026-03-08T07:30:00Z"));
        let repeated = parse_local("2026-11-01T01:30").unwrap();
        assert_eq!(time::instant_of(repeated, new_york), at("2026-11-01T05:30:00Z"), "the first 01:30");
        // Samoa skipped the whole of 2011-12-30 (UTC-10 to UTC+14).
        let apia = time::parse_zone("Pacific/Apia").unwrap();
        assert_eq!(time::instant_of(parse_local("2011-12-30T09:00").unwrap(), apia), at("2011-12-30T19:00:00Z"));
        // Troll station jumps two hours for summer time.
        let troll = time::parse_zone("Antarctica/Troll").unwrap();
        assert_eq!(time::instant_of(parse_local("2026-03-29T01:30").unwrap(), troll), at("2026-03-29T01:30:00Z"));
    }

    #[test]
    fn sessions_move_cancel_finish_and_delete() {
        let (_dir, store) = open_store();
        start(&store, CourseTemplate::Kap, "2026-11-02T10:00", "Europe/Berlin");
        let sessions = store.appointments().unwrap();
        let moved = store.move_appointment(&sessions[1].id, "2026-11-10T15:30", None).unwrap();
        assert_eq!((moved.local_start.as_str(), moved.zone.as_str()), ("2026-11-10T15:30:00", "Europe/Berlin"));
        let done = store.mark_appointment_done(&moved.id, Some(at("2026-11-10T16:40:00Z"))).unwrap();
        assert_eq!((done.status, done.done_at), (AppointmentStatus::Done, Some(at("2026-11-10T16:40:00Z"))));
        assert!(matches!(
            store.move_appointment(&done.id, "2026-11-11T09:00", None),
            Err(CourseError::NotChangeable { .. })
        ));
        assert_eq!(store.cancel_appointment(&sessions[2].id).unwrap().status, AppointmentStatus::Cancelled);
        store.delete_appointment(&sessions[0].id).unwrap();
        assert_eq!(store.appointments().unwrap().len(), 2);
        assert!(matches!(store.delete_appointment(&sessions[0].id), Err(CourseError::AppointmentNotFound { .. })));
    }

    #[test]
    fn bad_input_is_refused_and_nothing_is_stored() {
        let (_dir, store) = open_store();
        let draft = |local: &str, zone: &str, minutes: u32| AppointmentDraft {
            kind: AppointmentKind::MedicalCheck,
            title: "Blood pressure check".into(),
            local_start: local.into(),
            zone: zone.parse().unwrap(),
            duration_minutes: minutes,
            place: String::new(),
            notes: String::new(),
        };
        assert!(matches!(
            store.add_appointment(&draft("27/11/2026 09:00", "UTC", 30)),
            Err(CourseError::InvalidLocalTime { .. })
        ));
        assert!(matches!(
            store.add_appointment(&draft("2026-11-27T09:00", "UTC", 0)),
            Err(CourseError::InvalidDuration { .. })
        ));
        let bad_course = CourseDraft {
            template: CourseTemplate::IvInduction,
            first_session: "soon".into(),
            zone: "UTC".parse().unwrap(),
            place: String::new(),
        };
        assert!(store.start_course(&bad_course).is_err());
        assert!(store.appointments().unwrap().is_empty() && store.course().unwrap().is_none());
        let saved = store.add_appointment(&draft("2026-11-27T09:00", "UTC", 30)).unwrap();
        assert_eq!(saved.course_id, None);
    }

    #[test]
    fn fasting_times_can_be_set_for_a_course() {
        let (_dir, store) = open_store();
        let course = start(&store, CourseTemplate::Kap, "2026-11-02T10:00", "Europe/Berlin");
        assert_eq!(course.no_food_before_minutes, None);
        let changed = store.set_fasting(&course.id, Some(240), Some(60)).unwrap();
        assert_eq!(
            (changed.no_food_before_minutes, changed.fasting_source.as_str()),
            (Some(240), "Set for this course")
        );
        assert!(matches!(store.set_fasting(&course.id, Some(2000), None), Err(CourseError::InvalidFasting { .. })));
        assert!(matches!(store.set_fasting("nope", None, None), Err(CourseError::CourseNotFound { .. })));
    }
}
