//! The encrypted SQLite file that holds everything a patient writes.
//!
//! SQLCipher with a raw 32-byte key (no KDF at open), WAL with
//! `synchronous=FULL` so a check-in that was acknowledged survives a crash or
//! power loss, and forward-only migrations tracked in `user_version`.
//! Every refusal to open leaves the file exactly as it was.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};
use zeroize::Zeroizing;

/// Length of the raw database key in bytes.
pub const KEY_LEN: usize = 32;
/// SQLCipher 4's default page size; an encrypted file is a whole number of pages.
const PAGE_SIZE: u64 = 4096;
/// How long a writer waits for another process's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
const PLAINTEXT_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Migrations in order; the position (1-based) is the schema version.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_journal.sql"),
    include_str!("../migrations/0002_measures.sql"),
    include_str!("../migrations/0003_course.sql"),
    include_str!("../migrations/0004_safety.sql"),
    include_str!("../migrations/0005_prompts.sql"),
    include_str!("../migrations/0006_sync.sql"),
    include_str!("../migrations/0007_import.sql"),
    include_str!("../migrations/0008_hostile_input.sql"),
    include_str!("../migrations/0009_shell_surface.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

#[derive(Debug, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error), uniffi(flat_error))]
pub enum StoreError {
    #[error("the database key must be {expected} bytes, but {found} were given; pass the 32-byte key the app created")]
    KeyLength { expected: u32, found: u32 },
    #[error("this key does not open the database at {path}; use the key it was created with")]
    WrongKey { path: String },
    #[error("the file at {path} is not a Waymark database or is damaged ({detail}); restore it from a backup")]
    Corrupt { path: String, detail: String },
    #[error("the database at {path} is unencrypted; Waymark only opens encrypted databases")]
    NotEncrypted { path: String },
    #[error("the database at {path} has schema version {found}, newer than this app's {supported}; update Waymark to open it")]
    SchemaTooNew { path: String, found: u32, supported: u32 },
    #[error("the database is damaged ({detail}); restore it from a backup")]
    Damaged { detail: String },
    #[error("the disk is full; free some space and try again (nothing was saved)")]
    DiskFull,
    #[error("cannot read or write {path}: {detail}")]
    Io { path: String, detail: String },
    #[error("this profile was closed; open it again to use it")]
    Closed,
    #[error("the profile at {path} is open; close it before restoring over it or erasing it")]
    InUse { path: String },
    #[error("the database failed ({detail}); try again, and restore from a backup if it keeps failing")]
    Sqlite { detail: String },
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        match error.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                StoreError::Damaged { detail: error.to_string() }
            }
            _ => StoreError::Sqlite { detail: error.to_string() },
        }
    }
}

/// A raw 32-byte database key, wiped from memory when dropped.
pub struct DatabaseKey(Zeroizing<[u8; KEY_LEN]>);

impl DatabaseKey {
    pub fn new(bytes: &[u8]) -> Result<Self, StoreError> {
        let array: [u8; KEY_LEN] = bytes
            .try_into()
            .map_err(|_| StoreError::KeyLength { expected: KEY_LEN as u32, found: bytes.len() as u32 })?;
        Ok(Self(Zeroizing::new(array)))
    }

    /// The SQLCipher raw-key literal: `x'<64 hex digits>'`.
    pub(crate) fn bytes(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(self.0.to_vec())
    }

    pub(crate) fn pragma_literal(&self) -> Zeroizing<String> {
        let mut literal = Zeroizing::new(String::with_capacity(3 + 2 * KEY_LEN));
        literal.push_str("x'");
        for byte in self.0.iter() {
            literal.push(char::from_digit(u32::from(byte >> 4), 16).unwrap());
            literal.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap());
        }
        literal.push('\'');
        literal
    }
}

/// An open Waymark database. Safe to share between threads; calls are serialised.
pub struct Store {
    path: PathBuf,
    /// `None` once closed: later calls get `StoreError::Closed`.
    conn: Mutex<Option<Connection>>,
}

/// The files this process has open as stores, and how many times each, so
/// restore and erase can refuse to pull a file from under an open store
/// (whose next acknowledged write would then vanish).
static OPEN_FILES: Mutex<BTreeMap<PathBuf, usize>> = Mutex::new(BTreeMap::new());

fn open_files() -> MutexGuard<'static, BTreeMap<PathBuf, usize>> {
    OPEN_FILES.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The one name of a file, whichever path reached it; `None` if it does not exist.
