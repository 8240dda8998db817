//! A token bucket per channel: `burst` requests at once, then `per_minute`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use waymark_protocol::ChannelId;

pub struct Limiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<ChannelId, (f64, Instant)>>,
}

impl Limiter {
    pub fn new(per_minute: u32, burst: u32) -> Self {
        Limiter {
            per_second: f64::from(per_minute.max(1)) / 60.0,
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from the channel's bucket, or says how long to wait.
    pub fn check(&self, channel: &ChannelId) -> Result<(), Duration> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (tokens, last) = buckets.entry(*channel).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * self.per_second).min(self.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / self.per_second))
        }
    }

    /// Drops buckets that have refilled, so idle channels cost no memory.
    pub fn forget_idle(&self) {
        let now = Instant::now();
        let full_after = Duration::from_secs_f64(self.burst / self.per_second);
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        buckets.retain(|_, (_, last)| now.duration_since(*last) < full_after);
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
            assert!(limiter.check(&a).is_ok());
        }
        let wait = limiter.check(&a).unwrap_err();
        assert!(wait > Duration::from_millis(900) && wait <= Duration::from_secs(1), "{wait:?}");
        assert!(limiter.check(&b).is_ok(), "another channel has its own bucket");
    }
}
