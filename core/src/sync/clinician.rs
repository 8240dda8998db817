//! The clinician's side of a channel: what patients shared, and what the
//! clinician sends back (appointments and prompts).

use std::time::SystemTime;

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::channel::{self, Role};
use super::exchange::enqueue;
use super::{Payload, SyncError};
use crate::share::Summary;
use crate::store::Store;
use crate::time::{self, rfc3339, Zone};

/// The longest prompt a clinician can send, in characters.
pub const MAX_PROMPT_CHARS: usize = 2_000;

/// A summary as the clinician's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReceivedSummary {
    /// The message id; pass it to `received_summary`.
    pub id: String,
    pub channel: String,
    pub label: String,
    pub from: String,
    pub to: String,
    pub scopes: Vec<crate::share::ShareScope>,
    #[serde(with = "rfc3339")]
    pub received_at: SystemTime,
}

impl Store {
    /// Every summary received, newest first.
    pub fn received_summaries(&self) -> Result<Vec<ReceivedSummary>, SyncError> {
        self.read(|conn| {
            let mut statement = conn.prepare_cached(
                "SELECT r.id, r.channel, c.label, r.summary, r.received_at FROM received_summary r \
                 JOIN channel c ON c.id = r.channel ORDER BY r.received_at DESC, r.id DESC",
            )?;
            let rows = statement.query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get::<_, String>(3)?, row.get(4)?))
            })?;
            let mut summaries = Vec::new();
            for row in rows {
                let (id, channel, label, json, received_at): (String, String, String, String, i64) = row?;
                let summary: Summary = serde_json::from_str(&json).map_err(|_| SyncError::UnknownPayload)?;
                summaries.push(ReceivedSummary {
                    id,
                    channel,
                    label,
                    from: summary.from,
                    to: summary.to,
                    scopes: summary.scopes,
                    received_at: time::from_millis(received_at),
                });
            }
            Ok(summaries)
        })
    }

    /// One received summary, whole, found by its channel and message id
    /// together: an id alone could be made to open another patient's summary.
    pub fn received_summary(&self, channel: &str, id: &str) -> Result<Summary, SyncError> {
        let json: String = self.read(|conn| {
            conn.prepare_cached("SELECT summary FROM received_summary WHERE channel = ?1 AND id = ?2")?
                .query_row([channel, id], |row| row.get(0))
                .optional()?
                .ok_or_else(|| SyncError::UnknownSummary { channel: channel.to_string(), id: id.to_string() })
        })?;
        serde_json::from_str(&json).map_err(|_| SyncError::UnknownPayload)
    }

    /// A received summary in all three forms, for the clinician's screen.
    pub fn received_summary_forms(&self, channel: &str, id: &str) -> Result<crate::share::SummaryForms, SyncError> {
        Ok(crate::share::preview(&self.received_summary(channel, id)?, &self.content_language()?))
    }

    /// Queues an iCalendar file for the patient on `channel`; events without
    /// a zone are read in `zone`. The patient's next sync applies it.
    pub fn send_appointment(&self, channel: &str, ics: &str, zone: Zone) -> Result<String, SyncError> {
        crate::course::calendar::check_ics(ics, zone.tz(), SystemTime::now())
            .map_err(|e| SyncError::UnusableAppointment { reason: e.to_string() })?;
        self.send(channel, &Payload::AppointmentUpdate { ics: ics.to_string(), zone: zone.name().to_string() })
    }

    /// Queues a prompt for the patient on `channel` to answer in their journal.
    pub fn send_prompt(&self, channel: &str, text: &str) -> Result<String, SyncError> {
        let text = checked_prompt(text)?;
        self.send(channel, &Payload::PromptAssignment { text: text.to_string() })
    }

    fn send(&self, channel: &str, payload: &Payload) -> Result<String, SyncError> {
        self.write(|tx| {
            let stored = channel::find(tx, channel)?;
            if stored.info.role != Role::Clinician {
                return Err(SyncError::UnknownChannel { id: channel.to_string() });
            }
            enqueue(tx, &stored, payload, SystemTime::now())
        })
    }
}

/// A prompt's text, trimmed, if it is 1 to `MAX_PROMPT_CHARS` characters:
/// checked when sent and again when received.
pub(crate) fn checked_prompt(text: &str) -> Result<&str, SyncError> {
    let text = text.trim();
    match text.chars().count() {
        1..=MAX_PROMPT_CHARS => Ok(text),
        _ => Err(SyncError::InvalidPrompt { max: MAX_PROMPT_CHARS as u32 }),
    }
}