fn canonical(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// Refuses when a store in this process has the file at `path` open.
pub(crate) fn check_not_open(path: &Path) -> Result<(), StoreError> {
    match canonical(path) {
        Some(file) if open_files().contains_key(&file) => Err(StoreError::InUse { path: display(path) }),
        _ => Ok(()),
    }
}

impl Store {
    /// Opens (or creates) the encrypted database at `path` and brings its
    /// schema up to date; `Store::open` (in `profile`) also tidies it.
    pub(crate) fn open_file(path: impl AsRef<Path>, key: &[u8]) -> Result<Self, StoreError> {
        let key = DatabaseKey::new(key)?;
        let path = path.as_ref().to_path_buf();
        initialize_sqlcipher()?;
        check_file_shape(&path)?;
        let conn = open_keyed(&path, &key)?;
        // A refused open must not checkpoint a WAL left by a killed process into the file.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        let version = schema_version(&conn, &path)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew { path: display(&path), found: version, supported: SCHEMA_VERSION });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        if version < SCHEMA_VERSION {
            migrate(&conn)?;
        }
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)?;
        // What the device says (its locale), for as long as the store is open; never saved.
        conn.execute_batch("CREATE TEMP TABLE device_setting (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)")?;
        let path = canonical(&path).unwrap_or(path);
        *open_files().entry(path.clone()).or_default() += 1;
        Ok(Self { path, conn: Mutex::new(Some(conn)) })
    }

    /// Whether the profile holds anything its owner would lose: any row in any
    /// table but the search index and sync's counters, which are rebuilt.
    pub fn holds_anything(&self) -> Result<bool, StoreError> {
        self.read(|conn| {
            let tables: Vec<String> = conn
                .prepare(
                    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
                     AND name NOT LIKE 'checkin_fts%' AND name NOT IN ('search_pending', 'inbox_attempt', 'notification_applied')",
                )?
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for table in tables {
                let any: bool =
                    conn.query_row(&format!("SELECT EXISTS (SELECT 1 FROM \"{table}\")"), [], |r| r.get(0))?;
                if any {
                    return Ok(true);
                }
            }
            Ok(false)
        })
    }

    /// Closes the database; every later call gets `StoreError::Closed`.
    /// Everything acknowledged is already on disk.
    pub fn close(&self) {
        let closed = self.conn.lock().unwrap_or_else(PoisonError::into_inner).take();
        if closed.is_some() {
            self.forget_open_file();
        }
    }

    fn forget_open_file(&self) {
        let mut files = open_files();
        if let Some(count) = files.get_mut(&self.path) {
            *count -= 1;
            if *count == 0 {
                files.remove(&self.path);
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Re-encrypts the whole database under `new_key`.
    pub fn rekey(&self, new_key: &[u8]) -> Result<(), StoreError> {
        let new_key = DatabaseKey::new(new_key)?;
        let statement = Zeroizing::new(format!("PRAGMA rekey = \"{}\";", new_key.pragma_literal().as_str()));
        self.exclusive(|conn| conn.execute_batch(&statement))??;
        Ok(())
    }

    /// Runs `f` on the connection for reads.
    pub(crate) fn read<T, E: From<StoreError>>(&self, f: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E> {
        self.exclusive(|conn| f(conn))?
    }

    /// Runs `f` in an immediate transaction and commits only if it succeeds,
    /// so a rejected change leaves nothing behind.
    pub(crate) fn write<T, E: From<StoreError>>(&self, f: impl FnOnce(&Transaction) -> Result<T, E>) -> Result<T, E> {
        self.exclusive(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from)?;
            let value = f(&tx)?;
            tx.commit().map_err(StoreError::from)?;
            Ok(value)
        })?
    }

    /// Runs `f` with the connection to itself, for what needs `&mut` (serialising).
    pub(crate) fn exclusive<T>(&self, f: impl FnOnce(&mut Connection) -> T) -> Result<T, StoreError> {
        // A panic while holding the lock cannot leave a half-done transaction
        // behind (rusqlite rolls back on drop), so the connection is still sound.
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        conn.as_mut().map(f).ok_or(StoreError::Closed)
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if self.conn.get_mut().unwrap_or_else(PoisonError::into_inner).is_some() {
            self.forget_open_file();
        }
    }
}

/// Rejects files that cannot be a SQLCipher database before SQLite sees them.
fn check_file_shape(path: &Path) -> Result<(), StoreError> {
    let io_error = |e: std::io::Error| StoreError::Io { path: display(path), detail: e.to_string() };
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error(e)),
    };
    let len = file.metadata().map_err(io_error)?.len();
    if len == 0 {
        return Ok(());
    }
    let mut header = [0u8; 16];
    if len >= 16 {
        file.read_exact(&mut header).map_err(io_error)?;
        if &header == PLAINTEXT_HEADER {
            return Err(StoreError::NotEncrypted { path: display(path) });
        }
    }
    if len % PAGE_SIZE != 0 {
        return Err(StoreError::Corrupt {
            path: display(path),
            detail: format!("{len} bytes is not a whole number of {PAGE_SIZE}-byte pages"),
        });
    }
    Ok(())
}

