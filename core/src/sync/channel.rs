//! Channels as a profile keeps them: a patient's one therapist, or a
//! clinician's patients, each with its relay, secret and sync state.

use std::time::SystemTime;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use waymark_protocol::{ChannelId, Direction};

use super::{Pairing, SyncError};
use crate::store::Store;
use crate::time::{self, rfc3339};

/// Which end of a channel this profile is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Patient,
    Clinician,
}

crate::names::stored_names!(Role {
    Patient => "patient",
    Clinician => "clinician",
});

impl Role {
    /// The direction this end sends in.
    pub(crate) fn outgoing(self) -> Direction {
        match self {
            Role::Patient => Direction::ToClinician,
            Role::Clinician => Direction::ToPatient,
        }
    }

    pub(crate) fn incoming(self) -> Direction {
        match self {
            Role::Patient => Direction::ToPatient,
            Role::Clinician => Direction::ToClinician,
        }
    }
}

/// A stored role that is neither is a damaged row, never a guess.
/// A channel as the UI shows it; never its secret.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChannelInfo {
    pub id: String,
    pub role: Role,
    pub label: String,
    pub relay_url: String,
    #[serde(with = "rfc3339")]
    pub created_at: SystemTime,
    #[serde(with = "rfc3339::option")]
    pub revoked_at: Option<SystemTime>,
}

/// A new channel and the code to give the patient.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Invite {
    pub channel: ChannelInfo,
    /// Show it as text and as a QR code; it holds the channel's secret.
    pub pairing_code: String,
}

/// A stored channel with what sync needs.
pub(crate) struct Stored {
    pub info: ChannelInfo,
    pub pairing: Pairing,
    pub inbox_cursor: u64,
    /// Nothing more to tell the relay.
    pub relay_deleted: bool,
    /// The other end sent a Revoke.
    pub revoked_by_other: bool,
}

impl Stored {
    /// The channel's keys, under the id it was stored with: a channel paired
    /// with a version 1 code keeps the id both ends and the relay know it by.
    pub(crate) fn keys(&self) -> super::ChannelKeys {
        let mut keys = self.pairing.keys();
        keys.channel = channel_id(&self.info);
        keys
    }
}

const COLUMNS: &str = "id, role, label, relay_url, secret, inbox_cursor, created_at, revoked_at, \
     relay_deleted_at IS NOT NULL, coalesce(revoked_by = 'other', 0)";

fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Stored> {
    let secret: Vec<u8> = row.get(4)?;
    let relay_url: String = row.get(3)?;
    Ok(Stored {
        info: ChannelInfo {
            id: row.get(0)?,
            role: row.get(1)?,
            label: row.get(2)?,
            relay_url: relay_url.clone(),
            created_at: time::from_millis(row.get(6)?),
            revoked_at: row.get::<_, Option<i64>>(7)?.map(time::from_millis),
        },
        pairing: Pairing { relay_url, secret: secret.try_into().unwrap_or([0; 32]) },
        inbox_cursor: row.get::<_, i64>(5)? as u64,
        relay_deleted: row.get(8)?,
        revoked_by_other: row.get(9)?,
    })
}

/// Every channel, oldest first.
pub(crate) fn all(conn: &Connection) -> rusqlite::Result<Vec<Stored>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM channel ORDER BY created_at, id"))?
        .query_map([], read)?
        .collect()
}

pub(crate) fn find(conn: &Connection, id: &str) -> Result<Stored, SyncError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM channel WHERE id = ?1"))?
        .query_row([id], read)
        .optional()?
        .ok_or_else(|| SyncError::UnknownChannel { id: id.to_string() })
}

/// The patient's live channel to their therapist.
pub(crate) fn patient_channel(conn: &Connection) -> Result<Stored, SyncError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM channel WHERE role = 'patient' AND revoked_at IS NULL"))?
        .query_row([], read)
        .optional()?
        .ok_or(SyncError::NotPaired)
}

fn insert(conn: &Connection, pairing: &Pairing, role: Role, label: &str, now: i64) -> Result<ChannelInfo, SyncError> {
    let id = pairing.keys().channel.to_string();
    let exists: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM channel WHERE id = ?1)", [&id], |r| r.get(0))?;
    if exists {
        return Err(SyncError::AlreadyPaired);
    }
    conn.prepare_cached(
        "INSERT INTO channel (id, role, label, relay_url, secret, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, role.as_str(), label, pairing.relay_url, pairing.secret.as_slice(), now])?;
    Ok(find(conn, &id)?.info)
}

