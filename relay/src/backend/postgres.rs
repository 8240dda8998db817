//! PostgreSQL, for relays that outgrow one machine: any number of stateless
//! relays over one database.

use async_trait::async_trait;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;
use waymark_protocol::{ChannelId, Direction};

use super::tls::{self, Tls};
use super::{page_end, Backend, BackendError, Channel, Page, Row, Stored};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS channel (
    id           TEXT   PRIMARY KEY,
    token_hash   BYTEA  NOT NULL,
    revoked_at   BIGINT,
    created_at   BIGINT NOT NULL,
    stored_bytes BIGINT NOT NULL DEFAULT 0
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
-- Databases made before the storage quota: add the count, and count what is stored.
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                   WHERE table_schema = current_schema() AND table_name = 'channel' AND column_name = 'stored_bytes') THEN
        ALTER TABLE channel ADD COLUMN stored_bytes BIGINT NOT NULL DEFAULT 0;
        UPDATE channel SET stored_bytes =
            (SELECT COALESCE(SUM(length(envelope)), 0) FROM message WHERE message.channel = channel.id);
    END IF;
END $$;
";

/// Deletes messages and takes their bytes off their channels' counts, in one
/// statement: only the rows this statement deleted are counted, so relays
/// sweeping at once never free the same bytes twice. `$1` selects the rows.
fn delete_counted(rows: &str) -> String {
    format!(
        "WITH gone AS (DELETE FROM message WHERE {rows} RETURNING channel, length(envelope) AS bytes), \
         freed AS (SELECT channel, SUM(bytes) AS bytes FROM gone GROUP BY channel), \
         counted AS (UPDATE channel SET stored_bytes = channel.stored_bytes - freed.bytes \
                     FROM freed WHERE channel.id = freed.channel) \
         SELECT COUNT(*) FROM gone"
    )
}

pub struct PostgresBackend {
    pool: Pool,
}

fn database(error: impl std::error::Error) -> BackendError {
    BackendError::Database(causes(&error))
}

/// An error and each of its causes: tokio-postgres's own message is only
/// "db error" or "error performing TLS handshake", and the why is in its source.
fn causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text = format!("{text}: {cause_text}");
        }
        source = cause.source();
    }
    text
}

impl PostgresBackend {
    /// Connects over TLS when the URL's `sslmode` asks for it (see `tls`), else in plain text.
    pub async fn connect(url: &str) -> Result<Self, BackendError> {
        let (config, tls) = tls::parse(url)?;
        let recycling = ManagerConfig { recycling_method: RecyclingMethod::Fast };
        let manager = match &tls {
            Tls::Plain => Manager::from_config(config, NoTls, recycling),
            Tls::Verified { root_cert } => {
                Manager::from_config(config, tls::connector(root_cert.as_deref())?, recycling)
            }
        };
        let pool = Pool::builder(manager).runtime(Runtime::Tokio1).build().map_err(database)?;
        let mut client = pool
            .get()
            .await
            .map_err(|error| BackendError::Connect { tls: tls != Tls::Plain, error: causes(&error) })?;
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

/// Adds a new message's bytes (`$6`) to its channel's count and inserts it,
/// unless the count would pass the quota (`$7`): then neither happens. One
/// statement, so one round trip, and atomic whichever relay runs it.
const INSERT_CHARGED: &str = "
WITH charged AS (
    UPDATE channel SET stored_bytes = stored_bytes + $6
    WHERE id = $1 AND stored_bytes <= $7::BIGINT - $6::BIGINT
    RETURNING id
)
INSERT INTO message (channel, id, direction, envelope, received_at)
SELECT $1, $2, $3, $4, $5 FROM charged";

const READ_CHANNEL: &str = "SELECT token_hash, revoked_at IS NOT NULL, stored_bytes FROM channel WHERE id = $1";

fn channel_of(row: &tokio_postgres::Row) -> Channel {
    let hash: Vec<u8> = row.get(0);
    Channel {
        token_hash: hash.try_into().unwrap_or([0; 32]),
        revoked: row.get(1),
        stored_bytes: row.get::<_, i64>(2).max(0) as u64,
    }
}

#[async_trait]
impl Backend for PostgresBackend {
    async fn channel(&self, id: &ChannelId) -> Result<Option<Channel>, BackendError> {
        let client = self.client().await?;
        let row = client.query_opt(READ_CHANNEL, &[&id.to_string()]).await.map_err(database)?;
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
        let row = client.query_one(READ_CHANNEL, &[&id]).await.map_err(database)?;
        Ok(channel_of(&row))
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
                let quota = i64::try_from(quota).unwrap_or(i64::MAX);
                let inserted = tx
                    .execute(
                        INSERT_CHARGED,
                        &[&id, &message_id, &direction.as_str(), &envelope, &now, &(envelope.len() as i64), &quota],
                    )
                    .await
                    .map_err(database)?;
                if inserted == 1 {
                    Stored::Created
                } else {
                    Stored::OverQuota
                }
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
        max_bytes: u64,
    ) -> Result<Page, BackendError> {
        let client = self.client().await?;
        let (id, direction) = (id.to_string(), direction.as_str());
        let next: Vec<(u64, u64)> = client
            .query(
                "SELECT cursor, length(envelope)::BIGINT FROM message \
                 WHERE channel = $1 AND direction = $2 AND cursor > $3 ORDER BY cursor LIMIT $4",
                &[&id, &direction, &(after as i64), &(i64::from(limit) + 1)],
            )
            .await
            .map_err(database)?
            .iter()
            .map(|row| (row.get::<_, i64>(0) as u64, row.get::<_, i64>(1) as u64))
            .collect();
        let Some((last, more)) = page_end(&next, limit, max_bytes) else { return Ok(Page::default()) };
        let rows = client
            .query(
                "SELECT cursor, id, envelope FROM message \
                 WHERE channel = $1 AND direction = $2 AND cursor > $3 AND cursor <= $4 ORDER BY cursor",
                &[&id, &direction, &(after as i64), &(last as i64)],
            )
            .await
            .map_err(database)?
            .iter()
            .map(|row| Row { cursor: row.get::<_, i64>(0) as u64, id: row.get(1), envelope: row.get(2) })
            .collect();
        Ok(Page { rows, more })
    }

    async fn revoke(&self, id: &ChannelId, now: i64) -> Result<(), BackendError> {
        let mut client = self.client().await?;
        let id = id.to_string();
        let tx = client.transaction().await.map_err(database)?;
        // Messages before the channel's row, in the order a sweep locks them.
        tx.query_one(&delete_counted("channel = $1"), &[&id]).await.map_err(database)?;
        tx.execute("UPDATE channel SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL", &[&id, &now])
            .await
            .map_err(database)?;
        tx.commit().await.map_err(database)
    }

    async fn sweep(&self, before: i64) -> Result<u64, BackendError> {
        let client = self.client().await?;
        let row = client.query_one(&delete_counted("received_at < $1"), &[&before]).await.map_err(database)?;
        Ok(row.get::<_, i64>(0) as u64)
    }
}
