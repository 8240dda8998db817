//! No loss and no duplicate, whatever goes wrong on the way: the relay killed
//! mid-upload, 500s, timeouts before and after the relay stored a message,
//! envelopes delivered twice, and the patient's process killed mid-sync.
//! Seeded random runs; a failure prints its seed.

#[path = "common/relay.rs"]
mod relay;

use std::cell::Cell;
use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use relay::{backends, free_port, TestRelay};
use waymark_core::share::{ShareRequest, ShareScope};
use waymark_core::sync::{HttpRequest, HttpResponse, HttpTransport, TransportError};
use waymark_core::{CheckInDraft, Store};

/// A small deterministic generator, so a failing run can be replayed from its seed.
struct Dice(Cell<u64>);

impl Dice {
    fn roll(&self, sides: u64) -> u64 {
        let mut x = self.0.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0.set(x);
        x % sides
    }
}

struct Http(ureq::Agent);

impl Http {
    fn new() -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(5)))
            .http_status_as_error(false)
            .build();
        Http(config.into())
    }
}

impl HttpTransport for Http {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let bearer = format!("Bearer {}", request.bearer_token);
        let sent = match request.method.as_str() {
            "PUT" => self.0.put(&request.url).header("Authorization", &bearer).send(&request.body[..]),
            "DELETE" => self.0.delete(&request.url).header("Authorization", &bearer).call(),
            _ => self.0.get(&request.url).header("Authorization", &bearer).call(),
        };
        let mut response = sent.map_err(|e| TransportError::Unreachable { reason: e.to_string() })?;
        let status = response.status().as_u16();
        let body =
            response.body_mut().read_to_vec().map_err(|e| TransportError::Unreachable { reason: e.to_string() })?;
        Ok(HttpResponse { status, body, retry_after_seconds: None })
    }
}

/// Passes requests to the relay, but often not the way they were meant to go.
struct Faulty {
    http: Http,
    dice: Mutex<Dice>,
}

impl HttpTransport for Faulty {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let roll = self.dice.lock().unwrap().roll(10);
        match roll {
            0 => Err(TransportError::Timeout { reason: "injected: lost on the way out".into() }),
            1 => Ok(HttpResponse { status: 500, body: Vec::new(), retry_after_seconds: None }),
            2 => {
                // Stored by the relay, but the answer never came back.
                let _ = self.http.send(request);
                Err(TransportError::Timeout { reason: "injected: the answer was lost".into() })
            }
            3 => {
                // Delivered twice.
                let _ = self.http.send(request.clone());
                self.http.send(request)
            }
            4 if request.method == "GET" => {
                // Every message of the page listed twice.
                let mut response = self.http.send(request)?;
                if let Ok(mut page) = serde_json::from_slice::<serde_json::Value>(&response.body) {
                    if let Some(messages) = page["messages"].as_array().cloned() {
                        let doubled: Vec<_> = messages.iter().flat_map(|m| [m.clone(), m.clone()]).collect();
                        page["messages"] = serde_json::Value::Array(doubled);
                        response.body = serde_json::to_vec(&page).unwrap();
                    }
                }
                Ok(response)
            }
            _ => self.http.send(request),
        }
    }
}

fn store(dir: &std::path::Path, name: &str) -> Store {
    Store::open(dir.join(name), &[7; 32]).unwrap()
}

fn share(patient: &Store, n: u64) -> String {
    let draft =
        CheckInDraft { text: format!("note {n}"), shared: true, ..CheckInDraft::new(0, "UTC".parse().unwrap()) };
    patient.add_checkin(&draft).unwrap();
    let request = ShareRequest {
        from: "2020-01-01".into(),
        to: "2020-12-31".into(),
        zone: "UTC".parse().unwrap(),
        scopes: vec![ShareScope::Notes],
    };
    patient.share(&request).unwrap().summary_id
}

