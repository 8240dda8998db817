//! The envelope: a fixed header, readable by the relay, then the ciphertext,
//! which only the two ends can open. The whole header (nonce included) is the
//! cipher's associated data, so a changed byte anywhere fails decryption.
//!
//! ```text
//! offset  size  field
//!      0     4  magic "WMKE"
//!      4     1  version (1)
//!      5     1  direction: 1 patient to clinician, 2 clinician to patient
//!      6    16  channel id
//!     22    16  message id (UUID v7)
//!     38     8  created_at, Unix milliseconds, big-endian
//!     46    24  nonce (XChaCha20-Poly1305)
//!     70     …  ciphertext and its 16-byte tag
//! ```

use std::fmt;

pub const MAGIC: [u8; 4] = *b"WMKE";
pub const VERSION: u8 = 1;
pub const HEADER_LEN: usize = 70;
/// The relay refuses bodies above this (1 MiB).
pub const MAX_ENVELOPE_BYTES: usize = 1 << 20;
const TAG_LEN: usize = 16;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EnvelopeError {
    #[error("the envelope is {len} bytes, shorter than a header and a tag; it was cut off")]
    TooShort { len: usize },
    #[error("the envelope is {len} bytes, more than the {max} allowed")]
    TooLarge { len: usize, max: usize },
    #[error("these bytes are not a Waymark envelope")]
    NotAnEnvelope,
    #[error("the envelope is version {version}, which this build does not know; update Waymark")]
    UnknownVersion { version: u8 },
    #[error("the envelope's direction {value} is not one Waymark knows")]
    UnknownDirection { value: u8 },
}

/// Who sent a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    ToClinician,
    ToPatient,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::ToClinician => "to_clinician",
            Direction::ToPatient => "to_patient",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Direction::ToClinician, Direction::ToPatient].into_iter().find(|d| d.as_str() == text)
    }

    fn byte(self) -> u8 {
        match self {
            Direction::ToClinician => 1,
            Direction::ToPatient => 2,
        }
    }

    fn from_byte(value: u8) -> Result<Self, EnvelopeError> {
        match value {
            1 => Ok(Direction::ToClinician),
            2 => Ok(Direction::ToPatient),
            value => Err(EnvelopeError::UnknownDirection { value }),
        }
    }
}

/// A channel's id: 16 bytes derived from its secret, shown as 32 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChannelId(pub [u8; 16]);

impl ChannelId {
    pub fn parse(hex: &str) -> Option<Self> {
        if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return None;
        }
        let mut bytes = [0; 16];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(ChannelId(bytes))
    }
}

impl fmt::Display for ChannelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

impl fmt::Debug for ChannelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChannelId({self})")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub direction: Direction,
    pub channel: ChannelId,
    /// A UUID's 16 bytes.
    pub message_id: [u8; 16],
    pub created_at_millis: i64,
    pub nonce: [u8; 24],
}

