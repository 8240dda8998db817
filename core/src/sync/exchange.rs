//! The outbox and the inbox. Sharing seals an envelope into the outbox in the
//! transaction that made it; `sync` uploads what is due (a message counts as
//! sent only on a 2xx, and failures back off exponentially with jitter), then
//! pulls the inbox by cursor and applies each message once.

use std::time::{Duration, SystemTime};

use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::OsRng;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use waymark_protocol::{decode_base64, MessagePage, MAX_PAGE};

use super::channel::{self, Role, Stored};
use super::transport::{HttpRequest, HttpResponse, HttpTransport};
use super::{seal, Payload, SyncError};
use crate::store::Store;
use crate::time::{self, rfc3339};

/// The first retry waits about this long; each later one twice as long.
const FIRST_RETRY: Duration = Duration::from_secs(5);
const LONGEST_RETRY: Duration = Duration::from_secs(3_600);
const PAGE: u32 = 100;

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
    let keys = channel.pairing.keys();
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
    /// Messages the relay refused for good.
    pub failed: Vec<FailedMessage>,
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
            if channel.info.revoked_at.is_some() {
                if !channel.relay_deleted {
                    self.delete_on_relay(transport, &channel, &mut report)?;
                }
                continue;
            }
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

    fn upload(
        &self,
        transport: &dyn HttpTransport,
        channel: &Stored,
        now: SystemTime,
        retry_now: bool,
        report: &mut SyncReport,
    ) -> Result<Turn, SyncError> {
        let due_by = if retry_now { i64::MAX } else { time::to_millis(now) };
        let due: Vec<(String, Vec<u8>, u32)> = self.read(|conn| {
            let mut statement = conn.prepare_cached(
                "SELECT id, envelope, attempts FROM outbox WHERE channel = ?1 AND sent_at IS NULL \
                 AND failed_at IS NULL AND (attempts = 0 OR next_attempt_at <= ?2) ORDER BY created_at, id",
            )?;
            let rows = statement
                .query_map(params![channel.info.id, due_by], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
            Ok::<_, SyncError>(rows.collect::<rusqlite::Result<_>>()?)
        })?;
        let keys = channel.pairing.keys();
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
                    return self.refused(channel, &response, now_ms);
                }
                failed => {
                    let (wait, problem) = match &failed {
                        Ok(response) => (
                            response.retry_after_seconds.map(|s| Duration::from_secs(u64::from(s))),
                            format!("the relay answered {}", response.status),
                        ),
                        Err(error) => (None, error.to_string()),
                    };
                    let wait = wait.unwrap_or_else(|| backoff(attempts + 1)).max(backoff(attempts + 1));
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

    /// A 401, 403 or 410: the relay will not take this channel (any more).
    fn refused(&self, channel: &Stored, response: &HttpResponse, now_ms: i64) -> Result<Turn, SyncError> {
        if response.status == 410 {
            self.write(|tx| {
                tx.execute(
                    "UPDATE channel SET revoked_at = ?2, relay_deleted_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                    params![channel.info.id, now_ms],
                )?;
                tx.execute("DELETE FROM outbox WHERE channel = ?1 AND sent_at IS NULL", [&channel.info.id])?;
                Ok::<_, SyncError>(())
            })?;
            return Ok(Turn::Refused("the other side ended sharing on this channel; pair again to share".into()));
        }
        Ok(Turn::Refused(format!("the relay refused this channel ({}); pair again", response.status)))
    }

    fn pull(
        &self,
        transport: &dyn HttpTransport,
        channel: &Stored,
        now: SystemTime,
        report: &mut SyncReport,
    ) -> Result<Turn, SyncError> {
        let keys = channel.pairing.keys();
        let id = channel::channel_id(&channel.info);
        let incoming = channel.info.role.incoming();
        let mut cursor = channel.inbox_cursor;
        let mut registered = false;
        loop {
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
                401 | 403 | 410 => return self.refused(channel, &response, time::to_millis(now)),
                status => return Ok(Turn::Stop(format!("the relay answered {status}; will try again later"))),
            }
            let Ok(page) = serde_json::from_slice::<MessagePage>(&response.body) else {
                return Ok(Turn::Stop("the relay sent a page Waymark cannot read".into()));
            };
            for listed in &page.messages {
                let applied = self.write(|tx| {
                    // A refused message leaves nothing behind, but the cursor moves past it.
                    tx.execute_batch("SAVEPOINT apply")?;
                    let outcome = match decode_base64(&listed.envelope) {
                        Some(envelope) => apply(tx, channel, &keys, &listed.id, &envelope, now),
                        None => Err(SyncError::NotAnEnvelope),
                    };
                    // Our own storage failed: undo everything, the cursor too, and try again later.
                    if let Err(SyncError::Store(error)) = outcome {
                        return Err(SyncError::Store(error));
                    }
                    if outcome.is_err() {
                        tx.execute_batch("ROLLBACK TO apply")?;
                    }
                    tx.execute_batch("RELEASE apply")?;
                    tx.execute(
                        "UPDATE channel SET inbox_cursor = max(inbox_cursor, ?2) WHERE id = ?1",
                        params![channel.info.id, listed.cursor as i64],
                    )?;
                    Ok::<_, SyncError>(outcome)
                })?;
                match applied {
                    Ok(true) => report.received += 1,
                    Ok(false) => {}
                    Err(refused) => {
                        report.rejected += 1;
                        report.problems.push(refused.to_string());
                    }
                }
                cursor = cursor.max(listed.cursor);
            }
            if !page.more || page.messages.is_empty() {
                return Ok(Turn::Continue);
            }
        }
    }

    fn delete_on_relay(
        &self,
        transport: &dyn HttpTransport,
        channel: &Stored,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let keys = channel.pairing.keys();
        let request = HttpRequest {
            method: "DELETE".into(),
            url: url(channel, &waymark_protocol::channel_path(&channel::channel_id(&channel.info))),
            bearer_token: keys.relay_token.clone(),
            body: Vec::new(),
        };
        match transport.send(request) {
            Ok(response) if (200..300).contains(&response.status) || matches!(response.status, 404 | 410) => {
                self.write(|tx| {
                    tx.execute(
                        "UPDATE channel SET relay_deleted_at = ?2 WHERE id = ?1",
                        params![channel.info.id, time::to_millis(SystemTime::now())],
                    )?;
                    Ok::<_, SyncError>(())
                })?;
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
    let (last_success, last_error): (Option<i64>, Option<String>) =
        conn.query_row("SELECT last_success_at, last_error FROM channel WHERE id = ?1", [&channel.info.id], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    Ok(ChannelStatus {
        channel: channel.info,
        pending,
        failed,
        next_attempt_at: next.map(time::from_millis),
        last_success_at: last_success.map(time::from_millis),
        last_error,
    })
}

/// Opens and applies one message; `Ok(false)` when it was applied before.
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
    tx.prepare_cached(
        "INSERT INTO inbox (id, channel, kind, digest, created_at, applied_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, channel.info.id, payload.kind(), digest, header.created_at_millis, now_ms])?;
    match (channel.info.role, payload) {
        (Role::Clinician, Payload::Summary(summary)) => {
            let json = serde_json::to_string(&summary).expect("a summary serialises");
            tx.execute(
                "INSERT INTO received_summary (id, channel, summary, received_at) VALUES (?1, ?2, ?3, ?4)",
                params![id, channel.info.id, json, now_ms],
            )?;
        }
        (Role::Patient, Payload::AppointmentUpdate { ics, zone }) => {
            crate::course::calendar::import_in(tx, &ics, &zone, now).map_err(|error| match error {
                crate::course::CourseError::Store(store) => SyncError::Store(store),
                other => SyncError::UnusableAppointment { reason: other.to_string() },
            })?;
        }
        (Role::Patient, Payload::PromptAssignment { text }) => {
            tx.execute(
                "INSERT INTO assigned_prompt (id, channel, text, assigned_at) VALUES (?1, ?2, ?3, ?4)",
                params![id, channel.info.id, text, header.created_at_millis],
            )?;
        }
        _ => return Err(SyncError::WrongDirection),
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::tests::open_store;
    use waymark_protocol::Direction;

    fn summary() -> Payload {
        let summary = serde_json::json!({
            "schema": "waymark.summary/1", "id": "s-1", "created_at": "2026-11-20T09:00:00.000Z",
            "from": "2026-11-01", "to": "2026-11-20", "zone": "UTC", "scopes": ["mood"],
            "mood": [], "measures": null, "vitals": null, "sessions": null, "safety": null, "notes": null
        });
        Payload::Summary(Box::new(serde_json::from_value(summary).unwrap()))
    }

    #[test]
    fn a_message_applies_once_and_a_different_copy_under_its_id_is_refused() {
        let (_dir, clinician) = open_store();
        clinician.invite("http://127.0.0.1:9", "A.B.").unwrap();
        let channel = clinician.read(|conn| Ok::<_, SyncError>(channel::all(conn)?)).unwrap().remove(0);
        let keys = channel.pairing.keys();
        let id = uuid::Uuid::now_v7();
        let plaintext = serde_json::to_vec(&summary()).unwrap();
        let envelope = seal::seal(&keys, Direction::ToClinician, id, 0, &plaintext);
        let listed = id.to_string();
        let apply_now = |bytes: &[u8], listed: &str| {
            clinician.write(|tx| Ok::<_, SyncError>(apply(tx, &channel, &keys, listed, bytes, SystemTime::now())))
        };
        assert!(matches!(apply_now(&envelope, &listed), Ok(Ok(true))));
        assert!(matches!(apply_now(&envelope, &listed), Ok(Ok(false))), "the same bytes again change nothing");
        let resealed = seal::seal(&keys, Direction::ToClinician, id, 0, &plaintext);
        assert!(matches!(apply_now(&resealed, &listed), Ok(Err(SyncError::Replayed { .. }))));
        let other = seal::seal(&keys, Direction::ToClinician, uuid::Uuid::now_v7(), 0, &plaintext);
        assert!(matches!(apply_now(&other, &listed), Ok(Err(SyncError::Tampered))), "listed under another id");
        let backwards = seal::seal(&keys, Direction::ToPatient, uuid::Uuid::now_v7(), 0, &plaintext);
        assert!(matches!(apply_now(&backwards, &listed), Ok(Err(SyncError::WrongDirection))));
        assert_eq!(clinician.received_summaries().unwrap().len(), 1);
    }

    /// A relay that takes every upload and has nothing to hand out.
    struct Accepting;

    impl HttpTransport for Accepting {
        fn send(&self, request: HttpRequest) -> Result<HttpResponse, crate::sync::TransportError> {
            let (status, body) = match request.method.as_str() {
                "PUT" => (201, Vec::new()),
                _ => (200, br#"{"messages": [], "more": false}"#.to_vec()),
            };
            Ok(HttpResponse { status, body, retry_after_seconds: None })
        }
    }

    #[test]
    fn a_message_never_tried_goes_at_the_next_sync_whatever_its_now() {
        let (_dir, clinician) = open_store();
        let channel = clinician.invite("http://127.0.0.1:9", "A.B.").unwrap().channel;
        clinician.send_prompt(&channel.id, "What helped?").unwrap();
        let an_hour_ago = SystemTime::now() - Duration::from_secs(3_600);
        let report = clinician.sync_at(&Accepting, an_hour_ago, false).unwrap();
        assert_eq!((report.uploaded, report.pending), (1, 0), "only a retry waits for its turn: {report:?}");
    }

    #[test]
    fn retries_back_off_exponentially_with_jitter_up_to_an_hour() {
        for attempts in 1..30 {
            let wait = backoff(attempts);
            let full = FIRST_RETRY.saturating_mul(1 << (attempts - 1).min(20)).min(LONGEST_RETRY);
            assert!(wait >= full / 2 && wait <= full, "attempt {attempts}: {wait:?} of {full:?}");
        }
        let spread: std::collections::HashSet<Duration> = (0..20).map(|_| backoff(10)).collect();
        assert!(spread.len() > 1, "jitter spreads retries");
    }
}