/// SQLite counts itself initialised before SQLCipher's own set-up has run, so
/// a connection another thread opens in that gap fails at `PRAGMA key` or
/// lacks `sqlcipher_export`. Every connection the core opens waits here, once
/// a process, until SQLCipher is ready, even when some other code in the
/// process started SQLite and is still in the gap.
pub(crate) fn initialize_sqlcipher() -> Result<(), StoreError> {
    // A failure is not kept: the next open tries again.
    static READY: Mutex<bool> = Mutex::new(false);
    let mut ready = READY.lock().unwrap_or_else(PoisonError::into_inner);
    if !*ready {
        start_sqlcipher().map_err(|detail| StoreError::Sqlite { detail })?;
        *ready = true;
    }
    Ok(())
}

fn start_sqlcipher() -> Result<(), String> {
    #[cfg(not(target_vendor = "apple"))]
    std::hint::black_box(waymark_page_cipher::keep_linked());
    // SAFETY: sqlite3_initialize takes no arguments and may be called at any time.
    let code = unsafe { rusqlite::ffi::sqlite3_initialize() };
    if code != rusqlite::ffi::SQLITE_OK {
        return Err(format!("SQLCipher failed to start (SQLite code {code})"));
    }
    // SQLCipher registers sqlcipher_export last, so once a new connection has it the set-up is done.
    for _ in 0..SQLCIPHER_START_POLLS {
        if has_sqlcipher_export().map_err(|e| e.to_string())? {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Err("SQLCipher did not finish starting".to_string())
}

/// How many milliseconds a first open waits for SQLCipher's set-up, which takes microseconds.
const SQLCIPHER_START_POLLS: u32 = 5_000;

fn has_sqlcipher_export() -> rusqlite::Result<bool> {
    Connection::open_in_memory()?.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_function_list WHERE name = 'sqlcipher_export')",
        [],
        |row| row.get(0),
    )
}

pub(crate) fn open_keyed(path: &Path, key: &DatabaseKey) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| StoreError::Io { path: display(path), detail: e.to_string() })?;
    // Failures come back as typed errors; SQLCipher's own log would only add noise on stderr.
    conn.pragma_update(None, "cipher_log_level", "NONE")?;
    let statement = Zeroizing::new(format!("PRAGMA key = \"{}\";", key.pragma_literal().as_str()));
    conn.execute_batch(&statement)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    crate::spacing::register_functions(&conn)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// Reads `user_version`, which is the first read of page 1 and so the key check.
fn schema_version(conn: &Connection, path: &Path) -> Result<u32, StoreError> {
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())) {
        Ok(()) => {}
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::NotADatabase) => {
            return Err(StoreError::WrongKey { path: display(path) })
        }
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::DatabaseCorrupt) => {
            return Err(StoreError::Corrupt { path: display(path), detail: e.to_string() })
        }
        Err(e) => return Err(e.into()),
    }
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Applies each missing migration in its own transaction, forward only. The
/// version is read again under the write lock, since another process opening
/// the same file may have migrated it while this one waited.
fn migrate(conn: &Connection) -> Result<(), StoreError> {
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        let version = index as u32 + 1;
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let applied = conn.pragma_query_value(None, "user_version", |row| row.get::<_, u32>(0)).and_then(|current| {
            match current < version {
                true => conn.execute_batch(&format!("{sql}\nPRAGMA user_version = {version};")),
                false => Ok(()),
            }
        });
        match applied {
            Ok(()) => conn.execute_batch("COMMIT")?,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e.into());
            }
        }
    }
    Ok(())
}

/// Each object in a database's schema as (type, name, table, sql), in a stable order.
pub(crate) fn schema_of(conn: &Connection) -> rusqlite::Result<Vec<[Option<String>; 4]>> {
    let mut statement = conn.prepare("SELECT type, name, tbl_name, sql FROM main.sqlite_schema ORDER BY type, name")?;
    let rows = statement.query_map([], |row| Ok([row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?]))?;
    rows.collect()
}

