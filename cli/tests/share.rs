//! Sharing end to end on loopback, with the real CLI on both sides and a real
//! relay: on SQLite, and on PostgreSQL when tests/run provides one.

mod common;
#[path = "common/relay.rs"]
mod relay;

use common::Profile;
use relay::{backends, free_port, TestRelay};
use serde_json::Value;

const SHARED: &str = "SHARED-SENTINEL calmer after the session";
const PRIVATE: &str = "PRIVATE-SENTINEL this stays on the phone";

/// `now`'s date in the zone the CLI runs in (the tests set TZ=Europe/Paris).
fn date_in_paris(now: std::time::SystemTime) -> String {
    let zone = waymark_core::time::parse_zone("Europe/Paris").unwrap();
    waymark_core::time::local_date(now, zone).to_string()
}

fn pairing_code(invite_output: &str) -> String {
    invite_output.lines().find(|line| line.starts_with("wm2.")).expect("a pairing code").to_string()
}

fn channel_id(invite_output: &str) -> String {
    invite_output.split_whitespace().nth(1).expect("the channel id").to_string()
}

const FOLLOW_UP: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Clinic//EN\r\nBEGIN:VEVENT\r\n\
UID:follow-up-1@clinic.example\r\nSEQUENCE:0\r\nDTSTAMP:20261101T090000Z\r\n\
DTSTART;TZID=Europe/Paris:20261215T100000\r\nDTEND;TZID=Europe/Paris:20261215T120000\r\n\
SUMMARY:Follow-up infusion\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

