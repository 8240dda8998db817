//! Token buckets: `burst` requests at once, then `per_minute` on average, for
//! each key (a channel, or a peer's address). Buckets live in one process, so
//! several relays over one PostgreSQL each apply their own limits.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use waymark_protocol::ChannelId;

pub struct Limiter<K = ChannelId> {
    per_second: f64,
    burst: f64,
    state: Mutex<Buckets<K>>,
}

struct Buckets<K> {
    tokens: HashMap<K, (f64, Instant)>,
    forgotten: Instant,
}

impl<K: Hash + Eq + Copy> Limiter<K> {
    pub fn new(per_minute: u32, burst: u32) -> Self {
        Limiter {
            per_second: f64::from(per_minute.max(1)) / 60.0,
            burst: f64::from(burst.max(1)),
            state: Mutex::new(Buckets { tokens: HashMap::new(), forgotten: Instant::now() }),
        }
    }

    /// Takes one request from the key's bucket, or says how long to wait.
    pub fn check(&self, key: K) -> Result<(), Duration> {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.forget_full(&mut state, now);
        let (tokens, last) = state.tokens.entry(key).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * self.per_second).min(self.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / self.per_second))
        }
    }

    /// Once per refill time, drops the buckets that have refilled: a flood of
    /// new keys (addresses, made-up channels) costs memory only for that long.
    fn forget_full(&self, state: &mut Buckets<K>, now: Instant) {
        let full_after = Duration::from_secs_f64(self.burst / self.per_second);
        if now.duration_since(state.forgotten) >= full_after {
            state.tokens.retain(|_, (_, last)| now.duration_since(*last) < full_after);
            state.forgotten = now;
        }
    }
}

/// The key a peer is limited under: its IPv4 address, or its IPv6 /64, since
/// one subscriber is commonly handed a whole /64 and could rotate within it.
pub fn peer_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & (u128::MAX << 64))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_the_rate_applies_per_channel() {
        let limiter = Limiter::new(60, 3);
        let (a, b) = (ChannelId([1; 16]), ChannelId([2; 16]));
        for _ in 0..3 {
            assert!(limiter.check(a).is_ok());
        }
        let wait = limiter.check(a).unwrap_err();
        assert!(wait > Duration::from_millis(900) && wait <= Duration::from_secs(1), "{wait:?}");
        assert!(limiter.check(b).is_ok(), "another channel has its own bucket");
    }

    #[test]
    fn an_ipv6_peer_is_limited_by_its_64_and_a_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(peer_key(a), peer_key(b));
        assert_ne!(peer_key(a), peer_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(peer_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn refilled_buckets_are_forgotten() {
        let limiter = Limiter::new(60_000, 1);
        limiter.check(1u8).unwrap();
        std::thread::sleep(Duration::from_millis(5));
        limiter.check(2u8).unwrap();
        assert_eq!(limiter.state.lock().unwrap().tokens.len(), 1, "key 1 refilled after 1 ms and was dropped");
    }
}
