//! Encrypted backups: the whole store in one file, protected by a passphrase
//! (Argon2id, its parameters in the header) and sealed in 64 KiB chunks with
//! XChaCha20-Poly1305 in the STREAM construction, the header as associated
//! data. The format is in `docs/backup-format.md`.
//!
//! The store is exported into a SQLCipher file beside it under a key made for
//! this backup alone, and that key and file are sealed chunk by chunk, so no
//! plaintext copy ever touches the disk and memory stays the same whatever the
//! store's size. Restore opens the chunks into such a file beside the target,
//! checks it, exports it under the target's key, opens that once, and only
//! then moves it into place: any failure leaves the existing store as it was.
//! Files in format 1 (one sealed in-memory image) are still read.

use std::fs::{File, OpenOptions};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::aead::{Aead, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rusqlite::Connection;
use zeroize::Zeroizing;

use crate::store::{
    initialize_sqlcipher, open_keyed, schema_made_at, schema_of, DatabaseKey, Store, StoreError, SCHEMA_VERSION,
};

const MAGIC: &[u8; 4] = b"WMBK";
pub const FORMAT_VERSION: u8 = 2;
/// magic 4, version 1, memory KiB 4, passes 4, lanes 4, salt 16, check 16, nonce 19, length 8.
const HEADER_LEN: usize = 76;
/// Format 1: the same, with a 24-byte nonce and the ciphertext's length.
const V1_HEADER_LEN: usize = 81;
/// Plaintext per sealed chunk; each chunk carries a 16-byte tag.
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
/// The key of the exported file comes first in the plaintext.
const IMAGE_KEY_LEN: usize = 32;
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
    version: u8,
    cost: Cost,
    salt: [u8; 16],
    check: [u8; 16],
    /// 19 bytes in format 2 (STREAM's prefix), 24 in format 1.
    nonce: Vec<u8>,
    /// Format 2: the plaintext's length; format 1: the ciphertext's.
    length: u64,
    bytes: Vec<u8>,
}

impl Header {
    fn new(cost: Cost, salt: [u8; 16], check: [u8; 16], nonce: [u8; 19], length: u64) -> Header {
        let mut bytes = Vec::with_capacity(HEADER_LEN);
        bytes.extend(MAGIC);
        bytes.push(FORMAT_VERSION);
        for n in [cost.memory_kib, cost.passes, cost.lanes] {
            bytes.extend(n.to_be_bytes());
        }
        bytes.extend(salt);
        bytes.extend(check);
        bytes.extend(nonce);
        bytes.extend(length.to_be_bytes());
        Header { version: FORMAT_VERSION, cost, salt, check, nonce: nonce.to_vec(), length, bytes }
    }

    /// Reads the header from the start of `file`, leaving the body to read.
    fn read(file: &mut impl Read) -> Result<Header, BackupError> {
        let mut bytes = vec![0u8; 5];
        let got = read_up_to(file, &mut bytes)?;
        if got < 5 {
            return Err(if got > 0 && MAGIC.starts_with(&bytes[..got.min(4)]) {
                BackupError::Truncated { len: got as u64, expected: HEADER_LEN as u64 }
            } else {
                BackupError::NotABackup
            });
        }
        if &bytes[..4] != MAGIC {
            return Err(BackupError::NotABackup);
        }
        let (version, len) = match bytes[4] {
            1 => (1, V1_HEADER_LEN),
            FORMAT_VERSION => (FORMAT_VERSION, HEADER_LEN),
            newer if newer > FORMAT_VERSION => return Err(BackupError::NewerFormat { version: newer }),
            _ => return Err(BackupError::NotABackup),
        };
        bytes.resize(len, 0);
        let got = 5 + read_up_to(file, &mut bytes[5..])?;
        if got < len {
            return Err(BackupError::Truncated { len: got as u64, expected: len as u64 });
        }
        let u32_at = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        let cost = Cost { memory_kib: u32_at(5), passes: u32_at(9), lanes: u32_at(13) };
        if cost.memory_kib > MAX_COST.memory_kib || cost.passes > MAX_COST.passes || cost.lanes > MAX_COST.lanes {
            return Err(BackupError::Tampered);
        }
        Ok(Header {
            version,
            cost,
            salt: bytes[17..33].try_into().expect("16 bytes"),
            check: bytes[33..49].try_into().expect("16 bytes"),
            nonce: bytes[49..len - 8].to_vec(),
            length: u64::from_be_bytes(bytes[len - 8..].try_into().expect("8 bytes")),
            bytes,
        })
    }

