//! Integration prompts, timed to the days after each dosing session.
//!
//! Each dosing session that is scheduled or done gets five slots: an
//! intention the evening before, the evening of the session, and the mornings
//! 1, 3 and 7 days after; the course gets one the morning after its last
//! dose. Times are on the clinic's calendar, so they stay at 19:00 and 10:00
//! across DST changes. Within a course each prompt is used once; when a
//! phase's prompts run out, its later slots stay empty. When the latest
//! check-in is low (valence -2 or below), or in the week after a PHQ-9 item-9
//! alert, a grounding prompt that points to the safety plan stands in for reflection. An answer is a journal entry
//! linked to its session and prompt.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use chrono::{Days, NaiveTime};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::content::{self, ContentError};
use crate::course::{self, Appointment, AppointmentKind, AppointmentStatus};
use crate::journal::{CheckIn, CheckInDraft, JournalError};
use crate::safety::ContentSource;
use crate::store::{Store, StoreError};
use crate::time::instant_of;
use crate::time::{self, rfc3339, Zone};

/// The prompts by language; every pack has the English pack's ids and phases.
/// How long a prompt stays open after it falls due.
const OPEN_FOR: Duration = Duration::from_secs(7 * 24 * 3_600);
/// At or below this valence the latest check-in counts as low.
const LOW_VALENCE: i32 = -2;

