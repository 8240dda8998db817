//! What the crate's tests share: a fresh profile, instants from RFC 3339, and check-in drafts.

use std::time::SystemTime;

use crate::journal::CheckInDraft;
use crate::store::Store;

pub(crate) const KEY: [u8; 32] = [42; 32];

pub(crate) fn open_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("waymark.db"), &KEY).unwrap();
    (dir, store)
}

pub(crate) fn at(rfc3339: &str) -> SystemTime {
    chrono::DateTime::parse_from_rfc3339(rfc3339).unwrap().into()
}

pub(crate) fn draft_at(valence: i32, when: &str, text: &str) -> CheckInDraft {
    CheckInDraft {
        occurred_at: Some(at(when)),
        text: text.to_string(),
        ..CheckInDraft::new(valence, "Europe/London".parse().unwrap())
    }
}
