use proptest::prelude::*;

use super::*;
use crate::course::tests::start;
use crate::course::{parse_local, CourseTemplate};
use crate::measures::Instrument;
use crate::test_support::{at, open_store};

fn appointment(id: &str, local: &str, zone: &str, kind: AppointmentKind) -> Appointment {
    let tz = time::parse_zone(zone).unwrap();
    let local = parse_local(local).unwrap();
    Appointment {
        id: id.to_string(),
        course_id: Some("course".into()),
        kind,
        title: format!("Session {id}"),
        local_start: local.format("%Y-%m-%dT%H:%M:%S").to_string(),
        zone: zone.to_string(),
        starts_at: instant_of(local, tz),
        duration_minutes: 120,
        place: "Clinic".into(),
        notes: String::new(),
        status: AppointmentStatus::Scheduled,
        done_at: None,
        calendar_uid: None,
        calendar_sequence: None,
    }
}

fn iv_course(zone: &str) -> Course {
    Course {
        id: "course".into(),
        template: CourseTemplate::IvInduction,
        title: "IV".into(),
        zone: zone.into(),
        no_food_before_minutes: Some(360),
        no_liquids_before_minutes: Some(120),
        fasting_source: "test".into(),
    }
}

fn plan_for(
    appointments: &[Appointment],
    course: Option<&Course>,
    due: &[DueMeasure],
    now: &str,
    device_zone: &str,
    settings: &ReminderSettings,
) -> Vec<PlannedNotification> {
    let device_zone = time::parse_zone(device_zone).unwrap();
    plan(&PlanInput { appointments, course, due, prompts: &[], settings, now: at(now), device_zone, language: "en" })
}

fn of_kind(plan: &[PlannedNotification], kind: NotificationKind) -> Vec<String> {
    plan.iter().filter(|n| n.kind == kind).map(|n| n.local_time.clone()).collect()
}

fn no_quiet() -> ReminderSettings {
    ReminderSettings { quiet_start_minute: 0, quiet_end_minute: 0, ..ReminderSettings::default() }
}

#[test]
fn a_nine_oclock_session_is_reminded_at_nine_the_day_before_and_seven_on_the_day_across_dst() {
    let table = [
        ("America/New_York", "2026-03-08T09:00", "2026-03-07 09:00"),
        ("America/New_York", "2026-11-02T09:00", "2026-11-01 09:00"),
        ("Europe/London", "2026-03-29T09:00", "2026-03-28 09:00"),
        ("Europe/London", "2026-10-26T09:00", "2026-10-25 09:00"),
        ("Australia/Sydney", "2026-04-05T09:00", "2026-04-04 09:00"),
        ("Australia/Sydney", "2026-10-04T09:00", "2026-10-03 09:00"),
    ];
    for (zone, local, day_before) in table {
        let session = appointment("a", local, zone, AppointmentKind::Integration);
        let plan = plan_for(&[session], None, &[], "2026-01-01T00:00:00Z", zone, &no_quiet());
        let on_the_day = format!("{} 07:00", &local[..10]);
        assert_eq!(
            of_kind(&plan, NotificationKind::AppointmentReminder),
            [day_before.to_string(), on_the_day],
            "{zone}"
        );
    }
}

#[test]
fn sessions_before_and_after_a_dst_change_keep_their_local_time() {
    let sessions = [
        appointment("before", "2026-10-23T09:00", "Europe/London", AppointmentKind::Dosing),
        appointment("after", "2026-10-27T09:00", "Europe/London", AppointmentKind::Dosing),
    ];
    let plan = plan_for(&sessions, None, &[], "2026-10-01T00:00:00Z", "Europe/London", &no_quiet());
    let after_session = of_kind(&plan, NotificationKind::PostSessionSafety);
    assert_eq!(after_session, ["2026-10-23 11:00", "2026-10-27 11:00"]);
    assert_eq!(sessions[0].starts_at, at("2026-10-23T08:00:00Z"), "summer time");
    assert_eq!(sessions[1].starts_at, at("2026-10-27T09:00:00Z"), "after the clocks went back on the 25th");
}

