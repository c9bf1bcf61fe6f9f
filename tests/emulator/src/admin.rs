//! Test-only admin API under `/admin/` (JSON). Not part of AWS's protocol; see README.md.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::config::Config;
use crate::state::{normalize_user_code, DeviceStatus, Shared};

type Shr = AxumState<Arc<Shared>>;

fn bad_request(message: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, Json(serde_json::json!({ "message": message.into() }))).into_response()
}

/// A malformed admin request; answered 400 with `{"message"}`.
#[derive(Debug, thiserror::Error)]
#[error("invalid JSON body: {0}")]
struct BadBody(serde_json::Error);

impl IntoResponse for BadBody {
    fn into_response(self) -> Response {
        bad_request(self.to_string())
    }
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, BadBody> {
    serde_json::from_slice(body).map_err(BadBody)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeviceDecision {
    user_code: String,
    /// Name of the user who decides; the first configured user when absent.
    #[serde(default)]
    user: Option<String>,
}

async fn decide(sh: &Shared, body: &[u8], approve: bool) -> Response {
    let req: DeviceDecision = match parse(body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let mut st = sh.lock();
    let user = req.user.as_deref().and_then(|n| st.config.users.iter().position(|u| u.name == n)).unwrap_or(0);
    if st.decide_device(&req.user_code, approve, user) {
        Json(serde_json::json!({ "ok": true })).into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            Json(serde_json::json!({ "ok": false, "message": "no pending device code with that user code" })),
        )
            .into_response()
    }
}

pub async fn approve(AxumState(sh): Shr, body: Bytes) -> Response {
    decide(&sh, &body, true).await
}

pub async fn deny(AxumState(sh): Shr, body: Bytes) -> Response {
    decide(&sh, &body, false).await
}

/// `GET /admin/device/pending`: user codes waiting for a decision, oldest order not kept.
pub async fn pending(AxumState(sh): Shr) -> Response {
    let st = sh.lock();
    let now = st.now_ms();
    let mut codes: Vec<String> = st
        .devices
        .values()
        .filter(|d| d.status == DeviceStatus::Pending && now < d.expires_at_ms)
        .map(|d| normalize_user_code(&d.user_code))
        .collect();
    codes.sort();
    Json(codes).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Revoke {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    refresh_token: Option<String>,
}

/// `POST /admin/tokens/revoke {"accessToken"?, "refreshToken"?}`: revoke just those tokens.
pub async fn revoke(AxumState(sh): Shr, body: Bytes) -> Response {
    let req: Revoke = match parse(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    if req.access_token.is_none() && req.refresh_token.is_none() {
        return bad_request("accessToken or refreshToken is required");
    }
    let mut st = sh.lock();
    let mut revoked = 0;
    if let Some(k) = &req.access_token {
        if let Some(t) = st.access_tokens.get_mut(k) {
            t.revoked = true;
            revoked += 1;
        }
    }
    if let Some(k) = &req.refresh_token {
        if let Some(t) = st.refresh_tokens.get_mut(k) {
            t.revoked = true;
            revoked += 1;
        }
    }
    let status = if revoked > 0 { StatusCode::OK } else { StatusCode::NOT_FOUND };
    (status, Json(serde_json::json!({ "revoked": revoked }))).into_response()
}

pub async fn counts(AxumState(sh): Shr) -> Response {
    Json(sh.lock().counts.clone()).into_response()
}

pub async fn reset_counts(AxumState(sh): Shr) -> Response {
    sh.lock().counts.clear();
    Json(serde_json::json!({ "ok": true })).into_response()
}

pub async fn get_config(AxumState(sh): Shr) -> Response {
    Json(sh.lock().config.clone()).into_response()
}

/// `POST /admin/config`: replace top-level fields of the live config (e.g. `accounts`,
/// `throttle`, `faults`, `autoApprove`); fields not sent keep their values.
pub async fn set_config(AxumState(sh): Shr, body: Bytes) -> Response {
    let patch: serde_json::Map<String, serde_json::Value> = match parse(&body) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let mut st = sh.lock();
    let mut current = match serde_json::to_value(&st.config) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => return bad_request("internal: config not serializable"),
    };
    for (k, v) in patch {
        current.insert(k, v);
    }
    let config: Config = match serde_json::from_value(serde_json::Value::Object(current)) {
        Ok(c) => c,
        Err(e) => return bad_request(format!("invalid config: {e}")),
    };
    if let Err(e) = config.validate() {
        return bad_request(format!("invalid config: {e}"));
    }
    if config.throttle != st.config.throttle {
        sh.throttles.reconfigure(&config.throttle);
    }
    st.replace_config(config.clone());
    Json(config).into_response()
}

pub async fn accounts(AxumState(sh): Shr) -> Response {
    Json(sh.lock().accounts.clone()).into_response()
}

#[derive(Deserialize)]
struct AutoApprove {
    enabled: bool,
}

pub async fn auto_approve(AxumState(sh): Shr, body: Bytes) -> Response {
    let req: AutoApprove = match parse(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    sh.lock().config.auto_approve = req.enabled;
    Json(serde_json::json!({ "autoApprove": req.enabled })).into_response()
}

#[derive(Deserialize)]
struct Advance {
    seconds: u64,
}

/// `POST /admin/clock/advance {"seconds": n}`: move the emulator's clock forward, so expiry
/// can be tested without sleeping.
pub async fn advance_clock(AxumState(sh): Shr, body: Bytes) -> Response {
    let req: Advance = match parse(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let mut st = sh.lock();
    st.clock_offset_ms = st.clock_offset_ms.saturating_add(req.seconds.saturating_mul(1000));
    Json(serde_json::json!({ "offsetSeconds": st.clock_offset_ms / 1000 })).into_response()
}
