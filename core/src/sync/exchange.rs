//! Sync, and the outbox. Sharing seals an envelope into the outbox in the
//! transaction that made it; `sync` uploads what is due (a message counts as
//! sent only on a 2xx, and failures back off exponentially with jitter), then
//! pulls the inbox (`inbox.rs`).

use std::time::{Duration, Instant, SystemTime};

use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::OsRng;
use rusqlite::{params, Connection};
use serde::Serialize;

use super::channel::{self, Stored};
use super::inbox::HeldMessage;
use super::transport::{HttpRequest, HttpResponse, HttpTransport};
use super::{seal, Payload, SyncError};
use crate::share::{self, ShareRequest, SummaryForms};
use crate::store::Store;
use crate::time::{self, rfc3339};

/// The first retry waits about this long; each later one twice as long.
pub(super) const FIRST_RETRY: Duration = Duration::from_secs(5);
pub(super) const LONGEST_RETRY: Duration = Duration::from_secs(3_600);

/// Seals `payload` for the patient's therapist into the outbox.
pub(crate) fn enqueue_to_clinician(conn: &Connection, payload: &Payload, now: SystemTime) -> Result<String, SyncError> {
    let channel = channel::patient_channel(conn)?;
    enqueue(conn, &channel, payload, now)
}

pub(crate) fn enqueue(
    conn: &Connection,
    channel: &Stored,
    payload: &Payload,
    now: SystemTime,
) -> Result<String, SyncError> {
    if channel.info.revoked_at.is_some() {
        return Err(SyncError::ChannelRevoked { id: channel.info.id.clone() });
    }
    let id = uuid::Uuid::now_v7();
    let plaintext = serde_json::to_vec(payload).expect("payloads serialise");
    let keys = channel.keys();
    let envelope = seal::seal(&keys, channel.info.role.outgoing(), id, time::to_millis(now), &plaintext);
    if envelope.len() > waymark_protocol::MAX_ENVELOPE_BYTES {
        return Err(SyncError::EnvelopeTooLarge {
            len: envelope.len() as u64,
            max: waymark_protocol::MAX_ENVELOPE_BYTES as u64,
        });
    }
    conn.prepare_cached(
        "INSERT INTO outbox (id, channel, kind, envelope, created_at, next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
    )?
    .execute(params![id.to_string(), channel.info.id, payload.kind(), envelope, time::to_millis(now)])?;
    Ok(id.to_string())
}

/// What one `sync` did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncReport {
    pub uploaded: u32,
    pub received: u32,
    /// Messages refused: tampered, for another channel, or a replay with other bytes.
    pub rejected: u32,
    /// Messages set aside this time, kept to try again after an upgrade (see the sync status).
    pub held: u32,
    /// Still waiting in the outbox.
    pub pending: u32,
    /// Problems met on the way, as sentences for the patient.
    pub problems: Vec<String>,
    /// The time limit stopped the sync between two messages; the next sync goes on.
    pub out_of_time: bool,
}