#[test]
fn quiet_hours_move_reminders_to_their_end_or_before_them_if_the_session_comes_first() {
    let settings = ReminderSettings::default(); // quiet 22:00-08:00
    let nine = appointment("nine", "2026-11-10T09:00", "UTC", AppointmentKind::Integration);
    let plan = plan_for(&[nine], None, &[], "2026-11-01T00:00:00Z", "UTC", &settings);
    assert_eq!(of_kind(&plan, NotificationKind::AppointmentReminder), ["2026-11-09 09:00", "2026-11-10 08:00"]);

    let early = appointment("early", "2026-11-10T07:30", "UTC", AppointmentKind::Integration);
    let plan = plan_for(&[early], None, &[], "2026-11-01T00:00:00Z", "UTC", &settings);
    assert_eq!(
        of_kind(&plan, NotificationKind::AppointmentReminder),
        ["2026-11-09 08:00", "2026-11-09 21:59"],
        "24 h before (07:30) waits for 08:00; 2 h before (05:30) moves to the evening before"
    );
}

#[test]
fn quiet_hours_hold_on_the_nights_the_clocks_change() {
    // London, 2026-10-25: 01:00-02:00 happens twice. Quiet until 01:30 covers both.
    let settings = ReminderSettings { quiet_start_minute: 22 * 60, quiet_end_minute: 90, ..no_quiet() };
    let session = appointment("a", "2026-10-25T03:15", "Europe/London", AppointmentKind::Integration);
    let plan = plan_for(&[session], None, &[], "2026-10-24T12:00:00Z", "Europe/London", &settings);
    let reminder = plan
        .iter()
        .find(|n| n.kind == NotificationKind::AppointmentReminder && n.local_time.starts_with("2026-10-25"))
        .unwrap();
    assert_eq!(reminder.fire_at, at("2026-10-25T01:30:00Z"), "the second 01:30, after the 2 h reminder at 01:15 GMT");

    // London, 2026-03-29: 01:00-02:00 is skipped. Quiet from 01:30 starts when the clock jumps.
    let settings = ReminderSettings { quiet_start_minute: 90, quiet_end_minute: 8 * 60, ..no_quiet() };
    let early = appointment("b", "2026-03-29T07:00", "Europe/London", AppointmentKind::Integration);
    let plan = plan_for(&[early], None, &[], "2026-03-28T12:00:00Z", "Europe/London", &settings);
    let moved = plan.iter().find(|n| n.local_time.starts_with("2026-03-29")).unwrap();
    assert_eq!(moved.fire_at, at("2026-03-29T00:59:00Z"), "just before the quiet hours began at the jump");

    // Quiet 02:00-01:00 leaves an hour awake, 01:00-02:00, which that night skips: the quiet
    // hours of 28 and 29 March touch, and a reminder inside the second waits for no gap in them.
    let settings = ReminderSettings { quiet_start_minute: 120, quiet_end_minute: 60, ..no_quiet() };
    let morning = appointment("c", "2026-03-29T10:00", "Europe/London", AppointmentKind::Integration);
    let plan = plan_for(&[morning], None, &[], "2026-03-27T12:00:00Z", "Europe/London", &settings);
    assert_eq!(
        of_kind(&plan, NotificationKind::AppointmentReminder),
        ["2026-03-28 01:59"],
        "the day-before and 2 h reminders both move to the last awake minute before the session, once"
    );
}

#[test]
fn fasting_and_after_session_reminders_are_urgent_and_exact_even_in_quiet_hours() {
    let course = iv_course("UTC");
    let session = appointment("iv", "2026-11-10T07:00", "UTC", AppointmentKind::Dosing);
    let plan = plan_for(&[session], Some(&course), &[], "2026-11-01T00:00:00Z", "UTC", &ReminderSettings::default());
    let fasting: Vec<_> = plan.iter().filter(|n| n.kind == NotificationKind::FastingStart).collect();
    assert_eq!(
        fasting.iter().map(|n| n.local_time.as_str()).collect::<Vec<_>>(),
        ["2026-11-10 01:00", "2026-11-10 05:00"]
    );
    assert!(fasting.iter().all(|n| n.exact));
    assert_eq!(fasting[0].title, "Stop eating");

    let mut done = appointment("iv", "2026-11-10T20:00", "UTC", AppointmentKind::Dosing);
    done.status = AppointmentStatus::Done;
    done.done_at = Some(at("2026-11-10T23:10:00Z"));
    let plan = plan_for(&[done], Some(&course), &[], "2026-11-10T23:10:30Z", "UTC", &ReminderSettings::default());
    assert_eq!(plan.len(), 1, "a finished session has only its safety reminder: {plan:?}");
    assert_eq!(
        (plan[0].kind, plan[0].local_time.as_str(), plan[0].exact),
        (NotificationKind::PostSessionSafety, "2026-11-10 23:11", true)
    );
    assert!(plan[0].body.contains("Do not drive"));
}

