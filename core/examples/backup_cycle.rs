//! Times a backup or a restore at the phone's Argon2id cost, and reports the
//! process's peak memory (VmHWM). One operation per run, so each peak is its
//! own:
//! - `backup_cycle backup FILE [MIB]`: the ten-year store, or with MIB a store
//!   grown to about that many MiB of journal text (built once in `target/`);
//! - `backup_cycle restore FILE`, after a backup to FILE.
//!
//! Argon2id at the phone's cost holds 64 MiB by itself for about a second, so
//! each run also reports the peak of the data's path alone: the same
//! operation with Argon2id at 1 MiB, after the peak counter is reset.

#[path = "../benches/fixture/mod.rs"]
mod fixture;

use std::path::PathBuf;
use std::time::Instant;

use waymark_core::backup::{restore_file, Cost};
use waymark_core::{CheckInDraft, Store};

const PASSPHRASE: &str = "a benchmark passphrase";
const LIGHT: Cost = Cost { memory_kib: 1024, passes: 1, lanes: 1 };

fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(f64::NAN);
    kib / 1024.0
}

/// Linux's way to start the peak (VmHWM) again from the current size.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("Linux's /proc/self/clear_refs");
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1 << 20) as f64
}

/// A store of about `size_mib` MiB: entries of 100,000 characters.
fn grown(size_mib: u64) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../target/bench-backup-{size_mib}mib.db"));
    if std::fs::metadata(&path).map(|m| m.len() >= size_mib << 20).unwrap_or(false) {
        return path;
    }
    let _ = std::fs::remove_file(&path);
    let store = Store::open(&path, &fixture::KEY).unwrap();
    let words = ["calm", "river", "slept", "session", "sister", "tired", "walked", "integration"];
    for n in 0.. {
        if std::fs::metadata(&path).unwrap().len() >= size_mib << 20 {
            break;
        }
        let text: String = (0..)
            .map(|i| words[(i * 7 + n) % words.len()])
            .scan(0, |len, word| {
                *len += word.len() + 1;
                (*len <= 100_000).then(|| format!("{word} "))
            })
            .collect();
        store.add_checkin(&CheckInDraft { text, ..CheckInDraft::new(0, fixture::ZONE.parse().unwrap()) }).unwrap();
    }
    path
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (operation, file) = (args.next().expect("backup or restore"), args.next().expect("a backup file"));
    let size: Option<u64> = args.next().map(|n| n.parse().expect("a size in MiB"));
    match operation.as_str() {
        "backup" => {
            let store_path = size.map(grown).unwrap_or_else(|| fixture::ensure(&fixture::default_path()));
            let store = Store::open(&store_path, &fixture::KEY).unwrap();
            reset_peak();
            let started = Instant::now();
            let written = store.backup_to_file(&file, PASSPHRASE).unwrap();
            let took = started.elapsed();
            let phone_peak = peak_mib();
            let light = PathBuf::from(format!("{file}.light"));
            reset_peak();
            let mut out = std::io::BufWriter::new(std::fs::File::create(&light).unwrap());
            store.backup_into(&mut out, PASSPHRASE, LIGHT).unwrap();
            let data_peak = peak_mib();
            println!(
                "backup: {:.0} ms, file {:.1} MiB (store {:.1} MiB), peak memory {phone_peak:.0} MiB; data's path alone {data_peak:.0} MiB",
                took.as_secs_f64() * 1e3,
                mib(written),
                mib(std::fs::metadata(&store_path).unwrap().len()),
            );
        }
        "restore" => {
            let dir = tempfile::tempdir().unwrap();
            let mut peaks = Vec::new();
            for (n, source) in [file.clone(), format!("{file}.light")].iter().enumerate() {
                reset_peak();
                let started = Instant::now();
                let report =
                    restore_file(source, PASSPHRASE, dir.path().join(format!("{n}.db")), &[7; 32], false).unwrap();
                peaks.push((started.elapsed(), report, peak_mib()));
            }
            let (took, report, phone_peak) = &peaks[0];
            println!(
                "restore: {:.0} ms ({} check-ins, {} results), peak memory {phone_peak:.0} MiB; data's path alone {:.0} MiB",
                took.as_secs_f64() * 1e3,
                report.checkins,
                report.assessments,
                peaks[1].2,
            );
        }
        other => panic!("{other}: use backup or restore"),
    }
}
