//! The JS-facing API of the SSO Bridge core. Every function here converts between JS values and
//! core types and calls into `ssobridge_core`; the logic lives in the core.
//!
//! Values cross as typed objects (serde-wasm-bindgen, `convert.rs`); their TypeScript types are
//! generated from the core's Rust types. Errors are JS `Error`s named `SsoBridgeError` with a
//! stable `code` (see `declarations.rs`). Async functions return Promises. State objects are plain
//! JSON-compatible objects, so the service worker can keep them in `chrome.storage.session` and
//! pass them back after a restart.

mod convert;
mod declarations;
pub mod picker;
pub mod plan;
mod platform;
pub mod setup;

use convert::{core_error, from_js, js_error, to_js};
use platform::WebPlatform;
use ssobridge_core::http::Platform;
use ssobridge_core::listing::{self, ListingOptions};
use ssobridge_core::login::device::{self, DeviceLoginState};
use ssobridge_core::login::pkce::{self, PkcePending};
use ssobridge_core::login::single::{self, StoredLogin};
use ssobridge_core::login::{handoff, refresh, LoginResult, Registration, SessionConfig};
use ssobridge_core::secret::Secret;
use wasm_bindgen::prelude::*;

/// talc instead of dlmalloc: the same behaviour, less code (see Cargo.toml).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The core's version, so the extension can show it and the smoke test can prove the module runs.
#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    ssobridge_core::VERSION.to_string()
}

/// A device login about to start (no request yet). Pass the session's stored registration to
/// reuse it.
#[wasm_bindgen(js_name = deviceLoginNew, unchecked_return_type = "DeviceLoginState")]
pub fn device_login_new(
    #[wasm_bindgen(unchecked_param_type = "SessionConfig")] session: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Registration | null | undefined")] registration: JsValue,
) -> Result<JsValue, JsValue> {
    let session: SessionConfig = from_js(session, "session")?;
    let registration: Option<Registration> = from_js(registration, "registration")?;
    to_js(&DeviceLoginState::new(session, registration))
}

/// Advances a device login by one step: registering → waitingForUser (after an immediate token
/// attempt), then one poll per call (waiting until `nextPollAtMs` first) → done | failed.
/// Resolves with the next state; flow failures are a `failed` state, not a rejection.
#[wasm_bindgen(js_name = deviceLoginStep, unchecked_return_type = "DeviceLoginState")]
pub async fn device_login_step(
    #[wasm_bindgen(unchecked_param_type = "DeviceLoginState")] state: JsValue,
) -> Result<JsValue, JsValue> {
    let state: DeviceLoginState = from_js(state, "device login state")?;
    to_js(&device::step(&WebPlatform, state).await)
}

/// Starts a PKCE login: registers (or reuses `registration`) and returns the pending login with
/// the URL to open. `port` is the loopback port of the redirect URI (random if omitted).
#[wasm_bindgen(js_name = pkceBegin, unchecked_return_type = "PkcePending")]
pub async fn pkce_begin(
    #[wasm_bindgen(unchecked_param_type = "SessionConfig")] session: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Registration | null | undefined")] registration: JsValue,
    port: Option<u16>,
) -> Result<JsValue, JsValue> {
    let session: SessionConfig = from_js(session, "session")?;
    let registration: Option<Registration> = from_js(registration, "registration")?;
    let pending = pkce::begin(&WebPlatform, session, registration, port).await.map_err(|e| core_error(&e))?;
    to_js(&pending)
}

/// Finishes a PKCE login from the callback URL the tab navigated to (checks `state`, exchanges
/// the code). Rejects with `state_mismatch`, `access_denied`, `invalid_grant`, ...
#[wasm_bindgen(js_name = pkceComplete, unchecked_return_type = "LoginResult")]
pub async fn pkce_complete(
    #[wasm_bindgen(unchecked_param_type = "PkcePending")] pending: JsValue,
    #[wasm_bindgen(js_name = "callbackUrl")] callback_url: String,
) -> Result<JsValue, JsValue> {
    let pending: PkcePending = from_js(pending, "pending PKCE login")?;
    let login = pkce::complete(&WebPlatform, &pending, &callback_url).await.map_err(|e| core_error(&e))?;
    to_js(&login)
}

