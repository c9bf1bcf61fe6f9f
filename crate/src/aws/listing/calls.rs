//! The listing's calls on the wire: one ListAccounts page, all of one account's roles, and the
//! retry loop under the adaptive rate limit every call goes through.

use std::cell::{Cell, RefCell};

use serde::de::DeserializeOwned;

use super::{ListingOptions, ListingStats, MAX_PAGES};
use crate::endpoints::Endpoints;
use crate::error::Error;
use crate::http::{decode_error, random_u64, HttpRequest, HttpResponse, Platform};
use crate::portal::{self, AccountPage, RolePage};
use crate::ratelimit::AdaptiveRateLimit;
use crate::secret::Secret;

pub(super) struct Ctx<'a, P> {
    pub platform: &'a P,
    pub endpoints: &'a Endpoints,
    pub token: &'a Secret,
    pub options: &'a ListingOptions,
    pub limit: RefCell<AdaptiveRateLimit>,
    requests: Cell<u64>,
    throttled: Cell<u64>,
    server_errors: Cell<u64>,
    network_errors: Cell<u64>,
}

impl<'a, P: Platform> Ctx<'a, P> {
    pub fn new(platform: &'a P, endpoints: &'a Endpoints, token: &'a Secret, options: &'a ListingOptions) -> Self {
        Ctx {
            platform,
            endpoints,
            token,
            options,
            limit: RefCell::new(AdaptiveRateLimit::new(options.rate_limit.clone())),
            requests: Cell::new(0),
            throttled: Cell::new(0),
            server_errors: Cell::new(0),
            network_errors: Cell::new(0),
        }
    }

    pub fn stats(&self) -> ListingStats {
        let limit = self.limit.borrow();
        ListingStats {
            requests: self.requests.get(),
            throttled: self.throttled.get(),
            server_errors: self.server_errors.get(),
            network_errors: self.network_errors.get(),
            final_rps: limit.rps(),
            latency_ms: limit.latency_ms().unwrap_or(0.0),
        }
    }
}

/// One ListAccounts page (`next`: the page's token, none for the first).
pub(super) async fn accounts_page<P: Platform>(ctx: &Ctx<'_, P>, next: Option<String>) -> Result<AccountPage, Error> {
    let request = portal::list_accounts_request(ctx.endpoints, ctx.token, ctx.options.page_size, next.as_deref());
    // Pages feed everything else: paced like every call, but never queued behind the roles.
    call(ctx, request, false).await
}

/// Every role of one account, across its pages, each role once.
pub(super) async fn roles<P: Platform>(ctx: &Ctx<'_, P>, account_id: &str) -> Result<Vec<String>, Error> {
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
        let page: RolePage = call(ctx, request, true).await?;
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

/// One call under the rate limit (and, `windowed`, within the calls-in-flight window), retried
/// with backoff on throttling, 5xx and network errors, then decoded.
async fn call<P: Platform, T: DeserializeOwned>(
    ctx: &Ctx<'_, P>,
    request: HttpRequest,
    windowed: bool,
) -> Result<T, Error> {
    let response = call_raw(ctx, request, windowed).await?;
    serde_json::from_str(&response.body).map_err(|e| decode_error(response.status, &e))
}

/// [`call`] up to a 2xx answer. One copy of the retry loop for every kind of call (the wasm
/// module's size: the loop is most of the listing's code).
async fn call_raw<P: Platform>(ctx: &Ctx<'_, P>, request: HttpRequest, windowed: bool) -> Result<HttpResponse, Error> {
    let attempts = ctx.options.max_attempts.max(1);
    let mut attempt = 0;
    loop {
        let ticket = loop {
            let now = ctx.platform.precise_now_ms();
            let acquired = if windowed {
                ctx.limit.borrow_mut().try_acquire_within(now, ctx.options.max_in_flight)
            } else {
                ctx.limit.borrow_mut().try_acquire(now)
            };
            match acquired {
                Ok(ticket) => break ticket,
                Err(wait) => ctx.platform.sleep_precise(wait).await,
            }
        };
        ctx.requests.set(ctx.requests.get() + 1);
        let sent = ctx.platform.send(request.clone()).await;
        if windowed {
            ctx.limit.borrow_mut().done();
        }
        let error = match sent {
            Ok(r) if (200..300).contains(&r.status) => {
                ctx.limit.borrow_mut().on_success(ticket, ctx.platform.now_ms());
                return Ok(r);
            }
            Ok(r) => Error::from_response(&r),
            Err(e) => Error::Network(e.0),
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
