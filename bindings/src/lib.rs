//! The uniffi surface of waymark-core: one object per open profile, with
//! calls shaped around screens. Everything here converts and delegates; the
//! rules live in the core.

use std::sync::Arc;

use zeroize::Zeroizing;

use waymark_core::{
    CheckIn, CheckInDraft, JournalError, JournalPage, JournalQuery, SearchHit, Store, StoreError, TodayView,
};

uniffi::setup_scaffolding!("waymark");

/// A patient's open, encrypted Waymark database.
#[derive(uniffi::Object)]
pub struct Waymark {
    store: Store,
}

#[uniffi::export]
impl Waymark {
    /// Opens or creates the database at `path` with the shell's 32-byte key
    /// (sealed by Android Keystore or the iOS Keychain).
    #[uniffi::constructor]
    pub fn open(path: String, key: Vec<u8>) -> Result<Arc<Self>, StoreError> {
        let key = Zeroizing::new(key);
        Ok(Arc::new(Self { store: Store::open(path, &key)? }))
    }

    /// Re-encrypts the database under a new 32-byte key.
    pub fn rekey(&self, new_key: Vec<u8>) -> Result<(), StoreError> {
        self.store.rekey(&Zeroizing::new(new_key))
    }

    /// The home screen: today's entries, the streak and the last seven days.
    pub fn today(&self, zone: String) -> Result<TodayView, JournalError> {
        self.store.today(&zone)
    }

    pub fn add_checkin(&self, draft: CheckInDraft) -> Result<CheckIn, JournalError> {
        self.store.add_checkin(&draft)
    }

    pub fn checkin(&self, id: String) -> Result<CheckIn, JournalError> {
        self.store.checkin(&id)
    }

    pub fn edit_checkin(&self, id: String, draft: CheckInDraft) -> Result<CheckIn, JournalError> {
        self.store.edit_checkin(&id, &draft)
    }

    pub fn delete_checkin(&self, id: String) -> Result<CheckIn, JournalError> {
        self.store.delete_checkin(&id)
    }

    pub fn undelete_checkin(&self, id: String) -> Result<CheckIn, JournalError> {
        self.store.undelete_checkin(&id)
    }

    pub fn journal_page(&self, query: JournalQuery) -> Result<JournalPage, JournalError> {
        self.store.journal_page(&query)
    }

    pub fn search_journal(&self, query: String, limit: u32) -> Result<Vec<SearchHit>, JournalError> {
        self.store.search_journal(&query, limit)
    }
}
