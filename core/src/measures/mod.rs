//! PHQ-9 and GAD-7 check-ins, vitals, and the progress they add up to.
//!
//! A PHQ-9 with an item-9 answer above 0 always comes back with a safety
//! alert and leaves a safety event, whatever its total.

pub(crate) mod due;
mod forms;
mod progress;
mod vitals;

use std::time::SystemTime;

use chrono::Datelike;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

pub use due::{DueMeasure, MeasureSchedule, DEFAULT_EVERY_DAYS};
pub use forms::{
    answer_label, form, score, self_harm_item_text, severity, Answer, AnswerOption, Form, FormItem, Instrument, Score,
    Severity,
};
pub use progress::{
    BaselineRule, InstrumentProgress, Outcome, OutcomeStatus, Progress, ProgressQuery, ScorePoint, TrendDay,
};
pub(crate) use vitals::readings_between;
pub use vitals::{VitalsDraft, VitalsFlag, VitalsReading};

use crate::safety::{self, SafetyAlert, SafetyAlertKind};
use crate::store::{Store, StoreError};
use crate::time::{self, rfc3339, Zone};

#[derive(Debug, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error), uniffi(flat_error))]
pub enum MeasureError {
    #[error("\"{name}\" is not a measure Waymark knows; use phq9 or gad7")]
    UnknownInstrument { name: String },
    #[error(
        "{instrument} item {item} has no answer; answer every item (scores are never estimated from part of a form)"
    )]
    MissingAnswer { instrument: Instrument, item: u32 },
    #[error("{instrument} has {expected} items, but {found} answers were given; give one answer per item")]
    TooManyAnswers { instrument: Instrument, expected: u32, found: u32 },
    #[error("{instrument} item {item}: {value} is not an answer; choose 0, 1, 2 or 3")]
    AnswerOutOfRange { instrument: Instrument, item: u32, value: i32 },
    #[error("{instrument} item {item} needs an answer from 0 to 3; only PHQ-9 item 9 can be \"prefer not to answer\"")]
    CannotDecline { instrument: Instrument, item: u32 },
    #[error("blood pressure needs both numbers; give systolic and diastolic, such as 120/80")]
    IncompleteBloodPressure,
    #[error("a systolic pressure of {value} mmHg cannot be right; check the reading (expected {min} to {max})")]
    SystolicOutOfRange { value: i32, min: i32, max: i32 },
    #[error("a diastolic pressure of {value} mmHg cannot be right; check the reading (expected {min} to {max})")]
    DiastolicOutOfRange { value: i32, min: i32, max: i32 },
    #[error(
        "{systolic}/{diastolic} cannot be right: the first number (systolic) is always the higher; check the order"
    )]
    DiastolicNotBelowSystolic { systolic: i32, diastolic: i32 },
    #[error("a heart rate of {value} beats a minute cannot be right; check the reading (expected {min} to {max})")]
    HeartRateOutOfRange { value: i32, min: i32, max: i32 },
    #[error("there is nothing to save; give a blood pressure, a heart rate, or both")]
    NoVitals,
    #[error("\"{id}\" is not a session id; pass the id of one of your sessions")]
    InvalidSessionId { id: String },
    #[error("the time is outside the years {min} to {max}; check the date")]
    InvalidTime { min: i32, max: i32 },
    #[error("the time is in the future; give when it was actually measured")]
    InFuture,
    #[error("\"{text}\" is not a date; use the form 2026-11-27")]
    InvalidDate { text: String },
    #[error("the range starts on {from}, after it ends on {to}; swap the dates")]
    InvalidRange { from: String, to: String },
    #[error("a measure can be due every 1 to 366 days, not every {every_days}")]
    InvalidInterval { every_days: u32 },
    #[error("no result has the id {id}; check the id, which may be mistyped")]
    NotFound { id: String },
    #[error(
        "the result {id} is incomplete (PHQ-9 item 9 was not answered), so it cannot be a baseline; pick a complete one"
    )]
    IncompleteBaseline { id: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for MeasureError {
    fn from(error: rusqlite::Error) -> Self {
        MeasureError::Store(error.into())
    }
}

/// A filled-in questionnaire, before it is saved.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AssessmentDraft {
    pub instrument: Instrument,
    /// One per item, in the form's order.
    pub answers: Vec<Answer>,
    /// When it was taken; `None` means now.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub taken_at: Option<SystemTime>,
    /// The IANA zone the patient was in.
    pub zone: Zone,
    /// The treatment session it was taken for, if any.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub session_id: Option<String>,
    /// Marked by the patient for their therapist. A shared summary with the
    /// measures scope holds every result in its range, marked or not; only
    /// journal notes are filtered by their mark (the sharing issue's rule).
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub shared: bool,
}