/// What the sync screen shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncStatus {
    pub channels: Vec<ChannelStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChannelStatus {
    pub channel: channel::ChannelInfo,
    pub pending: u32,
    /// Messages the relay refused for good; `retry_message` sends one again.
    pub failed: Vec<FailedMessage>,
    /// Messages from the other end that are set aside, with why.
    pub held: Vec<HeldMessage>,
    #[serde(with = "rfc3339::option")]
    pub next_attempt_at: Option<SystemTime>,
    #[serde(with = "rfc3339::option")]
    pub last_success_at: Option<SystemTime>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FailedMessage {
    pub id: String,
    pub kind: String,
    pub error: String,
}

/// The wait before retry number `attempts`: exponential, capped, with jitter
/// (half fixed, half random) so phones that lost the relay together do not
/// all come back at once.
pub(crate) fn backoff(attempts: u32) -> Duration {
    let doubled = FIRST_RETRY.saturating_mul(1 << attempts.saturating_sub(1).min(20));
    let full = doubled.min(LONGEST_RETRY);
    let jitter = (OsRng.next_u64() % 1_000) as f64 / 1_000.0;
    full.mul_f64(0.5 + 0.5 * jitter)
}

pub(super) fn url(channel: &Stored, path: &str) -> String {
    format!("{}{path}", channel.pairing.relay_url)
}

/// How a channel's turn ended.
pub(super) enum Turn {
    Continue,
    /// Something to retry later; the rest of the turn still runs.
    Stop(String),
    /// The relay will not take this channel: nothing more to do on it.
    Refused(String),
    /// The deadline passed: the sync stops here and the next one goes on.
    OutOfTime,
}

/// When a sync must stop. It is checked between messages, never inside one,
/// so what was sent or applied stays done and the next sync goes on from there.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline(Option<Instant>);

impl Deadline {
    pub(crate) fn after(limit: Option<Duration>) -> Self {
        Deadline(limit.and_then(|limit| Instant::now().checked_add(limit)))
    }

    pub(super) fn passed(self) -> bool {
        self.0.is_some_and(|deadline| Instant::now() >= deadline)
    }
}

impl Store {
    /// Builds the summary `request` asks for and seals it into the outbox for
    /// the paired therapist, in one transaction; `sync` sends it when it can.
    pub fn share(&self, request: &ShareRequest) -> Result<SummaryForms, SyncError> {
        let now = SystemTime::now();
        let summary = self.write(|tx| {
            let summary = share::build(tx, request, now)?;
            enqueue_to_clinician(tx, &Payload::Summary(Box::new(summary.clone())), now)?;
            Ok::<_, SyncError>(summary)
        })?;
        Ok(share::preview(&summary, &self.content_language()?))
    }

    /// Messages waiting in the outbox, on every channel.
    pub fn pending_messages(&self) -> Result<u32, SyncError> {
        self.read(|conn| {
            Ok(conn.query_row(
                "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL",
                [],
                |row| row.get(0),
            )?)
        })
    }

    /// Uploads what is due and pulls what arrived, for every live channel.
    /// `retry_now` (the patient asked) also retries what is backing off;
    /// background syncs leave it false and come back at `next_attempt_at`.
    pub fn sync(&self, transport: &dyn HttpTransport, retry_now: bool) -> Result<SyncReport, SyncError> {
        self.sync_at(transport, SystemTime::now(), retry_now)
    }

    /// `sync` as seen at `now`.
    pub fn sync_at(
        &self,
        transport: &dyn HttpTransport,
        now: SystemTime,
        retry_now: bool,
    ) -> Result<SyncReport, SyncError> {
        self.sync_within(transport, now, retry_now, None)
    }

    /// `sync_at` that stops cleanly between messages once `time_limit` has
    /// passed, for a background task the phone will end (Android's
    /// WorkManager, iOS's background tasks); `out_of_time` says it did.
    pub fn sync_within(
        &self,
        transport: &dyn HttpTransport,
        now: SystemTime,
        retry_now: bool,
        time_limit: Option<Duration>,
    ) -> Result<SyncReport, SyncError> {
        let deadline = Deadline::after(time_limit);
        let mut report = SyncReport::default();
        for channel in self.read(|conn| Ok::<_, SyncError>(channel::all(conn)?))? {
            if deadline.passed() {
                report.out_of_time = true;
                break;
            }
            // Checked again: an address an older version let through never gets the token.
            if let Err(refused) = super::pairing::check_relay_url(&channel.pairing.relay_url) {
                report.problems.push(format!("{refused}; pair again with a new code"));
                continue;
            }
            if channel.info.revoked_at.is_some() {
                self.close_on_relay(transport, &channel, now, deadline, &mut report)?;
                continue;
            }
            self.retry_held(&channel, now, &mut report)?;
            // A message the relay will not take now must not hold up what comes in.
            let uploaded = self.upload(transport, &channel, now, retry_now, deadline, &mut report)?;
            let pulled = match uploaded {
                Turn::Refused(_) | Turn::OutOfTime => Turn::Continue,
                _ => self.pull(transport, &channel, now, deadline, &mut report)?,
            };
            if matches!((&uploaded, &pulled), (Turn::OutOfTime, _) | (_, Turn::OutOfTime)) {
                report.out_of_time = true;
                break;
            }
            let problems: Vec<String> = [uploaded, pulled]
                .into_iter()
                .filter_map(|turn| match turn {
                    Turn::Continue | Turn::OutOfTime => None,
                    Turn::Stop(problem) | Turn::Refused(problem) => Some(problem),
                })
                .collect();
            report.problems.extend(problems.iter().cloned());
            let (success, error) = match problems.is_empty() {
                true => (Some(time::to_millis(now)), None),
                false => (None, Some(problems.join("; "))),
            };
            self.write_one(
                "UPDATE channel SET last_success_at = coalesce(?2, last_success_at), last_error = ?3 WHERE id = ?1",
                params![channel.info.id, success, error],
            )?;
            // A Revoke from the other end arrived: tell the relay now.
            let closed = self.read(|conn| channel::find(conn, &channel.info.id))?;
            if closed.info.revoked_at.is_some() {
                self.close_on_relay(transport, &closed, now, deadline, &mut report)?;
            }
        }
        report.pending = self.pending_messages()?;
        Ok(report)
    }

    /// At the next sync: sends once more a message the relay refused for
    /// good, or tries once more to apply one that was set aside.
    pub fn retry_message(&self, id: &str) -> Result<(), SyncError> {
        let now = time::to_millis(SystemTime::now());
        self.write(|tx| {
            let live = "channel IN (SELECT id FROM channel WHERE revoked_at IS NULL)";
            let resent = tx.execute(
                &format!(
                    "UPDATE outbox SET failed_at = NULL, attempts = 0, next_attempt_at = ?2, last_error = NULL \
                     WHERE id = ?1 AND failed_at IS NOT NULL AND {live}"
                ),
                params![id, now],
            )?;
            let reapplied =
                tx.execute(&format!("UPDATE inbox_held SET held_by_version = '' WHERE id = ?1 AND {live}"), [id])?;
            match resent + reapplied {
                0 => Err(SyncError::UnknownMessage { id: id.to_string() }),
                _ => Ok(()),
            }
        })
    }

    fn upload(
        &self,
        transport: &dyn HttpTransport,
        channel: &Stored,
        now: SystemTime,
        retry_now: bool,
        deadline: Deadline,
        report: &mut SyncReport,
    ) -> Result<Turn, SyncError> {
        let due_by = if retry_now { i64::MAX } else { time::to_millis(now) };
        // A retry set further ahead than the longest wait was set before the clock moved back.
        let set_before_a_clock_jump = time::to_millis(now + LONGEST_RETRY);
        let due: Vec<(String, Vec<u8>, u32)> = self.read(|conn| {
            let mut statement = conn.prepare_cached(
                "SELECT id, envelope, attempts FROM outbox WHERE channel = ?1 AND sent_at IS NULL \
                 AND failed_at IS NULL AND (attempts = 0 OR next_attempt_at <= ?2 OR next_attempt_at > ?3) \
                 ORDER BY created_at, id",
            )?;
            let rows = statement.query_map(params![channel.info.id, due_by, set_before_a_clock_jump], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?;
            Ok::<_, SyncError>(rows.collect::<rusqlite::Result<_>>()?)
        })?;
        let keys = channel.keys();
        let id = channel::channel_id(&channel.info);
        for (message, envelope, attempts) in due {
            if deadline.passed() {
                return Ok(Turn::OutOfTime);
            }
            let request = HttpRequest {
                method: "PUT".into(),
                url: url(channel, &waymark_protocol::message_path(&id, &message)),
                bearer_token: keys.relay_token.clone(),
                body: envelope,
            };
            let outcome = transport.send(request);
            let now_ms = time::to_millis(now);
            match outcome {
                Ok(response) if (200..300).contains(&response.status) => {
                    self.write_one(
                        "UPDATE outbox SET sent_at = ?2, last_error = NULL WHERE id = ?1",
                        params![message, now_ms],
                    )?;
                    report.uploaded += 1;
                }
                // 409, or a request the relay will never take (400, 413, 422...): give up on this one.
                Ok(response)
                    if (400..500).contains(&response.status)
                        && !matches!(response.status, 401 | 403 | 408 | 410 | 429) =>
                {
                    let error = match response.status {
                        409 => "the relay holds a different message with this id".to_string(),
                        status => format!("the relay refused it for good ({status})"),
                    };
                    self.write_one(
                        "UPDATE outbox SET failed_at = ?2, last_error = ?3 WHERE id = ?1",
                        params![message, now_ms, error],
                    )?;
                }
                Ok(response) if matches!(response.status, 401 | 403 | 410) => {
                    return Ok(refused(&response));
                }
                failed => {
                    let (asked, problem) = match &failed {
                        Ok(response) => (
                            response.retry_after_seconds.map(|s| Duration::from_secs(u64::from(s))),
                            format!("the relay answered {}", response.status),
                        ),
                        Err(error) => (None, error.to_string()),
                    };
                    let wait = retry_wait(asked, attempts + 1);
                    let next = time::to_millis(now + wait);
                    self.write_one(
                        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
                        params![message, next, problem],
                    )?;
                    return Ok(Turn::Stop(format!("{problem}; will try again later")));
                }
            }
        }
        Ok(Turn::Continue)
    }

    /// A closed channel's last word to the relay: the end that closed it
    /// sends its Revoke and leaves the channel for the other end to read; the
    /// end that read a Revoke deletes the channel on the relay.
    fn close_on_relay(
        &self,
        transport: &dyn HttpTransport,
        channel: &Stored,
        now: SystemTime,
        deadline: Deadline,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        if channel.relay_deleted {
            return Ok(());
        }
        if channel.revoked_by_other {
            return self.delete_on_relay(transport, channel, report);
        }
        let turn = self.upload(transport, channel, now, true, deadline, report)?;
        let pending: u32 = self.read(|conn| {
            Ok::<_, SyncError>(conn.query_row(
                "SELECT count(*) FROM outbox WHERE channel = ?1 AND sent_at IS NULL AND failed_at IS NULL",
                [&channel.info.id],
                |row| row.get(0),
            )?)
        })?;
        match turn {
            Turn::Continue if pending == 0 => self.mark_closed_on_relay(channel),
            Turn::Continue | Turn::OutOfTime => Ok(()),
            Turn::Stop(problem) => {
                report.problems.push(format!("{problem}; unpairing will be sent later"));
                Ok(())
            }
            // The relay will never carry it: there is nothing more to send.
            Turn::Refused(problem) => {
                report.problems.push(format!("{problem}; the other end was not told of the unpairing"));
                self.mark_closed_on_relay(channel)
            }
        }
    }

    fn mark_closed_on_relay(&self, channel: &Stored) -> Result<(), SyncError> {
        self.write_one(
            "UPDATE channel SET relay_deleted_at = ?2 WHERE id = ?1",
            params![channel.info.id, time::to_millis(SystemTime::now())],
        )
    }

    fn delete_on_relay(
        &self,
        transport: &dyn HttpTransport,
        channel: &Stored,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let keys = channel.keys();
        let request = HttpRequest {
            method: "DELETE".into(),
            url: url(channel, &waymark_protocol::channel_path(&channel::channel_id(&channel.info))),
            bearer_token: keys.relay_token.clone(),
            body: Vec::new(),
        };
        match transport.send(request) {
            Ok(response) if (200..300).contains(&response.status) || matches!(response.status, 404 | 410) => {
                self.mark_closed_on_relay(channel)?;
            }
            Ok(response) => report.problems.push(format!("the relay answered {} to unpairing", response.status)),
            Err(error) => report.problems.push(format!("{error}; unpairing will be sent later")),
        }
        Ok(())
    }

    /// What is waiting, what failed and when sync last worked, per channel.
    pub fn sync_status(&self) -> Result<SyncStatus, SyncError> {
        self.read(|conn| {
            let mut channels = Vec::new();
            for channel in channel::all(conn)? {
                channels.push(status_of(conn, channel)?);
            }
            Ok(SyncStatus { channels })
        })
    }
}

impl Store {
    /// One statement in a write transaction of its own.
    pub(super) fn write_one(&self, sql: &str, params: impl rusqlite::Params) -> Result<(), SyncError> {
        self.write(|tx| {
            tx.execute(sql, params)?;
            Ok(())
        })
    }
}

/// A 401, 403 or 410: the relay will not take this channel now. Only an
/// authenticated Revoke from the other end unpairs, never the relay's word.
pub(super) fn refused(response: &HttpResponse) -> Turn {
    Turn::Refused(match response.status {
        410 => "the relay says this channel was closed; nothing was deleted here. \
                If sharing has ended, unpair; otherwise ask your therapist"
            .into(),
        status => format!("the relay refused this channel ({status}); nothing was deleted here"),
    })
}

/// The wait before retry number `attempts`: what the relay asked, but never
/// more than the longest wait (a relay or a clock cannot park a message for
/// days), and never less than the backoff.
fn retry_wait(asked: Option<Duration>, attempts: u32) -> Duration {
    let backoff = backoff(attempts);
    asked.map_or(backoff, |asked| asked.min(LONGEST_RETRY).max(backoff))
}

fn status_of(conn: &Connection, channel: Stored) -> Result<ChannelStatus, SyncError> {
    let (pending, next): (u32, Option<i64>) = conn.query_row(
        "SELECT count(*), min(next_attempt_at) FROM outbox WHERE channel = ?1 AND sent_at IS NULL AND failed_at IS NULL",
        [&channel.info.id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let mut statement = conn.prepare_cached(
        "SELECT id, kind, coalesce(last_error, '') FROM outbox WHERE channel = ?1 AND failed_at IS NOT NULL ORDER BY created_at",
    )?;
    let failed = statement
        .query_map([&channel.info.id], |row| {
            Ok(FailedMessage { id: row.get(0)?, kind: row.get(1)?, error: row.get(2)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut statement = conn
        .prepare_cached("SELECT id, state, reason, held_at FROM inbox_held WHERE channel = ?1 ORDER BY held_at, id")?;
    let held = statement
        .query_map([&channel.info.id], |row| {
            Ok(HeldMessage {
                id: row.get(0)?,
                state: row.get(1)?,
                reason: row.get(2)?,
                held_at: time::from_millis(row.get(3)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (last_success, last_error): (Option<i64>, Option<String>) =
        conn.query_row("SELECT last_success_at, last_error FROM channel WHERE id = ?1", [&channel.info.id], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    Ok(ChannelStatus {
        channel: channel.info,
        pending,
        failed,
        held,
        next_attempt_at: next.map(time::from_millis),
        last_success_at: last_success.map(time::from_millis),
        last_error,
    })
}
