//! The home screen in one call: today's entries, the streak, the last week.
//!
//! Days are calendar days in the zone the phone is in now, so a patient who
//! travels sees "today" as the clock on the wall says it.

use std::time::SystemTime;

use chrono::{Days, NaiveDate};
use chrono_tz::Tz;
use rusqlite::{params, Connection};
use serde::Serialize;

use super::{read_checkin, CheckIn, JournalError, JournalRow, COLUMNS};
use crate::store::Store;
use crate::time::{self, local_date, start_of_day, Zone};

/// Days shown in the home screen's mood chart, today included.
const WEEK: u64 = 7;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DayValence {
    /// The local calendar date, `YYYY-MM-DD`.
    pub date: String,
    /// The mean valence of the day's check-ins; `None` on a day without any.
    pub mean_valence: Option<f64>,
    pub checkins: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TodayView {
    /// Today's local date, `YYYY-MM-DD`, in `zone`.
    pub date: String,
    pub zone: String,
    /// Today's live check-ins, newest first.
    pub entries: Vec<JournalRow>,
    /// Consecutive days with a check-in, up to today. A streak that reached
    /// yesterday still counts while today has no check-in yet.
    pub streak_days: u32,
    /// The last seven days, oldest first, ending today.
    pub last_7_days: Vec<DayValence>,
}

impl Store {
    /// Everything the home screen shows at `now`, for the phone's current `zone`.
    pub fn today_at(&self, now: SystemTime, zone: Zone) -> Result<TodayView, JournalError> {
        let tz = zone.tz();
        let today = local_date(now, tz);
        let week_start = today - Days::new(WEEK - 1);
        self.read(|conn| {
            let week = entries_between(conn, start_of_day(week_start, tz), start_of_day(today + Days::new(1), tz))?;
            let (entries, earlier): (Vec<_>, Vec<_>) =
                week.into_iter().partition(|entry| local_date(entry.occurred_at, tz) == today);
            let last_7_days = daily_means(week_start, &entries, &earlier, tz);
            let streak_days = streak(conn, today, tz)?;
            let entries = entries.into_iter().map(JournalRow::from).collect();
            Ok(TodayView { date: today.to_string(), zone: zone.name().to_string(), entries, streak_days, last_7_days })
        })
    }
}

fn entries_between(conn: &Connection, from: SystemTime, to: SystemTime) -> Result<Vec<CheckIn>, JournalError> {
    let entries = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM checkin WHERE deleted_at IS NULL AND occurred_at >= ?1 AND occurred_at < ?2 \
             ORDER BY occurred_at DESC, id DESC"
        ))?
        .query_map(params![time::to_millis(from), time::to_millis(to)], read_checkin)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(entries)
}

fn daily_means(first: NaiveDate, today: &[CheckIn], earlier: &[CheckIn], tz: Tz) -> Vec<DayValence> {
    (0..WEEK)
        .map(|offset| {
            let date = first + Days::new(offset);
            let valences: Vec<i32> = today
                .iter()
                .chain(earlier)
                .filter(|entry| local_date(entry.occurred_at, tz) == date)
                .map(|entry| entry.valence)
                .collect();
            let mean = (!valences.is_empty()).then(|| f64::from(valences.iter().sum::<i32>()) / valences.len() as f64);
            DayValence { date: date.to_string(), mean_valence: mean, checkins: valences.len() as u32 }
        })
        .collect()
}

