//! Times a backup or a restore of the ten-year store at the phone's Argon2id
//! cost, and reports the process's peak memory (VmHWM). One operation per run,
//! so each peak is its own: `backup_cycle backup FILE`, then `backup_cycle restore FILE`.

#[path = "../benches/fixture/mod.rs"]
mod fixture;

use std::time::Instant;

const PASSPHRASE: &str = "a benchmark passphrase";

fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(f64::NAN);
    kib / 1024.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (operation, file) = (args.next().expect("backup or restore"), args.next().expect("a backup file"));
    let store_path = fixture::ensure(&fixture::default_path());
    match operation.as_str() {
        "backup" => {
            let store = waymark_core::Store::open(&store_path, &fixture::KEY).unwrap();
            let started = Instant::now();
            let bytes = store.backup(PASSPHRASE).unwrap();
            let took = started.elapsed();
            std::fs::write(&file, &bytes).unwrap();
            let db_mib = std::fs::metadata(&store_path).unwrap().len() as f64 / (1 << 20) as f64;
            println!(
                "backup: {:.0} ms, file {:.1} MiB (store {db_mib:.1} MiB), peak memory {:.0} MiB",
                took.as_secs_f64() * 1e3,
                bytes.len() as f64 / (1 << 20) as f64,
                peak_mib()
            );
        }
        "restore" => {
            let bytes = std::fs::read(&file).unwrap();
            let dir = tempfile::tempdir().unwrap();
            let target = dir.path().join("waymark.db");
            let started = Instant::now();
            let report = waymark_core::backup::restore(&bytes, PASSPHRASE, &target, &[7; 32], false).unwrap();
            println!(
                "restore: {:.0} ms ({} check-ins, {} results), peak memory {:.0} MiB",
                started.elapsed().as_secs_f64() * 1e3,
                report.checkins,
                report.assessments,
                peak_mib()
            );
        }
        other => panic!("{other}: use backup or restore"),
    }
}
