use super::*;
use crate::journal::tests::{at, open_store};
use crate::journal::CheckInDraft;
use crate::measures::{Answer, AssessmentDraft, Instrument};
use crate::sync::{Pairing, SyncError};

fn request(scopes: &[ShareScope]) -> ShareRequest {
    ShareRequest {
        from: "2026-11-01".into(),
        to: "2026-11-30".into(),
        zone: "Europe/Paris".into(),
        scopes: scopes.to_vec(),
    }
}

fn summary(store: &Store, scopes: &[ShareScope]) -> Summary {
    serde_json::from_str(&store.preview_share(&request(scopes)).unwrap().json).unwrap()
}

fn note(store: &Store, when: &str, text: &str, shared: bool) {
    let draft = CheckInDraft {
        text: text.into(),
        shared,
        occurred_at: Some(at(when)),
        energy: Some(3),
        ..CheckInDraft::new(1, "Europe/Paris")
    };
    store.add_checkin(&draft).unwrap();
}

fn seeded() -> (tempfile::TempDir, Store) {
    let (dir, store) = open_store();
    note(&store, "2026-11-03T08:00:00Z", "PRIVATE-SENTINEL stays on the phone", false);
    note(&store, "2026-11-04T08:00:00Z", "Shared: calmer after the session", true);
    note(&store, "2026-10-31T22:30:00Z", "Shared, but the evening before the range in Paris", true);
    note(&store, "2026-11-30T23:30:00Z", "Shared, on 1 December in Paris", true);
    let answers = [1, 1, 1, 1, 1, 1, 1, 1, 0].map(|value| Answer::Score { value }).to_vec();
    let draft = AssessmentDraft {
        instrument: Instrument::Phq9,
        answers,
        taken_at: Some(at("2026-11-10T09:00:00Z")),
        zone: "Europe/Paris".into(),
        session_id: None,
        shared: false,
    };
    store.add_assessment(&draft).unwrap();
    (dir, store)
}

#[test]
fn a_summary_holds_only_the_scopes_picked() {
    let (_dir, store) = seeded();
    let mood_only = summary(&store, &[ShareScope::Mood]);
    assert_eq!(mood_only.schema, "waymark.summary/1");
    assert_eq!(mood_only.scopes, [ShareScope::Mood]);
    assert_eq!(mood_only.mood.as_ref().unwrap().len(), 2, "local days in Paris: 3 and 4 November");
    assert!(mood_only.measures.is_none() && mood_only.notes.is_none() && mood_only.sessions.is_none());
    let json = store.preview_share(&request(&[ShareScope::Mood])).unwrap().json;
    assert!(!json.contains("calmer") && !json.contains("SENTINEL"), "mood carries no text");

    let measures = summary(&store, &[ShareScope::Measures, ShareScope::Safety]);
    let phq9 = &measures.measures.unwrap()[0];
    assert_eq!((phq9.instrument.as_str(), phq9.total, phq9.severity.as_str()), ("phq9", 8, "mild"));
    assert_eq!(phq9.items.len(), 9);
    assert!(measures.safety.unwrap().is_empty() && measures.mood.is_none());
}

#[test]
fn notes_are_only_those_marked_shareable() {
    let (_dir, store) = seeded();
    let notes = summary(&store, &[ShareScope::Notes]).notes.unwrap();
    assert_eq!(notes.iter().map(|n| n.text.as_str()).collect::<Vec<_>>(), ["Shared: calmer after the session"]);
}

#[test]
fn bad_requests_are_typed_errors() {
    let (_dir, store) = seeded();
    let bad = |change: fn(&mut ShareRequest)| {
        let mut request = request(&[ShareScope::Mood]);
        change(&mut request);
        store.preview_share(&request).unwrap_err()
    };
    assert!(matches!(bad(|r| r.from = "1 Nov".into()), ShareError::InvalidDate { .. }));
    assert!(matches!(bad(|r| r.to = "2026-10-01".into()), ShareError::BackwardsRange { .. }));
    assert!(matches!(bad(|r| r.from = "2024-01-01".into()), ShareError::RangeTooLong { days: 1065, max: 366 }));
    assert!(matches!(bad(|r| r.scopes.clear()), ShareError::NoScopes));
    assert!(matches!(bad(|r| r.zone = "Mars/Base".into()), ShareError::UnknownZone { .. }));
}

#[test]
fn sharing_needs_a_pairing_and_then_queues_one_sealed_envelope() {
    let (_dir, store) = seeded();
    let refused = store.share(&request(&[ShareScope::Notes]));
    assert!(matches!(refused, Err(ShareError::Sync(SyncError::NotPaired))));
    let code = Pairing::new("http://127.0.0.1:9").unwrap().code();
    store.pair(&code).unwrap();
    let preview = store.share(&request(&[ShareScope::Notes, ShareScope::Mood])).unwrap();
    assert!(preview.json.contains("calmer after the session"));
    let status = store.sync_status().unwrap();
    assert_eq!(status.channels.len(), 1);
    assert_eq!(status.channels[0].pending, 1);
    let envelope: Vec<u8> = store
        .read(|conn| Ok::<_, ShareError>(conn.query_row("SELECT envelope FROM outbox", [], |r| r.get(0))?))
        .unwrap();
    assert!(!envelope.windows(6).any(|w| w == b"calmer"), "the outbox holds ciphertext");
}
