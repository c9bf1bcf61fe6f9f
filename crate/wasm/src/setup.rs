//! JS-facing setup helpers (`ssobridge_core::setup`) and the portal logout: conversions only.
use crate::convert::{core_error, from_js, js_error, to_js};
use crate::platform::WebPlatform;
use ssobridge_core::login::LoginResult;
use ssobridge_core::setup::{self, NameInUse, Portal, Settings};
use wasm_bindgen::prelude::*;

/// A session name suggested from a start URL (`https://acme.awsapps.com/start` → `acme`).
/// `inUse`: names of configured portals and of the config's `[sso-session]`s (with their start
/// URLs), which another portal must not take.
#[wasm_bindgen(js_name = suggestSessionName)]
pub fn suggest_session_name(
    #[wasm_bindgen(js_name = "startUrl")] start_url: &str,
    #[wasm_bindgen(js_name = "inUse", unchecked_param_type = "NameInUse[] | null | undefined")] in_use: JsValue,
) -> Result<String, JsValue> {
    let in_use: Option<Vec<NameInUse>> = from_js(in_use, "names in use")?;
    Ok(setup::suggest_unique_session_name(start_url, &in_use.unwrap_or_default()))
}

/// A portal as typed, trimmed and checked; throws `invalid_input` with the first wrong form
/// `field`, and `fields`: every wrong field's name followed by a comma, so the form marks them
/// all at once.
#[wasm_bindgen(js_name = checkPortal, unchecked_return_type = "Portal")]
pub fn check_portal(#[wasm_bindgen(unchecked_param_type = "Portal")] portal: JsValue) -> Result<JsValue, JsValue> {
    let portal: Portal = from_js(portal, "portal")?;
    match setup::check_portal_fields(&portal) {
        Ok(portal) => to_js(&portal),
        Err(errors) => {
            let mut names = String::new();
            for e in &errors {
                names.push_str(&e.field);
                names.push(',');
            }
            let first = &errors[0];
            let extra = [("field", first.field.as_str().into()), ("fields", names.into())];
            Err(js_error("invalid_input", &first.to_string(), &extra))
        }
    }
}

/// The options, checked; throws `invalid_input` with the option's `field`.
#[wasm_bindgen(js_name = checkSettings, unchecked_return_type = "Settings")]
pub fn check_settings(
    #[wasm_bindgen(unchecked_param_type = "Settings")] settings: JsValue,
) -> Result<JsValue, JsValue> {
    let settings: Settings = from_js(settings, "settings")?;
    to_js(&setup::check_settings(&settings).map_err(|e| core_error(&e))?)
}

/// Ends the login's portal session (POST /logout), as `aws sso logout` does.
#[wasm_bindgen(js_name = logoutAtPortal)]
pub async fn logout_at_portal(
    #[wasm_bindgen(unchecked_param_type = "LoginResult")] login: JsValue,
) -> Result<(), JsValue> {
    let login: LoginResult = from_js(login, "login")?;
    let endpoints = login.session.validate().map_err(|e| core_error(&e))?;
    ssobridge_core::portal::logout(&WebPlatform, &endpoints, &login.token.access_token)
        .await
        .map_err(|e| core_error(&e))
}

/// The host-missing screen's content for this OS, CPU and browser (`runtime.getPlatformInfo()`
/// and `navigator.userAgentData.brands`, one brand a line): the browser's name, the release
/// asset, one command. A string, not an array, so no new decoder crosses the boundary.
#[wasm_bindgen(js_name = installHint, unchecked_return_type = "InstallHint")]
pub fn install_hint(os: &str, arch: &str, brands: &str) -> Result<JsValue, JsValue> {
    to_js(&ssobridge_core::install_hint::install_hint(os, arch, brands))
}
