//! Threads that open stores at the very start of a process all succeed.
//!
//! SQLite marks itself initialised before it runs SQLCipher's own set-up, so a
//! second thread's first open could be keyed before SQLCipher was ready and
//! fail. That only happens on a process's first opens, so each round is a
//! fresh child process of this binary (harness = false).
//!
//! Some other code in the process may start SQLite first, outside the core;
//! the core's opens wait for SQLCipher then too.
//!
//! The natural race is rare; to widen it, run one child under gdb and stall
//! the first thread inside SQLCipher's set-up while the others go on:
//! `break sqlcipher_extra_init`, then `commands` / `call (int) usleep(1500000)`
//! / `continue` / `end`, with `WAYMARK_TEST_FIRST_OPEN_DIR` set to an empty
//! directory. The plain connection's thread arrives first and is the one
//! stalled; if the core's wait did not poll for `sqlcipher_export`, all 8
//! store opens would fail there (an earlier form of this test, without the
//! plain connection, showed 7 of 8 failing with no wait at all).

use std::process::Command;
use std::sync::{Arc, Barrier};

use waymark_core::Store;

const KEY: [u8; 32] = [0x2a; 32];
const CHILD_DIR: &str = "WAYMARK_TEST_FIRST_OPEN_DIR";
const THREADS: usize = 8;
const ROUNDS: usize = 50;

fn main() {
    if let Ok(dir) = std::env::var(CHILD_DIR) {
        return open_at_once(dir.as_ref());
    }
    concurrent_first_opens_in_a_fresh_process_all_succeed();
    println!("first_open: 1 passed, 0 failed");
}

/// The child: a plain connection starts SQLite while every other thread
/// opens its own new store at the same moment.
fn open_at_once(dir: &std::path::Path) {
    let elsewhere = std::thread::spawn(|| rusqlite::Connection::open_in_memory().map(drop));
    let barrier = Arc::new(Barrier::new(THREADS));
    let threads: Vec<_> = (0..THREADS)
        .map(|i| {
            let (barrier, path) = (barrier.clone(), dir.join(format!("{i}.db")));
            std::thread::spawn(move || {
                barrier.wait();
                Store::open(&path, &KEY).map(|_| ()).map_err(|e| e.to_string())
            })
        })
        .collect();
    let failures: Vec<String> = threads.into_iter().filter_map(|t| t.join().unwrap().err()).collect();
    assert!(failures.is_empty(), "{} of {THREADS} first opens failed: {failures:?}", failures.len());
    elsewhere.join().unwrap().expect("a plain in-memory connection opens");
}

fn concurrent_first_opens_in_a_fresh_process_all_succeed() {
    for round in 0..ROUNDS {
        let dir = tempfile::tempdir().unwrap();
        let output = Command::new(std::env::current_exe().unwrap()).env(CHILD_DIR, dir.path()).output().unwrap();
        assert!(output.status.success(), "round {round}: {}", String::from_utf8_lossy(&output.stderr));
    }
}
