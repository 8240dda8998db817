//! The relay's API, run on both backends: SQLite always, PostgreSQL when
//! `WAYMARK_TEST_POSTGRES` names a database (tests/run starts one).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;
use waymark_protocol::{decode_base64, ChannelId, Direction, Header, MessagePage, MAX_ENVELOPE_BYTES};
use waymark_relay::{connect, router, sweep, Backend, Limiter};

struct Relay {
    app: Router,
    backend: Arc<dyn Backend>,
    _dir: tempfile::TempDir,
}

async fn relays(per_minute: u32, burst: u32) -> Vec<(&'static str, Relay)> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("relay.db").display());
    let mut relays = vec![("sqlite", relay(&url, per_minute, burst, dir).await)];
    match std::env::var("WAYMARK_TEST_POSTGRES") {
        Ok(url) => relays.push(("postgres", relay(&url, per_minute, burst, tempfile::tempdir().unwrap()).await)),
        Err(_) if std::env::var_os("CI").is_some() => panic!("CI must test PostgreSQL: set WAYMARK_TEST_POSTGRES"),
        Err(_) => eprintln!("WAYMARK_TEST_POSTGRES is not set: PostgreSQL skipped here (tests/run sets it)"),
    }
    relays
}

async fn relay(url: &str, per_minute: u32, burst: u32, dir: tempfile::TempDir) -> Relay {
    let backend = connect(url).await.unwrap();
    Relay { app: router(backend.clone(), Arc::new(Limiter::new(per_minute, burst))), backend, _dir: dir }
}

/// The sweep test deletes every old message, other tests' too, so it runs alone.
static SWEEP: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

/// A channel no other test (or earlier run on the same database) uses, and its token.
fn new_channel() -> (ChannelId, String) {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    let mut id = [0; 16];
    id[..8].copy_from_slice(&nanos.to_be_bytes());
    id[8..]
        .copy_from_slice(&(NEXT.fetch_add(1, Ordering::Relaxed) ^ u64::from(std::process::id()) << 32).to_be_bytes());
    let channel = ChannelId(id);
    (channel, format!("token-{channel}"))
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
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = app.clone().oneshot(request.body(Body::from(body)).unwrap()).await.unwrap();
    let status = response.status();
    (status, response.into_body().collect().await.unwrap().to_bytes().to_vec())
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
    for (name, relay) in relays(6_000, 1_000).await {
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
    for (name, relay) in relays(6_000, 1_000).await {
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
    for (name, relay) in relays(6_000, 1_000).await {
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
    for (name, relay) in relays(60, 3).await {
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
    for (name, relay) in relays(6_000, 1_000).await {
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
        assert!(relay.backend.page(&channel, Direction::ToClinician, 0, 10).await.unwrap().is_empty(), "{name}");
    }
}

#[tokio::test]
async fn messages_older_than_the_retention_are_swept() {
    let _alone = SWEEP.write().await;
    for (name, relay) in relays(6_000, 1_000).await {
        let (channel, token) = new_channel();
        put_message(&relay.app, &token, channel, &envelope(channel, Direction::ToClinician, 1, b"x")).await;
        let limiter = Limiter::new(60, 10);
        sweep(relay.backend.as_ref(), &limiter, Duration::from_secs(3_600)).await.unwrap();
        assert_eq!(
            list(&relay.app, &token, channel, Direction::ToClinician, 0, 10).await.messages.len(),
            1,
            "{name}: young"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert!(sweep(relay.backend.as_ref(), &limiter, Duration::ZERO).await.unwrap() >= 1, "{name}");
        assert!(list(&relay.app, &token, channel, Direction::ToClinician, 0, 10).await.messages.is_empty(), "{name}");
    }
}
