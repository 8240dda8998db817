//! Encrypted backups: the whole store in one file, protected by a passphrase
//! (Argon2id, its parameters in the header) and XChaCha20-Poly1305 with the
//! header as associated data. The format is in `docs/backup-format.md`.
//!
//! The store is copied into an unencrypted in-memory database and serialised,
//! so no plaintext copy ever touches the disk. Restore builds the new store
//! beside the target, checks it opens, and only then moves it into place:
//! any failure leaves the existing store as it was.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::{Aead, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rusqlite::Connection;
use zeroize::Zeroizing;

use crate::store::{initialize_sqlcipher, schema_made_at, schema_of, DatabaseKey, Store, StoreError, SCHEMA_VERSION};

const MAGIC: &[u8; 4] = b"WMBK";
pub const FORMAT_VERSION: u8 = 1;
/// magic 4, version 1, memory KiB 4, passes 4, lanes 4, salt 16, check 16, nonce 24, length 8.
const HEADER_LEN: usize = 81;
/// The most a header may ask of Argon2id: four times the phone's cost, so a
/// forged file cannot exhaust a phone's memory or keep it busy for minutes.
const MAX_COST: Cost = Cost { memory_kib: 256 * 1024, passes: 12, lanes: 4 };

/// Argon2id's cost: memory in KiB, passes and lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
}

/// Sized for a phone: 64 MiB and three passes, about a second on a mid-range device.
pub const PHONE: Cost = Cost { memory_kib: 64 * 1024, passes: 3, lanes: 1 };

#[derive(Debug, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error), uniffi(flat_error))]
pub enum BackupError {
    #[error("this file is not a Waymark backup; pick the .waymark file you saved")]
    NotABackup,
    #[error("the backup is cut short ({len} of {expected} bytes); copy the whole file again")]
    Truncated { len: u64, expected: u64 },
    #[error("the passphrase does not open this backup; check it and try again")]
    WrongPassphrase,
    #[error("the backup was changed or damaged after it was made, so it cannot be trusted")]
    Tampered,
    #[error("the backup is format {version}, newer than this app reads; update Waymark first")]
    NewerFormat { version: u8 },
    #[error("the passphrase is too short; use at least {min} characters")]
    WeakPassphrase { min: u32 },
    #[error("this profile already holds data (a journal, a safety plan, a pairing or more); restore over it only if you mean to replace it")]
    TargetNotEmpty,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for BackupError {
    fn from(error: rusqlite::Error) -> Self {
        BackupError::Store(error.into())
    }
}

pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// 32 bytes of key, then 16 to check the passphrase before decrypting.
fn derive(passphrase: &str, salt: &[u8; 16], cost: Cost) -> Result<Zeroizing<[u8; 48]>, BackupError> {
    // A fuzzer must try thousands of headers a second; the checks on the cost are the same.
    #[cfg(fuzzing)]
    let cost = Cost { memory_kib: cost.memory_kib.min(64), passes: cost.passes.min(1), lanes: cost.lanes.min(1) };
    let params = Params::new(cost.memory_kib, cost.passes, cost.lanes, Some(48)).map_err(|_| BackupError::Tampered)?;
    let mut out = Zeroizing::new([0u8; 48]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
        .map_err(|_| BackupError::Tampered)?;
    Ok(out)
}

struct Header {
    cost: Cost,
    salt: [u8; 16],
    check: [u8; 16],
    nonce: [u8; 24],
    length: u64,
}

impl Header {
    fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(HEADER_LEN);
        bytes.extend(MAGIC);
        bytes.push(FORMAT_VERSION);
        for n in [self.cost.memory_kib, self.cost.passes, self.cost.lanes] {
            bytes.extend(n.to_be_bytes());
        }
        bytes.extend(self.salt);
        bytes.extend(self.check);
        bytes.extend(self.nonce);
        bytes.extend(self.length.to_be_bytes());
        bytes
    }

    fn parse(file: &[u8]) -> Result<Header, BackupError> {
        if file.len() < 5 {
            return Err(if MAGIC.starts_with(file) && !file.is_empty() {
                BackupError::Truncated { len: file.len() as u64, expected: HEADER_LEN as u64 }
            } else {
                BackupError::NotABackup
            });
        }
        if &file[..4] != MAGIC {
            return Err(BackupError::NotABackup);
        }
        if file[4] != FORMAT_VERSION {
            return Err(if file[4] > FORMAT_VERSION {
                BackupError::NewerFormat { version: file[4] }
            } else {
                BackupError::NotABackup
            });
        }
        if file.len() < HEADER_LEN {
            return Err(BackupError::Truncated { len: file.len() as u64, expected: HEADER_LEN as u64 });
        }
        let u32_at = |at: usize| u32::from_be_bytes(file[at..at + 4].try_into().expect("4 bytes"));
        let cost = Cost { memory_kib: u32_at(5), passes: u32_at(9), lanes: u32_at(13) };
        if cost.memory_kib > MAX_COST.memory_kib || cost.passes > MAX_COST.passes || cost.lanes > MAX_COST.lanes {
            return Err(BackupError::Tampered);
        }
        Ok(Header {
            cost,
            salt: file[17..33].try_into().expect("16 bytes"),
            check: file[33..49].try_into().expect("16 bytes"),
            nonce: file[49..73].try_into().expect("24 bytes"),
            length: u64::from_be_bytes(file[73..81].try_into().expect("8 bytes")),
        })
    }
}

/// The store as the bytes of an unencrypted SQLite database, in memory only.
pub(crate) fn plain_image(conn: &mut Connection) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    conn.execute_batch("ATTACH DATABASE ':memory:' AS plain KEY ''; SELECT sqlcipher_export('plain');")?;
    conn.pragma_update(Some("plain"), "user_version", SCHEMA_VERSION)?;
    let image = conn.serialize("plain").map(|data| Zeroizing::new(data.to_vec()));
    conn.execute_batch("DETACH DATABASE plain;")?;
    Ok(image?)
}

