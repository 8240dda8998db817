//! What a thief with the files sees: nothing of what the patient wrote.

use std::path::Path;

use waymark_core::{CheckInDraft, Store};

const KEY: [u8; 32] = [0x5a; 32];
const NOTE: &str = "my very private note about the infusion, ZQXJ-7731";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

fn assert_no_plaintext(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let file = db.with_file_name(format!("waymark.db{suffix}"));
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        for needle in [NOTE.as_bytes(), b"ZQXJ-7731".as_slice(), b"SQLite format 3".as_slice(), b"checkin".as_slice()] {
            assert!(!contains(&bytes, needle), "{} holds {:?}", file.display(), String::from_utf8_lossy(needle));
        }
    }
}

#[test]
fn notes_never_reach_the_database_wal_or_shm_in_clear() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("waymark.db");
    let store = Store::open(&db, &KEY).unwrap();
    for _ in 0..20 {
        store.add_checkin(&CheckInDraft { text: NOTE.into(), ..CheckInDraft::new(1, "UTC".parse().unwrap()) }).unwrap();
    }
    // While open, the new pages sit in the WAL.
    assert!(std::fs::metadata(db.with_file_name("waymark.db-wal")).unwrap().len() > 0);
    assert_no_plaintext(&db);
    drop(store);
    assert_no_plaintext(&db);
    assert!(!std::fs::read(&db).unwrap().starts_with(b"SQLite format 3"));
    let store = Store::open(&db, &KEY).unwrap();
    assert_eq!(store.search_journal("ZQXJ", 50).unwrap().len(), 20, "and the key still reads it all");
}

#[test]
fn erasing_leaves_no_file_of_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("waymark.db");
    let store = Store::open(&db, &KEY).unwrap();
    store.add_checkin(&CheckInDraft { text: NOTE.into(), ..CheckInDraft::new(0, "UTC".parse().unwrap()) }).unwrap();
    drop(store);
    let other = dir.path().join("unrelated.txt");
    std::fs::write(&other, "kept").unwrap();
    assert!(waymark_core::store::erase(&db).unwrap() >= 1);
    let left: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(left, ["unrelated.txt"], "only what was not the store's remains");
    assert_eq!(waymark_core::store::erase(&db).unwrap(), 0, "erasing twice finds nothing");
}
