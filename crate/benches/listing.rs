//! Listing 1,000 accounts × 3 roles against the emulator throttled at 20 requests/s, through the
//! core's listing with the same reqwest Platform the host tests use. Measures, never asserts:
//! `cargo xtask bench` reads the one `BENCH {json}` line and compares it with the budget.
//! Run alone: `cargo bench -p ssobridge-core --bench listing`.

// The tests' Platform and emulator helpers, shared rather than copied.
#[path = "../tests/common/mod.rs"]
mod common;

use common::{count, emulator, session, HostPlatform};
use serde_json::json;
use ssobridge_core::listing::{list_accounts_and_roles, ListingOptions};
use ssobridge_core::login::device::{self, DeviceLoginState};

const ACCOUNTS: u64 = 1000;
const ROLES: u64 = 3;
const RPS: f64 = 20.0;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes `--bench`; `cargo test --all-targets` does not, and stays quick. A
    // filter that does not name us means "not this one".
    if !args.iter().any(|a| a == "--bench")
        || args.iter().any(|a| !a.starts_with('-') && !"listing".contains(a.as_str()))
    {
        return;
    }
    let emu = emulator(json!({"autoApprove": true, "accounts": ACCOUNTS, "rolesPerAccount": ROLES,
                              "throttle": {"listingRps": RPS}}));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    let p = HostPlatform::new();
    let (listing, elapsed) = runtime.block_on(async {
        let login = device::run(&p, DeviceLoginState::new(session(&emu, "bench"), None), |_| true)
            .await
            .expect("device login against the emulator");
        let endpoints = session(&emu, "bench").validate().expect("endpoints");
        // The throttle counts only listing calls, so start the clock after the login.
        let started = std::time::Instant::now();
        let listing =
            list_accounts_and_roles(&p, &endpoints, &login.token.access_token, &ListingOptions::default(), |_| {})
                .await
                .expect("listing");
        (listing, started.elapsed())
    });
    let made = count(&emu, "ListAccounts") + count(&emu, "ListAccountRoles");
    let result = json!({
        "wallSecs": elapsed.as_secs_f64(),
        // One ListAccounts page per 100 accounts, one ListAccountRoles per account.
        "needed": ACCOUNTS.div_ceil(100) + ACCOUNTS,
        "rps": RPS,
        "requests": made,
        "throttled": count(&emu, "Throttled"),
        "listed": listing.accounts.len(),
        "failed": listing.failed.len(),
        "rolesOk": listing.accounts.iter().all(|a| a.roles.len() as u64 == ROLES),
        "finalRps": listing.stats.final_rps,
    });
    println!("BENCH {result}");
}
