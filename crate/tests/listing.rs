//! Listing accounts and roles against the emulator: throttled and faulty portals.

mod common;

use std::cell::Cell;

use common::{count, emulator, session, HostPlatform};
use serde_json::json;
use ssobridge_core::http::{HttpRequest, HttpResponse, Platform, TransportError};
use ssobridge_core::listing::{list_accounts_and_roles, Listing, ListingEvent, ListingOptions, DEFAULT_MAX_IN_FLIGHT};
use ssobridge_core::login::device::{self, DeviceLoginState};
use ssobridge_core::secret::Secret;

async fn login(p: &HostPlatform, emu: &idc_emulator::Emulator) -> Secret {
    let result = device::run(p, DeviceLoginState::new(session(emu, "dev"), None), |_| true).await.unwrap();
    result.token.access_token
}

async fn list(p: &HostPlatform, emu: &idc_emulator::Emulator, token: &Secret) -> (Listing, Vec<ListingEvent>) {
    let mut events = vec![];
    let endpoints = session(emu, "dev").validate().unwrap();
    let listing = list_accounts_and_roles(p, &endpoints, token, &ListingOptions::default(), |e| events.push(e.clone()))
        .await
        .unwrap();
    (listing, events)
}

#[tokio::test]
async fn a_thousand_accounts_under_a_20_rps_throttle_without_a_retry_storm() {
    let emu = emulator(json!({"autoApprove": true, "accounts": 1000, "rolesPerAccount": 3,
                              "throttle": {"listingRps": 20.0}}));
    let p = HostPlatform::new();
    let token = login(&p, &emu).await;
    let started = std::time::Instant::now();
    let (listing, events) = list(&p, &emu, &token).await;
    let elapsed = started.elapsed();

    assert_eq!(listing.accounts.len(), 1000);
    assert!(listing.failed.is_empty(), "{:?}", listing.failed);
    assert!(listing.accounts.iter().all(|a| a.roles.len() == 3));
    // 10 pages, then each account with its roles.
    assert_eq!(events.len(), 1010);
    let listed = events.iter().filter(|e| matches!(e, ListingEvent::AccountListed { roles, .. } if roles.len() == 3));
    assert_eq!(listed.count(), 1000);

    // 10 pages of accounts + 1000 role listings are needed; throttled calls stay bounded.
    let needed = 10 + 1000;
    let made = count(&emu, "ListAccounts") + count(&emu, "ListAccountRoles");
    let throttled = count(&emu, "Throttled");
    assert_eq!(made - throttled, needed, "successful calls");
    assert!(made as f64 <= 1.2 * needed as f64, "retry storm: {made} calls for {needed} ({throttled} throttled)");
    // Reported, not asserted (timing belongs in the benchmark).
    eprintln!(
        "listing 1000 accounts at 20 rps: {:.1} s (bound {:.1} s), {made} calls, {throttled} throttled, final rate {:.1}/s",
        elapsed.as_secs_f64(),
        (needed - 1) as f64 / 20.0,
        listing.stats.final_rps
    );
}

#[tokio::test]
async fn server_errors_are_retried_and_every_account_is_listed() {
    let emu = emulator(json!({"autoApprove": true, "accounts": 150, "rolesPerAccount": 2,
                              "faults": {"serverErrorRate": 0.2, "seed": 7}}));
    let p = HostPlatform::new();
    let token = login(&p, &emu).await;
    let (listing, _) = list(&p, &emu, &token).await;
    assert_eq!(listing.accounts.len() + listing.failed.len(), 150, "no account vanishes");
    assert!(listing.failed.is_empty(), "{:?}", listing.failed);
    assert!(listing.stats.server_errors > 0, "the fault injection did something");
    let made = count(&emu, "ListAccounts") + count(&emu, "ListAccountRoles");
    assert!(made <= 2 * (2 + 150), "bounded retries: {made}");
}

