//! The course screen in one call: what is next, what is coming and what has
//! been, each dosing session with its care plan and checklist.

use std::time::SystemTime;

use serde::Serialize;

use super::care::{care_plan, checked_items, CareItem};
use super::{
    all_appointments, current_course, Appointment, AppointmentKind, AppointmentStatus, Course, CourseError,
    CourseTemplate,
};
use crate::store::Store;
use crate::time::Zone;
use crate::{text, time};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AppointmentView {
    pub appointment: Appointment,
    /// When it starts on the phone's clock, `YYYY-MM-DD HH:MM`.
    pub local_time: String,
    /// Before and after a dose; empty for other sessions.
    pub care: Vec<CareItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CourseOverview {
    pub course: Option<Course>,
    /// The first scheduled session that has not ended yet.
    pub next: Option<AppointmentView>,
    /// Scheduled sessions that have not ended, soonest first (`next` included).
    pub upcoming: Vec<AppointmentView>,
    /// Everything else: done, missed, cancelled, or scheduled and over, newest first.
    pub past: Vec<AppointmentView>,
    pub done: u32,
    /// Set once the course has no dosing session still to come: what comes next.
    pub ending: Option<CourseEnding>,
}

/// What the course screen says when its last dosing session is over. It never
/// reads as "treatment is over": maintenance often goes on, and symptoms can return.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CourseEnding {
    pub message: String,
    pub source: String,
    /// Talk to the clinic before changing or stopping any treatment.
    pub clinic_note: String,
    /// Whether `continue_course` can extend the schedule (esketamine's maintenance).
    pub can_continue: bool,
    /// The safety page about the time after a course.
    pub page_id: String,
}

fn ending(course: &Course, language: &str) -> CourseEnding {
    let esketamine = course.template == CourseTemplate::Esketamine;
    let key = if esketamine { "course.end_esketamine" } else { "course.end_general" };
    CourseEnding {
        message: text::get(language, key).to_string(),
        source: text::get(language, &format!("{key}_source")).to_string(),
        clinic_note: text::get(language, "course.end_clinic_note").to_string(),
        can_continue: esketamine,
        page_id: "after-course".to_string(),
    }
}

