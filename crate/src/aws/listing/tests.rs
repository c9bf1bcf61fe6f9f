//! The listing against a fake portal: pages, pipelining, retries, failures, events.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::json;

use super::*;
use crate::fake_platform::{aws_error, block_on, ok, FakePlatform};
use crate::http::{query_pairs, HttpRequest, HttpResponse};

/// A fake portal with `n` accounts (ids 000000000000 + i) and 3 roles each, served in pages.
/// `fault(call_number, request)` may replace the answer.
fn portal(
    n: usize,
    mut fault: impl FnMut(u64, &HttpRequest) -> Option<HttpResponse> + 'static,
) -> (FakePlatform, Rc<RefCell<HashMap<String, u64>>>) {
    let per_account = Rc::new(RefCell::new(HashMap::new()));
    let counts = per_account.clone();
    let mut calls = 0u64;
    let p = FakePlatform::with_handler(move |req| {
        calls += 1;
        assert_eq!(req.header("x-amz-sso_bearer_token"), Some("tok"));
        let q: HashMap<String, String> = query_pairs(&req.url).into_iter().collect();
        if let Some(a) = q.get("account_id") {
            *counts.borrow_mut().entry(a.clone()).or_insert(0) += 1;
        }
        if let Some(r) = fault(calls, req) {
            return Ok(r);
        }
        if req.url.contains("/assignment/accounts") {
            let start: usize = q.get("next_token").map(|t| t.parse().unwrap()).unwrap_or(0);
            let size: usize = q["max_result"].parse().unwrap();
            let end = (start + size).min(n);
            let list: Vec<_> = (start..end)
                .map(|i| json!({"accountId": format!("{:012}", i), "accountName": format!("acct {i}"), "emailAddress": "x@y"}))
                .collect();
            let mut body = json!({"accountList": list});
            if end < n {
                body["nextToken"] = json!(end.to_string());
            }
            Ok(ok(body))
        } else {
            let a = &q["account_id"];
            // Two pages of roles: 2 then 1.
            if !q.contains_key("next_token") {
                Ok(ok(
                    json!({"roleList": [{"roleName": "Admin", "accountId": a}, {"roleName": "ReadOnly", "accountId": a}], "nextToken": "p2"}),
                ))
            } else {
                Ok(ok(json!({"roleList": [{"roleName": "Billing", "accountId": a}]})))
            }
        }
    });
    (p, per_account)
}

/// The accounts of the fake portal with these indices, as ListAccounts returns them.
fn page_of(range: std::ops::Range<usize>) -> Vec<Account> {
    range
        .map(|i| Account {
            account_id: format!("{:012}", i),
            account_name: Some(format!("acct {i}")),
            email_address: Some("x@y".into()),
        })
        .collect()
}

fn endpoints() -> Endpoints {
    Endpoints::for_region("us-east-1").unwrap()
}

fn run(p: &FakePlatform, options: &ListingOptions) -> (Result<Listing, Error>, Vec<ListingEvent>) {
    let mut events = vec![];
    let r =
        block_on(list_accounts_and_roles(p, &endpoints(), &Secret::new("tok"), options, |e| events.push(e.clone())));
    (r, events)
}

#[test]
fn lists_every_account_across_pages_with_progress() {
    let (p, _) = portal(250, |_, _| None);
    let (r, events) = run(&p, &ListingOptions::default());
    let listing = r.unwrap();
    assert_eq!(listing.accounts.len(), 250);
    assert!(listing.failed.is_empty());
    assert!(listing.accounts.iter().all(|a| a.roles == ["Admin", "ReadOnly", "Billing"]));
    assert_eq!(listing.accounts[7].account.account_id, "000000000007");
    let pages: Vec<(usize, bool)> = events
        .iter()
        .filter_map(|e| match e {
            ListingEvent::AccountsPage { accounts, last } => Some((accounts.len(), *last)),
            _ => None,
        })
        .collect();
    assert_eq!(pages, [(100, false), (100, false), (50, true)]);
    assert_eq!(events[0], ListingEvent::AccountsPage { accounts: page_of(0..100), last: false });
    let listed: Vec<&ListingEvent> =
        events.iter().filter(|e| matches!(e, ListingEvent::AccountListed { .. })).collect();
    assert_eq!(listed.len(), 250);
    assert!(listed
        .iter()
        .all(|e| matches!(e, ListingEvent::AccountListed { roles, .. } if roles == &["Admin", "ReadOnly", "Billing"])));
    assert_eq!(events.len(), 253);
    // 3 ListAccounts pages + 2 role pages per account, nothing more.
    assert_eq!(listing.stats.requests, 3 + 500);
    assert_eq!(p.requests.borrow().len(), 503);
}

