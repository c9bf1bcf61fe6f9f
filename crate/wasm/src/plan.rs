//! JS-facing sync plan and session-lifecycle decisions (`ssobridge_core::plan`,
//! `ssobridge_core::lifecycle`, `ssobridge_core::regions`): conversions only.
use crate::convert::{core_error, from_js, to_js};
use ssobridge_core::fields;
use ssobridge_core::lifecycle::{self, OwnedTab, WaitingDeviceLogin};
use ssobridge_core::plan::{self, PlanInput};
use ssobridge_core::regions;
use ssobridge_core::remember;
use ssobridge_core::setup::{Portal, PortalDomain};
use wasm_bindgen::prelude::*;

/// What an apply will add, keep, rename and remove for one portal, and the host request that
/// does exactly that (`request`, null while an edited name conflicts).
#[wasm_bindgen(js_name = makePlan, unchecked_return_type = "SyncPlan")]
pub fn make_plan(#[wasm_bindgen(unchecked_param_type = "PlanInput")] input: JsValue) -> Result<JsValue, JsValue> {
    let input: PlanInput = from_js(input, "plan input")?;
    to_js(&plan::make_plan(&input).map_err(|e| core_error(&e))?)
}

/// The `region` for a portal's new profiles.
#[wasm_bindgen(js_name = profileRegion)]
pub fn profile_region(
    #[wasm_bindgen(js_name = "portalProfileRegion")] portal_profile_region: Option<String>,
    #[wasm_bindgen(js_name = "defaultRegion")] default_region: &str,
    #[wasm_bindgen(js_name = "ssoRegion")] sso_region: &str,
) -> String {
    plan::profile_region(portal_profile_region.as_deref(), default_region, sso_region)
}

/// When to refresh a token that expires at `expiresAtMs` (epoch ms).
#[wasm_bindgen(js_name = refreshAtMs)]
pub fn refresh_at_ms(
    #[wasm_bindgen(js_name = "expiresAtMs")] expires_at_ms: f64,
    #[wasm_bindgen(js_name = "nowMs")] now_ms: f64,
) -> f64 {
    lifecycle::refresh_at_ms(expires_at_ms as u64, now_ms as u64) as f64
}

/// Whether the device-verification page in `tabId` shows one of our logins.
#[wasm_bindgen(js_name = deviceVerdict, unchecked_return_type = "DeviceVerdict")]
pub fn device_verdict(
    #[wasm_bindgen(unchecked_param_type = "WaitingDeviceLogin[]")] waiting: JsValue,
    #[wasm_bindgen(js_name = "userCode")] user_code: Option<String>,
    #[wasm_bindgen(js_name = "tabId")] tab_id: f64,
    #[wasm_bindgen(unchecked_param_type = "OwnedTab | null | undefined")] remembered: JsValue,
    #[wasm_bindgen(js_name = "nowMs")] now_ms: f64,
) -> Result<JsValue, JsValue> {
    let waiting: Vec<WaitingDeviceLogin> = from_js(waiting, "waiting logins")?;
    let remembered: Option<OwnedTab> = from_js(remembered, "remembered tab")?;
    to_js(&lifecycle::device_verdict(&waiting, user_code.as_deref(), tab_id as i64, remembered.as_ref(), now_ms as u64))
}

/// The portal a page belongs to (configured, recognised, or on a custom domain), or null.
#[wasm_bindgen(js_name = portalForPage, unchecked_return_type = "PortalMatch | null")]
pub fn portal_for_page(
    url: &str,
    #[wasm_bindgen(unchecked_param_type = "Portal[]")] portals: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PortalDomain[]")] domains: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string[]")] hints: JsValue,
) -> Result<JsValue, JsValue> {
    let portals: Vec<Portal> = from_js(portals, "portals")?;
    let domains: Vec<PortalDomain> = from_js(domains, "portal domains")?;
    let hints: Option<Vec<String>> = from_js(hints, "region hints")?;
    to_js(&lifecycle::portal_for_page(url, &portals, &domains, &hints.unwrap_or_default()))
}

/// A region typed into `field`: trimmed, refused if not a region, `known: false` for a
/// well-formed one SSO Bridge does not list (show a warning).
#[wasm_bindgen(js_name = checkRegion, unchecked_return_type = "RegionCheck")]
pub fn check_region(field: &str, value: &str) -> Result<JsValue, JsValue> {
    to_js(&regions::check_region(field, value).map_err(|e| core_error(&e))?)
}

/// The regions the pickers offer.
#[wasm_bindgen(js_name = knownRegions, unchecked_return_type = "string[]")]
pub fn known_regions() -> Result<JsValue, JsValue> {
    to_js(&regions::KNOWN_REGIONS.to_vec())
}

