//! Calendar files in and out (RFC 5545).
//!
//! Import takes what clinics send: Google and Apple files with IANA TZIDs and
//! VTIMEZONE blocks, Outlook files with Windows zone names, UTC and floating
//! times, recurring events with exceptions, updates that keep the UID and
//! raise the SEQUENCE, and cancellations. The whole file is one transaction:
//! one bad event and nothing is imported, with the line and the reason.
//! Export writes every appointment in UTC, so no VTIMEZONE is needed, with
//! display alarms at the patient's reminder offsets.

use std::time::SystemTime;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use icalendar::parser::{read_calendar, Component as Parsed, Property};
use icalendar::{Alarm, Component, EventLike, EventStatus};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::windows_zones::iana_for_windows;
use super::{
    all_appointments, current_course, instant_of, AppointmentKind, AppointmentStatus, CourseError, MAX_DURATION_MINUTES,
};
use crate::reminders::ReminderSettings;
use crate::store::Store;
use crate::time;

/// How far past now (or past its start) a recurring event is expanded.
const HORIZON_DAYS: u64 = 366;
/// The most occurrences one recurring event may produce.
const MAX_OCCURRENCES: u16 = 500;
const DEFAULT_MINUTES: u32 = 60;
const KIND_PROPERTY: &str = "X-WAYMARK-KIND";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ImportReport {
    pub added: u32,
    pub updated: u32,
    pub cancelled: u32,
    /// Events already imported at the same or a newer SEQUENCE.
    pub unchanged: u32,
}

/// One appointment an event stands for.
#[derive(Clone)]
struct Incoming {
    key: String,
    sequence: i64,
    kind: AppointmentKind,
    title: String,
    local_start: NaiveDateTime,
    zone: Tz,
    duration_minutes: u32,
    place: String,
    notes: String,
    cancelled: bool,
}

/// Where each top-level event starts in the file, and where its properties are.
struct EventLines {
    begin: u32,
    properties: Vec<(String, u32)>,
}

impl EventLines {
    fn line_of(&self, name: &str) -> u32 {
        self.properties.iter().find(|(n, _)| n == name).map_or(self.begin, |(_, line)| *line)
    }
}

fn invalid(line: u32, reason: impl Into<String>) -> CourseError {
    CourseError::InvalidCalendar { line, reason: reason.into() }
}

/// Unfolds the file (RFC 5545 §3.1) into logical lines, each with the number
/// of the file line it starts on, and checks each is `NAME[;PARAMS]:VALUE`.
fn logical_lines(ics: &str) -> Result<Vec<(u32, String)>, CourseError> {
    let mut lines: Vec<(u32, String)> = Vec::new();
    for (index, raw) in ics.trim_start_matches('\u{feff}').split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        match raw.strip_prefix([' ', '\t']) {
            Some(continuation) if !lines.is_empty() => lines.last_mut().expect("checked").1.push_str(continuation),
            _ if raw.trim().is_empty() => {}
            _ => lines.push((index as u32 + 1, raw.to_string())),
        }
    }
    for (number, line) in &lines {
        let name_end = line.find([':', ';']).unwrap_or(line.len());
        let name = &line[..name_end];
        let named = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !named || !line.contains(':') {
            return Err(invalid(*number, "this is not a calendar line (NAME:value); the file may be cut or damaged"));
        }
    }
    Ok(lines)
}

/// The line numbers of each top-level VEVENT and of its own properties.
fn event_lines(lines: &[(u32, String)]) -> Result<Vec<EventLines>, CourseError> {
    let mut events = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    for (number, line) in lines {
        let upper = line.to_ascii_uppercase();
        if let Some(name) = upper.strip_prefix("BEGIN:") {
            if name == "VEVENT" && stack.last().map(String::as_str) == Some("VCALENDAR") {
                events.push(EventLines { begin: *number, properties: Vec::new() });
            }
            stack.push(name.to_string());
        } else if let Some(name) = upper.strip_prefix("END:") {
            if stack.pop().as_deref() != Some(name) {
                return Err(invalid(*number, format!("END:{name} does not close the block that is open")));
            }
        } else if stack.last().map(String::as_str) == Some("VEVENT") {
            let name = upper[..upper.find([':', ';']).unwrap_or(upper.len())].to_string();
            events.last_mut().expect("inside a VEVENT").properties.push((name, *number));
        }
    }
    if let Some(open) = stack.last() {
        let last = lines.last().map_or(1, |(number, _)| *number);
        return Err(invalid(last, format!("the file ends inside BEGIN:{open}; it may be cut short")));
    }
    Ok(events)
}

