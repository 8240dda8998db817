//! Calendar files in and out (RFC 5545).
//!
//! Import takes what clinics send: Google and Apple files with IANA TZIDs and
//! VTIMEZONE blocks, Outlook files with Windows zone names, UTC and floating
//! times, recurring events with exceptions, updates that keep the UID and
//! raise the SEQUENCE, and cancellations. The whole file is one transaction:
//! one bad event and nothing is imported, with the line and the reason.
//! Export writes every appointment in UTC, so no VTIMEZONE is needed, with
//! display alarms at the patient's reminder offsets.

use std::collections::{HashMap, HashSet};
use std::time::SystemTime;

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use icalendar::parser::{read_calendar, Component as Parsed, Property};
use icalendar::{Alarm, Component, EventLike, EventStatus};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::windows_zones::iana_for_windows;
use super::{current_course, AppointmentKind, AppointmentStatus, CourseError, MAX_DURATION_MINUTES, MAX_TEXT_CHARS};
use crate::store::Store;
use crate::time::{self, Zone};

/// How far before and after now a recurring event is expanded.
const PAST_DAYS: i64 = 90;
const FUTURE_DAYS: i64 = 366;
/// The most occurrences one recurring event may produce in that window.
const MAX_OCCURRENCES: usize = 500;
/// The deepest nesting of blocks a calendar needs: VCALENDAR, VEVENT, then
/// VALARM (RFC 5545), or PARTICIPANT and VLOCATION inside an event (RFC 9073).
/// The parser recurses once per block, so deeper files are refused before it
/// sees them: a few thousand nested blocks overflow the stack and abort.
const MAX_DEPTH: usize = 4;
/// How much one file may ask of the import. rrule walks every occurrence
/// from DTSTART, and spins up to 100,000 times looking for one a rule never
/// makes (FEBRUARY 30), so the occurrences walked and the recurring events
/// are counted across the whole file, bounding the time a file may take.
#[derive(Clone, Copy)]
struct Bounds {
    sessions: usize,
    series: usize,
    walked: usize,
}

/// The patient's own file: a personal calendar's worth.
const FROM_A_FILE: Bounds = Bounds { sessions: 5_000, series: 100, walked: 200_000 };
/// An update from the clinic: a year of daily sessions, a dozen series, and
/// a weekly series from 1900 (about 6,600 walked) or a daily one from 1990
/// (about 13,000) several times over.
const FROM_THE_CLINIC: Bounds = Bounds { sessions: 400, series: 12, walked: 50_000 };
const DEFAULT_MINUTES: u32 = 60;
const KIND_PROPERTY: &str = "X-WAYMARK-KIND";
/// Waymark's own exports name each session `<id>@waymark`.
const OWN_UID_SUFFIX: &str = "@waymark";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ImportReport {
    pub added: u32,
    pub updated: u32,
    pub cancelled: u32,
    /// Events already imported at the same or a newer version, deleted by the
    /// patient, or Waymark's own sessions coming back.
    pub unchanged: u32,
}

/// One appointment an event stands for.
#[derive(Clone)]
struct Incoming {
    /// The UID, or `UID/<UTC start>` for one occurrence of a recurring event.
    key: String,
    /// SEQUENCE, then whether a RECURRENCE-ID override says it: an override
    /// beats the occurrence its series makes at the same SEQUENCE.
    version: (u32, bool),
    kind: AppointmentKind,
    title: String,
    local_start: NaiveDateTime,
    zone: Tz,
    duration_minutes: u32,
    place: String,
    notes: String,
    cancelled: bool,
}

