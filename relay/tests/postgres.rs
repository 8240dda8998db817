//! The relay on PostgreSQL as deployments run it: several relays over one
//! database, and the database over TLS when the URL asks. Needs
//! `WAYMARK_TEST_POSTGRES` (and `WAYMARK_TEST_POSTGRES_TLS`), which
//! tests/postgres.sh sets; skipped without them, except in CI.

use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;
use waymark_protocol::{channel_for_token, ChannelId, Direction, Header, MessagePage};
use waymark_relay::{connect, router_with, Limits};

fn env_url(name: &str) -> Option<String> {
    match std::env::var(name) {
        Ok(url) => Some(url),
        Err(_) if std::env::var_os("CI").is_some() => panic!("CI must test PostgreSQL: set {name}"),
        Err(_) => {
            eprintln!("{name} is not set: skipped here (tests/postgres.sh sets it)");
            None
        }
    }
}

fn new_channel() -> (ChannelId, String) {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let token = format!("pg-{nanos}-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    (channel_for_token(&token), token)
}

/// An envelope whose size does not depend on `n` or `fill`.
fn envelope(channel: ChannelId, n: u16, fill: u8) -> (String, Vec<u8>) {
    let [hi, lo] = n.to_be_bytes();
    let header = Header {
        direction: Direction::ToClinician,
        channel,
        message_id: [0x01, 0x93, 0, 0, 0, hi, 0x70, lo, 0x80, 0, 0, 0, 0, 0, hi, lo],
        created_at_millis: 1_764_000_000_000,
        nonce: [fill; 24],
    };
    let mut bytes = header.to_bytes().to_vec();
    bytes.extend([fill; 500]);
    (header.message_id_text(), bytes)
}

async fn put(app: &Router, token: &str, channel: ChannelId, (id, bytes): &(String, Vec<u8>)) -> StatusCode {
    let request = Request::builder()
        .method(Method::PUT)
        .uri(waymark_protocol::message_path(&channel, id))
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(bytes.clone()))
        .unwrap();
    app.clone().oneshot(request).await.unwrap().status()
}

async fn page(app: &Router, token: &str, channel: ChannelId, after: u64) -> MessagePage {
    let request = Request::get(waymark_protocol::page_path(&channel, Direction::ToClinician, after, 3))
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap()
}

/// Every message id through `app`, paging from the start: ids in cursor order.
async fn read_all(app: &Router, token: &str, channel: ChannelId) -> Vec<(u64, String)> {
    let (mut seen, mut after) = (Vec::new(), 0);
    loop {
        let page = page(app, token, channel, after).await;
        seen.extend(page.messages.iter().map(|m| (m.cursor, m.id.clone())));
        after = seen.last().map_or(0, |(cursor, _)| *cursor);
        if !page.more {
            return seen;
        }
    }
}

/// Two relays, each with its own pool, over one database. Their rate limits
/// are each their own (in memory, per process); the rest is the database's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_relays_over_one_database_agree_on_order_idempotence_and_quota() {
    let Some(url) = env_url("WAYMARK_TEST_POSTGRES") else { return };
    let size = envelope(ChannelId([0; 16]), 0, 0).1.len() as u64;
    let limits = Limits { quota_bytes: 40 * size, per_minute: 60_000, burst: 10_000, ..Limits::default() };
    let a = router_with(connect(&url).await.unwrap(), &limits);
    let b = router_with(connect(&url).await.unwrap(), &limits);
    let (channel, token) = new_channel();

    // In turn through each: the other pages them in the order they were sent.
    let first: Vec<_> = (1..=4).map(|n| envelope(channel, n, 1)).collect();
    for (n, message) in first.iter().enumerate() {
        let through = if n % 2 == 0 { &a } else { &b };
        assert_eq!(put(through, &token, channel, message).await, StatusCode::CREATED);
    }
    let ids = |seen: Vec<(u64, String)>| seen.into_iter().map(|(_, id)| id).collect::<Vec<_>>();
    let sent: Vec<String> = first.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(ids(read_all(&b, &token, channel).await), sent);
    assert_eq!(ids(read_all(&a, &token, channel).await), sent);

    // The idempotent PUT holds across relays.
    assert_eq!(put(&b, &token, channel, &first[0]).await, StatusCode::OK, "the same bytes through the other relay");
    let changed = (first[0].0.clone(), envelope(channel, 1, 2).1);
    assert_eq!(put(&b, &token, channel, &changed).await, StatusCode::CONFLICT);
    assert_eq!(put(&a, &token, channel, &changed).await, StatusCode::CONFLICT);

    // Both write at once while a reader pages through B: it sees each message
    // once, in cursor order, and misses none committed behind its cursor.
    let writers: Vec<_> = [(a.clone(), 100u16), (b.clone(), 200u16)]
        .into_iter()
        .map(|(app, base)| {
            let token = token.clone();
            tokio::spawn(async move {
                for n in base..base + 16 {
                    assert_eq!(put(&app, &token, channel, &envelope(channel, n, 3)).await, StatusCode::CREATED);
                }
            })
        })
        .collect();
    let mut seen = read_all(&b, &token, channel).await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    while seen.len() < 36 && tokio::time::Instant::now() < deadline {
        let after = seen.last().map_or(0, |(cursor, _)| *cursor);
        seen.extend(page(&b, &token, channel, after).await.messages.into_iter().map(|m| (m.cursor, m.id)));
    }
    for writer in writers {
        writer.await.unwrap();
    }
    assert_eq!(seen.len(), 36, "every message, none twice");
    assert!(seen.windows(2).all(|pair| pair[0].0 < pair[1].0), "cursors rise");
    let mut unique: Vec<_> = seen.iter().map(|(_, id)| id.clone()).collect();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 36);

    // The quota is one for both: 36 stored, room for 4 more, 12 tried at once.
    let racers: Vec<_> = (300u16..312)
        .map(|n| {
            let (app, token) = (if n % 2 == 0 { a.clone() } else { b.clone() }, token.clone());
            tokio::spawn(async move { put(&app, &token, channel, &envelope(channel, n, 4)).await })
        })
        .collect();
    let mut statuses = Vec::new();
    for racer in racers {
        statuses.push(racer.await.unwrap());
    }
    let created = statuses.iter().filter(|s| **s == StatusCode::CREATED).count();
    let full = statuses.iter().filter(|s| **s == StatusCode::INSUFFICIENT_STORAGE).count();
    assert_eq!((created, full), (4, 8), "{statuses:?}");
    let backend = connect(&url).await.unwrap();
    assert_eq!(backend.channel(&channel).await.unwrap().unwrap().stored_bytes, 40 * size);
    assert_eq!(put(&a, &token, channel, &first[1]).await, StatusCode::OK, "the same bytes again, at the quota");
}

