//! A check-in the app has acknowledged survives the process being killed.
//!
//! The test re-runs its own binary as a child that writes check-ins in a loop
//! and prints each id once `add_checkin` has returned; the parent kills it
//! with SIGKILL mid-stream and checks every printed id is in the database.
//! It has its own `main` (harness = false) so the child needs no test of its own.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use waymark_core::{CheckInDraft, Store};

const KEY: [u8; 32] = [0x17; 32];
const CHILD_DB: &str = "WAYMARK_TEST_WRITER_DB";
const CHILD_COUNT: &str = "WAYMARK_TEST_WRITER_COUNT";

fn main() {
    if let Ok(path) = std::env::var(CHILD_DB) {
        return write_check_ins(&path);
    }
    sigkill_mid_stream_loses_no_acknowledged_check_in();
    two_processes_can_write_at_once();
    println!("durability: 2 passed, 0 failed");
}

/// The child: writes until killed, or `CHILD_COUNT` check-ins.
fn write_check_ins(path: &str) {
    let count: u64 = std::env::var(CHILD_COUNT).map_or(u64::MAX, |n| n.parse().unwrap());
    let store = Store::open(path, &KEY).unwrap();
    for i in 0..count {
        let draft = CheckInDraft {
            text: format!("entry {i} {}", "words ".repeat(40)),
            ..CheckInDraft::new(1, "UTC".parse().unwrap())
        };
        let entry = store.add_checkin(&draft).unwrap();
        println!("id {}", entry.id);
    }
}

fn spawn_writer(db: &std::path::Path, count: Option<u64>) -> std::process::Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.env(CHILD_DB, db);
    if let Some(count) = count {
        command.env(CHILD_COUNT, count.to_string());
    }
    command.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap()
}

fn ids(line: String) -> Option<String> {
    line.strip_prefix("id ").map(str::to_string)
}

fn sigkill_mid_stream_loses_no_acknowledged_check_in() {
    for (round, acknowledged_before_kill) in [37usize, 150, 401].into_iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("waymark.db");
        let mut child = spawn_writer(&db, None);
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut printed: Vec<String> =
            (&mut lines).map_while(Result::ok).filter_map(ids).take(acknowledged_before_kill).collect();
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        printed.extend(lines.map_while(Result::ok).filter_map(ids));

        let store = Store::open(&db, &KEY).unwrap();
        for id in &printed {
            store.checkin(id).unwrap_or_else(|e| panic!("round {round}: acknowledged {id} was lost: {e}"));
        }
        assert!(printed.len() >= acknowledged_before_kill);
        drop(store);
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", "17".repeat(32))).unwrap();
        let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(integrity, "ok");
    }
}

fn two_processes_can_write_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("waymark.db");
    drop(Store::open(&db, &KEY).unwrap());
    let writers: Vec<_> = (0..2).map(|_| spawn_writer(&db, Some(150))).collect();
    let mut printed = 0;
    for mut writer in writers {
        printed += BufReader::new(writer.stdout.take().unwrap()).lines().map_while(Result::ok).filter_map(ids).count();
        assert!(writer.wait().unwrap().success());
    }
    assert_eq!(printed, 300);
    let store = Store::open(&db, &KEY).unwrap();
    let page = store.journal_page(&waymark_core::JournalQuery { limit: 1000, ..Default::default() }).unwrap();
    assert_eq!(page.entries.len(), 300);
}