#[derive(Debug, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error), uniffi(flat_error))]
pub enum PromptError {
    #[error("\"{id}\" is not a prompt that is open now; list the prompts that are due and pick one")]
    NotOpen { id: String },
    #[error("an answer cannot be empty; write a few words")]
    EmptyAnswer,
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error(transparent)]
    Course(#[from] course::CourseError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for PromptError {
    fn from(error: rusqlite::Error) -> Self {
        PromptError::Store(error.into())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum PromptPhase {
    Intention,
    SameDay,
    #[serde(rename = "day_1")]
    Day1,
    #[serde(rename = "day_3")]
    Day3,
    #[serde(rename = "day_7")]
    Day7,
    CourseEnd,
    Grounding,
    /// Sent by the patient's clinician.
    Assigned,
}

crate::names::stored_names!(PromptPhase {
    Intention => "intention",
    SameDay => "same_day",
    Day1 => "day_1",
    Day3 => "day_3",
    Day7 => "day_7",
    CourseEnd => "course_end",
    Grounding => "grounding",
    Assigned => "assigned",
});

/// The pack format this build reads.
const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Pack {
    pack: String,
    locale: String,
    version: u32,
    #[cfg_attr(not(test), allow(dead_code, reason = "cited in the file, checked by the validation test"))]
    sources: Vec<ContentSource>,
    prompts: Vec<Prompt>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Prompt {
    id: String,
    phase: PromptPhase,
    text: String,
}

/// A prompts pack's text as a pack of the format this build reads.
pub(crate) fn parse_pack(text: &str) -> Result<Pack, ContentError> {
    let pack: Pack = toml::from_str(text)?;
    let known_locale = content::PROMPTS.iter().any(|(locale, _)| *locale == pack.locale);
    if pack.pack != "prompts" || !known_locale || pack.version != FORMAT_VERSION {
        let found = format!("{} {} {}", pack.pack, pack.locale, pack.version);
        return Err(ContentError::Mismatch { expected: "prompts", version: FORMAT_VERSION, found });
    }
    Ok(pack)
}

fn packs() -> &'static [Pack] {
    static PARSED: OnceLock<Vec<Pack>> = OnceLock::new();
    // Bundled at build time and checked by the tests: an error is a build mistake.
    PARSED.get_or_init(|| content::load(&content::PROMPTS, "prompts/{}.toml", parse_pack))
}

/// The English prompts, which decide ids, phases and order in every language.
fn library() -> &'static [Prompt] {
    &packs()[0].prompts
}

/// The words of prompt `prompt` in `language`, else in English.
fn said(prompt: &Prompt, language: &str) -> String {
    let pack = packs().iter().find(|pack| pack.locale == language);
    let translated = pack.and_then(|pack| pack.prompts.iter().find(|p| p.id == prompt.id));
    translated.unwrap_or(prompt).text.clone()
}

/// The text of prompt `id` in the patient's language: the library's, or one a clinician assigned.
pub(crate) fn text_of(conn: &Connection, id: &str) -> rusqlite::Result<Option<String>> {
    match library().iter().find(|prompt| prompt.id == id) {
        Some(prompt) => Ok(Some(said(prompt, crate::safety::stored_language(conn)?))),
        None => conn
            .prepare_cached("SELECT text FROM assigned_prompt WHERE id = ?1")?
            .query_row([id], |row| row.get(0))
            .optional(),
    }
}

fn of_phase(phase: PromptPhase) -> impl Iterator<Item = &'static Prompt> {
    library().iter().filter(move |prompt| prompt.phase == phase)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DuePrompt {
    /// Stable: `<session id>/<phase>`, or `assigned/<id>` for a clinician's
    /// prompt; pass it to `answer_prompt_at`.
    pub id: String,
    pub prompt_id: String,
    pub phase: PromptPhase,
    pub text: String,
    /// The dosing session it follows (for the course's end, its last one);
    /// `None` for a clinician's prompt.
    pub session_id: Option<String>,
    #[serde(with = "rfc3339")]
    pub due_at: SystemTime,
    /// A grounding prompt in place of reflection: show the safety plan beside it.
    pub grounding: bool,
    /// What to show above it: "From your clinic" for a clinician's prompt, else "A moment to reflect".
    pub heading: String,
}

/// The words above a prompt of `phase`, and its notification's title: a clinician's says where it is from.
pub(crate) fn heading(phase: PromptPhase, language: &str) -> String {
    let key = if phase == PromptPhase::Assigned { "notify.prompt.from_clinic" } else { "notify.prompt.title" };
    crate::text::get(language, key).to_string()
}

/// A slot before a prompt is chosen for it.
struct Slot {
    id: String,
    phase: PromptPhase,
    session: String,
    due_at: SystemTime,
}

/// `days` after the session's local date, at `hour:00` on the clinic's calendar.
fn at(session: &Appointment, days: i64, hour: u32) -> Option<SystemTime> {
    let local = course::parse_local(&session.local_start).ok()?;
    let zone = time::parse_zone(&session.zone)?;
    let date = if days >= 0 {
        local.date().checked_add_days(Days::new(days as u64))?
    } else {
        local.date().checked_sub_days(Days::new(days.unsigned_abs()))?
    };
    Some(instant_of(date.and_time(NaiveTime::from_hms_opt(hour, 0, 0)?), zone))
}

/// The dosing sessions that are scheduled or done, by course (sessions
/// outside any course together), so each course draws on the whole library.
fn sessions_by_course(appointments: &[Appointment]) -> Vec<Vec<&Appointment>> {
    let mut courses: BTreeMap<Option<&str>, Vec<&Appointment>> = BTreeMap::new();
    for appointment in appointments {
        if appointment.kind == AppointmentKind::Dosing
            && matches!(appointment.status, AppointmentStatus::Scheduled | AppointmentStatus::Done)
        {
            courses.entry(appointment.course_id.as_deref()).or_default().push(appointment);
        }
    }
    courses.into_values().collect()
}

/// The slots of one course's sessions (or of those outside any course), in time order.
fn slots(sessions: &[&Appointment]) -> Vec<Slot> {
    let mut slots = Vec::new();
    for session in sessions {
        let evening = at(session, 0, 19).map(|seven| seven.max(session.ends_at() + Duration::from_secs(3_600)));
        let timings = [
            (PromptPhase::Intention, at(session, -1, 19)),
            (PromptPhase::SameDay, evening),
            (PromptPhase::Day1, at(session, 1, 10)),
            (PromptPhase::Day3, at(session, 3, 10)),
            (PromptPhase::Day7, at(session, 7, 10)),
        ];
        for (phase, due_at) in timings {
            if let Some(due_at) = due_at {
                slots.push(Slot {
                    id: format!("{}/{}", session.id, phase.as_str()),
                    phase,
                    session: session.id.clone(),
                    due_at,
                });
            }
        }
    }
    // Sessions outside any course have no end to reflect on.
    if let Some(last) = sessions.last().filter(|last| last.course_id.is_some()) {
        if let Some(due_at) = at(last, 1, 10) {
            let phase = PromptPhase::CourseEnd;
            slots.push(Slot { id: format!("{}/{}", last.id, phase.as_str()), phase, session: last.id.clone(), due_at });
        }
    }
    slots
}

/// Each slot with its prompt: the k-th slot of a phase gets the phase's k-th prompt, so none repeats.
fn assign(slots: Vec<Slot>) -> Vec<(Slot, &'static Prompt)> {
    let mut used: HashMap<PromptPhase, usize> = HashMap::new();
    let mut ordered = slots;
    ordered.sort_by_key(|slot| slot.due_at);
    ordered
        .into_iter()
        .filter_map(|slot| {
            let index = used.entry(slot.phase).or_insert(0);
            let prompt = of_phase(slot.phase).nth(*index)?;
            *index += 1;
            Some((slot, prompt))
        })
        .collect()
}

/// The (session, phase) pairs already answered, a grounding answer under its own phase.
fn answered(conn: &Connection) -> rusqlite::Result<HashSet<(String, PromptPhase)>> {
    let mut statement = conn.prepare_cached(
        "SELECT session_id, prompt_id FROM checkin \
         WHERE session_id IS NOT NULL AND prompt_id IS NOT NULL AND deleted_at IS NULL",
    )?;
    let rows = statement.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?;
    let mut pairs = HashSet::new();
    for row in rows {
        let (session, prompt_id) = row?;
        if let Some(prompt) = library().iter().find(|p| p.id == prompt_id) {
            pairs.insert((session, prompt.phase));
        }
    }
    Ok(pairs)
}

/// Whether Waymark showed help after a PHQ-9 item-9 answer (above 0, or
/// declined) in the week up to `now`: prompts stay grounding for that week.
fn alert_this_week(conn: &Connection, now: SystemTime) -> rusqlite::Result<bool> {
    let now_ms = time::to_millis(now);
    let week_ago = now_ms.saturating_sub(OPEN_FOR.as_millis() as i64);
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM safety_event WHERE occurred_at > ?1 AND occurred_at <= ?2)")?
        .query_row([week_ago, now_ms], |row| row.get(0))
}

