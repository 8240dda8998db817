//! Opening a profile: the encrypted store, then what the modules above it
//! tidy on opening. The store is the ground floor and names none of them.

use std::path::Path;
use std::time::SystemTime;

use crate::journal;
use crate::store::{Store, StoreError};

impl Store {
    /// Opens (or creates) the encrypted profile at `path` with its 32-byte
    /// key, brings its schema up to date, and purges from the journal's bin
    /// what has outlived the undo window.
    pub fn open(path: impl AsRef<Path>, key: &[u8]) -> Result<Self, StoreError> {
        let store = Store::open_file(path, key)?;
        store.write(|tx| Ok::<_, StoreError>(journal::empty_bin(tx, journal::bin_cutoff(SystemTime::now()))?))?;
        Ok(store)
    }
}
