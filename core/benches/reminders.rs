//! The reminder plan's budget (design.md §8: 100 appointments ≤ 2 ms), both as
//! the pure function and through the store (reading the course, the sessions
//! and what is due). Run with `cargo bench -p waymark-core --bench reminders`.

use std::time::{Duration, SystemTime};

use criterion::{criterion_group, criterion_main, Criterion};
use waymark_core::reminders::{plan, PlanInput};
use waymark_core::{AppointmentDraft, AppointmentKind, CourseDraft, CourseTemplate, ReminderSettings, Store};

const ZONE: &str = "America/New_York";

fn store_with_100_sessions(dir: &std::path::Path) -> Store {
    let store = Store::open(dir.join("waymark.db"), &[0x42; 32]).unwrap();
    let course = CourseDraft {
        template: CourseTemplate::IvInduction,
        first_session: "2027-01-04T09:00".into(),
        zone: ZONE.parse().unwrap(),
        place: "Clinic".into(),
    };
    store.start_course(&course).unwrap();
    for day in 0..94u32 {
        let kind = if day % 3 == 0 { AppointmentKind::Integration } else { AppointmentKind::Dosing };
        let date = chrono::NaiveDate::from_ymd_opt(2027, 1, 20).unwrap() + chrono::Days::new(u64::from(day));
        let draft = AppointmentDraft {
            kind,
            title: format!("Session {day}"),
            local_start: format!("{date}T{:02}:30", 7 + day % 10),
            zone: ZONE.parse().unwrap(),
            duration_minutes: 120,
            place: "Clinic".into(),
            notes: String::new(),
        };
        store.add_appointment(&draft).unwrap();
    }
    assert_eq!(store.appointments().unwrap().len(), 100);
    store
}

fn reminder_plan(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_100_sessions(dir.path());
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_000_000); // 2026-11-30
    let mut group = c.benchmark_group("reminder_plan_100_appointments");
    group.bench_function("through_the_store", |b| {
        b.iter(|| store.plan_notifications(now, ZONE.parse().unwrap(), Some(64)).unwrap())
    });

    let appointments = store.appointments().unwrap();
    let course = store.course().unwrap();
    let settings = ReminderSettings { max_pending: 64, ..ReminderSettings::default() };
    let input = PlanInput {
        appointments: &appointments,
        course: course.as_ref(),
        due: &[],
        prompts: &[],
        settings: &settings,
        now,
        device_zone: waymark_core::time::parse_zone(ZONE).unwrap(),
        language: "en",
    };
    assert_eq!(plan(&input).len(), 64);
    group.bench_function("pure_function", |b| b.iter(|| plan(&input)));
    group.finish();
}

criterion_group!(benches, reminder_plan);
criterion_main!(benches);
