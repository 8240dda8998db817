//! Where the relay keeps channels and envelopes: one trait, two backends that
//! pass the same tests. Neither can read an envelope; both keep it as bytes.

mod postgres;
mod sqlite;
mod tls;

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
    /// The first connection failed; `tls` says whether the URL asked for TLS,
    /// so a server that refuses it is told apart from one that is down.
    #[error("cannot connect to PostgreSQL{}: {error}", if *.tls { " over TLS, as the URL's sslmode asks" } else { "" })]
    Connect { tls: bool, error: String },
    #[error("the PostgreSQL URL's TLS settings: {0}")]
    Tls(String),
}

/// A channel as the relay knows it: the SHA-256 of its token, whether it was
/// revoked, and how many envelope bytes it stores now (its quota's use).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Channel {
    pub token_hash: [u8; 32],
    pub revoked: bool,
    pub stored_bytes: u64,
}

/// What storing a message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    Created,
    /// The same id with the same bytes: nothing changed.
    Same,
    /// The same id with other bytes: refused.
    Conflict,
    /// New, but the channel's stored bytes would pass its quota: refused.
    OverQuota,
}

/// One stored message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub cursor: u64,
    pub id: String,
    pub envelope: Vec<u8>,
}

/// Messages oldest first, and whether more follow the last of them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    pub rows: Vec<Row>,
    pub more: bool,
}

/// Where a page ends, from the cursors and sizes of the next messages in
/// cursor order (backends read `limit + 1` of them, without their envelopes):
/// the last cursor in the page and whether more follow. A page holds at most
/// `limit` messages and no more than `max_bytes` of envelopes, but always the
/// first, so a reader's cursor moves past a message larger than the budget.
fn page_end(next: &[(u64, u64)], limit: u32, max_bytes: u64) -> Option<(u64, bool)> {
    let mut total = 0u64;
    let fit = next.iter().take(limit as usize).take_while(|(_, size)| {
        total = total.saturating_add(*size);
        total <= max_bytes
    });
    let count = fit.count().max(1).min(next.len());
    (count > 0).then(|| (next[count - 1].0, next.len() > count))
}

#[async_trait]
pub trait Backend: Send + Sync + 'static {
    async fn channel(&self, id: &ChannelId) -> Result<Option<Channel>, BackendError>;

    /// Registers the channel with `token_hash` unless it exists; returns it as stored.
    async fn register(&self, id: &ChannelId, token_hash: &[u8; 32], now: i64) -> Result<Channel, BackendError>;

    /// Stores a message unless its id is taken, or the channel's stored bytes
    /// would pass `quota`. The quota is checked in the database, in the same
    /// transaction as the insert, so relays sharing one database share it.
    async fn put(
        &self,
        id: &ChannelId,
        message_id: &str,
        direction: Direction,
        envelope: &[u8],
        now: i64,
        quota: u64,
    ) -> Result<Stored, BackendError>;

    /// Messages sent in `direction` with a cursor above `after`, oldest first:
    /// at most `limit`, and at most `max_bytes` of envelopes but at least one.
    async fn page(
        &self,
        id: &ChannelId,
        direction: Direction,
        after: u64,
        limit: u32,
        max_bytes: u64,
    ) -> Result<Page, BackendError>;

    /// Deletes the channel's messages and refuses it from now on.
    async fn revoke(&self, id: &ChannelId, now: i64) -> Result<(), BackendError>;

    /// Deletes messages received before `before`, freeing their channels'
    /// quota; returns how many.
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

#[cfg(test)]
mod tests {
    use super::page_end;

    #[test]
    fn a_page_stops_at_its_byte_budget_but_holds_at_least_one_message() {
        let next = [(11, 3), (12, 3), (13, 3), (14, 3)];
        assert_eq!(page_end(&next, 10, 7), Some((12, true)));
        assert_eq!(page_end(&next, 10, 6), Some((12, true)), "exactly the budget fits");
        assert_eq!(page_end(&next, 10, 100), Some((14, false)));
        assert_eq!(page_end(&next[..3], 2, 100), Some((12, true)), "the count bounds it too");
        assert_eq!(page_end(&[(5, 50), (6, 1)], 10, 7), Some((5, true)), "one over the budget goes alone");
        assert_eq!(page_end(&[], 10, 7), None);
    }
}