/// Refreshes the access token. On failure the error carries `oldTokenUsable`: the old token
/// keeps working until it expires, so keep it.
#[wasm_bindgen(js_name = refreshLogin, unchecked_return_type = "LoginResult")]
pub async fn refresh_login(
    #[wasm_bindgen(unchecked_param_type = "LoginResult")] login: JsValue,
) -> Result<JsValue, JsValue> {
    let login: LoginResult = from_js(login, "login")?;
    match refresh::refresh(&WebPlatform, &login).await {
        Ok(new) => to_js(&new),
        Err(e) => Err(js_error(e.code(), &e.to_string(), &[("oldTokenUsable", e.old_token_usable.into())])),
    }
}

/// True when the login has a refresh token and a live registration. `nowMs` defaults to now.
#[wasm_bindgen(js_name = loginRefreshable)]
pub fn login_refreshable(
    #[wasm_bindgen(unchecked_param_type = "LoginResult")] login: JsValue,
    #[wasm_bindgen(js_name = "nowMs")] now_ms: Option<f64>,
) -> Result<bool, JsValue> {
    let login: LoginResult = from_js(login, "login")?;
    Ok(refresh::refreshable(&login, now_ms.map_or_else(|| WebPlatform.now_ms(), |n| n as u64)))
}

/// Single flight: true when `existing` (the stored login of this session, device or PKCE) is
/// still running for the same session and not expired, so a new request should join it.
#[wasm_bindgen(js_name = loginJoinable)]
pub fn login_joinable(
    #[wasm_bindgen(unchecked_param_type = "DeviceLoginState | PkcePending")] existing: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SessionConfig")] session: JsValue,
    #[wasm_bindgen(js_name = "nowMs")] now_ms: Option<f64>,
) -> Result<bool, JsValue> {
    // A PKCE login is told apart by its authorize URL (a device state has none).
    let is_pkce = js_sys::Reflect::has(&existing, &"authorizeUrl".into()).unwrap_or(false);
    let existing = if is_pkce {
        StoredLogin::Pkce(from_js(existing, "stored login")?)
    } else {
        StoredLogin::Device(from_js(existing, "stored login")?)
    };
    let session: SessionConfig = from_js(session, "session")?;
    Ok(single::joinable(&existing, &session, now_ms.map_or_else(|| WebPlatform.now_ms(), |n| n as u64)))
}

/// The native host's `saveToken` params for a finished login (timestamps formatted for the
/// token cache).
#[wasm_bindgen(js_name = saveTokenParams, unchecked_return_type = "SaveTokenParams")]
pub fn save_token_params(
    #[wasm_bindgen(unchecked_param_type = "LoginResult")] login: JsValue,
) -> Result<JsValue, JsValue> {
    let login: LoginResult = from_js(login, "login")?;
    to_js(&handoff::save_token_params(&login))
}

/// Lists every account and its roles. `onProgress` gets each `ListingEvent` as it happens.
/// Rejects (e.g. `unauthorized`) only when the listing as a whole failed; accounts that could not
/// be listed are in `failed`.
#[wasm_bindgen(js_name = listAccountsAndRoles, unchecked_return_type = "Listing")]
pub async fn list_accounts_and_roles(
    #[wasm_bindgen(unchecked_param_type = "SessionConfig")] session: JsValue,
    #[wasm_bindgen(js_name = "accessToken")] access_token: String,
    #[wasm_bindgen(
        js_name = "onProgress",
        unchecked_param_type = "((event: ListingEvent) => void) | null | undefined"
    )]
    on_progress: Option<js_sys::Function>,
    #[wasm_bindgen(unchecked_param_type = "ListingOptions | null | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let session: SessionConfig = from_js(session, "session")?;
    let options: Option<ListingOptions> = from_js(options, "listing options")?;
    let endpoints = session.validate().map_err(|e| core_error(&e))?;
    let listing = listing::list_accounts_and_roles(
        &WebPlatform,
        &endpoints,
        &Secret::new(access_token),
        &options.unwrap_or_default(),
        |event| {
            if let (Some(f), Ok(v)) = (&on_progress, to_js(event)) {
                // A throwing progress callback must not abort the listing.
                let _ = f.call1(&JsValue::NULL, &v);
            }
        },
    )
    .await
    .map_err(|e| core_error(&e))?;
    to_js(&listing)
}
