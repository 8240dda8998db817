//! Sharing with a therapist through a relay that cannot read what it carries:
//! pairing, envelopes, channels, and the outbox and inbox that survive being
//! offline (design.md §6).

pub mod channel;
pub mod clinician;
pub mod exchange;
pub(crate) mod inbox;
pub mod pairing;
pub mod seal;
pub mod transport;

pub use channel::{ChannelInfo, Invite, Role};
pub use clinician::ReceivedSummary;
pub use exchange::{ChannelStatus, FailedMessage, SyncReport, SyncStatus};
pub use inbox::{HeldMessage, HeldState};
pub use pairing::{ChannelKeys, Pairing};
pub use transport::{HttpRequest, HttpResponse, HttpTransport, TransportError};
pub use waymark_protocol::Direction;

use serde::{Deserialize, Serialize};

use crate::share::Summary;

/// What an envelope carries, as JSON inside the ciphertext.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Payload {
    /// Patient to clinician.
    Summary(Box<Summary>),
    /// Clinician to patient: an iCalendar file (UID and SEQUENCE decide what
    /// it adds, moves or cancels), read in `zone` where it names none.
    AppointmentUpdate { ics: String, zone: String },
    /// Clinician to patient: a prompt to answer in the journal.
    PromptAssignment { text: String },
    /// Either way: the sender ended sharing on this channel. Only this,
    /// sealed with the channel's key, unpairs the other end; a relay cannot.
    Revoke,
}

impl Payload {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Payload::Summary(_) => "summary",
            Payload::AppointmentUpdate { .. } => "appointment_update",
            Payload::PromptAssignment { .. } => "prompt_assignment",
            Payload::Revoke => "revoke",
        }
    }
}

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
    #[error("this pairing code (version {version}) was made by an older Waymark; ask your therapist for a new one")]
    PairingCodeTooOld { version: u32 },
    #[error("\"{url}\" is not a relay address; use https://, or http:// only for a relay on this computer")]
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
    #[error("a message holds something this build cannot use; update Waymark")]
    UnknownPayload,
    #[error("an appointment from your clinic could not be used: {reason}")]
    UnusableAppointment { reason: String },
    #[error("this profile is not paired with a therapist; pair with the code they gave you first")]
    NotPaired,
    #[error("this profile is already paired; unpair first to pair with someone else")]
    AlreadyPaired,
    #[error("there is no channel \"{id}\"; list the channels and pick one")]
    UnknownChannel { id: String },
    #[error("channel {id} was unpaired; pair again to share")]
    ChannelRevoked { id: String },
    #[error("a label is 1 to {max} characters, such as the patient's initials")]
    InvalidLabel { max: u32 },
    #[error("a prompt is 1 to {max} characters")]
    InvalidPrompt { max: u32 },
    #[error("there is no received summary \"{id}\" on channel {channel}; list them and pick one")]
    UnknownSummary { channel: String, id: String },
    #[error("there is no message \"{id}\" that failed to send; look at the sync status for its id")]
    UnknownMessage { id: String },
    #[error("a message from the other end could not be used: {reason}")]
    UnusableMessage { reason: String },
    #[error("applying a message failed again and again ({reason}); it was set aside")]
    ApplyFailed { reason: String },
    #[error("a message could not be used ({reason}), and {max} messages are already set aside, so it was dropped")]
    TooManyHeld { max: u32, reason: String },
    #[error(transparent)]
    Share(#[from] crate::share::ShareError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for SyncError {
    fn from(error: rusqlite::Error) -> Self {
        SyncError::Store(error.into())
    }
}

#[cfg(test)]
mod tests;
