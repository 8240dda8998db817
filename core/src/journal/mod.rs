//! The mood journal: quick check-ins and free writing, private by default.

mod search;
mod today;
mod vocab;

use std::time::SystemTime;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

pub use search::{SearchHit, SnippetPart};
pub use today::{DayValence, TodayView};
pub use vocab::{vocabulary, AreaName, EmotionLabel, LabelName, LifeArea, ValenceName, Vocabulary};

use crate::store::{Store, StoreError};
use crate::time::{self, rfc3339, Zone};

/// The longest free text a check-in keeps, in characters.
pub const MAX_TEXT_CHARS: u32 = 100_000;
/// The most entries one page or one search returns.
pub const MAX_PAGE: u32 = 1_000;

#[derive(Debug, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error), uniffi(flat_error))]
pub enum JournalError {
    #[error("valence {value} is out of range; choose from -3 (very unpleasant) to +3 (very pleasant)")]
    InvalidValence { value: i32 },
    #[error("energy {value} is out of range; choose from 1 to 5")]
    InvalidEnergy { value: i32 },
    #[error("anxiety {value} is out of range; choose from 0 to 10")]
    InvalidAnxiety { value: i32 },
    #[error("sleep of {value} hours is not valid; give 0 to 24 hours in quarter-hour steps")]
    InvalidSleep { value: f64 },
    #[error("\"{name}\" is not an emotion label; use one of HealthKit's, such as calm, anxious or hopeful")]
    UnknownLabel { name: String },
    #[error("\"{name}\" is not a life area; use one of HealthKit's, such as work, family or health")]
    UnknownArea { name: String },
    #[error("the text is {chars} characters long; shorten it to at most {max}")]
    TextTooLong { chars: u32, max: u32 },
    #[error("a page must hold between 1 and {max} entries, not {limit}")]
    InvalidLimit { limit: u32, max: u32 },
    #[error("the page cursor \"{cursor}\" is not one this app gave out; start again from the first page")]
    InvalidCursor { cursor: String },
    #[error(
        "the time is outside what the journal can store, or too many entries share its millisecond; pick another time"
    )]
    InvalidTime,
    #[error("no journal entry has the id {id}; check the id, which may be mistyped or purged")]
    NotFound { id: String },
    #[error("the journal entry {id} is deleted; undo the delete before editing it")]
    Deleted { id: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for JournalError {
    fn from(error: rusqlite::Error) -> Self {
        JournalError::Store(error.into())
    }
}

/// What the patient fills in; used both to create and to edit a check-in.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckInDraft {
    /// -3 (very unpleasant) to +3 (very pleasant): HealthKit's seven valence classes.
    pub valence: i32,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub energy: Option<i32>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub anxiety: Option<i32>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub sleep_hours: Option<f64>,
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub labels: Vec<EmotionLabel>,
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub areas: Vec<LifeArea>,
    #[cfg_attr(feature = "uniffi", uniffi(default = ""))]
    pub text: String,
    /// When it happened; `None` means now when creating, unchanged when editing.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub occurred_at: Option<SystemTime>,
    /// The IANA zone the patient was in, e.g. `Europe/Paris`.
    pub zone: Zone,
    /// Whether the patient chose to share it with their therapist.
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub shared: bool,
}

impl CheckInDraft {
    /// A private check-in with only a valence, happening now.
    pub fn new(valence: i32, zone: Zone) -> Self {
        Self {
            valence,
            energy: None,
            anxiety: None,
            sleep_hours: None,
            labels: Vec::new(),
            areas: Vec::new(),
            text: String::new(),
            occurred_at: None,
            zone,
            shared: false,
        }
    }