impl Header {
    pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let mut bytes = [0; HEADER_LEN];
        bytes[0..4].copy_from_slice(&MAGIC);
        bytes[4] = VERSION;
        bytes[5] = self.direction.byte();
        bytes[6..22].copy_from_slice(&self.channel.0);
        bytes[22..38].copy_from_slice(&self.message_id);
        bytes[38..46].copy_from_slice(&self.created_at_millis.to_be_bytes());
        bytes[46..70].copy_from_slice(&self.nonce);
        bytes
    }

    /// The header of a whole envelope, and the ciphertext after it.
    pub fn parse(envelope: &[u8]) -> Result<(Header, &[u8]), EnvelopeError> {
        if envelope.len() > MAX_ENVELOPE_BYTES {
            return Err(EnvelopeError::TooLarge { len: envelope.len(), max: MAX_ENVELOPE_BYTES });
        }
        if envelope.len() >= 4 && envelope[0..4] != MAGIC {
            return Err(EnvelopeError::NotAnEnvelope);
        }
        if envelope.len() > 4 && envelope[4] != VERSION {
            return Err(EnvelopeError::UnknownVersion { version: envelope[4] });
        }
        if envelope.len() < HEADER_LEN + TAG_LEN {
            return Err(EnvelopeError::TooShort { len: envelope.len() });
        }
        let array = |range: std::ops::Range<usize>| envelope[range].to_vec();
        let header = Header {
            direction: Direction::from_byte(envelope[5])?,
            channel: ChannelId(array(6..22).try_into().expect("16 bytes")),
            message_id: array(22..38).try_into().expect("16 bytes"),
            created_at_millis: i64::from_be_bytes(array(38..46).try_into().expect("8 bytes")),
            nonce: array(46..70).try_into().expect("24 bytes"),
        };
        Ok((header, &envelope[HEADER_LEN..]))
    }

    /// The message id in its usual text form, as the API's paths carry it.
    pub fn message_id_text(&self) -> String {
        let hex: String = self.message_id.iter().map(|b| format!("{b:02x}")).collect();
        format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn header() -> Header {
        Header {
            direction: Direction::ToClinician,
            channel: ChannelId([7; 16]),
            message_id: [0x01, 0x93, 0, 0, 0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, 1],
            created_at_millis: 1_764_000_000_000,
            nonce: [9; 24],
        }
    }

    #[test]
    fn a_header_round_trips_and_keeps_the_ciphertext_apart() {
        let mut envelope = header().to_bytes().to_vec();
        envelope.extend([0xAB; 20]);
        let (parsed, ciphertext) = Header::parse(&envelope).unwrap();
        assert_eq!(parsed, header());
        assert_eq!(ciphertext, [0xAB; 20]);
        assert_eq!(parsed.message_id_text(), "01930000-0000-7000-8000-000000000001");
    }

    #[test]
    fn each_kind_of_bad_envelope_has_its_own_error() {
        let mut envelope = header().to_bytes().to_vec();
        envelope.extend([0; 16]);
        assert_eq!(Header::parse(&envelope[..50]), Err(EnvelopeError::TooShort { len: 50 }));
        assert_eq!(Header::parse(b"GIF89a and more bytes"), Err(EnvelopeError::NotAnEnvelope));
        let mut newer = envelope.clone();
        newer[4] = 2;
        assert_eq!(Header::parse(&newer), Err(EnvelopeError::UnknownVersion { version: 2 }));
        let mut sideways = envelope.clone();
        sideways[5] = 3;
        assert_eq!(Header::parse(&sideways), Err(EnvelopeError::UnknownDirection { value: 3 }));
        let huge = vec![0; MAX_ENVELOPE_BYTES + 1];
        assert!(matches!(Header::parse(&huge), Err(EnvelopeError::TooLarge { .. })));
    }

    #[test]
    fn channel_ids_are_lower_case_hex() {
        let id = ChannelId([0xAB; 16]);
        assert_eq!(id.to_string(), "ab".repeat(16));
        assert_eq!(ChannelId::parse(&id.to_string()), Some(id));
        for bad in ["", "AB".repeat(16).as_str(), &"ab".repeat(15), &"zz".repeat(16), &"ab".repeat(17)] {
            assert_eq!(ChannelId::parse(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn any_bytes_parse_or_fail_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = Header::parse(&bytes);
        }

        #[test]
        fn any_header_round_trips(
            to_patient: bool, channel: [u8; 16], message_id: [u8; 16], at: i64, nonce: [u8; 24],
            tail in proptest::collection::vec(any::<u8>(), 16..64),
        ) {
            let direction = if to_patient { Direction::ToPatient } else { Direction::ToClinician };
            let header = Header { direction, channel: ChannelId(channel), message_id, created_at_millis: at, nonce };
            let mut envelope = header.to_bytes().to_vec();
            envelope.extend(&tail);
            prop_assert_eq!(Header::parse(&envelope), Ok((header, &tail[..])));
        }
    }
}