pub(crate) fn is_revoked(conn: &Connection, id: &str) -> Result<bool, SyncError> {
    Ok(find(conn, id)?.info.revoked_at.is_some())
}

/// Ends sharing from this end: drops what was not sent yet, and seals a
/// Revoke for the other end, the last message on the channel.
fn revoke(conn: &Connection, id: &str, now: SystemTime) -> Result<ChannelInfo, SyncError> {
    let channel = find(conn, id)?;
    if channel.info.revoked_at.is_none() {
        drop_unsent(conn, id)?;
        super::exchange::enqueue(conn, &channel, &super::Payload::Revoke, now)?;
        conn.execute(
            "UPDATE channel SET revoked_at = ?2, revoked_by = 'here' WHERE id = ?1",
            params![id, time::to_millis(now)],
        )?;
    }
    Ok(find(conn, id)?.info)
}

/// The other end ended sharing: nothing more is sent, and this end deletes
/// the channel on the relay at its next turn.
pub(crate) fn revoked_by_other(conn: &Connection, id: &str, now: i64) -> Result<(), SyncError> {
    conn.execute(
        "UPDATE channel SET revoked_at = ?2, revoked_by = 'other' WHERE id = ?1 AND revoked_at IS NULL",
        params![id, now],
    )?;
    drop_unsent(conn, id)
}

/// Nothing waiting goes out on a channel that has ended.
fn drop_unsent(conn: &Connection, id: &str) -> Result<(), SyncError> {
    conn.execute("DELETE FROM outbox WHERE channel = ?1 AND sent_at IS NULL", [id])?;
    Ok(())
}

pub(crate) fn channel_id(info: &ChannelInfo) -> ChannelId {
    ChannelId::parse(&info.id).expect("stored channel ids are hex")
}

/// The longest label a clinician can give a channel.
const MAX_LABEL_CHARS: usize = 200;

impl Store {
    /// Pairs this (patient) profile with the therapist whose code this is.
    /// Nothing goes over the network until `sync`.
    pub fn pair(&self, code: &str) -> Result<ChannelInfo, SyncError> {
        let pairing = Pairing::parse(code)?;
        let now = time::to_millis(SystemTime::now());
        self.write(|tx| {
            if patient_channel(tx).is_ok() {
                return Err(SyncError::AlreadyPaired);
            }
            insert(tx, &pairing, Role::Patient, "", now)
        })
    }

    /// Unpairs: nothing more is shared, what was waiting is dropped, and the
    /// therapist's app is told at the next sync.
    pub fn unpair(&self) -> Result<ChannelInfo, SyncError> {
        let now = SystemTime::now();
        self.write(|tx| {
            let channel = patient_channel(tx)?;
            revoke(tx, &channel.info.id, now)
        })
    }

    /// On a clinician's profile: a new channel on `relay_url` for the patient `label`.
    pub fn invite(&self, relay_url: &str, label: &str) -> Result<Invite, SyncError> {
        let label = label.trim();
        if label.is_empty() || label.chars().count() > MAX_LABEL_CHARS {
            return Err(SyncError::InvalidLabel { max: MAX_LABEL_CHARS as u32 });
        }
        let pairing = Pairing::new(relay_url)?;
        let now = time::to_millis(SystemTime::now());
        let channel = self.write(|tx| insert(tx, &pairing, Role::Clinician, label, now))?;
        Ok(Invite { channel, pairing_code: pairing.code() })
    }

    /// On a clinician's profile: stops sharing with one patient, whose app
    /// is told at the next sync.
    pub fn revoke_channel(&self, id: &str) -> Result<ChannelInfo, SyncError> {
        self.write(|tx| revoke(tx, id, SystemTime::now()))
    }

    /// Every channel this profile has had, oldest first.
    pub fn channels(&self) -> Result<Vec<ChannelInfo>, SyncError> {
        self.read(|conn| Ok(all(conn)?.into_iter().map(|c| c.info).collect()))
    }
}
