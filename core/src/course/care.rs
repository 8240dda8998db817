//! What to do before and after a dosing session, with its times worked out,
//! and the patient's checklist of it, in the patient's language.
//!
//! The words and their sources are in `content/text/<locale>.toml` (`care.*`):
//! fasting from the course's times (its template's cited defaults or the
//! clinic's); usual medicines that morning as the clinic says; a ride home and
//! no driving until the next day after a restful sleep (SPRAVATO label); no
//! alcohol or cannabis from 24 hours before to 24 hours after (clinic rules,
//! which differ); no bath or swimming until the next day after a restful
//! sleep (keep out of water; the window is the driving rule's, the stricter
//! one); and a blood-pressure check around the dose (SPRAVATO label).

use std::time::{Duration, SystemTime};

use rusqlite::params;
use serde::Serialize;

use super::{find_appointment, Appointment, AppointmentKind, Course, CourseError};
use crate::store::Store;
use crate::text;
use crate::time::{self, rfc3339};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CareItemKind {
    NoFood,
    NoLiquids,
    RideHome,
    NoAlcoholOrCannabis,
    NoDriving,
    NoBathOrSwimming,
    BloodPressure,
}

// The stored name is also the item's key in the text catalogs.
crate::names::stored_names!(CareItemKind {
    NoFood => "no_food",
    NoLiquids => "no_liquids",
    RideHome => "ride_home",
    NoAlcoholOrCannabis => "no_alcohol_or_cannabis",
    NoDriving => "no_driving",
    NoBathOrSwimming => "no_bath_or_swimming",
    BloodPressure => "blood_pressure",
});

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

/// The care plan of a dosing session in `language`; other sessions have none.
/// Times after the session count from when it was marked done, else from its planned end.
pub fn care_plan(
    appointment: &Appointment,
    course: Option<&Course>,
    checked: &[CareItemKind],
    language: &str,
) -> Vec<CareItem> {
    if appointment.kind != AppointmentKind::Dosing {
        return Vec::new();
    }
    let start = appointment.starts_at;
    let end = appointment.done_at.unwrap_or_else(|| appointment.ends_at());
    let say = |kind: CareItemKind, part: &str| text::get(language, &format!("care.{}.{part}", kind.as_str()));
    let mut items = Vec::new();
    let mut add = |kind, detail: String, from, until, source: String| {
        let checked = checked.contains(&kind);
        items.push(CareItem { kind, title: say(kind, "title").into(), detail, from, until, source, checked });
    };
    let fasting_source =
        course.map_or_else(|| text::get(language, "course.fasting_clinic").to_string(), |c| c.fasting_source.clone());
    let fasting = [
        (CareItemKind::NoFood, course.and_then(|c| c.no_food_before_minutes)),
        (CareItemKind::NoLiquids, course.and_then(|c| c.no_liquids_before_minutes)),
    ];
    for (kind, before) in fasting {
        let Some(before) = before else { continue };
        let stop =
            text::fill(language, &format!("care.{}.detail", kind.as_str()), &[("span", &span(before, language))]);
        let detail = format!("{stop} {}", text::get(language, "care.medicines_morning"));
        let source = format!("{fasting_source}. {}", text::get(language, "care.medicines_morning_source"));
        add(kind, detail, Some(start - time::minutes(before)), Some(start), source);
    }
    // Driving and water end the next day after a restful sleep: no instant ends them, so `until` is open.
    let windows = [
        (CareItemKind::RideHome, None, Some(start)),
        (CareItemKind::BloodPressure, Some(start), Some(end)),
        (CareItemKind::NoAlcoholOrCannabis, Some(start - DAY), Some(end + DAY)),
        (CareItemKind::NoDriving, Some(start), None),
        (CareItemKind::NoBathOrSwimming, Some(start), None),
    ];
    for (kind, from, until) in windows {
        add(kind, say(kind, "detail").to_string(), from, until, say(kind, "source").to_string());
    }
    items
}

