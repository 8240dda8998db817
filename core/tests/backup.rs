//! Backup and restore: every kind of record survives the round trip, and a
//! bad file, a wrong passphrase or a full target changes nothing.

use std::path::Path;

use waymark_core::backup::{restore, BackupError, Cost};
use waymark_core::export::ExportFormat;
use waymark_core::journal::JournalQuery;
use waymark_core::measures::{Answer, Instrument};
use waymark_core::share::{ShareRequest, ShareScope};
use waymark_core::sync::Pairing;
use waymark_core::{AssessmentDraft, CheckInDraft, CourseDraft, CourseTemplate, SafetyPlanStep, Store, VitalsDraft};

const KEY: [u8; 32] = [0x33; 32];
const OTHER_KEY: [u8; 32] = [0x44; 32];
const PASSPHRASE: &str = "correct horse battery";
/// Cheap enough for tests; real backups use `PHONE`.
const TEST_COST: Cost = Cost { memory_kib: 1024, passes: 1, lanes: 1 };

fn at(text: &str) -> std::time::SystemTime {
    chrono::DateTime::parse_from_rfc3339(text).unwrap().into()
}

fn populated(path: &Path) -> Store {
    let store = Store::open(path, &KEY).unwrap();
    store
        .add_checkin(&CheckInDraft {
            text: "a shared note".into(),
            shared: true,
            ..CheckInDraft::new(2, "Europe/Paris".parse().unwrap())
        })
        .unwrap();
    let deleted = store.add_checkin(&CheckInDraft::new(-2, "Europe/Paris".parse().unwrap())).unwrap();
    store.delete_checkin(&deleted.id).unwrap();
    let answers = [1, 2, 1, 0, 1, 1, 0, 1, 1].map(|value| Answer::Score { value }).to_vec();
    store.add_assessment(&AssessmentDraft::new(Instrument::Phq9, answers, "Europe/Paris".parse().unwrap())).unwrap();
    store.add_vitals(&VitalsDraft::blood_pressure(128, 82, "Europe/Paris".parse().unwrap())).unwrap();
    let course = CourseDraft {
        template: CourseTemplate::Esketamine,
        first_session: "2026-11-02T10:00".into(),
        zone: "Europe/Paris".parse().unwrap(),
        place: "Clinic".into(),
    };
    store.start_course(&course).unwrap();
    store.add_safety_plan_item(SafetyPlanStep::PeopleToAsk, "My sister Ana").unwrap();
    store.set_region(Some("FR")).unwrap();
    let due = store.prompts_due(at("2026-11-03T12:00:00Z")).unwrap();
    store
        .answer_prompt_at(
            at("2026-11-03T12:00:00Z"),
            &due[0].id,
            "Lighter today",
            1,
            "Europe/Paris".parse().unwrap(),
            true,
        )
        .unwrap();
    store.pair(&Pairing::new("https://relay.example.org").unwrap().code()).unwrap();
    let request = ShareRequest {
        from: "2026-11-01".into(),
        to: "2026-11-30".into(),
        zone: "Europe/Paris".parse().unwrap(),
        scopes: vec![ShareScope::Notes],
    };
    store.share(&request).unwrap();
    store
}