fn property<'a>(event: &'a Parsed<'_>, name: &str) -> Option<&'a Property<'a>> {
    event.properties.iter().find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn properties<'a>(event: &'a Parsed<'_>, name: &'a str) -> impl Iterator<Item = &'a Property<'a>> {
    event.properties.iter().filter(move |p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn param<'a>(property: &'a Property<'_>, key: &str) -> Option<&'a str> {
    property
        .params
        .iter()
        .find(|p| p.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|p| p.val.as_ref())
        .map(|v| v.as_str())
}

/// An IANA name, a Windows name, or a path ending in an IANA name
/// (`/mozilla.org/20050126_1/America/New_York`).
fn resolve_zone(tzid: &str) -> Option<Tz> {
    let tzid = tzid.trim_matches('"');
    if let Some(zone) = time::parse_zone(tzid).or_else(|| iana_for_windows(tzid).and_then(time::parse_zone)) {
        return Some(zone);
    }
    let parts: Vec<&str> = tzid.split('/').collect();
    (1..parts.len()).find_map(|skip| time::parse_zone(&parts[skip..].join("/")))
}

/// A DTSTART, DTEND, EXDATE or RECURRENCE-ID value as a local time and zone.
/// UTC and floating times are placed in `default_zone`.
fn when(value: &str, property: &Property<'_>, default_zone: Tz) -> Result<(NaiveDateTime, Tz), String> {
    let value = value.trim();
    let zone = match param(property, "TZID") {
        Some(tzid) => resolve_zone(tzid).ok_or_else(|| format!("\"{tzid}\" is not a time zone Waymark knows"))?,
        None => default_zone,
    };
    if let Ok(date) = NaiveDate::parse_from_str(value, "%Y%m%d") {
        return Ok((date.and_hms_opt(0, 0, 0).expect("midnight"), zone));
    }
    if let Some(utc) = value.strip_suffix(['Z', 'z']) {
        let local = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S")
            .map_err(|_| format!("\"{value}\" is not a date-time"))?;
        return Ok((Utc.from_utc_datetime(&local).with_timezone(&default_zone).naive_local(), default_zone));
    }
    let local =
        NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").map_err(|_| format!("\"{value}\" is not a date-time"))?;
    Ok((local, zone))
}

/// `PT1H30M`, `P1D`, `-PT15M`: minutes, or `None` if it is not a duration.
fn duration_minutes(value: &str) -> Option<i64> {
    let (sign, rest) = match value.trim().strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, value.trim().trim_start_matches('+')),
    };
    let rest = rest.strip_prefix('P')?;
    let (mut total, mut number, mut in_time) = (0i64, String::new(), false);
    for c in rest.chars() {
        match c {
            'T' => in_time = true,
            '0'..='9' => number.push(c),
            unit => {
                let n: i64 = std::mem::take(&mut number).parse().ok()?;
                total += match (unit, in_time) {
                    ('W', false) => n * 7 * 24 * 60,
                    ('D', false) => n * 24 * 60,
                    ('H', true) => n * 60,
                    ('M', true) => n,
                    ('S', true) => n / 60,
                    _ => return None,
                };
            }
        }
    }
    number.is_empty().then_some(sign * total)
}

