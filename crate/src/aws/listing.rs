//! Lists every account and every role of each, concurrently, under the adaptive rate limit, and
//! streams what it learns: each ListAccounts page as it arrives, each account as its roles are in.
//!
//! Pipelined: the roles of a page's accounts are listed while the next page loads. The calls in
//! flight follow the rate times the observed latency (see [`AdaptiveRateLimit::in_flight_limit`]),
//! up to [`ListingOptions::max_in_flight`], as do the accounts being listed at once.
//!
//! The result is never silently partial: each account ends in `accounts` (with all its roles) or
//! in `failed` (with the error that stopped it, after bounded retries). Failures that concern the
//! whole listing (the token was refused, ListAccounts itself failed) end the listing with an error.

use std::collections::HashSet;

use futures_util::future::Either;
use futures_util::stream::{FuturesUnordered, StreamExt};
use serde::{Deserialize, Serialize};

use crate::endpoints::Endpoints;
use crate::error::Error;
use crate::http::Platform;
use crate::portal::{self, Account, AccountPage};
#[cfg(doc)]
use crate::ratelimit::AdaptiveRateLimit;
use crate::ratelimit::RateLimitConfig;
use crate::secret::Secret;

mod calls;
#[cfg(test)]
mod tests;

use calls::Ctx;

/// A portal that keeps returning `nextToken` beyond this many pages is treated as broken.
const MAX_PAGES: usize = 10_000;

/// Calls in flight at most. A browser opens 6 connections to one HTTP/1.1 origin (measured in
/// Chromium and Firefox against the emulator) and queues the rest, which costs nothing but the
/// wait; over HTTP/2, as natively, more calls really overlap, and 32 × the ~20 requests/s budget
/// covers round trips up to 1.6 s. Past the cap, more calls only add queueing.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 32;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ListingOptions {
    pub rate_limit: RateLimitConfig,
    /// The most calls in flight at once (the rate and latency usually call for fewer).
    pub max_in_flight: usize,
    /// Attempts per call (first try included) before an account is given up as failed.
    pub max_attempts: u32,
    pub page_size: u32,
}

impl Default for ListingOptions {
    fn default() -> Self {
        ListingOptions {
            rate_limit: RateLimitConfig::default(),
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            max_attempts: 8,
            page_size: portal::MAX_PAGE_SIZE,
        }
    }
}

/// Progress, in the order things happen: a consumer can show every account from its page on
/// and fill in its roles as they come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ListingEvent {
    /// A ListAccounts page arrived: its accounts not seen on an earlier page, in order. `last`:
    /// no page follows, so the accounts seen so far are all of them.
    #[serde(rename_all = "camelCase")]
    AccountsPage { accounts: Vec<Account>, last: bool },
    /// One account's roles, all of them.
    #[serde(rename_all = "camelCase")]
    AccountListed { account_id: String, roles: Vec<String> },
    /// One account whose roles could not be listed, and why.
    #[serde(rename_all = "camelCase")]
    AccountFailed { account_id: String, code: String, message: String },
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
    /// The moving average of a call's round trip at the end (0 if none succeeded).
    pub latency_ms: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct Listing {
    /// In ListAccounts order.
    pub accounts: Vec<AccountRoles>,
    pub failed: Vec<FailedAccount>,
    pub stats: ListingStats,
    /// Always true here: the portal was just asked. A plan prunes only from a fresh listing
    /// (a remembered one lacks this).
    pub fresh: bool,
}

/// A finished call: a ListAccounts page, or account number `i`'s roles.
enum Done {
    Page(Result<AccountPage, Error>),
    Roles(usize, Result<Vec<String>, Error>),
}

/// Lists all accounts and their roles. `on_event` sees each page of accounts, then (interleaved
/// with later pages) each account as it finishes.
pub async fn list_accounts_and_roles<P: Platform>(
    platform: &P,
    endpoints: &Endpoints,
    access_token: &Secret,
    options: &ListingOptions,
    mut on_event: impl FnMut(&ListingEvent),
) -> Result<Listing, Error> {
    let ctx = Ctx::new(platform, endpoints, access_token, options);
    let ctx = &ctx;
    // Two kinds of calls in one set, unboxed (issue 16's size ceiling: no vtables per kind).
    let page_call =
        |next: Option<String>| Either::Left(async move { Done::Page(calls::accounts_page(ctx, next).await) });
    let roles_call = |i: usize, id: String| Either::Right(async move { Done::Roles(i, calls::roles(ctx, &id).await) });

    let mut accounts: Vec<Account> = Vec::new();
    let mut results: Vec<Option<Result<Vec<String>, Error>>> = Vec::new();
    let mut seen = HashSet::new();
    // Accounts from this index on wait for their roles to be listed (in ListAccounts order).
    let mut next_waiting = 0;
    let mut calls = FuturesUnordered::new();
    let mut roles_in_flight = 0;
    let (mut pages, mut last_token) = (1, None::<String>);
    calls.push(page_call(None));
    loop {
        // Up to the cap of accounts at once; their calls wait for the window on the wire, so an
        // account in a backoff never holds a place there.
        while roles_in_flight < options.max_in_flight.max(1) && next_waiting < accounts.len() {
            calls.push(roles_call(next_waiting, accounts[next_waiting].account_id.clone()));
            next_waiting += 1;
            roles_in_flight += 1;
        }
        let Some(done) = calls.next().await else { break };
        match done {
            Done::Page(result) => {
                let page = result?;
                let new: Vec<Account> =
                    page.account_list.into_iter().filter(|a| seen.insert(a.account_id.clone())).collect();
                results.extend(new.iter().map(|_| None));
                accounts.extend(new.iter().cloned());
                let next = page.next_token.filter(|t| !t.is_empty());
                if next.is_some() && next == last_token {
                    return Err(Error::InvalidResponse("ListAccounts returned the same nextToken twice".into()));
                }
                if next.is_some() && pages >= MAX_PAGES {
                    return Err(Error::InvalidResponse(format!("ListAccounts did not end after {MAX_PAGES} pages")));
                }
                on_event(&ListingEvent::AccountsPage { accounts: new, last: next.is_none() });
                if let Some(t) = next {
                    pages += 1;
                    last_token = Some(t.clone());
                    calls.push(page_call(Some(t)));
                }
            }
            Done::Roles(i, result) => {
                roles_in_flight -= 1;
                let account_id = accounts[i].account_id.clone();
                match &result {
                    // A refused token fails every account the same way: say so once, for the listing.
                    Err(e @ Error::Unauthorized(_)) => return Err(e.clone()),
                    Ok(roles) => on_event(&ListingEvent::AccountListed { account_id, roles: roles.clone() }),
                    Err(e) => on_event(&ListingEvent::AccountFailed {
                        account_id,
                        code: e.code().to_string(),
                        message: e.to_string(),
                    }),
                }
                results[i] = Some(result);
            }
        }
    }

    let mut listing = Listing { accounts: Vec::new(), failed: Vec::new(), stats: ctx.stats(), fresh: true };
    for (account, slot) in accounts.into_iter().zip(results) {
        match slot {
            Some(Ok(roles)) => listing.accounts.push(AccountRoles { account, roles }),
            Some(Err(e)) => {
                listing.failed.push(FailedAccount { account, code: e.code().to_string(), message: e.to_string() })
            }
            // Unreachable by construction (every call was driven to completion above), but an
            // account must never vanish: report it rather than drop it.
            None => listing.failed.push(FailedAccount {
                account,
                code: "internal".into(),
                message: "the account was not listed".into(),
            }),
        }
    }
    Ok(listing)
}