/// Whether a page is a device-verification page the guard may ask about (exact hosts and paths,
/// or a custom portal domain's device pages).
#[wasm_bindgen(js_name = isDevicePage)]
pub fn is_device_page(
    url: &str,
    #[wasm_bindgen(unchecked_param_type = "PortalDomain[]")] domains: JsValue,
) -> Result<bool, JsValue> {
    let domains: Option<Vec<PortalDomain>> = from_js(domains, "portal domains")?;
    Ok(lifecycle::is_device_page(url, &domains.unwrap_or_default()))
}

/// What a person typed for a custom portal domain, as the origin the settings keep; throws
/// `invalid_input` with field `origin`.
#[wasm_bindgen(js_name = normalizeOrigin)]
pub fn normalize_origin(input: &str) -> Result<String, JsValue> {
    fields::normalize_origin("origin", input).map_err(|e| core_error(&e.into()))
}

/// The match pattern (no port) that grants a custom domain's origin; throws `invalid_input`.
#[wasm_bindgen(js_name = matchPattern)]
pub fn match_pattern(origin: &str) -> Result<String, JsValue> {
    fields::match_pattern("origin", origin).map_err(|e| core_error(&e.into()))
}

/// What the toolbar badge says for the sessions' token expiries (epoch ms).
#[wasm_bindgen(js_name = badgeFor, unchecked_return_type = "Badge")]
pub fn badge_for(
    #[wasm_bindgen(js_name = "expiriesMs")] expiries_ms: Vec<f64>,
    #[wasm_bindgen(js_name = "nowMs")] now_ms: f64,
) -> Result<JsValue, JsValue> {
    let expiries: Vec<u64> = expiries_ms.iter().map(|&t| t as u64).collect();
    to_js(&lifecycle::badge_for(&expiries, now_ms as u64))
}

/// What to keep of a finished listing (`listing`: the core's Listing) and the roles added and
/// removed since `previous`, the one kept last time.
#[wasm_bindgen(js_name = rememberListing, unchecked_return_type = "Remembered")]
pub fn remember_listing(
    #[wasm_bindgen(unchecked_param_type = "RememberedListing | null | undefined")] previous: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Listing | PlanListing")] listing: JsValue,
    #[wasm_bindgen(js_name = "nowMs")] now_ms: f64,
) -> Result<JsValue, JsValue> {
    let previous: Option<remember::RememberedListing> = from_js(previous, "previous")?;
    let listing: plan::PlanListing = from_js(listing, "listing")?;
    to_js(&remember::remember(previous.as_ref(), &listing, now_ms as u64))
}

/// When to list a portal with background sync again (`listedAtMs`: its last listing, if any).
#[wasm_bindgen(js_name = nextSyncAtMs)]
pub fn next_sync_at_ms(
    #[wasm_bindgen(js_name = "listedAtMs")] listed_at_ms: Option<f64>,
    #[wasm_bindgen(js_name = "nowMs")] now_ms: f64,
) -> f64 {
    remember::next_sync_at_ms(listed_at_ms.map(|t| t as u64), now_ms as u64) as f64
}

/// Whether a popup opening now goes straight back to the accounts view it was closed on.
#[wasm_bindgen(js_name = resumeAccountsView)]
pub fn resume_accounts_view(
    #[wasm_bindgen(js_name = "closedAtMs")] closed_at_ms: f64,
    #[wasm_bindgen(js_name = "nowMs")] now_ms: f64,
    #[wasm_bindgen(js_name = "signedIn")] signed_in: bool,
) -> bool {
    remember::resume_accounts_view(closed_at_ms as u64, now_ms as u64, signed_in)
}

/// A wait with a limit (the core's `lifecycle::Wait`): `WaitKind.SignIn`, `WaitKind.Listing`.
#[wasm_bindgen]
#[derive(Clone, Copy)]
pub enum WaitKind {
    SignIn,
    Listing,
}

impl From<WaitKind> for lifecycle::Wait {
    fn from(kind: WaitKind) -> Self {
        match kind {
            WaitKind::SignIn => lifecycle::Wait::SignIn,
            WaitKind::Listing => lifecycle::Wait::Listing,
        }
    }
}

/// How long the worker waits for AWS's first answer in this wait.
#[wasm_bindgen(js_name = waitLimitMs)]
pub fn wait_limit_ms(kind: WaitKind) -> u32 {
    lifecycle::Wait::from(kind).limit_ms()
}

/// The error code a wait ends with: `errorCode` is `""` when it timed out, else the call's code.
#[wasm_bindgen(js_name = waitOutcome)]
pub fn wait_outcome(kind: WaitKind, #[wasm_bindgen(js_name = "errorCode")] error_code: &str) -> String {
    lifecycle::Wait::from(kind).outcome(Some(error_code).filter(|c| !c.is_empty()))
}
