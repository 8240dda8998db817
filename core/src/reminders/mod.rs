//! The reminder plan: the exact set of notifications that should be pending
//! on the phone, worked out from the store, the settings and `now`.
//!
//! The shells never schedule on their own. They ask for the plan whenever the
//! app opens, a background task runs or something changes, and apply only the
//! difference (`reconcile`). iOS keeps at most 64 pending local notifications
//! per app and drops the rest, so the plan keeps the soonest, 60 by default.
//! Android 14 denies exact alarms by default, so each notification says
//! whether it needs to be exact; a shell without the permission falls back to
//! a windowed alarm and tells the patient (shared/domain.md, "Platform limits").

use std::collections::HashSet;
use std::time::{Duration, SystemTime};

use chrono::{Days, LocalResult, NaiveTime, TimeZone, Timelike};
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::course::{self, care, Appointment, AppointmentKind, AppointmentStatus, Course};
use crate::measures::due::{self, DueMeasure};
use crate::measures::Instrument;
use crate::prompts::{self, DuePrompt};
use crate::store::{Store, StoreError};
use crate::text;
use crate::time::instant_of;
use crate::time::{self, rfc3339, Zone};

pub const DEFAULT_MAX_PENDING: u32 = 60;
const MAX_PENDING_LIMIT: u32 = 1000;
/// How long after a session was marked done its safety reminder fires.
const AFTER_DONE: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error), uniffi(flat_error))]
pub enum ReminderError {
    #[error("at most {max} notifications can be pending, and at least 1, not {value}")]
    InvalidMaxPending { value: u32, max: u32 },
    #[error("{minutes} is not a minute of the day; give 0 (midnight) to 1439 (23:59)")]
    InvalidQuietHours { minutes: u32 },
    #[error("a reminder {minutes} minutes before cannot be used; give 1 to 10080 minutes (a week), at most 5 of them")]
    InvalidOffset { minutes: u32 },
    #[error("{count} notification ids were given, more than the {max} a phone can hold; pass the reconciliation's `pending`")]
    TooManyApplied { count: u32, max: u32 },
    #[error(transparent)]
    Course(#[from] course::CourseError),
    #[error(transparent)]
    Prompt(#[from] prompts::PromptError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ReminderError {
    fn from(error: rusqlite::Error) -> Self {
        ReminderError::Store(error.into())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReminderSettings {
    /// Minutes before each session to remind, e.g. 1440 and 120.
    pub appointment_offsets_minutes: Vec<u32>,
    /// Quiet hours in the phone's zone, as minutes after midnight; equal means none.
    pub quiet_start_minute: u32,
    pub quiet_end_minute: u32,
    pub max_pending: u32,
    /// Remind when a PHQ-9 or GAD-7 falls due.
    pub measures: bool,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        Self {
            appointment_offsets_minutes: vec![24 * 60, 2 * 60],
            quiet_start_minute: 22 * 60,
            quiet_end_minute: 8 * 60,
            max_pending: DEFAULT_MAX_PENDING,
            measures: true,
        }
    }
}

impl ReminderSettings {
    pub fn check(&self) -> Result<(), ReminderError> {
        for minutes in [self.quiet_start_minute, self.quiet_end_minute] {
            if minutes >= 24 * 60 {
                return Err(ReminderError::InvalidQuietHours { minutes });
            }
        }
        check_max_pending(self.max_pending)?;
        let offsets = &self.appointment_offsets_minutes;
        if let Some(&minutes) = offsets.iter().find(|&&m| !(1..=7 * 24 * 60).contains(&m)).or(offsets.get(5)) {
            return Err(ReminderError::InvalidOffset { minutes });
        }
        Ok(())
    }
}

fn check_max_pending(value: u32) -> Result<(), ReminderError> {
    if !(1..=MAX_PENDING_LIMIT).contains(&value) {
        return Err(ReminderError::InvalidMaxPending { value, max: MAX_PENDING_LIMIT });
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    AppointmentReminder,
    FastingStart,
    PostSessionSafety,
    MeasureDue,
    IntegrationPrompt,
}

crate::names::stored_names!(NotificationKind {
    AppointmentReminder => "appointment",
    FastingStart => "fasting",
    PostSessionSafety => "after_session",
    MeasureDue => "measure",
    IntegrationPrompt => "prompt",
});

impl NotificationKind {
    /// Urgent kinds fire on time even in quiet hours: they are about safety.
    pub fn is_urgent(self) -> bool {
        matches!(self, NotificationKind::FastingStart | NotificationKind::PostSessionSafety)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PlannedNotification {
    /// Stable: the same input gives the same id; a change in what or when gives a new one.
    pub id: String,
    #[serde(with = "rfc3339")]
    pub fire_at: SystemTime,
    /// `fire_at` on the phone's clock, `YYYY-MM-DD HH:MM`.
    pub local_time: String,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    /// What the lock screen shows in place of `title` and `body`: nothing clinical.
    pub public_title: String,
    pub public_body: String,
    /// Where tapping it leads.
    pub route: Route,
    /// About safety (fasting, after a session): it fires in quiet hours, and
    /// should break through focus modes (iOS time-sensitive, a high-importance
    /// Android channel).
    pub urgent: bool,
    /// Needs an exact alarm; otherwise a windowed one is fine.
    pub exact: bool,
}

/// The screen a notification opens, and what on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "screen", rename_all = "snake_case")]
pub enum Route {
    Appointment { id: String },
    Assessment { instrument: Instrument },
    Prompt { id: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Reconciliation {
    /// Schedule these, in order.
    pub add: Vec<PlannedNotification>,
    /// Cancel the pending notifications with these ids.
    pub cancel: Vec<String>,
    /// The ids the phone holds once this is applied: pass them to `notifications_applied`.
    pub pending: Vec<String>,
}

/// Everything the plan is worked out from.
pub struct PlanInput<'a> {
    pub appointments: &'a [Appointment],
    pub course: Option<&'a Course>,
    pub due: &'a [DueMeasure],
    /// Integration prompts still to fall due.
    pub prompts: &'a [DuePrompt],
    pub settings: &'a ReminderSettings,
    pub now: SystemTime,
    /// The zone the phone is in now: quiet hours and display times follow it.
    pub device_zone: Tz,
    /// The language of the notifications' words (`en`, `es`).
    pub language: &'a str,
}

/// What a notification is before quiet hours, the clock and the cap.
struct Candidate {
    kind: NotificationKind,
    subject: String,
    fire_at: SystemTime,
    /// A non-urgent reminder must fire before this, e.g. the session it announces.
    deadline: Option<SystemTime>,
    title: String,
    body: String,
    route: Route,
    exact: bool,
}

/// The notifications that should be pending at `now`: soonest first, none in
/// the past, non-urgent ones outside quiet hours, at most `max_pending`.
pub fn plan(input: &PlanInput<'_>) -> Vec<PlannedNotification> {
    let mut candidates = Vec::new();
    for appointment in input.appointments {
        candidates.extend(appointment_candidates(appointment, input));
    }
    if input.settings.measures {
        candidates.extend(input.due.iter().filter_map(|due| measure_candidate(due, input.language)));
    }
    candidates.extend(input.prompts.iter().map(|prompt| prompt_candidate(prompt, input.language)));
    let mut planned: Vec<PlannedNotification> =
        candidates.into_iter().filter_map(|candidate| settle(candidate, input)).collect();
    planned.sort_by(|a, b| a.fire_at.cmp(&b.fire_at).then_with(|| a.id.cmp(&b.id)));
    planned.dedup_by(|a, b| a.id == b.id);
    let max_pending = input.settings.max_pending as usize;
    if planned.len() > max_pending {
        planned.truncate(max_pending);
        if let Some(last) = planned.last_mut() {
            ask_to_open_app(last, input.language);
        }
    }
    planned
}

/// The last notification the cap leaves asks the patient to open Waymark,
/// which plans the ones that did not fit.
fn ask_to_open_app(last: &mut PlannedNotification, language: &str) {
    last.body = format!("{} {}", last.body, text::get(language, "notify.more"));
    last.id = notification_id(&last.id[..last.id.len() - 8], &last.title, &last.body);
}

/// What a shell must add and cancel so the phone holds exactly `plan`.
pub fn reconcile(plan: &[PlannedNotification], os_pending_ids: &[String]) -> Reconciliation {
    let pending: HashSet<&str> = os_pending_ids.iter().map(String::as_str).collect();
    let planned: HashSet<&str> = plan.iter().map(|n| n.id.as_str()).collect();
    let mut cancel: Vec<String> = pending.difference(&planned).map(|id| id.to_string()).collect();
    cancel.sort();
    Reconciliation {
        add: plan.iter().filter(|n| !pending.contains(n.id.as_str())).cloned().collect(),
        cancel,
        pending: plan.iter().map(|n| n.id.clone()).collect(),
    }
}

fn appointment_candidates(appointment: &Appointment, input: &PlanInput<'_>) -> Vec<Candidate> {
    let route = Route::Appointment { id: appointment.id.clone() };
    let start = appointment.starts_at;
    let when = time::local_minute(start, input.device_zone);
    let language = input.language;
    let mut candidates = Vec::new();
    match appointment.status {
        AppointmentStatus::Scheduled => {
            let mut body = match appointment.place.as_str() {
                "" => text::fill(language, "notify.appointment.body", &[("when", &when)]),
                place => text::fill(language, "notify.appointment.body_at", &[("when", &when), ("place", place)]),
            };
            if appointment.kind == AppointmentKind::Dosing {
                body = format!("{body} {}", text::get(language, "notify.appointment.ride"));
            }
            for &offset in &input.settings.appointment_offsets_minutes {
                let Some(fire_at) = before(appointment, offset) else { continue };
                // Reminders of one session that land together share an id, so only one is kept.
                candidates.push(Candidate {
                    kind: NotificationKind::AppointmentReminder,
                    subject: appointment.id.clone(),
                    fire_at,
                    deadline: Some(start),
                    title: appointment.title.clone(),
                    body: body.clone(),
                    route: route.clone(),
                    exact: offset <= 2 * 60,
                });
            }
            let course = input.course.filter(|c| appointment.course_id.as_deref() == Some(c.id.as_str()));
            for item in care::care_plan(appointment, course, &[], language) {
                let kind = item.kind;
                if !matches!(kind, care::CareItemKind::NoFood | care::CareItemKind::NoLiquids) {
                    continue;
                }
                let Some(from) = item.from else { continue };
                candidates.push(Candidate {
                    kind: NotificationKind::FastingStart,
                    subject: format!("{}:{}", appointment.id, kind.as_str()),
                    fire_at: from,
                    deadline: None,
                    title: item.title,
                    body: text::fill(language, "notify.fasting.body", &[("detail", &item.detail), ("when", &when)]),
                    route: route.clone(),
                    exact: true,
                });
            }
            if appointment.kind == AppointmentKind::Dosing {
                candidates.push(after_session(appointment, appointment.ends_at(), &route, language));
            }
        }
        AppointmentStatus::Done if appointment.kind == AppointmentKind::Dosing => {
            let done_at = appointment.done_at.unwrap_or_else(|| appointment.ends_at());
            candidates.push(after_session(appointment, done_at + AFTER_DONE, &route, language));
        }
        _ => {}
    }
    candidates
}

/// `offset` minutes before the session: whole days on the clinic's calendar,
/// so "a day before" a 09:00 session is 09:00 the day before even across a
/// DST change, and the rest in real minutes.
fn before(appointment: &Appointment, offset: u32) -> Option<SystemTime> {
    let local = course::parse_local(&appointment.local_start).ok()?;
    let zone = time::parse_zone(&appointment.zone)?;
    let day_before = local.checked_sub_days(Days::new(u64::from(offset / (24 * 60))))?;
    instant_of(day_before, zone).checked_sub(time::minutes(offset % (24 * 60)))
}

fn after_session(appointment: &Appointment, fire_at: SystemTime, route: &Route, language: &str) -> Candidate {
    Candidate {
        kind: NotificationKind::PostSessionSafety,
        subject: appointment.id.clone(),
        fire_at,
        deadline: None,
        title: text::get(language, "notify.after_session.title").to_string(),
        body: text::get(language, "notify.after_session.body").to_string(),
        route: route.clone(),
        exact: true,
    }
}

fn measure_candidate(due: &DueMeasure, language: &str) -> Option<Candidate> {
    let fire_at = due.due_at?;
    let name = due.instrument.title();
    let days = due.every_days.to_string();
    Some(Candidate {
        kind: NotificationKind::MeasureDue,
        subject: due.instrument.as_str().to_string(),
        fire_at,
        deadline: None,
        title: text::fill(language, "notify.measure.title", &[("name", name)]),
        body: text::fill(language, "notify.measure.body", &[("name", name), ("days", &days)]),
        route: Route::Assessment { instrument: due.instrument },
        exact: false,
    })
}

fn prompt_candidate(prompt: &DuePrompt, language: &str) -> Candidate {
    Candidate {
        kind: NotificationKind::IntegrationPrompt,
        subject: prompt.id.clone(),
        fire_at: prompt.due_at,
        deadline: None,
        title: prompts::heading(prompt.phase, language),
        body: prompt.text.clone(),
        route: Route::Prompt { id: prompt.id.clone() },
        exact: false,
    }
}

/// Applies quiet hours and the clock: `None` when the candidate cannot fire.
fn settle(candidate: Candidate, input: &PlanInput<'_>) -> Option<PlannedNotification> {
    let mut fire_at = candidate.fire_at;
    if !candidate.kind.is_urgent() {
        if let Some((quiet_start, quiet_end)) = quiet_span_around(fire_at, input.settings, input.device_zone) {
            fire_at = match candidate.deadline {
                Some(deadline) if quiet_end >= deadline => quiet_start.checked_sub(Duration::from_secs(60))?,
                _ => quiet_end,
            };
        }
    }
    if fire_at <= input.now {
        return None;
    }
    let stem = format!("{}:{}:{}:", candidate.kind.as_str(), candidate.subject, time::to_millis(fire_at));
    Some(PlannedNotification {
        id: notification_id(&stem, &candidate.title, &candidate.body),
        fire_at,
        local_time: time::local_minute(fire_at, input.device_zone),
        kind: candidate.kind,
        title: candidate.title,
        body: candidate.body,
        public_title: text::get(input.language, "notify.public.title").to_string(),
        public_body: text::get(input.language, "notify.public.body").to_string(),
        route: candidate.route,
        urgent: candidate.kind.is_urgent(),
        exact: candidate.exact,
    })
}

/// `stem` (kind, subject and time) and a hash of the words, so a change in
/// any of them gives a new id.
fn notification_id(stem: &str, title: &str, body: &str) -> String {
    format!("{stem}{:08x}", fnv1a(&[title.as_bytes(), body.as_bytes()]) as u32)
}

/// The quiet time `instant` falls in, as its start and end instants. A DST
/// change can swallow the waking time between two quiet periods, so periods
/// that touch are one span.
fn quiet_span_around(instant: SystemTime, settings: &ReminderSettings, zone: Tz) -> Option<(SystemTime, SystemTime)> {
    let (mut start, mut end) = quiet_period_around(instant, settings, zone)?;
    // Two periods at most: clocks change at most once a night.
    for _ in 0..2 {
        if let Some((_, later)) = quiet_period_around(end, settings, zone) {
            end = later;
        }
        if let Some((earlier, _)) = quiet_period_around(start - Duration::from_secs(60), settings, zone) {
            start = earlier;
        }
    }
    Some((start, end))
}

/// The quiet period `instant` falls in, as its start and end instants.
fn quiet_period_around(instant: SystemTime, settings: &ReminderSettings, zone: Tz) -> Option<(SystemTime, SystemTime)> {
    let (start, end) = (settings.quiet_start_minute, settings.quiet_end_minute);
    if start == end {
        return None;
    }
    let local = time::to_utc(instant).with_timezone(&zone).naive_local();
    let minute = local.hour() * 60 + local.minute();
    let date = local.date();
    let at = |date: chrono::NaiveDate, minute: u32, last: bool| {
        let clock = NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).expect("minutes of a day");
        wall_clock(date.and_time(clock), zone, last)
    };
    let (start_date, end_date) = if start < end {
        // Quiet within one day, e.g. 13:00-15:00.
        ((start..end).contains(&minute)).then_some((date, date))?
    } else if minute >= start {
        (date, date.checked_add_days(Days::new(1))?)
    } else if minute < end {
        (date.checked_sub_days(Days::new(1))?, date)
    } else {
        return None;
    };
    // Quiet hours start at the first time the clock shows their start and end
    // at the last time it shows their end, so a repeated hour is covered whole.
    Some((at(start_date, start, false), at(end_date, end, true)))
}

/// When the clock shows `local`: its first or last showing when a DST change
/// repeats it, or the end of the gap when a change skips it.
fn wall_clock(local: chrono::NaiveDateTime, zone: Tz, last: bool) -> SystemTime {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(instant) => instant.into(),
        LocalResult::Ambiguous(first, second) => if last { second } else { first }.into(),
        LocalResult::None => (1..=24 * 60)
            .find_map(|minute| zone.from_local_datetime(&(local + chrono::Duration::minutes(minute))).earliest())
            .map_or_else(|| instant_of(local, zone), SystemTime::from),
    }
}

/// FNV-1a: a hash that is the same in every build and on every run.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    parts
        .iter()
        .flat_map(|part| part.iter().chain(&[0xff]))
        .fold(0xcbf2_9ce4_8422_2325, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

pub(crate) fn read_settings(conn: &Connection) -> rusqlite::Result<ReminderSettings> {
    let stored = conn
        .prepare_cached(
            "SELECT appointment_offsets, quiet_start_minute, quiet_end_minute, max_pending, measures \
             FROM reminder_settings WHERE id = 1",
        )?
        .query_row([], |row| {
            let offsets: String = row.get(0)?;
            Ok(ReminderSettings {
                appointment_offsets_minutes: offsets.split(',').filter_map(|m| m.parse().ok()).collect(),
                quiet_start_minute: row.get(1)?,
                quiet_end_minute: row.get(2)?,
                max_pending: row.get(3)?,
                measures: row.get(4)?,
            })
        })
        .optional()?;
    Ok(stored.unwrap_or_default())
}

impl Store {
    pub fn reminder_settings(&self) -> Result<ReminderSettings, ReminderError> {
        self.read(|conn| Ok(read_settings(conn)?))
    }

    pub fn set_reminder_settings(&self, settings: &ReminderSettings) -> Result<(), ReminderError> {
        settings.check()?;
        let offsets: Vec<String> = settings.appointment_offsets_minutes.iter().map(u32::to_string).collect();
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO reminder_settings (id, appointment_offsets, quiet_start_minute, \
                 quiet_end_minute, max_pending, measures) VALUES (1, ?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                offsets.join(","),
                settings.quiet_start_minute,
                settings.quiet_end_minute,
                settings.max_pending,
                settings.measures
            ])?;
            Ok(())
        })
    }

    /// Every live appointment as a calendar file that Google, Apple and
    /// Outlook accept, with display alarms at the reminder offsets.
    pub fn export_calendar(&self) -> Result<String, ReminderError> {
        self.read(|conn| {
            let offsets = read_settings(conn)?.appointment_offsets_minutes;
            Ok(course::calendar::export_ics(&course::all_appointments(conn)?, &offsets))
        })
    }

    /// The notifications that should be pending at `now` for a phone in
    /// `device_zone`; `max_pending` overrides the setting.
    pub fn plan_notifications(
        &self,
        now: SystemTime,
        device_zone: Zone,
        max_pending: Option<u32>,
    ) -> Result<Vec<PlannedNotification>, ReminderError> {
        let tz = device_zone.tz();
        if let Some(value) = max_pending {
            check_max_pending(value)?;
        }
        self.read(|conn| {
            let mut settings = read_settings(conn)?;
            settings.max_pending = max_pending.unwrap_or(settings.max_pending);
            let appointments = course::all_appointments(conn)?;
            let course = course::current_course(conn)?;
            let due = due::due_at(conn, now, tz)?;
            let prompts = prompts::upcoming(conn, now)?;
            let language = crate::safety::stored_language(conn)?;
            let input = PlanInput {
                appointments: &appointments,
                course: course.as_ref(),
                due: &due,
                prompts: &prompts,
                settings: &settings,
                now,
                device_zone: tz,
                language,
            };
            Ok(plan(&input))
        })
    }

    /// What to add and cancel so the phone matches the plan at `now`. The
    /// phone holds `os_pending_ids` when the shell can list them (iOS);
    /// otherwise (`None`, Android) what the shell last recorded with
    /// `notifications_applied`.
    pub fn reconcile_notifications(
        &self,
        now: SystemTime,
        device_zone: Zone,
        os_pending_ids: Option<&[String]>,
    ) -> Result<Reconciliation, ReminderError> {
        let plan = self.plan_notifications(now, device_zone, None)?;
        let pending = match os_pending_ids {
            Some(ids) => ids.to_vec(),
            None => self.read(|conn| {
                let mut statement = conn.prepare_cached("SELECT id FROM notification_applied ORDER BY id")?;
                let ids = statement.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
                Ok::<_, ReminderError>(ids)
            })?,
        };
        Ok(reconcile(&plan, &pending))
    }

    /// Records the notifications the phone holds after the shell applied a
    /// reconciliation (its `pending`). After a reboot, which clears Android's
    /// alarms, reconcile with an empty list instead.
    pub fn notifications_applied(&self, ids: &[String]) -> Result<(), ReminderError> {
        if ids.len() > MAX_PENDING_LIMIT as usize {
            return Err(ReminderError::TooManyApplied { count: ids.len() as u32, max: MAX_PENDING_LIMIT });
        }
        self.write(|tx| {
            tx.execute("DELETE FROM notification_applied", [])?;
            let mut insert = tx.prepare_cached("INSERT OR IGNORE INTO notification_applied (id) VALUES (?1)")?;
            for id in ids {
                insert.execute([id])?;
            }
            Ok(())
        })
    }

    /// Forgets what the phone held: a restored profile is on another phone.
    pub(crate) fn forget_applied_notifications(&self) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute("DELETE FROM notification_applied", [])?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests;
