//! Sync end to end against a scripted relay: the outbox, and what a buggy or
//! hostile clinician's app, or a relay, can send a patient.

use std::time::{Duration, SystemTime};

use waymark_protocol::{ListedMessage, MessagePage};

use super::exchange::*;
use super::inbox::*;
use super::*;
use crate::store::Store;
use crate::test_support::open_store;
use crate::time;
use waymark_protocol::Direction;

fn summary() -> Payload {
    let summary = serde_json::json!({
        "schema": "waymark.summary/1", "id": "s-1", "created_at": "2026-11-20T09:00:00.000Z",
        "from": "2026-11-01", "to": "2026-11-20", "zone": "UTC", "scopes": ["mood"],
        "mood": [], "measures": null, "vitals": null, "sessions": null, "safety": null, "notes": null
    });
    Payload::Summary(Box::new(serde_json::from_value(summary).unwrap()))
}

#[test]
fn a_message_applies_once_and_a_different_copy_under_its_id_is_refused() {
    let (_dir, clinician) = open_store();
    clinician.invite("http://127.0.0.1:9", "A.B.").unwrap();
    let channel = clinician.read(|conn| Ok::<_, SyncError>(channel::all(conn)?)).unwrap().remove(0);
    let keys = channel.pairing.keys();
    let id = uuid::Uuid::now_v7();
    let plaintext = serde_json::to_vec(&summary()).unwrap();
    let envelope = seal::seal(&keys, Direction::ToClinician, id, 0, &plaintext);
    let listed = id.to_string();
    let apply_now = |bytes: &[u8], listed: &str| {
        clinician.write(|tx| Ok::<_, SyncError>(apply(tx, &channel, &keys, listed, bytes, SystemTime::now())))
    };
    assert!(matches!(apply_now(&envelope, &listed), Ok(Ok(true))));
    assert!(matches!(apply_now(&envelope, &listed), Ok(Ok(false))), "the same bytes again change nothing");
    let resealed = seal::seal(&keys, Direction::ToClinician, id, 0, &plaintext);
    assert!(matches!(apply_now(&resealed, &listed), Ok(Err(SyncError::Replayed { .. }))));
    let other = seal::seal(&keys, Direction::ToClinician, uuid::Uuid::now_v7(), 0, &plaintext);
    assert!(matches!(apply_now(&other, &listed), Ok(Err(SyncError::Tampered))), "listed under another id");
    let backwards = seal::seal(&keys, Direction::ToPatient, uuid::Uuid::now_v7(), 0, &plaintext);
    assert!(matches!(apply_now(&backwards, &listed), Ok(Err(SyncError::WrongDirection))));
    assert_eq!(clinician.received_summaries().unwrap().len(), 1);
}

/// A relay that takes every upload and has nothing to hand out.
struct Accepting;

impl HttpTransport for Accepting {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, crate::sync::TransportError> {
        let (status, body) = match request.method.as_str() {
            "PUT" => (201, Vec::new()),
            _ => (200, br#"{"messages": [], "more": false}"#.to_vec()),
        };
        Ok(HttpResponse { status, body, retry_after_seconds: None })
    }
}

#[test]
fn a_message_never_tried_goes_at_the_next_sync_whatever_its_now() {
    let (_dir, clinician) = open_store();
    let channel = clinician.invite("http://127.0.0.1:9", "A.B.").unwrap().channel;
    clinician.send_prompt(&channel.id, "What helped?").unwrap();
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3_600);
    let report = clinician.sync_at(&Accepting, an_hour_ago, false).unwrap();
    assert_eq!((report.uploaded, report.pending), (1, 0), "only a retry waits for its turn: {report:?}");
}

#[test]
fn retries_back_off_exponentially_with_jitter_up_to_an_hour() {
    for attempts in 1..30 {
        let wait = backoff(attempts);
        let full = FIRST_RETRY.saturating_mul(1 << (attempts - 1).min(20)).min(LONGEST_RETRY);
        assert!(wait >= full / 2 && wait <= full, "attempt {attempts}: {wait:?} of {full:?}");
    }
    let spread: std::collections::HashSet<Duration> = (0..20).map(|_| backoff(10)).collect();
    assert!(spread.len() > 1, "jitter spreads retries");
}

