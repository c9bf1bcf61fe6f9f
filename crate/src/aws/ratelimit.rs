//! An adaptive client-side rate limit for the portal API (AIMD on the request rate).
//!
//! The portal answers 429 `TooManyRequestsException` beyond a budget of roughly 20 requests per
//! second (third-party reports; the quota page does not show the figure). Requests are paced to
//! start at least `1/rate` apart. A throttled or failed (5xx) request lowers the rate by a factor;
//! successes raise it again. A throttle also records the rate it happened at (the ceiling): below
//! 97 % of it the rate climbs fast (about +1 request/s per second), near it slowly (+0.25/s), so
//! the rate spends its time just under what the service allows instead of in a deep sawtooth.
//! Well above an old ceiling the climb is fast again, because the budget evidently grew.
//! Only the first failure of a burst lowers the rate: requests already in flight were paced at
//! the old rate, and counting their failures too would collapse the rate for one overload.

use serde::{Deserialize, Serialize};

/// Tuning of [`AdaptiveRateLimit`]; the defaults fit the portal API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct RateLimitConfig {
    /// Requests per second to start at (near the service's budget).
    pub initial_rps: f64,
    pub min_rps: f64,
    pub max_rps: f64,
    /// Multiplier applied to the rate on a throttle or a server error.
    pub decrease_factor: f64,
    /// Backoff before retrying a failed call: `base × 2^attempt`, jittered to 50-100 %, capped.
    pub backoff_base_ms: u64,
    pub backoff_max_ms: u64,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            initial_rps: 20.0,
            min_rps: 0.5,
            max_rps: 100.0,
            decrease_factor: 0.95,
            backoff_base_ms: 200,
            backoff_max_ms: 10_000,
        }
    }
}

/// How late (ms) a waiter may wake and still take its exact slot; see [`AdaptiveRateLimit::try_acquire`].
const TIMER_SLACK_MS: f64 = 3.0;

/// Which pacing generation a request was sent in; see [`AdaptiveRateLimit::on_failure`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket(u64);

#[derive(Debug, Clone)]
pub struct AdaptiveRateLimit {
    config: RateLimitConfig,
    rps: f64,
    /// The rate of the last throttle, if any.
    ceiling: Option<f64>,
    /// When the last request was let through (its slot), epoch ms.
    last_start_ms: Option<f64>,
    generation: u64,
}

impl AdaptiveRateLimit {
    pub fn new(config: RateLimitConfig) -> Self {
        let rps = config.initial_rps.clamp(config.min_rps.max(0.01), config.max_rps.max(0.01));
        AdaptiveRateLimit { config, rps, ceiling: None, last_start_ms: None, generation: 0 }
    }

    /// The current rate in requests per second.
    pub fn rps(&self) -> f64 {
        self.rps
    }

    /// Lets a request start now (a ticket to report its outcome with), or says how many ms to
    /// wait before asking again.
    ///
    /// Spacing is measured from the last request let through, not from a schedule made far in
    /// advance: a request that starts very late must not let the next two start closer together
    /// than the interval, because a strict token bucket refuses exactly those. Lateness of a few
    /// ms (timer granularity) is forgiven, though, or the effective rate would sit a few percent
    /// below the rate aimed at.
    pub fn try_acquire(&mut self, now_ms: u64) -> Result<Ticket, u64> {
        let now = now_ms as f64;
        let interval = 1000.0 / self.rps;
        let slot = match self.last_start_ms {
            Some(last) if now < last + interval => return Err((last + interval - now).ceil() as u64),
            Some(last) if now - (last + interval) <= TIMER_SLACK_MS => last + interval,
            _ => now,
        };
        self.last_start_ms = Some(slot);
        Ok(Ticket(self.generation))
    }

    /// A request succeeded: climb back, fast far from the last ceiling and slowly near it.
    /// (+k/rate per success is +k requests/s per second of successes.)
    pub fn on_success(&mut self) {
        let k = match self.ceiling {
            Some(c) if self.rps >= 0.97 * c && self.rps < 1.1 * c => 0.25,
            _ => 1.0,
        };
        self.rps = (self.rps + k / self.rps).min(self.config.max_rps);
    }

