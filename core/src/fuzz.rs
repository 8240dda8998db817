//! What the fuzz targets in `core/fuzz` run: one function per input a
//! stranger can hand us. Each takes any bytes and must return, never panic;
//! `true` means the input was accepted all the way, which the seed tests use
//! to show that the seeds reach the deep paths.
//!
//! Inputs that write run in a transaction that is rolled back, so every input
//! meets the same store and a crash replays from its input alone.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::Connection;
use waymark_protocol::{Direction, Header, HEADER_LEN};

use crate::import::{self, MoodMapping};
use crate::safety::help;
use crate::store::{self, DatabaseKey, Store};
use crate::sync::{channel, inbox, seal, Pairing, Payload};
use crate::{backup, course, prompts, safety, share};

/// The scratch stores' pairing code. Seed envelopes are sealed for it.
pub const PAIRING_CODE: &str = "wm2.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8.Yr2i.https://relay.example.org";
/// The passphrase of the seed backups.
pub const PASSPHRASE: &str = "fuzzing the restore";
const KEY: [u8; 32] = [7; 32];
const ZONE: &str = "Europe/London";

struct Scratch {
    dir: PathBuf,
    patient: Store,
}

/// A paired patient store in a directory of its own, made once per process.
/// `tests/fuzz.sh` points `TMPDIR` at a directory it removes afterwards.
fn scratch() -> &'static Scratch {
    static SCRATCH: OnceLock<Scratch> = OnceLock::new();
    SCRATCH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("waymark-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        let patient = Store::open(dir.join("patient.db"), &KEY).expect("a scratch store");
        patient.pair(PAIRING_CODE).expect("the scratch pairing code");
        Scratch { dir, patient }
    })
}

/// A fixed "now", so an input does the same whenever it runs.
fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_795_000_000)
}

/// Runs `f` in a transaction that is always rolled back.
fn rolled_back<T>(store: &Store, f: impl FnOnce(&Connection) -> T) -> T {
    store
        .exclusive(|conn| {
            let tx = conn.transaction().expect("a transaction on the scratch store");
            f(&tx)
        })
        .expect("the scratch store stays open")
}

/// A calendar file, checked and imported.
pub fn ics(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    let zone = crate::time::parse_zone(ZONE).expect("a zone");
    let checked = course::calendar::check_ics(&text, zone, now()).is_ok();
    let imported =
        rolled_back(&scratch().patient, |tx| course::calendar::import_update(tx, &text, ZONE.parse().unwrap(), now()))
            .is_ok();
    assert_eq!(checked, imported, "the clinician's check and the patient's import agree");
    imported
}

/// A pairing code, typed or scanned.
pub fn pairing_code(data: &[u8]) -> bool {
    let Ok(pairing) = Pairing::parse(&String::from_utf8_lossy(data)) else { return false };
    let again = Pairing::parse(&pairing.code()).expect("a code we print reads back");
    assert_eq!(again, pairing);
    true
}

/// An envelope as the relay lists it; the same bytes as the plaintext of an
/// envelope a paired clinician sealed; and as a summary a clinician renders.
pub fn envelope(data: &[u8]) -> bool {
    if let Ok((header, _)) = Header::parse(data) {
        assert_eq!(header.to_bytes()[..], data[..HEADER_LEN], "a header reads back as it was written");
    }
    let patient = &scratch().patient;
    let listed = rolled_back(patient, |tx| {
        let channel = channel::patient_channel(tx).expect("the scratch store is paired");
        let id = Header::parse(data).map(|(header, _)| header.message_id_text()).unwrap_or_default();
        inbox::apply(tx, &channel, &channel.keys(), &id, data, now()).is_ok()
    });
    let sealed = rolled_back(patient, |tx| {
        let channel = channel::patient_channel(tx).expect("the scratch store is paired");
        let keys = channel.keys();
        let id = uuid::Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0001);
        let envelope = seal::seal(&keys, Direction::ToPatient, id, 0, data);
        inbox::apply(tx, &channel, &keys, &id.to_string(), &envelope, now()).is_ok()
    });
    let rendered = match serde_json::from_slice::<Payload>(data) {
        Ok(Payload::Summary(summary)) => !share::preview(&summary, "en").html.is_empty(),
        _ => false,
    };
    listed || sealed || rendered
}

/// A backup file restored, and a decrypted image built into a store (only a
/// file made with the passphrase gets that far, so it is tried directly).
pub fn backup_file(data: &[u8]) -> bool {
    let target = scratch().dir.join("restored.db");
    let restored = backup::restore(data, PASSPHRASE, &target, &KEY, true).is_ok();
    let _ = store::erase(&target);
    let key = DatabaseKey::new(&KEY).expect("a 32-byte key");
    let built = data.starts_with(b"SQLite format 3\0") && backup::build_store(data, &target, &key).is_ok();
    let _ = store::erase(&target);
    restored || built
}

/// A safety pack, a prompts pack, a text catalog, a phrases file or rows of crisis lines.
pub fn content_pack(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    let catalog = crate::text::parse(&text).is_ok();
    let pages = safety::library::parse_pack(&text).is_ok();
    let prompts = prompts::parse_pack(&text).is_ok();
    let phrases = help::parse_phrases(&text).ok();
    let lines: Vec<_> = text.lines().filter_map(help::parse_line).collect();
    if let Some(phrases) = &phrases {
        lines.iter().for_each(|line| drop(help::translated(line, &phrases.phrases)));
    }
    pages || prompts || catalog || phrases.is_some() || !lines.is_empty()
}

/// A Daylio export: previewed, every unknown mood mapped, then imported.
pub fn daylio_csv(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    let patient = &scratch().patient;
    let Ok(preview) = patient.preview_daylio(&text, &[], ZONE.parse().unwrap()) else { return false };
    let mappings: Vec<MoodMapping> =
        preview.unmapped.iter().map(|name| MoodMapping { name: name.clone(), valence: 0 }).collect();
    let imported = rolled_back(patient, |tx| import::import_in(tx, &text, &mappings, ZONE.parse().unwrap()));
    match imported {
        Ok(result) => {
            assert_eq!(result.added + result.skipped, preview.entries, "the preview counts what is imported");
            true
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests;