/// A recurring event's series: which occurrences it makes now.
struct Series {
    uid: String,
    sequence: u32,
    keys: HashSet<String>,
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
            if stack.len() > MAX_DEPTH {
                return Err(invalid(
                    *number,
                    format!("blocks are nested more than {MAX_DEPTH} deep; no calendar needs that"),
                ));
            }
        } else if let Some(name) = upper.strip_prefix("END:") {
            if stack.pop().as_deref() != Some(name) {
                return Err(invalid(*number, format!("END:{name} does not close the block that is open")));
            }
        } else if matches!(&stack[..], [.., parent, child] if parent == "VCALENDAR" && child == "VEVENT") {
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

/// A DTSTART, DTEND, EXDATE or RECURRENCE-ID value as an instant and the
/// zone its local time is kept in. UTC and floating times use `default_zone`.
fn when(value: &str, property: &Property<'_>, default_zone: Tz) -> Result<(SystemTime, NaiveDateTime, Tz), String> {
    let value = value.trim();
    let zone = match param(property, "TZID") {
        Some(tzid) => resolve_zone(tzid).ok_or_else(|| format!("\"{tzid}\" is not a time zone Waymark knows"))?,
        None => default_zone,
    };
    let not_a_time = || format!("\"{value}\" is not a date-time");
    let (instant, local) = if let Ok(date) = NaiveDate::parse_from_str(value, "%Y%m%d") {
        let local = date.and_hms_opt(0, 0, 0).expect("midnight");
        (time::instant_of(local, zone), local)
    } else if let Some(utc) = value.strip_suffix(['Z', 'z']) {
        let utc = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S").map_err(|_| not_a_time())?;
        let instant: SystemTime = Utc.from_utc_datetime(&utc).into();
        (instant, time::to_utc(instant).with_timezone(&zone).naive_local())
    } else {
        let local = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").map_err(|_| not_a_time())?;
        (time::instant_of(local, zone), local)
    };
    Ok((instant, local, zone))
}

/// A local time Waymark can keep: the years 1900 to 9999.
fn storable(local: NaiveDateTime, line: u32) -> Result<NaiveDateTime, CourseError> {
    match local.year() {
        1900..=9999 => Ok(local),
        _ => Err(invalid(line, "sessions before 1900 or after 9999 cannot be imported")),
    }
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
                let minutes = match (unit, in_time) {
                    ('W', false) => n.checked_mul(7 * 24 * 60),
                    ('D', false) => n.checked_mul(24 * 60),
                    ('H', true) => n.checked_mul(60),
                    ('M', true) => Some(n),
                    ('S', true) => Some(n / 60),
                    _ => None,
                };
                total = total.checked_add(minutes?)?;
            }
        }
    }
    number.is_empty().then_some(sign * total)
}

/// From the file when it says (as Waymark's own export does), else from
/// explicit words in the title. Only a clear dosing word makes a dosing
/// session, since that brings fasting and no-driving reminders.
fn kind_of(event: &Parsed<'_>, title: &str) -> AppointmentKind {
    if let Some(kind) = property(event, KIND_PROPERTY).and_then(|p| AppointmentKind::from_stored(p.val.as_str())) {
        return kind;
    }
    let title = title.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|word| title.contains(word));
    if has(&["integration"]) {
        AppointmentKind::Integration
    } else if has(&["preparation", "prep session"]) {
        AppointmentKind::Preparation
    } else if has(&["infusion", "esketamine", "spravato", "dosing", "ketamine treatment", "ketamine session"]) {
        AppointmentKind::Dosing
    } else if has(&["check-up", "checkup", "blood pressure", "medical"]) {
        AppointmentKind::MedicalCheck
    } else {
        AppointmentKind::Other
    }
}

fn occurrence_key(uid: &str, instant: SystemTime) -> String {
    format!("{uid}/{}", time::to_utc(instant).format("%Y%m%dT%H%M%SZ"))
}