impl Store {
    /// The whole store, encrypted under `passphrase`, as the bytes of a backup file.
    pub fn backup(&self, passphrase: &str) -> Result<Vec<u8>, BackupError> {
        self.backup_with(passphrase, PHONE)
    }

    pub fn backup_with(&self, passphrase: &str, cost: Cost) -> Result<Vec<u8>, BackupError> {
        if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(BackupError::WeakPassphrase { min: MIN_PASSPHRASE_CHARS as u32 });
        }
        // What outlived the undo window is not carried into the backup.
        self.write(|tx| {
            Ok::<_, StoreError>(crate::journal::empty_bin(tx, crate::journal::bin_cutoff(SystemTime::now()))?)
        })?;
        let image = self.exclusive(plain_image)??;
        let mut salt = [0u8; 16];
        let mut nonce = [0u8; 24];
        OsRng.fill_bytes(&mut salt);
        OsRng.fill_bytes(&mut nonce);
        let derived = derive(passphrase, &salt, cost)?;
        let header = Header {
            cost,
            salt,
            check: derived[32..].try_into().expect("16 bytes"),
            nonce,
            length: (image.len() + 16) as u64,
        };
        let aad = header.to_bytes();
        let cipher = XChaCha20Poly1305::new(derived[..32].into());
        let sealed = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: &image, aad: &aad })
            .expect("in-memory encryption");
        let mut file = aad;
        file.extend(sealed);
        Ok(file)
    }
}

/// What a restore put in place.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RestoreReport {
    pub checkins: u32,
    pub assessments: u32,
    pub appointments: u32,
}