/// "2 hours", "30 minutes", "1 hour 30 minutes", in `language`.
fn span(minutes: u32, language: &str) -> String {
    let unit = |n: u32, one: &str, many: &str| match n {
        1 => text::get(language, one).to_string(),
        n => text::fill(language, many, &[("n", &n.to_string())]),
    };
    let hours = || unit(minutes / 60, "span.hour", "span.hours");
    let mins = || unit(minutes % 60, "span.minute", "span.minutes");
    match (minutes / 60, minutes % 60) {
        (0, _) => mins(),
        (_, 0) => hours(),
        _ => text::fill(language, "span.joined", &[("hours", &hours()), ("minutes", &mins())]),
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
            let language = crate::safety::stored_language(tx)?;
            let course = super::current_course(tx)?.filter(|c| appointment.course_id.as_deref() == Some(c.id.as_str()));
            if !care_plan(&appointment, course.as_ref(), &[], language).iter().any(|i| i.kind == item) {
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
            Ok(care_plan(&appointment, course.as_ref(), &checked_items(tx, appointment_id)?, language))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::tests::start;
    use crate::course::CourseTemplate;
    use crate::test_support::{at, open_store};

    fn item(plan: &[CareItem], kind: CareItemKind) -> &CareItem {
        plan.iter().find(|i| i.kind == kind).unwrap()
    }

    #[test]
    fn an_iv_infusion_fasts_from_six_hours_and_clear_liquids_to_two() {
        let (_dir, store) = open_store();
        let course = start(&store, CourseTemplate::IvInduction, "2026-11-02T10:00", "Europe/London");
        let first = &store.appointments().unwrap()[0];
        let plan = care_plan(first, Some(&course), &[], "en");
        assert_eq!(item(&plan, CareItemKind::NoFood).from, Some(at("2026-11-02T04:00:00Z")));
        assert_eq!(item(&plan, CareItemKind::NoLiquids).from, Some(at("2026-11-02T08:00:00Z")));
        assert!(item(&plan, CareItemKind::NoFood).source.contains("amg-ketamine.com"));
        let alcohol = item(&plan, CareItemKind::NoAlcoholOrCannabis);
        assert_eq!((alcohol.from, alcohol.until), (Some(at("2026-11-01T10:00:00Z")), Some(at("2026-11-03T12:00:00Z"))));
        assert!(alcohol.source.contains("ketwellalaska.com") && alcohol.source.contains("nervanamedical.com"));
        assert_eq!(plan.len(), 7);
    }

    #[test]
    fn water_is_off_limits_until_the_next_day_after_sleep_like_driving() {
        let (_dir, store) = open_store();
        let course = start(&store, CourseTemplate::IvInduction, "2026-11-02T10:00", "Europe/London");
        let plan = care_plan(&store.appointments().unwrap()[0], Some(&course), &[], "en");
        let (bath, driving) = (item(&plan, CareItemKind::NoBathOrSwimming), item(&plan, CareItemKind::NoDriving));
        assert_eq!((bath.from, bath.until), (driving.from, driving.until), "the stricter rule, ended as driving is");
        assert_eq!(bath.until, None, "until the next day after a restful sleep: no clock time ends it");
        assert!(bath.detail.contains("until the next day, after a restful sleep") && !bath.detail.contains("alone"));
        assert!(bath.source.contains("me.lacounty.gov") && bath.source.contains("15 December 2023"));
    }

    #[test]
    fn every_dose_has_a_blood_pressure_check_and_fasting_mentions_usual_medicines() {
        let (_dir, store) = open_store();
        let course = start(&store, CourseTemplate::Esketamine, "2026-11-02T10:00", "UTC");
        let plan = care_plan(&store.appointments().unwrap()[0], Some(&course), &[], "en");
        let pressure = item(&plan, CareItemKind::BloodPressure);
        assert!(pressure.detail.contains("40 minutes") && pressure.detail.contains("a few hours"));
        assert!(pressure.source.contains("spravatohcp.com"));
        for kind in [CareItemKind::NoFood, CareItemKind::NoLiquids] {
            let fasting = item(&plan, kind);
            assert!(fasting.detail.ends_with(
                "Ask your clinic whether to take your usual medicines that morning; do not skip them unless told."
            ));
            assert!(fasting.source.contains("ketwell.com"));
        }
    }

    #[test]
    fn the_checklist_speaks_spanish() {
        let (_dir, store) = open_store();
        store.set_language(Some("es")).unwrap();
        let course = start(&store, CourseTemplate::IvInduction, "2026-11-02T10:00", "UTC");
        assert_eq!(course.title, "Inducción con ketamina intravenosa");
        let sessions = store.appointments().unwrap();
        assert_eq!(sessions[1].title, "Infusión de ketamina 2 de 6");
        let plan = care_plan(&sessions[0], Some(&course), &[], "es");
        assert_eq!(item(&plan, CareItemKind::NoFood).title, "Deje de comer");
        assert!(item(&plan, CareItemKind::NoFood).detail.starts_with("No coma nada desde 6 horas antes de la sesión."));
        assert!(item(&plan, CareItemKind::NoBathOrSwimming).detail.contains("sueño reparador"));
        assert_eq!(
            (span(90, "es"), span(30, "es"), span(60, "es")),
            ("1 hora y 30 minutos".into(), "30 minutos".into(), "1 hora".into())
        );
    }

    #[test]
    fn esketamine_fasting_is_two_hours_and_thirty_minutes() {
        let (_dir, store) = open_store();
        let course = start(&store, CourseTemplate::Esketamine, "2026-11-02T10:00", "UTC");
        let plan = care_plan(&store.appointments().unwrap()[0], Some(&course), &[], "en");
        assert!(item(&plan, CareItemKind::NoFood).detail.starts_with("Nothing to eat for 2 hours before the session."));
        assert_eq!(item(&plan, CareItemKind::NoLiquids).from, Some(at("2026-11-02T09:30:00Z")));
    }

    #[test]
    fn after_a_session_marked_done_the_windows_run_from_then() {
        let (_dir, store) = open_store();
        let course = start(&store, CourseTemplate::Esketamine, "2026-11-02T10:00", "UTC");
        let first = store.appointments().unwrap().remove(0);
        let done = store.mark_appointment_done(&first.id, Some(at("2026-11-02T13:15:00Z"))).unwrap();
        let plan = care_plan(&done, Some(&course), &[], "en");
        assert_eq!(item(&plan, CareItemKind::NoAlcoholOrCannabis).until, Some(at("2026-11-03T13:15:00Z")));
    }

    #[test]
    fn only_dosing_sessions_have_a_plan_and_no_fasting_without_a_rule() {
        let (_dir, store) = open_store();
        let course = start(&store, CourseTemplate::Kap, "2026-11-02T10:00", "UTC");
        let sessions = store.appointments().unwrap();
        assert!(care_plan(&sessions[0], Some(&course), &[], "en").is_empty(), "preparation");
        let dosing = care_plan(&sessions[1], Some(&course), &[], "en");
        assert_eq!(dosing.len(), 5);
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
            (span(30, "en"), span(60, "en"), span(90, "en"), span(360, "en")),
            ("30 minutes".into(), "1 hour".into(), "1 hour 30 minutes".into(), "6 hours".into())
        );
    }
}
