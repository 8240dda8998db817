//! Waymark's relay: it files envelopes by channel and direction and hands
//! them out by cursor. It never sees a key, so it cannot read what it keeps;
//! it knows a channel by its id and the SHA-256 of its bearer token, and
//! registers a channel only for the token its id follows from.
//!
//! What it bounds, so that one client cannot starve the others (see
//! [`Limits`] for the defaults, and `waymark-relay --help` for the flags):
//! requests per peer address and per channel, bytes stored per channel,
//! bytes per page, connections at once, and the time a client may take to
//! send a request.
//!
//! Several relays may share one PostgreSQL database: the storage quota and
//! the idempotent PUT are decided in the database, so they hold across them;
//! the rate limits live in each process, so N relays allow up to N times
//! the rate.

mod auth;
pub mod backend;
mod limit;
mod serve;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, MatchedPath, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::Deserialize;
use waymark_protocol::{
    encode_base64, ChannelId, Direction, ErrorBody, Header, ListedMessage, MessagePage, MAX_ENVELOPE_BYTES, MAX_PAGE,
};

use auth::{authorize, Unknown};
pub use backend::{connect, Backend, BackendError};
use limit::peer_key;
pub use limit::Limiter;
pub use serve::serve;

const MIB: u64 = 1 << 20;

/// The longest wait a 429 asks for: a client told to wait longer than this
/// had better try again and be told afresh.
pub const MAX_RETRY_AFTER_SECS: u64 = 300;

/// How the relay limits and forgets.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Requests each channel may make per minute, on average.
    pub per_minute: u32,
    /// Requests a channel may make at once before the rate applies.
    pub burst: u32,
    /// Requests each peer (an IPv4 address, an IPv6 /64) may make per minute,
    /// whatever its token: this bounds the work a token guesser causes. 0
    /// turns it off, as a relay behind a proxy needs: every peer is the proxy.
    pub peer_per_minute: u32,
    /// Requests a peer may make at once before its rate applies.
    pub peer_burst: u32,
    /// Envelope bytes one channel may store at once; more waits for the
    /// retention to free space (507).
    pub quota_bytes: u64,
    /// Envelope bytes one page carries at most (but always one message),
    /// so a page of large envelopes stays a few MiB of JSON.
    pub page_bytes: u64,
    /// How long a connection may take to send a request's head, and may stay
    /// idle between requests.
    pub header_timeout: Duration,
    /// How long a request may take once its head is in, body included (408).
    pub request_timeout: Duration,
    /// Connections served at once; more wait in the listen backlog.
    pub max_connections: usize,
    /// How long a message is kept after it arrives.
    pub retention: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_minute: 600,
            burst: 120,
            peer_per_minute: 3_000,
            peer_burst: 1_000,
            quota_bytes: 64 * MIB,
            page_bytes: 8 * MIB,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_connections: 512,
            retention: Duration::from_secs(30 * 24 * 3_600),
        }
    }
}

#[derive(Clone)]
struct Relay {
    backend: Arc<dyn Backend>,
    channels: Arc<Limiter>,
    /// `None` when `peer_per_minute` is 0.
    peers: Option<Arc<Limiter<IpAddr>>>,
    limits: Limits,
}

/// The relay's HTTP API (design.md §6) over `backend`, with `limits`.
pub fn router_with(backend: Arc<dyn Backend>, limits: &Limits) -> Router {
    app(backend, Arc::new(Limiter::new(limits.per_minute, limits.burst)), limits)
}

/// The API with the default limits but the channel rate of `limiter`.
pub fn router(backend: Arc<dyn Backend>, limiter: Arc<Limiter>) -> Router {
    app(backend, limiter, &Limits::default())
}

fn app(backend: Arc<dyn Backend>, channels: Arc<Limiter>, limits: &Limits) -> Router {
    let peers = (limits.peer_per_minute > 0).then(|| Arc::new(Limiter::new(limits.peer_per_minute, limits.peer_burst)));
    let relay = Relay { backend, channels, peers, limits: *limits };
    Router::new()
        .route("/v1/channels/{channel}", put(register).delete(revoke))
        .route("/v1/channels/{channel}/messages", get(page))
        .route("/v1/channels/{channel}/messages/{message}", put(store))
        .layer(DefaultBodyLimit::max(MAX_ENVELOPE_BYTES))
        .route_layer(middleware::from_fn_with_state(relay.clone(), limit_peer))
        .route("/healthz", get(|| async { "ok" }))
        .layer(middleware::from_fn_with_state(relay.clone(), time_limit))
        .layer(middleware::from_fn(log))
        .with_state(relay)
}

/// Deletes messages older than the retention.
pub async fn sweep(backend: &dyn Backend, retention: Duration) -> Result<u64, BackendError> {
    backend.sweep(now_millis() - retention.as_millis() as i64).await
}

