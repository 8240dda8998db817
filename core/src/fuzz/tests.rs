//! The seeds reach the deep paths: each `ok-` seed is accepted all the way
//! and each `bad-` seed refused, without a panic.

use std::path::Path;

use super::*;
use crate::backup::Cost;
use crate::journal::CheckInDraft;
use crate::measures::{Answer, AssessmentDraft, Instrument};
use crate::share::{ShareRequest, ShareScope, Summary};
use crate::{CourseDraft, CourseTemplate, SafetyPlanStep};

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

/// Every file under `dir`, by path.
fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    files
}

/// Runs `target`'s seeds, and the other seed folders `tests/fuzz.sh` hands it, through `run`.
fn check_seeds(target: &str, also: &[&str], run: fn(&[u8]) -> bool) {
    let mut seeds = files_under(&Path::new(MANIFEST).join("fuzz/seeds").join(target));
    for dir in also {
        seeds.extend(files_under(&Path::new(MANIFEST).join(dir)));
    }
    assert!(seeds.iter().filter(|(path, _)| !path.contains("/bad-")).count() >= 2, "{target} has too few seeds");
    for (path, bytes) in seeds {
        assert_eq!(run(&bytes), !path.contains("/bad-"), "{path}");
    }
}

#[test]
fn calendar_seeds() {
    check_seeds("ics", &["tests/fixtures/calendar"], ics);
}

#[test]
fn pairing_code_seeds() {
    check_seeds("pairing_code", &[], pairing_code);
}

#[test]
fn envelope_seeds() {
    check_seeds("envelope", &[], envelope);
}

#[test]
fn backup_seeds() {
    check_seeds("backup_file", &[], backup_file);
}

#[test]
fn content_pack_seeds() {
    check_seeds("content_pack", &["content"], content_pack);
}

#[test]
fn daylio_seeds() {
    check_seeds("daylio_csv", &[], daylio_csv);
}

fn populated(dir: &Path) -> Store {
    let store = Store::open(dir.join("seed.db"), &KEY).unwrap();
    store
        .add_checkin(&CheckInDraft {
            text: "A calm day".into(),
            shared: true,
            ..CheckInDraft::new(2, ZONE.parse().unwrap())
        })
        .unwrap();
    let answers = [1, 2, 1, 0, 1, 1, 0, 1, 0].map(|value| Answer::Score { value }).to_vec();
    store.add_assessment(&AssessmentDraft::new(Instrument::Phq9, answers, ZONE.parse().unwrap())).unwrap();
    let course = CourseDraft {
        template: CourseTemplate::Esketamine,
        first_session: "2026-11-16T10:00".into(),
        zone: ZONE.parse().unwrap(),
        place: "Clinic".into(),
    };
    store.start_course(&course).unwrap();
    store.add_safety_plan_item(SafetyPlanStep::PeopleToAsk, "My sister").unwrap();
    store
}

fn write(target: &str, name: &str, bytes: &[u8]) {
    let dir = Path::new(MANIFEST).join("fuzz/seeds").join(target);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

/// The seeds only code can make (codes, sealed envelopes, backups). Run
/// `cargo test -p waymark-core fuzz::tests::write_generated_seeds -- --ignored`
/// after a change to their formats, and commit what it writes.
#[test]
#[ignore = "writes into core/fuzz/seeds"]
fn write_generated_seeds() {
    let fixed = Pairing::parse(PAIRING_CODE).unwrap();
    let local = Pairing { relay_url: "http://127.0.0.1:8080".into(), secret: [9; 32] };
    let remote_http = Pairing { relay_url: "http://relay.example.org".into(), ..local.clone() };
    write("pairing_code", "ok-fixed.txt", PAIRING_CODE.as_bytes());
    write("pairing_code", "ok-loopback-scanned.txt", format!("  {}\n", local.code()).as_bytes());
    write("pairing_code", "bad-plain-http.txt", remote_http.code().as_bytes());
    write("pairing_code", "bad-mistyped.txt", PAIRING_CODE.replacen("AAEC", "AAFC", 1).as_bytes());
    write("pairing_code", "bad-newer-version.txt", PAIRING_CODE.replacen("wm2", "wm3", 1).as_bytes());
    write("pairing_code", "bad-older-version.txt", PAIRING_CODE.replacen("wm2", "wm1", 1).as_bytes());

    let dir = tempfile::tempdir().unwrap();
    let store = populated(dir.path());
    let request = ShareRequest {
        from: "2026-11-01".into(),
        to: "2026-12-31".into(),
        zone: ZONE.parse().unwrap(),
        scopes: vec![
            ShareScope::Mood,
            ShareScope::Measures,
            ShareScope::Sessions,
            ShareScope::Safety,
            ShareScope::Notes,
        ],
    };
    let summary: Summary = serde_json::from_str(&store.preview_share(&request).unwrap().json).unwrap();
    let calendar = std::fs::read_to_string(Path::new(MANIFEST).join("fuzz/seeds/ics/ok-recurring.ics")).unwrap();
    let payloads = [
        ("prompt", Payload::PromptAssignment { text: "What felt different this week?".into() }),
        ("appointment", Payload::AppointmentUpdate { ics: calendar, zone: "America/New_York".into() }),
        ("revoke", Payload::Revoke),
    ];
    let keys = fixed.keys();
    for (n, (name, payload)) in payloads.iter().enumerate() {
        let json = serde_json::to_vec(payload).unwrap();
        write("envelope", &format!("ok-{name}.json"), &json);
        let id = uuid::Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_1000 + n as u128);
        write("envelope", &format!("ok-{name}.envelope"), &seal::seal(&keys, Direction::ToPatient, id, 0, &json));
    }
    write("envelope", "ok-summary.json", &serde_json::to_vec(&Payload::Summary(Box::new(summary))).unwrap());
    let id = uuid::Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_2000);
    let wrong_way =
        seal::seal(&keys, Direction::ToClinician, id, 0, b"{\"type\":\"prompt_assignment\",\"text\":\"Hi\"}");
    write("envelope", "bad-wrong-direction.envelope", &wrong_way);

    let file = store.backup_with(PASSPHRASE, Cost { memory_kib: 8, passes: 1, lanes: 1 }).unwrap();
    write("backup_file", "ok-store-v2.wmbk", &file);
    write("backup_file", "bad-truncated-v2.wmbk", &file[..file.len() / 2]);
    write("backup_file", "ok-image.sqlite", &store.exclusive(crate::backup::plain_image).unwrap().unwrap());
}
