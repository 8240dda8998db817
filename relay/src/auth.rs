//! Who may use a channel: whoever holds its bearer token. The relay keeps only
//! the token's SHA-256, and registers a channel only for the token its id
//! follows from (`waymark_protocol::channel_for_token`), so nobody can claim
//! an id without the channel's secret.

use axum::http::{header, HeaderMap, StatusCode};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use waymark_protocol::{channel_for_token, ChannelId};

use crate::{now_millis, ApiError, Relay};

/// Whether a request may register the channel it names if it is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unknown {
    Register,
    NotFound,
}

fn bearer(headers: &HeaderMap) -> Result<&str, ApiError> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .filter(|token| !token.is_empty())
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "a bearer token is required"))
}

/// In constant time, so how long a refusal takes tells nothing of how much
/// of a guessed token's hash matched.
fn same_hash(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a[..].ct_eq(&b[..]).into()
}

/// Checks the token (registering an unknown channel if `unknown` allows),
/// then charges the channel's rate limit: a stranger's refused requests never
/// spend a channel's budget. Returns whether the channel was just registered.
pub(crate) async fn authorize(
    state: &Relay,
    channel: &ChannelId,
    headers: &HeaderMap,
    unknown: Unknown,
) -> Result<bool, ApiError> {
    let token = bearer(headers)?;
    let hash: [u8; 32] = Sha256::digest(token.as_bytes()).into();
    let (known, created) = match state.backend.channel(channel).await? {
        Some(known) => (known, false),
        None if unknown == Unknown::Register => {
            if channel_for_token(token) != *channel {
                return Err(ApiError::new(StatusCode::FORBIDDEN, "this channel id does not follow from this token"));
            }
            let stored = state.backend.register(channel, &hash, now_millis()).await?;
            (stored, same_hash(&stored.token_hash, &hash))
        }
        None => return Err(ApiError::new(StatusCode::NOT_FOUND, "no such channel")),
    };
    if !same_hash(&known.token_hash, &hash) {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "this token is not for this channel"));
    }
    if known.revoked {
        return Err(ApiError::new(StatusCode::GONE, "the channel was revoked; pair again"));
    }
    state.channels.check(*channel).map_err(ApiError::slow_down)?;
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::same_hash;

    #[test]
    fn hashes_compare_equal_only_when_every_byte_matches() {
        let a = [7u8; 32];
        let mut b = a;
        assert!(same_hash(&a, &b));
        b[31] ^= 1;
        assert!(!same_hash(&a, &b));
    }
}
