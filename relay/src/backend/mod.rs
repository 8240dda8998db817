//! Where the relay keeps channels and envelopes: one trait, two backends that
//! pass the same tests. Neither can read an envelope; both keep it as bytes.

mod postgres;
mod sqlite;

pub use postgres::PostgresBackend;
pub use sqlite::SqliteBackend;

use async_trait::async_trait;
use waymark_protocol::{ChannelId, Direction};

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error("the relay's database failed: {0}")]
    Database(String),
    #[error("--db must be sqlite:PATH or postgres://...; this one starts \"{0}\"")]
    UnknownUrl(String),
}

/// A channel as the relay knows it: the SHA-256 of its token, and whether it was revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Channel {
    pub token_hash: [u8; 32],
    pub revoked: bool,
}

/// What storing a message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    Created,
    /// The same id with the same bytes: nothing changed.
    Same,
    /// The same id with other bytes: refused.
    Conflict,
}

/// One stored message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub cursor: u64,
    pub id: String,
    pub envelope: Vec<u8>,
}

#[async_trait]
pub trait Backend: Send + Sync + 'static {
    async fn channel(&self, id: &ChannelId) -> Result<Option<Channel>, BackendError>;

    /// Registers the channel with `token_hash` unless it exists; returns it as stored.
    async fn register(&self, id: &ChannelId, token_hash: &[u8; 32], now: i64) -> Result<Channel, BackendError>;

    async fn put(
        &self,
        id: &ChannelId,
        message_id: &str,
        direction: Direction,
        envelope: &[u8],
        now: i64,
    ) -> Result<Stored, BackendError>;

    /// Messages sent in `direction` with a cursor above `after`, oldest first.
    async fn page(
        &self,
        id: &ChannelId,
        direction: Direction,
        after: u64,
        limit: u32,
    ) -> Result<Vec<Row>, BackendError>;

    /// Deletes the channel's messages and refuses it from now on.
    async fn revoke(&self, id: &ChannelId, now: i64) -> Result<(), BackendError>;

    /// Deletes messages received before `before`; returns how many.
    async fn sweep(&self, before: i64) -> Result<u64, BackendError>;
}

/// The backend for `--db`: `sqlite:PATH` or `postgres://...`.
pub async fn connect(url: &str) -> Result<std::sync::Arc<dyn Backend>, BackendError> {
    if let Some(path) = url.strip_prefix("sqlite:") {
        Ok(std::sync::Arc::new(SqliteBackend::open(path)?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(std::sync::Arc::new(PostgresBackend::connect(url).await?))
    } else {
        // Only the scheme: the rest may hold a password.
        Err(BackendError::UnknownUrl(url.split(':').next().unwrap_or_default().to_string()))
    }
}
