//! `waymark course`, `appointment`, `reminders` and `calendar` end to end.

mod common;

use common::Profile;
use serde_json::Value;

const OUTLOOK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/fixtures/calendar/outlook.ics");
/// "Now" for every command here: the Friday before the course's first session.
const NOW: &str = "2026-11-27T12:00:00Z";

fn start_esketamine(profile: &Profile) {
    let out = profile.ok(&[
        "course",
        "start",
        "--template",
        "esketamine",
        "--first",
        "2026-12-01T09:00",
        "--tz",
        "America/New_York",
        "--now",
        NOW,
    ]);
    assert!(out.starts_with("Started: Esketamine nasal spray (America/New_York)"), "{out}");
}

#[test]
fn a_course_starts_from_a_template_and_shows_its_sessions() {
    let profile = Profile::new();
    start_esketamine(&profile);
    let overview = profile.json(&["course", "show", "--json", "--now", NOW]);
    let upcoming = overview["upcoming"].as_array().unwrap();
    assert_eq!(upcoming.len(), 12);
    assert_eq!(overview["next"]["appointment"]["local_start"], "2026-12-01T09:00:00");
    assert_eq!(overview["next"]["local_time"], "2026-12-01 15:00", "shown on the computer's clock (Paris)");
    let care: Vec<&str> =
        overview["next"]["care"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(
        care,
        [
            "no_food",
            "no_liquids",
            "ride_home",
            "blood_pressure",
            "no_alcohol_or_cannabis",
            "no_driving",
            "no_bath_or_swimming"
        ]
    );
    let text = profile.ok(&["course", "show", "--now", NOW]);
    assert!(text.contains("Next: 2026-12-01 15:00") && text.contains("Arrange your ride home"), "{text}");
    assert!(!text.contains("continue the schedule"), "the course is still under way");
}

#[test]
fn after_week_8_the_esketamine_schedule_can_continue() {
    let profile = Profile::new();
    start_esketamine(&profile);
    let later = "2027-02-01T12:00:00Z";
    let text = profile.ok(&["course", "show", "--now", later]);
    assert!(text.contains("every week or every 2 weeks") && text.contains("`waymark course continue"), "{text}");
    assert!(text.contains("Talk to your clinic before changing or stopping any treatment."), "{text}");
    let added = profile.ok(&["course", "continue", "--every-weeks", "1", "--sessions", "2"]);
    assert_eq!(added.lines().count(), 2, "{added}");
    assert!(added.lines().all(|line| line.contains("Esketamine, maintenance")), "{added}");
    let refused = profile.run(&["course", "continue", "--every-weeks", "3", "--sessions", "2"]);
    assert_eq!(refused.status.code(), Some(2));
}

#[test]
fn appointments_are_added_moved_cancelled_done_and_checked() {
    let profile = Profile::new();
    start_esketamine(&profile);
    let id_of =
        |overview: &Value, index: usize| overview["upcoming"][index]["appointment"]["id"].as_str().unwrap().to_string();
    let overview = profile.json(&["course", "show", "--json", "--now", NOW]);
    let (first, second, third) = (id_of(&overview, 0), id_of(&overview, 1), id_of(&overview, 2));
    assert!(profile
        .ok(&["appointment", "move", &first, "--to", "2026-12-01T13:30"])
        .contains("2026-12-01T13:30:00 America/New_York"));
    assert!(profile.ok(&["appointment", "check", &first, "ride-home"]).contains("[x] Arrange your ride home"));
    assert!(profile.ok(&["appointment", "done", &first, "--at", "2026-12-01T20:45:00Z"]).contains(" done "));
    assert!(profile.ok(&["appointment", "cancel", &second]).contains(" cancelled "));
    assert!(profile.ok(&["appointment", "missed", &third]).contains(" missed "));
    let added = profile.ok(&[
        "appointment",
        "add",
        "--kind",
        "medical-check",
        "--title",
        "BP check",
        "--at",
        "2026-12-02T08:00",
        "--minutes",
        "20",
    ]);
    assert!(added.contains("2026-12-02T08:00:00 America/New_York"), "the course's zone: {added}");
    let overview = profile.json(&["course", "show", "--json", "--now", NOW]);
    assert_eq!(overview["done"], 1);
    for (args, expected) in [
        (vec!["appointment", "move", first.as_str(), "--to", "2026-12-05T09:00"], "only a scheduled or missed one"),
        (
            vec!["appointment", "add", "--kind", "party", "--title", "x", "--at", "2026-12-02T08:00"],
            "not a kind of session",
        ),
        (vec!["appointment", "check", first.as_str(), "snacks"], "not a checklist item"),
        (vec!["course", "start", "--template", "esketamine", "--first", "tomorrow"], "not a local date and time"),
        (vec!["appointment", "cancel", "no-such-id"], "no appointment has the id"),
    ] {
        let output = profile.run(&args);
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn the_reminder_plan_is_json_with_the_fields_shells_need() {
    let profile = Profile::new();
    start_esketamine(&profile);
    let all = profile.json(&["reminders", "plan", "--now", NOW, "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 60, "12 sessions: two reminders, two fasting starts, one after");
    let plan = profile.json(&["reminders", "plan", "--now", NOW, "--max", "40", "--json"]);
    let plan = plan.as_array().unwrap();
    assert_eq!(plan[..39], all.as_array().unwrap()[..39], "the soonest 40");
    let last = plan[39]["body"].as_str().unwrap();
    assert!(last.ends_with("Open Waymark to set up your next reminders."), "the last of a cut plan: {last}");
    for field in ["id", "fire_at", "kind", "title", "body", "public_title", "public_body", "route", "urgent", "exact"] {
        assert!(plan.iter().all(|n| !n[field].is_null()), "{field}");
    }
    assert_eq!(
        (plan[0]["fire_at"].as_str(), plan[0]["kind"].as_str()),
        (Some("2026-11-30T14:00:00.000Z"), Some("appointment_reminder"))
    );
    let again = profile.json(&["reminders", "plan", "--now", NOW, "--max", "40", "--json"]);
    assert_eq!(again.as_array().unwrap(), plan, "the same input gives the same plan");
    let output = profile.run(&["reminders", "plan", "--max", "0"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn calendar_files_import_and_export() {
    let profile = Profile::new();
    assert_eq!(
        profile.ok(&["calendar", "import", OUTLOOK, "--now", NOW]).trim(),
        "1 added, 0 updated, 0 cancelled, 0 unchanged"
    );
    let out = profile.path.join("course.ics");
    profile.ok(&["calendar", "export", "--out", out.to_str().unwrap()]);
    let ics = std::fs::read_to_string(&out).unwrap();
    assert!(ics.contains("SUMMARY:KAP preparation session") && ics.contains("BEGIN:VALARM"), "{ics}");
    let other = Profile::new();
    assert!(other.ok(&["calendar", "import", out.to_str().unwrap(), "--now", NOW]).starts_with("1 added"));

    let broken = profile.path.join("broken.ics");
    std::fs::write(&broken, std::fs::read_to_string(OUTLOOK).unwrap().replace("DTSTART;TZID", "DTSTART TZID")).unwrap();
    let output = profile.run(&["calendar", "import", broken.to_str().unwrap(), "--now", NOW]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("line 28") && stderr.contains("nothing was imported"), "{stderr}");
}

#[test]
fn prompts_open_after_a_session_and_answers_go_to_the_journal() {
    let profile = Profile::new();
    profile.ok(&["course", "start", "--template", "iv-induction", "--first", "2026-11-02T10:00", "--tz", "UTC"]);
    let due = profile.json(&["prompts", "due", "--now", "2026-11-03T12:00:00Z", "--json"]);
    let phases: Vec<&str> = due.as_array().unwrap().iter().map(|p| p["phase"].as_str().unwrap()).collect();
    assert!(phases.contains(&"day_1") && phases.contains(&"same_day"), "{phases:?}");
    let day_1 = due.as_array().unwrap().iter().find(|p| p["phase"] == "day_1").unwrap()["id"].as_str().unwrap();
    let answer = ["prompts", "answer", day_1, "--text", "Lighter", "--now", "2026-11-03T12:00:00Z"];
    let entry = profile.ok(&answer);
    assert_eq!(profile.json(&["journal", "show", entry.trim(), "--json"])["occurred_at"], "2026-11-03T12:00:00.000Z");
    let due = profile.json(&["prompts", "due", "--now", "2026-11-03T12:00:00Z", "--json"]);
    assert!(due.as_array().unwrap().iter().all(|p| p["id"] != day_1), "answered: {due}");
    let output = profile.run(&["prompts", "answer", "nope", "--text", "x"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8(output.stderr).unwrap().contains("not a prompt that is open now"));
}