impl AssessmentDraft {
    /// A private result taken now.
    pub fn new(instrument: Instrument, answers: Vec<Answer>, zone: Zone) -> Self {
        Self { instrument, answers, taken_at: None, zone, session_id: None, shared: false }
    }

    /// Scores the draft without saving it.
    pub fn check(&self) -> Result<Score, MeasureError> {
        check_common(self.taken_at, self.session_id.as_deref())?;
        score(self.instrument, &self.answers)
    }
}

/// A saved result, with what it means.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Assessment {
    pub id: String,
    pub instrument: Instrument,
    pub answers: Vec<Answer>,
    /// The sum of the answered items; with PHQ-9 item 9 declined, it is not a PHQ-9 total.
    pub total: u32,
    /// The total's band; `None` when the result is incomplete, which has no band.
    pub severity: Option<Severity>,
    /// False when PHQ-9 item 9 was "prefer not to answer": such a result is
    /// left out of response and remission, and its total is not exported as one.
    pub complete: bool,
    /// Set whenever PHQ-9 item 9 is above 0 or was declined, with the crisis
    /// lines and the safety plan: from `add_assessment` to show at once, and
    /// on a result read back, so help shows whenever the alert is shown again.
    pub safety_alert: Option<SafetyAlert>,
    #[serde(with = "rfc3339")]
    pub taken_at: SystemTime,
    pub zone: String,
    pub session_id: Option<String>,
    pub shared: bool,
    #[serde(with = "rfc3339")]
    pub created_at: SystemTime,
}

impl Assessment {
    /// PHQ-9 item 9's answer (thoughts of being better off dead or of self-harm); `None` for a GAD-7.
    pub fn item9_answer(&self) -> Option<Answer> {
        self_harm_answer(self.instrument, &self.answers)
    }
}

/// Which results to list: `from` inclusive, `to` exclusive, `None` open.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AssessmentFilter {
    /// Only this instrument; `None` for both.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub instrument: Option<Instrument>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub from: Option<SystemTime>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub to: Option<SystemTime>,
}

/// Years a result can be dated in, so every later date calculation stays in range.
const YEARS: (i32, i32) = (1900, 9999);
/// How far ahead of this device's clock a time may be, for another device's clock drift.
const CLOCK_DRIFT: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// The checks every measure's draft shares.
fn check_common(taken_at: Option<SystemTime>, session_id: Option<&str>) -> Result<(), MeasureError> {
    let (min, max) = YEARS;
    if let Some(instant) = taken_at {
        let year = chrono::DateTime::from_timestamp_millis(time::to_millis(instant)).map(|t| t.year());
        if !year.is_some_and(|year| (min..=max).contains(&year)) {
            return Err(MeasureError::InvalidTime { min, max });
        }
        if instant > SystemTime::now() + CLOCK_DRIFT {
            return Err(MeasureError::InFuture);
        }
    }
    match session_id {
        Some(id) if uuid::Uuid::parse_str(id).is_err() => Err(MeasureError::InvalidSessionId { id: id.to_string() }),
        _ => Ok(()),
    }
}

/// PHQ-9 item 9's answer; `None` for a GAD-7.
fn self_harm_answer(instrument: Instrument, answers: &[Answer]) -> Option<Answer> {
    (instrument == Instrument::Phq9).then(|| answers.get(forms::PHQ9_SELF_HARM_ITEM as usize - 1).copied()).flatten()
}

/// Whether every item was answered with a score.
fn is_complete(answers: &[Answer]) -> bool {
    answers.iter().all(|answer| matches!(answer, Answer::Score { .. }))
}

/// The alert an item-9 answer raises: thoughts of self-harm above 0, or a gentler one when declined.
fn self_harm_alert_kind(instrument: Instrument, answers: &[Answer]) -> Option<SafetyAlertKind> {
    match self_harm_answer(instrument, answers)? {
        Answer::Score { value } if value > 0 => Some(SafetyAlertKind::Phq9SelfHarmThoughts),
        Answer::PreferNotToAnswer => Some(SafetyAlertKind::Phq9SelfHarmDeclined),
        _ => None,
    }
}

const COLUMNS: &str = "id, instrument, answers, total, taken_at, zone, session_id, shared, created_at";

