//! The one error the core's callers see: a storage failure, whatever call met
//! it, or the refusal of the module that was asked.
//!
//! Each module keeps its own error for its own rules, and a module that calls
//! another wraps that one's error. Callers should not have to dig through that
//! nesting to learn that the disk is full, so [`WaymarkError`] lifts every
//! storage failure out to one variant, and every other refusal to the module
//! that made it. The FFI throws it from every export; the CLI turns it into an
//! exit code.

use crate::backup::BackupError;
use crate::course::CourseError;
use crate::import::ImportError;
use crate::journal::JournalError;
use crate::measures::MeasureError;
use crate::prompts::PromptError;
use crate::reminders::ReminderError;
use crate::safety::SafetyError;
use crate::share::ShareError;
use crate::store::StoreError;
use crate::sync::SyncError;
use crate::time::ZoneError;

/// What a storage failure means to the patient, so a shell can send every one
/// of them to a single recovery screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum StorageFailure {
    /// The key does not open the profile: unlock again, or restore a backup.
    WrongKey,
    /// The file is damaged or is not a Waymark profile: restore a backup.
    Damaged,
    /// A newer Waymark wrote the profile: update the app.
    TooNew,
    /// The disk is full and nothing was saved: free some space and try again.
    DiskFull,
    /// The profile was closed: open it again.
    Closed,
    /// The profile is open, so it cannot be erased or restored over: close it first.
    InUse,
    /// Reading or writing failed for another reason: try again, then restore.
    Failed,
}

impl StoreError {
    pub fn failure(&self) -> StorageFailure {
        match self {
            StoreError::KeyLength { .. } | StoreError::WrongKey { .. } => StorageFailure::WrongKey,
            StoreError::Corrupt { .. } | StoreError::NotEncrypted { .. } | StoreError::Damaged { .. } => {
                StorageFailure::Damaged
            }
            StoreError::SchemaTooNew { .. } => StorageFailure::TooNew,
            StoreError::DiskFull => StorageFailure::DiskFull,
            StoreError::Closed => StorageFailure::Closed,
            StoreError::InUse { .. } => StorageFailure::InUse,
            StoreError::Io { .. } | StoreError::Sqlite { .. } => StorageFailure::Failed,
        }
    }
}

/// Every failure of a core call. `Storage` goes to the recovery screen; each
/// other variant carries its module's typed error, whose message says what
/// was wrong and what to do. A module error inside one of these never holds a
/// storage failure: that is always lifted out to `Storage`.
#[derive(Debug, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error))]
pub enum WaymarkError {
    #[error("{error}")]
    Storage { failure: StorageFailure, error: StoreError },
    #[error("{error}")]
    Journal { error: JournalError },
    #[error("{error}")]
    Measure { error: MeasureError },
    #[error("{error}")]
    Course { error: CourseError },
    #[error("{error}")]
    Reminder { error: ReminderError },
    #[error("{error}")]
    Prompt { error: PromptError },
    #[error("{error}")]
    Safety { error: SafetyError },
    #[error("{error}")]
    Share { error: ShareError },
    #[error("{error}")]
    Sync { error: SyncError },
    #[error("{error}")]
    Backup { error: BackupError },
    #[error("{error}")]
    Import { error: ImportError },
    /// A zone name no rule can use, refused before any call runs.
    #[error("{error}")]
    Zone { error: ZoneError },
}

impl WaymarkError {
    /// The storage failure, if that is what this is.
    pub fn storage_failure(&self) -> Option<StorageFailure> {
        match self {
            WaymarkError::Storage { failure, .. } => Some(*failure),
            _ => None,
        }
    }
}

impl From<ZoneError> for WaymarkError {
    fn from(error: ZoneError) -> Self {
        WaymarkError::Zone { error }
    }
}

impl From<StoreError> for WaymarkError {
    fn from(error: StoreError) -> Self {
        WaymarkError::Storage { failure: error.failure(), error }
    }
}

/// A module's refusal stays its own; a storage failure inside it is lifted out.
macro_rules! refused_by {
    ($($module:ident => $variant:ident),+ $(,)?) => {$(
        impl From<$module> for WaymarkError {
            fn from(error: $module) -> Self {
                match error {
                    $module::Store(store) => store.into(),
                    error => WaymarkError::$variant { error },
                }
            }
        }
    )+};
}

refused_by!(
    JournalError => Journal,
    MeasureError => Measure,
    CourseError => Course,
    SafetyError => Safety,
    BackupError => Backup,
    ImportError => Import,
);

impl From<ReminderError> for WaymarkError {
    fn from(error: ReminderError) -> Self {
        match error {
            ReminderError::Store(store) => store.into(),
            ReminderError::Course(course) => course.into(),
            ReminderError::Prompt(prompt) => prompt.into(),
            error => WaymarkError::Reminder { error },
        }
    }
}

impl From<PromptError> for WaymarkError {
    fn from(error: PromptError) -> Self {
        match error {
            PromptError::Store(store) => store.into(),
            PromptError::Journal(journal) => journal.into(),
            PromptError::Course(course) => course.into(),
            error => WaymarkError::Prompt { error },
        }
    }
}

impl From<ShareError> for WaymarkError {
    fn from(error: ShareError) -> Self {
        match error {
            ShareError::Store(store) => store.into(),
            ShareError::Course(course) => course.into(),
            error => WaymarkError::Share { error },
        }
    }
}

