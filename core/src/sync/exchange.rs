//! The outbox and the inbox. Sharing seals an envelope into the outbox in the
//! transaction that made it; `sync` uploads what is due (a message counts as
//! sent only on a 2xx, and failures back off exponentially with jitter), then
//! pulls the inbox by cursor and applies each message once.
//!
//! Whatever arrives is hostile until opened and checked. One message never
//! wedges a channel: a message that fails to apply again and again is set
//! aside after a few tries, one that holds what Waymark refuses or cannot
//! read yet is kept with its reason, and the cursor moves past both. What is
//! set aside is shown in the sync status and tried again after an upgrade.

use std::time::{Duration, SystemTime};

use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::OsRng;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use waymark_protocol::{decode_base64, ListedMessage, MessagePage, MAX_PAGE};

use super::channel::{self, Role, Stored};
use super::transport::{HttpRequest, HttpResponse, HttpTransport};
use super::{seal, Payload, SyncError};
use crate::store::Store;
use crate::time::{self, rfc3339};

/// The first retry waits about this long; each later one twice as long.
const FIRST_RETRY: Duration = Duration::from_secs(5);
const LONGEST_RETRY: Duration = Duration::from_secs(3_600);
const PAGE: u32 = 100;
/// Pages pulled per channel in one sync; the rest waits for the next.
const MAX_PAGES: u32 = 20;
/// Tries at applying one message before it is set aside.
const MAX_APPLY_ATTEMPTS: u32 = 3;
/// Messages kept aside per channel; past this a refused message is dropped, and said so.
const MAX_HELD: u32 = 500;
/// Of those, messages that could not be opened (a newer envelope version),
/// which a relay could have made up.
const MAX_HELD_UNOPENED: u32 = 20;
/// The version that sets a message aside; another version tries it again.
const VERSION: &str = env!("CARGO_PKG_VERSION");

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

/// A message from the other end that was kept but not applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HeldMessage {
    pub id: String,
    pub state: HeldState,
    pub reason: String,
    #[serde(with = "rfc3339")]
    pub held_at: SystemTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum HeldState {
    /// Applying it failed again and again.
    Quarantined,
    /// It holds what Waymark refuses (a prompt too long, an unusable appointment).
    Refused,
    /// This version cannot read it; an update may.
    Unreadable,
}

impl HeldState {
    fn as_str(self) -> &'static str {
        match self {
            HeldState::Quarantined => "quarantined",
            HeldState::Refused => "refused",
            HeldState::Unreadable => "unreadable",
        }
    }

    fn parse(text: &str) -> HeldState {
        match text {
            "refused" => HeldState::Refused,
            "unreadable" => HeldState::Unreadable,
            _ => HeldState::Quarantined,
        }
    }
}

/// What became of one message from the relay.
enum Verdict {
    Applied,
    /// Applied before: nothing changed.
    Again,
    /// Not authentic or not for us: reported and dropped.
    Rejected(SyncError),
    /// Authentic but refused or unreadable: kept aside.
    Held(HeldState, SyncError),
    /// Our side failed (storage, or a panic while applying): tried again later.
    Failed(SyncError),
}

