//! Token buckets per operation group, answering 429 TooManyRequestsException when empty.
//!
//! The bucket refills continuously at `rps` and holds at most `burst` tokens (default 1), so a
//! client that makes N accepted calls needs at least (N - burst) / rps seconds, whatever its
//! concurrency. Uses the real monotonic clock, not the adjustable one: rate limits are about
//! real elapsed time.

use std::sync::Mutex;
use std::time::Instant;

use crate::config::Throttle;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// ListAccounts and ListAccountRoles.
    Listing,
    /// GetRoleCredentials.
    Credentials,
}

#[derive(Debug)]
struct Bucket {
    rps: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    fn new(rps: f64, burst: f64) -> Bucket {
        Bucket { rps, burst, tokens: burst, last: Instant::now() }
    }

    fn try_take(&mut self) -> bool {
        self.try_take_at(Instant::now())
    }

    fn try_take_at(&mut self, now: Instant) -> bool {
        let elapsed = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.rps).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[derive(Debug, Default)]
pub struct Throttles {
    listing: Mutex<Option<Bucket>>,
    credentials: Mutex<Option<Bucket>>,
}

fn bucket(rps: Option<f64>, burst: Option<f64>) -> Option<Bucket> {
    let rps = rps.filter(|r| r.is_finite() && *r > 0.0)?;
    // A bucket smaller than one token would refuse everything.
    let burst = burst.filter(|b| b.is_finite()).unwrap_or(1.0).max(1.0);
    Some(Bucket::new(rps, burst))
}

impl Throttles {
    pub fn new(cfg: &Throttle) -> Throttles {
        Throttles {
            listing: Mutex::new(bucket(cfg.listing_rps, cfg.burst)),
            credentials: Mutex::new(bucket(cfg.credentials_rps, cfg.burst)),
        }
    }

    /// Install new rates; buckets start full.
    pub fn reconfigure(&self, cfg: &Throttle) {
        *self.listing.lock().unwrap_or_else(|e| e.into_inner()) = bucket(cfg.listing_rps, cfg.burst);
        *self.credentials.lock().unwrap_or_else(|e| e.into_inner()) = bucket(cfg.credentials_rps, cfg.burst);
    }

    /// True when the call may proceed.
    pub fn admit(&self, group: Group) -> bool {
        let slot = match group {
            Group::Listing => &self.listing,
            Group::Credentials => &self.credentials,
        };
        match slot.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
            Some(b) => b.try_take(),
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlimited_without_rate() {
        let t = Throttles::new(&Throttle::default());
        assert!((0..1000).all(|_| t.admit(Group::Listing)));
    }

    #[test]
    fn admits_no_more_than_the_rate_over_simulated_time() {
        let start = Instant::now();
        let mut b = Bucket { rps: 10.0, burst: 1.0, tokens: 1.0, last: start };
        // A greedy client asking every millisecond for 3 simulated seconds.
        let admitted = (0..3000).filter(|ms| b.try_take_at(start + std::time::Duration::from_millis(*ms))).count();
        assert!((30..=31).contains(&admitted), "admitted {admitted}");
    }

    #[test]
    fn burst_then_refuse() {
        let t = Throttles::new(&Throttle { listing_rps: Some(0.001), credentials_rps: None, burst: Some(3.0) });
        let admitted = (0..10).filter(|_| t.admit(Group::Listing)).count();
        assert_eq!(admitted, 3);
        assert!(t.admit(Group::Credentials));
    }
}