impl From<SyncError> for WaymarkError {
    fn from(error: SyncError) -> Self {
        match error {
            SyncError::Store(store) => store.into(),
            SyncError::Share(share) => share.into(),
            error => WaymarkError::Sync { error },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::Store;

    fn full() -> StoreError {
        StoreError::DiskFull
    }

    #[test]
    fn a_storage_failure_is_lifted_out_of_however_many_modules_wrap_it() {
        let nested = [
            WaymarkError::from(ReminderError::Prompt(PromptError::Journal(JournalError::Store(full())))),
            WaymarkError::from(ReminderError::Course(CourseError::Store(full()))),
            WaymarkError::from(SyncError::Share(ShareError::Store(full()))),
            WaymarkError::from(PromptError::Course(CourseError::Store(full()))),
            WaymarkError::from(BackupError::Store(full())),
            WaymarkError::from(ImportError::Store(full())),
            WaymarkError::from(SafetyError::Store(full())),
            WaymarkError::from(MeasureError::Store(full())),
        ];
        for error in nested {
            assert_eq!(error.storage_failure(), Some(StorageFailure::DiskFull), "{error:?}");
            assert_eq!(error.to_string(), full().to_string());
        }
    }

    #[test]
    fn a_refusal_stays_with_the_module_that_made_it() {
        let refusal =
            WaymarkError::from(ReminderError::Prompt(PromptError::Journal(JournalError::InvalidValence { value: 9 })));
        assert!(matches!(refusal, WaymarkError::Journal { error: JournalError::InvalidValence { value: 9 } }));
        assert_eq!(refusal.storage_failure(), None);
        let own = WaymarkError::from(ReminderError::InvalidMaxPending { value: 0, max: 64 });
        assert!(matches!(own, WaymarkError::Reminder { .. }));
    }

    #[test]
    fn each_store_error_has_the_failure_a_recovery_screen_needs() {
        let path = || "p".to_string();
        let detail = || "d".to_string();
        let table = [
            (StoreError::KeyLength { expected: 32, found: 3 }, StorageFailure::WrongKey),
            (StoreError::WrongKey { path: path() }, StorageFailure::WrongKey),
            (StoreError::Corrupt { path: path(), detail: detail() }, StorageFailure::Damaged),
            (StoreError::NotEncrypted { path: path() }, StorageFailure::Damaged),
            (StoreError::Damaged { detail: detail() }, StorageFailure::Damaged),
            (StoreError::SchemaTooNew { path: path(), found: 9, supported: 8 }, StorageFailure::TooNew),
            (StoreError::DiskFull, StorageFailure::DiskFull),
            (StoreError::Closed, StorageFailure::Closed),
            (StoreError::InUse { path: path() }, StorageFailure::InUse),
            (StoreError::Io { path: path(), detail: detail() }, StorageFailure::Failed),
            (StoreError::Sqlite { detail: detail() }, StorageFailure::Failed),
        ];
        for (error, failure) in table {
            assert_eq!(error.failure(), failure, "{error:?}");
        }
    }

    /// Damages each page of a profile in turn: opening it, or any call that
    /// reads the page, fails as `Damaged`, never as something else.
    #[test]
    fn a_damaged_page_met_by_any_call_is_the_damaged_storage_failure() {
        use crate::test_support::{open_store, KEY};
        const PAGE: usize = 4096;
        let (dir, store) = open_store();
        store.pair(&crate::sync::Pairing::new("http://127.0.0.1:9").unwrap().code()).unwrap();
        crate::share::tests::share_everything(&store);
        store.close();
        let path = dir.path().join("waymark.db");
        let original = std::fs::read(&path).unwrap();
        let request = crate::share::ShareRequest {
            from: "2026-01-01".into(),
            to: "2026-01-02".into(),
            zone: "UTC".parse().unwrap(),
            scopes: vec![crate::share::ShareScope::Mood],
        };
        let mut damaged = std::collections::BTreeMap::<&str, u32>::new();
        // Page 0 holds the salt: damaged, it cannot be told from a wrong key, and says so.
        for page in 1..original.len() / PAGE {
            let mut bytes = original.clone();
            bytes[page * PAGE..(page + 1) * PAGE].fill(0x5a);
            std::fs::write(&path, bytes).unwrap();
            let store = match Store::open(&path, &KEY) {
                Ok(store) => store,
                Err(error) => {
                    assert_eq!(error.failure(), StorageFailure::Damaged, "page {page}: {error}");
                    *damaged.entry("open").or_default() += 1;
                    continue;
                }
            };
            let now = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_000);
            let calls = [
                (
                    "reminders",
                    store
                        .reconcile_notifications(now, "UTC".parse().unwrap(), None)
                        .map(drop)
                        .map_err(WaymarkError::from),
                ),
                ("share", store.share(&request).map(drop).map_err(WaymarkError::from)),
                ("settings", store.settings().map(drop)),
            ];
            for (call, result) in calls {
                if let Err(error) = result {
                    assert_eq!(error.storage_failure(), Some(StorageFailure::Damaged), "page {page}, {call}: {error}");
                    *damaged.entry(call).or_default() += 1;
                }
            }
        }
        for call in ["open", "reminders", "share", "settings"] {
            assert!(damaged.get(call).is_some_and(|&n| n > 0), "{call} never met a damaged page: {damaged:?}");
        }
    }
}