#[test]
fn throttling_and_5xx_are_retried_and_all_accounts_listed() {
    // Every 4th call is throttled and every 7th a 500: each call needs few retries.
    let (p, per_account) = portal(120, |n, _| {
        if n % 4 == 0 {
            Some(aws_error(429, "TooManyRequestsException", json!({"message": "Rate exceeded"})))
        } else if n % 7 == 0 {
            Some(HttpResponse { status: 502, headers: vec![], body: "bad gateway".into() })
        } else {
            None
        }
    });
    let (r, _) = run(&p, &ListingOptions::default());
    let listing = r.unwrap();
    assert_eq!(listing.accounts.len(), 120);
    assert!(listing.failed.is_empty(), "{:?}", listing.failed);
    assert!(listing.stats.throttled > 0 && listing.stats.server_errors > 0);
    assert!(listing.stats.final_rps < 20.0);
    // Retries are bounded per call: 2 role pages per account, at most 8 attempts each.
    assert!(per_account.borrow().values().all(|c| *c <= 16));
    // Some backoff happened.
    assert!(p.sleeps.borrow().iter().any(|s| *s >= 100));
}

#[test]
fn an_account_that_keeps_failing_is_named_with_its_reason() {
    let (p, per_account) = portal(10, |_, req| {
        if req.url.contains("account_id=000000000003") {
            Some(aws_error(429, "TooManyRequestsException", json!({"message": "Rate exceeded"})))
        } else if req.url.contains("account_id=000000000005") {
            Some(aws_error(404, "ResourceNotFoundException", json!({"message": "gone"})))
        } else {
            None
        }
    });
    let options = ListingOptions { max_attempts: 4, ..Default::default() };
    let (r, events) = run(&p, &options);
    let listing = r.unwrap();
    assert_eq!(listing.accounts.len(), 8);
    let failed: Vec<(&str, &str)> =
        listing.failed.iter().map(|f| (f.account.account_id.as_str(), f.code.as_str())).collect();
    assert_eq!(failed, [("000000000003", "throttled"), ("000000000005", "service_error")]);
    assert_eq!(per_account.borrow()["000000000003"], 4, "bounded retries");
    assert_eq!(per_account.borrow()["000000000005"], 1, "no retry on a permanent error");
    assert!(events.iter().any(|e| matches!(e,
        ListingEvent::AccountFailed { account_id, code, message }
            if account_id == "000000000003" && code == "throttled" && !message.is_empty())));
    assert_eq!(events.len(), 1 + 10);
}

#[test]
fn a_refused_token_fails_the_whole_listing() {
    let (p, _) = portal(30, |n, _| {
        (n > 5)
            .then(|| aws_error(401, "UnauthorizedException", json!({"message": "Session token not found or invalid"})))
    });
    let (r, _) = run(&p, &ListingOptions::default());
    assert_eq!(r.unwrap_err().code(), "unauthorized");
    let (p, _) = portal(30, |n, _| (n == 1).then(|| aws_error(401, "UnauthorizedException", json!({}))));
    let (r, events) = run(&p, &ListingOptions::default());
    assert_eq!(r.unwrap_err().code(), "unauthorized");
    assert!(events.is_empty());
}

#[test]
fn a_failing_list_accounts_fails_the_listing_after_bounded_retries() {
    let (p, _) = portal(30, |_, _| Some(HttpResponse { status: 503, headers: vec![], body: String::new() }));
    let (r, _) = run(&p, &ListingOptions { max_attempts: 3, ..Default::default() });
    assert_eq!(r.unwrap_err().code(), "server_error");
    assert_eq!(p.requests.borrow().len(), 3);
}

#[test]
fn a_looping_next_token_is_an_error_not_a_hang() {
    let p = FakePlatform::with_handler(|_| Ok(ok(json!({"accountList": [], "nextToken": "same"}))));
    let (r, _) = run(&p, &ListingOptions::default());
    assert_eq!(r.unwrap_err().code(), "invalid_response");
}

#[test]
fn roles_of_a_page_are_listed_while_the_next_page_loads() {
    let (p, _) = portal(400, |_, _| None);
    let (r, events) = run(&p, &ListingOptions::default());
    r.unwrap();
    // Before pipelining every page came before any account's roles.
    let last_page = events.iter().position(|e| matches!(e, ListingEvent::AccountsPage { last: true, .. })).unwrap();
    let first_listed = events.iter().position(|e| matches!(e, ListingEvent::AccountListed { .. })).unwrap();
    assert!(first_listed < last_page, "listed at {first_listed}, last page at {last_page}");
    // And page 2 is asked for before the roles of page 1 are all in.
    let urls = p.urls();
    let second_page = urls.iter().position(|u| u.contains("next_token=100")).unwrap();
    let last_of_page_1 = urls.iter().rposition(|u| u.contains("account_id=000000000099")).unwrap();
    assert!(second_page < last_of_page_1);
}

