//! The `waymark` binary end to end: what a person types and what they get back.

mod common;

use common::Profile;

/// "Now" for the commands that show today.
const NOW: &str = "2026-11-20T08:30:00Z";

#[test]
fn a_check_in_can_be_listed_shown_searched_and_seen_today() {
    let profile = Profile::new();
    let id = profile.ok(&[
        "--now",
        NOW,
        "checkin",
        "--valence",
        "-1",
        "--energy",
        "2",
        "--anxiety",
        "7",
        "--sleep",
        "6.5",
        "--label",
        "anxious",
        "--label",
        "hopeful",
        "--area",
        "selfCare",
        "--note",
        "Nervous before the infusion. Café first ☕",
    ]);
    let id = id.trim();
    let shown = profile.json(&["journal", "show", id, "--json"]);
    assert_eq!(shown["valence"], -1);
    assert_eq!(shown["labels"], serde_json::json!(["anxious", "hopeful"]));
    assert_eq!(shown["areas"], serde_json::json!(["self_care"]));
    assert_eq!(shown["sleep_hours"], 6.5);
    assert_eq!(shown["zone"], "Europe/Paris");
    assert_eq!(shown["shared"], false);
    assert_eq!(shown["occurred_at"], "2026-11-20T08:30:00.000Z", "--now is when it happened");

    let listed = profile.json(&["journal", "list", "--json"]);
    assert_eq!(listed[0]["id"], id);

    let hits = profile.json(&["journal", "search", "cafe", "--json"]);
    assert_eq!(hits[0]["entry"]["id"], id);
    assert_eq!(hits[0]["snippet"][1], serde_json::json!({"text": "Café", "highlighted": true}));
    assert!(profile.ok(&["journal", "search", "cafe"]).contains("«Café»"));

    let today = profile.json(&["today", "--json", "--now", NOW]);
    assert_eq!(today["date"], "2026-11-20");
    assert_eq!(today["entries"][0]["id"], id);
    assert_eq!(today["streak_days"], 1);
    assert_eq!(today["last_7_days"].as_array().unwrap().len(), 7);
    assert!(profile.ok(&["today", "--now", NOW]).contains("Streak: 1 day"));
    let next_week = profile.json(&["today", "--json", "--now", "2026-11-27T08:30:00Z"]);
    assert_eq!((next_week["entries"].as_array().unwrap().len(), next_week["streak_days"].as_u64()), (0, Some(0)));
}

#[test]
fn edit_delete_and_undelete_by_id() {
    let profile = Profile::new();
    let id = profile.ok(&["checkin", "--valence", "0", "--note", "first draft", "--label", "calm"]);
    let id = id.trim();
    profile.ok(&["journal", "edit", id, "--valence", "2", "--note", "second thoughts", "--share"]);
    let shown = profile.json(&["journal", "show", id, "--json"]);
    assert_eq!((shown["valence"].clone(), shown["text"].clone()), (2.into(), "second thoughts".into()));
    assert_eq!(shown["labels"], serde_json::json!(["calm"]), "labels not given stay");
    assert_eq!(shown["shared"], true);

    profile.ok(&["journal", "delete", id]);
    assert_eq!(profile.json(&["journal", "list", "--json"]), serde_json::json!([]));
    assert!(profile.ok(&["journal", "show", id]).contains("undelete"));
    profile.ok(&["journal", "undelete", id]);
    assert_eq!(profile.json(&["journal", "list", "--json"])[0]["id"], id);
}