/// A guess from the title, unless the file says (as Waymark's own export does).
fn kind_of(event: &Parsed<'_>, title: &str) -> AppointmentKind {
    if let Some(kind) = property(event, KIND_PROPERTY).and_then(|p| AppointmentKind::from_stored(p.val.as_str())) {
        return kind;
    }
    let title = title.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|word| title.contains(word));
    if has(&["integration"]) {
        AppointmentKind::Integration
    } else if has(&["preparation", "prep session", "intake"]) {
        AppointmentKind::Preparation
    } else if has(&["infusion", "esketamine", "spravato", "ketamine", "dosing", "dose"]) {
        AppointmentKind::Dosing
    } else if has(&["check-up", "checkup", "blood pressure", "medical", "assessment"]) {
        AppointmentKind::MedicalCheck
    } else {
        AppointmentKind::Other
    }
}

/// The appointments one VEVENT stands for: one, or one per occurrence of its RRULE.
fn incoming(
    event: &Parsed<'_>,
    lines: &EventLines,
    default_zone: Tz,
    now: SystemTime,
) -> Result<Vec<Incoming>, CourseError> {
    let text = |name: &str| {
        property(event, name).map(|p| {
            p.val
                .as_str()
                .replace("\\n", "\n")
                .replace("\\N", "\n")
                .replace("\\,", ",")
                .replace("\\;", ";")
                .replace("\\\\", "\\")
        })
    };
    let uid = text("UID")
        .filter(|uid| !uid.trim().is_empty())
        .ok_or_else(|| invalid(lines.begin, "this event has no UID"))?;
    let start = property(event, "DTSTART").ok_or_else(|| invalid(lines.begin, "this event has no DTSTART"))?;
    let (local_start, zone) =
        when(start.val.as_str(), start, default_zone).map_err(|r| invalid(lines.line_of("DTSTART"), r))?;
    let start_instant = instant_of(local_start, zone);
    let minutes = if let Some(end) = property(event, "DTEND") {
        let (local_end, end_zone) =
            when(end.val.as_str(), end, zone).map_err(|r| invalid(lines.line_of("DTEND"), r))?;
        let end = instant_of(local_end, end_zone);
        end.duration_since(start_instant).map(|d| (d.as_secs() / 60) as i64).unwrap_or(-1)
    } else if let Some(duration) = property(event, "DURATION") {
        duration_minutes(duration.val.as_str())
            .ok_or_else(|| invalid(lines.line_of("DURATION"), "this is not a duration such as PT1H"))?
    } else {
        i64::from(DEFAULT_MINUTES)
    };
    let duration_minutes = u32::try_from(minutes)
        .ok()
        .filter(|m| (1..=MAX_DURATION_MINUTES).contains(m))
        .ok_or_else(|| invalid(lines.line_of("DTEND"), "the event must end after it starts, and within a day"))?;
    let sequence = match property(event, "SEQUENCE") {
        Some(p) => p
            .val
            .as_str()
            .trim()
            .parse()
            .map_err(|_| invalid(lines.line_of("SEQUENCE"), "SEQUENCE must be a whole number"))?,
        None => 0,
    };
    let title = text("SUMMARY").unwrap_or_else(|| "Appointment".to_string());
    let base = Incoming {
        key: uid.clone(),
        sequence,
        kind: kind_of(event, &title),
        title,
        local_start,
        zone,
        duration_minutes,
        place: text("LOCATION").unwrap_or_default(),
        notes: text("DESCRIPTION").unwrap_or_default(),
        cancelled: text("STATUS").is_some_and(|s| s.trim().eq_ignore_ascii_case("CANCELLED")),
    };
    let occurrence_key = |local: NaiveDateTime| format!("{uid}/{}", local.format("%Y%m%dT%H%M%S"));
    if let Some(recurrence) = property(event, "RECURRENCE-ID") {
        let (local, _) =
            when(recurrence.val.as_str(), recurrence, zone).map_err(|r| invalid(lines.line_of("RECURRENCE-ID"), r))?;
        return Ok(vec![Incoming { key: occurrence_key(local), ..base }]);
    }
    let Some(rule) = property(event, "RRULE") else {
        return Ok(vec![base]);
    };
    let mut exdates = Vec::new();
    for exdate in properties(event, "EXDATE") {
        for value in exdate.val.as_str().split(',') {
            let (local, ex_zone) = when(value, exdate, zone).map_err(|r| invalid(lines.line_of("EXDATE"), r))?;
            exdates.push(instant_of(local, ex_zone));
        }
    }
    let occurrences =
        expand(local_start, zone, rule.val.as_str(), now).map_err(|r| invalid(lines.line_of("RRULE"), r))?;
    Ok(occurrences
        .into_iter()
        .filter(|local| !exdates.contains(&instant_of(*local, zone)))
        .map(|local| Incoming { key: occurrence_key(local), local_start: local, ..base.clone() })
        .collect())
}

