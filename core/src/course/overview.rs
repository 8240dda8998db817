//! The course screen in one call: what is next, what is coming and what has
//! been, each dosing session with its care plan and checklist.

use std::time::SystemTime;

use serde::Serialize;

use super::care::{care_plan, checked_items, CareItem};
use super::{all_appointments, current_course, Appointment, AppointmentStatus, Course, CourseError};
use crate::store::Store;
use crate::time;

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
}

impl Store {
    /// The course screen as seen at `now` on a phone in `device_zone`.
    pub fn course_overview(&self, now: SystemTime, device_zone: &str) -> Result<CourseOverview, CourseError> {
        let tz = super::zone(device_zone)?;
        self.read(|conn| {
            let course = current_course(conn)?;
            let view = |appointment: Appointment| -> Result<AppointmentView, CourseError> {
                let own_course = course.as_ref().filter(|c| appointment.course_id.as_deref() == Some(c.id.as_str()));
                let care = care_plan(&appointment, own_course, &checked_items(conn, &appointment.id)?);
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
            Ok(CourseOverview { course, next: upcoming.first().cloned(), upcoming, past, done })
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::course::tests::start;
    use crate::course::{AppointmentStatus, CareItemKind, CourseTemplate};
    use crate::journal::tests::{at, open_store};

    #[test]
    fn the_overview_splits_the_course_at_now_with_care_plans() {
        let (_dir, store) = open_store();
        start(&store, CourseTemplate::IvInduction, "2026-11-23T09:00", "Europe/London");
        let sessions = store.appointments().unwrap();
        store.mark_appointment_done(&sessions[0].id, Some(at("2026-11-23T11:00:00Z"))).unwrap();
        store.set_checklist_item(&sessions[2].id, CareItemKind::RideHome, true).unwrap();
        let overview = store.course_overview(at("2026-11-26T12:00:00Z"), "America/New_York").unwrap();
        assert_eq!(overview.course.unwrap().title, "IV ketamine induction");
        assert_eq!((overview.past.len(), overview.upcoming.len(), overview.done), (2, 4, 1));
        assert_eq!(overview.past[1].appointment.status, AppointmentStatus::Done);
        let next = overview.next.unwrap();
        assert_eq!(
            (next.appointment.local_start.as_str(), next.local_time.as_str()),
            ("2026-11-27T09:00:00", "2026-11-27 04:00")
        );
        assert!(next.care.iter().any(|c| c.kind == CareItemKind::RideHome && c.checked));
        assert_eq!(next.care.len(), 6);
    }

    #[test]
    fn an_empty_profile_has_an_empty_overview() {
        let (_dir, store) = open_store();
        let overview = store.course_overview(at("2026-11-26T12:00:00Z"), "UTC").unwrap();
        assert!(overview.course.is_none() && overview.next.is_none() && overview.past.is_empty());
        assert!(store.course_overview(at("2026-11-26T12:00:00Z"), "Nowhere/Land").is_err());
    }
}
