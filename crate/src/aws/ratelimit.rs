//! An adaptive client-side rate limit for the portal API: slow start, then AIMD on the request rate.
//!
//! The portal answers 429 `TooManyRequestsException` beyond a budget of roughly 20 requests per
//! second (third-party reports; the quota page does not show the figure). Requests are paced to
//! start at least `1/rate` apart, to the fraction of a millisecond. Until the first throttle or
//! server error the rate grows multiplicatively (slow start, as TCP's: one more call in flight per
//! success, so the rate doubles every round trip), because a portal that does not throttle should
//! not be listed at 20 calls/s when latency, not the budget, is what limits. The first failure
//! ends slow start: the rate falls back to half the rate that failed, but not below 95 % of the
//! starting rate (known to be near the budget), and no ceiling is known yet.
//!
//! After that, a throttled or failed (5xx) request lowers the rate: by 10 % when it is among the
//! first 10 calls sent since the last decrease (the rate is well above the budget: a few steps
//! get below it), by 1 % when isolated (near a rate it held for a while, a throttle is mostly a
//! call that arrived a hair early: its connection's set-up, a timer's lateness). Counted in
//! calls, not time: at 20 calls/s and 150 ms round trips, two such strays came 1.2 s apart and a
//! 2 s rule took them for a budget 20 % lower, held for the rest of the listing.
//!
//! A throttle records the rate it happened at (the ceiling). Below 97 % of it the rate climbs
//! fast (about +1 request/s per second); then it holds at 99.5 % of it, and only after 20 s without
//! a throttle climbs on slowly (+0.05/s per second), since the budget may have grown. Every
//! throttle costs a call's slot and more (against a strict bucket, ~70 ms at 20 calls/s): a
//! sawtooth that found the ceiling by hitting it every ~10 s (a 3 % decrease, +0.05/s) spent ~4 %
//! of the listing on it. Well above an old ceiling the climb is fast again, because the budget
//! evidently grew. Only the first failure of a burst lowers the rate: requests already in flight
//! were paced at the old rate, and counting their failures too would collapse the rate for one
//! overload.

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
    /// Multiplier applied to the rate on a throttle or a server error of a call among the
    /// [`REPEAT_WITHIN_CALLS`] sent since the last decrease (an isolated one lowers it by
    /// [`ISOLATED_DECREASE`]).
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
            decrease_factor: 0.9,
            backoff_base_ms: 200,
            backoff_max_ms: 10_000,
        }
    }
}

/// A failure of one of the calls sent this soon after the last decrease lowers the rate by the
/// full `decrease_factor`.
pub const REPEAT_WITHIN_CALLS: u64 = 10;
/// What an isolated failure multiplies the rate by.
pub const ISOLATED_DECREASE: f64 = 0.99;
/// Ending slow start, the rate falls to half the rate that failed, but not below this fraction of
/// the starting rate (which is near the budget: just under it, so that the calls right after
/// are not refused too).
const SLOW_START_FLOOR: f64 = 0.95;
/// The rate stops climbing at this fraction of the last throttle's rate...
const HOLD_BELOW: f64 = 0.995;
/// ...for this long after that throttle, then creeps past it.
const PROBE_AFTER_MS: u64 = 20_000;

/// Weight of the newest sample in the moving average of the latency.
const LATENCY_WEIGHT: f64 = 0.2;

/// Which pacing generation a request was sent in, at which rate and when; see
/// [`AdaptiveRateLimit::on_failure`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ticket {
    generation: u64,
    /// The how-manieth call let through.
    seq: u64,
    rps: f64,
    sent_ms: u64,
}