#[test]
fn nothing_fires_in_the_past_and_cancelled_sessions_have_no_reminders() {
    let soon = appointment("soon", "2026-11-10T12:00", "UTC", AppointmentKind::Integration);
    let mut cancelled = appointment("gone", "2026-11-12T12:00", "UTC", AppointmentKind::Integration);
    cancelled.status = AppointmentStatus::Cancelled;
    let plan = plan_for(&[soon, cancelled], None, &[], "2026-11-10T09:30:00Z", "UTC", &no_quiet());
    assert_eq!(of_kind(&plan, NotificationKind::AppointmentReminder), ["2026-11-10 10:00"]);
}

#[test]
fn a_due_measure_is_reminded_when_quiet_hours_end_on_its_day() {
    let due = DueMeasure {
        instrument: Instrument::Phq9,
        every_days: 7,
        last_taken_at: Some(at("2026-11-20T19:00:00Z")),
        due_at: Some(at("2026-11-27T00:00:00Z")),
        due_now: false,
    };
    let plan =
        plan_for(&[], None, std::slice::from_ref(&due), "2026-11-21T00:00:00Z", "UTC", &ReminderSettings::default());
    assert_eq!(of_kind(&plan, NotificationKind::MeasureDue), ["2026-11-27 08:00"]);
    assert_eq!(plan[0].route, Route::Assessment { instrument: Instrument::Phq9 });
    let off = ReminderSettings { measures: false, ..ReminderSettings::default() };
    assert!(plan_for(&[], None, &[due], "2026-11-21T00:00:00Z", "UTC", &off).is_empty());
}

#[test]
fn a_hundred_sessions_capped_at_64_keep_the_soonest_with_the_same_ids_next_time() {
    let sessions: Vec<Appointment> = (0..100)
        .rev()
        .map(|day| {
            let local =
                (parse_local("2026-12-01T10:00").unwrap() + chrono::Duration::days(day)).format("%Y-%m-%dT%H:%M");
            appointment(&format!("s{day:03}"), &local.to_string(), "Europe/Paris", AppointmentKind::Integration)
        })
        .collect();
    let settings = ReminderSettings { max_pending: 64, ..ReminderSettings::default() };
    let first = plan_for(&sessions, None, &[], "2026-11-27T12:00:00Z", "Europe/Paris", &settings);
    assert_eq!(first.len(), 64);
    assert!(first.windows(2).all(|pair| pair[0].fire_at <= pair[1].fire_at));
    let uncapped = plan_for(
        &sessions,
        None,
        &[],
        "2026-11-27T12:00:00Z",
        "Europe/Paris",
        &ReminderSettings { max_pending: 1000, ..settings.clone() },
    );
    assert_eq!(first[..63], uncapped[..63], "the 64 soonest");
    let (last, cut) = (&first[63], &uncapped[63]);
    assert_eq!((last.fire_at, last.kind, &last.route), (cut.fire_at, cut.kind, &cut.route));
    assert_eq!(
        last.body,
        format!("{} Open Waymark to set up your next reminders.", cut.body),
        "the last asks to open the app"
    );
    assert_ne!(last.id, cut.id, "so the phone replaces it when the plan is no longer cut");
    assert!(first[..63].iter().all(|n| !n.body.contains("Open Waymark")));
    let again = plan_for(&sessions, None, &[], "2026-11-27T12:00:00Z", "Europe/Paris", &settings);
    assert_eq!(first, again);
}