    /// A request was throttled (`throttled`) or failed on the server: lower the rate once per
    /// generation and push the next slot out by one new interval. Only a throttle moves the
    /// ceiling: a 5xx says little about the budget. Returns true if the rate was lowered.
    pub fn on_failure(&mut self, ticket: Ticket, now_ms: u64, throttled: bool) -> bool {
        if ticket.0 != self.generation {
            return false;
        }
        self.generation += 1;
        if throttled {
            self.ceiling = Some(self.rps);
        }
        self.rps = (self.rps * self.config.decrease_factor).max(self.config.min_rps);
        // The next request waits a full (new) interval from now.
        self.last_start_ms = Some(self.last_start_ms.map_or(now_ms as f64, |l| l.max(now_ms as f64)));
        true
    }

    /// How long to wait before retry number `attempt` (0-based), given a random value for jitter.
    pub fn backoff_ms(&self, attempt: u32, random: u64) -> u64 {
        let full = self.config.backoff_base_ms.saturating_mul(1u64 << attempt.min(20)).min(self.config.backoff_max_ms);
        // "Equal jitter": half fixed, half random, so retries of a burst spread out.
        full / 2 + random % (full / 2 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paces_at_the_rate() {
        let mut l = AdaptiveRateLimit::new(RateLimitConfig::default());
        assert!(l.try_acquire(1_000).is_ok());
        assert_eq!(l.try_acquire(1_000), Err(50));
        assert_eq!(l.try_acquire(1_030), Err(20));
        assert!(l.try_acquire(1_052).is_ok(), "2 ms late keeps the slot at 1050");
        assert_eq!(l.try_acquire(1_099), Err(1));
        // A caller 20 ms late does not shorten the next gap.
        assert!(l.try_acquire(1_120).is_ok());
        assert_eq!(l.try_acquire(1_150), Err(20));
    }

    #[test]
    fn one_decrease_per_generation_then_creeps_back() {
        let mut l = AdaptiveRateLimit::new(RateLimitConfig::default());
        let t1 = l.try_acquire(0).unwrap();
        let t2 = l.try_acquire(100).unwrap();
        assert!(l.on_failure(t1, 0, true));
        assert!(!l.on_failure(t2, 0, true), "a second failure of the same burst must not lower it again");
        assert!((l.rps() - 19.0).abs() < 1e-9);
        // Fast back to 97 % of the ceiling (19.4) ...
        let mut n = 0;
        while l.rps() < 19.4 {
            l.on_success();
            n += 1;
        }
        assert!(n < 60, "{n}");
        // ... then slowly: another 40 successes (2 s) add only about 0.5 requests/s.
        for _ in 0..40 {
            l.on_success();
        }
        assert!(l.rps() < 20.0, "{}", l.rps());
        let t3 = l.try_acquire(10_000).unwrap();
        assert!(l.on_failure(t3, 10_000, false));
    }

    #[test]
    fn rate_stays_within_bounds() {
        let cfg = RateLimitConfig { min_rps: 1.0, max_rps: 25.0, ..Default::default() };
        let mut l = AdaptiveRateLimit::new(cfg);
        for i in 0..100 {
            let t = l.try_acquire(i * 10_000).unwrap();
            l.on_failure(t, i * 10_000, true);
        }
        assert_eq!(l.rps(), 1.0);
        for _ in 0..10_000 {
            l.on_success();
        }
        assert_eq!(l.rps(), 25.0);
    }

    #[test]
    fn backoff_grows_is_jittered_and_capped() {
        let l = AdaptiveRateLimit::new(RateLimitConfig::default());
        assert!((100..=200).contains(&l.backoff_ms(0, 12345)));
        assert!((400..=800).contains(&l.backoff_ms(2, 999_999)));
        assert_ne!(l.backoff_ms(3, 1), l.backoff_ms(3, 2));
        assert!(l.backoff_ms(30, u64::MAX) <= 10_000);
    }
}