    /// Checks the draft without saving it, so a shell can refuse bad input
    /// before it touches anything.
    pub fn check(&self) -> Result<(), JournalError> {
        validate(self).map(|_| ())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckIn {
    pub id: String,
    pub valence: i32,
    pub energy: Option<i32>,
    pub anxiety: Option<i32>,
    pub sleep_hours: Option<f64>,
    pub labels: Vec<EmotionLabel>,
    pub areas: Vec<LifeArea>,
    pub text: String,
    #[serde(with = "rfc3339")]
    pub occurred_at: SystemTime,
    pub zone: String,
    pub shared: bool,
    #[serde(with = "rfc3339")]
    pub created_at: SystemTime,
    #[serde(with = "rfc3339")]
    pub updated_at: SystemTime,
    #[serde(with = "rfc3339::option", skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<SystemTime>,
    /// Set on an answer to an integration prompt: the dosing session and the prompt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt_id: Option<String>,
}

/// Which entries a journal page holds: `from` inclusive, `to` exclusive.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JournalQuery {
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub from: Option<SystemTime>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub to: Option<SystemTime>,
    #[cfg_attr(feature = "uniffi", uniffi(default = 50))]
    pub limit: u32,
    /// The `next_cursor` of the previous page; `None` for the first page.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub after: Option<String>,
}

impl Default for JournalQuery {
    fn default() -> Self {
        Self { from: None, to: None, limit: 50, after: None }
    }
}

/// How much of an entry's text a list shows.
pub const PREVIEW_CHARS: usize = 200;

/// A journal entry as a list shows it: everything but the text, which is cut
/// to a one-line preview. `checkin(id)` gives the whole entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JournalRow {
    pub id: String,
    pub valence: i32,
    pub energy: Option<i32>,
    pub anxiety: Option<i32>,
    pub sleep_hours: Option<f64>,
    pub labels: Vec<EmotionLabel>,
    pub areas: Vec<LifeArea>,
    /// The text's first characters on one line, ending in `…` when there is more.
    pub preview: String,
    #[serde(with = "rfc3339")]
    pub occurred_at: SystemTime,
    pub zone: String,
    pub shared: bool,
    /// Set on an answer to an integration prompt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt_id: Option<String>,
}

impl From<CheckIn> for JournalRow {
    fn from(entry: CheckIn) -> Self {
        JournalRow {
            preview: preview(&entry.text),
            id: entry.id,
            valence: entry.valence,
            energy: entry.energy,
            anxiety: entry.anxiety,
            sleep_hours: entry.sleep_hours,
            labels: entry.labels,
            areas: entry.areas,
            occurred_at: entry.occurred_at,
            zone: entry.zone,
            shared: entry.shared,
            prompt_id: entry.prompt_id,
        }
    }
}