    /// The cipher, once the passphrase is known to be the one the backup was made with.
    fn cipher(&self, passphrase: &str) -> Result<XChaCha20Poly1305, BackupError> {
        let derived = derive(passphrase, &self.salt, self.cost)?;
        if derived[32..] != self.check {
            return Err(BackupError::WrongPassphrase);
        }
        Ok(XChaCha20Poly1305::new(derived[..32].into()))
    }
}

/// Fills `buffer` from `source` unless it ends first; returns how much was read.
fn read_up_to(source: &mut impl Read, buffer: &mut [u8]) -> Result<usize, BackupError> {
    let mut filled = 0;
    while filled < buffer.len() {
        match source.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io(Path::new("the backup file"))(e)),
        }
    }
    Ok(filled)
}

/// The store as the bytes of an unencrypted SQLite database, in memory only
/// (format 1's plaintext, and a fuzzing seed).
#[cfg(any(fuzzing, test))]
pub(crate) fn plain_image(conn: &mut Connection) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    conn.execute_batch("ATTACH DATABASE ':memory:' AS plain KEY ''; SELECT sqlcipher_export('plain');")?;
    conn.pragma_update(Some("plain"), "user_version", SCHEMA_VERSION)?;
    let image = conn.serialize("plain").map(|data| Zeroizing::new(data.to_vec()));
    conn.execute_batch("DETACH DATABASE plain;")?;
    Ok(image?)
}

/// Copies every table of `conn`'s main database into a new SQLCipher file at
/// `path` under `key`, with `version` as its schema version.
fn export_to(conn: &Connection, path: &Path, key: &DatabaseKey, version: u32) -> Result<(), BackupError> {
    let attach = Zeroizing::new(format!(
        "ATTACH DATABASE '{}' AS exported KEY \"{}\";",
        path.display().to_string().replace('\'', "''"),
        key.pragma_literal().as_str()
    ));
    conn.execute_batch(&attach)?;
    let exported = conn
        .execute_batch("SELECT sqlcipher_export('exported');")
        .and_then(|()| conn.pragma_update(Some("exported"), "user_version", version));
    // Detached whatever happened, so the store's connection is left as it was.
    let detached = conn.execute_batch("DETACH DATABASE exported;");
    exported?;
    Ok(detached?)
}

fn random<const N: usize>() -> Zeroizing<[u8; N]> {
    let mut bytes = Zeroizing::new([0u8; N]);
    OsRng.fill_bytes(bytes.as_mut());
    bytes
}