/// Walks back from the newest entry through consecutive local days; stops at the first gap.
fn streak(conn: &Connection, today: NaiveDate, tz: Tz) -> Result<u32, JournalError> {
    let mut statement = conn.prepare_cached(
        "SELECT occurred_at FROM checkin WHERE deleted_at IS NULL AND occurred_at < ?1 ORDER BY occurred_at DESC",
    )?;
    let mut rows = statement.query([time::to_millis(start_of_day(today + Days::new(1), tz))])?;
    let yesterday = today - Days::new(1);
    let mut counted: Option<NaiveDate> = None;
    let mut days = 0;
    while let Some(row) = rows.next()? {
        let date = local_date(time::from_millis(row.get(0)?), tz);
        match counted {
            Some(day) if date == day => continue,
            Some(day) if date + Days::new(1) != day => break,
            None if date != today && date != yesterday => break,
            _ => {
                days += 1;
                counted = Some(date);
            }
        }
    }
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::CheckInDraft;
    use crate::test_support::{at, draft_at, open_store};

    fn add(store: &Store, valence: i32, when: &str) -> CheckIn {
        store.add_checkin(&draft_at(valence, when, "")).unwrap()
    }

    #[test]
    fn an_empty_journal_has_an_empty_week() {
        let (_dir, store) = open_store();
        let view = store.today_at(at("2026-11-27T12:00:00Z"), "Europe/London".parse().unwrap()).unwrap();
        assert_eq!(view.date, "2026-11-27");
        assert!(view.entries.is_empty());
        assert_eq!(view.streak_days, 0);
        assert_eq!(view.last_7_days.len(), 7);
        assert_eq!(view.last_7_days[0].date, "2026-11-21");
        assert!(view.last_7_days.iter().all(|d| d.mean_valence.is_none() && d.checkins == 0));
    }

    #[test]
    fn today_holds_todays_entries_and_the_daily_means() {
        let (_dir, store) = open_store();
        add(&store, 1, "2026-11-25T09:00:00Z");
        add(&store, -2, "2026-11-25T20:00:00Z");
        let morning = add(&store, 3, "2026-11-27T08:00:00Z");
        let noon = add(&store, 2, "2026-11-27T11:00:00Z");
        add(&store, -3, "2026-11-20T11:00:00Z");
        let view = store.today_at(at("2026-11-27T12:00:00Z"), "Europe/London".parse().unwrap()).unwrap();
        assert_eq!(view.entries, vec![JournalRow::from(noon), JournalRow::from(morning)]);
        let means: Vec<_> = view.last_7_days.iter().map(|d| d.mean_valence).collect();
        assert_eq!(means, vec![None, None, None, None, Some(-0.5), None, Some(2.5)]);
        assert_eq!(view.last_7_days[4].checkins, 2);
    }

    #[test]
    fn the_streak_counts_back_to_the_first_gap() {
        let (_dir, store) = open_store();
        for day in [20, 22, 23, 24, 25, 26, 27] {
            add(&store, 0, &format!("2026-11-{day}T10:00:00Z"));
        }
        add(&store, 0, "2026-11-27T11:00:00Z");
        let view = store.today_at(at("2026-11-27T12:00:00Z"), "UTC".parse().unwrap()).unwrap();
        assert_eq!(view.streak_days, 6);
    }

    #[test]
    fn a_streak_up_to_yesterday_survives_until_today_ends() {
        let (_dir, store) = open_store();
        for day in [24, 25, 26] {
            add(&store, 0, &format!("2026-11-{day}T10:00:00Z"));
        }
        assert_eq!(store.today_at(at("2026-11-27T12:00:00Z"), "UTC".parse().unwrap()).unwrap().streak_days, 3);
        assert_eq!(store.today_at(at("2026-11-28T12:00:00Z"), "UTC".parse().unwrap()).unwrap().streak_days, 0);
    }

    #[test]
    fn deleted_entries_do_not_count() {
        let (_dir, store) = open_store();
        let entry = add(&store, 2, "2026-11-27T10:00:00Z");
        store.delete_checkin(&entry.id).unwrap();
        let view = store.today_at(at("2026-11-27T12:00:00Z"), "UTC".parse().unwrap()).unwrap();
        assert!(view.entries.is_empty());
        assert_eq!(view.streak_days, 0);
    }

    #[test]
    fn days_follow_the_zone_the_phone_is_in_now() {
        let (_dir, store) = open_store();
        // 23:30 in New York on the 26th is already the 27th in Tokyo.
        let late = add(&store, 1, "2026-11-27T04:30:00Z");
        let now = at("2026-11-27T05:00:00Z");
        let new_york = store.today_at(now, "America/New_York".parse().unwrap()).unwrap();
        assert_eq!((new_york.date.as_str(), new_york.entries.len()), ("2026-11-27", 0));
        assert_eq!(new_york.last_7_days[6].checkins, 0);
        assert_eq!(new_york.last_7_days[5].checkins, 1, "it was the 26th in New York");
        let tokyo = store.today_at(now, "Asia/Tokyo".parse().unwrap()).unwrap();
        assert_eq!((tokyo.date.as_str(), tokyo.entries.clone()), ("2026-11-27", vec![JournalRow::from(late)]));
    }

    #[test]
    fn a_day_with_a_dst_change_keeps_all_its_entries() {
        let (_dir, store) = open_store();
        // New York fell back on 2026-11-01: the day lasts 25 hours.
        let zone = "America/New_York";
        let first = CheckInDraft { zone: zone.parse().unwrap(), ..draft_at(1, "2026-11-01T04:30:00Z", "") };
        let last = CheckInDraft { zone: zone.parse().unwrap(), ..draft_at(3, "2026-11-02T04:30:00Z", "") };
        store.add_checkin(&first).unwrap();
        store.add_checkin(&last).unwrap();
        let view = store.today_at(at("2026-11-02T04:45:00Z"), zone.parse().unwrap()).unwrap();
        assert_eq!(view.date, "2026-11-01");
        assert_eq!(view.entries.len(), 2);
        assert_eq!(view.last_7_days[6].mean_valence, Some(2.0));
    }
}