fn decrypt(file: &[u8], passphrase: &str) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let header = Header::parse(file)?;
    let body = &file[HEADER_LEN..];
    // A length no file can have was forged or damaged (found by fuzzing: it overflowed).
    let expected = (HEADER_LEN as u64).checked_add(header.length).ok_or(BackupError::Tampered)?;
    if (body.len() as u64) < header.length {
        return Err(BackupError::Truncated { len: file.len() as u64, expected });
    }
    if body.len() as u64 > header.length {
        return Err(BackupError::Tampered);
    }
    let derived = derive(passphrase, &header.salt, header.cost)?;
    if derived[32..] != header.check {
        return Err(BackupError::WrongPassphrase);
    }
    let cipher = XChaCha20Poly1305::new(derived[..32].into());
    let plain = cipher
        .decrypt(XNonce::from_slice(&header.nonce), Payload { msg: body, aad: &file[..HEADER_LEN] })
        .map_err(|_| BackupError::Tampered)?;
    Ok(Zeroizing::new(plain))
}

fn counts(store: &Store) -> Result<RestoreReport, BackupError> {
    Ok(store.read(|conn| {
        let count = |sql: &str| conn.query_row(sql, [], |row| row.get::<_, u32>(0));
        Ok::<_, StoreError>(RestoreReport {
            checkins: count("SELECT count(*) FROM checkin WHERE deleted_at IS NULL")?,
            assessments: count("SELECT count(*) FROM assessment")?,
            appointments: count("SELECT count(*) FROM appointment")?,
        })
    })?)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", path.display()))
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> BackupError + '_ {
    move |e| BackupError::Store(StoreError::Io { path: path.display().to_string(), detail: e.to_string() })
}

/// Restores `file` into the store at `db_path`, encrypted with `key`. A store
/// that already holds anything is replaced only when `replace` is set. All or
/// nothing: on any error the store at `db_path` is as it was.
pub fn restore(
    file: &[u8],
    passphrase: &str,
    db_path: impl AsRef<Path>,
    key: &[u8],
    replace: bool,
) -> Result<RestoreReport, BackupError> {
    let db_path = db_path.as_ref();
    let key = DatabaseKey::new(key)?;
    crate::store::check_not_open(db_path)?;
    let image = decrypt(file, passphrase)?;
    if db_path.exists() && !replace && Store::open(db_path, key_bytes(&key).as_slice())?.holds_anything()? {
        return Err(BackupError::TargetNotEmpty);
    }
    let staging = sibling(db_path, ".restoring");
    let cleanup = || {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(sibling(&staging, suffix));
        }
    };
    cleanup();
    let report = match build_store(&image, &staging, &key) {
        Ok(report) => report,
        Err(error) => {
            cleanup();
            return Err(error);
        }
    };
    // The old store's WAL must not outlive it: SQLite would replay it into the new file.
    for suffix in ["-wal", "-shm", "-journal"] {
        let old = sibling(db_path, suffix);
        if old.exists() {
            std::fs::remove_file(&old).map_err(io(&old))?;
        }
    }
    std::fs::rename(&staging, db_path).map_err(io(db_path))?;
    cleanup();
    if let Some(dir) = db_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))?;
    }
    Ok(report)
}

fn key_bytes(key: &DatabaseKey) -> Zeroizing<Vec<u8>> {
    key.bytes()
}

/// A new store at `path` from the decrypted image, opened once, which runs
/// the checks and any migrations a backup from an older app needs.
pub(crate) fn build_store(image: &[u8], path: &Path, key: &DatabaseKey) -> Result<RestoreReport, BackupError> {
    build(image, path, key)?;
    let store = Store::open(path, key_bytes(key).as_slice())?;
    // The notifications the old phone held are not on this one.
    store.forget_applied_notifications()?;
    counts(&store)
}