fn latest_valence(conn: &Connection) -> rusqlite::Result<Option<i32>> {
    conn.prepare_cached("SELECT valence FROM checkin WHERE deleted_at IS NULL ORDER BY occurred_at DESC LIMIT 1")?
        .query_row([], |row| row.get(0))
        .optional()
}

/// Open prompts (due, unanswered, within a week) and, when `upcoming`, those still to come.
pub(crate) fn prompts(conn: &Connection, now: SystemTime, upcoming: bool) -> Result<Vec<DuePrompt>, PromptError> {
    let appointments = course::all_appointments(conn)?;
    let language = crate::safety::stored_language(conn)?;
    let answered = answered(conn)?;
    let low = latest_valence(conn)?.is_some_and(|valence| valence <= LOW_VALENCE) || alert_this_week(conn, now)?;
    let steadying: Vec<&Prompt> = of_phase(PromptPhase::Grounding).collect();
    let mut grounding = steadying.iter().copied().cycle();
    let mut due = Vec::new();
    let mut assigned: Vec<(Slot, &Prompt)> =
        sessions_by_course(&appointments).iter().flat_map(|sessions| assign(slots(sessions))).collect();
    assigned.sort_by_key(|(slot, _)| slot.due_at);
    for (slot, prompt) in assigned {
        let open = slot.due_at <= now && now < slot.due_at + OPEN_FOR;
        let done = |phase| answered.contains(&(slot.session.clone(), phase));
        if !(open || (upcoming && slot.due_at > now)) || done(slot.phase) || done(PromptPhase::Grounding) {
            continue;
        }
        let prompt = match (open && low, grounding.next()) {
            (true, Some(steady)) => steady,
            _ => prompt,
        };
        due.push(DuePrompt {
            id: slot.id,
            prompt_id: prompt.id.clone(),
            phase: slot.phase,
            text: said(prompt, language),
            session_id: Some(slot.session),
            due_at: slot.due_at,
            grounding: prompt.phase == PromptPhase::Grounding,
            heading: heading(slot.phase, language),
        });
    }
    let answered_assigned = answered_assigned(conn)?;
    for assigned in assigned_prompts(conn)? {
        let open = assigned.assigned_at <= now && now < assigned.assigned_at + OPEN_FOR;
        if open && !answered_assigned.contains(&assigned.id) {
            due.push(DuePrompt {
                id: format!("assigned/{}", assigned.id),
                prompt_id: assigned.id,
                phase: PromptPhase::Assigned,
                text: assigned.text,
                session_id: None,
                due_at: assigned.assigned_at,
                grounding: false,
                heading: heading(PromptPhase::Assigned, language),
            });
        }
    }
    due.sort_by_key(|prompt| prompt.due_at);
    Ok(due)
}

