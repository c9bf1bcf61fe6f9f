//! The SSO portal API (service `sso`): ListAccounts, ListAccountRoles, GetRoleCredentials,
//! Logout, authenticated by the `x-amz-sso_bearer_token` header (aws-sso-interop.md §3).

use std::sync::Arc;

use axum::extract::{RawQuery, State as AxumState};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine as _;

use crate::errors::{PortalError, PortalErrorKind as K};
use crate::state::{self, RoleCredentials, Shared};
use crate::throttle::Group;

type Shr = AxumState<Arc<Shared>>;

const TOKEN_HEADER: &str = "x-amz-sso_bearer_token";

/// Everything every portal call goes through before its own logic: counting, latency,
/// throttle, injected faults, then the bearer token. Returns the session and user.
async fn admit(sh: &Shared, op: &str, group: Option<Group>, headers: &HeaderMap) -> Result<(u64, usize), PortalError> {
    // The bucket sees a call when it arrives, as a real service's does; the configured latency is
    // the whole round trip and is paid after, by answers and refusals alike. Checking after the
    // latency's timer made every arrival land on the emulator's 1 ms timer ticks, a jitter no
    // network between a client and the service adds.
    let admitted = group.is_none_or(|g| sh.throttles.admit(g));
    crate::enter_api(sh, op).await;
    if !admitted {
        sh.count("Throttled");
        sh.count(&format!("Throttled.{op}"));
        return Err(PortalError::new(K::TooManyRequests, "Too many requests"));
    }
    let (fail, slow_ms) = {
        let mut st = sh.lock();
        let f = st.config.faults.clone();
        let fail = st.roll(f.server_error_rate);
        let slow = st.roll(f.slow_rate);
        (fail, if slow { f.slow_ms } else { 0 })
    };
    if slow_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(slow_ms)).await;
    }
    if fail {
        sh.count("InjectedServerError");
        return Err(PortalError::new(K::InternalServer, "An internal error occurred (injected fault)"));
    }
    let token = headers.get(TOKEN_HEADER).and_then(|v| v.to_str().ok()).ok_or_else(PortalError::unauthorized)?;
    sh.lock().user_for_access_token(token).ok_or_else(PortalError::unauthorized)
}

fn query_pairs(q: &Option<String>) -> Vec<(String, String)> {
    form_urlencoded::parse(q.as_deref().unwrap_or("").as_bytes()).into_owned().collect()
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Page size from `max_result` (1–100), or the configured default.
fn page_size(pairs: &[(String, String)], default: u32) -> Result<usize, PortalError> {
    match param(pairs, "max_result") {
        None => Ok(default.clamp(1, 100) as usize),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => Ok(n),
            _ => Err(PortalError::new(K::InvalidRequest, "max_result must be between 1 and 100")),
        },
    }
}

/// Opaque page tokens: the offset, bound to what is being listed so a token from one listing
/// is refused by another.
fn encode_token(scope: &str, offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{scope}\n{offset}"))
}

fn decode_token(pairs: &[(String, String)], scope: &str) -> Result<usize, PortalError> {
    let Some(t) = param(pairs, "next_token") else {
        return Ok(0);
    };
    let bad = || PortalError::new(K::InvalidRequest, "Invalid next token");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(t).map_err(|_| bad())?;
    let text = String::from_utf8(raw).map_err(|_| bad())?;
    let (s, offset) = text.rsplit_once('\n').ok_or_else(bad)?;
    if s != scope {
        return Err(bad());
    }
    offset.parse().map_err(|_| bad())
}

fn page<T: Clone>(items: &[T], offset: usize, size: usize, scope: &str) -> (Vec<T>, Option<String>) {
    let end = offset.saturating_add(size).min(items.len());
    let slice = items.get(offset.min(items.len())..end).unwrap_or(&[]).to_vec();
    let next = (end < items.len()).then(|| encode_token(scope, end));
    (slice, next)
}

