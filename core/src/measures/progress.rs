//! The progress screen in one call: scores against the baseline, response
//! and remission with the definition each used, and check-in trends.
//!
//! Studies define response and remission differently, so every outcome
//! carries its definition and source (shared/domain.md, "Measures").

use std::collections::VecDeque;
use std::time::SystemTime;

use chrono::{Days, NaiveDate};
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::due::{self, DueMeasure};
use super::vitals::{readings_between, VitalsReading};
use super::{assessments_between, find, Answer, Assessment, Instrument, MeasureError, Severity};
use crate::safety::{self, SafetyEvent};
use crate::store::Store;
use crate::time::{self, local_date, rfc3339, start_of_day, Zone};

/// Days in the rolling mean, the day itself included.
const ROLLING_DAYS: u64 = 7;

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProgressQuery {
    /// First local date shown, `YYYY-MM-DD`; `None` starts at the first record.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub from: Option<String>,
    /// Last local date shown, inclusive; `None` is today.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub to: Option<String>,
    /// The zone the phone is in now; days are its calendar days.
    pub zone: Zone,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Progress {
    pub zone: String,
    pub from: Option<String>,
    pub to: String,
    pub phq9: InstrumentProgress,
    pub gad7: InstrumentProgress,
    /// One entry per local day with a check-in, oldest first.
    pub trends: Vec<TrendDay>,
    /// Oldest first.
    pub vitals: Vec<VitalsReading>,
    /// Oldest first.
    pub safety_events: Vec<SafetyEvent>,
    /// What is due as of now, whatever the range.
    pub due: Vec<DueMeasure>,
    /// Show with the outcomes: talk to the clinic before changing or stopping any treatment.
    pub clinic_note: String,
}

/// Which result the baseline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum BaselineRule {
    /// The patient picked it.
    Picked,
    /// The first complete result of the current course.
    FirstOfCourse,
    /// The first complete result of all, with no course or none in it.
    FirstOfAll,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct InstrumentProgress {
    pub instrument: Instrument,
    /// The picked baseline, else the first complete result of the current
    /// course, else the first complete result of all, whatever the range.
    pub baseline: Option<ScorePoint>,
    /// How `baseline` was chosen; `None` when there is none.
    pub baseline_rule: Option<BaselineRule>,
    /// The newest complete result in the range.
    pub latest: Option<ScorePoint>,
    /// Latest total minus baseline total, once there is a result after the baseline.
    pub change: Option<i32>,
    /// The fall from baseline as a percentage of it (55.0 for 20 to 9).
    pub reduction_percent: Option<f64>,
    /// PHQ-9 only.
    pub response: Option<Outcome>,
    /// PHQ-9 only.
    pub remission: Option<Outcome>,
    /// Every result in the range, oldest first, incomplete ones too.
    pub trajectory: Vec<ScorePoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ScorePoint {
    pub id: String,
    #[serde(with = "rfc3339")]
    pub taken_at: SystemTime,
    pub total: u32,
    /// `None` when incomplete.
    pub severity: Option<Severity>,
    /// False when PHQ-9 item 9 was declined: `total` is then not a PHQ-9 total.
    pub complete: bool,
    /// PHQ-9 item 9 (thoughts of being better off dead or of self-harm), so a
    /// chart can mark every answer above 0; `None` for a GAD-7.
    pub item9_answer: Option<Answer>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum OutcomeStatus {
    Met,
    NotMet,
    /// No result after the baseline yet, or a baseline the definition does not cover.
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Outcome {
    pub status: OutcomeStatus,
    pub definition: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TrendDay {
    /// The local date, `YYYY-MM-DD`.
    pub date: String,
    pub checkins: u32,
    pub mean_valence: f64,
    /// The mean of the daily means over this day and the 6 before it (even
    /// before the range starts), days without check-ins left out.
    pub rolling_valence_7d: f64,
    pub mean_anxiety: Option<f64>,
    pub mean_sleep_hours: Option<f64>,
}

/// An outcome with its definition in `language` and its source, from the text catalogs (`progress.*`).
fn outcome(status: OutcomeStatus, key: &str, language: &str) -> Outcome {
    Outcome {
        status,
        definition: crate::text::get(language, &format!("progress.{key}")).to_string(),
        source: crate::text::get(language, &format!("progress.{key}_source")).to_string(),
    }
}

/// Response and remission from `baseline` to `latest` (a later result, if any),
/// both needing a baseline of 10 or more.
fn phq9_outcomes(baseline: Option<u32>, latest: Option<u32>, language: &str) -> (Outcome, Outcome) {
    use OutcomeStatus::*;
    let status = |applies: bool, met: bool| match (applies, met) {
        (false, _) => NotApplicable,
        (true, true) => Met,
        (true, false) => NotMet,
    };
    let (response, remission) = match (baseline, latest) {
        (Some(base), Some(latest)) => (status(base >= 10, 2 * latest <= base), status(base >= 10, latest < 5)),
        _ => (NotApplicable, NotApplicable),
    };
    (outcome(response, "response", language), outcome(remission, "remission", language))
}

fn point(result: &Assessment) -> ScorePoint {
    ScorePoint {
        id: result.id.clone(),
        taken_at: result.taken_at,
        total: result.total,
        severity: result.severity,
        complete: result.complete,
        item9_answer: result.item9_answer(),
    }
}

/// The picked baseline, else the first complete result taken since the current
/// course `began`, else the first complete result of all.
fn baseline(
    conn: &Connection,
    instrument: Instrument,
    began: Option<SystemTime>,
) -> Result<Option<(Assessment, BaselineRule)>, MeasureError> {
    let picked: Option<String> = conn
        .prepare_cached("SELECT assessment_id FROM baseline WHERE instrument = ?1")?
        .query_row([instrument.as_str()], |row| row.get(0))
        .optional()?;
    if let Some(picked) = picked.map(|id| find(conn, &id, false)).transpose()?.filter(|picked| picked.complete) {
        return Ok(Some((picked, BaselineRule::Picked)));
    }
    let first_complete_from = |from: i64| -> Result<Option<Assessment>, MeasureError> {
        // Item 9 declined is stored as `x`, the only answer that is not a digit.
        let first: Option<String> = conn
            .prepare_cached(
                "SELECT id FROM assessment WHERE instrument = ?1 AND taken_at >= ?2 AND instr(lower(answers), 'x') = 0 \
                 ORDER BY taken_at, id LIMIT 1",
            )?
            .query_row(params![instrument.as_str(), from], |row| row.get(0))
            .optional()?;
        first.map(|id| find(conn, &id, false)).transpose()
    };
    if let Some(began) = began {
        if let Some(first) = first_complete_from(time::to_millis(began))? {
            return Ok(Some((first, BaselineRule::FirstOfCourse)));
        }
    }
    Ok(first_complete_from(i64::MIN)?.map(|first| (first, BaselineRule::FirstOfAll)))
}

/// One instrument's progress over `[from, to)`; `began` is when the current course began, if any.
fn instrument_progress(
    conn: &Connection,
    instrument: Instrument,
    (from, to): (i64, i64),
    began: Option<SystemTime>,
) -> Result<InstrumentProgress, MeasureError> {
    let results = assessments_between(conn, Some(instrument), from, to, false)?;
    let (baseline, baseline_rule) = baseline(conn, instrument, began)?.unzip();
    let latest = results.iter().rev().find(|result| result.complete);
    let follow_up = match (&baseline, latest) {
        (Some(base), Some(latest)) if latest.taken_at > base.taken_at => Some((base.total, latest.total)),
        _ => None,
    };
    let change = follow_up.map(|(base, latest)| latest as i32 - base as i32);
    let reduction_percent = follow_up
        .filter(|&(base, _)| base > 0)
        .map(|(base, latest)| 100.0 * (f64::from(base) - f64::from(latest)) / f64::from(base));
    let (response, remission) = match instrument {
        Instrument::Phq9 => {
            let language = safety::stored_language(conn)?;
            let (response, remission) = phq9_outcomes(follow_up.map(|f| f.0), follow_up.map(|f| f.1), language);
            (Some(response), Some(remission))
        }
        Instrument::Gad7 => (None, None),
    };
    Ok(InstrumentProgress {
        instrument,
        baseline: baseline.as_ref().map(point),
        baseline_rule,
        latest: latest.map(point),
        change,
        reduction_percent,
        response,
        remission,
        trajectory: results.iter().map(point).collect(),
    })
}

/// Running sums for one local day.
#[derive(Default)]
struct DayTotals {
    checkins: u32,
    valence: i64,
    anxiety: (i64, u32),
    sleep_quarters: (i64, u32),
}

impl DayTotals {
    fn mean_valence(&self) -> f64 {
        self.valence as f64 / f64::from(self.checkins)
    }

    fn into_trend(self, date: NaiveDate, rolling_valence_7d: f64) -> TrendDay {
        let mean = |(sum, count): (i64, u32)| (count > 0).then(|| sum as f64 / f64::from(count));
        TrendDay {
            date: date.to_string(),
            checkins: self.checkins,
            mean_valence: self.mean_valence(),
            rolling_valence_7d,
            mean_anxiety: mean(self.anxiety),
            mean_sleep_hours: mean(self.sleep_quarters).map(|quarters| quarters / 4.0),
        }
    }
}

/// Check-in figures in time order; `checkin_live_figures` covers every column it reads.
const TREND_ROWS: &str = "SELECT occurred_at, valence, anxiety, sleep_quarters FROM checkin \
                          WHERE deleted_at IS NULL AND occurred_at >= ?1 AND occurred_at < ?2 ORDER BY occurred_at";

/// Daily check-in figures for the local days from `first` (all when `None`)
/// until `to`. The rolling mean of the first days also counts the six before.
fn trends(conn: &Connection, first: Option<NaiveDate>, to: i64, tz: Tz) -> rusqlite::Result<Vec<TrendDay>> {
    let lead_in = first.and_then(|first| first.checked_sub_days(Days::new(ROLLING_DAYS - 1)));
    let from = lead_in.map_or(i64::MIN, |day| time::to_millis(start_of_day(day, tz)));
    let mut statement = conn.prepare_cached(TREND_ROWS)?;
    let mut rows = statement.query(params![from, to])?;
    let mut days: Vec<(NaiveDate, DayTotals)> = Vec::new();
    // Rows come in time order, so the local date only changes once a row reaches the next day's start.
    let mut next_day_starts = i64::MIN;
    while let Some(row) = rows.next()? {
        let occurred_at: i64 = row.get(0)?;
        if occurred_at >= next_day_starts {
            let date = local_date(time::from_millis(occurred_at), tz);
            next_day_starts = date.succ_opt().map_or(i64::MAX, |next| time::to_millis(start_of_day(next, tz)));
            days.push((date, DayTotals::default()));
        }
        let totals = &mut days.last_mut().expect("a day was pushed for the first row").1;
        totals.checkins += 1;
        totals.valence += row.get::<_, i64>(1)?;
        if let Some(anxiety) = row.get::<_, Option<i64>>(2)? {
            totals.anxiety = (totals.anxiety.0 + anxiety, totals.anxiety.1 + 1);
        }
        if let Some(quarters) = row.get::<_, Option<i64>>(3)? {
            totals.sleep_quarters = (totals.sleep_quarters.0 + quarters, totals.sleep_quarters.1 + 1);
        }
    }
    let mut trends = with_rolling_means(days);
    trends.retain(|(date, _)| first.is_none_or(|first| *date >= first));
    Ok(trends.into_iter().map(|(_, trend)| trend).collect())
}

fn with_rolling_means(days: Vec<(NaiveDate, DayTotals)>) -> Vec<(NaiveDate, TrendDay)> {
    let mut window: VecDeque<(NaiveDate, f64)> = VecDeque::new();
    let mut window_sum = 0.0;
    days.into_iter()
        .map(|(date, totals)| {
            let mean = totals.mean_valence();
            window.push_back((date, mean));
            window_sum += mean;
            while let Some(&(oldest, old_mean)) = window.front() {
                if oldest + Days::new(ROLLING_DAYS) > date {
                    break;
                }
                window.pop_front();
                window_sum -= old_mean;
            }
            (date, totals.into_trend(date, window_sum / window.len() as f64))
        })
        .collect()
}

fn parse_date(text: &str) -> Result<NaiveDate, MeasureError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| MeasureError::InvalidDate { text: text.to_string() })
}

impl Store {
    /// Everything the progress screen shows at `now`, for the phone's current zone.
    pub fn progress_at(&self, now: SystemTime, query: &ProgressQuery) -> Result<Progress, MeasureError> {
        let tz = query.zone.tz();
        let from = query.from.as_deref().map(parse_date).transpose()?;
        let to = match query.to.as_deref() {
            Some(text) => parse_date(text)?,
            None => local_date(now, tz),
        };
        if let Some(from) = from.filter(|from| *from > to) {
            return Err(MeasureError::InvalidRange { from: from.to_string(), to: to.to_string() });
        }
        let day_after =
            to.checked_add_days(Days::new(1)).ok_or_else(|| MeasureError::InvalidDate { text: to.to_string() })?;
        let start = from.map_or(i64::MIN, |from| time::to_millis(start_of_day(from, tz)));
        let end = time::to_millis(start_of_day(day_after, tz));
        self.read(|conn| {
            let began = crate::course::current_course_began(conn)?;
            Ok(Progress {
                zone: query.zone.name().to_string(),
                from: from.map(|from| from.to_string()),
                to: to.to_string(),
                phq9: instrument_progress(conn, Instrument::Phq9, (start, end), began)?,
                gad7: instrument_progress(conn, Instrument::Gad7, (start, end), began)?,
                trends: trends(conn, from, end, tz)?,
                vitals: readings_between(conn, start, end)?,
                safety_events: safety::events_between(conn, start, end)?,
                due: due::due_at(conn, now, tz)?,
                clinic_note: crate::text::get(safety::stored_language(conn)?, "progress.talk_to_clinic").to_string(),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::CheckInDraft;
    use crate::measures::tests::phq9;
    use crate::measures::{Answer, AssessmentDraft};
    use crate::test_support::{at, draft_at, open_store};

    fn query(from: Option<&str>, to: Option<&str>, zone: &str) -> ProgressQuery {
        ProgressQuery { from: from.map(String::from), to: to.map(String::from), zone: zone.parse().unwrap() }
    }

    /// PHQ-9 answers adding up to `total`.
    fn phq9_totalling(total: i32, when: &str) -> AssessmentDraft {
        let mut values = [0; 9];
        let mut left = total;
        for value in values.iter_mut().take(8) {
            *value = left.min(3);
            left -= *value;
        }
        assert_eq!(left, 0, "at most 24 without item 9");
        phq9(values, when)
    }

    #[test]
    fn baseline_20_to_9_is_a_55_percent_reduction_a_response_but_not_a_remission() {
        let (_dir, store) = open_store();
        for (total, when) in [(20, "2026-10-01T09:00:00Z"), (15, "2026-10-15T09:00:00Z"), (9, "2026-10-29T09:00:00Z")] {
            store.add_assessment(&phq9_totalling(total, when)).unwrap();
        }
        let progress = store.progress_at(at("2026-11-01T12:00:00Z"), &query(None, None, "Europe/London")).unwrap();
        assert!(progress.clinic_note.contains("Talk to your clinic before changing or stopping any treatment"));
        let phq9 = progress.phq9;
        assert_eq!(phq9.baseline.as_ref().map(|b| b.total), Some(20));
        assert_eq!(phq9.baseline_rule, Some(BaselineRule::FirstOfAll));
        assert_eq!(phq9.latest.as_ref().map(|l| (l.total, l.severity)), Some((9, Some(Severity::Mild))));
        assert_eq!(phq9.change, Some(-11));
        assert_eq!(phq9.reduction_percent, Some(55.0));
        let (response, remission) = (phq9.response.unwrap(), phq9.remission.unwrap());
        assert_eq!(response.status, OutcomeStatus::Met);
        assert!(response.definition.contains("50%"));
        assert_eq!(remission.status, OutcomeStatus::NotMet);
        assert!(remission.definition.contains("below 5"));
        assert_eq!(phq9.trajectory.iter().map(|p| p.total).collect::<Vec<_>>(), [20, 15, 9]);
        assert_eq!(progress.gad7.baseline, None);
        assert_eq!(progress.gad7.response, None);
    }

    #[test]
    fn outcome_rules_at_their_edges() {
        use OutcomeStatus::*;
        let table = [
            // (baseline, latest, response, remission)
            (20, 10, Met, NotMet),
            (20, 11, NotMet, NotMet),
            (10, 5, Met, NotMet),
            (10, 4, Met, Met),
            // Below 10 neither applies: a fall from a minimal or mild total is not a response.
            (9, 0, NotApplicable, NotApplicable),
            (9, 4, NotApplicable, NotApplicable),
            (6, 3, NotApplicable, NotApplicable),
            (0, 0, NotApplicable, NotApplicable),
            (27, 27, NotMet, NotMet),
        ];
        for (baseline, latest, response, remission) in table {
            let (got_response, got_remission) = phq9_outcomes(Some(baseline), Some(latest), "en");
            assert_eq!((got_response.status, got_remission.status), (response, remission), "{baseline} -> {latest}");
        }
        let (response, remission) = phq9_outcomes(None, None, "en");
        assert_eq!((response.status, remission.status), (NotApplicable, NotApplicable));
    }

    #[test]
    fn a_single_result_is_both_baseline_and_latest_with_no_outcome_yet() {
        let (_dir, store) = open_store();
        store.add_assessment(&phq9_totalling(18, "2026-10-01T09:00:00Z")).unwrap();
        let phq9 = store.progress_at(at("2026-11-01T12:00:00Z"), &query(None, None, "UTC")).unwrap().phq9;
        assert_eq!(phq9.baseline, phq9.latest);
        assert_eq!((phq9.change, phq9.reduction_percent), (None, None));
        assert_eq!(phq9.response.unwrap().status, OutcomeStatus::NotApplicable);
    }

    #[test]
    fn a_picked_baseline_wins_over_the_first_in_the_range() {
        let (_dir, store) = open_store();
        store.add_assessment(&phq9_totalling(12, "2026-09-01T09:00:00Z")).unwrap();
        let picked = store.add_assessment(&phq9_totalling(22, "2026-09-08T09:00:00Z")).unwrap();
        store.add_assessment(&phq9_totalling(4, "2026-10-01T09:00:00Z")).unwrap();
        let progress =
            |store: &Store| store.progress_at(at("2026-11-01T12:00:00Z"), &query(None, None, "UTC")).unwrap().phq9;
        assert_eq!(progress(&store).baseline.unwrap().total, 12);
        store.pick_baseline(&picked.id).unwrap();
        let phq9 = progress(&store);
        assert_eq!(phq9.baseline_rule, Some(BaselineRule::Picked));
        assert_eq!((phq9.baseline.unwrap().total, phq9.change), (22, Some(-18)));
        assert_eq!(phq9.remission.unwrap().status, OutcomeStatus::Met);
    }

    #[test]
    fn the_baseline_is_the_first_result_of_the_current_course_unless_one_is_picked() {
        use crate::course::{tests::start, CourseTemplate};
        let (_dir, store) = open_store();
        store.add_assessment(&phq9_totalling(24, "2026-06-01T09:00:00Z")).unwrap();
        store.add_assessment(&phq9_totalling(8, "2026-09-01T09:00:00Z")).unwrap();
        let progress = |store: &Store| {
            store.progress_at(at("2026-11-20T12:00:00Z"), &query(None, None, "Europe/Paris")).unwrap().phq9
        };
        assert_eq!(
            (progress(&store).baseline.unwrap().total, progress(&store).baseline_rule),
            (24, Some(BaselineRule::FirstOfAll))
        );
        // A course whose first session is at 10:00 on 2 November, Paris time: a result that morning is its first.
        start(&store, CourseTemplate::IvInduction, "2026-11-02T10:00", "Europe/Paris");
        assert_eq!(progress(&store).baseline_rule, Some(BaselineRule::FirstOfAll), "nothing in the course yet");
        store.add_assessment(&phq9_totalling(18, "2026-11-02T07:30:00Z")).unwrap();
        store.add_assessment(&phq9_totalling(8, "2026-11-16T09:00:00Z")).unwrap();
        let phq9 = progress(&store);
        assert_eq!((phq9.baseline.unwrap().total, phq9.baseline_rule), (18, Some(BaselineRule::FirstOfCourse)));
        assert_eq!(phq9.response.unwrap().status, OutcomeStatus::Met, "18 to 8 within the course");
        let first_ever = store.assessments(&Default::default()).unwrap().pop().unwrap();
        store.pick_baseline(&first_ever.id).unwrap();
        assert_eq!(progress(&store).baseline_rule, Some(BaselineRule::Picked), "the patient's pick still wins");
    }

    #[test]
    fn the_course_begins_at_the_start_of_its_first_local_day_and_a_cancelled_first_session_does_not_count() {
        use crate::course::{tests::start, CourseTemplate};
        let (_dir, store) = open_store();
        start(&store, CourseTemplate::IvInduction, "2026-11-02T10:00", "Europe/Paris");
        // 22:59 UTC on 1 November is 23:59 in Paris, the evening before; 23:00 UTC is midnight, the course's first day.
        store.add_assessment(&phq9_totalling(21, "2026-11-01T22:59:00Z")).unwrap();
        store.add_assessment(&phq9_totalling(17, "2026-11-01T23:00:00Z")).unwrap();
        let baseline = |store: &Store| {
            let phq9 = store.progress_at(at("2026-11-20T12:00:00Z"), &query(None, None, "UTC")).unwrap().phq9;
            (phq9.baseline.unwrap().total, phq9.baseline_rule.unwrap())
        };
        assert_eq!(baseline(&store), (17, BaselineRule::FirstOfCourse));
        let first = store.appointments().unwrap().remove(0);
        store.cancel_appointment(&first.id).unwrap();
        // Now the course begins with its second session, on 4 November.
        assert_eq!(baseline(&store), (21, BaselineRule::FirstOfAll), "nothing taken since 4 November");
    }

    #[test]
    fn an_incomplete_result_is_shown_but_left_out_of_the_outcomes() {
        let (_dir, store) = open_store();
        let mut declined = phq9([1; 9], "2026-10-01T09:00:00Z");
        declined.answers[8] = Answer::PreferNotToAnswer;
        store.add_assessment(&declined).unwrap();
        store.add_assessment(&phq9_totalling(16, "2026-10-08T09:00:00Z")).unwrap();
        store.add_assessment(&phq9([1, 1, 0, 0, 0, 0, 0, 0, 2], "2026-10-15T09:00:00Z")).unwrap();
        let mut late_declined = phq9([0; 9], "2026-10-22T09:00:00Z");
        late_declined.answers[8] = Answer::PreferNotToAnswer;
        store.add_assessment(&late_declined).unwrap();
        let phq9 = store.progress_at(at("2026-11-01T12:00:00Z"), &query(None, None, "UTC")).unwrap().phq9;
        assert_eq!(phq9.baseline.as_ref().map(|b| b.total), Some(16), "the first complete result");
        assert_eq!(phq9.latest.as_ref().map(|l| l.total), Some(4), "the newest complete result");
        assert_eq!(
            (phq9.response.unwrap().status, phq9.remission.unwrap().status),
            (OutcomeStatus::Met, OutcomeStatus::Met)
        );
        let points: Vec<(u32, bool, Option<Answer>)> =
            phq9.trajectory.iter().map(|p| (p.total, p.complete, p.item9_answer)).collect();
        assert_eq!(
            points,
            [
                (8, false, Some(Answer::PreferNotToAnswer)),
                (16, true, Some(Answer::Score { value: 0 })),
                (4, true, Some(Answer::Score { value: 2 })),
                (0, false, Some(Answer::PreferNotToAnswer)),
            ]
        );
        let gad = store.progress_at(at("2026-11-01T12:00:00Z"), &query(None, None, "UTC")).unwrap().gad7;
        assert!(gad.trajectory.iter().all(|p| p.item9_answer.is_none()));
    }

    #[test]
    fn the_range_limits_what_is_shown_but_not_the_baseline() {
        let (_dir, store) = open_store();
        store.add_assessment(&phq9_totalling(20, "2026-09-01T09:00:00Z")).unwrap();
        store.add_assessment(&phq9_totalling(16, "2026-10-01T09:00:00Z")).unwrap();
        store.add_assessment(&phq9_totalling(8, "2026-10-20T09:00:00Z")).unwrap();
        store.add_assessment(&phq9_totalling(2, "2026-11-20T09:00:00Z")).unwrap();
        let phq9 = store
            .progress_at(at("2026-11-27T12:00:00Z"), &query(Some("2026-10-01"), Some("2026-10-31"), "UTC"))
            .unwrap()
            .phq9;
        assert_eq!(phq9.trajectory.iter().map(|p| p.total).collect::<Vec<_>>(), [16, 8]);
        assert_eq!((phq9.baseline.unwrap().total, phq9.latest.unwrap().total), (20, 8));
        assert_eq!(phq9.reduction_percent, Some(60.0));
    }

    #[test]
    fn trends_give_daily_means_and_a_rolling_week_in_the_phone_zone() {
        let (_dir, store) = open_store();
        let add = |valence, when: &str, anxiety, sleep| {
            let draft = CheckInDraft { anxiety, sleep_hours: sleep, ..draft_at(valence, when, "") };
            store.add_checkin(&draft).unwrap();
        };
        add(-2, "2026-11-01T00:00:00Z", Some(6), Some(5.0));
        add(0, "2026-11-01T10:00:00Z", Some(4), None);
        add(2, "2026-11-03T10:00:00Z", None, Some(8.0));
        add(3, "2026-11-09T10:00:00Z", None, None);
        // 23:30 UTC on the 9th is already the 10th in Tokyo.
        add(1, "2026-11-09T23:30:00Z", Some(1), None);
        let trends = store.progress_at(at("2026-11-27T12:00:00Z"), &query(None, None, "Asia/Tokyo")).unwrap().trends;
        let summary: Vec<_> =
            trends.iter().map(|d| (d.date.as_str(), d.checkins, d.mean_valence, d.rolling_valence_7d)).collect();
        assert_eq!(
            summary,
            [
                ("2026-11-01", 2, -1.0, -1.0),
                ("2026-11-03", 1, 2.0, 0.5),
                ("2026-11-09", 1, 3.0, 2.5),
                ("2026-11-10", 1, 1.0, 2.0),
            ]
        );
        assert_eq!((trends[0].mean_anxiety, trends[0].mean_sleep_hours), (Some(5.0), Some(5.0)));
        assert_eq!((trends[1].mean_anxiety, trends[1].mean_sleep_hours), (None, Some(8.0)));

        let from_the_9th = store
            .progress_at(at("2026-11-27T12:00:00Z"), &query(Some("2026-11-09"), None, "Asia/Tokyo"))
            .unwrap()
            .trends;
        let rolling: Vec<_> = from_the_9th.iter().map(|d| (d.date.as_str(), d.rolling_valence_7d)).collect();
        assert_eq!(rolling, [("2026-11-09", 2.5), ("2026-11-10", 2.0)], "the week before the range still counts");
    }

    #[test]
    fn trends_read_only_the_covering_index_never_the_check_in_text() {
        let (_dir, store) = open_store();
        let plan: Vec<String> = store
            .read(|conn| {
                let mut statement = conn.prepare(&format!("EXPLAIN QUERY PLAN {TREND_ROWS}"))?;
                let rows = statement.query_map(params![0, 1], |row| row.get::<_, String>(3))?;
                rows.collect::<rusqlite::Result<Vec<_>>>().map_err(crate::store::StoreError::from)
            })
            .unwrap();
        assert_eq!(plan.len(), 1, "{plan:?}");
        assert!(plan[0].contains("USING COVERING INDEX checkin_live_figures"), "{plan:?}");
    }

    #[test]
    fn one_call_carries_vitals_safety_events_and_what_is_due() {
        let (_dir, store) = open_store();
        let alarming = store.add_assessment(&phq9([1, 1, 1, 1, 1, 1, 1, 1, 2], "2026-11-20T09:00:00Z")).unwrap();
        let gad = AssessmentDraft {
            taken_at: Some(at("2026-11-21T09:00:00Z")),
            ..AssessmentDraft::new(Instrument::Gad7, vec![Answer::Score { value: 1 }; 7], "UTC".parse().unwrap())
        };
        store.add_assessment(&gad).unwrap();
        let reading = crate::measures::VitalsDraft {
            taken_at: Some(at("2026-11-20T10:00:00Z")),
            ..crate::measures::VitalsDraft::blood_pressure(182, 100, "UTC".parse().unwrap())
        };
        store.add_vitals(&reading).unwrap();
        let progress = store.progress_at(at("2026-11-27T12:00:00Z"), &query(None, None, "UTC")).unwrap();
        assert_eq!(progress.safety_events.len(), 1);
        assert_eq!(progress.safety_events[0].assessment_id.as_deref(), Some(alarming.id.as_str()));
        assert_eq!(progress.vitals.len(), 1);
        assert!(progress.vitals[0].flag.is_some());
        assert_eq!(progress.gad7.latest.unwrap().total, 7);
        assert!(progress.due.iter().all(|d| d.due_now == (d.instrument == Instrument::Phq9)));
        assert_eq!(progress.to, "2026-11-27");
    }

    #[test]
    fn bad_ranges_are_refused() {
        let (_dir, store) = open_store();
        let now = at("2026-11-27T12:00:00Z");
        assert!(matches!(
            store.progress_at(now, &query(Some("2026-11-02"), Some("2026-11-01"), "UTC")),
            Err(MeasureError::InvalidRange { .. })
        ));
        assert!(matches!(
            store.progress_at(now, &query(Some("2026-13-01"), None, "UTC")),
            Err(MeasureError::InvalidDate { .. })
        ));
    }
}