/// The appointments one VEVENT stands for, and its series if it recurs.
fn incoming(
    event: &Parsed<'_>,
    lines: &EventLines,
    default_zone: Tz,
    now: SystemTime,
    budget: &mut Bounds,
) -> Result<(Vec<Incoming>, Option<Series>), CourseError> {
    let text = |name: &str| -> Result<Option<String>, CourseError> {
        // The parser has already undone RFC 5545 text escapes.
        let Some(value) = property(event, name).map(|p| p.val.as_str().to_string()) else { return Ok(None) };
        if value.chars().count() > MAX_TEXT_CHARS {
            return Err(invalid(
                lines.line_of(name),
                format!("the {} is longer than {MAX_TEXT_CHARS} characters", name.to_lowercase()),
            ));
        }
        Ok(Some(value))
    };
    let uid = text("UID")?
        .filter(|uid| !uid.trim().is_empty())
        .ok_or_else(|| invalid(lines.begin, "this event has no UID"))?;
    let start = property(event, "DTSTART").ok_or_else(|| invalid(lines.begin, "this event has no DTSTART"))?;
    let (start_instant, local_start, zone) =
        when(start.val.as_str(), start, default_zone).map_err(|r| invalid(lines.line_of("DTSTART"), r))?;
    let (minutes, minutes_line) = if let Some(end) = property(event, "DTEND") {
        let (end, _, _) = when(end.val.as_str(), end, zone).map_err(|r| invalid(lines.line_of("DTEND"), r))?;
        let minutes = end.duration_since(start_instant).map_or(-1, |d| (d.as_secs() / 60) as i64);
        (minutes, lines.line_of("DTEND"))
    } else if let Some(duration) = property(event, "DURATION") {
        let line = lines.line_of("DURATION");
        (
            duration_minutes(duration.val.as_str())
                .ok_or_else(|| invalid(line, "this is not a duration such as PT1H"))?,
            line,
        )
    } else {
        (i64::from(DEFAULT_MINUTES), lines.begin)
    };
    let duration_minutes = u32::try_from(minutes)
        .ok()
        .filter(|m| (1..=MAX_DURATION_MINUTES).contains(m))
        .ok_or_else(|| invalid(minutes_line, "the event must end after it starts, and within a day"))?;
    let sequence = match property(event, "SEQUENCE") {
        Some(p) => p
            .val
            .as_str()
            .trim()
            .parse::<u32>()
            .map_err(|_| invalid(lines.line_of("SEQUENCE"), "SEQUENCE must be a whole number"))?,
        None => 0,
    };
    let title = text("SUMMARY")?.unwrap_or_else(|| "Appointment".to_string());
    let base = Incoming {
        key: uid.clone(),
        version: (sequence, false),
        kind: kind_of(event, &title),
        title,
        local_start,
        zone,
        duration_minutes,
        place: text("LOCATION")?.unwrap_or_default(),
        notes: text("DESCRIPTION")?.unwrap_or_default(),
        cancelled: text("STATUS")?.is_some_and(|s| s.trim().eq_ignore_ascii_case("CANCELLED")),
    };
    if let Some(recurrence) = property(event, "RECURRENCE-ID") {
        let line = lines.line_of("RECURRENCE-ID");
        let (original, _, _) = when(recurrence.val.as_str(), recurrence, zone).map_err(|r| invalid(line, r))?;
        storable(local_start, lines.line_of("DTSTART"))?;
        return Ok((vec![Incoming { key: occurrence_key(&uid, original), version: (sequence, true), ..base }], None));
    }
    storable(local_start, lines.line_of("DTSTART"))?;
    let Some(rule) = property(event, "RRULE") else {
        return Ok((vec![base], None));
    };
    let mut exdates = HashSet::new();
    for exdate in properties(event, "EXDATE") {
        for value in exdate.val.as_str().split(',') {
            let (instant, _, _) = when(value, exdate, zone).map_err(|r| invalid(lines.line_of("EXDATE"), r))?;
            exdates.insert(instant);
        }
    }
    let rule_line = lines.line_of("RRULE");
    if budget.series == 0 {
        return Err(invalid(rule_line, "the file holds more recurring events than a clinic's calendar needs"));
    }
    budget.series -= 1;
    let occurrences =
        expand(start_instant, zone, rule.val.as_str(), now, &mut budget.walked).map_err(|r| invalid(rule_line, r))?;
    let sessions: Vec<Incoming> = occurrences
        .into_iter()
        .filter(|instant| !exdates.contains(instant))
        .map(|instant| {
            let local = time::to_utc(instant).with_timezone(&zone).naive_local();
            Incoming { key: occurrence_key(&uid, instant), local_start: local, ..base.clone() }
        })
        .collect();
    let keys = sessions.iter().map(|s| s.key.clone()).collect();
    Ok((sessions, Some(Series { uid, sequence, keys })))
}

