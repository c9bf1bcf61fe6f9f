//! The portal listing (`listing::list_accounts_and_roles`) against a portal whose every answer
//! the fuzzer writes: pages, errors, throttling, repeated tokens, duplicates.
//!
//! - It ends (no hang), and on success no account vanishes: every account id the served
//!   ListAccounts pages held is in `accounts` or `failed`, exactly once (issue 9: prune relies
//!   on failed accounts being reported, never dropped).
//! - Progress events agree with the result; no account lists a role twice.
//! - Failure messages never show the access token.
//!
//! Input: answers separated by NUL bytes, each a status choice byte then the body. When the
//! script runs out the portal answers an empty last page.
#![no_main]

use std::cell::RefCell;
use std::collections::HashSet;

use futures_executor::block_on;
use libfuzzer_sys::fuzz_target;
use ssobridge_core::endpoints::Endpoints;
use ssobridge_core::http::HttpResponse;
use ssobridge_core::listing::{list_accounts_and_roles, ListingEvent, ListingOptions};
use ssobridge_core::portal::AccountPage;
use ssobridge_core::secret::Secret;
use ssobridge_fuzz::platform::{response, ScriptedPlatform};

const TOKEN: &str = "portal-access-token-secret";

fuzz_target!(|data: &[u8]| {
    let mut script = data.split(|b| *b == 0).map(|chunk| match chunk.split_first() {
        Some((status, body)) => response(*status, None, &String::from_utf8_lossy(body)),
        None => response(0, None, "{}"),
    });
    // Account ids of every ListAccounts page the listing accepted (2xx and decodable).
    let served_accounts: RefCell<Vec<String>> = RefCell::new(Vec::new());
    let bodies_show_token = RefCell::new(false);
    let platform = ScriptedPlatform::new(|request| {
        let answer = script.next().unwrap_or_else(|| HttpResponse { status: 200, headers: vec![], body: "{}".into() });
        *bodies_show_token.borrow_mut() |= answer.body.contains(TOKEN);
        if request.url.contains("/assignment/accounts") && (200..300).contains(&answer.status) {
            if let Ok(page) = serde_json::from_str::<AccountPage>(&answer.body) {
                served_accounts.borrow_mut().extend(page.account_list.into_iter().map(|a| a.account_id));
            }
        }
        Ok(answer)
    });
    let endpoints =
        Endpoints::custom("https://oidc.us-east-1.amazonaws.com", "https://portal.sso.us-east-1.amazonaws.com")
            .expect("valid endpoints");
    let options = ListingOptions { max_attempts: 3, max_in_flight: 4, ..ListingOptions::default() };
    let mut events = Vec::new();
    let result = block_on(list_accounts_and_roles(&platform, &endpoints, &Secret::new(TOKEN), &options, |e| {
        events.push(e.clone())
    }));
    let Ok(listing) = result else { return };

    let mut expected: Vec<String> = Vec::new();
    for id in served_accounts.borrow().iter() {
        if !expected.contains(id) {
            expected.push(id.clone());
        }
    }
    let mut reported: Vec<&str> = listing.accounts.iter().map(|a| a.account.account_id.as_str()).collect();
    reported.extend(listing.failed.iter().map(|f| f.account.account_id.as_str()));
    assert_eq!(reported.len(), expected.len(), "accounts vanished or were listed twice");
    let reported_set: HashSet<&str> = reported.iter().copied().collect();
    assert_eq!(reported_set.len(), reported.len(), "an account is reported twice");
    assert!(expected.iter().all(|id| reported_set.contains(id.as_str())), "an account vanished");

    let announced: usize = events
        .iter()
        .map(|e| match e {
            ListingEvent::AccountsPage { accounts, .. } => accounts.len(),
            _ => 0,
        })
        .sum();
    assert_eq!(announced, expected.len(), "each account announced once, on its page");
    let done = events
        .iter()
        .filter(|e| matches!(e, ListingEvent::AccountListed { .. } | ListingEvent::AccountFailed { .. }))
        .count();
    assert_eq!(done, expected.len(), "one progress event per account");
    for a in &listing.accounts {
        let unique: HashSet<&String> = a.roles.iter().collect();
        assert_eq!(unique.len(), a.roles.len(), "a role is listed twice");
    }
    if !*bodies_show_token.borrow() {
        for f in &listing.failed {
            assert!(!f.message.contains(TOKEN), "a failure message shows the access token");
        }
    }
});
