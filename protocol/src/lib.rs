//! What Waymark's apps and its relay must agree on, and nothing else: the
//! envelope's header, which the relay reads to file a message it cannot
//! decrypt, and the shapes of the relay's HTTP API (design.md §6).

mod envelope;

pub use envelope::{ChannelId, Direction, EnvelopeError, Header, HEADER_LEN, MAGIC, MAX_ENVELOPE_BYTES, VERSION};

use serde::{Deserialize, Serialize};

/// One stored message, as `GET /v1/channels/{id}/messages` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedMessage {
    /// Pass the last one as `after` to continue.
    pub cursor: u64,
    /// The message id: a UUID, as in the envelope's header.
    pub id: String,
    /// The whole envelope, base64 (standard alphabet, padded).
    pub envelope: String,
}

/// A page of `GET /v1/channels/{id}/messages?direction=..&after=..&limit=..`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagePage {
    /// Oldest first.
    pub messages: Vec<ListedMessage>,
    /// True when more messages follow the last one here.
    pub more: bool,
}

/// The body of every error the relay returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
}

/// The most messages one page holds.
pub const MAX_PAGE: u32 = 500;

/// Path of one message.
pub fn message_path(channel: &ChannelId, message_id: &str) -> String {
    format!("/v1/channels/{channel}/messages/{message_id}")
}

/// Path of a page of messages sent in `direction`, after `cursor`.
pub fn page_path(channel: &ChannelId, direction: Direction, after: u64, limit: u32) -> String {
    format!("/v1/channels/{channel}/messages?direction={}&after={after}&limit={limit}", direction.as_str())
}

/// Path of a channel, to register (PUT) or revoke (DELETE) it.
pub fn channel_path(channel: &ChannelId) -> String {
    format!("/v1/channels/{channel}")
}

/// The channel a relay token belongs to: the first 16 bytes of SHA-256 over
/// a label and the token. Both ends derive the token from the channel's
/// secret, then the id from the token, so the relay can check that whoever
/// registers a channel holds its token, and a made-up id with a made-up token
/// is refused, without the relay ever learning the secret.
pub fn channel_for_token(token: &str) -> ChannelId {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new().chain_update(b"waymark channel id v1\0").chain_update(token.as_bytes()).finalize();
    ChannelId(digest[..16].try_into().expect("16 of 32 bytes"))
}

/// Base64 as the API carries envelopes.
pub fn encode_base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_channel_id_follows_from_its_token_and_from_no_other() {
        let id = channel_for_token("token-a");
        assert_eq!(id, channel_for_token("token-a"));
        assert_ne!(id, channel_for_token("token-b"));
        assert_ne!(id, channel_for_token("token-a "));
    }
}