impl Store {
    /// The whole store, encrypted under `passphrase`, written to a new file
    /// at `path` (owner-only, synced, then renamed over whatever was there).
    /// Returns the file's size.
    pub fn backup_to_file(&self, path: impl AsRef<Path>, passphrase: &str) -> Result<u64, BackupError> {
        let path = path.as_ref();
        let partial = sibling(path, ".partial");
        let _ = std::fs::remove_file(&partial);
        let written = (|| {
            let file = create_private(&partial)?;
            let mut out = BufWriter::new(file);
            let written = self.backup_into(&mut out, passphrase, PHONE)?;
            let file = out.into_inner().map_err(|e| io(&partial)(e.into_error()))?;
            file.sync_all().map_err(io(&partial))?;
            std::fs::rename(&partial, path).map_err(io(path))?;
            sync_parent(path)?;
            Ok(written)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        written
    }

    /// The whole store, encrypted under `passphrase`, as the bytes of a backup file.
    pub fn backup_with(&self, passphrase: &str, cost: Cost) -> Result<Vec<u8>, BackupError> {
        let mut file = Vec::new();
        self.backup_into(&mut file, passphrase, cost)?;
        Ok(file)
    }

    /// Writes the backup to `out` chunk by chunk; returns how many bytes it wrote.
    pub fn backup_into(&self, out: &mut impl Write, passphrase: &str, cost: Cost) -> Result<u64, BackupError> {
        if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(BackupError::WeakPassphrase { min: MIN_PASSPHRASE_CHARS as u32 });
        }
        // What outlived the undo window is not carried into the backup.
        self.write(|tx| {
            Ok::<_, StoreError>(crate::journal::empty_bin(tx, crate::journal::bin_cutoff(SystemTime::now()))?)
        })?;
        // A name of its own, so two backups at once never share an image.
        let image = sibling(self.path(), &format!(".backup-image-{}", uuid::Uuid::now_v7().simple()));
        let written = (|| {
            let image_key = random::<IMAGE_KEY_LEN>();
            self.exclusive(|conn| export_to(conn, &image, &DatabaseKey::new(image_key.as_ref())?, SCHEMA_VERSION))??;
            let exported = File::open(&image).map_err(io(&image))?;
            let length = IMAGE_KEY_LEN as u64 + exported.metadata().map_err(io(&image))?.len();
            let salt = random::<16>();
            let nonce = random::<19>();
            let derived = derive(passphrase, &salt, cost)?;
            let header = Header::new(cost, *salt, derived[32..].try_into().expect("16 bytes"), *nonce, length);
            out.write_all(&header.bytes).map_err(io(Path::new("the backup file")))?;
            let cipher = XChaCha20Poly1305::new(derived[..32].into());
            let plain = image_key.as_slice().chain(BufReader::new(exported));
            Ok(HEADER_LEN as u64 + seal(plain, out, cipher, &header)?)
        })();
        remove_with_journals(&image);
        written
    }
}

/// Seals `plain` chunk by chunk into `out`; the last chunk is marked as
/// last. Fails unless `plain` held exactly the header's length.
fn seal(
    mut plain: impl Read,
    out: &mut impl Write,
    cipher: XChaCha20Poly1305,
    header: &Header,
) -> Result<u64, BackupError> {
    let mut encryptor = EncryptorBE32::from_aead(cipher, header.nonce.as_slice().into());
    let mut current = Zeroizing::new(vec![0u8; CHUNK]);
    let mut next = Zeroizing::new(vec![0u8; CHUNK]);
    let mut filled = read_up_to(&mut plain, &mut current)?;
    let mut sealed_plain = 0u64;
    let mut written = 0u64;
    let mut write = |sealed: Vec<u8>| {
        written += sealed.len() as u64;
        out.write_all(&sealed).map_err(io(Path::new("the backup file")))
    };
    loop {
        let more = if filled == CHUNK { read_up_to(&mut plain, &mut next)? } else { 0 };
        let payload = Payload { msg: &current[..filled], aad: &header.bytes };
        sealed_plain += filled as u64;
        if more == 0 {
            write(encryptor.encrypt_last(payload).expect("in-memory encryption"))?;
            if sealed_plain != header.length {
                let detail =
                    format!("the store's copy changed while it was sealed ({sealed_plain} of {} bytes)", header.length);
                return Err(BackupError::Store(StoreError::Io { path: "the backup".into(), detail }));
            }
            return Ok(written);
        }
        write(encryptor.encrypt_next(payload).expect("in-memory encryption"))?;
        std::mem::swap(&mut current, &mut next);
        filled = more;
    }
}

/// Opens format 2's chunks into a SQLCipher file at `image`; returns its key.
fn open_chunks(
    file: &mut impl Read,
    header: &Header,
    cipher: XChaCha20Poly1305,
    image: &Path,
) -> Result<DatabaseKey, BackupError> {
    let length = header.length;
    if length <= IMAGE_KEY_LEN as u64 {
        return Err(BackupError::Tampered);
    }
    let chunks = length.div_ceil(CHUNK as u64);
    // A length no file can have was forged or damaged.
    let expected = (HEADER_LEN as u64)
        .checked_add(length)
        .and_then(|n| n.checked_add(chunks * TAG as u64))
        .ok_or(BackupError::Tampered)?;
    let mut out = BufWriter::new(create_private(image)?);
    let mut decryptor = Some(DecryptorBE32::from_aead(cipher, header.nonce.as_slice().into()));
    let mut sealed = vec![0u8; CHUNK + TAG];
    let mut image_key = Zeroizing::new(Vec::with_capacity(IMAGE_KEY_LEN));
    let mut read = HEADER_LEN as u64;
    for chunk in 0..chunks {
        let size = (length - chunk * CHUNK as u64).min(CHUNK as u64) as usize + TAG;
        let got = read_up_to(file, &mut sealed[..size])?;
        read += got as u64;
        if got < size {
            return Err(BackupError::Truncated { len: read, expected });
        }
        let payload = Payload { msg: &sealed[..size], aad: &header.bytes };
        let opened = if chunk + 1 == chunks {
            decryptor.take().expect("one last chunk").decrypt_last(payload)
        } else {
            decryptor.as_mut().expect("before the last chunk").decrypt_next(payload)
        };
        let opened = Zeroizing::new(opened.map_err(|_| BackupError::Tampered)?);
        let key_part = (IMAGE_KEY_LEN - image_key.len()).min(opened.len());
        image_key.extend_from_slice(&opened[..key_part]);
        out.write_all(&opened[key_part..]).map_err(io(image))?;
    }
    if read_up_to(file, &mut [0u8; 1])? > 0 {
        return Err(BackupError::Tampered);
    }
    out.flush().map_err(io(image))?;
    Ok(DatabaseKey::new(&image_key)?)
}

/// Format 1: the whole ciphertext in memory, opened at once.
fn open_v1(
    file: &mut impl Read,
    header: &Header,
    cipher: XChaCha20Poly1305,
) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    // A length no file can have was forged or damaged (found by fuzzing: it overflowed).
    let expected = (V1_HEADER_LEN as u64).checked_add(header.length).ok_or(BackupError::Tampered)?;
    let mut body = Vec::new();
    file.take(header.length.saturating_add(1)).read_to_end(&mut body).map_err(io(Path::new("the backup file")))?;
    if (body.len() as u64) < header.length {
        return Err(BackupError::Truncated { len: V1_HEADER_LEN as u64 + body.len() as u64, expected });
    }
    if body.len() as u64 > header.length {
        return Err(BackupError::Tampered);
    }
    let plain = cipher
        .decrypt(XNonce::from_slice(&header.nonce), Payload { msg: &body, aad: &header.bytes })
        .map_err(|_| BackupError::Tampered)?;
    Ok(Zeroizing::new(plain))
}

