//! When the next PHQ-9 or GAD-7 is due.
//!
//! Clinics ask for a PHQ-9 at intake, then before sessions and every 7 to 14
//! days (MoodMonitor scheduling docs; Osmind patient notifications), so each
//! measure is due a set number of days after the last one, 7 unless the
//! patient or clinic changes it. A measure falls due at the start of that
//! local day, in the zone the phone is in now.

use std::time::SystemTime;

use chrono::Days;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::{Instrument, MeasureError};
use crate::store::Store;
use crate::time::{self, local_date, rfc3339, start_of_day, Zone};

pub const DEFAULT_EVERY_DAYS: u32 = 7;
const MAX_EVERY_DAYS: u32 = 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MeasureSchedule {
    pub instrument: Instrument,
    /// Days from one result to when the next is due, 1 to 366.
    pub every_days: u32,
    /// Off means the measure is never due.
    pub enabled: bool,
}

impl MeasureSchedule {
    fn default_for(instrument: Instrument) -> Self {
        Self { instrument, every_days: DEFAULT_EVERY_DAYS, enabled: true }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DueMeasure {
    pub instrument: Instrument,
    pub every_days: u32,
    #[serde(with = "rfc3339::option")]
    pub last_taken_at: Option<SystemTime>,
    /// When it falls due; `None` when it was never taken, which makes it due now.
    #[serde(with = "rfc3339::option")]
    pub due_at: Option<SystemTime>,
    pub due_now: bool,
}

fn schedule(conn: &Connection, instrument: Instrument) -> rusqlite::Result<MeasureSchedule> {
    let stored = conn
        .prepare_cached("SELECT every_days, enabled FROM measure_schedule WHERE instrument = ?1")?
        .query_row([instrument.as_str()], |row| {
            Ok(MeasureSchedule { instrument, every_days: row.get(0)?, enabled: row.get(1)? })
        })
        .optional()?;
    Ok(stored.unwrap_or_else(|| MeasureSchedule::default_for(instrument)))
}

fn last_taken(conn: &Connection, instrument: Instrument) -> rusqlite::Result<Option<SystemTime>> {
    let latest: Option<i64> = conn
        .prepare_cached("SELECT max(taken_at) FROM assessment WHERE instrument = ?1")?
        .query_row([instrument.as_str()], |row| row.get(0))?;
    Ok(latest.map(time::from_millis))
}

/// Every enabled measure and when it is due, as seen at `now` in `zone`.
pub(crate) fn due_at(conn: &Connection, now: SystemTime, tz: chrono_tz::Tz) -> rusqlite::Result<Vec<DueMeasure>> {
    let mut due = Vec::new();
    for instrument in Instrument::ALL {
        let schedule = schedule(conn, instrument)?;
        if !schedule.enabled {
            continue;
        }
        let last_taken_at = last_taken(conn, instrument)?;
        let due_at = last_taken_at.map(|last| {
            let day = local_date(last, tz) + Days::new(schedule.every_days.into());
            start_of_day(day, tz)
        });
        let due_now = due_at.is_none_or(|at| at <= now);
        due.push(DueMeasure { instrument, every_days: schedule.every_days, last_taken_at, due_at, due_now });
    }
    Ok(due)
}

impl Store {
    pub fn measure_schedules(&self) -> Result<Vec<MeasureSchedule>, MeasureError> {
        self.read(|conn| Ok(Instrument::ALL.into_iter().map(|i| schedule(conn, i)).collect::<Result<_, _>>()?))
    }

    /// Changes how often a measure is due, or turns it off.
    pub fn set_measure_schedule(&self, schedule: &MeasureSchedule) -> Result<(), MeasureError> {
        if !(1..=MAX_EVERY_DAYS).contains(&schedule.every_days) {
            return Err(MeasureError::InvalidInterval { every_days: schedule.every_days });
        }
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO measure_schedule (instrument, every_days, enabled) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![schedule.instrument.as_str(), schedule.every_days, schedule.enabled])?;
            Ok(())
        })
    }

    /// Each enabled measure with when it falls due at `now`, for the phone's current `zone`.
    pub fn due_measures_at(&self, now: SystemTime, zone: Zone) -> Result<Vec<DueMeasure>, MeasureError> {
        let tz = zone.tz();
        self.read(|conn| Ok(due_at(conn, now, tz)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measures::tests::phq9;
    use crate::test_support::{at, open_store};

    fn phq9_due(store: &Store, now: &str, zone: &str) -> DueMeasure {
        store
            .due_measures_at(at(now), zone.parse().unwrap())
            .unwrap()
            .into_iter()
            .find(|d| d.instrument == Instrument::Phq9)
            .unwrap()
    }

    #[test]
    fn a_measure_never_taken_is_due_now() {
        let (_dir, store) = open_store();
        let due = store.due_measures_at(at("2026-11-27T12:00:00Z"), "Europe/London".parse().unwrap()).unwrap();
        assert_eq!(due.len(), 2);
        assert!(due.iter().all(|d| d.due_now && d.due_at.is_none() && d.every_days == DEFAULT_EVERY_DAYS));
    }

    #[test]
    fn the_next_one_falls_due_at_the_start_of_the_day_a_week_later() {
        let (_dir, store) = open_store();
        store.add_assessment(&phq9([1; 9], "2026-11-20T19:30:00Z")).unwrap();
        let due = phq9_due(&store, "2026-11-26T23:59:00Z", "Europe/London");
        assert_eq!(due.due_at, Some(at("2026-11-27T00:00:00Z")));
        assert!(!due.due_now);
        assert!(phq9_due(&store, "2026-11-27T00:00:00Z", "Europe/London").due_now);
    }

    #[test]
    fn due_days_follow_the_phone_zone_across_a_dst_change() {
        let (_dir, store) = open_store();
        // Taken on Sunday 2026-03-01 at 10:00 EST; New York's clocks go forward on 2026-03-08.
        store.add_assessment(&phq9([1; 9], "2026-03-01T15:00:00Z")).unwrap();
        let due = phq9_due(&store, "2026-03-08T12:00:00Z", "America/New_York");
        assert_eq!(due.due_at, Some(at("2026-03-08T05:00:00Z")), "midnight EST on the day DST starts");
        let tokyo = phq9_due(&store, "2026-03-08T12:00:00Z", "Asia/Tokyo");
        assert_eq!(tokyo.due_at, Some(at("2026-03-08T15:00:00Z")), "after travel, days are Tokyo's");
        assert!(!tokyo.due_now);
    }

    #[test]
    fn schedules_can_be_changed_and_turned_off() {
        let (_dir, store) = open_store();
        store.add_assessment(&phq9([1; 9], "2026-11-20T12:00:00Z")).unwrap();
        store
            .set_measure_schedule(&MeasureSchedule { instrument: Instrument::Phq9, every_days: 14, enabled: true })
            .unwrap();
        assert_eq!(phq9_due(&store, "2026-11-27T12:00:00Z", "UTC").due_at, Some(at("2026-12-04T00:00:00Z")));
        store
            .set_measure_schedule(&MeasureSchedule { instrument: Instrument::Gad7, every_days: 7, enabled: false })
            .unwrap();
        let due = store.due_measures_at(at("2026-11-27T12:00:00Z"), "UTC".parse().unwrap()).unwrap();
        assert_eq!(due.iter().map(|d| d.instrument).collect::<Vec<_>>(), [Instrument::Phq9]);
        let bad = MeasureSchedule { instrument: Instrument::Phq9, every_days: 0, enabled: true };
        assert!(matches!(store.set_measure_schedule(&bad), Err(MeasureError::InvalidInterval { every_days: 0 })));
        assert_eq!(store.measure_schedules().unwrap()[0].every_days, 14);
    }
}