/// Writes the decrypted image into a new store at `path`, encrypted with `key`.
fn build(image: &[u8], path: &Path, key: &DatabaseKey) -> Result<(), BackupError> {
    initialize_sqlcipher()?;
    let mut memory = Connection::open_in_memory()?;
    memory.deserialize_read_exact("main", image, image.len(), true).map_err(|_| BackupError::Tampered)?;
    let version: u32 =
        memory.pragma_query_value(None, "user_version", |row| row.get(0)).map_err(|_| BackupError::Tampered)?;
    if version > SCHEMA_VERSION {
        return Err(BackupError::Store(StoreError::SchemaTooNew {
            path: "the backup".into(),
            found: version,
            supported: SCHEMA_VERSION,
        }));
    }
    // Only what Waymark's own migrations make: a trigger or view in a crafted
    // image would otherwise come along and run in the patient's store.
    if schema_of(&memory).map_err(|_| BackupError::Tampered)? != schema_made_at(version)? {
        return Err(BackupError::Tampered);
    }
    let attach = Zeroizing::new(format!(
        "ATTACH DATABASE '{}' AS restored KEY \"{}\";",
        path.display().to_string().replace('\'', "''"),
        key.pragma_literal().as_str()
    ));
    memory.execute_batch(&attach)?;
    memory.execute_batch("SELECT sqlcipher_export('restored');")?;
    memory.pragma_update(Some("restored"), "user_version", version)?;
    memory.execute_batch("DETACH DATABASE restored;")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::create_at;
    use crate::CheckInDraft;

    const KEY: [u8; 32] = [0x21; 32];
    const CHEAP: Cost = Cost { memory_kib: 1024, passes: 1, lanes: 1 };

    fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .map(|path| (path.clone(), std::fs::read(path).unwrap()))
            .collect();
        files.sort();
        files
    }

    #[test]
    fn a_backup_carrying_anything_waymark_never_makes_is_refused_and_changes_nothing() {
        let additions = [
            "CREATE TRIGGER copy_out AFTER INSERT ON checkin BEGIN \
             INSERT INTO search_pending (seq) VALUES (new.seq + 1); END",
            "CREATE VIEW everything AS SELECT text FROM checkin",
            "CREATE TABLE stowaway (x)",
            "CREATE INDEX checkin_by_text ON checkin (text)",
        ];
        let target_dir = tempfile::tempdir().unwrap();
        let target = target_dir.path().join("waymark.db");
        Store::open(&target, &KEY).unwrap().add_checkin(&CheckInDraft::new(1, "UTC".parse().unwrap())).unwrap();
        let before = files(target_dir.path());
        for addition in additions {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(dir.path().join("source.db"), &KEY).unwrap();
            store.add_checkin(&CheckInDraft::new(2, "UTC".parse().unwrap())).unwrap();
            store.read(|conn| conn.execute_batch(addition).map_err(StoreError::from)).unwrap();
            let file = store.backup_with("correct horse battery", CHEAP).unwrap();
            let result = restore(&file, "correct horse battery", &target, &KEY, true);
            assert!(matches!(result, Err(BackupError::Tampered)), "{addition}: {result:?}");
            assert_eq!(files(target_dir.path()), before, "{addition}");
        }
    }

    #[test]
    fn an_image_from_each_older_schema_is_restored_and_brought_up_to_date() {
        for version in 1..=SCHEMA_VERSION {
            let mut old = Connection::open_in_memory().unwrap();
            create_at(&old, version).unwrap();
            old.execute(
                "INSERT INTO checkin (seq, id, occurred_at, zone, valence, created_at, updated_at) \
                 VALUES (4096, 'kept', 1, 'UTC', 2, 1, 1)",
                [],
            )
            .unwrap();
            let image = old.serialize("main").unwrap();
            let dir = tempfile::tempdir().unwrap();
            let key = DatabaseKey::new(&KEY).unwrap();
            let report = build_store(&image, &dir.path().join("restored.db"), &key).unwrap();
            assert_eq!(report.checkins, 1, "from version {version}");
        }
    }

    #[test]
    fn a_restored_profile_forgets_the_notifications_the_old_phone_held() {
        let mut old = Connection::open_in_memory().unwrap();
        create_at(&old, SCHEMA_VERSION).unwrap();
        old.execute("INSERT INTO notification_applied (id) VALUES ('appointment:a:1:0')", []).unwrap();
        let image = old.serialize("main").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("restored.db");
        build_store(&image, &path, &DatabaseKey::new(&KEY).unwrap()).unwrap();
        let store = Store::open(&path, &KEY).unwrap();
        let now = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_000);
        assert!(store.reconcile_notifications(now, "UTC".parse().unwrap(), None).unwrap().cancel.is_empty());
    }
}
