//! The relay's API, run on both backends: SQLite always, PostgreSQL when
//! `WAYMARK_TEST_POSTGRES` names a database (tests/run starts one).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;
use waymark_protocol::{
    channel_for_token, decode_base64, ChannelId, Direction, ErrorBody, Header, MessagePage, MAX_ENVELOPE_BYTES,
};
use waymark_relay::{connect, router, router_with, sweep, Backend, Limiter, Limits};

struct Relay {
    app: Router,
    backend: Arc<dyn Backend>,
    _dir: tempfile::TempDir,
}

/// Limits loose enough that only what a test tightens applies.
fn loose() -> Limits {
    Limits { per_minute: 6_000, burst: 1_000, ..Limits::default() }
}

async fn relays(limits: Limits) -> Vec<(&'static str, Relay)> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("relay.db").display());
    let mut relays = vec![("sqlite", relay(&url, &limits, dir).await)];
    match std::env::var("WAYMARK_TEST_POSTGRES") {
        Ok(url) => relays.push(("postgres", relay(&url, &limits, tempfile::tempdir().unwrap()).await)),
        Err(_) if std::env::var_os("CI").is_some() => panic!("CI must test PostgreSQL: set WAYMARK_TEST_POSTGRES"),
        Err(_) => eprintln!("WAYMARK_TEST_POSTGRES is not set: PostgreSQL skipped here (tests/run sets it)"),
    }
    relays
}

async fn relay(url: &str, limits: &Limits, dir: tempfile::TempDir) -> Relay {
    let backend = connect(url).await.unwrap();
    Relay { app: router_with(backend.clone(), limits), backend, _dir: dir }
}

/// The sweep test deletes every old message, other tests' too, so it runs alone.
static SWEEP: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