/// A stored result, its alert (if any) in `language`, without the crisis lines
/// and plan (`with_help` adds them).
fn read_assessment(row: &rusqlite::Row<'_>, language: &str) -> rusqlite::Result<Assessment> {
    let instrument: Instrument = row.get::<_, String>(1)?.parse().map_err(|e: MeasureError| {
        rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, e.into())
    })?;
    let answers = parse_stored_answers(instrument, &row.get::<_, String>(2)?).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, "damaged answers".into())
    })?;
    let total: u32 = row.get(3)?;
    Ok(Assessment {
        id: row.get(0)?,
        instrument,
        safety_alert: self_harm_alert_kind(instrument, &answers).map(|kind| safety::alert(kind, language)),
        complete: is_complete(&answers),
        severity: is_complete(&answers).then(|| severity(instrument, total)),
        answers,
        total,
        taken_at: time::from_millis(row.get(4)?),
        zone: row.get(5)?,
        session_id: row.get(6)?,
        shared: row.get(7)?,
        created_at: time::from_millis(row.get(8)?),
    })
}

/// The answers as `add_assessment` stored them: one code per item.
fn parse_stored_answers(instrument: Instrument, stored: &str) -> Option<Vec<Answer>> {
    let answers: Vec<Answer> = stored.split(',').map(Answer::parse).collect::<Option<_>>()?;
    score(instrument, &answers).ok().map(|_| answers)
}

/// `results` with each alert carrying the crisis lines and safety plan, built once per kind.
fn with_help(conn: &Connection, mut results: Vec<Assessment>) -> rusqlite::Result<Vec<Assessment>> {
    let mut built: Vec<SafetyAlert> = Vec::new();
    for alert in results.iter_mut().filter_map(|result| result.safety_alert.as_mut()) {
        if let Some(done) = built.iter().find(|done| done.kind == alert.kind) {
            *alert = done.clone();
        } else {
            *alert = safety::alert_with_help(conn, alert.kind)?;
            built.push(alert.clone());
        }
    }
    Ok(results)
}

fn find(conn: &Connection, id: &str, help: bool) -> Result<Assessment, MeasureError> {
    let language = safety::stored_language(conn)?;
    let found = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM assessment WHERE id = ?1"))?
        .query_row([id], |row| read_assessment(row, language))
        .optional()?
        .ok_or_else(|| MeasureError::NotFound { id: id.to_string() })?;
    match help {
        true => Ok(with_help(conn, vec![found])?.remove(0)),
        false => Ok(found),
    }
}

/// Results in `[from, to)`, oldest first; their alerts carry help when `help`.
pub(crate) fn assessments_between(
    conn: &Connection,
    instrument: Option<Instrument>,
    from: i64,
    to: i64,
    help: bool,
) -> rusqlite::Result<Vec<Assessment>> {
    let language = safety::stored_language(conn)?;
    let results = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM assessment WHERE (?1 IS NULL OR instrument = ?1) \
             AND taken_at >= ?2 AND taken_at < ?3 ORDER BY taken_at, id"
        ))?
        .query_map(params![instrument.map(Instrument::as_str), from, to], |row| read_assessment(row, language))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if help {
        with_help(conn, results)
    } else {
        Ok(results)
    }
}

