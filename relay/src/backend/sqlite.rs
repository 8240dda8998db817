//! The default backend: one SQLite file, no setup.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};
use waymark_protocol::{ChannelId, Direction};

use super::{Backend, BackendError, Channel, Row, Stored};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS channel (
    id         TEXT    PRIMARY KEY NOT NULL,
    token_hash BLOB    NOT NULL,
    revoked_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS message (
    cursor      INTEGER PRIMARY KEY AUTOINCREMENT,
    channel     TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    direction   TEXT    NOT NULL,
    envelope    BLOB    NOT NULL,
    received_at INTEGER NOT NULL,
    UNIQUE (channel, id)
);
CREATE INDEX IF NOT EXISTS message_page ON message (channel, direction, cursor);
CREATE INDEX IF NOT EXISTS message_age ON message (received_at);
";

pub struct SqliteBackend {
    conn: Arc<Mutex<Connection>>,
}

impl From<rusqlite::Error> for BackendError {
    fn from(error: rusqlite::Error) -> Self {
        BackendError::Database(error.to_string())
    }
}

impl SqliteBackend {
    pub fn open(path: &str) -> Result<Self, BackendError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self { conn: Arc::new(Mutex::new(conn)) })
    }

    /// Runs `f` on the connection off the async threads.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, BackendError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut conn)
        })
        .await
        .map_err(|e| BackendError::Database(e.to_string()))?
        .map_err(BackendError::from)
    }
}

fn read_channel(conn: &Connection, id: &str) -> rusqlite::Result<Option<Channel>> {
    conn.prepare_cached("SELECT token_hash, revoked_at IS NOT NULL FROM channel WHERE id = ?1")?
        .query_row([id], |row| {
            let hash: Vec<u8> = row.get(0)?;
            Ok(Channel { token_hash: hash.try_into().unwrap_or([0; 32]), revoked: row.get(1)? })
        })
        .optional()
}

#[async_trait]
impl Backend for SqliteBackend {
    async fn channel(&self, id: &ChannelId) -> Result<Option<Channel>, BackendError> {
        let id = id.to_string();
        self.run(move |conn| read_channel(conn, &id)).await
    }

    async fn register(&self, id: &ChannelId, token_hash: &[u8; 32], now: i64) -> Result<Channel, BackendError> {
        let (id, hash) = (id.to_string(), token_hash.to_vec());
        self.run(move |conn| {
            conn.prepare_cached(
                "INSERT INTO channel (id, token_hash, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO NOTHING",
            )?
            .execute(params![id, hash, now])?;
            Ok(read_channel(conn, &id)?.expect("the channel was just registered"))
        })
        .await
    }

    async fn put(
        &self,
        id: &ChannelId,
        message_id: &str,
        direction: Direction,
        envelope: &[u8],
        now: i64,
    ) -> Result<Stored, BackendError> {
        let (id, message_id, envelope) = (id.to_string(), message_id.to_string(), envelope.to_vec());
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let existing: Option<Vec<u8>> = tx
                .prepare_cached("SELECT envelope FROM message WHERE channel = ?1 AND id = ?2")?
                .query_row([&id, &message_id], |row| row.get(0))
                .optional()?;
            let stored = match existing {
                Some(bytes) if bytes == envelope => Stored::Same,
                Some(_) => Stored::Conflict,
                None => {
                    tx.prepare_cached(
                        "INSERT INTO message (channel, id, direction, envelope, received_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?
                    .execute(params![id, message_id, direction.as_str(), envelope, now])?;
                    Stored::Created
                }
            };
            tx.commit()?;
            Ok(stored)
        })
        .await
    }

    async fn page(
        &self,
        id: &ChannelId,
        direction: Direction,
        after: u64,
        limit: u32,
    ) -> Result<Vec<Row>, BackendError> {
        let id = id.to_string();
        self.run(move |conn| {
            let mut statement = conn.prepare_cached(
                "SELECT cursor, id, envelope FROM message WHERE channel = ?1 AND direction = ?2 AND cursor > ?3 \
                 ORDER BY cursor LIMIT ?4",
            )?;
            let rows = statement.query_map(params![id, direction.as_str(), after as i64, limit], |row| {
                Ok(Row { cursor: row.get::<_, i64>(0)? as u64, id: row.get(1)?, envelope: row.get(2)? })
            })?;
            rows.collect()
        })
        .await
    }

    async fn revoke(&self, id: &ChannelId, now: i64) -> Result<(), BackendError> {
        let id = id.to_string();
        self.run(move |conn| {
            let tx = conn.transaction()?;
            tx.execute("UPDATE channel SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL", params![id, now])?;
            tx.execute("DELETE FROM message WHERE channel = ?1", [&id])?;
            tx.commit()
        })
        .await
    }

    async fn sweep(&self, before: i64) -> Result<u64, BackendError> {
        self.run(move |conn| Ok(conn.execute("DELETE FROM message WHERE received_at < ?1", [before])? as u64)).await
    }
}
