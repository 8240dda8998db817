//! Where the desktop profile lives and how its key is kept.
//!
//! The phones seal the key in Android Keystore or the iOS Keychain; on a
//! desktop it is a 0600 file beside the database, or `WAYMARK_KEY`.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use waymark_core::store::{DatabaseKey, KEY_LEN};
use waymark_core::Store;
use zeroize::Zeroizing;

use crate::Failure;

pub const DB_FILE: &str = "waymark.db";
pub const KEY_FILE: &str = "waymark.key";
pub const KEY_ENV: &str = "WAYMARK_KEY";

/// `$XDG_DATA_HOME/waymark`, or `~/.local/share/waymark`.
pub fn default_data_dir() -> PathBuf {
    let data_home = std::env::var_os("XDG_DATA_HOME")
        .filter(|dir| Path::new(dir).is_absolute())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."));
            home.join(".local/share")
        });
    data_home.join("waymark")
}

/// Opens the profile in `dir`, creating the folder, key and database on first use.
pub fn open(dir: &Path) -> Result<Store, Failure> {
    let key = key_for(dir)?;
    DatabaseKey::new(&key)?; // a key of the wrong length is refused before anything is created
    let db = dir.join(DB_FILE);
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| Failure::other(format!("cannot create {}: {e}", dir.display())))?;
    // SQLite gives the -wal and -shm files the database's mode, so all three stay private.
    if let Err(e) = OpenOptions::new().write(true).create_new(true).mode(0o600).open(&db) {
        if e.kind() != std::io::ErrorKind::AlreadyExists {
            return Err(Failure::other(format!("cannot create {}: {e}", db.display())));
        }
    }
    let store = Store::open(db, key.as_slice())?;
    // Like a phone, the computer's locale fills in the region and language the patient has not set.
    store.set_device_locale(system_locale().as_deref())?;
    Ok(store)
}

/// Opens the profile in `dir` only if it already has a database.
pub fn open_existing(dir: &Path) -> Result<Store, Failure> {
    if !dir.join(DB_FILE).exists() {
        return Err(Failure::input(format!(
            "there is no journal in {} yet; add a check-in with `waymark checkin` or pass --data-dir",
            dir.display()
        )));
    }
    open(dir)
}

pub fn key_for(dir: &Path) -> Result<Zeroizing<Vec<u8>>, Failure> {
    if let Ok(hex) = std::env::var(KEY_ENV) {
        return parse_hex_key(&hex);
    }
    let key_path = dir.join(KEY_FILE);
    match fs::read(&key_path) {
        Ok(bytes) => Ok(Zeroizing::new(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if dir.join(DB_FILE).exists() {
                return Err(Failure::input(format!(
                    "{} is missing, so {} cannot be opened; restore the key file or set {KEY_ENV}",
                    key_path.display(),
                    dir.join(DB_FILE).display()
                )));
            }
            create_key(dir, &key_path)
        }
        Err(e) => Err(Failure::other(format!("cannot read {}: {e}", key_path.display()))),
    }
}

fn parse_hex_key(hex: &str) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let invalid = || Failure::input(format!("{KEY_ENV} must be {} hexadecimal characters", 2 * KEY_LEN));
    let hex = hex.trim();
    if !hex.len().is_multiple_of(2) || !hex.is_ascii() {
        return Err(invalid());
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| invalid()))
        .collect::<Result<Vec<u8>, _>>()?;
    Ok(Zeroizing::new(bytes))
}

fn create_key(dir: &Path, key_path: &Path) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let io = |e: std::io::Error| Failure::other(format!("cannot create {}: {e}", key_path.display()));
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(io)?;
    let mut key = Zeroizing::new(vec![0u8; KEY_LEN]);
    getrandom::fill(&mut key).map_err(|e| Failure::other(format!("no randomness for a new key: {e}")))?;
    let mut file = OpenOptions::new().write(true).create_new(true).mode(0o600).open(key_path).map_err(io)?;
    file.write_all(&key).and_then(|()| file.sync_all()).map_err(io)?;
    // The key's name in the folder must be as durable as the key: without it the profile cannot be opened.
    fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
    Ok(key)
}

/// The language of Waymark's words: the profile's, when one opens, else the system locale's.
pub fn content_language(dir: &Path) -> String {
    let stored = dir.join(DB_FILE).exists().then(|| open_existing(dir).ok()).flatten();
    match stored.and_then(|store| store.content_language().ok()) {
        Some(language) => language,
        None => system_locale().unwrap_or_else(|| "en".to_string()),
    }
}

/// The system locale for region and language: `LC_ALL`, else `LANG`, as POSIX
/// ranks them for every category; `None` for `C` and `POSIX`.
pub fn system_locale() -> Option<String> {
    ["LC_ALL", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .filter(|value| !matches!(value.split(['.', '@']).next(), Some("C" | "POSIX")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn hex_keys_parse_and_bad_ones_are_input_errors() {
        assert_eq!(parse_hex_key(&"0a".repeat(32)).unwrap().as_slice(), &[10u8; 32]);
        assert!(parse_hex_key("zz").is_err());
        assert!(parse_hex_key("abc").is_err());
        assert!(parse_hex_key("é1").is_err());
    }

    #[test]
    fn a_new_profile_gets_a_private_random_key() {
        let dir = tempfile::tempdir().unwrap();
        let profile = dir.path().join("profile");
        let key = key_for(&profile).unwrap();
        let file = profile.join(KEY_FILE);
        assert_eq!(fs::read(&file).unwrap(), key.as_slice());
        assert_eq!(key.len(), KEY_LEN);
        assert_eq!(fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(key_for(&profile).unwrap(), key, "the same key next time");
    }
}