/// The start of each occurrence from 90 days ago to a year ahead.
/// Each occurrence walked, in the window or not, spends one of `walk_left`.
fn expand(
    first: SystemTime,
    zone: Tz,
    rule: &str,
    now: SystemTime,
    walk_left: &mut usize,
) -> Result<Vec<SystemTime>, String> {
    // RRULE is ASCII; the rrule crate (0.14) panics on a weekday that is not (found by fuzzing).
    if !rule.is_ascii() {
        return Err("this RRULE holds characters no rule has".into());
    }
    let frequency =
        rule.split(';').find_map(|part| part.trim().to_ascii_uppercase().strip_prefix("FREQ=").map(str::to_string));
    if matches!(frequency.as_deref(), Some("SECONDLY" | "MINUTELY")) {
        return Err("appointments cannot repeat every second or minute; ask the clinic for the sessions' dates".into());
    }
    let rrule_zone = rrule::Tz::Tz(zone);
    let start = time::to_utc(first).with_timezone(&rrule_zone);
    let rule: rrule::RRule<rrule::Unvalidated> =
        until_in_utc(rule, zone).parse().map_err(|e| format!("this RRULE cannot be read ({e})"))?;
    let set = rule.build(start).map_err(|e| format!("this RRULE cannot be used ({e})"))?.limit();
    let now = time::to_utc(now);
    let window_start = (now - chrono::Duration::days(PAST_DAYS)).with_timezone(&rrule_zone);
    let window_end = (now + chrono::Duration::days(FUTURE_DAYS)).with_timezone(&rrule_zone);
    let mut dates = Vec::new();
    for at in &set {
        if at > window_end {
            break;
        }
        if *walk_left == 0 {
            return Err("this file's series repeat too many times before the sessions Waymark shows; \
                 ask the clinic for a file whose series start nearer today"
                .into());
        }
        *walk_left -= 1;
        if at >= window_start {
            dates.push(at.with_timezone(&Utc).into());
        }
        if dates.len() > MAX_OCCURRENCES {
            return Err(format!("this RRULE makes more than {MAX_OCCURRENCES} sessions in a year and a quarter"));
        }
    }
    Ok(dates)
}

/// The rrule crate wants UNTIL in UTC; all-day and floating series give it as
/// a date or a local time, which are read in the event's zone (a date until
/// its last second).
fn until_in_utc(rule: &str, zone: Tz) -> String {
    let part = |part: &str| -> String {
        let Some(value) = part.strip_prefix("UNTIL=").filter(|v| !v.ends_with(['Z', 'z'])) else {
            return part.to_string();
        };
        let local = NaiveDate::parse_from_str(value, "%Y%m%d")
            .map(|date| date.and_hms_opt(23, 59, 59).expect("a valid time"))
            .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S"));
        match local {
            Ok(local) => format!("UNTIL={}", time::to_utc(time::instant_of(local, zone)).format("%Y%m%dT%H%M%SZ")),
            Err(_) => part.to_string(),
        }
    };
    rule.split(';').map(part).collect::<Vec<_>>().join(";")
}