#[test]
fn a_share_made_offline_reaches_the_clinician_and_an_appointment_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    for db in backends(dir.path()) {
        let (patient, clinician) = (Profile::new(), Profile::new());
        let port = free_port();
        let url = format!("http://127.0.0.1:{port}");

        let invite = clinician.ok(&["clinician", "invite", "--relay", &url, "--label", "A.B."]);
        let (code, channel) = (pairing_code(&invite), channel_id(&invite));
        patient.ok(&["checkin", "--valence", "1", "--note", SHARED, "--share", "--at", "2026-11-04T08:00:00Z"]);
        patient.ok(&["checkin", "--valence", "-1", "--note", PRIVATE, "--at", "2026-11-05T08:00:00Z"]);
        patient.ok(&["assess", "phq9", "--answers", "1,1,1,1,1,1,1,1,0"]);
        patient.ok(&["pair", &code]);
        patient.ok(&["share", "--from", "2026-11-01", "--to", "2026-11-30", "--scopes", "mood,notes"]);

        let offline = patient.json(&["sync", "--json"]);
        assert_eq!((offline["uploaded"].as_u64(), offline["pending"].as_u64()), (Some(0), Some(1)), "{db}: queued");
        let status = patient.json(&["sync", "status", "--json"]);
        assert_eq!(status["channels"][0]["pending"], 1);
        assert!(status["channels"][0]["last_error"].as_str().unwrap().contains("could not be reached"), "{status}");

        let relay = TestRelay::start(&db, port);
        let online = patient.json(&["sync", "--json"]);
        assert_eq!((online["uploaded"].as_u64(), online["pending"].as_u64()), (Some(1), Some(0)), "{db}: {online}");

        let pulled = clinician.json(&["clinician", "pull", "--json"]);
        assert_eq!(pulled["received"], 1, "{db}: {pulled}");
        let list = clinician.json(&["clinician", "list", "--json"]);
        let summary_id = list["summaries"][0]["id"].as_str().unwrap().to_string();
        assert_eq!(list["summaries"][0]["scopes"], serde_json::json!(["mood", "notes"]));
        let report = clinician.json(&["clinician", "report", &channel, &summary_id, "--json"]);
        assert_eq!(report["mood"].as_array().unwrap().len(), 2, "{db}");
        for absent in ["measures", "vitals", "sessions", "safety"] {
            assert_eq!(report[absent], Value::Null, "{db}: {absent} was not shared");
        }
        let notes: Vec<&str> =
            report["notes"].as_array().unwrap().iter().map(|n| n["text"].as_str().unwrap()).collect();
        assert_eq!(notes, [SHARED], "{db}: only the note marked shareable");
        assert!(!report.to_string().contains("PRIVATE-SENTINEL"));
        assert_eq!(clinician.json(&["clinician", "pull", "--json"])["received"], 0, "{db}: nothing twice");

        let ics = clinician.path.parent().unwrap().join("follow-up.ics");
        std::fs::write(&ics, FOLLOW_UP).unwrap();
        clinician.ok(&[
            "clinician",
            "send-appointment",
            &channel,
            "--ics",
            ics.to_str().unwrap(),
            "--tz",
            "Europe/Paris",
        ]);
        clinician.ok(&["clinician", "send-prompt", &channel, "--text", "What felt different this week?"]);
        assert_eq!(clinician.json(&["clinician", "pull", "--json"])["uploaded"], 2, "{db}");
        let back = patient.json(&["sync", "--json"]);
        assert_eq!(back["received"], 2, "{db}: {back}");
        let calendar = patient.ok(&["calendar", "export"]);
        assert!(
            calendar.contains("Follow-up infusion") && calendar.contains("follow-up-1@clinic.example"),
            "{calendar}"
        );
        let prompts = patient.json(&["prompts", "due", "--json"]);
        let assigned =
            prompts.as_array().unwrap().iter().find(|p| p["phase"] == "assigned").expect("the clinician's prompt");
        assert_eq!(assigned["text"], "What felt different this week?");
        let answer = "ANSWER-SENTINEL I noticed the quiet";
        // The prompt was assigned on the clock, so the answer is given after it, and shared on that day.
        let now = std::time::SystemTime::now();
        let (at, day) = (chrono::DateTime::<chrono::Utc>::from(now).to_rfc3339(), date_in_paris(now));
        patient.ok(&["prompts", "answer", assigned["id"].as_str().unwrap(), "--text", answer, "--share", "--now", &at]);
        patient.ok(&["share", "--from", &day, "--to", &day, "--scopes", "notes"]);
        assert_eq!(patient.json(&["sync", "--json"])["uploaded"], 1);
        assert_eq!(clinician.json(&["clinician", "pull", "--json"])["received"], 1);
        let newest =
            clinician.json(&["clinician", "list", "--json"])["summaries"][0]["id"].as_str().unwrap().to_string();
        let answered = clinician.json(&["clinician", "report", &channel, &newest, "--json"]);
        assert_eq!(answered["notes"][0]["text"], answer, "{db}");
        assert_eq!(
            answered["notes"][0]["prompt"], "What felt different this week?",
            "{db}: the answer names its prompt"
        );

        let logs = relay.logs();
        assert!(logs.contains("\"status\":201"), "the relay logged requests: {logs}");
        let token = waymark_core::sync::Pairing::parse(&code).unwrap().keys().relay_token.clone();
        for secret in ["SENTINEL", &code[4..40], &token] {
            assert!(!logs.contains(secret), "{db}: the relay's logs hold no note text and no secret");
        }
        relay.stop();
        if let Some(path) = db.strip_prefix("sqlite:") {
            for file in [path.to_string(), format!("{path}-wal")] {
                let bytes = std::fs::read(&file).unwrap_or_default();
                assert!(!bytes.windows(8).any(|w| w == b"SENTINEL"), "{file} holds no plaintext");
            }
        } else {
            // Everything the PostgreSQL backend stored, printable bytes as they are.
            let dump = std::process::Command::new("psql")
                .args([
                    db.as_str(),
                    "-At",
                    "-c",
                    "SELECT encode(envelope, 'escape') FROM message",
                    "-c",
                    "SELECT * FROM channel",
                ])
                .output()
                .unwrap();
            assert!(dump.status.success(), "{}", String::from_utf8_lossy(&dump.stderr));
            assert!(dump.stdout.len() > 1_000, "the dump holds the stored envelopes");
            assert!(!String::from_utf8_lossy(&dump.stdout).contains("SENTINEL"), "PostgreSQL holds no plaintext");
        }
    }
}