fn now_millis() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// One line per request: what was asked, how it ended and how long it took.
/// Never a header, a token, a body or an address.
async fn log(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", |path| path.as_str()).to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

/// A request that is not answered within the bound, most likely because its
/// body trickles in, gets 408 and its connection is closed.
async fn time_limit(State(relay): State<Relay>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(relay.limits.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            ApiError::new(StatusCode::REQUEST_TIMEOUT, "the request took too long; send it again").into_response()
        }
    }
}

/// Charges the peer's address before anything reaches the database. Without
/// a peer address (a request that came through no listener, as in tests that
/// call the router directly), there is nothing to key on, so nothing is charged.
async fn limit_peer(State(relay): State<Relay>, request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(address)| address.ip());
    if let (Some(peers), Some(ip)) = (&relay.peers, peer) {
        if let Err(wait) = peers.check(peer_key(ip)) {
            return ApiError::slow_down(wait).into_response();
        }
    }
    next.run(request).await
}

#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    message: String,
    retry_after: Option<Duration>,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError { status, message: message.into(), retry_after: None }
    }

    fn slow_down(wait: Duration) -> Self {
        ApiError { retry_after: Some(wait), ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, "slow down") }
    }
}

impl From<BackendError> for ApiError {
    fn from(error: BackendError) -> Self {
        tracing::error!(error = %error, "backend");
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the relay's storage failed; try again later")
    }
}

/// Whole seconds for Retry-After: rounded up, so a client never comes back
/// early, and between 1 and [`MAX_RETRY_AFTER_SECS`].
fn retry_after_secs(wait: Duration) -> u64 {
    let rounded_up = wait.as_secs().saturating_add(u64::from(wait.subsec_nanos() > 0));
    rounded_up.clamp(1, MAX_RETRY_AFTER_SECS)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(ErrorBody { error: self.message })).into_response();
        if let Some(wait) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs(wait)));
        }
        response
    }
}

fn channel_id(text: &str) -> Result<ChannelId, ApiError> {
    ChannelId::parse(text).ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, "the channel id must be 32 hex digits"))
}

async fn register(
    State(relay): State<Relay>,
    Path(channel): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let channel = channel_id(&channel)?;
    let created = authorize(&relay, &channel, &headers, Unknown::Register).await?;
    Ok(if created { StatusCode::CREATED } else { StatusCode::OK })
}

async fn revoke(
    State(relay): State<Relay>,
    Path(channel): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let channel = channel_id(&channel)?;
    authorize(&relay, &channel, &headers, Unknown::NotFound).await?;
    relay.backend.revoke(&channel, now_millis()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn store(
    State(relay): State<Relay>,
    Path((channel, message)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let channel = channel_id(&channel)?;
    authorize(&relay, &channel, &headers, Unknown::Register).await?;
    let (header, _) = Header::parse(&body).map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
    if header.channel != channel || header.message_id_text() != message {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "the envelope's header does not match its path"));
    }
    let quota = relay.limits.quota_bytes;
    match relay.backend.put(&channel, &message, header.direction, &body, now_millis(), quota).await? {
        backend::Stored::Created => Ok(StatusCode::CREATED),
        backend::Stored::Same => Ok(StatusCode::OK),
        backend::Stored::Conflict => {
            Err(ApiError::new(StatusCode::CONFLICT, "a different message with this id is already stored"))
        }
        backend::Stored::OverQuota => Err(ApiError::new(
            StatusCode::INSUFFICIENT_STORAGE,
            format!(
                "this channel stores as much as it may ({} bytes of envelopes); \
                 try again once older messages expire",
                quota
            ),
        )),
    }
}

#[derive(Deserialize)]
struct PageQuery {
    direction: String,
    after: Option<u64>,
    limit: Option<u32>,
}

async fn page(
    State(relay): State<Relay>,
    Path(channel): Path<String>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Json<MessagePage>, ApiError> {
    let channel = channel_id(&channel)?;
    let direction = Direction::parse(&query.direction)
        .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, "direction must be to_clinician or to_patient"))?;
    authorize(&relay, &channel, &headers, Unknown::NotFound).await?;
    let limit = query.limit.unwrap_or(100).clamp(1, MAX_PAGE);
    let after = query.after.unwrap_or(0);
    let page = relay.backend.page(&channel, direction, after, limit, relay.limits.page_bytes).await?;
    let messages = page
        .rows
        .into_iter()
        .map(|row| ListedMessage { cursor: row.cursor, id: row.id, envelope: encode_base64(&row.envelope) })
        .collect();
    Ok(Json(MessagePage { messages, more: page.more }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_rounded_up_and_kept_between_1_and_300_seconds() {
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(999)), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(1_001)), 2);
        assert_eq!(retry_after_secs(Duration::from_secs(300)), 300);
        assert_eq!(retry_after_secs(Duration::from_secs(86_400)), MAX_RETRY_AFTER_SECS);
        assert_eq!(retry_after_secs(Duration::MAX), MAX_RETRY_AFTER_SECS);
    }
}