#[test]
fn every_shared_message_arrives_exactly_once_through_injected_faults() {
    let dir = tempfile::tempdir().unwrap();
    for db in backends(dir.path()) {
        // WAYMARK_FAULT_RUNS raises the number of seeded runs (12 by default).
        let runs: u64 = std::env::var("WAYMARK_FAULT_RUNS").ok().and_then(|n| n.parse().ok()).unwrap_or(12);
        for seed in (1..=runs).map(|run| run.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1) {
            let run = tempfile::tempdir().unwrap();
            let (patient, clinician) = (store(run.path(), "patient.db"), store(run.path(), "clinician.db"));
            let port = free_port();
            let invite = clinician.invite(&format!("http://127.0.0.1:{port}"), "seeded").unwrap();
            patient.pair(&invite.pairing_code).unwrap();
            let faulty = Faulty { http: Http::new(), dice: Mutex::new(Dice(Cell::new(seed))) };
            let dice = Dice(Cell::new(seed.rotate_left(17)));
            let mut relay = Some(TestRelay::start(&db, port));
            let mut shared = HashSet::new();
            for n in 0..12 {
                shared.insert(share(&patient, n));
                match dice.roll(6) {
                    // The relay dies with requests in flight, and comes back.
                    0 => {
                        let dying = relay.take().unwrap();
                        let wait = dice.roll(3);
                        let killer = std::thread::spawn(move || {
                            std::thread::sleep(Duration::from_millis(wait));
                            dying.kill();
                        });
                        let result = patient.sync(&faulty, true);
                        killer.join().unwrap();
                        assert!(result.is_ok(), "seed {seed:#x}: sync reports trouble, it does not fail");
                        relay = Some(TestRelay::start(&db, port));
                    }
                    _ => {
                        patient.sync(&faulty, true).unwrap();
                    }
                }
                if dice.roll(3) == 0 {
                    clinician.sync(&faulty, true).unwrap();
                }
            }
            // Then the network heals: everything left goes through.
            let clean = Http::new();
            for _ in 0..3 {
                patient.sync(&clean, true).unwrap();
            }
            assert_eq!(patient.sync(&clean, true).unwrap().pending, 0, "seed {seed:#x}: nothing left behind");
            clinician.sync(&clean, true).unwrap();
            let received: Vec<String> = clinician
                .received_summaries()
                .unwrap()
                .into_iter()
                .map(|s| clinician.received_summary(&s.channel, &s.id).unwrap().id)
                .collect();
            let unique: HashSet<String> = received.iter().cloned().collect();
            assert_eq!(received.len(), unique.len(), "{db} seed {seed:#x}: no duplicate");
            assert_eq!(unique, shared, "{db} seed {seed:#x}: no loss");
            drop(relay);
        }
    }
}

#[test]
fn a_patient_killed_mid_sync_loses_and_repeats_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("relay.db").display());
    let port = free_port();
    let relay = TestRelay::start(&db, port);
    let patient_dir = dir.path().join("patient");
    let clinician = store(dir.path(), "clinician.db");
    let invite = clinician.invite(&format!("http://127.0.0.1:{port}"), "killed").unwrap();
    let waymark = |args: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_waymark"));
        command.arg("--data-dir").arg(&patient_dir).args(args).env("TZ", "UTC").env_remove("WAYMARK_KEY");
        command
    };
    assert!(waymark(&["pair", &invite.pairing_code]).output().unwrap().status.success());
    let dice = Dice(Cell::new(0xC0FF_EE00_1234_5678));
    let mut shared = 0;
    for round in 0..15 {
        for n in 0..3 {
            let note = format!("round {round} note {n}");
            let at = format!("2026-06-{:02}T10:{:02}:00Z", round + 1, n);
            assert!(waymark(&["checkin", "--valence", "0", "--note", &note, "--share", "--at", &at])
                .output()
                .unwrap()
                .status
                .success());
            let day = format!("2026-06-{:02}", round + 1);
            assert!(waymark(&["share", "--from", &day, "--to", &day, "--scopes", "notes"])
                .output()
                .unwrap()
                .status
                .success());
            shared += 1;
        }
        // Killed as soon as the relay has stored an upload, before the patient
        // can record it as sent; or, every third round, at a random moment.
        let stored_before = relay.logs().matches("\"status\":201").count();
        let mut sync = waymark(&["sync"]).stdout(std::process::Stdio::null()).spawn().unwrap();
        if round % 3 == 0 {
            std::thread::sleep(Duration::from_millis(dice.roll(40)));
        } else {
            while relay.logs().matches("\"status\":201").count() == stored_before && sync.try_wait().unwrap().is_none()
            {
                std::thread::yield_now();
            }
        }
        let _ = sync.kill();
        let _ = sync.wait();
    }
    assert!(waymark(&["sync"]).stdout(std::process::Stdio::null()).status().unwrap().success());
    clinician.sync(&Http::new(), true).unwrap();
    // Summary ids, not message ids: a summary sent twice under two messages would show here.
    let ids: Vec<String> = clinician
        .received_summaries()
        .unwrap()
        .into_iter()
        .map(|s| clinician.received_summary(&s.channel, &s.id).unwrap().id)
        .collect();
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!((ids.len(), unique.len()), (shared, shared), "each of {shared} summaries exactly once");
}
