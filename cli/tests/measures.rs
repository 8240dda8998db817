//! `waymark assess`, `vitals` and `progress` end to end.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::Profile;
use serde_json::Value;

#[test]
fn a_phq9_prints_its_total_and_band_and_lists_as_json() {
    let profile = Profile::new();
    let out = profile.ok(&["assess", "phq9", "--answers", "2,2,1,1,2,1,1,1,0"]);
    assert!(out.starts_with("PHQ-9 11/27 (moderate)"), "{out}");
    assert!(!out.contains("!!"), "no alert without item 9: {out}");
    let saved = profile.json(&["assess", "gad7", "--answers", "3,3,3,3,3,0,0", "--json"]);
    assert_eq!((saved["total"].as_u64(), saved["severity"].as_str()), (Some(15), Some("severe")));
    assert!(saved.get("safety_alert").is_none_or(Value::is_null));
    let list = profile.json(&["assess", "list", "--json"]);
    let instruments: Vec<_> = list.as_array().unwrap().iter().map(|r| r["instrument"].as_str().unwrap()).collect();
    assert_eq!(instruments, ["gad7", "phq9"], "newest first");
}

#[test]
fn item_9_above_0_brings_help_whatever_the_total() {
    let profile = Profile::new();
    let out = profile.ok(&["assess", "phq9", "--answers", "0,0,0,0,0,0,0,0,1"]);
    assert!(out.starts_with("PHQ-9 1/27 (minimal)"), "{out}");
    assert!(out.contains("!! You do not have to face this alone") && out.contains("emergency"), "{out}");
    let json = profile.json(&["assess", "phq9", "--answers", "0,0,0,0,0,0,0,0,3", "--json"]);
    assert_eq!(json["safety_alert"]["kind"], "phq9_self_harm_thoughts");
    let progress = profile.json(&["progress", "--json"]);
    assert_eq!(progress["safety_events"].as_array().unwrap().len(), 2);
    let list = profile.ok(&["assess", "list"]);
    assert!(list.contains("(item 9: nearly every day)") && list.contains("(item 9: several days)"), "{list}");
    let shown = profile.ok(&["progress"]);
    assert!(shown.contains("scores: 1(item 9: several days) 3(item 9: nearly every day)"), "{shown}");
    assert!(shown.contains("Talk to your clinic before changing or stopping any treatment."), "{shown}");
}

#[test]
fn a_declined_item_9_shows_a_gentle_card_and_is_marked_incomplete() {
    let profile = Profile::new();
    let out = profile.ok(&["assess", "phq9", "--answers", "1,1,1,1,1,1,1,1,x"]);
    assert!(out.starts_with("PHQ-9 incomplete: item 9 not answered (8 from the other items)"), "{out}");
    assert!(out.contains("!! That is fine: you do not have to answer"), "{out}");
    assert!(out.contains("Waymark does not alert your clinic or anyone else"), "{out}");
    let json = profile.json(&["assess", "list", "--json"]);
    assert_eq!(
        (json[0]["complete"].as_bool(), json[0]["safety_alert"]["kind"].as_str()),
        (Some(false), Some("phq9_self_harm_declined"))
    );
    assert!(json[0]["safety_alert"]["help_now"].is_object(), "read back, the card still carries help");
    assert!(profile.ok(&["assess", "list"]).contains("(item 9: prefer not to answer)"));
    let id = json[0]["id"].as_str().unwrap();
    let refused = profile.run(&["assess", "baseline", id]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && stderr.contains("incomplete"), "{stderr}");
}

