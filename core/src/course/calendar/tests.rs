use super::*;
use crate::course::{Appointment, AppointmentKind, AppointmentStatus};
use crate::test_support::{at, open_store};

const GOOGLE: &str = include_str!("../../../tests/fixtures/calendar/google.ics");
const APPLE: &str = include_str!("../../../tests/fixtures/calendar/apple.ics");
const OUTLOOK: &str = include_str!("../../../tests/fixtures/calendar/outlook.ics");
const UPDATE: &str = include_str!("../../../tests/fixtures/calendar/update.ics");

fn now() -> SystemTime {
    at("2026-11-27T12:00:00Z")
}

fn by_title<'a>(appointments: &'a [Appointment], title: &str) -> Vec<&'a Appointment> {
    appointments.iter().filter(|a| a.title == title).collect()
}

#[test]
fn a_google_file_with_a_recurring_event_and_an_exception_imports() {
    let (_dir, store) = open_store();
    let report = store.import_calendar(GOOGLE, "UTC".parse().unwrap(), now()).unwrap();
    assert_eq!(report, ImportReport { added: 4, ..Default::default() });
    let all = store.appointments().unwrap();
    let dose = by_title(&all, "Esketamine treatment")[0];
    assert_eq!(
        (dose.kind, dose.zone.as_str(), dose.local_start.as_str()),
        (AppointmentKind::Dosing, "America/New_York", "2026-12-01T09:00:00")
    );
    assert_eq!((dose.starts_at, dose.duration_minutes), (at("2026-12-01T14:00:00Z"), 120));
    assert_eq!(dose.place, "Riverside Clinic, 12 Main St, Suite 4");
    assert!(
        dose.notes.starts_with("Esketamine session.\nNo food for 2 hours before, no drinks for 30 minutes"),
        "{}",
        dose.notes
    );
    let integration: Vec<&str> =
        by_title(&all, "Integration session with Dr. Ames").iter().map(|a| a.local_start.as_str()).collect();
    assert_eq!(
        integration,
        ["2026-12-08T14:00:00", "2026-12-15T14:00:00", "2026-12-29T14:00:00"],
        "the EXDATE is skipped"
    );
    assert!(by_title(&all, "Integration session with Dr. Ames").iter().all(|a| a.kind == AppointmentKind::Integration));
}

#[test]
fn an_apple_file_with_utc_and_duration_times_imports_in_the_course_zone() {
    let (_dir, store) = open_store();
    crate::course::tests::start(&store, crate::course::CourseTemplate::Custom, "2026-10-01T09:00", "Europe/London");
    store.import_calendar(APPLE, "UTC".parse().unwrap(), now()).unwrap();
    let all = store.appointments().unwrap();
    let first = by_title(&all, "Ketamine infusion 1 of 6")[0];
    let second = by_title(&all, "Ketamine infusion 2 of 6")[0];
    assert_eq!(
        (first.starts_at, second.starts_at),
        (at("2026-10-23T07:30:00Z"), at("2026-10-27T08:30:00Z")),
        "across the end of BST"
    );
    let check = by_title(&all, "Blood pressure check")[0];
    assert_eq!((check.kind, check.duration_minutes), (AppointmentKind::MedicalCheck, 45));
    assert_eq!((check.zone.as_str(), check.local_start.as_str()), ("Europe/London", "2026-10-29T17:00:00"));
    assert!(all.iter().all(|a| a.course_id.is_some()), "imported sessions join the current course");
}

#[test]
fn an_outlook_file_with_windows_zone_names_and_crlf_imports() {
    let (_dir, store) = open_store();
    store.import_calendar(OUTLOOK, "UTC".parse().unwrap(), now()).unwrap();
    let all = store.appointments().unwrap();
    assert_eq!(all.len(), 1);
    let prep = &all[0];
    assert_eq!((prep.kind, prep.zone.as_str()), (AppointmentKind::Preparation, "America/New_York"));
    assert_eq!(prep.starts_at, at("2026-12-03T15:00:00Z"));
    assert_eq!(prep.place, "Room 2, Northside Therapy");
    assert!(prep.notes.contains("talk about intentions"), "{}", prep.notes);
}

