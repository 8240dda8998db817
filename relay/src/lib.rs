//! Waymark's relay: it files envelopes by channel and direction and hands
//! them out by cursor. It never sees a key, so it cannot read what it keeps;
//! it knows a channel by its id and the SHA-256 of its bearer token.

pub mod backend;
mod limit;

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, MatchedPath, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use waymark_protocol::{
    encode_base64, ChannelId, Direction, ErrorBody, Header, ListedMessage, MessagePage, MAX_ENVELOPE_BYTES, MAX_PAGE,
};

pub use backend::{connect, Backend, BackendError};
pub use limit::Limiter;

/// How the relay limits and forgets.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Requests each channel may make per minute, on average.
    pub per_minute: u32,
    /// Requests a channel may make at once before the rate applies.
    pub burst: u32,
    /// How long a message is kept after it arrives.
    pub retention: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { per_minute: 600, burst: 120, retention: Duration::from_secs(30 * 24 * 3_600) }
    }
}

#[derive(Clone)]
struct Relay {
    backend: Arc<dyn Backend>,
    limiter: Arc<Limiter>,
}

/// The relay's HTTP API (design.md §6), over `backend`.
pub fn router(backend: Arc<dyn Backend>, limiter: Arc<Limiter>) -> Router {
    let relay = Relay { backend, limiter };
    Router::new()
        .route("/v1/channels/{channel}", put(register).delete(revoke))
        .route("/v1/channels/{channel}/messages", get(page))
        .route("/v1/channels/{channel}/messages/{message}", put(store))
        .layer(DefaultBodyLimit::max(MAX_ENVELOPE_BYTES))
        .route("/healthz", get(|| async { "ok" }))
        .layer(middleware::from_fn(log))
        .with_state(relay)
}

/// Deletes messages older than the retention, and forgets idle rate buckets.
pub async fn sweep(backend: &dyn Backend, limiter: &Limiter, retention: Duration) -> Result<u64, BackendError> {
    limiter.forget_idle();
    backend.sweep(now_millis() - retention.as_millis() as i64).await
}

fn now_millis() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// One line per request: what was asked, how it ended and how long it took.
/// Never a header, a token or a body.
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
}

impl From<BackendError> for ApiError {
    fn from(error: BackendError) -> Self {
        tracing::error!(error = %error, "backend");
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the relay's storage failed; try again later")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(ErrorBody { error: self.message })).into_response();
        if let Some(wait) = self.retry_after {
            let seconds = wait.as_secs().max(1).to_string();
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_str(&seconds).expect("digits"));
        }
        response
    }
}

fn channel_id(text: &str) -> Result<ChannelId, ApiError> {
    ChannelId::parse(text).ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, "the channel id must be 32 hex digits"))
}

fn token_hash(headers: &HeaderMap) -> Result<[u8; 32], ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .filter(|token| !token.is_empty())
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "a bearer token is required"))?;
    Ok(Sha256::digest(token.as_bytes()).into())
}

/// Checks the rate, then the token; `register` first registers an unknown channel.
async fn authorize(relay: &Relay, channel: &ChannelId, headers: &HeaderMap, register: bool) -> Result<bool, ApiError> {
    if let Err(wait) = relay.limiter.check(channel) {
        return Err(ApiError { retry_after: Some(wait), ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, "slow down") });
    }
    let hash = token_hash(headers)?;
    let (known, created) = match relay.backend.channel(channel).await? {
        Some(known) => (known, false),
        None if register => {
            let stored = relay.backend.register(channel, &hash, now_millis()).await?;
            (stored, stored.token_hash == hash)
        }
        None => return Err(ApiError::new(StatusCode::NOT_FOUND, "no such channel")),
    };
    if known.token_hash != hash {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "this token is not for this channel"));
    }
    if known.revoked {
        return Err(ApiError::new(StatusCode::GONE, "the channel was revoked; pair again"));
    }
    Ok(created)
}

async fn register(
    State(relay): State<Relay>,
    Path(channel): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let channel = channel_id(&channel)?;
    let created = authorize(&relay, &channel, &headers, true).await?;
    Ok(if created { StatusCode::CREATED } else { StatusCode::OK })
}

async fn revoke(
    State(relay): State<Relay>,
    Path(channel): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let channel = channel_id(&channel)?;
    authorize(&relay, &channel, &headers, false).await?;
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
    authorize(&relay, &channel, &headers, true).await?;
    let (header, _) = Header::parse(&body).map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
    if header.channel != channel || header.message_id_text() != message {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "the envelope's header does not match its path"));
    }
    match relay.backend.put(&channel, &message, header.direction, &body, now_millis()).await? {
        backend::Stored::Created => Ok(StatusCode::CREATED),
        backend::Stored::Same => Ok(StatusCode::OK),
        backend::Stored::Conflict => {
            Err(ApiError::new(StatusCode::CONFLICT, "a different message with this id is already stored"))
        }
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
    authorize(&relay, &channel, &headers, false).await?;
    let limit = query.limit.unwrap_or(100).clamp(1, MAX_PAGE);
    let mut rows = relay.backend.page(&channel, direction, query.after.unwrap_or(0), limit + 1).await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let messages = rows
        .into_iter()
        .map(|row| ListedMessage { cursor: row.cursor, id: row.id, envelope: encode_base64(&row.envelope) })
        .collect();
    Ok(Json(MessagePage { messages, more }))
}
