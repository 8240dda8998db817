//! PostgreSQL, for relays that outgrow one machine: any number of stateless
//! relays over one database.

use async_trait::async_trait;
use deadpool_postgres::{Pool, Runtime};
use tokio_postgres::NoTls;
use waymark_protocol::{ChannelId, Direction};

use super::{Backend, BackendError, Channel, Row, Stored};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS channel (
    id         TEXT   PRIMARY KEY,
    token_hash BYTEA  NOT NULL,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS message (
    cursor      BIGSERIAL PRIMARY KEY,
    channel     TEXT      NOT NULL,
    id          TEXT      NOT NULL,
    direction   TEXT      NOT NULL,
    envelope    BYTEA     NOT NULL,
    received_at BIGINT    NOT NULL,
    UNIQUE (channel, id)
);
CREATE INDEX IF NOT EXISTS message_page ON message (channel, direction, cursor);
CREATE INDEX IF NOT EXISTS message_age ON message (received_at);
";

pub struct PostgresBackend {
    pool: Pool,
}

fn database(error: impl std::fmt::Display) -> BackendError {
    BackendError::Database(error.to_string())
}

impl PostgresBackend {
    pub async fn connect(url: &str) -> Result<Self, BackendError> {
        let config = deadpool_postgres::Config { url: Some(url.to_string()), ..Default::default() };
        let pool = config.create_pool(Some(Runtime::Tokio1), NoTls).map_err(database)?;
        let mut client = pool.get().await.map_err(database)?;
        // Relays starting together must not race to create the tables.
        let tx = client.transaction().await.map_err(database)?;
        tx.execute("SELECT pg_advisory_xact_lock(hashtext('waymark-relay schema'))", &[]).await.map_err(database)?;
        tx.batch_execute(SCHEMA).await.map_err(database)?;
        tx.commit().await.map_err(database)?;
        Ok(Self { pool })
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, BackendError> {
        self.pool.get().await.map_err(database)
    }
}

fn channel_of(row: &tokio_postgres::Row) -> Channel {
    let hash: Vec<u8> = row.get(0);
    Channel { token_hash: hash.try_into().unwrap_or([0; 32]), revoked: row.get(1) }
}

#[async_trait]
impl Backend for PostgresBackend {
    async fn channel(&self, id: &ChannelId) -> Result<Option<Channel>, BackendError> {
        let client = self.client().await?;
        let row = client
            .query_opt("SELECT token_hash, revoked_at IS NOT NULL FROM channel WHERE id = $1", &[&id.to_string()])
            .await
            .map_err(database)?;
        Ok(row.as_ref().map(channel_of))
    }

    async fn register(&self, id: &ChannelId, token_hash: &[u8; 32], now: i64) -> Result<Channel, BackendError> {
        let client = self.client().await?;
        let id = id.to_string();
        client
            .execute(
                "INSERT INTO channel (id, token_hash, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
                &[&id, &token_hash.as_slice(), &now],
            )
            .await
            .map_err(database)?;
        let row = client
            .query_one("SELECT token_hash, revoked_at IS NOT NULL FROM channel WHERE id = $1", &[&id])
            .await
            .map_err(database)?;
        Ok(channel_of(&row))
    }

    async fn put(
        &self,
        id: &ChannelId,
        message_id: &str,
        direction: Direction,
        envelope: &[u8],
        now: i64,
    ) -> Result<Stored, BackendError> {
        let mut client = self.client().await?;
        let id = id.to_string();
        let tx = client.transaction().await.map_err(database)?;
        // One writer per channel at a time, so cursors commit in order and a
        // reader paging with `after` never skips a message committed late.
        tx.execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[&id]).await.map_err(database)?;
        let existing = tx
            .query_opt("SELECT envelope FROM message WHERE channel = $1 AND id = $2", &[&id, &message_id])
            .await
            .map_err(database)?;
        let stored = match existing.map(|row| row.get::<_, Vec<u8>>(0)) {
            Some(bytes) if bytes == envelope => Stored::Same,
            Some(_) => Stored::Conflict,
            None => {
                tx.execute(
                    "INSERT INTO message (channel, id, direction, envelope, received_at) VALUES ($1, $2, $3, $4, $5)",
                    &[&id, &message_id, &direction.as_str(), &envelope, &now],
                )
                .await
                .map_err(database)?;
                Stored::Created
            }
        };
        tx.commit().await.map_err(database)?;
        Ok(stored)
    }

    async fn page(
        &self,
        id: &ChannelId,
        direction: Direction,
        after: u64,
        limit: u32,
    ) -> Result<Vec<Row>, BackendError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT cursor, id, envelope FROM message WHERE channel = $1 AND direction = $2 AND cursor > $3 \
                 ORDER BY cursor LIMIT $4",
                &[&id.to_string(), &direction.as_str(), &(after as i64), &i64::from(limit)],
            )
            .await
            .map_err(database)?;
        Ok(rows
            .iter()
            .map(|row| Row { cursor: row.get::<_, i64>(0) as u64, id: row.get(1), envelope: row.get(2) })
            .collect())
    }

    async fn revoke(&self, id: &ChannelId, now: i64) -> Result<(), BackendError> {
        let mut client = self.client().await?;
        let id = id.to_string();
        let tx = client.transaction().await.map_err(database)?;
        tx.execute("UPDATE channel SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL", &[&id, &now])
            .await
            .map_err(database)?;
        tx.execute("DELETE FROM message WHERE channel = $1", &[&id]).await.map_err(database)?;
        tx.commit().await.map_err(database)
    }

    async fn sweep(&self, before: i64) -> Result<u64, BackendError> {
        let client = self.client().await?;
        client.execute("DELETE FROM message WHERE received_at < $1", &[&before]).await.map_err(database)
    }
}