#[test]
fn a_higher_sequence_updates_and_a_cancelled_occurrence_is_cancelled() {
    let (_dir, store) = open_store();
    store.import_calendar(GOOGLE, "UTC".parse().unwrap(), now()).unwrap();
    let report = store.import_calendar(UPDATE, "UTC".parse().unwrap(), now()).unwrap();
    assert_eq!(report, ImportReport { updated: 1, cancelled: 1, ..Default::default() });
    let all = store.appointments().unwrap();
    let dose = by_title(&all, "Esketamine treatment")[0];
    assert_eq!((dose.local_start.as_str(), dose.calendar_sequence), ("2026-12-02T10:00:00", Some(1)));
    assert_eq!(dose.calendar_uid.as_deref(), Some("7kukuqrfedlm2f9t2bpe6l0kq4@google.com"));
    let cancelled: Vec<_> =
        all.iter().filter(|a| a.status == AppointmentStatus::Cancelled).map(|a| a.local_start.as_str()).collect();
    assert_eq!(cancelled, ["2026-12-15T14:00:00"]);
    assert_eq!(
        store.import_calendar(GOOGLE, "UTC".parse().unwrap(), now()).unwrap(),
        ImportReport { unchanged: 4, ..Default::default() },
        "an older SEQUENCE changes nothing"
    );
    assert_eq!(
        store.import_calendar(UPDATE, "UTC".parse().unwrap(), now()).unwrap(),
        ImportReport { unchanged: 2, ..Default::default() },
        "importing twice is idempotent"
    );
}

#[test]
fn malformed_files_import_nothing_and_name_the_line() {
    let missing_start = GOOGLE.replace("DTSTART;TZID=America/New_York:20261201T090000\n", "");
    let unknown_zone =
        GOOGLE.replace("DTSTART;TZID=America/New_York:20261208T140000", "DTSTART;TZID=Mars/Olympus:20261208T140000");
    let broken_line = GOOGLE.replace("SUMMARY:Esketamine treatment", "SUMMARY Esketamine treatment");
    let cut_short = &GOOGLE[..GOOGLE.find("END:VCALENDAR").unwrap()];
    let cases = [
        (missing_start.as_str(), 26, "no DTSTART"),
        (unknown_zone.as_str(), 47, "Mars/Olympus"),
        (broken_line.as_str(), 38, "not a calendar line"),
        (cut_short, 57, "ends inside BEGIN:VCALENDAR"),
    ];
    for (ics, expected_line, reason) in cases {
        let (_dir, store) = open_store();
        store.import_calendar(APPLE, "UTC".parse().unwrap(), now()).unwrap();
        let before = store.appointments().unwrap();
        match store.import_calendar(ics, "UTC".parse().unwrap(), now()) {
            Err(CourseError::InvalidCalendar { line, reason: why }) => {
                assert_eq!(line, expected_line, "{why}");
                assert!(why.contains(reason), "{why}");
            }
            other => panic!("expected InvalidCalendar for {reason}, got {other:?}"),
        }
        assert_eq!(store.appointments().unwrap(), before, "nothing changed");
    }
}

/// Found by fuzzing: the rrule crate panicked on a weekday that was not ASCII.
#[test]
fn a_rule_with_characters_no_rule_has_is_refused_on_its_line() {
    let (_dir, store) = open_store();
    let rule = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20261201T090000Z\nRRULE:FREQ=WEEKLY;BYDAY=TU,F\u{fffd}R\nEND:VEVENT\nEND:VCALENDAR\n";
    match store.import_calendar(rule, "UTC".parse().unwrap(), now()) {
        Err(CourseError::InvalidCalendar { line, reason }) => assert_eq!((line, reason.contains("RRULE")), (5, true)),
        other => panic!("expected InvalidCalendar, got {other:?}"),
    }
}

