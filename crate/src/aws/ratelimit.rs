//! An adaptive client-side rate limit for the portal API: slow start, then AIMD on the request rate.
//!
//! The portal answers 429 `TooManyRequestsException` beyond a budget of roughly 20 requests per
//! second (third-party reports; the quota page does not show the figure). Requests are paced to
//! start at least `1/rate` apart. Until the first throttle or server error the rate grows
//! multiplicatively (slow start, as TCP's: one more call in flight per success, so the rate doubles
//! every round trip), because a portal that does not throttle should not be listed at 20 calls/s
//! when latency, not the budget, is what limits. The first failure ends slow start: the rate falls
//! back to half the rate that failed (never below the starting rate, which is known to be near the
//! budget). After that, a throttled or failed (5xx) request lowers the rate by a factor;
//! successes raise it again. A throttle also records the rate it happened at (the ceiling): below
//! 97 % of it the rate climbs fast (about +1 request/s per second), near it slowly (+0.05/s), so
//! the rate spends its time just under what the service allows instead of in a deep sawtooth:
//! against a strict 20 req/s bucket, a decrease of 5 % and a climb of +0.25/s near the ceiling
//! meant a throttle every ~2 s; 3 % and +0.05/s, one every ~10 s and 1-2 % more throughput.
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
    /// Grow the rate multiplicatively until the first throttle or server error.
    pub slow_start: bool,
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
            slow_start: true,
            min_rps: 0.5,
            // High enough that latency, through the in-flight cap, is what limits a portal that
            // does not throttle; a throttling one ends slow start long before.
            max_rps: 500.0,
            decrease_factor: 0.97,
            backoff_base_ms: 200,
            backoff_max_ms: 10_000,
        }
    }
}

/// Weight of the newest sample in the moving average of the latency.
const LATENCY_WEIGHT: f64 = 0.2;

/// Which pacing generation a request was sent in, at which rate and when; see
/// [`AdaptiveRateLimit::on_failure`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ticket {
    generation: u64,
    rps: f64,
    sent_ms: u64,
}

#[derive(Debug, Clone)]
pub struct AdaptiveRateLimit {
    config: RateLimitConfig,
    rps: f64,
    /// The rate of the last throttle, if any.
    ceiling: Option<f64>,
    /// When the last request was let through (its slot), epoch ms.
    last_start_ms: Option<f64>,
    generation: u64,
    slow_start: bool,
    /// Moving average of the successful calls' latency (send to answer), ms.
    latency_ms: Option<f64>,
    /// Calls let through by [`Self::try_acquire_within`] and not [`Self::done`] yet.
    on_wire: usize,
}

impl AdaptiveRateLimit {
    pub fn new(config: RateLimitConfig) -> Self {
        let rps = config.initial_rps.clamp(config.min_rps.max(0.01), config.max_rps.max(0.01));
        let slow_start = config.slow_start;
        AdaptiveRateLimit {
            config,
            rps,
            ceiling: None,
            last_start_ms: None,
            generation: 0,
            slow_start,
            latency_ms: None,
            on_wire: 0,
        }
    }

    /// True until the first throttle or server error.
    pub fn in_slow_start(&self) -> bool {
        self.slow_start
    }

    /// The moving average of the latency, once a call succeeded.
    pub fn latency_ms(&self) -> Option<f64> {
        self.latency_ms
    }

    /// How many calls may be in flight: twice what the rate needs over the observed latency, plus
    /// 4, at most `cap`; `cap` until a latency is known, since the pacing alone keeps the first
    /// calls apart. The pacing sets the pace; this only stops a pile-up when answers slow down
    /// (a tighter window made calls wait for it, then leave together, and a strict token bucket
    /// refuses exactly such pairs).
    pub fn in_flight_limit(&self, cap: usize) -> usize {
        let cap = cap.max(1);
        match self.latency_ms {
            Some(l) => ((self.rps * l / 1000.0 * 2.0).ceil() as usize + 4).min(cap),
            None => cap,
        }
    }

    /// [`Self::try_acquire`], but also waits while [`Self::in_flight_limit`] calls are on the wire
    /// (each until [`Self::done`]). A call waiting in a backoff, or for its slot, is not on the
    /// wire, so it never holds up the others.
    pub fn try_acquire_within(&mut self, now_ms: u64, cap: usize) -> Result<Ticket, u64> {
        if self.on_wire >= self.in_flight_limit(cap) {
            // Some call ends within a round trip: look again a few times per round trip.
            return Err(self.latency_ms.map_or(5.0, |l| l / 10.0).clamp(2.0, 20.0) as u64);
        }
        let ticket = self.try_acquire(now_ms)?;
        self.on_wire += 1;
        Ok(ticket)
    }

