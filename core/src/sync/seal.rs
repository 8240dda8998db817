//! Sealing a payload into an envelope and opening one, with XChaCha20-Poly1305
//! and the envelope's header as associated data.

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use waymark_protocol::{Direction, EnvelopeError, Header};

use super::pairing::ChannelKeys;
use super::SyncError;

/// The envelope for `plaintext`, sent in `direction` on `keys`' channel.
pub fn seal(
    keys: &ChannelKeys,
    direction: Direction,
    message_id: uuid::Uuid,
    created_at_millis: i64,
    plaintext: &[u8],
) -> Vec<u8> {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let header = Header {
        direction,
        channel: keys.channel,
        message_id: *message_id.as_bytes(),
        created_at_millis,
        nonce: nonce.into(),
    };
    let aad = header.to_bytes();
    let cipher = XChaCha20Poly1305::new(keys.key(direction).into());
    let ciphertext = cipher.encrypt(&nonce, Payload { msg: plaintext, aad: &aad }).expect("in-memory encryption");
    let mut envelope = aad.to_vec();
    envelope.extend(ciphertext);
    envelope
}

/// The header and plaintext of an envelope sent to us in `direction`.
pub fn open(keys: &ChannelKeys, direction: Direction, envelope: &[u8]) -> Result<(Header, Vec<u8>), SyncError> {
    let (header, ciphertext) = Header::parse(envelope)?;
    if header.channel != keys.channel {
        return Err(SyncError::WrongChannel);
    }
    if header.direction != direction {
        return Err(SyncError::WrongDirection);
    }
    let cipher = XChaCha20Poly1305::new(keys.key(direction).into());
    let aad = header.to_bytes();
    let plaintext = cipher
        .decrypt(XNonce::from_slice(&header.nonce), Payload { msg: ciphertext, aad: &aad })
        .map_err(|_| SyncError::Tampered)?;
    Ok((header, plaintext))
}

impl From<EnvelopeError> for SyncError {
    fn from(error: EnvelopeError) -> Self {
        match error {
            EnvelopeError::TooShort { len } => SyncError::EnvelopeTruncated { len: len as u64 },
            EnvelopeError::TooLarge { len, max } => SyncError::EnvelopeTooLarge { len: len as u64, max: max as u64 },
            EnvelopeError::NotAnEnvelope => SyncError::NotAnEnvelope,
            EnvelopeError::UnknownVersion { version } => SyncError::UnknownEnvelopeVersion { version },
            EnvelopeError::UnknownDirection { .. } => SyncError::WrongDirection,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::pairing::Pairing;
    use proptest::prelude::*;

    fn keys() -> ChannelKeys {
        Pairing::new("https://relay.example.org").unwrap().keys()
    }

    #[test]
    fn a_sealed_message_opens_only_on_its_channel_and_direction() {
        let keys = keys();
        let id = uuid::Uuid::now_v7();
        let envelope = seal(&keys, Direction::ToClinician, id, 1_764_000_000_000, b"mood summary");
        assert!(!envelope.windows(12).any(|w| w == b"mood summary"), "no plaintext on the wire");
        let (header, plaintext) = open(&keys, Direction::ToClinician, &envelope).unwrap();
        assert_eq!((plaintext.as_slice(), header.message_id), (&b"mood summary"[..], *id.as_bytes()));
        assert!(matches!(open(&keys, Direction::ToPatient, &envelope), Err(SyncError::WrongDirection)));
        assert!(matches!(open(&self::keys(), Direction::ToClinician, &envelope), Err(SyncError::WrongChannel)));
    }

    #[test]
    fn a_changed_byte_anywhere_is_tampering() {
        let keys = keys();
        let envelope = seal(&keys, Direction::ToPatient, uuid::Uuid::now_v7(), 0, b"appointment");
        for index in 22..envelope.len() {
            let mut changed = envelope.clone();
            changed[index] ^= 0x01;
            assert!(matches!(open(&keys, Direction::ToPatient, &changed), Err(SyncError::Tampered)), "byte {index}");
        }
        let mut newer = envelope.clone();
        newer[4] = 9;
        assert!(matches!(
            open(&keys, Direction::ToPatient, &newer),
            Err(SyncError::UnknownEnvelopeVersion { version: 9 })
        ));
        assert!(matches!(open(&keys, Direction::ToPatient, &envelope[..40]), Err(SyncError::EnvelopeTruncated { .. })));
    }

    proptest! {
        #[test]
        fn any_bytes_fail_to_open_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            prop_assert!(open(&keys(), Direction::ToPatient, &bytes).is_err());
        }
    }
}