fn preview(text: &str) -> String {
    let mut words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((cut, _)) = words.char_indices().nth(PREVIEW_CHARS) {
        words.truncate(cut);
        words = format!("{}…", words.trim_end());
    }
    words
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JournalPage {
    /// Newest first.
    pub entries: Vec<JournalRow>,
    /// Pass as `after` to get the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// A draft that passed validation, in the shape the table stores.
struct ValidDraft {
    valence: i32,
    energy: Option<i32>,
    anxiety: Option<i32>,
    sleep_quarters: Option<i64>,
    /// Space-separated stable names, as stored.
    labels: String,
    areas: String,
    text: String,
    occurred_at: Option<i64>,
    zone: String,
    shared: bool,
}

impl ValidDraft {
    fn into_checkin(self, id: String, occurred_at: i64, now: i64) -> CheckIn {
        CheckIn {
            id,
            valence: self.valence,
            energy: self.energy,
            anxiety: self.anxiety,
            sleep_hours: self.sleep_quarters.map(quarters_to_hours),
            labels: split_words(&self.labels, EmotionLabel::from_stored),
            areas: split_words(&self.areas, LifeArea::from_stored),
            text: self.text,
            occurred_at: time::from_millis(occurred_at),
            zone: self.zone,
            shared: self.shared,
            created_at: time::from_millis(now),
            updated_at: time::from_millis(now),
            deleted_at: None,
            session_id: None,
            prompt_id: None,
        }
    }
}

fn validate(draft: &CheckInDraft) -> Result<ValidDraft, JournalError> {
    let in_range = |value: Option<i32>, low, high| value.is_none_or(|v| (low..=high).contains(&v));
    if !(-3..=3).contains(&draft.valence) {
        return Err(JournalError::InvalidValence { value: draft.valence });
    }
    if !in_range(draft.energy, 1, 5) {
        return Err(JournalError::InvalidEnergy { value: draft.energy.unwrap() });
    }
    if !in_range(draft.anxiety, 0, 10) {
        return Err(JournalError::InvalidAnxiety { value: draft.anxiety.unwrap() });
    }
    let sleep_quarters = draft.sleep_hours.map(sleep_to_quarters).transpose()?;
    let chars = draft.text.chars().count();
    if chars > MAX_TEXT_CHARS as usize {
        return Err(JournalError::TextTooLong { chars: chars as u32, max: MAX_TEXT_CHARS });
    }
    Ok(ValidDraft {
        valence: draft.valence,
        energy: draft.energy,
        anxiety: draft.anxiety,
        sleep_quarters,
        labels: join_words(&draft.labels, EmotionLabel::as_str),
        areas: join_words(&draft.areas, LifeArea::as_str),
        text: draft.text.clone(),
        occurred_at: draft.occurred_at.map(time::to_millis),
        zone: draft.zone.name().to_string(),
        shared: draft.shared,
    })
}

fn sleep_to_quarters(hours: f64) -> Result<i64, JournalError> {
    let quarters = hours * 4.0;
    if !(0.0..=96.0).contains(&quarters) || quarters.fract() != 0.0 {
        return Err(JournalError::InvalidSleep { value: hours });
    }
    Ok(quarters as i64)
}

fn quarters_to_hours(quarters: i64) -> f64 {
    quarters as f64 / 4.0
}

/// Space-separated stable names, each once, in the order first given.
fn join_words<T: Copy + PartialEq>(words: &[T], name: fn(T) -> &'static str) -> String {
    let mut unique: Vec<T> = Vec::with_capacity(words.len());
    for word in words {
        if !unique.contains(word) {
            unique.push(*word);
        }
    }
    unique.into_iter().map(name).collect::<Vec<_>>().join(" ")
}

fn split_words<T>(stored: &str, from_stored: fn(&str) -> Option<T>) -> Vec<T> {
    // Stored names were written by `join_words`; a name a later build removed is skipped.
    stored.split_whitespace().filter_map(from_stored).collect()
}

const COLUMNS: &str = "id, valence, energy, anxiety, sleep_quarters, labels, areas, text, \
                       occurred_at, zone, shared, created_at, updated_at, deleted_at, session_id, prompt_id";

fn read_checkin(row: &rusqlite::Row<'_>) -> rusqlite::Result<CheckIn> {
    Ok(CheckIn {
        id: row.get(0)?,
        valence: row.get(1)?,
        energy: row.get(2)?,
        anxiety: row.get(3)?,
        sleep_hours: row.get::<_, Option<i64>>(4)?.map(quarters_to_hours),
        labels: split_words(&row.get::<_, String>(5)?, EmotionLabel::from_stored),
        areas: split_words(&row.get::<_, String>(6)?, LifeArea::from_stored),
        text: row.get(7)?,
        occurred_at: time::from_millis(row.get(8)?),
        zone: row.get(9)?,
        shared: row.get(10)?,
        created_at: time::from_millis(row.get(11)?),
        updated_at: time::from_millis(row.get(12)?),
        deleted_at: row.get::<_, Option<i64>>(13)?.map(time::from_millis),
        session_id: row.get(14)?,
        prompt_id: row.get(15)?,
    })
}

/// Saves an imported entry on `tx` unless one with `import_key` exists; `true` when it was added.
pub(crate) fn insert_imported(tx: &Connection, draft: &CheckInDraft, import_key: &str) -> Result<bool, JournalError> {
    let exists: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM checkin WHERE import_key = ?1)")?
        .query_row([import_key], |row| row.get(0))?;
    if exists {
        return Ok(false);
    }
    let draft = validate(draft)?;
    let now = time::to_millis(SystemTime::now());
    let occurred_at = draft.occurred_at.unwrap_or(now);
    let id = uuid::Uuid::now_v7().to_string();
    let seq = time_key(tx, occurred_at)?;
    save_row(tx, INSERT_ROW, &Row { seq, id: &id, draft: &draft, occurred_at, now })?;
    tx.prepare_cached("UPDATE checkin SET import_key = ?2 WHERE id = ?1")?.execute(params![id, import_key])?;
    search::queue(tx, seq)?;
    Ok(true)
}

/// Live entries that happened in `[from, to)`, oldest first.
pub(crate) fn live_between(conn: &Connection, from: i64, to: i64) -> rusqlite::Result<Vec<CheckIn>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM checkin WHERE deleted_at IS NULL AND occurred_at >= ?1 AND occurred_at < ?2 \
         ORDER BY occurred_at, id"
    ))?
    .query_map([from, to], read_checkin)?
    .collect()
}

fn find(conn: &Connection, id: &str) -> Result<CheckIn, JournalError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM checkin WHERE id = ?1"))?
        .query_row([id], read_checkin)
        .optional()?
        .ok_or_else(|| JournalError::NotFound { id: id.to_string() })
}

fn find_live(conn: &Connection, id: &str) -> Result<CheckIn, JournalError> {
    let entry = find(conn, id)?;
    match entry.deleted_at {
        Some(_) => Err(JournalError::Deleted { id: id.to_string() }),
        None => Ok(entry),
    }
}

/// How long a deleted entry can be brought back before it is purged.
pub const UNDO_WINDOW: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3_600);

/// Entries deleted before this (UTC milliseconds) are past the undo window at `now`.
pub(crate) fn bin_cutoff(now: SystemTime) -> i64 {
    time::to_millis(now.checked_sub(UNDO_WINDOW).unwrap_or(std::time::UNIX_EPOCH))
}