impl Verdict {
    fn of(outcome: Result<bool, SyncError>) -> Verdict {
        match outcome {
            Ok(true) => Verdict::Applied,
            Ok(false) => Verdict::Again,
            Err(error @ (SyncError::Store(_) | SyncError::ApplyFailed { .. })) => Verdict::Failed(error),
            Err(error @ (SyncError::UnknownPayload | SyncError::UnknownEnvelopeVersion { .. })) => {
                Verdict::Held(HeldState::Unreadable, error)
            }
            Err(error @ (SyncError::UnusableAppointment { .. } | SyncError::UnusableMessage { .. })) => {
                Verdict::Held(HeldState::Refused, error)
            }
            Err(error) => Verdict::Rejected(error),
        }
    }
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

fn url(channel: &Stored, path: &str) -> String {
    format!("{}{path}", channel.pairing.relay_url)
}

/// How a channel's turn ended.
enum Turn {
    Continue,
    /// Something to retry later; the rest of the turn still runs.
    Stop(String),
    /// The relay will not take this channel: nothing more to do on it.
    Refused(String),
}

impl Store {
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
        let mut report = SyncReport::default();
        for channel in self.read(|conn| Ok::<_, SyncError>(channel::all(conn)?))? {
            // Checked again: an address an older version let through never gets the token.
            if let Err(refused) = super::pairing::check_relay_url(&channel.pairing.relay_url) {
                report.problems.push(format!("{refused}; pair again with a new code"));
                continue;
            }
            if channel.info.revoked_at.is_some() {
                self.close_on_relay(transport, &channel, now, &mut report)?;
                continue;
            }
            self.retry_held(&channel, now, &mut report)?;
            // A message the relay will not take now must not hold up what comes in.
            let uploaded = self.upload(transport, &channel, now, retry_now, &mut report)?;
            let pulled = match uploaded {
                Turn::Refused(_) => Turn::Continue,
                _ => self.pull(transport, &channel, now, &mut report)?,
            };
            let problems: Vec<String> = [uploaded, pulled]
                .into_iter()
                .filter_map(|turn| match turn {
                    Turn::Continue => None,
                    Turn::Stop(problem) | Turn::Refused(problem) => Some(problem),
                })
                .collect();
            report.problems.extend(problems.iter().cloned());
            let (success, error) = match problems.is_empty() {
                true => (Some(time::to_millis(now)), None),
                false => (None, Some(problems.join("; "))),
            };
            self.write(|tx| {
                tx.execute(
                    "UPDATE channel SET last_success_at = coalesce(?2, last_success_at), last_error = ?3 WHERE id = ?1",
                    params![channel.info.id, success, error],
                )?;
                Ok::<_, SyncError>(())
            })?;
            // A Revoke from the other end arrived: tell the relay now.
            let closed = self.read(|conn| channel::find(conn, &channel.info.id))?;
            if closed.info.revoked_at.is_some() {
                self.close_on_relay(transport, &closed, now, &mut report)?;
            }
        }
        report.pending = self.read(|conn| {
            Ok::<_, SyncError>(conn.query_row(
                "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL",
                [],
                |row| row.get(0),
            )?)
        })?;
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
                    self.write(|tx| {
                        tx.execute(
                            "UPDATE outbox SET sent_at = ?2, last_error = NULL WHERE id = ?1",
                            params![message, now_ms],
                        )?;
                        Ok::<_, SyncError>(())
                    })?;
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
                    self.write(|tx| {
                        tx.execute(
                            "UPDATE outbox SET failed_at = ?2, last_error = ?3 WHERE id = ?1",
                            params![message, now_ms, error],
                        )?;
                        Ok::<_, SyncError>(())
                    })?;
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
                    self.write(|tx| {
                        tx.execute(
                            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
                            params![message, next, problem],
                        )?;
                        Ok::<_, SyncError>(())
                    })?;
                    return Ok(Turn::Stop(format!("{problem}; will try again later")));
                }
            }
        }
        Ok(Turn::Continue)
    }

    fn pull(
        &self,
        transport: &dyn HttpTransport,
        channel: &Stored,
        now: SystemTime,
        report: &mut SyncReport,
    ) -> Result<Turn, SyncError> {
        let keys = channel.keys();
        let id = channel::channel_id(&channel.info);
        let incoming = channel.info.role.incoming();
        let mut cursor = channel.inbox_cursor;
        let mut registered = false;
        let mut pages = 0;
        while pages < MAX_PAGES {
            let request = HttpRequest {
                method: "GET".into(),
                url: url(channel, &waymark_protocol::page_path(&id, incoming, cursor, PAGE.min(MAX_PAGE))),
                bearer_token: keys.relay_token.clone(),
                body: Vec::new(),
            };
            let response = match transport.send(request) {
                Ok(response) => response,
                Err(error) => return Ok(Turn::Stop(format!("{error}; will try again later"))),
            };
            match response.status {
                200 => {}
                // Nobody has written to the channel yet: register it, then ask again.
                404 if !registered => {
                    registered = true;
                    let register = HttpRequest {
                        method: "PUT".into(),
                        url: url(channel, &waymark_protocol::channel_path(&id)),
                        bearer_token: keys.relay_token.clone(),
                        body: Vec::new(),
                    };
                    match transport.send(register) {
                        Ok(r) if (200..300).contains(&r.status) => continue,
                        Ok(r) => return Ok(Turn::Stop(format!("the relay answered {} to pairing", r.status))),
                        Err(error) => return Ok(Turn::Stop(format!("{error}; will try again later"))),
                    }
                }
                401 | 403 | 410 => return Ok(refused(&response)),
                status => return Ok(Turn::Stop(format!("the relay answered {status}; will try again later"))),
            }
            pages += 1;
            let Ok(page) = serde_json::from_slice::<MessagePage>(&response.body) else {
                return Ok(Turn::Stop("the relay sent a page Waymark cannot read; will try again later".into()));
            };
            // In cursor order, whatever order the relay listed them in, so the
            // cursor never passes a message that was not handled.
            let mut fresh: Vec<&ListedMessage> = page.messages.iter().filter(|m| m.cursor > cursor).collect();
            fresh.sort_by_key(|m| m.cursor);
            let before = cursor;
            for listed in fresh {
                let verdict = self.take(channel, &keys, listed, now)?;
                let applied = matches!(verdict, Verdict::Applied);
                if let Some(problem) = tally(verdict, report) {
                    return Ok(Turn::Stop(problem));
                }
                cursor = cursor.max(listed.cursor);
                // Nothing after a Revoke is applied.
                if applied && self.read(|conn| channel::is_revoked(conn, &channel.info.id))? {
                    return Ok(Turn::Continue);
                }
            }
            if !page.more {
                return Ok(Turn::Continue);
            }
            if cursor == before {
                return Ok(Turn::Stop("the relay keeps sending the same messages; will try again later".into()));
            }
        }
        Ok(Turn::Continue)
    }

    /// Counts one more try at a message, in a transaction of its own before
    /// the try, so a message that stops the app is counted all the same.
    fn count_attempt(&self, channel: &Stored, id: &str) -> Result<(u32, Option<String>), SyncError> {
        self.write(|tx| {
            Ok(tx
                .prepare_cached(
                    "INSERT INTO inbox_attempt (channel, id, attempts) VALUES (?1, ?2, 1) \
                     ON CONFLICT (channel, id) DO UPDATE SET attempts = attempts + 1 RETURNING attempts, last_error",
                )?
                .query_row(params![channel.info.id, id], |row| Ok((row.get(0)?, row.get(1)?)))?)
        })
    }

    /// Applies one listed message, or sets it aside, and moves the cursor past
    /// it; a failure on our side leaves the cursor for the next sync.
    fn take(
        &self,
        channel: &Stored,
        keys: &super::ChannelKeys,
        listed: &ListedMessage,
        now: SystemTime,
    ) -> Result<Verdict, SyncError> {
        let envelope = decode_base64(&listed.envelope);
        let (attempts, last_error) = self.count_attempt(channel, &listed.id)?;
        let verdict = self.write(|tx| {
            let verdict = match &envelope {
                None => Verdict::Rejected(SyncError::NotAnEnvelope),
                Some(_) if attempts > MAX_APPLY_ATTEMPTS => {
                    let reason = last_error.clone().unwrap_or_else(|| "applying it stopped Waymark".into());
                    Verdict::Held(HeldState::Quarantined, SyncError::ApplyFailed { reason })
                }
                Some(envelope) => apply_safely(tx, channel, keys, &listed.id, envelope, now)?,
            };
            if let Verdict::Failed(_) = verdict {
                return Ok(verdict);
            }
            let verdict = match (verdict, &envelope) {
                (Verdict::Held(state, error), Some(envelope)) => {
                    hold(tx, channel, &listed.id, envelope, state, error, now)?
                }
                (verdict, _) => verdict,
            };
            tx.execute(
                "DELETE FROM inbox_attempt WHERE channel = ?1 AND id = ?2",
                params![channel.info.id, listed.id],
            )?;
            tx.execute(
                "UPDATE channel SET inbox_cursor = max(inbox_cursor, ?2) WHERE id = ?1",
                params![channel.info.id, listed.cursor as i64],
            )?;
            Ok::<_, SyncError>(verdict)
        })?;
        if let Verdict::Failed(error) = &verdict {
            self.write(|tx| {
                tx.execute(
                    "UPDATE inbox_attempt SET last_error = ?3 WHERE channel = ?1 AND id = ?2",
                    params![channel.info.id, listed.id, error.to_string()],
                )?;
                Ok::<_, SyncError>(())
            })?;
        }
        Ok(verdict)
    }

    /// Tries again, once per version of Waymark, what an older version set aside.
    fn retry_held(&self, channel: &Stored, now: SystemTime, report: &mut SyncReport) -> Result<(), SyncError> {
        let held: Vec<(String, Vec<u8>)> = self.read(|conn| {
            let mut statement = conn.prepare_cached(
                "SELECT id, envelope FROM inbox_held WHERE channel = ?1 AND held_by_version <> ?2 ORDER BY held_at, id",
            )?;
            let rows = statement.query_map(params![channel.info.id, VERSION], |row| Ok((row.get(0)?, row.get(1)?)))?;
            Ok::<_, SyncError>(rows.collect::<rusqlite::Result<_>>()?)
        })?;
        let keys = channel.keys();
        for (id, envelope) in held {
            // Marked tried first, in a transaction of its own: one that stops the app is not tried again.
            self.write(|tx| {
                tx.execute(
                    "UPDATE inbox_held SET held_by_version = ?3 WHERE channel = ?1 AND id = ?2",
                    params![channel.info.id, id, VERSION],
                )?;
                Ok::<_, SyncError>(())
            })?;
            self.write(|tx| {
                let verdict = apply_safely(tx, channel, &keys, &id, &envelope, now)?;
                match verdict {
                    Verdict::Applied | Verdict::Again => {
                        tx.execute("DELETE FROM inbox_held WHERE channel = ?1 AND id = ?2", params![channel.info.id, id])?;
                        report.received += u32::from(matches!(verdict, Verdict::Applied));
                    }
                    Verdict::Held(state, error) => {
                        tx.execute(
                            "UPDATE inbox_held SET state = ?3, reason = ?4, held_by_version = ?5 WHERE channel = ?1 AND id = ?2",
                            params![channel.info.id, id, state.as_str(), error.to_string(), VERSION],
                        )?;
                    }
                    Verdict::Failed(error) | Verdict::Rejected(error) => {
                        tx.execute(
                            "UPDATE inbox_held SET reason = ?3, held_by_version = ?4 WHERE channel = ?1 AND id = ?2",
                            params![channel.info.id, id, error.to_string(), VERSION],
                        )?;
                    }
                }
                Ok::<_, SyncError>(())
            })?;
        }
        Ok(())
    }

    /// A closed channel's last word to the relay: the end that closed it
    /// sends its Revoke and leaves the channel for the other end to read; the
    /// end that read a Revoke deletes the channel on the relay.
    fn close_on_relay(
        &self,
        transport: &dyn HttpTransport,
        channel: &Stored,
        now: SystemTime,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        if channel.relay_deleted {
            return Ok(());
        }
        if channel.revoked_by_other {
            return self.delete_on_relay(transport, channel, report);
        }
        let turn = self.upload(transport, channel, now, true, report)?;
        let pending: u32 = self.read(|conn| {
            Ok::<_, SyncError>(conn.query_row(
                "SELECT count(*) FROM outbox WHERE channel = ?1 AND sent_at IS NULL AND failed_at IS NULL",
                [&channel.info.id],
                |row| row.get(0),
            )?)
        })?;
        match turn {
            Turn::Continue if pending == 0 => self.mark_closed_on_relay(channel),
            Turn::Continue => Ok(()),
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
        self.write(|tx| {
            tx.execute(
                "UPDATE channel SET relay_deleted_at = ?2 WHERE id = ?1",
                params![channel.info.id, time::to_millis(SystemTime::now())],
            )?;
            Ok::<_, SyncError>(())
        })
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

/// Adds a verdict to the report; `Some` when the pull must stop and try later.
fn tally(verdict: Verdict, report: &mut SyncReport) -> Option<String> {
    match verdict {
        Verdict::Applied => report.received += 1,
        Verdict::Again => {}
        Verdict::Rejected(error) => {
            report.rejected += 1;
            report.problems.push(error.to_string());
        }
        Verdict::Held(_, error) => {
            report.held += 1;
            report.problems.push(format!("a message was set aside: {error}"));
        }
        Verdict::Failed(error) => return Some(format!("{error}; will try again later")),
    }
    None
}

/// A 401, 403 or 410: the relay will not take this channel now. Only an
/// authenticated Revoke from the other end unpairs, never the relay's word.
fn refused(response: &HttpResponse) -> Turn {
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

/// `apply` in a savepoint that a refusal or a panic rolls back; a panic is
/// our failure, like a storage error, and is tried again later.
fn apply_safely(
    tx: &Connection,
    channel: &Stored,
    keys: &super::ChannelKeys,
    listed_id: &str,
    envelope: &[u8],
    now: SystemTime,
) -> Result<Verdict, SyncError> {
    tx.execute_batch("SAVEPOINT apply")?;
    let outcome =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| apply(tx, channel, keys, listed_id, envelope, now)))
            .unwrap_or_else(|panic| {
                let reason = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "Waymark stopped while applying it".into());
                Err(SyncError::ApplyFailed { reason })
            });
    let verdict = Verdict::of(outcome);
    if !matches!(verdict, Verdict::Applied | Verdict::Again) {
        tx.execute_batch("ROLLBACK TO apply")?;
    }
    tx.execute_batch("RELEASE apply")?;
    Ok(verdict)
}