// What a buggy or hostile clinician's app, or a relay, can send a patient.

use std::sync::Mutex;

use crate::sync::{HttpRequest, HttpResponse, Pairing, TransportError};

fn at(text: &str) -> SystemTime {
    crate::test_support::at(text)
}

fn now() -> SystemTime {
    at("2026-11-20T09:00:00Z")
}

/// A patient paired on a relay that is never dialled, and the channel's keys.
fn paired_patient() -> (tempfile::TempDir, Store, crate::sync::ChannelKeys) {
    let (dir, patient) = open_store();
    let pairing = Pairing::new("http://127.0.0.1:9").unwrap();
    patient.pair(&pairing.code()).unwrap();
    (dir, patient, pairing.keys())
}

/// A message from the clinician's end, sealed with the channel's keys.
fn from_clinic(
    keys: &crate::sync::ChannelKeys,
    cursor: u64,
    payload: serde_json::Value,
    sent_at: i64,
) -> ListedMessage {
    let id = uuid::Uuid::now_v7();
    let envelope = seal::seal(keys, Direction::ToPatient, id, sent_at, payload.to_string().as_bytes());
    ListedMessage { cursor, id: id.to_string(), envelope: waymark_protocol::encode_base64(&envelope) }
}

fn prompt(text: &str) -> serde_json::Value {
    serde_json::json!({ "type": "prompt_assignment", "text": text })
}

fn appointment(ics: &str) -> serde_json::Value {
    serde_json::json!({ "type": "appointment_update", "ics": ics, "zone": "Europe/Paris" })
}

const VISIT: &str = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:visit@clinic\nDTSTART:20261201T090000Z\nSUMMARY:Visit\nEND:VEVENT\nEND:VCALENDAR\n";

/// A relay the test scripts: it lists `inbox` by cursor, takes every upload
/// unless `status` says otherwise, and records each request.
struct Scripted {
    inbox: Vec<ListedMessage>,
    status: Option<HttpResponse>,
    requests: Mutex<Vec<String>>,
}

impl Scripted {
    fn new(inbox: Vec<ListedMessage>) -> Self {
        Scripted { inbox, status: None, requests: Mutex::new(Vec::new()) }
    }