#[tokio::test]
async fn a_revoked_token_fails_the_listing_with_unauthorized() {
    let emu = emulator(json!({"autoApprove": true}));
    let p = HostPlatform::new();
    let _ = login(&p, &emu).await;
    let endpoints = session(&emu, "dev").validate().unwrap();
    let r = list_accounts_and_roles(&p, &endpoints, &Secret::new("bogus"), &ListingOptions::default(), |_| {}).await;
    assert_eq!(r.unwrap_err().code(), "unauthorized");
}

/// The host platform, counting the calls in flight.
struct Counting {
    inner: HostPlatform,
    in_flight: Cell<usize>,
    peak: Cell<usize>,
}

impl Platform for Counting {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.in_flight.set(self.in_flight.get() + 1);
        self.peak.set(self.peak.get().max(self.in_flight.get()));
        let r = self.inner.send(request).await;
        self.in_flight.set(self.in_flight.get() - 1);
        r
    }
    async fn sleep(&self, ms: u64) {
        self.inner.sleep(ms).await
    }
    fn now_ms(&self) -> u64 {
        self.inner.now_ms()
    }
    fn random_bytes(&self, buf: &mut [u8]) {
        self.inner.random_bytes(buf)
    }
}

#[tokio::test]
async fn calls_in_flight_follow_rate_times_latency_up_to_the_cap() {
    let emu = emulator(json!({"autoApprove": true, "accounts": 300, "rolesPerAccount": 2, "latencyMs": 150}));
    let p = Counting { inner: HostPlatform::new(), in_flight: Cell::new(0), peak: Cell::new(0) };
    let token = login(&p.inner, &emu).await;
    let endpoints = session(&emu, "dev").validate().unwrap();
    let mut first_listed_before_last_page = None;
    let listing = list_accounts_and_roles(&p, &endpoints, &token, &ListingOptions::default(), |e| match e {
        ListingEvent::AccountListed { .. } => {
            first_listed_before_last_page.get_or_insert(true);
        }
        ListingEvent::AccountsPage { last: true, .. } => {
            first_listed_before_last_page.get_or_insert(false);
        }
        _ => {}
    })
    .await
    .unwrap();
    assert_eq!(listing.accounts.len(), 300);
    assert!(listing.failed.is_empty());
    assert_eq!(first_listed_before_last_page, Some(true), "roles are listed while the pages load");
    // Slow start opens the window past the old fixed 8; the cap (plus the page) bounds it.
    let peak = p.peak.get();
    assert!(peak > 8 && peak <= DEFAULT_MAX_IN_FLIGHT + 1, "peak {peak}");
    assert!(listing.stats.final_rps > 100.0, "{}", listing.stats.final_rps);

    p.peak.set(0);
    let options = ListingOptions { max_in_flight: 4, ..Default::default() };
    let listing = list_accounts_and_roles(&p, &endpoints, &token, &options, |_| {}).await.unwrap();
    assert_eq!(listing.accounts.len(), 300);
    assert!(p.peak.get() <= 5, "peak {}", p.peak.get());
}

#[tokio::test]
async fn throttling_and_server_errors_together_fail_no_account() {
    let emu = emulator(json!({"autoApprove": true, "accounts": 120, "rolesPerAccount": 2, "latencyMs": 20,
                              "throttle": {"listingRps": 20.0}, "faults": {"serverErrorRate": 0.1, "seed": 3}}));
    let p = HostPlatform::new();
    let token = login(&p, &emu).await;
    let (listing, _) = list(&p, &emu, &token).await;
    assert_eq!(listing.accounts.len(), 120);
    assert!(listing.failed.is_empty(), "{:?}", listing.failed);
    assert!(listing.stats.throttled > 0 && listing.stats.server_errors > 0);
    let made = count(&emu, "ListAccounts") + count(&emu, "ListAccountRoles");
    assert!(made as f64 <= 1.5 * 122.0, "bounded retries: {made}");
}