fn json(store: &Store) -> String {
    store.export_at(ExportFormat::Json, at("2026-12-01T00:00:00Z")).unwrap().remove(0).content
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn every_record_survives_a_backup_and_restore() {
    let dir = tempfile::tempdir().unwrap();
    let original = populated(&dir.path().join("waymark.db"));
    let backup = original.backup_with(PASSPHRASE, TEST_COST).unwrap();
    assert!(!backup.windows(13).any(|w| w == b"a shared note"), "the backup is encrypted");

    let fresh = tempfile::tempdir().unwrap();
    let target = fresh.path().join("waymark.db");
    let report = restore(&backup, PASSPHRASE, &target, &OTHER_KEY, false).unwrap();
    assert_eq!((report.checkins, report.assessments), (2, 1));
    let restored = Store::open(&target, &OTHER_KEY).unwrap();
    assert_eq!(json(&restored), json(&original), "the JSON exports are identical");
    let pending = |store: &Store| store.sync_status().unwrap().channels[0].pending;
    assert_eq!((pending(&restored), pending(&original)), (1, 1), "pairing and outbox come along");
    assert!(restored.safety_plan().unwrap().sections[3].items[0].text == "My sister Ana");
    assert!(matches!(Store::open(&target, &KEY), Err(waymark_core::StoreError::WrongKey { .. })), "under the new key");
}

#[test]
fn a_bad_file_or_passphrase_fails_with_its_own_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let backup = populated(&dir.path().join("waymark.db")).backup_with(PASSPHRASE, TEST_COST).unwrap();
    let target_dir = tempfile::tempdir().unwrap();
    let target = target_dir.path().join("waymark.db");
    let existing = Store::open(&target, &OTHER_KEY).unwrap();
    existing.add_checkin(&CheckInDraft::new(0, "UTC".parse().unwrap())).unwrap();
    drop(existing);
    let before = files(target_dir.path());

    let attempt =
        |file: &[u8], passphrase: &str, replace: bool| restore(file, passphrase, &target, &OTHER_KEY, replace);
    assert!(matches!(attempt(&backup[..backup.len() - 10], PASSPHRASE, true), Err(BackupError::Truncated { .. })));
    assert!(matches!(attempt(&backup[..40], PASSPHRASE, true), Err(BackupError::Truncated { .. })));
    let mut flipped = backup.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x01;
    assert!(matches!(attempt(&flipped, PASSPHRASE, true), Err(BackupError::Tampered)));
    let mut length = backup.clone();
    length[75] ^= 0x01;
    assert!(matches!(attempt(&length, PASSPHRASE, true), Err(BackupError::Truncated { .. } | BackupError::Tampered)));
    assert!(matches!(attempt(&backup, "wrong horse battery", true), Err(BackupError::WrongPassphrase)));
    let mut endless = backup.clone();
    endless[68..76].copy_from_slice(&u64::MAX.to_be_bytes());
    assert!(matches!(attempt(&endless, PASSPHRASE, true), Err(BackupError::Tampered)), "found by fuzzing");
    let mut greedy = backup.clone();
    greedy[5..9].copy_from_slice(&(1u32 << 20).to_be_bytes());
    assert!(matches!(attempt(&greedy, PASSPHRASE, true), Err(BackupError::Tampered)), "1 GiB is refused unworked");
    let mut newer = backup.clone();
    newer[4] = 3;
    assert!(matches!(attempt(&newer, PASSPHRASE, true), Err(BackupError::NewerFormat { version: 3 })));
    let mut longer = backup.clone();
    longer.push(0);
    assert!(matches!(attempt(&longer, PASSPHRASE, true), Err(BackupError::Tampered)), "a byte past the last chunk");
    assert!(matches!(attempt(b"SQLite format 3\0 and so on", PASSPHRASE, true), Err(BackupError::NotABackup)));
    assert!(matches!(attempt(&backup, PASSPHRASE, false), Err(BackupError::TargetNotEmpty)));
    assert_eq!(files(target_dir.path()), before, "the target is byte for byte as it was");

    let report = attempt(&backup, PASSPHRASE, true).unwrap();
    assert_eq!(report.checkins, 2, "replacing, when asked, takes the backup's journal");
    let leftovers: Vec<String> = files(target_dir.path()).into_iter().map(|(name, _)| name).collect();
    assert!(leftovers.iter().all(|name| !name.contains("restoring")), "{leftovers:?}");
}

#[test]
fn an_empty_new_store_is_restored_over_without_asking() {
    let dir = tempfile::tempdir().unwrap();
    let backup = populated(&dir.path().join("waymark.db")).backup_with(PASSPHRASE, TEST_COST).unwrap();
    let target_dir = tempfile::tempdir().unwrap();
    let target = target_dir.path().join("waymark.db");
    drop(Store::open(&target, &OTHER_KEY).unwrap());
    assert_eq!(restore(&backup, PASSPHRASE, &target, &OTHER_KEY, false).unwrap().checkins, 2);
    assert!(matches!(
        populated(&dir.path().join("second.db")).backup_with("short", TEST_COST),
        Err(BackupError::WeakPassphrase { min: 8 })
    ));
}

#[test]
fn a_profile_holding_anything_is_not_restored_over_without_asking() {
    let dir = tempfile::tempdir().unwrap();
    let backup = populated(&dir.path().join("waymark.db")).backup_with(PASSPHRASE, TEST_COST).unwrap();
    type Fill = fn(&Store);
    let fills: [(&str, Fill); 4] = [
        ("a pairing", |s| drop(s.pair(&Pairing::new("https://relay.example.org").unwrap().code()).unwrap())),
        ("a clinician's channel", |s| drop(s.invite("https://relay.example.org", "A.B.").unwrap())),
        ("a safety plan", |s| drop(s.add_safety_plan_item(SafetyPlanStep::CopingStrategies, "A walk").unwrap())),
        ("a region", |s| drop(s.set_region(Some("FR")).unwrap())),
    ];
    for (what, fill) in fills {
        let target_dir = tempfile::tempdir().unwrap();
        let target = target_dir.path().join("waymark.db");
        fill(&Store::open(&target, &OTHER_KEY).unwrap());
        let before = files(target_dir.path());
        let refused = restore(&backup, PASSPHRASE, &target, &OTHER_KEY, false);
        assert!(matches!(refused, Err(BackupError::TargetNotEmpty)), "{what}: {refused:?}");
        assert_eq!(files(target_dir.path()), before, "{what}");
    }
}

