//! The default backend: one SQLite file, no setup.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};
use waymark_protocol::{ChannelId, Direction};

use super::{page_end, Backend, BackendError, Channel, Page, Row, Stored};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS channel (
    id           TEXT    PRIMARY KEY NOT NULL,
    token_hash   BLOB    NOT NULL,
    revoked_at   INTEGER,
    created_at   INTEGER NOT NULL,
    stored_bytes INTEGER NOT NULL DEFAULT 0
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

/// Databases made before the storage quota lack `stored_bytes`: add it and
/// count what each channel already stores.
const ADD_STORED_BYTES: &str = "
ALTER TABLE channel ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE channel SET stored_bytes =
    (SELECT COALESCE(SUM(length(envelope)), 0) FROM message WHERE message.channel = channel.id);
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
        std::hint::black_box(waymark_page_cipher::keep_linked());
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.execute_batch(SCHEMA)?;
        migrate(&mut conn)?;
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

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let has_stored_bytes: bool =
        tx.query_row("SELECT COUNT(*) > 0 FROM pragma_table_info('channel') WHERE name = 'stored_bytes'", [], |row| {
            row.get(0)
        })?;
    if !has_stored_bytes {
        tx.execute_batch(ADD_STORED_BYTES)?;
    }
    tx.commit()
}

fn read_channel(conn: &Connection, id: &str) -> rusqlite::Result<Option<Channel>> {
    conn.prepare_cached("SELECT token_hash, revoked_at IS NOT NULL, stored_bytes FROM channel WHERE id = ?1")?
        .query_row([id], |row| {
            let hash: Vec<u8> = row.get(0)?;
            Ok(Channel {
                token_hash: hash.try_into().unwrap_or([0; 32]),
                revoked: row.get(1)?,
                stored_bytes: row.get::<_, i64>(2)?.max(0) as u64,
            })
        })
        .optional()
}

/// Adds a new message's bytes to its channel's count, unless that passes `quota`.
fn charge(tx: &rusqlite::Transaction, id: &str, bytes: usize, quota: u64) -> rusqlite::Result<bool> {
    let charged = tx
        .prepare_cached(
            "UPDATE channel SET stored_bytes = stored_bytes + ?2 WHERE id = ?1 AND stored_bytes <= ?3 - ?2",
        )?
        .execute(params![id, bytes as i64, i64::try_from(quota).unwrap_or(i64::MAX)])?;
    Ok(charged == 1)
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
        quota: u64,
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
                None if !charge(&tx, &id, envelope.len(), quota)? => Stored::OverQuota,
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
        max_bytes: u64,
    ) -> Result<Page, BackendError> {
        let id = id.to_string();
        self.run(move |conn| {
            let next: Vec<(u64, u64)> = conn
                .prepare_cached(
                    "SELECT cursor, length(envelope) FROM message \
                     WHERE channel = ?1 AND direction = ?2 AND cursor > ?3 ORDER BY cursor LIMIT ?4",
                )?
                .query_map(params![id, direction.as_str(), after as i64, i64::from(limit) + 1], |row| {
                    Ok((row.get::<_, i64>(0)? as u64, row.get::<_, i64>(1)? as u64))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let Some((last, more)) = page_end(&next, limit, max_bytes) else { return Ok(Page::default()) };
            let rows = conn
                .prepare_cached(
                    "SELECT cursor, id, envelope FROM message \
                     WHERE channel = ?1 AND direction = ?2 AND cursor > ?3 AND cursor <= ?4 ORDER BY cursor",
                )?
                .query_map(params![id, direction.as_str(), after as i64, last as i64], |row| {
                    Ok(Row { cursor: row.get::<_, i64>(0)? as u64, id: row.get(1)?, envelope: row.get(2)? })
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(Page { rows, more })
        })
        .await
    }

    async fn revoke(&self, id: &ChannelId, now: i64) -> Result<(), BackendError> {
        let id = id.to_string();
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            tx.execute(
                "UPDATE channel SET revoked_at = COALESCE(revoked_at, ?2), stored_bytes = 0 WHERE id = ?1",
                params![id, now],
            )?;
            tx.execute("DELETE FROM message WHERE channel = ?1", [&id])?;
            tx.commit()
        })
        .await
    }

    async fn sweep(&self, before: i64) -> Result<u64, BackendError> {
        self.run(move |conn| {
            // One immediate transaction: nothing is stored between the count and the delete.
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            tx.execute(
                "UPDATE channel SET stored_bytes = stored_bytes - (SELECT COALESCE(SUM(length(envelope)), 0) \
                 FROM message WHERE message.channel = channel.id AND received_at < ?1) \
                 WHERE id IN (SELECT channel FROM message WHERE received_at < ?1)",
                [before],
            )?;
            let deleted = tx.execute("DELETE FROM message WHERE received_at < ?1", [before])?;
            tx.commit()?;
            Ok(deleted as u64)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_database_from_before_the_quota_has_its_stored_bytes_counted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let id = ChannelId([1; 16]);
        let old = Connection::open(&path).unwrap();
        old.execute_batch(
            "CREATE TABLE channel (id TEXT PRIMARY KEY NOT NULL, token_hash BLOB NOT NULL, revoked_at INTEGER, \
                                   created_at INTEGER NOT NULL);
             CREATE TABLE message (cursor INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, id TEXT NOT NULL,
                                   direction TEXT NOT NULL, envelope BLOB NOT NULL, received_at INTEGER NOT NULL,
                                   UNIQUE (channel, id));",
        )
        .unwrap();
        old.execute("INSERT INTO channel VALUES (?1, zeroblob(32), NULL, 0)", [id.to_string()]).unwrap();
        for (n, bytes) in [(1, 300), (2, 500)] {
            old.execute(
                "INSERT INTO message (channel, id, direction, envelope, received_at) \
                 VALUES (?1, ?2, 'to_clinician', zeroblob(?3), 0)",
                params![id.to_string(), format!("m{n}"), bytes],
            )
            .unwrap();
        }
        drop(old);
        let backend = SqliteBackend::open(path.to_str().unwrap()).unwrap();
        assert_eq!(backend.channel(&id).await.unwrap().unwrap().stored_bytes, 800);
        drop(backend);
        let reopened = SqliteBackend::open(path.to_str().unwrap()).unwrap();
        assert_eq!(reopened.channel(&id).await.unwrap().unwrap().stored_bytes, 800, "counted once");
    }
}
