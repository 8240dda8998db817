//! The `waymark-relay` binary: it starts with no setup, logs without secrets,
//! and on SIGTERM finishes the requests in flight before it exits.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use waymark_protocol::{channel_for_token, Direction, Header};

fn start(db: &std::path::Path) -> (Child, String) {
    start_with(db, &[])
}

fn start_with(db: &std::path::Path, flags: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_waymark-relay"))
        .args(["--listen", "127.0.0.1:0", "--db"])
        .arg(format!("sqlite:{}", db.display()))
        .args(flags)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
    let address = line.trim().strip_prefix("listening on http://").unwrap_or_else(|| panic!("{line}")).to_string();
    (child, address)
}

/// Sends the request head and the first `split` bytes of `body`, then waits for `between`, then the rest.
fn request(address: &str, head: &str, body: &[u8], split: usize, between: impl FnOnce()) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "{head}\r\nHost: {address}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).unwrap();
    stream.write_all(&body[..split]).unwrap();
    stream.flush().unwrap();
    between();
    stream.write_all(&body[split..]).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn a_request_in_flight_at_sigterm_is_finished_and_logs_hold_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relay.db");
    let (mut relay, address) = start(&db);
    let token = "secret-token-that-must-never-be-logged";
    let channel = channel_for_token(token);
    let header = Header {
        direction: Direction::ToClinician,
        channel,
        message_id: [0x01, 0x93, 0, 0, 0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, 7],
        created_at_millis: 0,
        nonce: [3; 24],
    };
    let mut envelope = header.to_bytes().to_vec();
    envelope.extend(vec![0xEE; 200_000]);
    let head = format!(
        "PUT /v1/channels/{channel}/messages/{} HTTP/1.1\r\nAuthorization: Bearer {token}",
        header.message_id_text()
    );
    let pid = relay.id().to_string();
    let response = request(&address, &head, &envelope, 1_000, || {
        std::thread::sleep(Duration::from_millis(300));
        assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
        std::thread::sleep(Duration::from_millis(300));
    });
    assert!(response.starts_with("HTTP/1.1 201"), "the upload in flight is finished: {response}");
    let status = relay.wait().unwrap();
    assert!(status.success(), "{status:?}");

    let mut logs = String::new();
    relay.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
    assert!(logs.contains("\"route\":\"/v1/channels/{channel}/messages/{message}\""), "{logs}");
    assert!(logs.contains("\"status\":201") && logs.contains("shutting down"), "{logs}");
    assert!(!logs.contains(token) && !logs.contains("Bearer"), "no token in the logs");
    let stored = std::fs::read(&db).unwrap_or_default();
    let wal = std::fs::read(dir.path().join("relay.db-wal")).unwrap_or_default();
    for bytes in [stored, wal] {
        assert!(!bytes.windows(token.len()).any(|w| w == token.as_bytes()), "only the token's hash is stored");
    }
}

/// Reads until the relay closes the connection or `within` passes.
fn read_until_closed(stream: &mut TcpStream, within: Duration) -> (String, Duration) {
    let started = Instant::now();
    stream.set_read_timeout(Some(within)).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    (String::from_utf8_lossy(&response).into_owned(), started.elapsed())
}

#[test]
fn a_client_slow_to_send_its_head_or_its_body_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let (mut relay, address) =
        start_with(&dir.path().join("relay.db"), &["--header-timeout-secs", "1", "--request-timeout-secs", "1"]);

    let mut slow_head = TcpStream::connect(&address).unwrap();
    slow_head.write_all(b"GET /healthz HTTP/1.1\r\nHost: relay\r\n").unwrap();
    let (response, took) = read_until_closed(&mut slow_head, Duration::from_secs(10));
    assert!(took < Duration::from_secs(5) && !response.contains("200"), "{took:?}: {response}");

    let mut idle = TcpStream::connect(&address).unwrap();
    let (_, took) = read_until_closed(&mut idle, Duration::from_secs(10));
    assert!(took < Duration::from_secs(5), "an idle connection is closed too: {took:?}");

    let mut kept_alive = TcpStream::connect(&address).unwrap();
    kept_alive.write_all(b"GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n").unwrap();
    let (response, took) = read_until_closed(&mut kept_alive, Duration::from_secs(10));
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(took < Duration::from_secs(5), "and so is one idle after a request: {took:?}");

    let mut slow_body = TcpStream::connect(&address).unwrap();
    let head = "PUT /v1/channels/00000000000000000000000000000000/messages/x HTTP/1.1\r\nHost: relay\r\n\
                Authorization: Bearer t\r\nContent-Length: 1000\r\n\r\n";
    slow_body.write_all(head.as_bytes()).unwrap();
    slow_body.write_all(&[0; 10]).unwrap();
    let (response, took) = read_until_closed(&mut slow_body, Duration::from_secs(10));
    assert!(response.starts_with("HTTP/1.1 408"), "{took:?}: {response}");
    assert!(took < Duration::from_secs(5), "{took:?}");

    relay.kill().unwrap();
    relay.wait().unwrap();
}

#[test]
fn connections_beyond_the_limit_wait_until_one_closes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut relay, address) = start_with(&dir.path().join("relay.db"), &["--max-connections", "2"]);
    let first = TcpStream::connect(&address).unwrap();
    let _second = TcpStream::connect(&address).unwrap();
    std::thread::sleep(Duration::from_millis(200));

    let mut third = TcpStream::connect(&address).unwrap();
    third.write_all(b"GET /healthz HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n").unwrap();
    third.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    let mut byte = [0u8; 1];
    let waited = third.read(&mut byte);
    assert!(waited.is_err(), "not served while two connections are open: {waited:?}");

    drop(first);
    let (response, _) = read_until_closed(&mut third, Duration::from_secs(5));
    assert!(response.starts_with("HTTP/1.1 200"), "served once the first closed: {response}");
    relay.kill().unwrap();
    relay.wait().unwrap();
}