/// Keeps a message aside with why, unless the channel already keeps too
/// many. One that could not be opened never replaces one that could.
fn hold(
    tx: &Connection,
    channel: &Stored,
    id: &str,
    envelope: &[u8],
    state: HeldState,
    error: SyncError,
    now: SystemTime,
) -> Result<Verdict, SyncError> {
    let opened = !matches!(error, SyncError::UnknownEnvelopeVersion { .. });
    let (kept, unopened): (u32, u32) = tx.query_row(
        "SELECT count(*), count(*) FILTER (WHERE authenticated = 0) FROM inbox_held WHERE channel = ?1",
        [&channel.info.id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if kept >= MAX_HELD || (!opened && unopened >= MAX_HELD_UNOPENED) {
        let max = if opened { MAX_HELD } else { MAX_HELD_UNOPENED };
        return Ok(Verdict::Rejected(SyncError::TooManyHeld { max, reason: error.to_string() }));
    }
    tx.prepare_cached(
        "INSERT INTO inbox_held (channel, id, envelope, state, reason, held_by_version, held_at, authenticated) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
         ON CONFLICT (channel, id) DO UPDATE SET envelope = ?3, state = ?4, reason = ?5, held_by_version = ?6, \
         authenticated = ?8 WHERE ?8 OR NOT inbox_held.authenticated",
    )?
    .execute(params![
        channel.info.id,
        id,
        envelope,
        state.as_str(),
        error.to_string(),
        VERSION,
        time::to_millis(now),
        opened
    ])?;
    Ok(Verdict::Held(state, error))
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
                state: HeldState::parse(&row.get::<_, String>(1)?),
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

/// The latest a message may say it was written: a little after now, for clocks that run fast.
const CLOCK_SLACK: Duration = Duration::from_secs(24 * 3_600);

/// Opens, checks and applies one message; `Ok(false)` when it was applied before.
pub(crate) fn apply(
    tx: &Connection,
    channel: &Stored,
    keys: &super::ChannelKeys,
    listed_id: &str,
    envelope: &[u8],
    now: SystemTime,
) -> Result<bool, SyncError> {
    let (header, plaintext) = seal::open(keys, channel.info.role.incoming(), envelope)?;
    let id = header.message_id_text();
    if id != listed_id {
        return Err(SyncError::Tampered);
    }
    let digest = Sha256::digest(envelope).to_vec();
    let seen: Option<Vec<u8>> = tx
        .prepare_cached("SELECT digest FROM inbox WHERE channel = ?1 AND id = ?2")?
        .query_row([&channel.info.id, &id], |row| row.get(0))
        .optional()?;
    match seen {
        Some(same) if same == digest => return Ok(false),
        Some(_) => return Err(SyncError::Replayed { id }),
        None => {}
    }
    let payload: Payload = serde_json::from_slice(&plaintext).map_err(|_| SyncError::UnknownPayload)?;
    let now_ms = time::to_millis(now);
    // The sender's clock is only a claim: kept between the epoch and a day from now.
    let sent_at = header.created_at_millis.clamp(0, time::to_millis(now + CLOCK_SLACK));
    tx.prepare_cached(
        "INSERT INTO inbox (id, channel, kind, digest, created_at, applied_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, channel.info.id, payload.kind(), digest, sent_at, now_ms])?;
    match (channel.info.role, payload) {
        (Role::Clinician, Payload::Summary(summary)) => {
            summary.check_received().map_err(|reason| SyncError::UnusableMessage { reason })?;
            let json = serde_json::to_string(&summary).expect("a summary serialises");
            tx.execute(
                "INSERT INTO received_summary (id, channel, summary, received_at) VALUES (?1, ?2, ?3, ?4)",
                params![id, channel.info.id, json, now_ms],
            )?;
        }
        (Role::Patient, Payload::AppointmentUpdate { ics, zone }) => {
            crate::course::calendar::import_update(tx, &ics, &zone, now).map_err(|error| match error {
                crate::course::CourseError::Store(store) => SyncError::Store(store),
                other => SyncError::UnusableAppointment { reason: other.to_string() },
            })?;
        }
        (Role::Patient, Payload::PromptAssignment { text }) => {
            let text = super::clinician::checked_prompt(&text)
                .map_err(|error| SyncError::UnusableMessage { reason: error.to_string() })?;
            // When it arrived, on this phone's clock: the sender's may be wrong or hostile.
            tx.execute(
                "INSERT INTO assigned_prompt (id, channel, text, assigned_at) VALUES (?1, ?2, ?3, ?4)",
                params![id, channel.info.id, text, now_ms],
            )?;
        }
        (_, Payload::Revoke) => channel::revoked_by_other(tx, &channel.info.id, now_ms)?,
        _ => return Err(SyncError::WrongDirection),
    }
    Ok(true)
}

#[cfg(test)]
mod tests;