impl Store {
    /// The course screen as seen at `now` on a phone in `device_zone`.
    pub fn course_overview(&self, now: SystemTime, device_zone: Zone) -> Result<CourseOverview, CourseError> {
        let tz = device_zone.tz();
        self.read(|conn| {
            let language = crate::safety::stored_language(conn)?;
            let course = current_course(conn)?;
            let view = |appointment: Appointment| -> Result<AppointmentView, CourseError> {
                let own_course = course.as_ref().filter(|c| appointment.course_id.as_deref() == Some(c.id.as_str()));
                let care = care_plan(&appointment, own_course, &checked_items(conn, &appointment.id)?, language);
                let local_time = time::local_minute(appointment.starts_at, tz);
                Ok(AppointmentView { appointment, local_time, care })
            };
            let (mut upcoming, mut past) = (Vec::new(), Vec::new());
            for appointment in all_appointments(conn)? {
                let coming = appointment.status == AppointmentStatus::Scheduled && appointment.ends_at() > now;
                if coming {
                    upcoming.push(view(appointment)?)
                } else {
                    past.push(view(appointment)?)
                }
            }
            past.reverse();
            let done = past.iter().filter(|v| v.appointment.status == AppointmentStatus::Done).count() as u32;
            let of_course = |view: &AppointmentView| {
                course.as_ref().is_some_and(|c| view.appointment.course_id.as_deref() == Some(c.id.as_str()))
            };
            let dosing = |view: &AppointmentView| view.appointment.kind == AppointmentKind::Dosing;
            // Over once no session of the course is still to come, an integration session included.
            let over = !upcoming.iter().any(of_course) && past.iter().any(|v| of_course(v) && dosing(v));
            let ending = course.as_ref().filter(|_| over).map(|course| ending(course, language));
            Ok(CourseOverview { course, next: upcoming.first().cloned(), upcoming, past, done, ending })
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::course::tests::start;
    use crate::course::{AppointmentStatus, CareItemKind, CourseTemplate};
    use crate::test_support::{at, open_store};

    #[test]
    fn the_overview_splits_the_course_at_now_with_care_plans() {
        let (_dir, store) = open_store();
        start(&store, CourseTemplate::IvInduction, "2026-11-23T09:00", "Europe/London");
        let sessions = store.appointments().unwrap();
        store.mark_appointment_done(&sessions[0].id, Some(at("2026-11-23T11:00:00Z"))).unwrap();
        store.set_checklist_item(&sessions[2].id, CareItemKind::RideHome, true).unwrap();
        let overview = store.course_overview(at("2026-11-26T12:00:00Z"), "America/New_York".parse().unwrap()).unwrap();
        assert_eq!(overview.course.unwrap().title, "IV ketamine induction");
        assert_eq!((overview.past.len(), overview.upcoming.len(), overview.done), (2, 4, 1));
        assert_eq!(overview.past[1].appointment.status, AppointmentStatus::Done);
        let next = overview.next.unwrap();
        assert_eq!(
            (next.appointment.local_start.as_str(), next.local_time.as_str()),
            ("2026-11-27T09:00:00", "2026-11-27 04:00")
        );
        assert!(next.care.iter().any(|c| c.kind == CareItemKind::RideHome && c.checked));
        assert_eq!(next.care.len(), 7);
    }

    #[test]
    fn after_week_8_esketamine_offers_to_continue_and_never_says_treatment_is_over() {
        use crate::course::CourseError;
        let (_dir, store) = open_store();
        start(&store, CourseTemplate::Esketamine, "2026-09-01T10:00", "Europe/Paris");
        let during = store.course_overview(at("2026-09-20T12:00:00Z"), "Europe/Paris".parse().unwrap()).unwrap();
        assert_eq!(during.ending, None, "sessions still to come");
        let after = store.course_overview(at("2026-10-25T12:00:00Z"), "Europe/Paris".parse().unwrap()).unwrap();
        let ending = after.ending.expect("the last dosing session is over");
        assert!(ending.can_continue && ending.message.contains("every week or every 2 weeks"), "{ending:?}");
        assert!(ending.source.contains("spravatotreatmentcenter.com"));
        assert!(ending.clinic_note.contains("before changing or stopping any treatment"));
        assert_eq!(ending.page_id, "after-course");
        for over in ["has ended", "is over", "finished"] {
            assert!(!ending.message.contains(over), "{}", ending.message);
        }
        let last = store.appointments().unwrap().pop().unwrap();
        assert_eq!(last.local_start, "2026-10-20T10:00:00");
        let added = store.continue_course_at(at("2026-10-25T12:00:00Z"), 2, 3).unwrap();
        let starts: Vec<&str> = added.iter().map(|a| a.local_start.as_str()).collect();
        assert_eq!(starts, ["2026-11-03T10:00:00", "2026-11-17T10:00:00", "2026-12-01T10:00:00"]);
        assert!(added
            .iter()
            .all(|a| a.title == "Esketamine, maintenance" && a.place == "Clinic" && a.duration_minutes == 120));
        assert_eq!(
            store.course_overview(at("2026-10-25T12:00:00Z"), "Europe/Paris".parse().unwrap()).unwrap().ending,
            None
        );
        let now = at("2026-10-25T12:00:00Z");
        assert!(matches!(store.continue_course_at(now, 3, 2), Err(CourseError::InvalidContinuation { .. })));
        assert!(matches!(store.continue_course_at(now, 1, 0), Err(CourseError::InvalidContinuation { .. })));
    }

    #[test]
    fn a_schedule_picked_up_late_starts_after_now_on_the_same_rhythm() {
        let (_dir, store) = open_store();
        start(&store, CourseTemplate::Esketamine, "2026-09-01T10:00", "Europe/Paris");
        // The last session was on Tuesday 20 October; it is now Thursday 26 November.
        let added = store.continue_course_at(at("2026-11-26T12:00:00Z"), 1, 2).unwrap();
        let starts: Vec<&str> = added.iter().map(|a| a.local_start.as_str()).collect();
        assert_eq!(starts, ["2026-12-01T10:00:00", "2026-12-08T10:00:00"], "Tuesdays, from the next one");
        // At 09:30 UTC on Tuesday 1 December the 10:00 Paris session (09:00 UTC) has begun: the next is a week on.
        let more = store.continue_course_at(at("2026-12-01T09:30:00Z"), 1, 1).unwrap();
        assert_eq!(more[0].local_start, "2026-12-15T10:00:00", "after the last one added");
    }

    #[test]
    fn a_kap_course_is_not_over_while_its_integration_session_is_to_come() {
        let (_dir, store) = open_store();
        start(&store, CourseTemplate::Kap, "2026-11-02T10:00", "UTC");
        let after_dosing = store.course_overview(at("2026-11-09T18:00:00Z"), "UTC".parse().unwrap()).unwrap();
        assert_eq!(after_dosing.ending, None, "integration on 10 November is still to come");
        assert!(store.course_overview(at("2026-11-11T12:00:00Z"), "UTC".parse().unwrap()).unwrap().ending.is_some());
    }

    #[test]
    fn other_courses_end_with_what_comes_next_and_cannot_be_continued_by_schedule() {
        use crate::course::CourseError;
        let (_dir, store) = open_store();
        let now = at("2026-10-01T12:00:00Z");
        assert!(matches!(store.continue_course_at(now, 1, 2), Err(CourseError::NoCourse)));
        start(&store, CourseTemplate::IvInduction, "2026-09-01T10:00", "UTC");
        let ending = store.course_overview(at("2026-10-01T12:00:00Z"), "UTC".parse().unwrap()).unwrap().ending.unwrap();
        assert!(!ending.can_continue && ending.message.contains("contact the clinic early"), "{ending:?}");
        assert!(ending.source.contains("Murrough") && ending.source.contains("18 days"));
        assert!(matches!(store.continue_course_at(now, 1, 2), Err(CourseError::NotContinuable { .. })));
        store.set_language(Some("es")).unwrap();
        let spanish = store.course_overview(at("2026-10-01T12:00:00Z"), "UTC".parse().unwrap()).unwrap();
        assert_eq!(
            spanish.course.unwrap().title,
            "Inducción con ketamina intravenosa",
            "the name follows the language"
        );
        assert!(spanish.ending.unwrap().clinic_note.starts_with("Hable con su clínica"));
    }

    #[test]
    fn an_empty_profile_has_an_empty_overview() {
        let (_dir, store) = open_store();
        let overview = store.course_overview(at("2026-11-26T12:00:00Z"), "UTC".parse().unwrap()).unwrap();
        assert!(overview.course.is_none() && overview.next.is_none() && overview.past.is_empty());
    }
}