impl Store {
    /// Scores and saves a questionnaire. An item-9 answer above 0, or item 9
    /// declined, also records a safety event of its kind, in the same transaction.
    pub fn add_assessment(&self, draft: &AssessmentDraft) -> Result<Assessment, MeasureError> {
        let scored = draft.check()?;
        let now = time::to_millis(SystemTime::now());
        let taken_at = draft.taken_at.map_or(now, time::to_millis);
        let id = uuid::Uuid::now_v7().to_string();
        let answers: Vec<String> = draft.answers.iter().map(|answer| answer.code()).collect();
        let alert_kind = self_harm_alert_kind(draft.instrument, &draft.answers);
        let alert = self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO assessment (id, instrument, answers, total, taken_at, zone, session_id, shared, \
                 created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            )?
            .execute(params![
                id,
                draft.instrument.as_str(),
                answers.join(","),
                scored.total,
                taken_at,
                draft.zone.name(),
                draft.session_id,
                draft.shared,
                now
            ])?;
            match alert_kind {
                Some(kind) => {
                    safety::record(tx, kind, taken_at, draft.zone.name(), Some(&id))?;
                    Ok::<_, MeasureError>(Some(safety::alert_with_help(tx, kind)?))
                }
                None => Ok(None),
            }
        })?;
        Ok(Assessment {
            id,
            instrument: draft.instrument,
            answers: draft.answers.clone(),
            total: scored.total,
            severity: is_complete(&draft.answers).then(|| severity(draft.instrument, scored.total)),
            complete: is_complete(&draft.answers),
            safety_alert: alert,
            taken_at: time::from_millis(taken_at),
            zone: draft.zone.name().to_string(),
            session_id: draft.session_id.clone(),
            shared: draft.shared,
            created_at: time::from_millis(now),
        })
    }

    /// A saved result; an item-9 alert comes with the crisis lines and the safety plan.
    pub fn assessment(&self, id: &str) -> Result<Assessment, MeasureError> {
        self.read(|conn| find(conn, id, true))
    }

    /// Saved results, newest first; item-9 alerts come with help, as from `assessment`.
    pub fn assessments(&self, filter: &AssessmentFilter) -> Result<Vec<Assessment>, MeasureError> {
        let from = filter.from.map_or(i64::MIN, time::to_millis);
        let to = filter.to.map_or(i64::MAX, time::to_millis);
        let mut results =
            self.read(|conn| Ok::<_, MeasureError>(assessments_between(conn, filter.instrument, from, to, true)?))?;
        results.reverse();
        Ok(results)
    }

    /// Makes the result `id` the baseline its instrument's progress is measured
    /// from; an incomplete result cannot be one.
    pub fn pick_baseline(&self, id: &str) -> Result<Assessment, MeasureError> {
        self.write(|tx| {
            let picked = find(tx, id, false)?;
            if !picked.complete {
                return Err(MeasureError::IncompleteBaseline { id: id.to_string() });
            }
            tx.prepare_cached("INSERT OR REPLACE INTO baseline (instrument, assessment_id) VALUES (?1, ?2)")?
                .execute(params![picked.instrument.as_str(), id])?;
            Ok(picked)
        })
    }

    /// Goes back to the default baseline: the first complete result of the current course, else of all.
    pub fn clear_baseline(&self, instrument: Instrument) -> Result<(), MeasureError> {
        self.write(|tx| {
            tx.prepare_cached("DELETE FROM baseline WHERE instrument = ?1")?.execute([instrument.as_str()])?;
            Ok(())
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::test_support::{at, open_store};

    pub(crate) fn phq9(values: [i32; 9], when: &str) -> AssessmentDraft {
        let answers = values.iter().map(|&value| Answer::Score { value }).collect();
        AssessmentDraft {
            taken_at: Some(at(when)),
            ..AssessmentDraft::new(Instrument::Phq9, answers, "Europe/London".parse().unwrap())
        }
    }

    fn row_count(store: &Store, table: &str) -> i64 {
        store
            .read(|conn| {
                Ok::<_, StoreError>(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
            })
            .unwrap()
    }

    #[test]
    fn a_result_round_trips_with_its_score_and_band() {
        let (_dir, store) = open_store();
        let session = uuid::Uuid::now_v7().to_string();
        let draft = AssessmentDraft {
            session_id: Some(session.clone()),
            shared: true,
            ..phq9([2, 2, 1, 1, 2, 1, 1, 1, 0], "2026-11-20T09:00:00Z")
        };
        let saved = store.add_assessment(&draft).unwrap();
        assert_eq!((saved.total, saved.severity, saved.complete), (11, Some(Severity::Moderate), true));
        assert_eq!(saved.safety_alert, None);
        assert_eq!(saved.session_id.as_deref(), Some(session.as_str()));
        assert_eq!(store.assessment(&saved.id).unwrap(), saved);
        assert_eq!(row_count(&store, "safety_event"), 0);
    }

    #[test]
    fn item_9_above_0_alerts_and_records_a_safety_event_whatever_the_total() {
        let (_dir, store) = open_store();
        let saved = store.add_assessment(&phq9([0, 0, 0, 0, 0, 0, 0, 0, 1], "2026-11-20T09:00:00Z")).unwrap();
        assert_eq!((saved.total, saved.severity), (1, Some(Severity::Minimal)));
        let alert = saved.safety_alert.clone().expect("an alert");
        assert_eq!(alert.kind, SafetyAlertKind::Phq9SelfHarmThoughts);
        assert!(alert.message.contains("emergency"));
        let events = store.safety_events(None, None).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].assessment_id.as_deref(), Some(saved.id.as_str()));
        assert_eq!(events[0].occurred_at, at("2026-11-20T09:00:00Z"));
        let read_back = store.assessment(&saved.id).unwrap().safety_alert.unwrap();
        assert_eq!(read_back, alert, "read back, the alert still carries the lines and the plan");
        assert!(read_back.help_now.is_some() && read_back.safety_plan.is_some());
        let listed = store.assessments(&AssessmentFilter::default()).unwrap().remove(0).safety_alert.unwrap();
        assert_eq!(listed, alert, "from the list too");
        assert!(alert.nobody_is_told.contains("does not alert your clinic"));
    }

    #[test]
    fn the_alert_carries_the_crisis_lines_for_the_region_and_the_safety_plan() {
        let (_dir, store) = open_store();
        store.set_region(Some("gb")).unwrap();
        store.add_safety_plan_item(crate::safety::SafetyPlanStep::PeopleToAsk, "My sister Ana").unwrap();
        let saved = store.add_assessment(&phq9([0, 0, 0, 0, 0, 0, 0, 0, 2], "2026-11-20T09:00:00Z")).unwrap();
        let alert = saved.safety_alert.unwrap();
        let help = alert.help_now.unwrap();
        assert_eq!(help.region.as_deref(), Some("GB"));
        assert_eq!(help.lines[0].phone.as_deref(), Some("999"));
        assert!(help.lines.iter().any(|line| line.phone.as_deref() == Some("116 123")));
        assert_eq!(alert.safety_plan.unwrap().sections[3].items[0].text, "My sister Ana");
        assert!(matches!(
            store.set_region(Some("Great Britain")),
            Err(crate::safety::SafetyError::InvalidRegion { .. })
        ));
        assert_eq!(store.region().unwrap().as_deref(), Some("GB"));
    }

    #[test]
    fn the_alert_speaks_the_patients_language() {
        let (_dir, store) = open_store();
        store.set_region(Some("MX")).unwrap();
        assert_eq!(store.set_language(Some("es-MX")).unwrap().as_deref(), Some("es"));
        let saved = store.add_assessment(&phq9([0, 0, 0, 0, 0, 0, 0, 0, 1], "2026-11-20T09:00:00Z")).unwrap();
        let alert = saved.safety_alert.unwrap();
        assert_eq!(alert.title, "No tiene que afrontar esto a solas");
        assert!(alert.message.contains("número local de emergencias"));
        let help = alert.help_now.unwrap();
        assert_eq!((help.locale.as_str(), help.lines[0].phone.as_deref()), ("es", Some("911")));
        assert_eq!(alert.safety_plan.unwrap().sections[0].title, "Señales de alerta");
        let read_back = store.assessment(&saved.id).unwrap().safety_alert.unwrap();
        assert_eq!(read_back.title, alert.title);
        assert!(matches!(store.set_language(Some("español")), Err(crate::safety::SafetyError::InvalidLanguage { .. })));
        store.set_language(None).unwrap();
        assert_eq!(
            store.assessment(&saved.id).unwrap().safety_alert.unwrap().title,
            "You do not have to face this alone"
        );
    }

    #[test]
    fn prefer_not_to_answer_on_item_9_is_kept_incomplete_with_a_gentle_card_and_its_own_event() {
        let (_dir, store) = open_store();
        store.set_region(Some("US")).unwrap();
        let mut draft = phq9([1; 9], "2026-11-20T09:00:00Z");
        draft.answers[8] = Answer::PreferNotToAnswer;
        let saved = store.add_assessment(&draft).unwrap();
        assert_eq!((saved.total, saved.complete, saved.severity), (8, false, None), "an incomplete result has no band");
        let card = saved.safety_alert.clone().expect("a help card");
        assert_eq!(card.kind, SafetyAlertKind::Phq9SelfHarmDeclined);
        assert!(card.title.contains("do not have to answer"), "{}", card.title);
        assert!(card.help_now.as_ref().unwrap().lines.iter().any(|l| l.phone.as_deref() == Some("988")));
        assert!(card.safety_plan.is_some());
        let events = store.safety_events(None, None).unwrap();
        assert_eq!(
            events.iter().map(|e| (e.kind, e.assessment_id.as_deref())).collect::<Vec<_>>(),
            [(SafetyAlertKind::Phq9SelfHarmDeclined, Some(saved.id.as_str()))]
        );
        let read_back = store.assessment(&saved.id).unwrap();
        assert_eq!((read_back.answers[8], read_back.complete), (Answer::PreferNotToAnswer, false));
        assert_eq!(read_back.safety_alert, Some(card));
        assert!(matches!(store.pick_baseline(&saved.id), Err(MeasureError::IncompleteBaseline { .. })));
        assert_eq!(row_count(&store, "baseline"), 0);
    }

    #[test]
    fn bad_forms_are_refused_and_nothing_is_stored() {
        let (_dir, store) = open_store();
        let good = phq9([1; 9], "2026-11-20T09:00:00Z");
        let with = |answers: Vec<Answer>| AssessmentDraft { answers, ..good.clone() };
        let score = |value| Answer::Score { value };
        let mut declined_early = good.answers.clone();
        declined_early[0] = Answer::PreferNotToAnswer;
        let bad = [
            with(vec![score(1); 8]),
            with(vec![score(1); 10]),
            with([vec![score(4)], vec![score(1); 8]].concat()),
            with([vec![score(-1)], vec![score(1); 8]].concat()),
            with([vec![Answer::Unanswered], vec![score(1); 8]].concat()),
            with(declined_early),
            AssessmentDraft { session_id: Some("session one".into()), ..good.clone() },
            AssessmentDraft {
                taken_at: Some(SystemTime::now() + std::time::Duration::from_secs(3_600)),
                ..good.clone()
            },
            AssessmentDraft {
                taken_at: Some(SystemTime::UNIX_EPOCH - std::time::Duration::from_secs(3_000_000_000)),
                ..good.clone()
            },
        ];
        for draft in bad {
            assert!(store.add_assessment(&draft).is_err(), "{draft:?} was accepted");
        }
        assert_eq!(row_count(&store, "assessment"), 0);
    }

    #[test]
    fn damaged_stored_answers_are_an_error_not_a_silent_change() {
        let (_dir, store) = open_store();
        let saved = store.add_assessment(&phq9([1; 9], "2026-11-20T09:00:00Z")).unwrap();
        for damaged in ["1,1,1", "1,1,1,1,1,1,1,1,1,1", "1,1,1,1,1,1,1,1,7", "1,1,1,1,,1,1,1,1", "x,1,1,1,1,1,1,1,1"] {
            store
                .read(|conn| {
                    conn.execute("UPDATE assessment SET answers = ?1 WHERE id = ?2", params![damaged, saved.id])
                        .map_err(MeasureError::from)
                })
                .unwrap();
            assert!(matches!(store.assessment(&saved.id), Err(MeasureError::Store(_))), "{damaged}");
        }
    }

    #[test]
    fn results_list_newest_first_and_filter_by_instrument_and_time() {
        let (_dir, store) = open_store();
        let first = store.add_assessment(&phq9([1; 9], "2026-11-01T09:00:00Z")).unwrap();
        let gad = AssessmentDraft {
            taken_at: Some(at("2026-11-02T09:00:00Z")),
            ..AssessmentDraft::new(Instrument::Gad7, vec![Answer::Score { value: 2 }; 7], "UTC".parse().unwrap())
        };
        let second = store.add_assessment(&gad).unwrap();
        let third = store.add_assessment(&phq9([0; 9], "2026-11-03T09:00:00Z")).unwrap();
        let ids = |filter: AssessmentFilter| -> Vec<String> {
            store.assessments(&filter).unwrap().into_iter().map(|a| a.id).collect()
        };
        assert_eq!(ids(AssessmentFilter::default()), [third.id.as_str(), &second.id, &first.id]);
        assert_eq!(
            ids(AssessmentFilter { instrument: Some(Instrument::Phq9), ..Default::default() }),
            [third.id.as_str(), &first.id]
        );
        let window = AssessmentFilter {
            from: Some(at("2026-11-02T00:00:00Z")),
            to: Some(at("2026-11-03T09:00:00Z")),
            ..Default::default()
        };
        assert_eq!(ids(window), [second.id.as_str()]);
    }

    #[test]
    fn a_baseline_can_be_picked_and_cleared() {
        let (_dir, store) = open_store();
        let saved = store.add_assessment(&phq9([2; 9], "2026-11-01T09:00:00Z")).unwrap();
        assert_eq!(store.pick_baseline(&saved.id).unwrap().id, saved.id);
        assert!(matches!(store.pick_baseline("nope"), Err(MeasureError::NotFound { .. })));
        assert_eq!(row_count(&store, "baseline"), 1);
        store.clear_baseline(Instrument::Phq9).unwrap();
        assert_eq!(row_count(&store, "baseline"), 0);
    }
}