/// Within one file an override always replaces its series' occurrence (RFC
/// 5545 §3.8.4.4), and otherwise a higher SEQUENCE beats a lower one.
fn newest_per_key(sessions: Vec<Incoming>) -> Vec<Incoming> {
    let beats = |new: &Incoming, old: &Incoming| (new.version.1, new.version.0) > (old.version.1, old.version.0);
    let mut newest: Vec<Incoming> = Vec::with_capacity(sessions.len());
    let mut index: HashMap<String, usize> = HashMap::new();
    for session in sessions {
        match index.get(&session.key) {
            Some(&at) if beats(&session, &newest[at]) => newest[at] = session,
            Some(_) => {}
            None => {
                index.insert(session.key.clone(), newest.len());
                newest.push(session);
            }
        }
    }
    newest
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
    let (sequence, is_override) = incoming.version;
    let existing: Option<(String, u32, bool, String, bool)> = conn
        .prepare_cached(
            "SELECT id, ics_sequence, ics_override, status, deleted_at IS NOT NULL FROM appointment WHERE ics_uid = ?1",
        )?
        .query_row([&incoming.key], |row| {
            Ok((row.get(0)?, row.get::<_, Option<u32>>(1)?.unwrap_or(0), row.get(2)?, row.get(3)?, row.get(4)?))
        })
        .optional()?;
    let Some((id, stored_sequence, stored_override, current, deleted)) = existing else {
        if let Some(own) = incoming.key.split('/').next().and_then(|uid| uid.strip_suffix(OWN_UID_SUFFIX)) {
            let exists: bool = conn
                .prepare_cached("SELECT count(*) > 0 FROM appointment WHERE id = ?1")?
                .query_row([own], |row| row.get(0))?;
            if exists {
                return Ok(Outcome::Unchanged);
            }
        }
        conn.prepare_cached(
            "INSERT INTO appointment (id, course_id, kind, title, local_start, zone, duration_minutes, place, notes, \
             status, ics_uid, ics_sequence, ics_override, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
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
            if incoming.cancelled { "cancelled" } else { "scheduled" },
            incoming.key,
            sequence,
            is_override,
            now
        ])?;
        return Ok(if incoming.cancelled { Outcome::Cancelled } else { Outcome::Added });
    };
    // The same or an older version changes nothing, so re-importing a file
    // keeps what the patient changed; a session they deleted stays deleted.
    if deleted || incoming.version <= (stored_sequence, stored_override) {
        return Ok(Outcome::Unchanged);
    }
    // A cancellation wins; otherwise a session already done or missed keeps that status.
    let status = match (incoming.cancelled, current.as_str()) {
        (true, _) => AppointmentStatus::Cancelled,
        (false, "done") => AppointmentStatus::Done,
        (false, "missed") => AppointmentStatus::Missed,
        _ => AppointmentStatus::Scheduled,
    }
    .as_str();
    conn.prepare_cached(
        "UPDATE appointment SET kind = ?2, title = ?3, local_start = ?4, zone = ?5, duration_minutes = ?6, \
         place = ?7, notes = ?8, status = ?9, ics_sequence = ?10, ics_override = ?11, updated_at = ?12 WHERE id = ?1",
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
        status,
        sequence,
        is_override,
        now
    ])?;
    Ok(if incoming.cancelled && current != "cancelled" { Outcome::Cancelled } else { Outcome::Updated })
}

