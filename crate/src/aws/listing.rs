//! Lists every account and every role of each, concurrently, under the adaptive rate limit.
//!
//! The result is never silently partial: each account ends in `accounts` (with all its roles) or
//! in `failed` (with the error that stopped it, after bounded retries). Failures that concern the
//! whole listing (the token was refused, ListAccounts itself failed) end the listing with an error.

use std::cell::{Cell, RefCell};

use futures_util::stream::{self, StreamExt};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::endpoints::Endpoints;
use crate::error::Error;
use crate::http::{random_u64, send_json, HttpRequest, Platform};
use crate::portal::{self, Account, AccountPage, RolePage};
use crate::ratelimit::{AdaptiveRateLimit, RateLimitConfig};
use crate::secret::Secret;

/// A portal that keeps returning `nextToken` beyond this many pages is treated as broken.
const MAX_PAGES: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ListingOptions {
    pub rate_limit: RateLimitConfig,
    /// Accounts whose roles are being listed at the same time.
    pub max_in_flight: usize,
    /// Attempts per call (first try included) before an account is given up as failed.
    pub max_attempts: u32,
    pub page_size: u32,
}

impl Default for ListingOptions {
    fn default() -> Self {
        ListingOptions {
            rate_limit: RateLimitConfig::default(),
            max_in_flight: 8,
            max_attempts: 8,
            page_size: portal::MAX_PAGE_SIZE,
        }
    }
}

/// Progress, in the order things happen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ListingEvent {
    /// ListAccounts finished: this many accounts will be listed.
    #[serde(rename_all = "camelCase")]
    AccountsTotal { total: usize },
    /// One account finished, listed or failed; `done` of `total` are finished now.
    #[serde(rename_all = "camelCase")]
    AccountDone {
        account_id: String,
        done: usize,
        total: usize,
        roles: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
    },
}

/// An account with all its roles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct AccountRoles {
    #[serde(flatten)]
    pub account: Account,
    pub roles: Vec<String>,
}

/// An account whose roles could not be listed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct FailedAccount {
    #[serde(flatten)]
    pub account: Account,
    pub code: String,
    pub message: String,
}

/// What the listing did on the wire: for progress displays and benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct ListingStats {
    pub requests: u64,
    pub throttled: u64,
    pub server_errors: u64,
    pub network_errors: u64,
    pub final_rps: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct Listing {
    /// In ListAccounts order.
    pub accounts: Vec<AccountRoles>,
    pub failed: Vec<FailedAccount>,
    pub stats: ListingStats,
}

struct Ctx<'a, P> {
    platform: &'a P,
    endpoints: &'a Endpoints,
    token: &'a Secret,
    options: &'a ListingOptions,
    limit: RefCell<AdaptiveRateLimit>,
    requests: Cell<u64>,
    throttled: Cell<u64>,
    server_errors: Cell<u64>,
    network_errors: Cell<u64>,
}

/// Lists all accounts and their roles. `on_event` sees the total, then each account as it finishes.
pub async fn list_accounts_and_roles<P: Platform>(
    platform: &P,
    endpoints: &Endpoints,
    access_token: &Secret,
    options: &ListingOptions,
    mut on_event: impl FnMut(&ListingEvent),
) -> Result<Listing, Error> {
    let ctx = Ctx {
        platform,
        endpoints,
        token: access_token,
        options,
        limit: RefCell::new(AdaptiveRateLimit::new(options.rate_limit.clone())),
        requests: Cell::new(0),
        throttled: Cell::new(0),
        server_errors: Cell::new(0),
        network_errors: Cell::new(0),
    };
    let accounts = list_accounts(&ctx).await?;
    let total = accounts.len();
    on_event(&ListingEvent::AccountsTotal { total });

    let mut slots: Vec<Option<Result<Vec<String>, Error>>> = vec![None; total];
    let mut done = 0;
    {
        let mut results = stream::iter(accounts.iter().enumerate())
            .map(|(i, account)| {
                let ctx = &ctx;
                async move { (i, list_roles(ctx, &account.account_id).await) }
            })
            .buffer_unordered(options.max_in_flight.max(1));
        while let Some((i, result)) = results.next().await {
            // A refused token fails every account the same way: say so once, for the listing.
            if let Err(e @ Error::Unauthorized(_)) = &result {
                return Err(e.clone());
            }
            done += 1;
            on_event(&ListingEvent::AccountDone {
                account_id: accounts[i].account_id.clone(),
                done,
                total,
                roles: result.as_ref().map(Vec::len).unwrap_or(0),
                error_code: result.as_ref().err().map(|e| e.code().to_string()),
            });
            slots[i] = Some(result);
        }
    }

    let mut listing = Listing { accounts: Vec::new(), failed: Vec::new(), stats: ListingStats::default() };
    for (account, slot) in accounts.into_iter().zip(slots) {
        match slot {
            Some(Ok(roles)) => listing.accounts.push(AccountRoles { account, roles }),
            Some(Err(e)) => {
                listing.failed.push(FailedAccount { account, code: e.code().to_string(), message: e.to_string() })
            }
            // Unreachable by construction (every future was driven to completion above), but an
            // account must never vanish: report it rather than drop it.
            None => listing.failed.push(FailedAccount {
                account,
                code: "internal".into(),
                message: "the account was not listed".into(),
            }),
        }
    }
    listing.stats = ListingStats {
        requests: ctx.requests.get(),
        throttled: ctx.throttled.get(),
        server_errors: ctx.server_errors.get(),
        network_errors: ctx.network_errors.get(),
        final_rps: ctx.limit.borrow().rps(),
    };
    Ok(listing)
}