pub async fn list_accounts(AxumState(sh): Shr, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    match list_accounts_inner(&sh, &headers, &q).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn list_accounts_inner(
    sh: &Shared,
    headers: &HeaderMap,
    q: &Option<String>,
) -> Result<serde_json::Value, PortalError> {
    let (session, _) = admit(sh, "ListAccounts", Some(Group::Listing), headers).await?;
    let pairs = query_pairs(q);
    let st = sh.lock();
    let size = page_size(&pairs, st.config.default_page_size)?;
    let offset = decode_token(&pairs, "accounts")?;
    let list: Vec<serde_json::Value> = st
        .accounts_for(session)
        .iter()
        .map(|a| serde_json::json!({"accountId": a.id, "accountName": a.name, "emailAddress": a.email}))
        .collect();
    let (items, next) = page(&list, offset, size, "accounts");
    let mut body = serde_json::json!({ "accountList": items });
    if let Some(n) = next {
        body["nextToken"] = n.into();
    }
    Ok(body)
}

pub async fn list_account_roles(AxumState(sh): Shr, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    match list_roles_inner(&sh, &headers, &q).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn list_roles_inner(
    sh: &Shared,
    headers: &HeaderMap,
    q: &Option<String>,
) -> Result<serde_json::Value, PortalError> {
    let (session, _) = admit(sh, "ListAccountRoles", Some(Group::Listing), headers).await?;
    let pairs = query_pairs(q);
    let account_id = param(&pairs, "account_id")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| PortalError::new(K::InvalidRequest, "account_id is required"))?;
    if sh.lock().config.faults.failing_accounts.iter().any(|a| a == account_id) {
        sh.count("FailingAccount");
        return Err(PortalError::new(K::InternalServer, "An internal error occurred (failing account)"));
    }
    let st = sh.lock();
    let size = page_size(&pairs, st.config.default_page_size)?;
    let scope = format!("roles:{account_id}");
    let offset = decode_token(&pairs, &scope)?;
    let account = st
        .accounts_for(session)
        .iter()
        .find(|a| a.id == account_id)
        .ok_or_else(|| PortalError::new(K::ResourceNotFound, "Account not found"))?;
    let list: Vec<serde_json::Value> =
        account.roles.iter().map(|r| serde_json::json!({"roleName": r, "accountId": account.id})).collect();
    let (items, next) = page(&list, offset, size, &scope);
    let mut body = serde_json::json!({ "roleList": items });
    if let Some(n) = next {
        body["nextToken"] = n.into();
    }
    Ok(body)
}

pub async fn get_role_credentials(AxumState(sh): Shr, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    match credentials_inner(&sh, &headers, &q).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn credentials_inner(
    sh: &Shared,
    headers: &HeaderMap,
    q: &Option<String>,
) -> Result<serde_json::Value, PortalError> {
    let (session, user) = admit(sh, "GetRoleCredentials", Some(Group::Credentials), headers).await?;
    let pairs = query_pairs(q);
    let role_name = param(&pairs, "role_name").filter(|s| !s.is_empty());
    let account_id = param(&pairs, "account_id").filter(|s| !s.is_empty());
    let (Some(role_name), Some(account_id)) = (role_name, account_id) else {
        return Err(PortalError::new(K::InvalidRequest, "role_name and account_id are required"));
    };
    let mut st = sh.lock();
    let assigned =
        st.accounts_for(session).iter().any(|a| a.id == account_id && a.roles.iter().any(|r| r == role_name));
    if !assigned {
        return Err(PortalError::new(K::Forbidden, "No access"));
    }
    let access_key_id = format!("ASIA{}", state::random_upper(16));
    let secret_access_key = state::random_string(40);
    let session_token = format!("IQoJb3JpZ2luX2VjE{}", state::random_string(300));
    let expires_at_ms = st.now_ms() + st.config.role_credentials_lifetime_secs * 1000;
    st.role_credentials.insert(
        access_key_id.clone(),
        RoleCredentials {
            secret_access_key: secret_access_key.clone(),
            session_token: session_token.clone(),
            account_id: account_id.to_string(),
            role_name: role_name.to_string(),
            user,
            expires_at_ms,
        },
    );
    Ok(serde_json::json!({"roleCredentials": {
        "accessKeyId": access_key_id,
        "secretAccessKey": secret_access_key,
        "sessionToken": session_token,
        "expiration": expires_at_ms,
    }}))
}

pub async fn logout(AxumState(sh): Shr, headers: HeaderMap) -> Response {
    match admit(&sh, "Logout", None, &headers).await {
        Ok((session, _)) => {
            // Logout ends the whole sign-in session: its access and refresh tokens.
            if let Some(s) = sh.lock().sessions.get_mut(&session) {
                s.ended = true;
            }
            ().into_response()
        }
        Err(e) => e.into_response(),
    }
}