/// Cancels the future, still-scheduled occurrences an updated series no longer makes.
fn cancel_dropped(
    conn: &Connection,
    series: &Series,
    overridden: &HashSet<String>,
    now: SystemTime,
) -> Result<u32, CourseError> {
    let prefix = format!("{}/", series.uid);
    let rows: Vec<(String, String, u32)> = conn
        .prepare_cached(
            "SELECT id, ics_uid, coalesce(ics_sequence, 0) FROM appointment \
             WHERE substr(ics_uid, 1, length(?1)) = ?1 AND status = 'scheduled' AND deleted_at IS NULL",
        )?
        .query_map([&prefix], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut cancelled = 0;
    for (id, key, sequence) in rows {
        if series.keys.contains(&key) || overridden.contains(&key) || sequence > series.sequence {
            continue;
        }
        if super::find_appointment(conn, &id)?.starts_at <= now {
            continue;
        }
        conn.prepare_cached("UPDATE appointment SET status = 'cancelled', updated_at = ?2 WHERE id = ?1")?
            .execute(params![id, time::to_millis(SystemTime::now())])?;
        cancelled += 1;
    }
    Ok(cancelled)
}

impl Store {
    /// Imports a calendar file from the clinic, all or nothing. UTC and
    /// floating times are placed in the course's zone, else `default_zone`.
    pub fn import_calendar(&self, ics: &str, default_zone: Zone, now: SystemTime) -> Result<ImportReport, CourseError> {
        self.write(|tx| import_in(tx, ics, default_zone, now))
    }
}

/// The appointments as a calendar file that Google, Apple and Outlook
/// accept, with a display alarm `alarm_offsets` minutes before each.
pub(crate) fn export_ics(appointments: &[super::Appointment], alarm_offsets: &[u32]) -> String {
    let mut calendar = icalendar::Calendar::new();
    calendar.name("Waymark");
    for appointment in appointments {
        calendar.push(export_event(appointment, alarm_offsets));
    }
    calendar.done().to_string()
}

fn no_events() -> CourseError {
    CourseError::UnreadableCalendar { reason: "it holds no events".into() }
}

/// Checks `ics` as the patient's import will, without importing it, so a
/// clinician never sends a file the patient's app would refuse.
pub(crate) fn check_ics(ics: &str, zone: Tz, now: SystemTime) -> Result<(), CourseError> {
    read_sessions(ics, zone, now, FROM_THE_CLINIC).map(|_| ())
}

/// Every appointment the file stands for (the newest version of each), and
/// each recurring series, with UTC and floating times read in `zone`.
fn read_sessions(
    ics: &str,
    zone: Tz,
    now: SystemTime,
    bounds: Bounds,
) -> Result<(Vec<Incoming>, Vec<Series>), CourseError> {
    let lines = logical_lines(ics)?;
    let positions = event_lines(&lines)?;
    if positions.is_empty() {
        return Err(no_events());
    }
    let unfolded: String = lines.iter().map(|(_, line)| format!("{line}\n")).collect();
    let calendar = read_calendar(&unfolded).map_err(|reason| CourseError::UnreadableCalendar { reason })?;
    let events: Vec<&Parsed<'_>> =
        calendar.components.iter().filter(|c| c.name.as_str().eq_ignore_ascii_case("VEVENT")).collect();
    if events.len() != positions.len() {
        return Err(CourseError::UnreadableCalendar { reason: "its events could not be told apart".into() });
    }
    let (mut sessions, mut series, mut budget) = (Vec::new(), Vec::new(), bounds);
    for (event, lines) in events.iter().zip(&positions) {
        let (more, recurring) = incoming(event, lines, zone, now, &mut budget)?;
        sessions.extend(more);
        series.extend(recurring);
        if sessions.len() > bounds.sessions {
            return Err(invalid(lines.begin, format!("the file holds more than {} sessions", bounds.sessions)));
        }
    }
    Ok((newest_per_key(sessions), series))
}

/// Imports the patient's own `ics` on `tx`.
pub(crate) fn import_in(
    tx: &Connection,
    ics: &str,
    default_zone: Zone,
    now: SystemTime,
) -> Result<ImportReport, CourseError> {
    import_at_most(tx, ics, default_zone, now, FROM_A_FILE)
}

/// Applies a clinician's appointment update on `tx`, as `check_ics` checked it when sent.
pub(crate) fn import_update(
    tx: &Connection,
    ics: &str,
    default_zone: Zone,
    now: SystemTime,
) -> Result<ImportReport, CourseError> {
    import_at_most(tx, ics, default_zone, now, FROM_THE_CLINIC)
}

fn import_at_most(
    tx: &Connection,
    ics: &str,
    default_zone: Zone,
    now: SystemTime,
    bounds: Bounds,
) -> Result<ImportReport, CourseError> {
    let fallback = default_zone.tz();
    let course = current_course(tx)?;
    let zone = course.as_ref().and_then(|c| time::parse_zone(&c.zone)).unwrap_or(fallback);
    let (sessions, series) = read_sessions(ics, zone, now, bounds)?;
    let overridden: HashSet<String> = sessions.iter().filter(|s| s.version.1).map(|s| s.key.clone()).collect();
    let mut report = ImportReport::default();
    let stamp = time::to_millis(SystemTime::now());
    for session in &sessions {
        match upsert(tx, course.as_ref().map(|c| c.id.as_str()), session, stamp)? {
            Outcome::Added => report.added += 1,
            Outcome::Updated => report.updated += 1,
            Outcome::Cancelled => report.cancelled += 1,
            Outcome::Unchanged => report.unchanged += 1,
        }
    }
    for recurring in &series {
        report.cancelled += cancel_dropped(tx, recurring, &overridden, now)?;
    }
    Ok(report)
}

fn export_event(appointment: &super::Appointment, alarm_offsets: &[u32]) -> icalendar::Event {
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
        for &offset in alarm_offsets {
            event.alarm(Alarm::display(&appointment.title, -chrono::Duration::minutes(i64::from(offset))));
        }
    }
    event.done()
}

#[cfg(test)]
mod tests;