/// What a restore put in place.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RestoreReport {
    pub checkins: u32,
    pub assessments: u32,
    pub appointments: u32,
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

/// A new file only its owner can read; never one already there.
fn create_private(path: &Path) -> Result<File, BackupError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(io(path))
}

fn remove_with_journals(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(sibling(path, suffix));
    }
}

fn sync_parent(path: &Path) -> Result<(), BackupError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))?;
    }
    Ok(())
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> BackupError + '_ {
    move |e| BackupError::Store(StoreError::Io { path: path.display().to_string(), detail: e.to_string() })
}

/// Restores the backup file's bytes into the store at `db_path`; see [`restore_from`].
pub fn restore(
    file: &[u8],
    passphrase: &str,
    db_path: impl AsRef<Path>,
    key: &[u8],
    replace: bool,
) -> Result<RestoreReport, BackupError> {
    restore_from(file, passphrase, db_path, key, replace)
}

/// Restores the backup file at `backup_path`; see [`restore_from`].
pub fn restore_file(
    backup_path: impl AsRef<Path>,
    passphrase: &str,
    db_path: impl AsRef<Path>,
    key: &[u8],
    replace: bool,
) -> Result<RestoreReport, BackupError> {
    let backup_path = backup_path.as_ref();
    let file = File::open(backup_path).map_err(io(backup_path))?;
    restore_from(BufReader::new(file), passphrase, db_path, key, replace)
}