/// Found by fuzzing: a VEVENT inside another block panicked the import.
#[test]
fn an_event_nested_in_another_block_is_not_an_appointment() {
    let (_dir, store) = open_store();
    let nested = "BEGIN:VCALENDAR\nBEGIN:VTODO\nBEGIN:VEVENT\nUID:x\nDTSTART:20261201T090000Z\nEND:VEVENT\nEND:VTODO\nEND:VCALENDAR\n";
    let refused = store.import_calendar(nested, "UTC".parse().unwrap(), now());
    assert!(matches!(&refused, Err(CourseError::UnreadableCalendar { reason }) if reason.contains("no events")));
    assert!(store.appointments().unwrap().is_empty());
}

/// Found by fuzzing: the patient's import took a calendar without events
/// (and reported nothing added) that a clinician could not send.
#[test]
fn a_calendar_without_events_is_refused_as_the_sending_side_refuses_it() {
    let (_dir, store) = open_store();
    let empty = "BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n";
    let refused = store.import_calendar(empty, "UTC".parse().unwrap(), now());
    assert!(matches!(&refused, Err(CourseError::UnreadableCalendar { reason }) if reason.contains("no events")));
    assert!(super::check_ics(empty, chrono_tz::UTC, now()).is_err());
}

#[test]
fn exported_files_carry_alarms_and_round_trip() {
    let (_dir, store) = open_store();
    for file in [GOOGLE, APPLE, OUTLOOK] {
        store.import_calendar(file, "UTC".parse().unwrap(), now()).unwrap();
    }
    store.cancel_appointment(&by_title(&store.appointments().unwrap(), "Blood pressure check")[0].id).unwrap();
    let exported = store.export_calendar().unwrap();
    assert!(
        exported.contains("BEGIN:VALARM")
            && exported.contains("ACTION:DISPLAY")
            && exported.contains("TRIGGER:-PT86400S"),
        "{exported}"
    );
    assert!(exported.contains("STATUS:CANCELLED"));
    assert!(exported.lines().all(|line| line.len() <= 75), "lines are folded");

    let (_other, copy) = open_store();
    copy.import_calendar(&exported, "UTC".parse().unwrap(), now()).unwrap();
    let summary = |store: &Store| {
        let mut rows: Vec<_> = store
            .appointments()
            .unwrap()
            .into_iter()
            .map(|a| (a.starts_at, a.title, a.kind, a.duration_minutes, a.place, a.notes, a.status))
            .collect();
        rows.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        rows
    };
    assert_eq!(summary(&copy), summary(&store));
}

#[test]
fn durations_and_zone_names_parse_as_calendars_write_them() {
    assert_eq!(duration_minutes("PT1H30M"), Some(90));
    assert_eq!(duration_minutes("P1D"), Some(1440));
    assert_eq!(duration_minutes("-P0DT0H30M0S"), Some(-30));
    assert_eq!(duration_minutes("1 hour"), None);
    assert_eq!(resolve_zone("\"Eastern Standard Time\"").map(|z| z.name()), Some("America/New_York"));
    assert_eq!(resolve_zone("/mozilla.org/20050126_1/Europe/Berlin").map(|z| z.name()), Some("Europe/Berlin"));
    assert_eq!(resolve_zone("Atlantis"), None);
}

fn calendar(events: &str) -> String {
    format!("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Test//EN\n{events}END:VCALENDAR\n")
}

fn event(uid: &str, lines: &str) -> String {
    format!("BEGIN:VEVENT\nUID:{uid}\n{lines}END:VEVENT\n")
}

fn starts(store: &Store) -> Vec<(String, AppointmentStatus)> {
    store.appointments().unwrap().into_iter().map(|a| (a.local_start, a.status)).collect()
}

