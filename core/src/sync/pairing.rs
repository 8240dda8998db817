//! The pairing code and what is derived from it.
//!
//! A code is `wm2.<secret>.<check>.<relay url>`: the 256-bit channel secret in
//! base64url, four base64url characters of SHA-256 over the secret and the
//! URL (so a mistyped code is caught at once), then the relay's URL. About 90
//! characters, which fit a QR code. HKDF-SHA256 turns the secret into the
//! relay token and one key per direction, and the channel id is a hash of the
//! token, so the relay can check that whoever registers a channel holds its
//! token; it learns only the id and a hash of the token. (Version 1 codes
//! derived the id from the secret directly; a relay cannot check those, so
//! they are refused, and channels paired with them keep their stored ids.)

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::OsRng;
use hkdf::Hkdf;
use sha2::{Digest, Sha256};
use waymark_protocol::{ChannelId, Direction};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::SyncError;

const PREFIX: &str = "wm2";
const SALT: &[u8] = b"waymark pairing v1";

/// What a pairing code holds.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Pairing {
    pub relay_url: String,
    pub secret: [u8; 32],
}

impl std::fmt::Debug for Pairing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pairing").field("relay_url", &self.relay_url).finish_non_exhaustive()
    }
}

fn check(secret: &[u8; 32], relay_url: &str) -> String {
    let digest = Sha256::new().chain_update(secret).chain_update(relay_url.as_bytes()).finalize();
    URL_SAFE_NO_PAD.encode(&digest[..3])
}

/// `https://` anywhere; plain `http://` only to this computer, so the relay
/// token never crosses a network unencrypted. No user part (`a@b`), since
/// `http://127.0.0.1@attacker.example` goes to attacker.example.
pub(crate) fn check_relay_url(url: &str) -> Result<(), SyncError> {
    let refused = || SyncError::InvalidRelayUrl { url: url.to_string() };
    if !url.chars().all(|c| c.is_ascii_graphic()) {
        return Err(refused());
    }
    let (rest, plain) = match (url.strip_prefix("https://"), url.strip_prefix("http://")) {
        (Some(rest), _) => (rest, false),
        (None, Some(rest)) => (rest, true),
        (None, None) => return Err(refused()),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host_of(authority).ok_or_else(refused)?;
    if plain && !is_loopback(host) {
        return Err(refused());
    }
    Ok(())
}

/// The host of `host[:port]` or `[v6][:port]`, when that is all there is.
fn host_of(authority: &str) -> Option<&str> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (host, after) = v6.split_once(']')?;
            host.parse::<std::net::Ipv6Addr>().ok()?;
            let port = match after {
                "" => None,
                after => Some(after.strip_prefix(':')?),
            };
            (host, port)
        }
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    let host_ok = !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:".contains(&b));
    (port_ok && host_ok).then_some(host)
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
        || host.parse::<std::net::Ipv6Addr>().is_ok_and(|ip| ip.is_loopback())
}

impl Pairing {
    /// A new channel on `relay_url`, with a fresh random secret.
    pub fn new(relay_url: &str) -> Result<Self, SyncError> {
        let relay_url = relay_url.trim().trim_end_matches('/').to_string();
        check_relay_url(&relay_url)?;
        let mut secret = [0; 32];
        OsRng.fill_bytes(&mut secret);
        Ok(Pairing { relay_url, secret })
    }

    pub fn code(&self) -> String {
        let secret = URL_SAFE_NO_PAD.encode(self.secret);
        format!("{PREFIX}.{secret}.{}.{}", check(&self.secret, &self.relay_url), self.relay_url)
    }

    /// Reads a code as typed or scanned; spaces and line breaks around it are ignored.
    pub fn parse(code: &str) -> Result<Self, SyncError> {
        let code = code.trim();
        let mut parts = code.splitn(4, '.');
        let (Some(prefix), Some(secret), Some(check_text), Some(relay_url)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(SyncError::MalformedPairingCode);
        };
        if prefix != PREFIX {
            return match prefix.strip_prefix("wm").and_then(|v| v.parse::<u32>().ok()) {
                Some(version @ 0..=1) => Err(SyncError::PairingCodeTooOld { version }),
                Some(version) => Err(SyncError::UnknownPairingVersion { version }),
                None => Err(SyncError::MalformedPairingCode),
            };
        }
        let mut bytes = URL_SAFE_NO_PAD.decode(secret).map_err(|_| SyncError::MalformedPairingCode)?;
        let secret: [u8; 32] = bytes.as_slice().try_into().map_err(|_| SyncError::MalformedPairingCode)?;
        bytes.zeroize();
        check_relay_url(relay_url)?;
        if check(&secret, relay_url) != check_text {
            return Err(SyncError::PairingCodeMistyped);
        }
        Ok(Pairing { relay_url: relay_url.to_string(), secret })
    }