/// Purges entries deleted before `before` (UTC milliseconds).
pub(crate) fn empty_bin(conn: &Connection, before: i64) -> rusqlite::Result<u32> {
    let binned: Vec<i64> = conn
        .prepare_cached("SELECT seq FROM checkin WHERE deleted_at IS NOT NULL AND deleted_at < ?1")?
        .query_map([before], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for &seq in &binned {
        search::unindex(conn, seq)?;
        conn.prepare_cached("DELETE FROM checkin WHERE seq = ?1")?.execute([seq])?;
    }
    Ok(binned.len() as u32)
}

impl Store {
    /// Saves a new check-in durably and returns it as stored.
    pub fn add_checkin(&self, draft: &CheckInDraft) -> Result<CheckIn, JournalError> {
        self.add_linked_checkin(draft, None)
    }

    /// `add_checkin` for an answer to a prompt: `link` is (session id, prompt id), saved in the same transaction.
    pub(crate) fn add_linked_checkin(
        &self,
        draft: &CheckInDraft,
        link: Option<(Option<&str>, &str)>,
    ) -> Result<CheckIn, JournalError> {
        let draft = validate(draft)?;
        let now = time::to_millis(SystemTime::now());
        let occurred_at = draft.occurred_at.unwrap_or(now);
        let id = uuid::Uuid::now_v7().to_string();
        self.write(|tx| {
            let seq = time_key(tx, occurred_at)?;
            save_row(tx, INSERT_ROW, &Row { seq, id: &id, draft: &draft, occurred_at, now })?;
            if let Some((session_id, prompt_id)) = link {
                tx.prepare_cached("UPDATE checkin SET session_id = ?2, prompt_id = ?3 WHERE id = ?1")?
                    .execute(params![id, session_id, prompt_id])?;
            }
            search::queue(tx, seq)?;
            Ok::<_, JournalError>(())
        })?;
        let mut entry = draft.into_checkin(id, occurred_at, now);
        entry.session_id = link.and_then(|(session, _)| session.map(str::to_string));
        entry.prompt_id = link.map(|(_, prompt)| prompt.to_string());
        Ok(entry)
    }

    /// The entry with `id`, including a deleted one (its `deleted_at` is set).
    pub fn checkin(&self, id: &str) -> Result<CheckIn, JournalError> {
        self.read(|conn| find(conn, id))
    }

    /// Replaces what the patient wrote; `occurred_at: None` keeps the original time.
    pub fn edit_checkin(&self, id: &str, draft: &CheckInDraft) -> Result<CheckIn, JournalError> {
        let draft = validate(draft)?;
        self.write(|tx| {
            let current = find_live(tx, id)?;
            let previous = time::to_millis(current.occurred_at);
            let occurred_at = draft.occurred_at.unwrap_or(previous);
            let old_seq: i64 =
                tx.prepare_cached("SELECT seq FROM checkin WHERE id = ?1")?.query_row([id], |row| row.get(0))?;
            let seq = if occurred_at == previous { old_seq } else { time_key(tx, occurred_at)? };
            let now = time::to_millis(SystemTime::now());
            save_row(tx, UPDATE_ROW, &Row { seq, id, draft: &draft, occurred_at, now })?;
            search::unindex(tx, old_seq)?;
            search::queue(tx, seq)?;
            find(tx, id)
        })
    }

    /// Purges what has been in the bin longer than the undo window: the
    /// entries, their place in the search index, and so from the next backup.
    /// Opening a store does this; returns how many were purged.
    pub fn empty_bin_at(&self, now: SystemTime) -> Result<u32, JournalError> {
        self.write(|tx| Ok(empty_bin(tx, bin_cutoff(now))?))
    }

    /// Moves an entry to the bin for the undo window; `undelete_checkin` brings it back.
    pub fn delete_checkin(&self, id: &str) -> Result<CheckIn, JournalError> {
        self.set_deleted(id, Some(time::to_millis(SystemTime::now())))
    }

    /// Undoes `delete_checkin`. Restoring a live entry changes nothing.
    pub fn undelete_checkin(&self, id: &str) -> Result<CheckIn, JournalError> {
        self.set_deleted(id, None)
    }

    fn set_deleted(&self, id: &str, deleted_at: Option<i64>) -> Result<CheckIn, JournalError> {
        self.write(|tx| {
            let current = find(tx, id)?;
            if current.deleted_at.is_some() == deleted_at.is_some() {
                return Ok(current);
            }
            tx.prepare_cached("UPDATE checkin SET deleted_at = ?2, updated_at = ?3 WHERE id = ?1")?
                .execute(params![id, deleted_at, time::to_millis(SystemTime::now())])?;
            find(tx, id)
        })
    }

    /// One page of live entries, newest first. Pages follow each other without
    /// gaps or repeats, even when entries share a timestamp.
    pub fn journal_page(&self, query: &JournalQuery) -> Result<JournalPage, JournalError> {
        if !(1..=MAX_PAGE).contains(&query.limit) {
            return Err(JournalError::InvalidLimit { limit: query.limit, max: MAX_PAGE });
        }
        let (after_time, after_id) = match &query.after {
            Some(cursor) => parse_cursor(cursor)?,
            None => (i64::MAX, String::new()),
        };
        self.read(|conn| {
            let mut entries = conn
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM checkin WHERE deleted_at IS NULL \
                     AND occurred_at >= ?1 AND occurred_at < ?2 \
                     AND (occurred_at < ?3 OR (occurred_at = ?3 AND ?4 <> '' AND id < ?4)) \
                     ORDER BY occurred_at DESC, id DESC LIMIT ?5"
                ))?
                .query_map(
                    params![
                        query.from.map_or(i64::MIN, time::to_millis),
                        query.to.map_or(i64::MAX, time::to_millis),
                        after_time,
                        after_id,
                        query.limit + 1,
                    ],
                    read_checkin,
                )?
                .collect::<Result<Vec<_>, _>>()?;
            let next_cursor = if entries.len() > query.limit as usize {
                entries.truncate(query.limit as usize);
                entries.last().map(cursor_of)
            } else {
                None
            };
            Ok(JournalPage { entries: entries.into_iter().map(JournalRow::from).collect(), next_cursor })
        })
    }
}