async fn list_accounts<P: Platform>(ctx: &Ctx<'_, P>) -> Result<Vec<Account>, Error> {
    let mut accounts = Vec::new();
    let mut next: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let request = portal::list_accounts_request(ctx.endpoints, ctx.token, ctx.options.page_size, next.as_deref());
        let page: AccountPage = call(ctx, request).await?;
        accounts.extend(page.account_list);
        match page.next_token.filter(|t| !t.is_empty()) {
            Some(t) if Some(&t) == next.as_ref() => {
                return Err(Error::InvalidResponse("ListAccounts returned the same nextToken twice".into()))
            }
            Some(t) => next = Some(t),
            None => {
                // The same account on two pages would be listed twice and named twice.
                let mut seen = std::collections::HashSet::new();
                accounts.retain(|a| seen.insert(a.account_id.clone()));
                return Ok(accounts);
            }
        }
    }
    Err(Error::InvalidResponse(format!("ListAccounts did not end after {MAX_PAGES} pages")))
}

async fn list_roles<P: Platform>(ctx: &Ctx<'_, P>, account_id: &str) -> Result<Vec<String>, Error> {
    let mut roles: Vec<String> = Vec::new();
    let mut next: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let request = portal::list_account_roles_request(
            ctx.endpoints,
            ctx.token,
            account_id,
            ctx.options.page_size,
            next.as_deref(),
        );
        let page: RolePage = call(ctx, request).await?;
        for role in page.role_list {
            if !roles.contains(&role.role_name) {
                roles.push(role.role_name);
            }
        }
        match page.next_token.filter(|t| !t.is_empty()) {
            Some(t) if Some(&t) == next.as_ref() => {
                return Err(Error::InvalidResponse("ListAccountRoles returned the same nextToken twice".into()))
            }
            Some(t) => next = Some(t),
            None => return Ok(roles),
        }
    }
    Err(Error::InvalidResponse(format!("ListAccountRoles did not end after {MAX_PAGES} pages")))
}

/// One call under the rate limit, retried with backoff on throttling, 5xx and network errors.
async fn call<P: Platform, T: DeserializeOwned>(ctx: &Ctx<'_, P>, request: HttpRequest) -> Result<T, Error> {
    let attempts = ctx.options.max_attempts.max(1);
    let mut attempt = 0;
    loop {
        let ticket = loop {
            let acquired = ctx.limit.borrow_mut().try_acquire(ctx.platform.now_ms());
            match acquired {
                Ok(ticket) => break ticket,
                Err(wait) => ctx.platform.sleep(wait).await,
            }
        };
        ctx.requests.set(ctx.requests.get() + 1);
        let error = match send_json::<P, T>(ctx.platform, request.clone()).await {
            Ok(value) => {
                ctx.limit.borrow_mut().on_success();
                return Ok(value);
            }
            Err(e) => e,
        };
        let counter = match &error {
            Error::Throttled => &ctx.throttled,
            Error::ServerError { .. } => &ctx.server_errors,
            Error::Network(_) => &ctx.network_errors,
            _ => return Err(error),
        };
        counter.set(counter.get() + 1);
        ctx.limit.borrow_mut().on_failure(ticket, ctx.platform.now_ms(), error == Error::Throttled);
        attempt += 1;
        if attempt >= attempts {
            return Err(error);
        }
        let backoff = ctx.limit.borrow().backoff_ms(attempt - 1, random_u64(ctx.platform));
        ctx.platform.sleep(backoff).await;
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::rc::Rc;

    use serde_json::json;

    use super::*;
    use crate::fake_platform::{aws_error, block_on, ok, FakePlatform};
    use crate::http::{query_pairs, HttpResponse};

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

    fn endpoints() -> Endpoints {
        Endpoints::for_region("us-east-1").unwrap()
    }

    fn run(p: &FakePlatform, options: &ListingOptions) -> (Result<Listing, Error>, Vec<ListingEvent>) {
        let mut events = vec![];
        let r = block_on(list_accounts_and_roles(p, &endpoints(), &Secret::new("tok"), options, |e| {
            events.push(e.clone())
        }));
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
        assert_eq!(events[0], ListingEvent::AccountsTotal { total: 250 });
        assert_eq!(events.len(), 251);
        let dones: Vec<usize> = events[1..]
            .iter()
            .map(|e| match e {
                ListingEvent::AccountDone { done, .. } => *done,
                _ => 0,
            })
            .collect();
        assert_eq!(dones, (1..=250).collect::<Vec<_>>());
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
        assert!(events
            .iter()
            .any(|e| matches!(e, ListingEvent::AccountDone { error_code: Some(c), .. } if c == "throttled")));
        assert_eq!(events.len(), 11);
    }

    #[test]
    fn a_refused_token_fails_the_whole_listing() {
        let (p, _) = portal(30, |n, _| {
            (n > 5).then(|| {
                aws_error(401, "UnauthorizedException", json!({"message": "Session token not found or invalid"}))
            })
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
}