#[test]
fn an_account_on_two_pages_is_announced_and_listed_once() {
    // Page 2 repeats the last account of page 1.
    let p = FakePlatform::with_handler(|req| {
        let acct = |i: usize| json!({"accountId": format!("{:012}", i), "accountName": format!("a{i}")});
        if req.url.contains("/assignment/accounts") && !req.url.contains("next_token") {
            Ok(ok(json!({"accountList": [acct(0), acct(1)], "nextToken": "2"})))
        } else if req.url.contains("/assignment/accounts") {
            Ok(ok(json!({"accountList": [acct(1), acct(2)]})))
        } else {
            Ok(ok(json!({"roleList": [{"roleName": "Admin"}]})))
        }
    });
    let (r, events) = run(&p, &ListingOptions::default());
    assert_eq!(r.unwrap().accounts.len(), 3);
    let announced: usize = events
        .iter()
        .map(|e| match e {
            ListingEvent::AccountsPage { accounts, .. } => accounts.len(),
            _ => 0,
        })
        .sum();
    assert_eq!(announced, 3);
    assert_eq!(p.urls().iter().filter(|u| u.contains("account_id=000000000001")).count(), 1);
}

/// The fake portal behind a round trip of `latency_ms` on the fake clock and, if `rps` is set, a
/// token bucket (burst 1) on that clock answering 429. (The fake clock jumps to a sleeper's wake-up
/// time at once, so this shows rates and latencies, not overlap: the emulator tests show that.)
struct Wire {
    inner: FakePlatform,
    latency_ms: u64,
    rps: Option<f64>,
    tokens: std::cell::Cell<(f64, u64)>,
}

impl Wire {
    fn new(inner: FakePlatform, latency_ms: u64, rps: Option<f64>) -> Wire {
        let now = inner.now_ms();
        Wire { inner, latency_ms, rps, tokens: (1.0, now).into() }
    }

    fn admit(&self) -> bool {
        let Some(rps) = self.rps else { return true };
        let (tokens, last) = self.tokens.get();
        let now = self.now_ms();
        let tokens = (tokens + (now - last) as f64 * rps / 1000.0).min(1.0);
        let admitted = tokens >= 1.0;
        self.tokens.set((if admitted { tokens - 1.0 } else { tokens }, now));
        admitted
    }
}

impl Platform for Wire {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, crate::http::TransportError> {
        self.inner.sleep(self.latency_ms).await;
        let response = if self.admit() {
            self.inner.send(request).await
        } else {
            Ok(aws_error(429, "TooManyRequestsException", json!({"message": "Rate exceeded"})))
        };
        response
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

fn run_on(wire: &Wire, options: &ListingOptions) -> (Listing, Vec<ListingEvent>, u64) {
    let mut events = vec![];
    let start = wire.now_ms();
    let listing =
        block_on(list_accounts_and_roles(wire, &endpoints(), &Secret::new("tok"), options, |e| events.push(e.clone())))
            .unwrap();
    (listing, events, wire.now_ms() - start)
}

#[test]
fn slow_start_takes_an_unthrottled_portal_past_the_starting_rate() {
    let (p, _) = portal(300, |_, _| None);
    let wire = Wire::new(p, 150, None);
    let (listing, _, _) = run_on(&wire, &ListingOptions::default());
    assert!(listing.failed.is_empty());
    assert!(listing.stats.final_rps > 100.0, "{}", listing.stats.final_rps);
    assert_eq!(listing.stats.latency_ms, 150.0);
}

#[test]
fn under_a_20_rps_throttle_slow_start_ends_and_no_account_fails() {
    let (p, _) = portal(300, |_, _| None);
    let wire = Wire::new(p, 30, Some(20.0));
    let (listing, _, _) = run_on(&wire, &ListingOptions::default());
    assert_eq!(listing.accounts.len(), 300);
    assert!(listing.failed.is_empty(), "{:?}", listing.failed);
    let needed = 3 + 600;
    assert!(listing.stats.throttled > 0, "the throttle was reached");
    assert!(
        (listing.stats.requests as f64) <= 1.2 * needed as f64,
        "retry storm: {} requests, {} throttled",
        listing.stats.requests,
        listing.stats.throttled
    );
    assert!(listing.stats.final_rps < 25.0, "{}", listing.stats.final_rps);
}
