//! Screen-sized reads: the home screen and the settings screen, each in one
//! call, so a shell crosses the FFI once per screen.

use std::time::SystemTime;

use chrono::Days;
use chrono_tz::Tz;
use serde::Serialize;

use crate::course::{AppointmentKind, AppointmentStatus, AppointmentView, CareItem};
use crate::journal::TodayView;
use crate::measures::{DueMeasure, MeasureSchedule};
use crate::prompts::DuePrompt;
use crate::reminders::ReminderSettings;
use crate::store::Store;
use crate::time::{local_date, start_of_day, Zone};
use crate::WaymarkError;

/// Everything the home screen shows at `now`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Home {
    /// Today's check-ins, the streak and the last seven days.
    pub today: TodayView,
    /// The next session that has not ended, with its whole care plan.
    pub next_session: Option<AppointmentView>,
    /// Care items in force at `now`, from the next session and the last one
    /// that started: no food from ..., no driving until ....
    pub active_care: Vec<CareItem>,
    /// Integration prompts open at `now`, oldest first.
    pub prompts_due: Vec<DuePrompt>,
    /// Questionnaires due now.
    pub measures_due: Vec<DueMeasure>,
    /// Shared summaries and entries waiting to be sent at the next sync.
    pub pending_shares: u32,
}

/// Everything the settings screen shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Settings {
    pub reminders: ReminderSettings,
    pub measure_schedules: Vec<MeasureSchedule>,
    /// The patient's region for crisis lines, if they set one.
    pub region: Option<String>,
    /// The patient's language, if they set one.
    pub language: Option<String>,
    /// The language Waymark's words are in: the patient's, else the device's, else `en`.
    pub content_language: String,
}

impl Store {
    /// The home screen at `now`, for a phone in `zone`.
    pub fn home_at(&self, now: SystemTime, zone: Zone) -> Result<Home, WaymarkError> {
        let today = self.today_at(now, zone)?;
        let tz = zone.tz();
        let course = self.course_overview(now, zone)?;
        let last_started = course.past.iter().find(|view| started_dosing(view, now));
        let active_care = course.next.iter().chain(last_started).flat_map(|view| in_force(view, now, tz)).collect();
        let measures_due = self.due_measures_at(now, zone)?.into_iter().filter(|m| m.due_now).collect();
        let pending_shares = self.pending_messages()?;
        Ok(Home {
            today,
            next_session: course.next,
            active_care,
            prompts_due: self.prompts_due(now)?,
            measures_due,
            pending_shares,
        })
    }

    /// The settings screen.
    pub fn settings(&self) -> Result<Settings, WaymarkError> {
        Ok(Settings {
            reminders: self.reminder_settings()?,
            measure_schedules: self.measure_schedules()?,
            region: self.region()?,
            language: self.language()?,
            content_language: self.content_language()?,
        })
    }
}

fn started_dosing(view: &AppointmentView, now: SystemTime) -> bool {
    let appointment = &view.appointment;
    appointment.kind == AppointmentKind::Dosing
        && matches!(appointment.status, AppointmentStatus::Done | AppointmentStatus::Scheduled)
        && appointment.starts_at <= now
}

/// The session's care items in force at `now`. An item with no end (no
/// driving, no bath) lasts, as its text says, until the next day: here, to
/// the end of the local day after the session's.
fn in_force(view: &AppointmentView, now: SystemTime, tz: Tz) -> Vec<CareItem> {
    let open_end =
        local_date(view.appointment.starts_at, tz).checked_add_days(Days::new(2)).map(|day| start_of_day(day, tz));
    view.care
        .iter()
        .filter(|item| {
            let begun = item.from.is_some_and(|from| from <= now);
            let ended = match item.until {
                Some(until) => until <= now,
                None => open_end.is_none_or(|end| end <= now),
            };
            begun && !ended
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::tests::start;
    use crate::course::{CareItemKind, CourseTemplate};
    use crate::measures::Instrument;
    use crate::test_support::{at, open_store};
    use crate::CheckInDraft;

    fn kinds(items: &[CareItem]) -> Vec<CareItemKind> {
        items.iter().map(|item| item.kind).collect()
    }

    #[test]
    fn home_holds_the_same_facts_as_the_calls_it_replaces() {
        let (_dir, store) = open_store();
        start(&store, CourseTemplate::IvInduction, "2026-11-23T09:00", "Europe/London");
        store
            .add_checkin(&CheckInDraft {
                occurred_at: Some(at("2026-11-24T08:00:00Z")),
                ..CheckInDraft::new(1, "Europe/London".parse().unwrap())
            })
            .unwrap();
        let now = at("2026-11-24T12:00:00Z");
        let home = store.home_at(now, "Europe/London".parse().unwrap()).unwrap();
        assert_eq!(home.today, store.today_at(now, "Europe/London".parse().unwrap()).unwrap());
        assert_eq!(home.next_session, store.course_overview(now, "Europe/London".parse().unwrap()).unwrap().next);
        assert_eq!(home.prompts_due, store.prompts_due(now).unwrap());
        let due: Vec<_> = store
            .due_measures_at(now, "Europe/London".parse().unwrap())
            .unwrap()
            .into_iter()
            .filter(|m| m.due_now)
            .collect();
        assert_eq!(home.measures_due, due);
        assert!(home.measures_due.iter().any(|m| m.instrument == Instrument::Phq9));
        assert_eq!(home.pending_shares, 0);
    }

    #[test]
    fn care_is_in_force_from_its_start_and_open_ended_care_until_the_day_after_the_session() {
        let (_dir, store) = open_store();
        start(&store, CourseTemplate::IvInduction, "2026-11-23T09:00", "Europe/London");
        let zone = "Europe/London";
        let care = |now: &str| kinds(&store.home_at(at(now), zone.parse().unwrap()).unwrap().active_care);
        assert_eq!(care("2026-11-22T08:00:00Z"), Vec::<CareItemKind>::new());
        assert_eq!(care("2026-11-23T04:00:00Z"), vec![CareItemKind::NoFood, CareItemKind::NoAlcoholOrCannabis]);
        let during = care("2026-11-23T09:30:00Z");
        assert!(during.contains(&CareItemKind::BloodPressure) && during.contains(&CareItemKind::NoDriving));
        assert!(!during.contains(&CareItemKind::NoFood), "fasting ends when the session starts");
        let next_evening = care("2026-11-24T22:00:00Z");
        assert!(
            next_evening.contains(&CareItemKind::NoDriving) && next_evening.contains(&CareItemKind::NoBathOrSwimming)
        );
        // The first session's day after has ended; the second (on the 25th) already rules out alcohol.
        assert_eq!(care("2026-11-25T00:30:00Z"), vec![CareItemKind::NoAlcoholOrCannabis]);
    }

    #[test]
    fn settings_gather_what_the_settings_screen_shows() {
        let (_dir, store) = open_store();
        store.set_region(Some("gb")).unwrap();
        store.set_device_locale(Some("es_MX")).unwrap();
        let settings = store.settings().unwrap();
        assert_eq!(settings.reminders, store.reminder_settings().unwrap());
        assert_eq!(settings.measure_schedules, store.measure_schedules().unwrap());
        assert_eq!((settings.region.as_deref(), settings.language.as_deref()), (Some("GB"), None));
        assert_eq!(settings.content_language, "es");
    }
}