    pub fn keys(&self) -> ChannelKeys {
        let hkdf = Hkdf::<Sha256>::new(Some(SALT), &self.secret);
        let expand = |info: &str, out: &mut [u8]| hkdf.expand(info.as_bytes(), out).expect("a valid HKDF length");
        let mut token = [0; 32];
        let mut to_clinician = [0; 32];
        let mut to_patient = [0; 32];
        expand("relay token", &mut token);
        expand("key patient to clinician", &mut to_clinician);
        expand("key clinician to patient", &mut to_patient);
        let relay_token = URL_SAFE_NO_PAD.encode(token);
        let keys = ChannelKeys {
            channel: waymark_protocol::channel_for_token(&relay_token),
            relay_token,
            to_clinician,
            to_patient,
        };
        token.zeroize();
        to_clinician.zeroize();
        to_patient.zeroize();
        keys
    }
}

/// Everything derived from a channel's secret.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct ChannelKeys {
    #[zeroize(skip)]
    pub channel: ChannelId,
    /// The bearer token for the relay.
    pub relay_token: String,
    to_clinician: [u8; 32],
    to_patient: [u8; 32],
}

impl ChannelKeys {
    pub(crate) fn key(&self, direction: Direction) -> &[u8; 32] {
        match direction {
            Direction::ToClinician => &self.to_clinician,
            Direction::ToPatient => &self.to_patient,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_code_round_trips_and_fits_a_qr_code() {
        let pairing = Pairing::new("https://relay.example.org/").unwrap();
        let code = pairing.code();
        assert!(code.starts_with("wm2.") && code.ends_with(".https://relay.example.org"), "{code}");
        assert!(code.len() < 120, "{} characters", code.len());
        assert_eq!(Pairing::parse(&format!("  {code}\n")).unwrap(), pairing);
        assert_ne!(Pairing::new("https://relay.example.org").unwrap().secret, pairing.secret, "fresh secrets");
    }

    #[test]
    fn both_ends_derive_the_same_keys_and_the_keys_differ() {
        let pairing = Pairing::new("http://127.0.0.1:8787").unwrap();
        let (a, b) = (pairing.keys(), Pairing::parse(&pairing.code()).unwrap().keys());
        assert_eq!((a.channel, &a.relay_token), (b.channel, &b.relay_token));
        assert_eq!(a.key(Direction::ToClinician), b.key(Direction::ToClinician));
        assert_ne!(a.key(Direction::ToClinician), a.key(Direction::ToPatient));
        assert_ne!(a.relay_token.as_bytes(), a.key(Direction::ToPatient));
        assert!(!a.relay_token.contains(&URL_SAFE_NO_PAD.encode(pairing.secret)));
    }

    #[test]
    fn bad_codes_have_their_own_errors() {
        let code = Pairing::new("https://relay.example.org").unwrap().code();
        let mistyped = code.replacen("example.org", "example.com", 1);
        assert!(matches!(Pairing::parse(&mistyped), Err(SyncError::PairingCodeMistyped)));
        let mut flipped = code.clone().into_bytes();
        flipped[10] = if flipped[10] == b'A' { b'B' } else { b'A' };
        assert!(matches!(Pairing::parse(std::str::from_utf8(&flipped).unwrap()), Err(SyncError::PairingCodeMistyped)));
        assert!(matches!(
            Pairing::parse(&code.replacen("wm2", "wm3", 1)),
            Err(SyncError::UnknownPairingVersion { version: 3 })
        ));
        assert!(matches!(
            Pairing::parse(&code.replacen("wm2", "wm1", 1)),
            Err(SyncError::PairingCodeTooOld { version: 1 })
        ));
        for bad in ["", "wm2", "hello", "wm2.abc.def.https://x", "wm2.!!!.abcd.https://x"] {
            assert!(matches!(Pairing::parse(bad), Err(SyncError::MalformedPairingCode)), "{bad}");
        }
        assert!(matches!(Pairing::new("ftp://relay"), Err(SyncError::InvalidRelayUrl { .. })));
        assert!(matches!(Pairing::new("https://"), Err(SyncError::InvalidRelayUrl { .. })));
        assert!(matches!(Pairing::new("https://has space"), Err(SyncError::InvalidRelayUrl { .. })));
        assert!(matches!(Pairing::new("http://relay.example.org"), Err(SyncError::InvalidRelayUrl { .. })));
        for local in ["http://127.0.0.1:8787", "http://localhost:8787", "http://[::1]:8787", "http://127.0.0.2/relay"] {
            assert!(Pairing::new(local).is_ok(), "{local}");
        }
        for elsewhere in [
            "http://127.0.0.1:8787@attacker.example",
            "http://127.0.0.1.nip.io",
            "http://127.0.0.1:8787.attacker.example",
            "http://localhost.attacker.example",
            "http://[::1]@attacker.example",
            "http://[::1]x",
            "https://user:pass@relay.example.org",
            "https://relay.example.org:80:80",
            "http://127.0.0.1:",
        ] {
            assert!(matches!(Pairing::new(elsewhere), Err(SyncError::InvalidRelayUrl { .. })), "{elsewhere}");
        }
    }

    proptest! {
        #[test]
        fn any_text_parses_or_fails_without_panicking(text in ".{0,200}") {
            let _ = Pairing::parse(&text);
        }

        #[test]
        fn any_secret_and_host_round_trip(secret: [u8; 32], host in "[a-z0-9.-]{1,40}(:[0-9]{1,5})?") {
            let pairing = Pairing { relay_url: format!("https://{host}"), secret };
            prop_assert_eq!(Pairing::parse(&pairing.code()).unwrap(), pairing);
        }
    }
}
