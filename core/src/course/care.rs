//! What to do before and after a dosing session, with its times worked out,
//! and the patient's checklist of it.
//!
//! Sources (shared/domain.md, "Treatments"):
//! - Fasting: the course's times, from its template's cited defaults or the clinic.
//! - A ride home and no driving until the next day after a restful sleep
//!   (spravato.com, "Treatment with SPRAVATO"; spravatohcp.com dosing page).
//! - No alcohol or cannabis for at least 24 hours after (amg-ketamine.com
//!   treatment day; nervanamedical.com discharge sheet). The 24 hours before
//!   has no published source we found; it is Waymark's course plan, and the
//!   item says so.
//! - Never dose alone, and no bath or swimming on a dosing day (public
//!   reporting on a ketamine drowning death and the guidance that followed,
//!   as summarised in shared/domain.md, "Lessons from real harms").

use std::time::{Duration, SystemTime};

use chrono::Days;
use rusqlite::params;
use serde::Serialize;

use super::{find_appointment, Appointment, AppointmentKind, Course, CourseError};
use crate::store::Store;
use crate::time::{self, local_date, rfc3339, start_of_day};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CareItemKind {
    NoFood,
    NoLiquids,
    RideHome,
    NoAlcoholOrCannabis,
    NoDriving,
    NoBathOrSwimmingAlone,
}

impl CareItemKind {
    pub const ALL: [CareItemKind; 6] = [
        CareItemKind::NoFood,
        CareItemKind::NoLiquids,
        CareItemKind::RideHome,
        CareItemKind::NoAlcoholOrCannabis,
        CareItemKind::NoDriving,
        CareItemKind::NoBathOrSwimmingAlone,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CareItemKind::NoFood => "no_food",
            CareItemKind::NoLiquids => "no_liquids",
            CareItemKind::RideHome => "ride_home",
            CareItemKind::NoAlcoholOrCannabis => "no_alcohol_or_cannabis",
            CareItemKind::NoDriving => "no_driving",
            CareItemKind::NoBathOrSwimmingAlone => "no_bath_or_swimming_alone",
        }
    }
}

/// One thing to do around a dose, with the window it applies to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CareItem {
    pub kind: CareItemKind,
    pub title: String,
    pub detail: String,
    #[serde(with = "rfc3339::option")]
    pub from: Option<SystemTime>,
    #[serde(with = "rfc3339::option")]
    pub until: Option<SystemTime>,
    pub source: String,
    /// Ticked on the appointment's checklist.
    pub checked: bool,
}

const DAY: Duration = Duration::from_secs(24 * 3_600);

