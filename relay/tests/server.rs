//! The `waymark-relay` binary: it starts with no setup, logs without secrets,
//! and on SIGTERM finishes the requests in flight before it exits.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use waymark_protocol::{ChannelId, Direction, Header};

fn start(db: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_waymark-relay"))
        .args(["--listen", "127.0.0.1:0", "--db"])
        .arg(format!("sqlite:{}", db.display()))
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
    let channel = ChannelId([0x5A; 16]);
    let token = "secret-token-that-must-never-be-logged";
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