#[tokio::test]
async fn postgres_over_tls_when_the_url_asks_verified_against_its_root() {
    let Some(url) = env_url("WAYMARK_TEST_POSTGRES_TLS") else { return };
    // The role in this URL may connect over TLS only (tests/postgres.sh), so
    // getting in at all proves the connection is encrypted.
    let backend = connect(&url).await.unwrap_or_else(|e| panic!("{e}"));
    let app = router_with(backend, &Limits::default());
    let (channel, token) = new_channel();
    assert_eq!(put(&app, &token, channel, &envelope(channel, 1, 1)).await, StatusCode::CREATED);

    let (base, query) = url.split_once('?').unwrap();
    let error = connect(base).await.err().expect("without sslmode: plain text, which this role may not use");
    assert!(error.to_string().contains("no encryption"), "{error}");

    let system_roots = query.split('&').filter(|pair| !pair.starts_with("sslrootcert=")).collect::<Vec<_>>();
    let error =
        connect(&format!("{base}?{}", system_roots.join("&"))).await.err().expect("a CA the system does not know");
    let error = error.to_string();
    assert!(error.contains("over TLS") && error.contains("UnknownIssuer"), "{error}");

    let by_address = url.replacen("@localhost:", "@127.0.0.1:", 1);
    let error = connect(&by_address).await.err().expect("the certificate names localhost only").to_string();
    assert!(error.contains("over TLS") && error.contains("not valid for name"), "{error}");
}

/// What a PostgreSQL server without TLS answers to the client's request for
/// it: the single byte `N`. A URL that asks for TLS must then fail, and say
/// so, not go on in plain text.
#[tokio::test]
async fn sslmode_require_against_a_server_without_tls_fails_clearly() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut ssl_request = [0u8; 8];
        stream.read_exact(&mut ssl_request).unwrap();
        assert_eq!(ssl_request, [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f], "an SSLRequest");
        stream.write_all(b"N").unwrap();
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
        rest
    });
    let result = connect(&format!("postgres://waymark@127.0.0.1:{port}/relay?sslmode=require")).await;
    let error = result.err().expect("refused").to_string();
    assert!(error.contains("over TLS") && error.contains("server does not support TLS"), "{error}");
    assert!(server.join().unwrap().is_empty(), "nothing was sent in plain text after the refusal");
}

/// Relays share the database's state, and nothing else: each process keeps
/// its own rate buckets.
#[tokio::test]
async fn rate_limits_are_kept_in_each_relay() {
    let Some(url) = env_url("WAYMARK_TEST_POSTGRES") else { return };
    let limits = Limits { per_minute: 1, burst: 2, ..Limits::default() };
    let (a, b) =
        (router_with(connect(&url).await.unwrap(), &limits), router_with(connect(&url).await.unwrap(), &limits));
    let (channel, token) = new_channel();
    let message = envelope(channel, 1, 1);
    assert_eq!(put(&a, &token, channel, &message).await, StatusCode::CREATED);
    assert_eq!(put(&a, &token, channel, &message).await, StatusCode::OK);
    assert_eq!(put(&a, &token, channel, &message).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(put(&b, &token, channel, &message).await, StatusCode::OK, "the other relay has its own bucket");
}