#[test]
fn an_old_recurring_event_brings_its_coming_occurrences_and_one_before_1900_is_refused() {
    let (_dir, store) = open_store();
    let birthday = event("birthday", "DTSTART;VALUE=DATE:19640315\nRRULE:FREQ=YEARLY\nSUMMARY:Birthday\n");
    let weekly = event("weekly", "DTSTART;TZID=Europe/Paris:20150105T180000\nDTEND;TZID=Europe/Paris:20150105T190000\nRRULE:FREQ=WEEKLY\nSUMMARY:Group\n");
    store.import_calendar(&calendar(&(birthday + &weekly)), "Europe/Paris".parse().unwrap(), now()).unwrap();
    let all = store.appointments().unwrap();
    let birthdays: Vec<&str> = by_title(&all, "Birthday").iter().map(|a| a.local_start.as_str()).collect();
    assert_eq!(birthdays, ["2027-03-15T00:00:00"]);
    let group = by_title(&all, "Group");
    assert!(group.iter().any(|a| a.starts_at > now()), "future occurrences of a 2015 series are there");
    assert!(group.len() > 60 && group.len() < 70, "90 days back and a year ahead: {}", group.len());
    let ancient = calendar(&event("old", "DTSTART:18500101T090000Z\nSUMMARY:Old\n"));
    assert!(matches!(
        store.import_calendar(&ancient, "UTC".parse().unwrap(), now()),
        Err(CourseError::InvalidCalendar { line: 6, .. })
    ));
    let ancient_series = calendar(&event("old", "DTSTART;VALUE=DATE:16040315\nRRULE:FREQ=YEARLY\n"));
    assert!(matches!(
        store.import_calendar(&ancient_series, "UTC".parse().unwrap(), now()),
        Err(CourseError::InvalidCalendar { line: 6, .. })
    ));
    let too_many = calendar(&event("hourly", "DTSTART:20261201T090000Z\nRRULE:FREQ=HOURLY\n"));
    assert!(matches!(
        store.import_calendar(&too_many, "UTC".parse().unwrap(), now()),
        Err(CourseError::InvalidCalendar { line: 7, .. })
    ));
}

#[test]
fn an_override_beats_its_series_even_at_a_lower_sequence_and_in_any_order() {
    let series = event("s", "SEQUENCE:2\nDTSTART:20261201T090000Z\nRRULE:FREQ=DAILY;COUNT=3\nSUMMARY:Integration\n");
    let cancelled = event(
        "s",
        "SEQUENCE:1\nRECURRENCE-ID:20261202T090000Z\nDTSTART:20261202T090000Z\nSTATUS:CANCELLED\nSUMMARY:Integration\n",
    );
    for order in [series.clone() + &cancelled, cancelled.clone() + &series] {
        let (_dir, store) = open_store();
        store.import_calendar(&calendar(&order), "UTC".parse().unwrap(), now()).unwrap();
        let statuses: Vec<_> = starts(&store).into_iter().map(|(_, status)| status).collect();
        assert_eq!(
            statuses,
            [AppointmentStatus::Scheduled, AppointmentStatus::Cancelled, AppointmentStatus::Scheduled]
        );
    }
}

#[test]
fn a_changed_series_cancels_the_occurrences_it_no_longer_has() {
    let (_dir, store) = open_store();
    let daily = |sequence: u32, hour: u32, count: u32| {
        calendar(&event("d", &format!("SEQUENCE:{sequence}\nDTSTART:20261201T{hour:02}0000Z\nRRULE:FREQ=DAILY;COUNT={count}\nSUMMARY:Integration\n")))
    };
    store.import_calendar(&daily(0, 9, 3), "UTC".parse().unwrap(), now()).unwrap();
    let report = store.import_calendar(&daily(1, 10, 2), "UTC".parse().unwrap(), now()).unwrap();
    assert_eq!(report, ImportReport { added: 2, cancelled: 3, ..Default::default() });
    let scheduled: Vec<String> = starts(&store)
        .into_iter()
        .filter(|(_, s)| *s == AppointmentStatus::Scheduled)
        .map(|(local, _)| local)
        .collect();
    assert_eq!(scheduled, ["2026-12-01T10:00:00", "2026-12-02T10:00:00"]);
}