#[test]
fn the_form_speaks_the_patients_language() {
    let profile = Profile::new();
    profile.ok(&["settings", "language", "es"]);
    let mut child = profile
        .command(&["assess", "gad7"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"0\n0\n0\n0\n0\n0\n0\n").unwrap();
    let output = child.wait_with_output().unwrap();
    let form = String::from_utf8(output.stderr).unwrap();
    assert!(form.contains("Durante las últimas 2 semanas") && form.contains("0 = Ningún día"), "{form}");
}

#[test]
fn the_interactive_form_asks_each_item_and_ends_with_help_on_an_alert() {
    let profile = Profile::new();
    let mut child = profile
        .command(&["assess", "phq9"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"1\n1\n5\n1\n1\n1\n1\n1\n1\n2\n").unwrap();
    let output = child.wait_with_output().unwrap();
    let (stdout, form) = (String::from_utf8(output.stdout).unwrap(), String::from_utf8(output.stderr).unwrap());
    assert!(output.status.success(), "{form}");
    assert!(form.contains("Over the last 2 weeks") && form.contains("9. Thoughts that you would be better off dead"));
    assert!(form.contains("Please answer with 0-3"), "5 was asked again: {form}");
    assert!(stdout.starts_with("PHQ-9 10/27 (moderate)"), "{stdout}");
    assert!(stdout.contains("let your clinic know."), "{stdout}");
    assert!(
        stdout.trim_end().ends_with("visit findahelpline.com."),
        "help comes last, with where to find a line: {stdout}"
    );
}

#[test]
fn a_form_left_unfinished_saves_nothing() {
    let profile = Profile::new();
    let mut child = profile.command(&["assess", "gad7"]).stdin(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"1\n2\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!profile.path.exists(), "no profile was created");
}

#[test]
fn bad_measures_exit_2_with_one_line_and_store_nothing() {
    let profile = Profile::new();
    profile.ok(&["assess", "phq9", "--answers", "1,1,1,1,1,1,1,1,1"]);
    let before = profile.files();
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let cases: &[(&[&str], &str)] = &[
        (&["assess", "phq9", "--answers", "1,1,1,1,1,1,1,1"], "item 9 has no answer"),
        (&["assess", "phq9", "--answers", "1,1,1,1,1,1,1,1,1,1"], "10 answers were given"),
        (&["assess", "phq9", "--answers", "4,1,1,1,1,1,1,1,1"], "4 is not an answer"),
        (&["assess", "phq9", "--answers", "-1,1,1,1,1,1,1,1,1"], "-1 is not an answer"),
        (&["assess", "phq9", "--answers", "1,,1,1,1,1,1,1,1"], "item 2 has no answer"),
        (&["assess", "phq9", "--answers", "x,1,1,1,1,1,1,1,1"], "only PHQ-9 item 9"),
        (&["assess", "phq9", "--answers", "1,one,1,1,1,1,1,1,1"], "answer 2"),
        (&["assess", "gad7", "--answers", "1,1,1,1,1,1,x"], "only PHQ-9 item 9"),
        (&["assess", "phq9", "--answers", "1,1,1,1,1,1,1,1,1", "--session", "my session"], "not a session id"),
        (&["vitals", "--bp", "300/20"], "300 mmHg"),
        (&["vitals", "--bp", "80/120"], "first number (systolic) is always the higher"),
        (&["vitals", "--bp", "120"], "not a blood pressure"),
        (&["vitals", "--hr", "0"], "heart rate of 0"),
        (&["progress", "--from", "2026-11-02", "--to", "2026-11-01"], "swap the dates"),
        (&["progress", "--from", "yesterday"], "not a date"),
        (&["assess", "schedule", "phq9", "--every", "0"], "--every"),
        (&["assess", "phq9", "--answers", "1,1,1,1,1,1,1,1,1", "--at", &tomorrow], "in the future"),
        (&["assess", "baseline", "no-such-id"], "no result has the id"),
    ];
    for (args, expected) in cases {
        let output = profile.run(args);
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one line, got {stderr:?}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert_eq!(profile.files(), before, "{args:?} changed the profile");
    }
}

#[test]
fn bad_input_on_a_fresh_profile_creates_nothing() {
    let profile = Profile::new();
    for args in [
        &["assess", "phq9", "--answers", "1,1"][..],
        &["assess", "schedule", "phq9", "--every", "0"],
        &["assess", "baseline", "no-such-id"],
        &["vitals", "--bp", "300/20"],
    ] {
        assert_ne!(profile.run(args).status.code(), Some(0), "{args:?}");
        assert!(!profile.path.exists(), "{args:?} created the profile");
    }
}

#[test]
fn a_very_high_blood_pressure_is_flagged_to_contact_the_clinic() {
    let profile = Profile::new();
    let out = profile.ok(&["vitals", "--bp", "182/100", "--hr", "88"]);
    assert!(out.starts_with("blood pressure 182/100 mmHg, heart rate 88 bpm"), "{out}");
    assert!(out.contains("!! Very high blood pressure") && out.contains("contact your clinic"), "{out}");
    let normal = profile.json(&["vitals", "--bp", "120/80", "--json"]);
    assert!(normal["flag"].is_null());
    assert_eq!(normal["systolic"], 120);
}

#[test]
fn progress_shows_the_hand_computed_response_with_its_definition() {
    let profile = Profile::new();
    for (answers, at) in [
        ("3,3,3,3,3,3,2,0,0", "2026-10-01T09:00:00+02:00"),
        ("2,2,2,2,2,2,2,1,0", "2026-10-15T09:00:00+02:00"),
        ("2,2,2,1,1,1,0,0,0", "2026-10-29T09:00:00+01:00"),
    ] {
        profile.ok(&["assess", "phq9", "--answers", answers, "--at", at]);
    }
    profile.ok(&["checkin", "--valence", "2", "--anxiety", "3", "--at", "2026-10-29T10:00:00+01:00"]);
    let progress = profile.json(&["progress", "--from", "2026-10-01", "--to", "2026-10-31", "--json"]);
    let phq9 = &progress["phq9"];
    assert_eq!((phq9["baseline"]["total"].as_u64(), phq9["latest"]["total"].as_u64()), (Some(20), Some(9)));
    assert_eq!(phq9["reduction_percent"].as_f64(), Some(55.0));
    assert_eq!(phq9["response"]["status"], "met");
    assert_eq!(phq9["remission"]["status"], "not_met");
    assert!(phq9["response"]["definition"].as_str().unwrap().contains("50%"));
    assert!(phq9["remission"]["definition"].as_str().unwrap().contains("below 5"));
    assert_eq!(progress["trends"][0]["date"], "2026-10-29");
    let text = profile.ok(&["progress", "--from", "2026-10-01", "--to", "2026-10-31"]);
    assert!(text.contains("response: met") && text.contains("scores: 20 15 9"), "{text}");
    let later = profile.json(&["progress", "--from", "2026-10-15", "--to", "2026-10-31", "--json"]);
    assert_eq!(later["phq9"]["trajectory"].as_array().unwrap().len(), 2, "the range limits what is shown");
    assert_eq!(later["phq9"]["baseline"]["total"], 20, "but not the baseline");
}

#[test]
fn a_picked_baseline_and_a_schedule_are_kept() {
    let profile = Profile::new();
    let first =
        profile.json(&["assess", "phq9", "--answers", "1,1,1,1,1,1,1,1,0", "--at", "2026-10-01T09:00:00Z", "--json"]);
    let picked =
        profile.json(&["assess", "phq9", "--answers", "3,3,3,3,3,3,2,0,0", "--at", "2026-10-08T09:00:00Z", "--json"]);
    profile.ok(&["assess", "phq9", "--answers", "1,1,0,0,0,0,0,0,0", "--at", "2026-10-22T09:00:00Z"]);
    let id = picked["id"].as_str().unwrap();
    profile.ok(&["assess", "baseline", id]);
    let now = "2026-11-01T12:00:00Z";
    let progress = profile.json(&["progress", "--json", "--now", now]);
    assert_eq!(
        (progress["phq9"]["baseline"]["id"].as_str(), progress["phq9"]["baseline_rule"].as_str()),
        (Some(id), Some("picked"))
    );
    assert_eq!(progress["phq9"]["remission"]["status"], "met");
    profile.ok(&["assess", "baseline", "--clear", "phq9"]);
    assert_eq!(profile.json(&["progress", "--json", "--now", now])["phq9"]["baseline"]["id"], first["id"]);

    assert!(profile.ok(&["assess", "schedule", "gad7", "--off"]).contains("GAD-7: off"));
    assert!(profile.ok(&["assess", "schedule", "phq9", "--every", "14"]).contains("every 14 days"));
    let due = profile.json(&["assess", "due", "--json", "--now", now]);
    let due = due.as_array().unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!((due[0]["instrument"].as_str(), due[0]["every_days"].as_u64()), (Some("phq9"), Some(14)));
    // 14 days after 22 October is 5 November, which starts at 23:00 UTC in Paris once summer time has ended.
    assert_eq!(due[0]["due_at"], "2026-11-04T23:00:00.000Z");
    assert_eq!(due[0]["due_now"], false);
}

#[test]
fn the_demo_seeds_weekly_phq9s_that_show_a_response() {
    let profile = Profile::new();
    let out = profile.ok(&["demo"]);
    assert!(out.contains("response: met"), "{out}");
    let progress = profile.json(&["progress", "--json"]);
    assert_eq!(progress["phq9"]["trajectory"].as_array().unwrap().len(), 5);
    assert_eq!(progress["phq9"]["response"]["status"], "met");
    assert!(progress["safety_events"].as_array().unwrap().is_empty());
}