/// The care plan of a dosing session; other sessions have none. Times after
/// the session count from when it was marked done, else from its planned end.
pub fn care_plan(appointment: &Appointment, course: Option<&Course>, checked: &[CareItemKind]) -> Vec<CareItem> {
    if appointment.kind != AppointmentKind::Dosing {
        return Vec::new();
    }
    let start = appointment.starts_at;
    let end = appointment.done_at.unwrap_or_else(|| appointment.ends_at());
    let tz = time::parse_zone(&appointment.zone).expect("stored appointments have known zones");
    let end_of_day = local_date(start, tz).checked_add_days(Days::new(1)).map(|next| start_of_day(next, tz));
    let fasting_source = course.map_or("Your clinic's instructions", |c| c.fasting_source.as_str());
    let mut items = Vec::new();
    let mut add = |kind, title: &str, detail: String, from, until, source: &str| {
        let checked = checked.contains(&kind);
        items.push(CareItem { kind, title: title.into(), detail, from, until, source: source.into(), checked });
    };
    if let Some(before) = course.and_then(|c| c.no_food_before_minutes) {
        let detail = format!("Nothing to eat for {} before the session.", span(before));
        add(
            CareItemKind::NoFood,
            "Stop eating",
            detail,
            Some(start - time::minutes(before)),
            Some(start),
            fasting_source,
        );
    }
    if let Some(before) = course.and_then(|c| c.no_liquids_before_minutes) {
        let detail = format!("Nothing to drink for {} before the session.", span(before));
        add(
            CareItemKind::NoLiquids,
            "Stop drinking",
            detail,
            Some(start - time::minutes(before)),
            Some(start),
            fasting_source,
        );
    }
    add(
        CareItemKind::RideHome,
        "Arrange your ride home",
        "You cannot drive after the session, so someone needs to take you home.".into(),
        None,
        Some(start),
        "spravato.com, \"Treatment with SPRAVATO\"; clinic discharge instructions",
    );
    add(
        CareItemKind::NoAlcoholOrCannabis,
        "No alcohol or cannabis",
        "None from 24 hours before the session until 24 hours after it.".into(),
        Some(start - DAY),
        Some(end + DAY),
        "24 hours after: amg-ketamine.com treatment day; nervanamedical.com discharge sheet. 24 hours before: \
         Waymark's course plan, with no published source found; follow your clinic if it says otherwise",
    );
    add(
        CareItemKind::NoDriving,
        "No driving until tomorrow",
        "Do not drive or use machinery until the next day, after a restful sleep.".into(),
        Some(start),
        None,
        "spravato.com, \"Treatment with SPRAVATO\"; spravatohcp.com dosing page",
    );
    add(
        CareItemKind::NoBathOrSwimmingAlone,
        "No bath or swimming alone today",
        "Ketamine taken alone near water can kill. Do not take a bath or swim alone for the rest of the day.".into(),
        Some(start),
        end_of_day,
        "Public reporting on a ketamine drowning death and the guidance that followed: never dose alone, no baths \
         or swimming on a dosing day (summarised in Waymark's domain notes, \"Lessons from real harms\")",
    );
    items
}

/// "2 hours", "30 minutes", "1 hour 30 minutes".
fn span(minutes: u32) -> String {
    let plural = |n: u32, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match (minutes / 60, minutes % 60) {
        (0, m) => plural(m, "minute"),
        (h, 0) => plural(h, "hour"),
        (h, m) => format!("{} {}", plural(h, "hour"), plural(m, "minute")),
    }
}