const INSERT_ROW: &str = "INSERT INTO checkin (seq, id, valence, energy, anxiety, sleep_quarters, labels, areas, \
     text, occurred_at, zone, shared, created_at, updated_at) VALUES (:seq, :id, :valence, :energy, :anxiety, \
     :sleep_quarters, :labels, :areas, :text, :occurred_at, :zone, :shared, :now, :now)";
const UPDATE_ROW: &str = "UPDATE checkin SET seq = :seq, valence = :valence, energy = :energy, anxiety = :anxiety, \
     sleep_quarters = :sleep_quarters, labels = :labels, areas = :areas, text = :text, occurred_at = :occurred_at, \
     zone = :zone, shared = :shared, updated_at = :now WHERE id = :id";

/// What `INSERT_ROW` and `UPDATE_ROW` write.
struct Row<'a> {
    seq: i64,
    id: &'a str,
    draft: &'a ValidDraft,
    occurred_at: i64,
    now: i64,
}

fn save_row(conn: &Connection, sql: &str, row: &Row<'_>) -> rusqlite::Result<()> {
    let draft = row.draft;
    conn.prepare_cached(sql)?.execute(rusqlite::named_params! {
        ":seq": row.seq,
        ":id": row.id,
        ":valence": draft.valence,
        ":energy": draft.energy,
        ":anxiety": draft.anxiety,
        ":sleep_quarters": draft.sleep_quarters,
        ":labels": draft.labels,
        ":areas": draft.areas,
        ":text": draft.text,
        ":occurred_at": row.occurred_at,
        ":zone": draft.zone,
        ":shared": draft.shared,
        ":now": row.now,
    })?;
    Ok(())
}

/// Entries per millisecond that `seq` can tell apart.
const SEQ_PER_MILLI: i64 = 4096;

/// The next free `seq` for an entry that happened at `occurred_at`.
fn time_key(conn: &Connection, occurred_at: i64) -> Result<i64, JournalError> {
    let base = occurred_at.checked_mul(SEQ_PER_MILLI).ok_or(JournalError::InvalidTime)?;
    let end = base.checked_add(SEQ_PER_MILLI).ok_or(JournalError::InvalidTime)?;
    let next: i64 = conn
        .prepare_cached("SELECT coalesce(max(seq) + 1, ?1) FROM checkin WHERE seq >= ?1 AND seq < ?2")?
        .query_row(params![base, end], |row| row.get(0))?;
    if next >= end {
        return Err(JournalError::InvalidTime);
    }
    Ok(next)
}

fn cursor_of(entry: &CheckIn) -> String {
    format!("{}_{}", time::to_millis(entry.occurred_at), entry.id)
}