#[test]
fn re_importing_keeps_what_the_patient_changed() {
    let (_dir, store) = open_store();
    store.import_calendar(GOOGLE, "UTC".parse().unwrap(), now()).unwrap();
    let all = store.appointments().unwrap();
    store.cancel_appointment(&by_title(&all, "Esketamine treatment")[0].id).unwrap();
    store.delete_appointment(&by_title(&all, "Integration session with Dr. Ames")[0].id).unwrap();
    assert_eq!(
        store.import_calendar(GOOGLE, "UTC".parse().unwrap(), now()).unwrap(),
        ImportReport { unchanged: 4, ..Default::default() }
    );
    let after = store.appointments().unwrap();
    assert_eq!(by_title(&after, "Esketamine treatment")[0].status, AppointmentStatus::Cancelled);
    assert_eq!(by_title(&after, "Integration session with Dr. Ames").len(), 2);
}

#[test]
fn a_waymark_export_imported_into_the_same_profile_adds_nothing() {
    let (_dir, store) = open_store();
    crate::course::tests::start(&store, crate::course::CourseTemplate::Kap, "2026-12-01T10:00", "Europe/Berlin");
    let exported = store.export_calendar().unwrap();
    assert_eq!(
        store.import_calendar(&exported, "UTC".parse().unwrap(), now()).unwrap(),
        ImportReport { unchanged: 3, ..Default::default() }
    );
    assert_eq!(store.appointments().unwrap().len(), 3);
}

#[test]
fn an_all_day_series_with_a_date_until_imports() {
    let (_dir, store) = open_store();
    let ics = calendar(&event("allday", "DTSTART;VALUE=DATE:20261207\nDTEND;VALUE=DATE:20261208\nRRULE:FREQ=WEEKLY;UNTIL=20261221\nSUMMARY:Clinic day\n"));
    store.import_calendar(&ics, "Europe/London".parse().unwrap(), now()).unwrap();
    let all = store.appointments().unwrap();
    assert_eq!(
        all.iter().map(|a| a.local_start.as_str()).collect::<Vec<_>>(),
        ["2026-12-07T00:00:00", "2026-12-14T00:00:00", "2026-12-21T00:00:00"]
    );
    assert!(all.iter().all(|a| a.duration_minutes == 1440));
}

#[test]
fn odd_values_are_errors_or_read_literally_never_panics() {
    let (_dir, store) = open_store();
    let huge = calendar(&event("huge", "DTSTART:20261201T090000Z\nDURATION:P99999999999999999W\n"));
    assert!(matches!(
        store.import_calendar(&huge, "UTC".parse().unwrap(), now()),
        Err(CourseError::InvalidCalendar { line: 7, .. })
    ));
    let negative = calendar(&event("neg", "DTSTART:20261201T090000Z\nSEQUENCE:-1\n"));
    assert!(matches!(
        store.import_calendar(&negative, "UTC".parse().unwrap(), now()),
        Err(CourseError::InvalidCalendar { line: 7, .. })
    ));
    let escaped = calendar(&event("esc", "DTSTART:20261201T090000Z\nSUMMARY:C:\\\\new folder\\, room 2\n"));
    store.import_calendar(&escaped, "UTC".parse().unwrap(), now()).unwrap();
    assert_eq!(store.appointments().unwrap()[0].title, "C:\\new folder, room 2");
}

