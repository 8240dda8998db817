//! The inbox: what the other end sent, pulled from the relay by cursor and
//! applied once each.
//!
//! Whatever arrives is hostile until opened and checked. One message never
//! wedges a channel: a message that fails to apply again and again is set
//! aside after a few tries, one that holds what Waymark refuses or cannot
//! read yet is kept with its reason, and the cursor moves past both. What is
//! set aside is shown in the sync status and tried again after an upgrade.

use std::time::{Duration, SystemTime};

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use waymark_protocol::{decode_base64, ListedMessage, MessagePage, MAX_PAGE};

use super::channel::{self, Role, Stored};
use super::exchange::{refused, url, Deadline, SyncReport, Turn};
use super::transport::{HttpRequest, HttpTransport};
use super::{seal, Payload, SyncError};
use crate::store::Store;
use crate::time::{self, rfc3339};

pub(super) const PAGE: u32 = 100;
/// Pages pulled per channel in one sync; the rest waits for the next.
pub(super) const MAX_PAGES: u32 = 20;
/// Tries at applying one message before it is set aside.
pub(super) const MAX_APPLY_ATTEMPTS: u32 = 3;
/// Messages kept aside per channel; past this a refused message is dropped, and said so.
pub(super) const MAX_HELD: u32 = 500;
/// Of those, messages that could not be opened (a newer envelope version),
/// which a relay could have made up.
pub(super) const MAX_HELD_UNOPENED: u32 = 20;
/// The version that sets a message aside; another version tries it again.
const VERSION: &str = env!("CARGO_PKG_VERSION");

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

crate::names::stored_names!(HeldState {
    Quarantined => "quarantined",
    Refused => "refused",
    Unreadable => "unreadable",
});

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

impl Store {
    pub(super) fn pull(
        &self,
        transport: &dyn HttpTransport,
        channel: &Stored,
        now: SystemTime,
        deadline: Deadline,
        report: &mut SyncReport,
    ) -> Result<Turn, SyncError> {
        let keys = channel.keys();
        let id = channel::channel_id(&channel.info);
        let incoming = channel.info.role.incoming();
        let mut cursor = channel.inbox_cursor;
        let mut registered = false;
        let mut pages = 0;
        while pages < MAX_PAGES {
            if deadline.passed() {
                return Ok(Turn::OutOfTime);
            }
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
                if deadline.passed() {
                    return Ok(Turn::OutOfTime);
                }
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
    pub(super) fn count_attempt(&self, channel: &Stored, id: &str) -> Result<(u32, Option<String>), SyncError> {
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
            self.write_one(
                "UPDATE inbox_attempt SET last_error = ?3 WHERE channel = ?1 AND id = ?2",
                params![channel.info.id, listed.id, error.to_string()],
            )?;
        }
        Ok(verdict)
    }

    /// Tries again, once per version of Waymark, what an older version set aside.
    pub(super) fn retry_held(
        &self,
        channel: &Stored,
        now: SystemTime,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
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
            self.write_one(
                "UPDATE inbox_held SET held_by_version = ?3 WHERE channel = ?1 AND id = ?2",
                params![channel.info.id, id, VERSION],
            )?;
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
            // The clinic's app checked the zone when it sent it; it is checked again here.
            let zone = crate::time::Zone::parse(&zone)
                .map_err(|error| SyncError::UnusableAppointment { reason: error.to_string() })?;
            crate::course::calendar::import_update(tx, &ics, zone, now).map_err(|error| match error {
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