/// A token no other test (or earlier run on the same database) uses.
fn new_token() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("token-{nanos}-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A fresh channel and its token; the id follows from the token, as the relay requires.
fn new_channel() -> (ChannelId, String) {
    let token = new_token();
    (channel_for_token(&token), token)
}

fn envelope(channel: ChannelId, direction: Direction, n: u8, body: &[u8]) -> (String, Vec<u8>) {
    let header = Header {
        direction,
        channel,
        message_id: [0x01, 0x93, 0, 0, 0, n, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, n],
        created_at_millis: 1_764_000_000_000,
        nonce: [n; 24],
    };
    let mut bytes = header.to_bytes().to_vec();
    bytes.extend(body);
    bytes.extend([0; 16]);
    (header.message_id_text(), bytes)
}

async fn call(app: &Router, method: Method, path: &str, token: Option<&str>, body: Vec<u8>) -> (StatusCode, Vec<u8>) {
    let (status, _, body) = call_from(app, None, method, path, token, body).await;
    (status, body)
}

/// A request as if from `peer` (what the listener tells the router); `None`: from no listener.
async fn call_from(
    app: &Router,
    peer: Option<&str>,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Vec<u8>,
) -> (StatusCode, Option<String>, Vec<u8>) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if let Some(peer) = peer {
        request = request.extension(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    }
    let response = app.clone().oneshot(request.body(Body::from(body)).unwrap()).await.unwrap();
    let status = response.status();
    let retry_after = response.headers().get("retry-after").map(|value| value.to_str().unwrap().to_string());
    (status, retry_after, response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

async fn register(app: &Router, token: &str, channel: ChannelId) -> StatusCode {
    call(app, Method::PUT, &waymark_protocol::channel_path(&channel), Some(token), vec![]).await.0
}

async fn put_message(app: &Router, token: &str, channel: ChannelId, (id, bytes): &(String, Vec<u8>)) -> StatusCode {
    call(app, Method::PUT, &waymark_protocol::message_path(&channel, id), Some(token), bytes.clone()).await.0
}

async fn list(
    app: &Router,
    token: &str,
    channel: ChannelId,
    direction: Direction,
    after: u64,
    limit: u32,
) -> MessagePage {
    let (status, body) =
        call(app, Method::GET, &waymark_protocol::page_path(&channel, direction, after, limit), Some(token), vec![])
            .await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).unwrap()
}

#[tokio::test]
async fn a_message_is_stored_once_and_listed_by_cursor_and_direction() {
    let _shared = SWEEP.read().await;
    for (name, relay) in relays(loose()).await {
        let (channel, token) = new_channel();
        let first = envelope(channel, Direction::ToClinician, 1, b"one");
        assert_eq!(put_message(&relay.app, &token, channel, &first).await, StatusCode::CREATED, "{name}");
        assert_eq!(put_message(&relay.app, &token, channel, &first).await, StatusCode::OK, "{name}: same bytes again");
        let changed = (first.0.clone(), envelope(channel, Direction::ToClinician, 1, b"two").1);
        assert_eq!(put_message(&relay.app, &token, channel, &changed).await, StatusCode::CONFLICT, "{name}");
        for n in 2..=5 {
            put_message(&relay.app, &token, channel, &envelope(channel, Direction::ToClinician, n, b"x")).await;
        }
        let back = envelope(channel, Direction::ToPatient, 9, b"appointment");
        assert_eq!(put_message(&relay.app, &token, channel, &back).await, StatusCode::CREATED);

        let page = list(&relay.app, &token, channel, Direction::ToClinician, 0, 3).await;
        assert_eq!((page.messages.len(), page.more), (3, true), "{name}");
        assert_eq!(page.messages[0].id, first.0);
        assert_eq!(decode_base64(&page.messages[0].envelope).unwrap(), first.1, "{name}: the bytes come back as sent");
        let rest = list(&relay.app, &token, channel, Direction::ToClinician, page.messages[2].cursor, 3).await;
        assert_eq!((rest.messages.len(), rest.more), (2, false), "{name}");
        let to_patient = list(&relay.app, &token, channel, Direction::ToPatient, 0, 100).await;
        assert_eq!(to_patient.messages.iter().map(|m| &m.id).collect::<Vec<_>>(), [&back.0], "{name}");
    }
}

#[tokio::test]
async fn a_token_only_opens_its_own_channel() {
    let _shared = SWEEP.read().await;
    for (name, relay) in relays(loose()).await {
        let ((a, token_a), (b, token_b)) = (new_channel(), new_channel());
        let message_b = envelope(b, Direction::ToClinician, 1, b"b");
        assert_eq!(
            call(&relay.app, Method::PUT, &waymark_protocol::channel_path(&a), Some(&token_a), vec![]).await.0,
            StatusCode::CREATED
        );
        assert_eq!(
            call(&relay.app, Method::PUT, &waymark_protocol::channel_path(&a), Some(&token_a), vec![]).await.0,
            StatusCode::OK
        );
        assert_eq!(put_message(&relay.app, &token_b, b, &message_b).await, StatusCode::CREATED, "{name}");

        let page_b = waymark_protocol::page_path(&b, Direction::ToClinician, 0, 10);
        let path_b = waymark_protocol::message_path(&b, &message_b.0);
        assert_eq!(
            call(&relay.app, Method::GET, &page_b, Some(&token_a), vec![]).await.0,
            StatusCode::FORBIDDEN,
            "{name}: read"
        );
        assert_eq!(
            call(&relay.app, Method::PUT, &path_b, Some(&token_a), message_b.1.clone()).await.0,
            StatusCode::FORBIDDEN,
            "{name}: write"
        );
        let channel_b = waymark_protocol::channel_path(&b);
        assert_eq!(
            call(&relay.app, Method::DELETE, &channel_b, Some(&token_a), vec![]).await.0,
            StatusCode::FORBIDDEN,
            "{name}: delete"
        );
        assert_eq!(
            call(&relay.app, Method::GET, &page_b, None, vec![]).await.0,
            StatusCode::UNAUTHORIZED,
            "{name}: no token"
        );
        assert_eq!(call(&relay.app, Method::GET, &page_b, Some(""), vec![]).await.0, StatusCode::UNAUTHORIZED);
        assert_eq!(
            list(&relay.app, &token_b, b, Direction::ToClinician, 0, 10).await.messages.len(),
            1,
            "{name}: B is intact"
        );
        let (unknown, unknown_token) = new_channel();
        let unknown_page = waymark_protocol::page_path(&unknown, Direction::ToClinician, 0, 10);
        assert_eq!(
            call(&relay.app, Method::GET, &unknown_page, Some(&unknown_token), vec![]).await.0,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn bad_requests_are_refused_with_their_own_status() {
    let _shared = SWEEP.read().await;
    for (name, relay) in relays(loose()).await {
        let (channel, token) = new_channel();
        let (id, bytes) = envelope(channel, Direction::ToClinician, 1, b"x");
        let path = waymark_protocol::message_path(&channel, &id);
        let oversized = vec![0; MAX_ENVELOPE_BYTES + 1];
        assert_eq!(
            call(&relay.app, Method::PUT, &path, Some(&token), oversized).await.0,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{name}"
        );
        assert_eq!(
            call(&relay.app, Method::PUT, &path, Some(&token), b"not an envelope".to_vec()).await.0,
            StatusCode::BAD_REQUEST
        );
        let (other_id, _) = envelope(channel, Direction::ToClinician, 2, b"x");
        let wrong_path = waymark_protocol::message_path(&channel, &other_id);
        assert_eq!(
            call(&relay.app, Method::PUT, &wrong_path, Some(&token), bytes.clone()).await.0,
            StatusCode::BAD_REQUEST,
            "{name}: header and path differ"
        );
        assert_eq!(
            call(&relay.app, Method::PUT, "/v1/channels/nothex/messages/x", Some(&token), bytes).await.0,
            StatusCode::BAD_REQUEST
        );
        let sideways = format!("/v1/channels/{channel}/messages?direction=up");
        assert_eq!(call(&relay.app, Method::GET, &sideways, Some(&token), vec![]).await.0, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn a_channel_over_its_rate_is_told_to_wait() {
    let _shared = SWEEP.read().await;
    for (name, relay) in relays(Limits { per_minute: 60, burst: 3, ..loose() }).await {
        let (channel, token) = new_channel();
        let page = waymark_protocol::page_path(&channel, Direction::ToPatient, 0, 10);
        call(&relay.app, Method::PUT, &waymark_protocol::channel_path(&channel), Some(&token), vec![]).await;
        let statuses: Vec<StatusCode> = {
            let mut statuses = Vec::new();
            for _ in 0..3 {
                statuses.push(call(&relay.app, Method::GET, &page, Some(&token), vec![]).await.0);
            }
            statuses
        };
        assert_eq!(statuses, [StatusCode::OK, StatusCode::OK, StatusCode::TOO_MANY_REQUESTS], "{name}");
        let response = relay
            .app
            .clone()
            .oneshot(
                Request::get(&page).header("authorization", format!("Bearer {token}")).body(Body::empty()).unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()["retry-after"], "1");
        let (other, other_token) = new_channel();
        let other_page = waymark_protocol::channel_path(&other);
        assert_eq!(
            call(&relay.app, Method::PUT, &other_page, Some(&other_token), vec![]).await.0,
            StatusCode::CREATED,
            "{name}: per channel"
        );
    }
}

#[tokio::test]
async fn a_revoked_channel_keeps_nothing_and_refuses_everything() {
    let _shared = SWEEP.read().await;
    for (name, relay) in relays(loose()).await {
        let (channel, token) = new_channel();
        let message = envelope(channel, Direction::ToClinician, 1, b"x");
        put_message(&relay.app, &token, channel, &message).await;
        let path = waymark_protocol::channel_path(&channel);
        assert_eq!(
            call(&relay.app, Method::DELETE, &path, Some(&token), vec![]).await.0,
            StatusCode::NO_CONTENT,
            "{name}"
        );
        assert_eq!(put_message(&relay.app, &token, channel, &message).await, StatusCode::GONE, "{name}");
        let page = waymark_protocol::page_path(&channel, Direction::ToClinician, 0, 10);
        assert_eq!(call(&relay.app, Method::GET, &page, Some(&token), vec![]).await.0, StatusCode::GONE);
        let left = relay.backend.page(&channel, Direction::ToClinician, 0, 10, u64::MAX).await.unwrap();
        assert!(left.rows.is_empty(), "{name}");
        assert_eq!(relay.backend.channel(&channel).await.unwrap().unwrap().stored_bytes, 0, "{name}: quota freed");
    }
}

#[tokio::test]
async fn messages_older_than_the_retention_are_swept_and_free_their_quota() {
    let _alone = SWEEP.write().await;
    let probe = envelope(ChannelId([0; 16]), Direction::ToClinician, 1, b"x").1.len() as u64;
    for (name, relay) in relays(Limits { quota_bytes: probe, ..loose() }).await {
        let (channel, token) = new_channel();
        put_message(&relay.app, &token, channel, &envelope(channel, Direction::ToClinician, 1, b"x")).await;
        let second = envelope(channel, Direction::ToClinician, 2, b"y");
        assert_eq!(put_message(&relay.app, &token, channel, &second).await, StatusCode::INSUFFICIENT_STORAGE, "{name}");
        sweep(relay.backend.as_ref(), Duration::from_secs(3_600)).await.unwrap();
        assert_eq!(
            list(&relay.app, &token, channel, Direction::ToClinician, 0, 10).await.messages.len(),
            1,
            "{name}: young"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert!(sweep(relay.backend.as_ref(), Duration::ZERO).await.unwrap() >= 1, "{name}");
        assert!(list(&relay.app, &token, channel, Direction::ToClinician, 0, 10).await.messages.is_empty(), "{name}");
        assert_eq!(relay.backend.channel(&channel).await.unwrap().unwrap().stored_bytes, 0, "{name}");
        assert_eq!(put_message(&relay.app, &token, channel, &second).await, StatusCode::CREATED, "{name}: room again");
    }
}

#[tokio::test]
async fn a_channel_is_registered_only_with_the_token_its_id_follows_from() {
    let _shared = SWEEP.read().await;
    for (name, relay) in relays(loose()).await {
        let (_, token) = new_channel();
        let (made_up, _) = new_channel();
        assert_eq!(register(&relay.app, &token, made_up).await, StatusCode::FORBIDDEN, "{name}: PUT channel");
        let message = envelope(made_up, Direction::ToClinician, 1, b"x");
        assert_eq!(
            put_message(&relay.app, &token, made_up, &message).await,
            StatusCode::FORBIDDEN,
            "{name}: PUT message"
        );
        assert_eq!(relay.backend.channel(&made_up).await.unwrap(), None, "{name}: nothing was registered");

        let own = channel_for_token(&token);
        assert_eq!(register(&relay.app, &token, own).await, StatusCode::CREATED, "{name}");
        let other_token = new_token();
        let implicit = channel_for_token(&other_token);
        let first = envelope(implicit, Direction::ToPatient, 1, b"x");
        assert_eq!(
            put_message(&relay.app, &other_token, implicit, &first).await,
            StatusCode::CREATED,
            "{name}: implicit"
        );
    }
}

#[tokio::test]
async fn a_wrong_token_spends_nothing_of_the_channels_rate() {
    let _shared = SWEEP.read().await;
    // One a minute: however slow the machine, no request is refilled during the test.
    for (name, relay) in relays(Limits { per_minute: 1, burst: 3, ..loose() }).await {
        let (channel, token) = new_channel();
        assert_eq!(register(&relay.app, &token, channel).await, StatusCode::CREATED, "{name}");
        let page = waymark_protocol::page_path(&channel, Direction::ToPatient, 0, 10);
        for _ in 0..20 {
            let stranger = new_token();
            assert_eq!(call(&relay.app, Method::GET, &page, Some(&stranger), vec![]).await.0, StatusCode::FORBIDDEN);
            assert_eq!(call(&relay.app, Method::GET, &page, None, vec![]).await.0, StatusCode::UNAUTHORIZED);
        }
        let mut statuses = Vec::new();
        for _ in 0..3 {
            statuses.push(call(&relay.app, Method::GET, &page, Some(&token), vec![]).await.0);
        }
        assert_eq!(statuses, [StatusCode::OK, StatusCode::OK, StatusCode::TOO_MANY_REQUESTS], "{name}");
    }
}

#[tokio::test]
async fn a_peer_over_its_rate_is_told_to_wait_whatever_its_tokens() {
    let _shared = SWEEP.read().await;
    for (name, relay) in relays(Limits { peer_per_minute: 1, peer_burst: 2, ..loose() }).await {
        let (channel, token) = new_channel();
        let page = waymark_protocol::page_path(&channel, Direction::ToPatient, 0, 10);
        let from = |peer: Option<&'static str>, token: String| {
            let (app, page) = (relay.app.clone(), page.clone());
            async move { call_from(&app, peer, Method::GET, &page, Some(&token), vec![]).await }
        };
        assert_eq!(from(Some("127.0.0.2:4000"), new_token()).await.0, StatusCode::NOT_FOUND, "{name}: a guess");
        assert_eq!(register(&relay.app, &token, channel).await, StatusCode::CREATED);
        assert_eq!(from(Some("127.0.0.2:4001"), token.clone()).await.0, StatusCode::OK, "{name}");
        let (status, retry_after, _) = from(Some("127.0.0.2:4002"), token.clone()).await;
        assert_eq!((status, retry_after.as_deref()), (StatusCode::TOO_MANY_REQUESTS, Some("60")), "{name}");
        assert_eq!(from(Some("127.0.0.3:4000"), token.clone()).await.0, StatusCode::OK, "{name}: another peer");
        assert_eq!(from(None, token.clone()).await.0, StatusCode::OK, "{name}: no peer address, no peer limit");

        assert_eq!(from(Some("[2001:db8:5:6::1]:1"), token.clone()).await.0, StatusCode::OK);
        assert_eq!(from(Some("[2001:db8:5:6::2]:1"), token.clone()).await.0, StatusCode::OK);
        let same_64 = from(Some("[2001:db8:5:6:ffff::3]:1"), token.clone()).await.0;
        assert_eq!(same_64, StatusCode::TOO_MANY_REQUESTS, "{name}: an IPv6 /64 is one peer");
        let health = call_from(&relay.app, Some("127.0.0.2:4003"), Method::GET, "/healthz", None, vec![]).await;
        assert_eq!(health.0, StatusCode::OK, "{name}: health checks are not limited");
    }
}

#[tokio::test]
async fn a_channel_stores_no_more_than_its_quota_yet_the_same_bytes_again_are_fine() {
    let _shared = SWEEP.read().await;
    let size = envelope(ChannelId([0; 16]), Direction::ToClinician, 1, b"x").1.len() as u64;
    for (name, relay) in relays(Limits { quota_bytes: 2 * size, ..loose() }).await {
        let (channel, token) = new_channel();
        let (first, second) =
            (envelope(channel, Direction::ToClinician, 1, b"x"), envelope(channel, Direction::ToPatient, 2, b"y"));
        assert_eq!(put_message(&relay.app, &token, channel, &first).await, StatusCode::CREATED, "{name}");
        assert_eq!(put_message(&relay.app, &token, channel, &second).await, StatusCode::CREATED, "{name}");
        let third = envelope(channel, Direction::ToClinician, 3, b"z");
        let path = waymark_protocol::message_path(&channel, &third.0);
        let (status, body) = call(&relay.app, Method::PUT, &path, Some(&token), third.1.clone()).await;
        assert_eq!(status, StatusCode::INSUFFICIENT_STORAGE, "{name}");
        let error: ErrorBody = serde_json::from_slice(&body).unwrap();
        assert!(error.error.contains("stores as much as it may"), "{name}: {}", error.error);

        assert_eq!(put_message(&relay.app, &token, channel, &first).await, StatusCode::OK, "{name}: same bytes");
        let changed = (first.0.clone(), envelope(channel, Direction::ToClinician, 1, b"w").1);
        assert_eq!(put_message(&relay.app, &token, channel, &changed).await, StatusCode::CONFLICT, "{name}");
        assert_eq!(relay.backend.channel(&channel).await.unwrap().unwrap().stored_bytes, 2 * size, "{name}");

        let (other, other_token) = new_channel();
        let elsewhere = envelope(other, Direction::ToClinician, 3, b"z");
        assert_eq!(put_message(&relay.app, &other_token, other, &elsewhere).await, StatusCode::CREATED, "{name}");
    }
}

#[tokio::test]
async fn a_page_stops_at_its_byte_budget_and_says_more_follow() {
    let _shared = SWEEP.read().await;
    let size = envelope(ChannelId([0; 16]), Direction::ToClinician, 1, &[0; 1_000]).1.len() as u64;
    for (name, relay) in relays(Limits { page_bytes: size * 5 / 2, ..loose() }).await {
        let (channel, token) = new_channel();
        for n in 1..=5 {
            let message = envelope(channel, Direction::ToClinician, n, &[n; 1_000]);
            assert_eq!(put_message(&relay.app, &token, channel, &message).await, StatusCode::CREATED);
        }
        let (mut after, mut sizes, mut ids) = (0, Vec::new(), Vec::new());
        loop {
            let page = list(&relay.app, &token, channel, Direction::ToClinician, after, 100).await;
            sizes.push((page.messages.len(), page.more));
            ids.extend(page.messages.iter().map(|m| m.id.clone()));
            after = page.messages.last().map_or(after, |m| m.cursor);
            if !page.more {
                break;
            }
        }
        assert_eq!(sizes, [(2, true), (2, true), (1, false)], "{name}");
        let expected: Vec<String> = (1..=5).map(|n| envelope(channel, Direction::ToClinician, n, b"").0).collect();
        assert_eq!(ids, expected, "{name}: all of them, in order");

        let big = envelope(channel, Direction::ToPatient, 9, &vec![7; 3 * size as usize]);
        assert_eq!(put_message(&relay.app, &token, channel, &big).await, StatusCode::CREATED);
        put_message(&relay.app, &token, channel, &envelope(channel, Direction::ToPatient, 10, b"small")).await;
        let page = list(&relay.app, &token, channel, Direction::ToPatient, 0, 100).await;
        assert_eq!((page.messages.len(), page.more), (1, true), "{name}: one message over the budget goes alone");
        assert_eq!(decode_base64(&page.messages[0].envelope).unwrap(), big.1);
    }
}

/// `router(backend, limiter)`, as the CLI's tests call it: the default limits with the given channel rate.
#[tokio::test]
async fn the_router_also_takes_just_a_channel_limiter() {
    let dir = tempfile::tempdir().unwrap();
    let backend = connect(&format!("sqlite:{}", dir.path().join("relay.db").display())).await.unwrap();
    let app = router(backend, Arc::new(Limiter::new(1, 1)));
    let (channel, token) = new_channel();
    assert_eq!(register(&app, &token, channel).await, StatusCode::CREATED);
    assert_eq!(register(&app, &token, channel).await, StatusCode::TOO_MANY_REQUESTS);
}