#[test]
fn travel_moves_display_times_but_not_the_clinic_time() {
    let session = appointment("a", "2026-11-10T15:00", "Europe/Paris", AppointmentKind::Integration);
    let home = plan_for(std::slice::from_ref(&session), None, &[], "2026-11-01T00:00:00Z", "Europe/Paris", &no_quiet());
    let away = plan_for(&[session], None, &[], "2026-11-01T00:00:00Z", "America/New_York", &no_quiet());
    assert_eq!(home.iter().map(|n| n.fire_at).collect::<Vec<_>>(), away.iter().map(|n| n.fire_at).collect::<Vec<_>>());
    assert_eq!(of_kind(&home, NotificationKind::AppointmentReminder), ["2026-11-09 15:00", "2026-11-10 13:00"]);
    assert_eq!(of_kind(&away, NotificationKind::AppointmentReminder), ["2026-11-09 09:00", "2026-11-10 07:00"]);
    assert!(away[0].body.starts_with("2026-11-10 09:00"), "{}", away[0].body);
}

#[test]
fn reconcile_adds_what_is_missing_and_cancels_what_is_stale() {
    let session = appointment("a", "2026-11-10T15:00", "UTC", AppointmentKind::Integration);
    let plan = plan_for(&[session], None, &[], "2026-11-01T00:00:00Z", "UTC", &no_quiet());
    let pending = vec![plan[0].id.clone(), "appointment:old:1:0".to_string()];
    let diff = reconcile(&plan, &pending);
    assert_eq!(diff.add, plan[1..]);
    assert_eq!(diff.cancel, ["appointment:old:1:0"]);
    let ids: Vec<String> = plan.iter().map(|n| n.id.clone()).collect();
    assert_eq!(reconcile(&plan, &ids), Reconciliation { add: vec![], cancel: vec![], pending: ids.clone() });
    assert_eq!(diff.pending, ids, "what the phone holds once the diff is applied");
}

#[test]
fn a_moved_session_gets_new_ids_so_the_phone_replaces_its_reminders() {
    let before = appointment("a", "2026-11-10T15:00", "UTC", AppointmentKind::Integration);
    let after = appointment("a", "2026-11-11T15:00", "UTC", AppointmentKind::Integration);
    let old = plan_for(&[before], None, &[], "2026-11-01T00:00:00Z", "UTC", &no_quiet());
    let new = plan_for(&[after], None, &[], "2026-11-01T00:00:00Z", "UTC", &no_quiet());
    let diff = reconcile(&new, &old.iter().map(|n| n.id.clone()).collect::<Vec<_>>());
    assert_eq!((diff.add.len(), diff.cancel.len()), (2, 2));
}

#[test]
fn settings_are_checked_and_kept() {
    let store_dir = tempfile::tempdir().unwrap();
    let store = Store::open(store_dir.path().join("w.db"), &crate::test_support::KEY).unwrap();
    assert_eq!(store.reminder_settings().unwrap(), ReminderSettings::default());
    let mine = ReminderSettings {
        appointment_offsets_minutes: vec![60],
        quiet_start_minute: 23 * 60,
        ..ReminderSettings::default()
    };
    store.set_reminder_settings(&mine).unwrap();
    assert_eq!(store.reminder_settings().unwrap(), mine);
    for bad in [
        ReminderSettings { quiet_end_minute: 1440, ..mine.clone() },
        ReminderSettings { max_pending: 0, ..mine.clone() },
        ReminderSettings { appointment_offsets_minutes: vec![0], ..mine.clone() },
        ReminderSettings { appointment_offsets_minutes: vec![60; 6], ..mine.clone() },
    ] {
        assert!(store.set_reminder_settings(&bad).is_err(), "{bad:?}");
    }
    assert_eq!(store.reminder_settings().unwrap(), mine);
    assert!(matches!(
        store.plan_notifications(at("2026-11-27T00:00:00Z"), "UTC".parse().unwrap(), Some(0)),
        Err(ReminderError::InvalidMaxPending { .. })
    ));
}

const ZONES: [&str; 4] = ["America/New_York", "Europe/London", "Australia/Sydney", "America/Santiago"];