fn parse_cursor(cursor: &str) -> Result<(i64, String), JournalError> {
    let invalid = || JournalError::InvalidCursor { cursor: cursor.to_string() };
    let (millis, id) = cursor.split_once('_').ok_or_else(invalid)?;
    let id = uuid::Uuid::parse_str(id).map_err(|_| invalid())?;
    Ok((millis.parse().map_err(|_| invalid())?, id.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    use crate::test_support::{at, draft_at, open_store, KEY};

    fn full_draft() -> CheckInDraft {
        CheckInDraft {
            valence: 2,
            energy: Some(4),
            anxiety: Some(3),
            sleep_hours: Some(7.25),
            labels: vec![EmotionLabel::Hopeful, EmotionLabel::Calm, EmotionLabel::Hopeful],
            areas: vec![LifeArea::SelfCare, LifeArea::Family],
            text: "Walked by the river after the session.".into(),
            occurred_at: Some(at("2026-11-20T18:30:00Z")),
            zone: "America/New_York".parse().unwrap(),
            shared: false,
        }
    }

    fn row_count(store: &Store) -> i64 {
        store
            .read(|c| c.query_row("SELECT count(*) FROM checkin", [], |r| r.get(0)).map_err(JournalError::from))
            .unwrap()
    }

    #[test]
    fn a_check_in_round_trips_with_every_field() {
        let (_dir, store) = open_store();
        let saved = store.add_checkin(&full_draft()).unwrap();
        assert_eq!(saved.valence, 2);
        assert_eq!((saved.energy, saved.anxiety, saved.sleep_hours), (Some(4), Some(3), Some(7.25)));
        assert_eq!(saved.labels, vec![EmotionLabel::Hopeful, EmotionLabel::Calm], "duplicates dropped");
        assert_eq!(saved.areas, vec![LifeArea::SelfCare, LifeArea::Family]);
        assert_eq!(saved.occurred_at, at("2026-11-20T18:30:00Z"));
        assert_eq!(saved.zone, "America/New_York");
        assert!(!saved.shared);
        assert_eq!(store.checkin(&saved.id).unwrap(), saved);
    }

    #[test]
    fn a_check_in_without_a_time_happens_now_and_is_private() {
        let (_dir, store) = open_store();
        let before = SystemTime::now() - Duration::from_millis(1);
        let saved = store.add_checkin(&CheckInDraft::new(0, "UTC".parse().unwrap())).unwrap();
        assert!(saved.occurred_at >= before && saved.occurred_at <= SystemTime::now());
        assert!(!saved.shared);
        assert_eq!(saved.created_at, saved.updated_at);
    }

    #[test]
    fn out_of_range_input_is_refused_and_nothing_is_stored() {
        let (_dir, store) = open_store();
        type Expect = fn(&JournalError) -> bool;
        let cases: Vec<(CheckInDraft, Expect)> = vec![
            (CheckInDraft { valence: 4, ..full_draft() }, |e| matches!(e, JournalError::InvalidValence { value: 4 })),
            (CheckInDraft { valence: -4, ..full_draft() }, |e| matches!(e, JournalError::InvalidValence { .. })),
            (CheckInDraft { energy: Some(0), ..full_draft() }, |e| matches!(e, JournalError::InvalidEnergy { .. })),
            (CheckInDraft { energy: Some(6), ..full_draft() }, |e| matches!(e, JournalError::InvalidEnergy { .. })),
            (CheckInDraft { anxiety: Some(11), ..full_draft() }, |e| {
                matches!(e, JournalError::InvalidAnxiety { value: 11 })
            }),
            (CheckInDraft { anxiety: Some(-1), ..full_draft() }, |e| matches!(e, JournalError::InvalidAnxiety { .. })),
            (CheckInDraft { sleep_hours: Some(7.1), ..full_draft() }, |e| {
                matches!(e, JournalError::InvalidSleep { .. })
            }),
            (CheckInDraft { sleep_hours: Some(24.25), ..full_draft() }, |e| {
                matches!(e, JournalError::InvalidSleep { .. })
            }),
            (CheckInDraft { sleep_hours: Some(f64::NAN), ..full_draft() }, |e| {
                matches!(e, JournalError::InvalidSleep { .. })
            }),
            (CheckInDraft { text: "x".repeat(100_001), ..full_draft() }, |e| {
                matches!(e, JournalError::TextTooLong { chars: 100_001, .. })
            }),
        ];
        for (draft, expected) in cases {
            let error = store.add_checkin(&draft).unwrap_err();
            assert!(expected(&error), "unexpected error {error:?}");
        }
        assert_eq!(row_count(&store), 0);
    }

    proptest::proptest! {
        #[test]
        fn a_draft_is_accepted_exactly_when_every_field_is_in_range(
            valence in -6i32..6,
            energy in proptest::option::of(-1i32..8),
            anxiety in proptest::option::of(-2i32..13),
            sleep_quarters in proptest::option::of(-4i32..100),
            off_grid in proptest::bool::weighted(0.1),
        ) {
            let sleep_hours = sleep_quarters.map(|q| q as f64 / 4.0 + if off_grid { 0.1 } else { 0.0 });
            let draft = CheckInDraft { valence, energy, anxiety, sleep_hours, ..CheckInDraft::new(0, "Asia/Tokyo".parse().unwrap()) };
            let expected = (-3..=3).contains(&valence)
                && energy.is_none_or(|e| (1..=5).contains(&e))
                && anxiety.is_none_or(|a| (0..=10).contains(&a))
                && sleep_quarters.is_none_or(|q| (0..=96).contains(&q) && !off_grid);
            proptest::prop_assert_eq!(draft.check().is_ok(), expected);
            if expected {
                let stored = validate(&draft).unwrap().into_checkin("id".into(), 0, 0);
                proptest::prop_assert_eq!((stored.valence, stored.energy, stored.anxiety), (valence, energy, anxiety));
                proptest::prop_assert_eq!(stored.sleep_hours, sleep_hours);
            }
        }
    }

    #[test]
    fn the_limits_themselves_are_accepted() {
        let (_dir, store) = open_store();
        for (valence, energy, anxiety, sleep) in [(-3, 1, 0, 0.0), (3, 5, 10, 24.0)] {
            let draft = CheckInDraft {
                valence,
                energy: Some(energy),
                anxiety: Some(anxiety),
                sleep_hours: Some(sleep),
                text: "é".repeat(100_000),
                ..full_draft()
            };
            store.add_checkin(&draft).unwrap();
        }
    }

    #[test]
    fn edit_replaces_the_fields_and_keeps_the_time_unless_given() {
        let (_dir, store) = open_store();
        let saved = store.add_checkin(&full_draft()).unwrap();
        let edit =
            CheckInDraft { occurred_at: None, shared: true, ..draft_at(-1, "2000-01-01T00:00:00Z", "rough day") };
        let edited = store.edit_checkin(&saved.id, &edit).unwrap();
        assert_eq!((edited.valence, edited.text.as_str(), edited.shared), (-1, "rough day", true));
        assert_eq!(edited.occurred_at, saved.occurred_at);
        assert!(edited.labels.is_empty());
        assert_eq!(edited.created_at, saved.created_at);
    }

    #[test]
    fn a_rejected_edit_changes_nothing() {
        let (_dir, store) = open_store();
        let saved = store.add_checkin(&full_draft()).unwrap();
        let error = store.edit_checkin(&saved.id, &CheckInDraft { anxiety: Some(11), ..full_draft() });
        assert!(matches!(error, Err(JournalError::InvalidAnxiety { .. })));
        assert_eq!(store.checkin(&saved.id).unwrap(), saved);
    }

    #[test]
    fn a_deleted_entry_is_purged_with_its_index_after_the_undo_window() {
        let (_dir, store) = open_store();
        let kept = store.add_checkin(&draft_at(1, "2026-11-01T09:00:00Z", "binned words stay searchable")).unwrap();
        let binned = store.add_checkin(&draft_at(1, "2026-11-02T09:00:00Z", "binned words go")).unwrap();
        assert_eq!(store.search_journal("binned", 10).unwrap().len(), 2, "both indexed");
        store.delete_checkin(&binned.id).unwrap();
        let deleted_at = store.checkin(&binned.id).unwrap().deleted_at.unwrap();
        let indexed = |store: &Store| -> i64 {
            store
                .read(|c| c.query_row("SELECT count(*) FROM checkin_fts", [], |r| r.get(0)).map_err(StoreError::from))
                .unwrap()
        };
        assert_eq!(store.empty_bin_at(deleted_at + UNDO_WINDOW - std::time::Duration::from_secs(60)).unwrap(), 0);
        assert_eq!(store.undelete_checkin(&binned.id).unwrap().deleted_at, None, "undo works inside the window");
        store.delete_checkin(&binned.id).unwrap();
        let deleted_at = store.checkin(&binned.id).unwrap().deleted_at.unwrap();
        assert_eq!(store.empty_bin_at(deleted_at + UNDO_WINDOW + std::time::Duration::from_secs(60)).unwrap(), 1);
        assert!(matches!(store.checkin(&binned.id), Err(JournalError::NotFound { .. })));
        assert!(matches!(store.undelete_checkin(&binned.id), Err(JournalError::NotFound { .. })));
        assert_eq!(indexed(&store), 1, "its words are gone from the index");
        assert_eq!(store.checkin(&kept.id).unwrap().id, kept.id);
    }

    #[test]
    fn delete_hides_an_entry_until_it_is_undone() {
        let (_dir, store) = open_store();
        let saved = store.add_checkin(&full_draft()).unwrap();
        let deleted = store.delete_checkin(&saved.id).unwrap();
        assert!(deleted.deleted_at.is_some());
        assert!(store.journal_page(&JournalQuery::default()).unwrap().entries.is_empty());
        assert!(matches!(store.edit_checkin(&saved.id, &full_draft()), Err(JournalError::Deleted { .. })));
        let restored = store.undelete_checkin(&saved.id).unwrap();
        assert_eq!(restored.deleted_at, None);
        assert_eq!(store.journal_page(&JournalQuery::default()).unwrap().entries.len(), 1);
    }

    #[test]
    fn unknown_ids_are_not_found() {
        let (_dir, store) = open_store();
        assert!(matches!(store.checkin("nope"), Err(JournalError::NotFound { .. })));
        assert!(matches!(store.delete_checkin("nope"), Err(JournalError::NotFound { .. })));
        assert!(matches!(store.undelete_checkin("nope"), Err(JournalError::NotFound { .. })));
        assert!(matches!(store.edit_checkin("nope", &full_draft()), Err(JournalError::NotFound { .. })));
    }

    #[test]
    fn pages_walk_every_entry_once_newest_first_even_with_equal_times() {
        let (_dir, store) = open_store();
        let mut ids = Vec::new();
        for day in 1..=9 {
            for _ in 0..3 {
                let when = format!("2026-10-{day:02}T12:00:00Z");
                ids.push(store.add_checkin(&draft_at(0, &when, "")).unwrap());
            }
        }
        ids.sort_by(|a, b| (b.occurred_at, &b.id).cmp(&(a.occurred_at, &a.id)));
        let mut seen = Vec::new();
        let mut query = JournalQuery { limit: 4, ..JournalQuery::default() };
        loop {
            let page = store.journal_page(&query).unwrap();
            seen.extend(page.entries.iter().map(|e| e.id.clone()));
            match page.next_cursor {
                Some(cursor) => query.after = Some(cursor),
                None => break,
            }
        }
        assert_eq!(seen, ids.iter().map(|e| e.id.clone()).collect::<Vec<_>>());
    }

    #[test]
    fn a_page_keeps_to_its_date_range() {
        let (_dir, store) = open_store();
        for day in 1..=5 {
            store.add_checkin(&draft_at(0, &format!("2026-10-0{day}T08:00:00Z"), "")).unwrap();
        }
        let query = JournalQuery {
            from: Some(at("2026-10-02T00:00:00Z")),
            to: Some(at("2026-10-04T00:00:00Z")),
            ..JournalQuery::default()
        };
        let page = store.journal_page(&query).unwrap();
        let times: Vec<_> = page.entries.iter().map(|e| e.occurred_at).collect();
        assert_eq!(times, vec![at("2026-10-03T08:00:00Z"), at("2026-10-02T08:00:00Z")]);
        assert_eq!(page.next_cursor, None);
    }

    #[test]
    fn a_page_damaged_after_opening_is_a_typed_error() {
        let (dir, store) = open_store();
        let path = dir.path().join("waymark.db");
        drop(store);
        // Pages written from here on hold only check-ins, not the schema that opening reads.
        let schema_len = std::fs::metadata(&path).unwrap().len() as usize;
        let store = Store::open(&path, &KEY).unwrap();
        for day in 1..=9 {
            store.add_checkin(&draft_at(0, &format!("2026-10-0{day}T12:00:00Z"), &"words ".repeat(500))).unwrap();
        }
        drop(store);
        let mut bytes = std::fs::read(&path).unwrap();
        assert!(bytes.len() > schema_len);
        bytes[schema_len..].iter_mut().for_each(|b| *b ^= 0xff);
        std::fs::write(&path, &bytes).unwrap();
        let store = Store::open(&path, &KEY).unwrap();
        let error = store.journal_page(&JournalQuery::default()).unwrap_err();
        assert!(matches!(error, JournalError::Store(StoreError::Damaged { .. })), "{error:?}");
    }

    #[test]
    fn bad_limits_and_cursors_are_refused() {
        let (_dir, store) = open_store();
        let zero = JournalQuery { limit: 0, ..JournalQuery::default() };
        assert!(matches!(store.journal_page(&zero), Err(JournalError::InvalidLimit { .. })));
        let forged = JournalQuery { after: Some("yesterday".into()), ..JournalQuery::default() };
        assert!(matches!(store.journal_page(&forged), Err(JournalError::InvalidCursor { .. })));
    }

    #[test]
    fn a_list_row_carries_a_one_line_preview_and_the_entry_whole_on_open() {
        let (_dir, store) = open_store();
        let long = format!("First line\n\nsecond   line {}", "word ".repeat(100));
        let saved = store
            .add_checkin(&CheckInDraft { text: long.clone(), ..CheckInDraft::new(1, "UTC".parse().unwrap()) })
            .unwrap();
        let row = store.journal_page(&JournalQuery::default()).unwrap().entries.remove(0);
        assert!(row.preview.starts_with("First line second line word word"), "{}", row.preview);
        assert_eq!(row.preview.chars().count(), PREVIEW_CHARS + 1);
        assert!(row.preview.ends_with(" wo…"), "{}", row.preview);
        assert_eq!(store.checkin(&row.id).unwrap().text, long);
        assert_eq!(preview("  short\tone  "), "short one");
        assert_eq!(preview(&"é".repeat(PREVIEW_CHARS)), "é".repeat(PREVIEW_CHARS), "exactly the length is not cut");
        assert_eq!(saved.id, row.id);
    }
}