/// The schema our migrations make at `version`: all a restored backup may
/// hold, so a crafted one cannot bring a trigger or view of its own.
pub(crate) fn schema_made_at(version: u32) -> Result<Vec<[Option<String>; 4]>, StoreError> {
    let conn = Connection::open_in_memory()?;
    create_at(&conn, version)?;
    Ok(schema_of(&conn)?)
}

/// Gives an empty database the schema of `version`, as an app of that version made it.
pub(crate) fn create_at(conn: &Connection, version: u32) -> rusqlite::Result<()> {
    for sql in MIGRATIONS.iter().take(version as usize) {
        conn.execute_batch(sql)?;
    }
    conn.pragma_update(None, "user_version", version)
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// Deletes the profile at `path`: the database and its WAL, shared-memory and
/// journal files, each overwritten with zeros first. Close the store before
/// calling it. The key lives elsewhere (the platform's keystore, or the CLI's
/// key file), and the caller deletes it. Returns how many files were removed.
pub fn erase(path: impl AsRef<Path>) -> Result<u32, StoreError> {
    let path = path.as_ref();
    check_not_open(path)?;
    let mut removed = 0;
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let file = PathBuf::from(format!("{}{suffix}", path.display()));
        let Ok(metadata) = std::fs::symlink_metadata(&file) else { continue };
        if metadata.is_file() {
            let failed = |e: std::io::Error| StoreError::Io { path: display(&file), detail: e.to_string() };
            let mut handle = std::fs::OpenOptions::new().write(true).open(&file).map_err(failed)?;
            let zeros = vec![0u8; 1 << 16];
            let mut left = metadata.len();
            while left > 0 {
                let chunk = left.min(zeros.len() as u64) as usize;
                std::io::Write::write_all(&mut handle, &zeros[..chunk]).map_err(failed)?;
                left -= chunk as u64;
            }
            handle.sync_all().map_err(failed)?;
        }
        std::fs::remove_file(&file).map_err(|e| StoreError::Io { path: display(&file), detail: e.to_string() })?;
        removed += 1;
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7; 32];
    const OTHER_KEY: [u8; 32] = [9; 32];

    fn temp_db() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("waymark.db");
        (dir, path)
    }

    fn bytes_of(path: &Path) -> Vec<u8> {
        std::fs::read(path).unwrap()
    }

    #[test]
    fn creates_an_encrypted_file_in_wal_mode_at_the_current_schema() {
        let (_dir, path) = temp_db();
        let store = Store::open(&path, &KEY).unwrap();
        store
            .read(|c| {
                let mode: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
                let sync: i64 = c.pragma_query_value(None, "synchronous", |r| r.get(0))?;
                let fk: i64 = c.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
                let version: u32 = c.pragma_query_value(None, "user_version", |r| r.get(0))?;
                assert_eq!((mode.as_str(), sync, fk, version), ("wal", 2, 1, SCHEMA_VERSION));
                Ok::<_, StoreError>(())
            })
            .unwrap();
        drop(store);
        assert_ne!(&bytes_of(&path)[..16], PLAINTEXT_HEADER);
    }

    #[test]
    fn reopens_with_the_same_key() {
        let (_dir, path) = temp_db();
        drop(Store::open(&path, &KEY).unwrap());
        Store::open(&path, &KEY).unwrap();
    }

    #[test]
    fn a_key_of_the_wrong_length_is_refused_before_the_file_is_touched() {
        let (_dir, path) = temp_db();
        let error = Store::open(&path, &[1; 16]).err().unwrap();
        assert!(matches!(error, StoreError::KeyLength { expected: 32, found: 16 }));
        assert!(!path.exists());
    }

    #[test]
    fn a_wrong_key_is_its_own_error_and_leaves_the_file_untouched() {
        let (_dir, path) = temp_db();
        drop(Store::open(&path, &KEY).unwrap());
        let before = bytes_of(&path);
        let error = Store::open(&path, &OTHER_KEY).err().unwrap();
        assert!(matches!(error, StoreError::WrongKey { .. }), "{error}");
        assert!(bytes_of(&path) == before, "the file changed");
    }

    #[test]
    fn a_damaged_file_is_corrupt_and_left_untouched() {
        let (_dir, path) = temp_db();
        std::fs::write(&path, b"this is a text file, not a database").unwrap();
        let error = Store::open(&path, &KEY).err().unwrap();
        assert!(matches!(error, StoreError::Corrupt { .. }), "{error}");
        assert!(bytes_of(&path) == b"this is a text file, not a database", "the file changed");
    }

    #[test]
    fn a_plaintext_sqlite_file_is_refused_and_left_untouched() {
        let (_dir, path) = temp_db();
        Connection::open(&path).unwrap().execute_batch("CREATE TABLE t(x);").unwrap();
        let before = bytes_of(&path);
        let error = Store::open(&path, &KEY).err().unwrap();
        assert!(matches!(error, StoreError::NotEncrypted { .. }), "{error}");
        assert!(bytes_of(&path) == before, "the file changed");
    }

    #[test]
    fn a_newer_schema_is_refused_and_left_untouched() {
        let (_dir, path) = temp_db();
        let store = Store::open(&path, &KEY).unwrap();
        store.read(|c| c.pragma_update(None, "user_version", SCHEMA_VERSION + 1).map_err(StoreError::from)).unwrap();
        drop(store);
        let before = bytes_of(&path);
        let error = Store::open(&path, &KEY).err().unwrap();
        assert!(matches!(error, StoreError::SchemaTooNew { found, .. } if found == SCHEMA_VERSION + 1));
        assert!(bytes_of(&path) == before, "the file changed");
    }

    #[test]
    fn a_database_from_each_older_schema_is_brought_up_to_date_and_keeps_its_rows() {
        for old_version in 1..SCHEMA_VERSION {
            let (_dir, path) = temp_db();
            let old = open_keyed(&path, &DatabaseKey::new(&KEY).unwrap()).unwrap();
            create_at(&old, old_version).unwrap();
            old.execute(
                "INSERT INTO checkin (seq, id, occurred_at, zone, valence, created_at, updated_at) \
                 VALUES (4096, 'kept', 1, 'UTC', 2, 1, 1)",
                [],
            )
            .unwrap();
            drop(old);
            let store = Store::open(&path, &KEY).unwrap();
            let (version, valence): (u32, i32) = store
                .read(|c| {
                    let version = c.pragma_query_value(None, "user_version", |r| r.get(0))?;
                    let valence = c.query_row("SELECT valence FROM checkin WHERE id = 'kept'", [], |r| r.get(0))?;
                    Ok::<_, StoreError>((version, valence))
                })
                .unwrap();
            assert_eq!((version, valence), (SCHEMA_VERSION, 2), "from version {old_version}");
            assert_eq!(store.measure_schedules().unwrap().len(), 2, "the newer tables are there");
        }
    }

    /// Copies the database as a killed process leaves it: pages still in the WAL.
    fn crashed_copy(store: &Store, dir: &Path) -> PathBuf {
        let copy = dir.join("copy.db");
        for suffix in ["", "-wal", "-shm"] {
            let from = format!("{}{suffix}", store.path().display());
            std::fs::copy(from, format!("{}{suffix}", copy.display())).unwrap();
        }
        copy
    }

    #[test]
    fn a_refused_open_does_not_checkpoint_a_leftover_wal_into_the_file() {
        let (dir, path) = temp_db();
        let store = Store::open(&path, &KEY).unwrap();
        store.read(|c| c.pragma_update(None, "user_version", SCHEMA_VERSION + 1).map_err(StoreError::from)).unwrap();
        let copy = crashed_copy(&store, dir.path());
        let before = bytes_of(&copy);
        assert!(matches!(Store::open(&copy, &KEY).err().unwrap(), StoreError::SchemaTooNew { .. }));
        assert!(matches!(Store::open(&copy, &OTHER_KEY).err().unwrap(), StoreError::WrongKey { .. }));
        assert!(bytes_of(&copy) == before, "the file changed");
        assert!(std::fs::metadata(format!("{}-wal", copy.display())).unwrap().len() > 0, "the WAL is kept");
    }

    #[test]
    fn rekey_changes_which_key_opens_the_file() {
        let (_dir, path) = temp_db();
        let store = Store::open(&path, &KEY).unwrap();
        store.rekey(&OTHER_KEY).unwrap();
        drop(store);
        assert!(matches!(Store::open(&path, &KEY).err().unwrap(), StoreError::WrongKey { .. }));
        Store::open(&path, &OTHER_KEY).unwrap();
    }

    #[test]
    fn rekey_refuses_a_short_key_and_keeps_the_old_one() {
        let (_dir, path) = temp_db();
        let store = Store::open(&path, &KEY).unwrap();
        assert!(matches!(store.rekey(&[1; 31]), Err(StoreError::KeyLength { found: 31, .. })));
        drop(store);
        Store::open(&path, &KEY).unwrap();
    }

    #[test]
    fn the_key_literal_is_lowercase_hex() {
        let key = DatabaseKey::new(&[0xab; 32]).unwrap();
        assert_eq!(key.pragma_literal().as_str(), format!("x'{}'", "ab".repeat(32)));
    }
}