#[derive(Debug, Clone)]
pub struct AdaptiveRateLimit {
    config: RateLimitConfig,
    rps: f64,
    /// The rate of the last throttle, if any.
    ceiling: Option<f64>,
    /// Calls let through so far.
    sent: u64,
    /// [`Self::sent`] when the last throttle or server error lowered the rate.
    sent_at_decrease: Option<u64>,
    /// When the last throttle was, epoch ms.
    last_throttle_ms: Option<u64>,
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
            sent: 0,
            sent_at_decrease: None,
            last_throttle_ms: None,
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
    pub fn try_acquire_within(&mut self, now_ms: f64, cap: usize) -> Result<Ticket, f64> {
        if self.on_wire >= self.in_flight_limit(cap) {
            // Some call ends within a round trip: look again a few times per round trip.
            return Err(self.latency_ms.map_or(5.0, |l| l / 10.0).clamp(2.0, 20.0).floor());
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
    /// wait before asking again (to the fraction: [`crate::http::Platform::sleep_precise`]).
    ///
    /// Spacing is measured from the last request let through, not from a schedule made far in
    /// advance: a request that starts very late must not let the next two start closer together
    /// than the interval, because a strict token bucket refuses exactly those. Not even a timer's
    /// lateness of a ms or two is forgiven (keeping the slot on its grid): measured against the
    /// emulator's strict bucket, forgiving 1 or 3 ms let two calls arrive a little closer than the
    /// interval and gained nothing. The rate the requests actually leave at is then a few percent
    /// below `rps` (timers wake ~1.6 ms late on average); the climb makes up for it, since
    /// throttles, not this number, set where it stops.
    pub fn try_acquire(&mut self, now_ms: f64) -> Result<Ticket, f64> {
        let interval = 1000.0 / self.rps;
        if let Some(last) = self.last_start_ms {
            if now_ms < last + interval {
                return Err(last + interval - now_ms);
            }
        }
        self.last_start_ms = Some(now_ms);
        self.sent += 1;
        Ok(Ticket { generation: self.generation, seq: self.sent, rps: self.rps, sent_ms: now_ms as u64 })
    }

    /// A request succeeded at `now_ms`. In slow start: one more call in flight (+1/latency on the
    /// rate). After it: climb back, fast far below the last ceiling, hold just under it, and after
    /// a quiet while creep past it (+k/rate per success is +k requests/s per second of successes).
    pub fn on_success(&mut self, ticket: Ticket, now_ms: u64) {
        let sample = now_ms.saturating_sub(ticket.sent_ms).max(1) as f64;
        let latency = self.latency_ms.map_or(sample, |l| l + LATENCY_WEIGHT * (sample - l));
        self.latency_ms = Some(latency);
        if self.slow_start {
            self.rps = (self.rps + 1000.0 / latency).min(self.config.max_rps);
            return;
        }
        let probing = self.last_throttle_ms.is_none_or(|t| now_ms.saturating_sub(t) >= PROBE_AFTER_MS);
        let hold = self.ceiling.filter(|_| !probing).map_or(f64::INFINITY, |c| HOLD_BELOW * c);
        if self.rps >= hold {
            return;
        }
        let k = match self.ceiling {
            Some(c) if self.rps >= 0.97 * c && self.rps < 1.1 * c => 0.05,
            _ => 1.0,
        };
        self.rps = (self.rps + k / self.rps).min(hold).min(self.config.max_rps);
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
        let ending_slow_start = self.slow_start;
        let lowered = if ending_slow_start {
            self.slow_start = false;
            // No ceiling yet: the rate that failed was a doubling too far, and the half is only
            // a guess. The climb finds the ceiling with the next throttle.
            (failed_at / 2.0).max(SLOW_START_FLOOR * self.config.initial_rps.min(failed_at))
        } else if self.sent_at_decrease.is_some_and(|d| ticket.seq <= d + REPEAT_WITHIN_CALLS) {
            failed_at * self.config.decrease_factor
        } else {
            failed_at * ISOLATED_DECREASE
        };
        self.rps = lowered.clamp(self.config.min_rps, self.config.max_rps);
        self.sent_at_decrease = Some(self.sent);
        if throttled && !ending_slow_start {
            self.ceiling = Some(failed_at);
            self.last_throttle_ms = Some(now_ms);
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
        let ticket = Ticket { generation: l.generation, seq: l.sent, rps: l.rps, sent_ms: 1_000 };
        l.on_success(ticket, 1_000 + latency);
    }

    /// How long `try_acquire` says to wait at `now` (0: it let the call through).
    fn wait(l: &mut AdaptiveRateLimit, now: f64) -> f64 {
        l.try_acquire(now).err().unwrap_or(0.0)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn paces_at_the_rate() {
        let mut l = AdaptiveRateLimit::new(RateLimitConfig::default());
        assert_eq!(wait(&mut l, 1_000.0), 0.0);
        assert_eq!(wait(&mut l, 1_000.0), 50.0);
        assert_eq!(wait(&mut l, 1_030.0), 20.0);
        assert_eq!(wait(&mut l, 1_052.0), 0.0, "2 ms late moves the slot to 1052");
        assert_eq!(wait(&mut l, 1_099.0), 3.0, "never closer than the interval");
        // A caller 20 ms late does not shorten the next gap.
        assert_eq!(wait(&mut l, 1_120.0), 0.0);
        assert_eq!(wait(&mut l, 1_150.0), 20.0);
    }

    #[test]
    fn spacing_is_exact_below_a_millisecond() {
        let mut l = AdaptiveRateLimit::new(RateLimitConfig::default());
        assert_eq!(wait(&mut l, 1_000.4), 0.0);
        assert!(close(wait(&mut l, 1_050.2), 0.2), "0.2 ms short of the interval: wait that, not a whole ms");
        assert_eq!(wait(&mut l, 1_050.4), 0.0, "exactly one interval after the last call");
        assert!(close(wait(&mut l, 1_100.0), 0.4), "counted from 1050.4, not from a whole ms");
        assert_eq!(wait(&mut l, 1_100.5), 0.0);
    }

    #[test]
    fn one_decrease_per_generation_then_holds_under_the_ceiling() {
        let mut l = AdaptiveRateLimit::new(aimd());
        let t1 = l.try_acquire(0.0).unwrap();
        let t2 = l.try_acquire(100.0).unwrap();
        assert!(l.on_failure(t1, 100, true));
        assert!(!l.on_failure(t2, 100, true), "a second failure of the same burst must not lower it again");
        assert!(close(l.rps(), 19.8), "an isolated throttle: 1 % lower, {}", l.rps());
        // It climbs back to 99.5 % of the rate that was throttled and stays there while no
        // throttle comes for 20 s.
        for _ in 0..100 {
            succeed(&mut l, 100);
        }
        assert!(close(l.rps(), 19.9), "holds at 99.5 % of 20: {}", l.rps());
        // 20 s after the throttle it creeps past, +0.05 requests/s per second of successes.
        for i in 0..100 {
            let t = l.try_acquire(20_100.0 + 51.0 * i as f64).unwrap();
            l.on_success(t, 20_200 + 51 * i);
        }
        assert!(l.rps() > 20.1 && l.rps() < 20.2, "{}", l.rps());
    }

    #[test]
    fn throttles_in_a_row_bring_the_rate_down_fast() {
        let mut l = AdaptiveRateLimit::new(aimd());
        l.rps = 30.0;
        // The first call after each decrease is throttled again: 10 % each time after the
        // first (1 %).
        for i in 0..4 {
            let t = l.try_acquire(1_000.0 + 500.0 * i as f64).unwrap();
            assert!(l.on_failure(t, 1_000 + 500 * i, true));
        }
        assert!(close(l.rps(), 30.0 * 0.99 * 0.9 * 0.9 * 0.9), "{}", l.rps());
        // The 10th call after the last decrease still counts; the 11th is isolated again.
        let before = l.rps();
        let mut now = 5_000.0;
        let mut next = || {
            now += 100.0;
            l.try_acquire(now).unwrap()
        };
        let tickets: Vec<Ticket> = (0..11).map(|_| next()).collect();
        assert!(l.on_failure(tickets[10], 6_200, true));
        assert!(close(l.rps(), before * 0.99), "{}", l.rps());
        let mut l2 = AdaptiveRateLimit::new(aimd());
        l2.rps = 30.0;
        let t = l2.try_acquire(0.0).unwrap();
        assert!(l2.on_failure(t, 0, true));
        let tickets: Vec<Ticket> = (1..=10).map(|i| l2.try_acquire(100.0 * i as f64).unwrap()).collect();
        assert!(l2.on_failure(tickets[9], 1_100, true));
        assert!(close(l2.rps(), 30.0 * 0.99 * 0.9), "{}", l2.rps());
    }

    #[test]
    fn below_the_ceiling_it_climbs_fast() {
        let mut l = AdaptiveRateLimit::new(aimd());
        let t = l.try_acquire(0.0).unwrap();
        assert!(l.on_failure(t, 0, true));
        // A server error of the next call: a 10 % step, and no new ceiling (a 5xx says little
        // about the budget).
        let t = l.try_acquire(1_000.0).unwrap();
        assert!(l.on_failure(t, 1_000, false));
        assert!(close(l.rps(), 20.0 * 0.99 * 0.9), "{}", l.rps());
        // +1 request/s per second below 97 % of the ceiling (20): 20 successes, ~1 s at 17.8/s.
        for _ in 0..20 {
            succeed(&mut l, 100);
        }
        assert!(l.rps() > 18.8 && l.rps() < 19.5, "{}", l.rps());
        // Then +0.05/s per second from 97 % of it, and no further than 99.5 %.
        for _ in 0..1_000 {
            succeed(&mut l, 100);
        }
        assert!(close(l.rps(), 19.9), "{}", l.rps());
    }

    #[test]
    fn rate_stays_within_bounds() {
        let cfg = RateLimitConfig { min_rps: 1.0, max_rps: 25.0, ..aimd() };
        let mut l = AdaptiveRateLimit::new(cfg);
        for i in 0..100 {
            let t = l.try_acquire((i * 1_500) as f64).unwrap();
            l.on_failure(t, i * 1_500, true);
        }
        assert_eq!(l.rps(), 1.0);
        // Long after the last throttle (nothing holds it under that ceiling any more).
        for i in 0..10_000 {
            let t = Ticket { generation: l.generation, seq: l.sent, rps: l.rps, sent_ms: 1_000_000 + i };
            l.on_success(t, 1_000_100 + i);
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
        let t = l.try_acquire(50_000.0).unwrap();
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
    fn ending_slow_start_falls_just_under_the_starting_rate_and_finds_the_ceiling_after() {
        let mut l = AdaptiveRateLimit::new(RateLimitConfig::default());
        succeed(&mut l, 1_000);
        let t = l.try_acquire(0.0).unwrap();
        assert!(l.rps() < 40.0);
        assert!(l.on_failure(t, 10, true));
        assert!(close(l.rps(), 19.0), "95 % of the starting rate, not half of 21: {}", l.rps());
        assert_eq!(l.ceiling, None, "the rate slow start failed at is no ceiling");
        // No ceiling: it climbs fast, until a throttle says where the ceiling is.
        for _ in 0..20 {
            succeed(&mut l, 100);
        }
        assert!(l.rps() > 19.9, "{}", l.rps());
        for i in 0..20 {
            l.try_acquire(1_000.0 + 100.0 * i as f64).unwrap();
        }
        let t = l.try_acquire(3_000.0).unwrap();
        let at = l.rps();
        assert!(l.on_failure(t, 3_000, true));
        assert_eq!(l.ceiling, Some(at));
        assert!(close(l.rps(), 0.99 * at), "{}", l.rps());
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
        let mut t = 10_000.0;
        for _ in 0..limit {
            while l.try_acquire_within(t, 32).is_err() {
                t += 1.0;
            }
        }
        let wait = l.try_acquire_within(t + 1_000.0, 32).unwrap_err();
        assert!((2.0..=20.0).contains(&wait), "{wait}");
        l.done();
        assert!(l.try_acquire_within(t + 1_000.0, 32).is_ok(), "one answer frees one place");
        assert!(l.try_acquire_within(t + 2_000.0, 2).is_err(), "the cap bounds it too");
    }
}