/// Restores a backup read from `file` into the store at `db_path`, encrypted
/// with `key`. A store that already holds anything is replaced only when
/// `replace` is set. All or nothing: on any error the store at `db_path` is
/// as it was.
pub fn restore_from(
    mut file: impl Read,
    passphrase: &str,
    db_path: impl AsRef<Path>,
    key: &[u8],
    replace: bool,
) -> Result<RestoreReport, BackupError> {
    let db_path = db_path.as_ref();
    let key = DatabaseKey::new(key)?;
    crate::store::check_not_open(db_path)?;
    let header = Header::read(&mut file)?;
    let cipher = header.cipher(passphrase)?;
    let (image, staging) = (sibling(db_path, ".restoring-image"), sibling(db_path, ".restoring"));
    remove_with_journals(&image);
    remove_with_journals(&staging);
    let built = (|| {
        let source = match header.version {
            1 => memory_image(&open_v1(&mut file, &header, cipher)?)?,
            _ => {
                let image_key = open_chunks(&mut file, &header, cipher, &image)?;
                open_image(&image, &image_key)?
            }
        };
        if db_path.exists() && !replace && Store::open(db_path, key.bytes().as_slice())?.holds_anything()? {
            return Err(BackupError::TargetNotEmpty);
        }
        build_from(source, &staging, &key)
    })();
    remove_with_journals(&image);
    let report = match built {
        Ok(report) => report,
        Err(error) => {
            remove_with_journals(&staging);
            return Err(error);
        }
    };
    if let Err(error) = replace_store(&staging, db_path) {
        remove_with_journals(&staging);
        return Err(error);
    }
    remove_with_journals(&staging);
    sync_parent(db_path)?;
    Ok(report)
}

/// Renames `staging` over `db_path`. The old store's WAL must not outlive
/// it (SQLite would replay it into the new file), so it is set aside first
/// and put back if the rename fails.
fn replace_store(staging: &Path, db_path: &Path) -> Result<(), BackupError> {
    let mut aside = Vec::new();
    let mut set_aside = || -> Result<(), BackupError> {
        for suffix in ["-wal", "-shm", "-journal"] {
            let old = sibling(db_path, suffix);
            if old.exists() {
                let moved = sibling(&old, ".replaced");
                std::fs::rename(&old, &moved).map_err(io(&old))?;
                aside.push((old, moved));
            }
        }
        std::fs::rename(staging, db_path).map_err(io(db_path))
    };
    let replaced = set_aside();
    for (old, moved) in aside {
        let _ = if replaced.is_ok() { std::fs::remove_file(&moved) } else { std::fs::rename(&moved, &old) };
    }
    replaced
}

/// A decrypted format 1 image, as a database in memory.
fn memory_image(image: &[u8]) -> Result<Connection, BackupError> {
    initialize_sqlcipher()?;
    let mut memory = Connection::open_in_memory()?;
    memory.deserialize_read_exact("main", image, image.len(), true).map_err(|_| BackupError::Tampered)?;
    Ok(memory)
}

/// Format 2's exported file, opened under the key that came with it.
fn open_image(path: &Path, key: &DatabaseKey) -> Result<Connection, BackupError> {
    initialize_sqlcipher()?;
    Ok(open_keyed(path, key)?)
}

/// A new store at `path` from a decrypted plain image, opened once, which
/// runs the checks and any migrations a backup from an older app needs.
#[cfg(any(fuzzing, test))]
pub(crate) fn build_store(image: &[u8], path: &Path, key: &DatabaseKey) -> Result<RestoreReport, BackupError> {
    build_from(memory_image(image)?, path, key)
}

fn build_from(source: Connection, path: &Path, key: &DatabaseKey) -> Result<RestoreReport, BackupError> {
    check_image(&source)?;
    let version = source.pragma_query_value(None, "user_version", |row| row.get(0))?;
    export_to(&source, path, key, version)?;
    drop(source);
    let store = Store::open(path, key.bytes().as_slice())?;
    // The notifications the old phone held are not on this one.
    store.forget_applied_notifications()?;
    counts(&store)
}

/// Only what Waymark's own migrations make: a trigger or view in a crafted
/// image would otherwise come along and run in the patient's store.
fn check_image(image: &Connection) -> Result<(), BackupError> {
    let version: u32 =
        image.pragma_query_value(None, "user_version", |row| row.get(0)).map_err(|_| BackupError::Tampered)?;
    if version > SCHEMA_VERSION {
        return Err(BackupError::Store(StoreError::SchemaTooNew {
            path: "the backup".into(),
            found: version,
            supported: SCHEMA_VERSION,
        }));
    }
    if schema_of(image).map_err(|_| BackupError::Tampered)? != schema_made_at(version)? {
        return Err(BackupError::Tampered);
    }
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