#[test]
fn pairing_and_sharing_refuse_bad_input_and_unpair_stops_sharing() {
    let patient = Profile::new();
    let bad = patient.run(&["pair", "wm2.not-a-code"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(!patient.path.exists(), "a bad code creates nothing");
    patient.ok(&["checkin", "--valence", "0"]);
    let unpaired = patient.run(&["share", "--from", "2026-11-01", "--to", "2026-11-30", "--scopes", "mood"]);
    assert_eq!(unpaired.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unpaired.stderr).contains("not paired"));
    let wrong_scope = patient.run(&["share", "--from", "2026-11-01", "--to", "2026-11-30", "--scopes", "mood,diary"]);
    assert!(String::from_utf8_lossy(&wrong_scope.stderr).contains("\"diary\" is not something Waymark can share"));

    let clinician = Profile::new();
    let invite = clinician.ok(&["clinician", "invite", "--relay", "http://127.0.0.1:9", "--label", "C.D."]);
    patient.ok(&["pair", &pairing_code(&invite)]);
    let preview = patient.ok(&["share", "--from", "2026-11-01", "--to", "2026-11-30", "--scopes", "mood", "--preview"]);
    assert!(preview.contains("\"schema\": \"waymark.summary/1\""));
    assert_eq!(patient.json(&["sync", "status", "--json"])["channels"][0]["pending"], 0, "a preview sends nothing");
    patient.ok(&["share", "--from", "2026-11-01", "--to", "2026-11-30", "--scopes", "mood"]);
    patient.ok(&["unpair"]);
    let status = patient.json(&["sync", "status", "--json"]);
    assert_eq!(
        status["channels"][0]["pending"], 1,
        "what was waiting is dropped; only the Revoke for the therapist waits"
    );
    assert!(status["channels"][0]["channel"]["revoked_at"].is_string());
}

/// What a compromised clinician's app can put on the relay, sealed with the
/// channel's keys, skipping the checks its own `send-appointment` runs.
fn put_sealed(relay_url: &str, code: &str, payload: serde_json::Value) {
    let keys = waymark_core::sync::Pairing::parse(code).unwrap().keys();
    let id = uuid::Uuid::now_v7();
    let envelope = waymark_core::sync::seal::seal(
        &keys,
        waymark_core::sync::Direction::ToPatient,
        id,
        0,
        payload.to_string().as_bytes(),
    );
    let url = format!("{relay_url}{}", waymark_protocol::message_path(&keys.channel, &id.to_string()));
    let response = ureq::put(&url).header("Authorization", &format!("Bearer {}", keys.relay_token)).send(&envelope[..]);
    assert!(response.is_ok(), "{response:?}");
}

#[test]
fn hostile_calendars_through_the_relay_are_set_aside_and_the_next_prompt_still_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let db = backends(dir.path()).remove(0);
    let (patient, clinician) = (Profile::new(), Profile::new());
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let relay = TestRelay::start(&db, port);
    let invite = clinician.ok(&["clinician", "invite", "--relay", &url, "--label", "E.F."]);
    let (code, channel) = (pairing_code(&invite), channel_id(&invite));
    patient.ok(&["pair", &code]);
    patient.ok(&["sync"]);

    let nested = format!("BEGIN:VCALENDAR\n{}{}END:VCALENDAR\n", "BEGIN:X\n".repeat(5_000), "END:X\n".repeat(5_000));
    let every_second = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:s@x\nDTSTART:19000101T000000Z\nRRULE:FREQ=SECONDLY\nEND:VEVENT\nEND:VCALENDAR\n";
    for ics in [nested.as_str(), every_second] {
        put_sealed(
            &url,
            &code,
            serde_json::json!({ "type": "appointment_update", "ics": ics, "zone": "Europe/Paris" }),
        );
    }
    clinician.ok(&["clinician", "send-prompt", &channel, "--text", "Still there?"]);
    assert_eq!(clinician.json(&["clinician", "pull", "--json"])["uploaded"], 1);

    let started = std::time::Instant::now();
    let synced = patient.json(&["sync", "--json"]);
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "{:?}", started.elapsed());
    assert_eq!((synced["received"].as_u64(), synced["held"].as_u64()), (Some(1), Some(2)), "{synced}");
    let prompts = patient.json(&["prompts", "due", "--json"]);
    assert!(prompts.as_array().unwrap().iter().any(|p| p["text"] == "Still there?"), "{prompts}");
    let status = patient.json(&["sync", "status", "--json"]);
    assert_eq!(status["channels"][0]["held"].as_array().unwrap().len(), 2, "{status}");
    let again = patient.json(&["sync", "--json"]);
    assert_eq!((again["received"].as_u64(), again["held"].as_u64()), (Some(0), Some(0)), "{again}");
    relay.stop();
}
