//! The summary a patient shares: one date range, only the scopes they picked.
//!
//! Its JSON is the wire format inside the envelope (schema `waymark.summary/1`,
//! documented in `docs/summary-schema.md`); the FHIR Bundle and the HTML
//! report are rendered from it, on either side.

use std::time::SystemTime;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::course::{self, AppointmentKind, AppointmentStatus};
use crate::measures::{self, Answer, Severity};
use crate::time::{self, rfc3339};
use crate::{journal, safety};

pub const SCHEMA: &str = "waymark.summary/1";

/// What a patient can choose to share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ShareScope {
    /// Check-ins' mood, energy, anxiety, sleep and labels, without their text.
    Mood,
    /// PHQ-9 and GAD-7 results, and vitals.
    Measures,
    /// Appointments and how many dosing sessions were kept.
    Sessions,
    /// Times the app showed help after a PHQ-9 item-9 answer above 0.
    Safety,
    /// The journal entries and prompt answers marked shareable, and only those.
    Notes,
}

crate::names::stored_names!(ShareScope {
    Mood => "mood",
    Measures => "measures",
    Sessions => "sessions",
    Safety => "safety",
    Notes => "notes",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub schema: String,
    pub id: String,
    pub created_at: String,
    /// First and last local day, inclusive, in `zone`.
    pub from: String,
    pub to: String,
    pub zone: String,
    pub scopes: Vec<ShareScope>,
    /// Each `None` when its scope was not picked.
    pub mood: Option<Vec<MoodEntry>>,
    pub measures: Option<Vec<MeasureEntry>>,
    pub vitals: Option<Vec<VitalsEntry>>,
    pub sessions: Option<Sessions>,
    pub safety: Option<Vec<SafetyEntry>>,
    pub notes: Option<Vec<Note>>,
}

/// The most entries of all kinds a received summary may hold: ten years of
/// a heavy user's check-ins, results, sessions and notes, with room to spare.
const MAX_RECEIVED_ENTRIES: usize = 50_000;

impl Summary {
    /// Checks a summary that arrived from a patient's app, which may be buggy
    /// or not a patient's app at all: its schema, its dates and times, how
    /// many entries it holds, and each result's answers.
    pub(crate) fn check_received(&self) -> Result<(), String> {
        if self.schema != SCHEMA {
            return Err(format!("it is a \"{}\" summary; this version reads {SCHEMA}", self.schema));
        }
        let day = |text: &str| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .filter(|date| (1900..=2200).contains(&chrono::Datelike::year(date)))
                .ok_or_else(|| format!("\"{text}\" is not a day between 1900 and 2200"))
        };
        if day(&self.from)? > day(&self.to)? {
            return Err("its range ends before it starts".into());
        }
        time::parse_zone(&self.zone).ok_or_else(|| format!("\"{}\" is not a time zone", self.zone))?;
        let mut instants = vec![self.created_at.as_str()];
        instants.extend(self.mood.iter().flatten().map(|e| e.at.as_str()));
        instants.extend(self.measures.iter().flatten().map(|e| e.at.as_str()));
        instants.extend(self.vitals.iter().flatten().map(|e| e.at.as_str()));
        instants.extend(self.safety.iter().flatten().map(|e| e.at.as_str()));
        instants.extend(self.notes.iter().flatten().map(|e| e.at.as_str()));
        let sessions = self.sessions.as_ref().map_or(0, |s| s.appointments.len());
        if instants.len() + sessions > MAX_RECEIVED_ENTRIES {
            return Err(format!("it holds more than {MAX_RECEIVED_ENTRIES} entries"));
        }
        for at in instants {
            let year = chrono::DateTime::parse_from_rfc3339(at).map(|t| chrono::Datelike::year(&t)).unwrap_or(0);
            if !(1900..=2200).contains(&year) {
                return Err(format!("\"{at}\" is not a time between 1900 and 2200"));
            }
        }
        for result in self.measures.iter().flatten() {
            let items = match result.instrument.as_str() {
                "phq9" => 9,
                "gad7" => 7,
                other => return Err(format!("\"{other}\" is not a measure Waymark knows")),
            };
            let answered_in_range = result.items.iter().flatten().all(|value| (0..=3).contains(value));
            if result.items.len() != items || !answered_in_range {
                return Err(format!("a {} result does not have {items} answers from 0 to 3", result.instrument));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MoodEntry {
    pub at: String,
    pub zone: String,
    /// -3 to +3.
    pub valence: i32,
    pub energy: Option<i32>,
    pub anxiety: Option<i32>,
    pub sleep_hours: Option<f64>,
    pub labels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureEntry {
    pub id: String,
    /// `phq9` or `gad7`.
    pub instrument: String,
    pub at: String,
    pub zone: String,
    /// The sum of the answered items.
    pub total: u32,
    pub severity: String,
    /// Item scores 0-3 in order; `null` for "prefer not to answer".
    pub items: Vec<Option<i32>>,
    /// False when an item was declined (PHQ-9 item 9): `total` is then not the
    /// instrument's total. Absent in summaries from before it was added, which
    /// a reader works out from `items`.
    #[serde(default = "complete_unless_told")]
    pub complete: bool,
}

fn complete_unless_told() -> bool {
    true
}

impl MeasureEntry {
    /// Complete by its own word and by its items: a received summary is not trusted.
    pub fn is_complete(&self) -> bool {
        self.complete && self.items.iter().all(Option::is_some)
    }

    /// PHQ-9 item 9's answer, 0 to 3; `None` for a GAD-7, a declined item or a malformed entry.
    pub fn item9(&self) -> Option<i32> {
        (self.instrument == "phq9").then(|| self.items.get(8).copied().flatten()).flatten()
    }

    /// Whether PHQ-9 item 9 was declined ("prefer not to answer").
    pub fn item9_declined(&self) -> bool {
        self.instrument == "phq9" && matches!(self.items.get(8), Some(None))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VitalsEntry {
    pub at: String,
    pub zone: String,
    pub systolic: Option<i32>,
    pub diastolic: Option<i32>,
    pub heart_rate: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sessions {
    pub appointments: Vec<SessionEntry>,
    /// Dosing sessions in the range: kept, missed, cancelled and still to come.
    pub dosing_done: u32,
    pub dosing_missed: u32,
    pub dosing_cancelled: u32,
    pub dosing_scheduled: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionEntry {
    pub kind: String,
    pub title: String,
    /// Local date-time on the clinic's calendar, and its zone.
    pub local_start: String,
    pub zone: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SafetyEntry {
    pub kind: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub at: String,
    pub zone: String,
    pub text: String,
    /// The prompt it answers, if any.
    pub prompt: Option<String>,
}

/// Builds the summary of `[from, to]` (local days in `zone`) for `scopes`.
pub(crate) fn build(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    zone: chrono_tz::Tz,
    scopes: &[ShareScope],
    now: SystemTime,
) -> Result<Summary, super::ShareError> {
    let start = time::to_millis(time::start_of_day(from, zone));
    let end = time::to_millis(time::start_of_day(to.succ_opt().unwrap_or(to), zone));
    let picked = |scope| scopes.contains(&scope);
    let at = |instant: SystemTime| rfc3339::format(instant);
    let checkins = if picked(ShareScope::Mood) || picked(ShareScope::Notes) {
        journal::live_between(conn, start, end)?
    } else {
        Vec::new()
    };
    let mood = picked(ShareScope::Mood).then(|| {
        checkins
            .iter()
            .map(|c| MoodEntry {
                at: at(c.occurred_at),
                zone: c.zone.clone(),
                valence: c.valence,
                energy: c.energy,
                anxiety: c.anxiety,
                sleep_hours: c.sleep_hours,
                labels: c.labels.iter().map(|l| l.as_str().to_string()).collect(),
            })
            .collect()
    });
    let notes = if picked(ShareScope::Notes) {
        let mut notes = Vec::new();
        for c in checkins.iter().filter(|c| c.shared && !c.text.trim().is_empty()) {
            let prompt = match &c.prompt_id {
                Some(id) => crate::prompts::text_of(conn, id)?,
                None => None,
            };
            notes.push(Note { at: at(c.occurred_at), zone: c.zone.clone(), text: c.text.clone(), prompt });
        }
        Some(notes)
    } else {
        None
    };
    let (measures, vitals) = if picked(ShareScope::Measures) {
        let results = measures::assessments_between(conn, None, start, end, false)?;
        let entries = results
            .into_iter()
            .map(|a| MeasureEntry {
                id: a.id,
                instrument: a.instrument.as_str().to_string(),
                at: at(a.taken_at),
                zone: a.zone,
                total: a.total,
                severity: a.severity.map_or("incomplete", Severity::as_str).to_string(),
                items: a
                    .answers
                    .iter()
                    .map(|answer| if let Answer::Score { value } = answer { Some(*value) } else { None })
                    .collect(),
                complete: a.complete,
            })
            .collect();
        let readings = measures::readings_between(conn, start, end)?
            .into_iter()
            .map(|r| VitalsEntry {
                at: at(r.taken_at),
                zone: r.zone,
                systolic: r.systolic,
                diastolic: r.diastolic,
                heart_rate: r.heart_rate,
            })
            .collect();
        (Some(entries), Some(readings))
    } else {
        (None, None)
    };
    let sessions = if picked(ShareScope::Sessions) { Some(sessions(conn, start, end)?) } else { None };
    let safety = if picked(ShareScope::Safety) {
        let events = safety::events_between(conn, start, end)?;
        Some(
            events
                .into_iter()
                .map(|e| SafetyEntry { kind: e.kind.as_str().to_string(), at: at(e.occurred_at) })
                .collect(),
        )
    } else {
        None
    };
    let mut scopes = scopes.to_vec();
    scopes.sort();
    scopes.dedup();
    Ok(Summary {
        schema: SCHEMA.to_string(),
        id: uuid::Uuid::now_v7().to_string(),
        created_at: at(now),
        from: from.to_string(),
        to: to.to_string(),
        zone: zone.name().to_string(),
        scopes,
        mood,
        measures,
        vitals,
        sessions,
        safety,
        notes,
    })
}

fn sessions(conn: &Connection, start: i64, end: i64) -> Result<Sessions, super::ShareError> {
    let in_range: Vec<course::Appointment> = course::all_appointments(conn)?
        .into_iter()
        .filter(|a| (start..end).contains(&time::to_millis(a.starts_at)))
        .collect();
    let dosing =
        |status| in_range.iter().filter(|a| a.kind == AppointmentKind::Dosing && a.status == status).count() as u32;
    Ok(Sessions {
        dosing_done: dosing(AppointmentStatus::Done),
        dosing_missed: dosing(AppointmentStatus::Missed),
        dosing_cancelled: dosing(AppointmentStatus::Cancelled),
        dosing_scheduled: dosing(AppointmentStatus::Scheduled),
        appointments: in_range
            .iter()
            .map(|a| SessionEntry {
                kind: a.kind.as_str().to_string(),
                title: a.title.clone(),
                local_start: a.local_start.clone(),
                zone: a.zone.clone(),
                status: a.status.as_str().to_string(),
            })
            .collect(),
    })
}