prop_compose! {
    fn any_appointment(index: usize)(
        day in 0i64..120,
        minute in 0u32..96,
        zone in 0usize..4,
        dosing in any::<bool>(),
        done in 0u8..4,
    ) -> Appointment {
        let local = parse_local("2026-02-01T00:00").unwrap() + chrono::Duration::days(day) + chrono::Duration::minutes(i64::from(minute) * 15);
        let kind = if dosing { AppointmentKind::Dosing } else { AppointmentKind::Integration };
        let mut session = appointment(&format!("s{index}"), &local.format("%Y-%m-%dT%H:%M").to_string(), ZONES[zone], kind);
        if done == 0 {
            session.status = AppointmentStatus::Done;
            session.done_at = Some(session.ends_at());
        }
        session
    }
}

fn any_appointments() -> impl Strategy<Value = Vec<Appointment>> {
    (0usize..25).prop_flat_map(|count| (0..count).map(any_appointment).collect::<Vec<_>>())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_plan_is_sorted_future_capped_unique_and_quiet(
        appointments in any_appointments(),
        now_minutes in 0i64..(130 * 24 * 60),
        device in 0usize..4,
        quiet_start in 0u32..48,
        quiet_end in 0u32..48,
        max_pending in 1u32..80,
        offsets in proptest::sample::subsequence(vec![30u32, 120, 1440, 2880], 0..=4),
    ) {
        let course = iv_course("UTC");
        let settings = ReminderSettings {
            appointment_offsets_minutes: offsets,
            quiet_start_minute: quiet_start * 30,
            quiet_end_minute: quiet_end * 30,
            max_pending,
            measures: true,
        };
        let now = at("2026-01-25T00:00:00Z") + Duration::from_secs(now_minutes as u64 * 60);
        let zone = time::parse_zone(ZONES[device]).unwrap();
        let input = PlanInput { appointments: &appointments, course: Some(&course), due: &[], prompts: &[], settings: &settings, now, language: "en", device_zone: zone };
        let planned = plan(&input);
        prop_assert!(planned.len() <= max_pending as usize);
        prop_assert!(planned.windows(2).all(|pair| pair[0].fire_at <= pair[1].fire_at));
        prop_assert!(planned.iter().all(|n| n.fire_at > now));
        let ids: HashSet<&str> = planned.iter().map(|n| n.id.as_str()).collect();
        prop_assert_eq!(ids.len(), planned.len());
        for notification in planned.iter().filter(|n| !n.kind.is_urgent()) {
            prop_assert!(
                quiet_period_around(notification.fire_at, &settings, zone).is_none(),
                "{} at {} is in quiet hours", notification.id, notification.local_time
            );
        }
        prop_assert_eq!(plan(&input), planned, "the same input gives the same plan");
    }
}

#[test]
fn integration_prompts_join_the_plan_and_wait_for_quiet_hours_to_end() {
    let prompt = DuePrompt {
        id: "s/day_1".into(),
        prompt_id: "day-1-1".into(),
        phase: crate::prompts::PromptPhase::Day1,
        text: "What stands out this morning?".into(),
        session_id: Some("s".into()),
        due_at: at("2026-11-10T07:00:00Z"),
        grounding: false,
        heading: "A moment to reflect".into(),
    };
    let device_zone = time::parse_zone("UTC").unwrap();
    let settings = ReminderSettings::default();
    let input = PlanInput {
        appointments: &[],
        course: None,
        due: &[],
        prompts: std::slice::from_ref(&prompt),
        settings: &settings,
        now: at("2026-11-09T12:00:00Z"),
        device_zone,
        language: "en",
    };
    let planned = plan(&input);
    assert_eq!(planned.len(), 1);
    assert_eq!(
        (planned[0].kind, planned[0].local_time.as_str(), planned[0].exact),
        (NotificationKind::IntegrationPrompt, "2026-11-10 08:00", false)
    );
    assert_eq!(planned[0].route, Route::Prompt { id: "s/day_1".into() });
    assert_eq!(planned[0].title, "A moment to reflect");
    let from_clinic =
        DuePrompt { id: "assigned/p".into(), phase: crate::prompts::PromptPhase::Assigned, ..prompt.clone() };
    let planned = plan(&PlanInput { prompts: std::slice::from_ref(&from_clinic), ..input });
    assert_eq!(planned[0].title, "From your clinic", "never posed as a moment to reflect");
}