    fn answering(status: u16, retry_after_seconds: Option<u32>) -> Self {
        let response = HttpResponse { status, body: b"{}".to_vec(), retry_after_seconds };
        Scripted { status: Some(response), ..Scripted::new(Vec::new()) }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn query(url: &str, name: &str) -> Option<u64> {
    url.split(['?', '&']).find_map(|part| part.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
}

impl HttpTransport for Scripted {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.requests.lock().unwrap().push(format!("{} {}", request.method, request.url));
        if let Some(response) = &self.status {
            return Ok(response.clone());
        }
        let (status, body) = match request.method.as_str() {
            "GET" => {
                let (after, limit) = (query(&request.url, "after").unwrap(), query(&request.url, "limit").unwrap());
                let after: Vec<ListedMessage> = self.inbox.iter().filter(|m| m.cursor > after).cloned().collect();
                let more = after.len() > limit as usize;
                let messages = after.into_iter().take(limit as usize).collect();
                (200, serde_json::to_vec(&MessagePage { messages, more }).unwrap())
            }
            "DELETE" => (204, Vec::new()),
            _ => (201, Vec::new()),
        };
        Ok(HttpResponse { status, body, retry_after_seconds: None })
    }
}

fn assigned(patient: &Store) -> Vec<crate::prompts::AssignedPrompt> {
    patient.read(|conn| Ok::<_, SyncError>(crate::prompts::assigned_prompts(conn)?)).unwrap()
}

fn held(patient: &Store) -> Vec<HeldMessage> {
    patient.sync_status().unwrap().channels.remove(0).held
}

#[test]
fn a_nested_calendar_from_the_clinic_is_set_aside_and_the_next_prompt_still_arrives() {
    let (_dir, patient, keys) = paired_patient();
    let nested = format!("BEGIN:VCALENDAR\n{}{}END:VCALENDAR\n", "BEGIN:X\n".repeat(5_000), "END:X\n".repeat(5_000));
    let every_second = VISIT.replace("SUMMARY:Visit", "RRULE:FREQ=SECONDLY");
    let relay = Scripted::new(vec![
        from_clinic(&keys, 1, appointment(&nested), 0),
        from_clinic(&keys, 2, appointment(&every_second), 0),
        from_clinic(&keys, 3, prompt("What helped?"), 0),
    ]);
    let started = std::time::Instant::now();
    let report = patient.sync_at(&relay, now(), true).unwrap();
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    assert_eq!((report.received, report.held, report.rejected), (1, 2, 0), "{report:?}");
    assert_eq!(assigned(&patient)[0].text, "What helped?");
    let held = held(&patient);
    assert!(held.iter().all(|h| h.state == HeldState::Refused), "{held:?}");
    assert!(held[0].reason.contains("nested") && held[1].reason.contains("every second"), "{held:?}");
    let again = patient.sync_at(&relay, now(), true).unwrap();
    assert_eq!((again.received, again.held), (0, 0), "the cursor moved past all three");
}

#[test]
fn a_message_that_fails_to_apply_again_and_again_is_set_aside_and_later_ones_apply() {
    let (_dir, patient, keys) = paired_patient();
    let relay =
        Scripted::new(vec![from_clinic(&keys, 1, prompt("Poison"), 0), from_clinic(&keys, 2, appointment(VISIT), 0)]);
    let fail =
        "CREATE TEMP TRIGGER fail BEFORE INSERT ON assigned_prompt BEGIN SELECT RAISE(ABORT, 'injected failure'); END;";
    patient.exclusive(|conn| conn.execute_batch(fail)).unwrap().unwrap();
    for attempt in 1..=MAX_APPLY_ATTEMPTS {
        let report = patient.sync_at(&relay, now(), true).unwrap();
        assert_eq!(report.received, 0, "try {attempt}: {report:?}");
        assert!(report.problems[0].contains("injected failure"), "{report:?}");
    }
    let report = patient.sync_at(&relay, now(), true).unwrap();
    assert_eq!((report.received, report.held), (1, 1), "{report:?}");
    assert_eq!(patient.appointments().unwrap()[0].title, "Visit");
    let held = held(&patient);
    assert_eq!(held[0].state, HeldState::Quarantined);
    assert!(held[0].reason.contains("injected failure"), "{held:?}");

    // The next version of Waymark tries it again (here the failure is fixed, and the version pretended older).
    patient
        .exclusive(|conn| conn.execute_batch("DROP TRIGGER fail; UPDATE inbox_held SET held_by_version = '0.0.0'"))
        .unwrap()
        .unwrap();
    assert_eq!(patient.sync_at(&relay, now(), true).unwrap().received, 1);
    assert_eq!(assigned(&patient)[0].text, "Poison");
    assert!(self::held(&patient).is_empty());
}

#[test]
fn a_message_that_stopped_the_app_each_time_is_set_aside_without_another_try() {
    let (_dir, patient, keys) = paired_patient();
    let poison = from_clinic(&keys, 1, prompt("Crashes the app"), 0);
    let channel = patient.read(channel::patient_channel).unwrap();
    for _ in 0..MAX_APPLY_ATTEMPTS {
        patient.count_attempt(&channel, &poison.id).unwrap(); // counted, then the app died
    }
    let report = patient.sync_at(&Scripted::new(vec![poison]), now(), true).unwrap();
    assert_eq!((report.received, report.held), (0, 1), "{report:?}");
    assert!(assigned(&patient).is_empty(), "not tried a fourth time");
    assert_eq!(held(&patient)[0].state, HeldState::Quarantined);
}

#[test]
fn what_this_version_cannot_read_is_kept_and_what_it_refuses_is_kept_with_why() {
    let (_dir, patient, keys) = paired_patient();
    let relay = Scripted::new(vec![
        from_clinic(&keys, 1, serde_json::json!({ "type": "video_call", "url": "https://x" }), 0),
        from_clinic(&keys, 2, prompt(&"x".repeat(MAX_PROMPT_CHARS + 1)), 0),
        from_clinic(&keys, 3, prompt("   "), 0),
        from_clinic(&keys, 4, prompt("Still here"), 0),
    ]);
    let report = patient.sync_at(&relay, now(), true).unwrap();
    assert_eq!((report.received, report.held), (1, 3), "{report:?}");
    let states: Vec<HeldState> = held(&patient).iter().map(|h| h.state).collect();
    assert_eq!(states, [HeldState::Unreadable, HeldState::Refused, HeldState::Refused]);
    let kept: u32 = patient
        .read(|c| {
            c.query_row("SELECT count(*) FROM inbox_held WHERE length(envelope) > 70", [], |r| r.get(0))
                .map_err(SyncError::from)
        })
        .unwrap();
    assert_eq!(kept, 3, "each is kept whole, to try after an upgrade");
}

use crate::sync::clinician::MAX_PROMPT_CHARS;

#[test]
fn a_sender_clock_at_the_end_of_time_is_not_believed() {
    let (_dir, patient, keys) = paired_patient();
    let relay = Scripted::new(vec![
        from_clinic(&keys, 1, prompt("From the future"), i64::MAX),
        from_clinic(&keys, 2, prompt("From the past"), i64::MIN),
    ]);
    patient.sync_at(&relay, now(), true).unwrap();
    let prompts = assigned(&patient);
    assert!(prompts.iter().all(|p| p.assigned_at == now()), "the receiver's clock: {prompts:?}");
    let files = patient.export(crate::export::ExportFormat::Json).unwrap();
    assert!(files[0].content.contains("From the future"));
    let due = patient.prompts_due(now()).unwrap();
    assert!(due.iter().any(|p| p.text == "From the past"));
}

#[test]
fn a_relay_that_never_moves_the_cursor_or_never_ends_does_not_hold_the_sync() {
    let (_dir, patient, keys) = paired_patient();
    struct Stuck(Mutex<u32>, ListedMessage);
    impl HttpTransport for Stuck {
        fn send(&self, _: HttpRequest) -> Result<HttpResponse, TransportError> {
            *self.0.lock().unwrap() += 1;
            let page = MessagePage { messages: vec![self.1.clone()], more: true };
            Ok(HttpResponse { status: 200, body: serde_json::to_vec(&page).unwrap(), retry_after_seconds: None })
        }
    }
    let stuck = Stuck(Mutex::new(0), from_clinic(&keys, 7, prompt("Again and again"), 0));
    let report = patient.sync_at(&stuck, now(), true).unwrap();
    assert_eq!(*stuck.0.lock().unwrap(), 2, "{report:?}");
    assert!(report.problems.iter().any(|p| p.contains("same messages")), "{report:?}");
    assert_eq!(assigned(&patient).len(), 1);

    let endless: Vec<ListedMessage> = (1..=(MAX_PAGES * PAGE + 50) as u64)
        .map(|n| from_clinic(&keys, n, prompt(&format!("Prompt {n}")), 0))
        .collect();
    let relay = Scripted::new(endless);
    let report = patient.sync_at(&relay, now(), true).unwrap();
    let pages = relay.requests().iter().filter(|r| r.starts_with("GET")).count() as u32;
    assert_eq!(pages, MAX_PAGES, "{report:?}");
}

#[test]
fn only_a_sealed_revoke_unpairs_and_a_relay_saying_gone_deletes_nothing() {
    let (_dir, patient, keys) = paired_patient();
    patient
        .add_checkin(&crate::CheckInDraft { shared: true, ..crate::CheckInDraft::new(1, "UTC".parse().unwrap()) })
        .unwrap();
    crate::share::tests::share_everything(&patient);
    let gone = Scripted::answering(410, None);
    let report = patient.sync_at(&gone, now(), true).unwrap();
    assert!(report.problems[0].contains("nothing was deleted"), "{report:?}");
    let status = patient.sync_status().unwrap().channels.remove(0);
    assert_eq!((status.channel.revoked_at, status.pending), (None, 1), "still paired, the summary still waits");

    let relay = Scripted::new(vec![from_clinic(&keys, 1, serde_json::json!({ "type": "revoke" }), 0)]);
    let report = patient.sync_at(&relay, now(), true).unwrap();
    assert_eq!(report.received, 1, "{report:?}");
    let status = patient.sync_status().unwrap().channels.remove(0);
    assert!(status.channel.revoked_at.is_some());
    assert_eq!(status.pending, 0, "nothing more goes to a therapist who ended sharing");
    assert!(
        relay.requests().iter().any(|r| r.starts_with("DELETE")),
        "the end that read the Revoke deletes the channel"
    );
}

#[test]
fn unpairing_sends_a_revoke_and_leaves_the_channel_for_the_therapist_to_read() {
    let (_dir, patient, keys) = paired_patient();
    patient.unpair().unwrap();
    let relay = Scripted::new(Vec::new());
    assert_eq!(patient.sync_at(&relay, now(), true).unwrap().uploaded, 1);
    assert!(!relay.requests().iter().any(|r| r.starts_with("DELETE")), "{:?}", relay.requests());
    let sent: Vec<u8> = patient
        .read(|c| c.query_row("SELECT envelope FROM outbox", [], |r| r.get(0)).map_err(SyncError::from))
        .unwrap();
    let (_, plaintext) = seal::open(&keys, Direction::ToClinician, &sent).unwrap();
    assert_eq!(serde_json::from_slice::<Payload>(&plaintext).unwrap(), Payload::Revoke);
    assert_eq!(patient.sync_at(&relay, now(), true).unwrap().uploaded, 0, "sent once");
}

#[test]
fn a_relay_cannot_park_a_message_for_long_and_a_clock_jump_does_not_strand_one() {
    let (_dir, patient, _) = paired_patient();
    crate::share::tests::share_everything(&patient);
    patient.sync_at(&Scripted::answering(503, Some(u32::MAX)), now(), false).unwrap();
    let next = patient.sync_status().unwrap().channels[0].next_attempt_at.unwrap();
    assert!(next <= now() + LONGEST_RETRY, "{:?}", next.duration_since(now()));

    patient
        .exclusive(|c| {
            c.execute(
                "UPDATE outbox SET next_attempt_at = ?1",
                [time::to_millis(now() + Duration::from_secs(86_400 * 30))],
            )
        })
        .unwrap()
        .unwrap();
    let report = patient.sync_at(&Scripted::new(Vec::new()), now(), false).unwrap();
    assert_eq!(report.uploaded, 1, "a wait set before the clock went back is not kept: {report:?}");
}

#[test]
fn a_message_the_relay_refused_for_good_can_be_sent_again() {
    let (_dir, patient, _) = paired_patient();
    crate::share::tests::share_everything(&patient);
    patient.sync_at(&Scripted::answering(413, None), now(), true).unwrap();
    let failed = patient.sync_status().unwrap().channels.remove(0).failed;
    assert_eq!(failed.len(), 1);
    assert!(matches!(patient.retry_message("not-an-id"), Err(SyncError::UnknownMessage { .. })));
    patient.retry_message(&failed[0].id).unwrap();
    assert_eq!(patient.sync_at(&Scripted::new(Vec::new()), now(), false).unwrap().uploaded, 1);
    assert!(matches!(patient.retry_message(&failed[0].id), Err(SyncError::UnknownMessage { .. })), "sent now");
}

#[test]
fn a_summary_is_found_by_its_channel_and_id_together() {
    let (_dir, clinician) = open_store();
    clinician.invite("http://127.0.0.1:9", "A").unwrap();
    clinician.invite("http://127.0.0.1:9", "B").unwrap();
    let channels = clinician.read(|conn| Ok::<_, SyncError>(channel::all(conn)?)).unwrap();
    let id = uuid::Uuid::now_v7();
    for (channel, who) in channels.iter().zip(["s-a", "s-b"]) {
        let Payload::Summary(mut summary) = summary() else { unreachable!() };
        summary.id = who.into();
        let plaintext = serde_json::to_vec(&Payload::Summary(summary)).unwrap();
        let envelope = seal::seal(&channel.pairing.keys(), Direction::ToClinician, id, 0, &plaintext);
        let applied = clinician.write(|tx| {
            Ok::<_, SyncError>(apply(tx, channel, &channel.pairing.keys(), &id.to_string(), &envelope, now()))
        });
        assert!(matches!(applied, Ok(Ok(true))));
    }
    for (channel, who) in channels.iter().zip(["s-a", "s-b"]) {
        assert_eq!(clinician.received_summary(&channel.info.id, &id.to_string()).unwrap().id, who);
    }
}

#[test]
fn a_received_summary_is_checked_before_it_is_kept() {
    let changed = |change: fn(&mut serde_json::Value)| {
        let mut value = serde_json::to_value(summary()).unwrap();
        change(&mut value);
        serde_json::from_value::<Payload>(value).unwrap()
    };
    let refused = [
        changed(|v| v["schema"] = "waymark.summary/9".into()),
        changed(|v| v["created_at"] = "+99999-01-01T00:00:00Z".into()),
        changed(|v| v["from"] = "2026-12-01".into()),
        changed(|v| v["zone"] = "Mars/Base".into()),
        changed(|v| {
            v["measures"] = serde_json::json!([{ "id": "m", "instrument": "phq9", "at": "2026-11-02T09:00:00Z",
            "zone": "UTC", "total": 40, "severity": "severe", "items": [9, 9, 9, 9, 1] }])
        }),
    ];
    for payload in refused {
        let Payload::Summary(summary) = payload else { unreachable!() };
        assert!(summary.check_received().is_err(), "{summary:?}");
    }
    let Payload::Summary(fine) = summary() else { unreachable!() };
    assert_eq!(fine.check_received(), Ok(()));
}

#[test]
fn a_channel_paired_before_ids_followed_from_tokens_keeps_its_id() {
    let (_dir, patient, keys) = paired_patient();
    let legacy = "0123456789abcdef0123456789abcdef";
    patient.exclusive(|c| c.execute("UPDATE channel SET id = ?1", [legacy])).unwrap().unwrap();
    crate::share::tests::share_everything(&patient);
    let relay = Scripted::new(Vec::new());
    assert_eq!(patient.sync_at(&relay, now(), true).unwrap().uploaded, 1);
    assert!(relay.requests()[0].contains(&format!("/v1/channels/{legacy}/messages/")), "{:?}", relay.requests());
    let sent: Vec<u8> = patient
        .read(|c| c.query_row("SELECT envelope FROM outbox", [], |r| r.get(0)).map_err(SyncError::from))
        .unwrap();
    let (header, _) = waymark_protocol::Header::parse(&sent).unwrap();
    assert_eq!(header.channel.to_string(), legacy, "the header names the id the relay knows");
    assert_ne!(keys.channel.to_string(), legacy);
}

#[test]
fn a_page_listed_out_of_order_is_applied_in_cursor_order_and_nothing_follows_a_revoke() {
    let (_dir, patient, keys) = paired_patient();
    let relay = Scripted::new(vec![
        from_clinic(&keys, 3, prompt("Third"), 0),
        from_clinic(&keys, 1, prompt("First"), 0),
        from_clinic(&keys, 2, serde_json::json!({ "type": "revoke" }), 0),
    ]);
    let report = patient.sync_at(&relay, now(), true).unwrap();
    assert_eq!(report.received, 2, "{report:?}");
    let texts: Vec<String> = assigned(&patient).into_iter().map(|p| p.text).collect();
    assert_eq!(texts, ["First"], "the prompt after the Revoke is not applied");
}

#[test]
fn made_up_envelopes_of_a_newer_version_are_kept_only_a_few() {
    let (_dir, patient, keys) = paired_patient();
    let newer = |cursor: u64| {
        let mut listed = from_clinic(&keys, cursor, prompt("x"), 0);
        let mut bytes = waymark_protocol::decode_base64(&listed.envelope).unwrap();
        bytes[4] = 9;
        listed.envelope = waymark_protocol::encode_base64(&bytes);
        listed
    };
    let relay = Scripted::new((1..=MAX_HELD_UNOPENED as u64 + 5).map(newer).collect());
    let report = patient.sync_at(&relay, now(), true).unwrap();
    assert_eq!((report.held, report.rejected), (MAX_HELD_UNOPENED, 5), "{report:?}");
    assert!(held(&patient).iter().all(|h| h.state == HeldState::Unreadable));
}

#[test]
fn a_message_set_aside_can_be_tried_again_by_hand() {
    let (_dir, patient, keys) = paired_patient();
    let relay = Scripted::new(vec![from_clinic(&keys, 1, prompt("Once the disk has room"), 0)]);
    let fail = "CREATE TEMP TRIGGER fail BEFORE INSERT ON assigned_prompt BEGIN SELECT RAISE(ABORT, 'disk full'); END;";
    patient.exclusive(|conn| conn.execute_batch(fail)).unwrap().unwrap();
    for _ in 0..=MAX_APPLY_ATTEMPTS {
        patient.sync_at(&relay, now(), true).unwrap();
    }
    let id = held(&patient)[0].id.clone();
    patient.exclusive(|conn| conn.execute_batch("DROP TRIGGER fail")).unwrap().unwrap();
    assert_eq!(patient.sync_at(&relay, now(), true).unwrap().received, 0, "set aside until asked");
    patient.retry_message(&id).unwrap();
    assert_eq!(patient.sync_at(&relay, now(), true).unwrap().received, 1);
    assert!(held(&patient).is_empty());
}

#[test]
fn a_relay_address_an_older_version_let_through_never_gets_the_token() {
    let (_dir, patient, _) = paired_patient();
    patient
        .exclusive(|c| c.execute("UPDATE channel SET relay_url = 'http://127.0.0.1:9@attacker.example'", []))
        .unwrap()
        .unwrap();
    let relay = Scripted::new(Vec::new());
    let report = patient.sync_at(&relay, now(), true).unwrap();
    assert!(relay.requests().is_empty(), "{:?}", relay.requests());
    assert!(report.problems[0].contains("not a relay address"), "{report:?}");
}

/// A relay that takes a while over each request.
struct Slow(Scripted, Duration);

impl HttpTransport for Slow {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        std::thread::sleep(self.1);
        self.0.send(request)
    }
}

#[test]
fn a_sync_with_a_time_limit_stops_between_messages_and_the_next_goes_on() {
    let (_dir, patient, _) = paired_patient();
    for _ in 0..3 {
        crate::share::tests::share_everything(&patient);
    }
    let relay = Slow(Scripted::new(Vec::new()), Duration::from_millis(40));
    let none = patient.sync_within(&relay, now(), true, Some(Duration::ZERO)).unwrap();
    assert!(none.out_of_time && none.uploaded == 0 && none.pending == 3, "{none:?}");
    assert!(relay.0.requests().is_empty(), "nothing is started after the deadline");
    let one = patient.sync_within(&relay, now(), true, Some(Duration::from_millis(10))).unwrap();
    assert_eq!((one.uploaded, one.pending, one.out_of_time), (1, 2, true), "the message in flight is finished");
    assert!(one.problems.is_empty(), "running out of time is not a problem: {one:?}");
    let rest = patient.sync_within(&relay, now(), true, Some(Duration::from_secs(60))).unwrap();
    assert_eq!((rest.uploaded, rest.pending, rest.out_of_time), (2, 0, false));
}
