//! Sharing with a therapist through a relay that cannot read what it carries:
//! pairing, envelopes, and (in `outbox`) the queue that survives being offline.

pub mod pairing;
pub mod seal;

pub use pairing::{ChannelKeys, Pairing};
pub use waymark_protocol::Direction;

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error), uniffi(flat_error))]
pub enum SyncError {
    #[error("this is not a Waymark pairing code; scan the QR code again or copy the whole code")]
    MalformedPairingCode,
    #[error("the pairing code has a mistake in it; check it against the one your therapist gave you")]
    PairingCodeMistyped,
    #[error("this pairing code is version {version}, which this build cannot read; update Waymark")]
    UnknownPairingVersion { version: u32 },
    #[error("\"{url}\" is not a relay address; it must start with https:// (or http:// on this computer)")]
    InvalidRelayUrl { url: String },
    #[error("a message was cut off ({len} bytes); it will be fetched again")]
    EnvelopeTruncated { len: u64 },
    #[error("a message is {len} bytes, more than the {max} allowed; share a shorter range")]
    EnvelopeTooLarge { len: u64, max: u64 },
    #[error("the relay returned something that is not a Waymark message")]
    NotAnEnvelope,
    #[error("a message is version {version}, which this build cannot read; update Waymark")]
    UnknownEnvelopeVersion { version: u8 },
    #[error("a message belongs to another channel; it was not opened")]
    WrongChannel,
    #[error("a message came in the wrong direction; it was not opened")]
    WrongDirection,
    #[error("a message was changed on the way, so it was refused")]
    Tampered,
    #[error("message {id} was seen before with different contents, so the copy was refused")]
    Replayed { id: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for SyncError {
    fn from(error: rusqlite::Error) -> Self {
        SyncError::Store(error.into())
    }
}