#[test]
fn every_notification_speaks_the_patients_language() {
    let (_dir, store) = open_store();
    store.set_language(Some("es")).unwrap();
    let course = start(&store, CourseTemplate::Esketamine, "2026-11-02T10:00", "Europe/Madrid");
    store.set_fasting(&course.id, Some(120), Some(30)).unwrap();
    let planned =
        store.plan_notifications(at("2026-10-30T12:00:00Z"), "Europe/Madrid".parse().unwrap(), Some(1000)).unwrap();
    let titles: HashSet<&str> = planned.iter().map(|n| n.title.as_str()).collect();
    for title in ["Deje de comer", "Deje de beber", "No conduzca hasta mañana", "Esketamina, semana 1"] {
        assert!(titles.contains(title), "{title}: {titles:?}");
    }
    let reminder = planned.iter().find(|n| n.kind == NotificationKind::AppointmentReminder).unwrap();
    assert!(reminder.body.ends_with("¿Tiene organizado quién le lleve a casa?"), "{}", reminder.body);
    let fasting = planned.iter().find(|n| n.kind == NotificationKind::FastingStart).unwrap();
    assert!(fasting.body.contains("Su sesión: 2026-11-02 10:00."), "{}", fasting.body);
    let after = planned.iter().find(|n| n.kind == NotificationKind::PostSessionSafety).unwrap();
    assert!(after.body.contains("ni baño ni natación hasta mañana"), "{}", after.body);
    let measure = planned.iter().find(|n| n.kind == NotificationKind::MeasureDue);
    assert!(measure.is_none_or(|n| n.title.starts_with("Le toca su")));
}

#[test]
fn the_lock_screen_sees_nothing_clinical_and_only_safety_is_urgent() {
    let session = appointment("a", "2026-11-10T09:00", "Europe/Paris", AppointmentKind::Dosing);
    let course = iv_course("Europe/Paris");
    let plan = plan_for(&[session], Some(&course), &[], "2026-11-01T00:00:00Z", "Europe/Paris", &no_quiet());
    let kinds: HashSet<NotificationKind> = plan.iter().map(|n| n.kind).collect();
    assert!(kinds.contains(&NotificationKind::FastingStart) && kinds.contains(&NotificationKind::AppointmentReminder));
    for notification in &plan {
        assert_eq!(
            (notification.public_title.as_str(), notification.public_body.as_str()),
            ("Waymark", "You have a reminder. Unlock your phone to read it.")
        );
        let safety = matches!(notification.kind, NotificationKind::FastingStart | NotificationKind::PostSessionSafety);
        assert_eq!(notification.urgent, safety, "{}", notification.id);
        assert_eq!(notification.route, Route::Appointment { id: "a".into() });
    }
}

#[test]
fn without_a_list_from_the_phone_reconcile_uses_what_the_shell_last_recorded() {
    let (_dir, store) = open_store();
    start(&store, CourseTemplate::IvInduction, "2026-11-23T09:00", "Europe/London");
    let now = at("2026-11-20T12:00:00Z");
    let first = store.reconcile_notifications(now, "Europe/London".parse().unwrap(), None).unwrap();
    assert!(first.cancel.is_empty() && !first.add.is_empty(), "nothing recorded yet: add the whole plan");
    store.notifications_applied(&first.pending).unwrap();
    let again = store.reconcile_notifications(now, "Europe/London".parse().unwrap(), None).unwrap();
    assert!(again.add.is_empty() && again.cancel.is_empty(), "{again:?}");
    let listed = store.reconcile_notifications(now, "Europe/London".parse().unwrap(), Some(&[])).unwrap();
    assert_eq!(listed.add.len(), first.add.len(), "a list from the phone wins: after a reboot it is empty");
    let too_many: Vec<String> = (0..1001).map(|n| n.to_string()).collect();
    assert!(matches!(store.notifications_applied(&too_many), Err(ReminderError::TooManyApplied { count: 1001, .. })));
    assert!(
        store.reconcile_notifications(now, "Europe/London".parse().unwrap(), None).unwrap().add.is_empty(),
        "kept as it was"
    );
}