    /// A call let through by [`Self::try_acquire_within`] has its answer (whatever it was).
    pub fn done(&mut self) {
        self.on_wire = self.on_wire.saturating_sub(1);
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
    /// than the interval, because a strict token bucket refuses exactly those. Not even a timer's
    /// lateness of a ms or two is forgiven (keeping the slot on its grid): measured against the
    /// emulator's strict bucket, forgiving 1 or 3 ms let two calls arrive a little closer than the
    /// interval and gained nothing. The rate the requests actually leave at is then a few percent
    /// below `rps` (timers wake ~1.6 ms late on average); the climb makes up for it, since
    /// throttles, not this number, set where it stops.
    pub fn try_acquire(&mut self, now_ms: u64) -> Result<Ticket, u64> {
        let now = now_ms as f64;
        let interval = 1000.0 / self.rps;
        let slot = match self.last_start_ms {
            Some(last) if now < last + interval => return Err((last + interval - now).ceil() as u64),
            _ => now,
        };
        self.last_start_ms = Some(slot);
        Ok(Ticket { generation: self.generation, rps: self.rps, sent_ms: now_ms })
    }

    /// A request succeeded at `now_ms`. In slow start: one more call in flight (+1/latency on the
    /// rate). After it: climb back, fast far from the last ceiling and slowly near it (+k/rate per
    /// success is +k requests/s per second of successes).
    pub fn on_success(&mut self, ticket: Ticket, now_ms: u64) {
        let sample = now_ms.saturating_sub(ticket.sent_ms).max(1) as f64;
        let latency = self.latency_ms.map_or(sample, |l| l + LATENCY_WEIGHT * (sample - l));
        self.latency_ms = Some(latency);
        if self.slow_start {
            self.rps = (self.rps + 1000.0 / latency).min(self.config.max_rps);
            return;
        }
        let k = match self.ceiling {
            Some(c) if self.rps >= 0.97 * c && self.rps < 1.1 * c => 0.05,
            _ => 1.0,
        };
        self.rps = (self.rps + k / self.rps).min(self.config.max_rps);
    }

    /// A request was throttled (`throttled`) or failed on the server: lower the rate once per
    /// generation and push the next slot out by one new interval. Only a throttle moves the
    /// ceiling: a 5xx says little about the budget. Returns true if the rate was lowered.
    /// The rate it lowers is the one the request was sent at, if lower than today's (in slow
    /// start the rate may have doubled since). Ending slow start, it halves that rate instead, but
    /// not below the starting rate.
    pub fn on_failure(&mut self, ticket: Ticket, now_ms: u64, throttled: bool) -> bool {
        if ticket.generation != self.generation {
            return false;
        }
        self.generation += 1;
        let failed_at = self.rps.min(ticket.rps);
        // Ending slow start, the budget is somewhere between the last two doublings: assume the lower.
        let (lowered, ceiling) = if self.slow_start {
            self.slow_start = false;
            let half = (failed_at / 2.0).max(self.config.initial_rps.min(failed_at));
            (half, half)
        } else {
            (failed_at * self.config.decrease_factor, failed_at)
        };
        self.rps = lowered.clamp(self.config.min_rps, self.config.max_rps);
        if throttled {
            self.ceiling = Some(ceiling);
        }
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

    fn aimd() -> RateLimitConfig {
        RateLimitConfig { slow_start: false, ..Default::default() }
    }

    /// A success of a call sent now that took `latency` ms.
    fn succeed(l: &mut AdaptiveRateLimit, latency: u64) {
        let ticket = Ticket { generation: l.generation, rps: l.rps, sent_ms: 1_000 };
        l.on_success(ticket, 1_000 + latency);
    }

    #[test]
    fn paces_at_the_rate() {
        let mut l = AdaptiveRateLimit::new(RateLimitConfig::default());
        assert!(l.try_acquire(1_000).is_ok());
        assert_eq!(l.try_acquire(1_000), Err(50));
        assert_eq!(l.try_acquire(1_030), Err(20));
        assert!(l.try_acquire(1_052).is_ok(), "2 ms late moves the slot to 1052");
        assert_eq!(l.try_acquire(1_099), Err(3), "never closer than the interval");
        // A caller 20 ms late does not shorten the next gap.
        assert!(l.try_acquire(1_120).is_ok());
        assert_eq!(l.try_acquire(1_150), Err(20));
    }

    #[test]
    fn one_decrease_per_generation_then_creeps_back() {
        let mut l = AdaptiveRateLimit::new(aimd());
        let t1 = l.try_acquire(0).unwrap();
        let t2 = l.try_acquire(100).unwrap();
        assert!(l.on_failure(t1, 0, true));
        assert!(!l.on_failure(t2, 0, true), "a second failure of the same burst must not lower it again");
        assert!((l.rps() - 19.4).abs() < 1e-9);
        // At 97 % of the ceiling it climbs slowly: 100 successes (5 s) add about 0.25 requests/s.
        for _ in 0..100 {
            succeed(&mut l, 100);
        }
        assert!(l.rps() > 19.6 && l.rps() < 19.7, "{}", l.rps());
        // Below 97 % of it (a server error lowered the rate) it climbs fast, +1 request/s per
        // second, back to 97 %.
        let t = l.try_acquire(5_000).unwrap();
        assert!(l.on_failure(t, 5_000, false));
        assert!(l.rps() < 19.1, "{}", l.rps());
        for _ in 0..8 {
            succeed(&mut l, 100);
        }
        assert!(l.rps() >= 19.4 && l.rps() < 19.5, "{}", l.rps());
        let t3 = l.try_acquire(10_000).unwrap();
        assert!(l.on_failure(t3, 10_000, false));
    }

    #[test]
    fn rate_stays_within_bounds() {
        let cfg = RateLimitConfig { min_rps: 1.0, max_rps: 25.0, ..aimd() };
        let mut l = AdaptiveRateLimit::new(cfg);
        for i in 0..100 {
            let t = l.try_acquire(i * 10_000).unwrap();
            l.on_failure(t, i * 10_000, true);
        }
        assert_eq!(l.rps(), 1.0);
        for _ in 0..10_000 {
            succeed(&mut l, 100);
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

    #[test]
    fn slow_start_doubles_per_round_trip_until_the_first_failure() {
        let mut l = AdaptiveRateLimit::new(RateLimitConfig::default());
        assert!(l.in_slow_start());
        // 150 ms round trips: a round of rate × 0.15 successes adds that many calls in flight.
        for _ in 0..3 {
            succeed(&mut l, 150);
        }
        let before = l.rps();
        let round = (before * 0.15).round() as usize;
        for _ in 0..round {
            succeed(&mut l, 150);
        }
        assert!(l.rps() >= 1.8 * before, "{before} -> {}", l.rps());
        // The first throttle ends slow start at half the rate that failed.
        let t = l.try_acquire(50_000).unwrap();
        let failed_at = l.rps();
        for _ in 0..10 {
            succeed(&mut l, 150);
        }
        assert!(l.on_failure(t, 50_100, true));
        assert!(!l.in_slow_start());
        assert!((l.rps() - failed_at / 2.0).abs() < 1e-9, "halves the rate the call was sent at: {}", l.rps());
        // After slow start, successes climb additively again.
        let r = l.rps();
        succeed(&mut l, 150);
        assert!(l.rps() - r < 1.0);
    }

    #[test]
    fn ending_slow_start_never_falls_below_the_starting_rate() {
        let mut l = AdaptiveRateLimit::new(RateLimitConfig::default());
        succeed(&mut l, 1_000);
        let t = l.try_acquire(0).unwrap();
        assert!(l.rps() < 40.0);
        assert!(l.on_failure(t, 10, false));
        assert_eq!(l.rps(), 20.0);
    }

    #[test]
    fn calls_in_flight_follow_rate_times_latency_up_to_the_cap() {
        let mut l = AdaptiveRateLimit::new(aimd());
        assert_eq!(l.in_flight_limit(32), 32, "no latency known yet: the pacing alone");
        succeed(&mut l, 200);
        assert_eq!(l.latency_ms(), Some(200.0));
        // ~20 requests/s × 0.2 s = 4, × 2 + 4.
        assert_eq!(l.in_flight_limit(32), 13);
        assert_eq!(l.in_flight_limit(6), 6);
        for _ in 0..20 {
            succeed(&mut l, 10);
        }
        assert!(l.latency_ms().unwrap() < 20.0);
        assert_eq!(l.in_flight_limit(32), 5);
        // Answers slow down to 2 s: the window opens to the cap, not beyond.
        for _ in 0..30 {
            succeed(&mut l, 2_000);
        }
        assert_eq!(l.in_flight_limit(32), 32);
    }

    #[test]
    fn calls_on_the_wire_wait_for_the_window_not_for_each_other_s_backoff() {
        let mut l = AdaptiveRateLimit::new(aimd());
        succeed(&mut l, 100);
        // ~20 requests/s × 0.1 s × 2 + 4 = 9 on the wire at most.
        let limit = l.in_flight_limit(32);
        assert_eq!(limit, 9);
        let mut t = 10_000;
        for _ in 0..limit {
            while l.try_acquire_within(t, 32).is_err() {
                t += 1;
            }
        }
        let wait = l.try_acquire_within(t + 1_000, 32).unwrap_err();
        assert!((2..=20).contains(&wait), "{wait}");
        l.done();
        assert!(l.try_acquire_within(t + 1_000, 32).is_ok(), "one answer frees one place");
        assert!(l.try_acquire_within(t + 2_000, 2).is_err(), "the cap bounds it too");
    }
}