#[test]
fn an_open_profile_is_never_restored_over_or_erased_and_a_closed_one_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let backup = populated(&dir.path().join("waymark.db")).backup_with(PASSPHRASE, TEST_COST).unwrap();
    let target_dir = tempfile::tempdir().unwrap();
    let target = target_dir.path().join("waymark.db");
    let open = Store::open(&target, &OTHER_KEY).unwrap();
    let written = open.add_checkin(&CheckInDraft::new(1, "UTC".parse().unwrap())).unwrap();
    let by_another_name = target_dir.path().join(".").join("waymark.db");
    let refused = restore(&backup, PASSPHRASE, &by_another_name, &OTHER_KEY, true);
    assert!(matches!(refused, Err(BackupError::Store(waymark_core::StoreError::InUse { .. }))), "{refused:?}");
    assert!(matches!(waymark_core::store::erase(&target), Err(waymark_core::StoreError::InUse { .. })));
    assert_eq!(open.checkin(&written.id).unwrap().id, written.id, "the acknowledged write is still there");

    open.close();
    assert!(matches!(
        open.checkin(&written.id),
        Err(waymark_core::JournalError::Store(waymark_core::StoreError::Closed))
    ));
    open.close();
    assert_eq!(restore(&backup, PASSPHRASE, &target, &OTHER_KEY, true).unwrap().checkins, 2);
    assert!(waymark_core::store::erase(&target).unwrap() >= 1);
}

/// Format 1 (one sealed in-memory image, before streaming) is still read:
/// this file was made by the fuzz seed generator before format 2 existed.
#[test]
fn a_format_1_backup_is_still_restored() {
    let file = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/backup-v1.wmbk")).unwrap();
    assert_eq!(file[4], 1);
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("waymark.db");
    let report = restore(&file, "fuzzing the restore", &target, &OTHER_KEY, false).unwrap();
    assert!(report.checkins > 0, "{report:?}");
    let store = Store::open(&target, &OTHER_KEY).unwrap();
    let page = store.journal_page(&JournalQuery { limit: 1000, ..JournalQuery::default() }).unwrap();
    assert_eq!(page.entries.len() as u32, report.checkins);
    assert!(matches!(
        restore(&file[..file.len() - 1], "fuzzing the restore", dir.path().join("b.db"), &OTHER_KEY, false),
        Err(BackupError::Truncated { .. })
    ));
}

/// A store of several 64 KiB chunks, whose chunks are swapped, dropped or
/// cut: each is refused, and a whole one restores every text.
#[test]
fn a_store_of_many_chunks_restores_whole_and_its_chunks_cannot_be_moved() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("waymark.db"), &KEY).unwrap();
    let texts: Vec<String> = (0..40).map(|n| format!("entry {n} ").repeat(1_000)).collect();
    for text in &texts {
        store
            .add_checkin(&CheckInDraft { text: text.clone(), ..CheckInDraft::new(1, "UTC".parse().unwrap()) })
            .unwrap();
    }
    let backup = store.backup_with(PASSPHRASE, TEST_COST).unwrap();
    const SEALED: usize = 64 * 1024 + 16;
    assert!(backup.len() > 76 + 4 * SEALED, "{} bytes", backup.len());
    let attempt = |file: &[u8], name: &str| restore(file, PASSPHRASE, dir.path().join(name), &OTHER_KEY, false);

    let mut swapped = backup.clone();
    let (first, second) = (76..76 + SEALED, 76 + SEALED..76 + 2 * SEALED);
    let copy = swapped[first.clone()].to_vec();
    swapped.copy_within(second.clone(), first.start);
    swapped[second].copy_from_slice(&copy);
    assert!(matches!(attempt(&swapped, "swapped.db"), Err(BackupError::Tampered)));
    let mut dropped = backup[..76 + SEALED].to_vec();
    dropped.extend(&backup[76 + 2 * SEALED..]);
    assert!(matches!(attempt(&dropped, "dropped.db"), Err(BackupError::Truncated { .. } | BackupError::Tampered)));
    let whole_chunks = 76 + (backup.len() - 76) / SEALED * SEALED;
    assert!(matches!(attempt(&backup[..whole_chunks], "cut.db"), Err(BackupError::Truncated { .. })));
    assert!(!dir.path().read_dir().unwrap().any(|e| e.unwrap().file_name().to_string_lossy().contains("restoring")));

    attempt(&backup, "restored.db").unwrap();
    let restored = Store::open(dir.path().join("restored.db"), &OTHER_KEY).unwrap();
    let page = restored.journal_page(&JournalQuery { limit: 100, ..JournalQuery::default() }).unwrap();
    let mut found: Vec<String> = page.entries.iter().map(|row| restored.checkin(&row.id).unwrap().text).collect();
    found.sort();
    let mut expected = texts.clone();
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn a_backup_file_is_written_whole_and_owner_only_or_not_at_all() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let store = populated(&dir.path().join("waymark.db"));
    let path = dir.path().join("backup.waymark");
    assert!(matches!(store.backup_to_file(&path, "short"), Err(BackupError::WeakPassphrase { .. })));
    assert!(!path.exists());
    let size = store.backup_to_file(&path, PASSPHRASE).unwrap();
    let metadata = std::fs::metadata(&path).unwrap();
    assert_eq!((metadata.len(), metadata.permissions().mode() & 0o777), (size, 0o600));
    let names: Vec<String> =
        dir.path().read_dir().unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|name| !name.contains("partial") && !name.contains("backup-image")), "{names:?}");
    let report = waymark_core::backup::restore_file(&path, PASSPHRASE, dir.path().join("b.db"), &OTHER_KEY, false);
    assert_eq!(report.unwrap().checkins, 2);
}