#[test]
fn list_keeps_to_dates_and_limits_past_one_page() {
    let profile = Profile::new();
    for day in 1..=3 {
        profile.ok(&["checkin", "--valence", "1", "--at", &format!("2026-10-0{day}T10:00:00+02:00")]);
    }
    let listed = profile.json(&["journal", "list", "--from", "2026-10-02", "--to", "2026-10-02", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["occurred_at"], "2026-10-02T08:00:00.000Z");
    assert_eq!(profile.json(&["journal", "list", "--limit", "2", "--json"]).as_array().unwrap().len(), 2);
    assert_eq!(profile.json(&["journal", "list", "--limit", "5000", "--json"]).as_array().unwrap().len(), 3);
}

#[test]
fn bad_input_exits_2_with_one_line_and_changes_nothing() {
    let profile = Profile::new();
    profile.ok(&["checkin", "--valence", "1", "--note", "the one entry"]);
    let before = profile.files();
    let long_note = "x".repeat(100_001);
    let cases: Vec<(Vec<&str>, Option<String>, &str)> = vec![
        (vec!["checkin", "--valence", "4"], None, "valence 4 is out of range"),
        (vec!["checkin", "--valence", "0", "--anxiety", "11"], None, "anxiety 11 is out of range"),
        (vec!["checkin", "--valence", "0", "--energy", "6"], None, "energy 6"),
        (vec!["checkin", "--valence", "0", "--sleep", "7.1"], None, "sleep"),
        (vec!["checkin", "--valence", "0", "--label", "elated"], None, "\"elated\" is not an emotion label"),
        (vec!["checkin", "--valence", "0", "--area", "school"], None, "\"school\" is not a life area"),
        (vec!["checkin", "--valence", "0", "--note", &long_note], None, "shorten it"),
        (vec!["checkin", "--valence", "0", "--at", "yesterday"], None, "RFC 3339"),
        (vec!["checkin"], None, "--valence"),
        (vec!["journal", "list", "--limit", "0"], None, "--limit"),
        (vec!["journal", "list", "--from", "27/11/2026"], None, "not a date"),
        (vec!["journal", "show", "no-such-id"], None, "no journal entry has the id"),
        (vec!["today"], Some("ab".repeat(32)), "does not open the database"),
        (vec!["checkin", "--valence", "1"], Some("ab".repeat(32)), "does not open the database"),
        (vec!["today"], Some("ab".repeat(16)), "must be 32 bytes"),
        (vec!["today"], Some("not hex".into()), "hexadecimal"),
    ];
    for (args, key, expected) in cases {
        let mut command = profile.command(&args);
        if let Some(key) = key {
            command.env("WAYMARK_KEY", key);
        }
        let output = command.output().unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one line, got {stderr:?}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert_eq!(profile.files(), before, "{args:?} changed the profile");
    }
    assert_eq!(profile.json(&["journal", "list", "--json"])[0]["preview"], "the one entry");
}

#[test]
fn a_short_key_on_a_new_profile_creates_nothing() {
    let profile = Profile::new();
    let output = profile.command(&["today"]).env("WAYMARK_KEY", "abab").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("must be 32 bytes"));
    assert!(!profile.path.join("waymark.db").exists());
    profile.ok(&["checkin", "--valence", "1"]);
}

#[test]
fn the_key_file_is_private_and_the_env_key_overrides_it() {
    use std::os::unix::fs::PermissionsExt;
    let profile = Profile::new();
    profile.ok(&["checkin", "--valence", "0"]);
    let mode = |file: &str| std::fs::metadata(profile.path.join(file)).unwrap().permissions().mode() & 0o777;
    assert_eq!((mode("waymark.key"), mode("waymark.db")), (0o600, 0o600));

    let other = Profile::new();
    let key = "0f".repeat(32);
    let output = other.command(&["checkin", "--valence", "2"]).env("WAYMARK_KEY", &key).output().unwrap();
    assert!(output.status.success());
    assert!(!other.path.join("waymark.key").exists(), "no key file when the key comes from the environment");
    let listed = other.command(&["journal", "list", "--json"]).env("WAYMARK_KEY", &key).output().unwrap();
    assert!(String::from_utf8(listed.stdout).unwrap().contains("\"valence\": 2"));
}

#[test]
fn a_profile_without_its_key_file_is_not_given_a_new_key() {
    let profile = Profile::new();
    profile.ok(&["checkin", "--valence", "0"]);
    std::fs::remove_file(profile.path.join("waymark.key")).unwrap();
    let output = profile.run(&["today"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("waymark.key is missing"));
    assert!(!profile.path.join("waymark.key").exists());
}

#[test]
fn a_corrupt_database_is_a_failure_and_is_left_alone() {
    let profile = Profile::new();
    profile.ok(&["checkin", "--valence", "0"]);
    let db = profile.path.join("waymark.db");
    std::fs::write(&db, b"scribbled over").unwrap();
    let output = profile.run(&["today"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("damaged"));
    assert_eq!(std::fs::read(&db).unwrap(), b"scribbled over");
}

#[test]
fn demo_seeds_a_fresh_profile_and_refuses_a_used_one() {
    let profile = Profile::new();
    let out = profile.ok(&["demo"]);
    assert!(out.contains("Seeded") && out.contains("Last 7 days"), "{out}");
    let entries = profile.json(&["journal", "list", "--limit", "500", "--json"]);
    assert!(entries.as_array().unwrap().len() >= 27);
    let course = profile.json(&["course", "show", "--json"]);
    assert!(course["done"].as_u64().unwrap() >= 4, "{course}");
    assert!(!course["upcoming"].as_array().unwrap().is_empty() && course["next"].is_object());
    let again = profile.run(&["demo"]);
    assert_eq!(again.status.code(), Some(2));

    let ahead = Profile::new();
    let next_year = (chrono::Utc::now() + chrono::Duration::days(365)).to_rfc3339();
    let output = ahead.run(&["demo", "--now", &next_year]);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!ahead.path.exists(), "a demo that cannot be seeded creates nothing");
}