/// The local start of each occurrence, up to a year past `now` or the first one.
fn expand(first: NaiveDateTime, zone: Tz, rule: &str, now: SystemTime) -> Result<Vec<NaiveDateTime>, String> {
    let rrule_zone = rrule::Tz::Tz(zone);
    let start = time::to_utc(instant_of(first, zone)).with_timezone(&rrule_zone);
    let rule: rrule::RRule<rrule::Unvalidated> =
        rule.parse().map_err(|e| format!("this RRULE cannot be read ({e})"))?;
    let set = rule.build(start).map_err(|e| format!("this RRULE cannot be used ({e})"))?;
    let from: DateTime<Utc> = start.with_timezone(&Utc).max(time::to_utc(now));
    let horizon = from + chrono::Duration::days(HORIZON_DAYS as i64);
    let result = set.before(horizon.with_timezone(&rrule_zone)).all(MAX_OCCURRENCES);
    Ok(result.dates.into_iter().map(|at| at.with_timezone(&zone).naive_local()).collect())
}

/// What an import did to one appointment.
enum Outcome {
    Added,
    Updated,
    Cancelled,
    Unchanged,
}

fn upsert(conn: &Connection, course_id: Option<&str>, incoming: &Incoming, now: i64) -> Result<Outcome, CourseError> {
    let local = incoming.local_start.format("%Y-%m-%dT%H:%M:%S").to_string();
    let existing: Option<(String, Option<i64>, String)> = conn
        .prepare_cached("SELECT id, ics_sequence, status FROM appointment WHERE ics_uid = ?1")?
        .query_row([&incoming.key], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?;
    // A cancellation always wins; otherwise a session already done or missed keeps that status.
    let status = |current: Option<&str>| {
        match (incoming.cancelled, current) {
            (true, _) => AppointmentStatus::Cancelled,
            (false, Some("done")) => AppointmentStatus::Done,
            (false, Some("missed")) => AppointmentStatus::Missed,
            _ => AppointmentStatus::Scheduled,
        }
        .as_str()
    };
    let Some((id, sequence, current)) = existing else {
        conn.prepare_cached(
            "INSERT INTO appointment (id, course_id, kind, title, local_start, zone, duration_minutes, place, notes, \
             status, ics_uid, ics_sequence, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
        )?
        .execute(params![
            uuid::Uuid::now_v7().to_string(),
            course_id,
            incoming.kind.as_str(),
            incoming.title,
            local,
            incoming.zone.name(),
            incoming.duration_minutes,
            incoming.place,
            incoming.notes,
            status(None),
            incoming.key,
            incoming.sequence,
            now
        ])?;
        return Ok(if incoming.cancelled { Outcome::Cancelled } else { Outcome::Added });
    };
    if incoming.sequence < sequence.unwrap_or(0) {
        return Ok(Outcome::Unchanged);
    }
    let changed = conn
        .prepare_cached(
            "UPDATE appointment SET kind = ?2, title = ?3, local_start = ?4, zone = ?5, duration_minutes = ?6, \
             place = ?7, notes = ?8, status = ?9, ics_sequence = ?10, updated_at = ?11 WHERE id = ?1 AND NOT \
             (kind IS ?2 AND title IS ?3 AND local_start IS ?4 AND zone IS ?5 AND duration_minutes IS ?6 AND \
             place IS ?7 AND notes IS ?8 AND status IS ?9 AND ics_sequence IS ?10)",
        )?
        .execute(params![
            id,
            incoming.kind.as_str(),
            incoming.title,
            local,
            incoming.zone.name(),
            incoming.duration_minutes,
            incoming.place,
            incoming.notes,
            status(Some(&current)),
            incoming.sequence,
            now
        ])?;
    Ok(match (changed, incoming.cancelled && current != "cancelled") {
        (0, _) => Outcome::Unchanged,
        (_, true) => Outcome::Cancelled,
        _ => Outcome::Updated,
    })
}

impl Store {
    /// Imports a calendar file from the clinic, all or nothing. UTC and
    /// floating times are placed in the course's zone, else `default_zone`.
    pub fn import_calendar(&self, ics: &str, default_zone: &str, now: SystemTime) -> Result<ImportReport, CourseError> {
        let fallback = super::zone(default_zone)?;
        let lines = logical_lines(ics)?;
        let positions = event_lines(&lines)?;
        let unfolded: String = lines.iter().map(|(_, line)| format!("{line}\n")).collect();
        let calendar = read_calendar(&unfolded).map_err(|reason| CourseError::UnreadableCalendar { reason })?;
        let events: Vec<&Parsed<'_>> =
            calendar.components.iter().filter(|c| c.name.as_str().eq_ignore_ascii_case("VEVENT")).collect();
        if events.len() != positions.len() {
            return Err(CourseError::UnreadableCalendar { reason: "its events could not be told apart".into() });
        }
        self.write(|tx| {
            let course = current_course(tx)?;
            let zone = course.as_ref().and_then(|c| time::parse_zone(&c.zone)).unwrap_or(fallback);
            let mut report = ImportReport::default();
            let stamp = time::to_millis(SystemTime::now());
            for (event, lines) in events.iter().zip(&positions) {
                for appointment in incoming(event, lines, zone, now)? {
                    match upsert(tx, course.as_ref().map(|c| c.id.as_str()), &appointment, stamp)? {
                        Outcome::Added => report.added += 1,
                        Outcome::Updated => report.updated += 1,
                        Outcome::Cancelled => report.cancelled += 1,
                        Outcome::Unchanged => report.unchanged += 1,
                    }
                }
            }
            Ok(report)
        })
    }

    /// Every live appointment as a calendar file that Google, Apple and
    /// Outlook accept, with display alarms at the reminder offsets.
    pub fn export_calendar(&self) -> Result<String, CourseError> {
        let (appointments, settings) = self.read(|conn| {
            let settings = crate::reminders::read_settings(conn).map_err(CourseError::from)?;
            Ok::<_, CourseError>((all_appointments(conn)?, settings))
        })?;
        let mut calendar = icalendar::Calendar::new();
        calendar.name("Waymark");
        for appointment in &appointments {
            calendar.push(export_event(appointment, &settings));
        }
        Ok(calendar.done().to_string())
    }
}

fn export_event(appointment: &super::Appointment, settings: &ReminderSettings) -> icalendar::Event {
    let uid = appointment.calendar_uid.clone().unwrap_or_else(|| format!("{}@waymark", appointment.id));
    let mut event = icalendar::Event::new();
    event
        .uid(&uid)
        .sequence(appointment.calendar_sequence.unwrap_or(0))
        .summary(&appointment.title)
        .starts(time::to_utc(appointment.starts_at))
        .ends(time::to_utc(appointment.ends_at()))
        .timestamp(Utc::now())
        .add_property(KIND_PROPERTY, appointment.kind.as_str());
    if !appointment.place.is_empty() {
        event.location(&appointment.place);
    }
    if !appointment.notes.is_empty() {
        event.description(&appointment.notes);
    }
    match appointment.status {
        AppointmentStatus::Cancelled => event.status(EventStatus::Cancelled),
        _ => event.status(EventStatus::Confirmed),
    };
    if appointment.status == AppointmentStatus::Scheduled {
        for &offset in &settings.appointment_offsets_minutes {
            event.alarm(Alarm::display(&appointment.title, -chrono::Duration::minutes(i64::from(offset))));
        }
    }
    event.done()
}

#[cfg(test)]
mod tests;