/// A clinician's prompts as the patient sees them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AssignedPrompt {
    pub id: String,
    pub text: String,
    #[serde(with = "rfc3339")]
    pub assigned_at: SystemTime,
}

/// The prompts a clinician sent, as the inbox stored them.
pub(crate) fn assigned_prompts(conn: &Connection) -> rusqlite::Result<Vec<AssignedPrompt>> {
    conn.prepare_cached("SELECT id, text, assigned_at FROM assigned_prompt ORDER BY assigned_at, id")?
        .query_map([], |row| {
            Ok(AssignedPrompt { id: row.get(0)?, text: row.get(1)?, assigned_at: time::from_millis(row.get(2)?) })
        })?
        .collect()
}

/// The clinician's prompts already answered.
fn answered_assigned(conn: &Connection) -> rusqlite::Result<HashSet<String>> {
    conn.prepare_cached(
        "SELECT prompt_id FROM checkin WHERE session_id IS NULL AND prompt_id IS NOT NULL AND deleted_at IS NULL",
    )?
    .query_map([], |row| row.get(0))?
    .collect()
}

impl Store {
    /// The prompts open at `now`, oldest first.
    pub fn prompts_due(&self, now: SystemTime) -> Result<Vec<DuePrompt>, PromptError> {
        self.read(|conn| prompts(conn, now, false))
    }

    /// Answers a prompt open at `now`: the answer becomes a journal entry
    /// linked to its session and prompt, with the patient's `valence` at the
    /// time; `shared` marks it for the therapist, as any journal entry can be.
    pub fn answer_prompt_at(
        &self,
        now: SystemTime,
        id: &str,
        text: &str,
        valence: i32,
        zone: Zone,
        shared: bool,
    ) -> Result<CheckIn, PromptError> {
        if text.trim().is_empty() {
            return Err(PromptError::EmptyAnswer);
        }
        let open = self.prompts_due(now)?.into_iter().find(|prompt| prompt.id == id);
        let prompt = open.ok_or_else(|| PromptError::NotOpen { id: id.to_string() })?;
        let draft = CheckInDraft {
            text: text.trim().to_string(),
            occurred_at: Some(now),
            shared,
            ..CheckInDraft::new(valence, zone)
        };
        Ok(self.add_linked_checkin(&draft, Some((prompt.session_id.as_deref(), &prompt.prompt_id)))?)
    }
}

/// For the reminder plan: prompts that fall due after `now`.
pub(crate) fn upcoming(conn: &Connection, now: SystemTime) -> Result<Vec<DuePrompt>, PromptError> {
    Ok(prompts(conn, now, true)?.into_iter().filter(|prompt| prompt.due_at > now).collect())
}

/// Every prompt in every language, named by pack and id, for the wording checks.
#[cfg(test)]
pub(crate) fn patient_texts() -> Vec<(String, String)> {
    packs()
        .iter()
        .flat_map(|pack| {
            pack.prompts.iter().map(move |p| (format!("prompts/{}/{}", pack.locale, p.id), p.text.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests;