pub(crate) fn checked_items(conn: &rusqlite::Connection, appointment_id: &str) -> rusqlite::Result<Vec<CareItemKind>> {
    let names: Vec<String> = conn
        .prepare_cached("SELECT item FROM checklist_item WHERE appointment_id = ?1")?
        .query_map([appointment_id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(CareItemKind::ALL.into_iter().filter(|kind| names.iter().any(|n| n == kind.as_str())).collect())
}

impl Store {
    /// Ticks or unticks an item on a dosing session's checklist; returns the plan.
    pub fn set_checklist_item(
        &self,
        appointment_id: &str,
        item: CareItemKind,
        checked: bool,
    ) -> Result<Vec<CareItem>, CourseError> {
        self.write(|tx| {
            let appointment = find_appointment(tx, appointment_id)?;
            let course = super::current_course(tx)?.filter(|c| appointment.course_id.as_deref() == Some(c.id.as_str()));
            if !care_plan(&appointment, course.as_ref(), &[]).iter().any(|i| i.kind == item) {
                return Err(CourseError::NotOnChecklist { item: item.as_str().to_string() });
            }
            if checked {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO checklist_item (appointment_id, item, checked_at) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![
                    appointment_id,
                    item.as_str(),
                    time::to_millis(SystemTime::now())
                ])?;
            } else {
                tx.prepare_cached("DELETE FROM checklist_item WHERE appointment_id = ?1 AND item = ?2")?
                    .execute(params![appointment_id, item.as_str()])?;
            }
            Ok(care_plan(&appointment, course.as_ref(), &checked_items(tx, appointment_id)?))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::tests::start;
    use crate::course::CourseTemplate;
    use crate::journal::tests::{at, open_store};

    fn item(plan: &[CareItem], kind: CareItemKind) -> &CareItem {
        plan.iter().find(|i| i.kind == kind).unwrap()
    }

    #[test]
    fn an_iv_infusion_fasts_from_six_hours_and_clear_liquids_to_two() {
        let (_dir, store) = open_store();
        let course = start(&store, CourseTemplate::IvInduction, "2026-11-02T10:00", "Europe/London");
        let first = &store.appointments().unwrap()[0];
        let plan = care_plan(first, Some(&course), &[]);
        assert_eq!(item(&plan, CareItemKind::NoFood).from, Some(at("2026-11-02T04:00:00Z")));
        assert_eq!(item(&plan, CareItemKind::NoLiquids).from, Some(at("2026-11-02T08:00:00Z")));
        assert!(item(&plan, CareItemKind::NoFood).source.contains("amg-ketamine.com"));
        let alcohol = item(&plan, CareItemKind::NoAlcoholOrCannabis);
        assert_eq!((alcohol.from, alcohol.until), (Some(at("2026-11-01T10:00:00Z")), Some(at("2026-11-03T12:00:00Z"))));
        let bath = item(&plan, CareItemKind::NoBathOrSwimmingAlone);
        assert_eq!(bath.until, Some(at("2026-11-03T00:00:00Z")), "the rest of that local day");
        assert_eq!(plan.len(), 6);
    }

    #[test]
    fn esketamine_fasting_is_two_hours_and_thirty_minutes() {
        let (_dir, store) = open_store();
        let course = start(&store, CourseTemplate::Esketamine, "2026-11-02T10:00", "UTC");
        let plan = care_plan(&store.appointments().unwrap()[0], Some(&course), &[]);
        assert_eq!(item(&plan, CareItemKind::NoFood).detail, "Nothing to eat for 2 hours before the session.");
        assert_eq!(item(&plan, CareItemKind::NoLiquids).from, Some(at("2026-11-02T09:30:00Z")));
    }

    #[test]
    fn after_a_session_marked_done_the_windows_run_from_then() {
        let (_dir, store) = open_store();
        let course = start(&store, CourseTemplate::Esketamine, "2026-11-02T10:00", "UTC");
        let first = store.appointments().unwrap().remove(0);
        let done = store.mark_appointment_done(&first.id, Some(at("2026-11-02T13:15:00Z"))).unwrap();
        let plan = care_plan(&done, Some(&course), &[]);
        assert_eq!(item(&plan, CareItemKind::NoAlcoholOrCannabis).until, Some(at("2026-11-03T13:15:00Z")));
    }

    #[test]
    fn only_dosing_sessions_have_a_plan_and_no_fasting_without_a_rule() {
        let (_dir, store) = open_store();
        let course = start(&store, CourseTemplate::Kap, "2026-11-02T10:00", "UTC");
        let sessions = store.appointments().unwrap();
        assert!(care_plan(&sessions[0], Some(&course), &[]).is_empty(), "preparation");
        let dosing = care_plan(&sessions[1], Some(&course), &[]);
        assert_eq!(dosing.len(), 4);
        assert!(dosing.iter().all(|i| !matches!(i.kind, CareItemKind::NoFood | CareItemKind::NoLiquids)));
    }

    #[test]
    fn checklist_items_are_ticked_and_unticked() {
        let (_dir, store) = open_store();
        start(&store, CourseTemplate::Kap, "2026-11-02T10:00", "UTC");
        let sessions = store.appointments().unwrap();
        let plan = store.set_checklist_item(&sessions[1].id, CareItemKind::RideHome, true).unwrap();
        assert!(item(&plan, CareItemKind::RideHome).checked);
        let plan = store.set_checklist_item(&sessions[1].id, CareItemKind::RideHome, false).unwrap();
        assert!(!item(&plan, CareItemKind::RideHome).checked);
        assert!(matches!(
            store.set_checklist_item(&sessions[1].id, CareItemKind::NoFood, true),
            Err(CourseError::NotOnChecklist { .. })
        ));
        assert!(matches!(
            store.set_checklist_item(&sessions[0].id, CareItemKind::RideHome, true),
            Err(CourseError::NotOnChecklist { .. })
        ));
    }

    #[test]
    fn spans_read_naturally() {
        assert_eq!(
            (span(30), span(60), span(90), span(360)),
            ("30 minutes".into(), "1 hour".into(), "1 hour 30 minutes".into(), "6 hours".into())
        );
    }
}