/// Each of these once took the app down: minutes inside the write
/// transaction, or a stack overflow that no unwinding catches.
#[test]
fn hostile_rules_and_nesting_are_refused_in_well_under_a_second() {
    let (_dir, store) = open_store();
    let every_second = calendar(&event("s", "DTSTART:19000101T000000Z\nRRULE:FREQ=SECONDLY\n"));
    let every_minute = calendar(&event("m", "DTSTART:20260101T000000Z\nRRULE:FREQ=minutely;INTERVAL=1\n"));
    let hourly_since_1900 = calendar(&event("h", "DTSTART:19000101T000000Z\nRRULE:FREQ=HOURLY;INTERVAL=2\n"));
    let every_second_of_the_day = calendar(&event(
        "d",
        "DTSTART:19000101T000000Z\nRRULE:FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE=0,10,20,30,40,50\n",
    ));
    let nested = format!("BEGIN:VCALENDAR\n{}{}END:VCALENDAR\n", "BEGIN:X\n".repeat(3_000), "END:X\n".repeat(3_000));
    let a_little_too_deep = calendar("BEGIN:VEVENT\nUID:x\nDTSTART:20261201T090000Z\nBEGIN:VALARM\nBEGIN:X\nBEGIN:Y\nEND:Y\nEND:X\nEND:VALARM\nEND:VEVENT\n");
    for (name, ics, line) in [
        ("secondly", every_second, 7),
        ("minutely", every_minute, 7),
        ("hourly since 1900", hourly_since_1900, 7),
        ("every ten minutes, daily since 1900", every_second_of_the_day, 7),
        ("3,000 nested blocks", nested, 5),
        ("five deep", a_little_too_deep, 9),
    ] {
        let started = std::time::Instant::now();
        let imported = store.import_calendar(&ics, "UTC".parse().unwrap(), now());
        let checked = check_ics(&ics, chrono_tz::UTC, now());
        assert!(started.elapsed() < std::time::Duration::from_millis(900), "{name} took {:?}", started.elapsed());
        match (imported, checked) {
            (Err(CourseError::InvalidCalendar { line: at, reason }), Err(_)) => {
                assert_eq!(at, line, "{name}: {reason}")
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    assert!(store.appointments().unwrap().is_empty());
    let alarm =
        calendar(&event("ok", "DTSTART:20261201T090000Z\nBEGIN:VALARM\nACTION:DISPLAY\nTRIGGER:-PT1H\nEND:VALARM\n"));
    assert_eq!(
        store.import_calendar(&alarm, "UTC".parse().unwrap(), now()).unwrap().added,
        1,
        "an alarm is as deep as a file goes"
    );
}

/// Found in review: each series alone was within bounds, but a file of many
/// took minutes. What the import may walk is counted across the file.
#[test]
fn many_series_that_each_walk_a_little_cannot_add_up_to_a_freeze() {
    let zone = chrono_tz::UTC;
    let walks = (0..20)
        .map(|n| event(&format!("w{n}"), "DTSTART:19900101T000000Z\nRRULE:FREQ=HOURLY;COUNT=49999\n"))
        .collect::<String>();
    let never = (0..13)
        .map(|n| event(&format!("n{n}"), "DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\n"))
        .collect::<String>();
    for (name, ics) in [("twenty long walks", calendar(&walks)), ("thirteen rules that never match", calendar(&never))]
    {
        let started = std::time::Instant::now();
        let checked = check_ics(&ics, zone, now());
        assert!(matches!(checked, Err(CourseError::InvalidCalendar { .. })), "{name}: {checked:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(3), "{name} took {:?}", started.elapsed());
    }
    let (_dir, store) = open_store();
    let twelve = (0..12)
        .map(|n| event(&format!("d{n}"), "DTSTART:20261201T090000Z\nRRULE:FREQ=WEEKLY;COUNT=4\n"))
        .collect::<String>();
    assert_eq!(
        store.import_calendar(&calendar(&twelve), "UTC".parse().unwrap(), now()).unwrap().added,
        48,
        "a dozen series is fine"
    );
}
