//! A store written by SQLCipher on OpenSSL (every Waymark store before this
//! provider) opens and reads back whole with it, and a store it writes is one
//! SQLCipher 4 reads: default settings, a raw key, a row over a page long.

use rusqlite::Connection;

const KEY: &str = "PRAGMA key = \"x'000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'\";";

fn keyed(path: &std::path::Path) -> Connection {
    std::hint::black_box(waymark_page_cipher::keep_linked());
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(KEY).unwrap();
    conn
}

fn long_row() -> String {
    (0..12_000).map(|i| char::from(b'a' + (i % 26) as u8)).collect()
}

#[test]
fn a_file_sqlcipher_wrote_on_openssl_reads_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sqlcipher-openssl.db"), &path).unwrap();
    let conn = keyed(&path);
    let provider: String = conn.query_row("PRAGMA cipher_provider", [], |r| r.get(0)).unwrap();
    assert_eq!(provider, "rustcrypto");
    let problems: Vec<String> = conn
        .prepare("PRAGMA cipher_integrity_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(problems.is_empty(), "every page's HMAC verifies: {problems:?}");
    let rows: Vec<String> = conn
        .prepare("SELECT body FROM note ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows, vec!["written by SQLCipher on OpenSSL".to_string(), long_row()]);
}

#[test]
fn a_wrong_key_is_refused_and_a_written_file_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    {
        let conn = keyed(&path);
        conn.execute_batch("CREATE TABLE note (body TEXT NOT NULL)").unwrap();
        conn.execute("INSERT INTO note (body) VALUES (?1)", [long_row()]).unwrap();
    }
    let body: String = keyed(&path).query_row("SELECT body FROM note", [], |r| r.get(0)).unwrap();
    assert_eq!(body, long_row());

    let wrong = Connection::open(&path).unwrap();
    wrong
        .execute_batch("PRAGMA key = \"x'ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'\";")
        .unwrap();
    assert!(wrong.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0)).is_err());
    let raw = std::fs::read(&path).unwrap();
    assert!(!raw.windows(26).any(|w| w == b"abcdefghijklmnopqrstuvwxyz"), "no plaintext on disk");
}
