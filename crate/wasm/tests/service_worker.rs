//! The wasm build inside a real browser service worker (headless Chromium), against a running
//! idc-emulator: a device login approved through the emulator's admin API, then a listing.
//!
//! Needs `IDC_EMULATOR_URL=http://127.0.0.1:PORT` at build time; see crate/wasm/README.md.
#![cfg(target_arch = "wasm32")]

use js_sys::{Reflect, JSON};
use serde_json::json;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_service_worker);

fn emulator_url() -> &'static str {
    match option_env!("IDC_EMULATOR_URL") {
        Some(url) => url,
        None => panic!(
            "IDC_EMULATOR_URL is not set: start `cargo run -p idc-emulator -- --port 0` and build these \
             tests with IDC_EMULATOR_URL=http://127.0.0.1:PORT"
        ),
    }
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn fetch_with_init(url: &str, init: &JsValue) -> js_sys::Promise;
}

fn js(value: serde_json::Value) -> JsValue {
    JSON::parse(&value.to_string()).unwrap()
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap()
}

fn get_str(obj: &JsValue, key: &str) -> String {
    get(obj, key).as_string().unwrap_or_else(|| panic!("{key} is not a string"))
}

/// As the service worker stores it: JSON text and back.
fn through_storage(state: &JsValue) -> JsValue {
    JSON::parse(&String::from(JSON::stringify(state).unwrap())).unwrap()
}

async fn admin_post(path: &str, body: serde_json::Value) -> u16 {
    let init = js(json!({"method": "POST", "headers": {"content-type": "application/json"}, "body": body.to_string()}));
    let resp: web_sys::Response =
        JsFuture::from(fetch_with_init(&format!("{}{path}", emulator_url()), &init)).await.unwrap().dyn_into().unwrap();
    resp.status()
}

fn session(name: &str) -> JsValue {
    let url = emulator_url();
    js(json!({"sessionName": name, "startUrl": format!("{url}/start"), "region": "us-east-1",
              "endpoints": {"oidc": url, "portal": url}}))
}

/// Device login → approved through the admin API → done, then list accounts and roles.
#[wasm_bindgen_test]
async fn device_login_then_listing_in_a_service_worker() {
    // Really inside a service worker: no `window`, so the platform must use the global fetch.
    let global = js_sys::global();
    assert_eq!(String::from(global.constructor().name()), "ServiceWorkerGlobalScope");
    assert!(get(&global, "window").is_undefined());

    let mut state = ssobridge_wasm::device_login_new(session("wasm"), JsValue::UNDEFINED).unwrap();
    assert_eq!(get_str(&state, "state"), "registering");
    state = ssobridge_wasm::device_login_step(through_storage(&state)).await.unwrap();
    assert_eq!(get_str(&state, "state"), "waitingForUser", "{:?}", JSON::stringify(&state));
    let user_code = get_str(&state, "userCode");
    assert!(!get_str(&state, "verificationUriComplete").is_empty());

    assert_eq!(admin_post("/admin/device/approve", json!({"userCode": user_code})).await, 200);

    for _ in 0..30 {
        state = ssobridge_wasm::device_login_step(through_storage(&state)).await.unwrap();
        if get_str(&state, "state") != "waitingForUser" {
            break;
        }
    }
    assert_eq!(get_str(&state, "state"), "done", "{:?}", JSON::stringify(&state));
    let token = get(&state, "token");
    let access_token = get_str(&token, "accessToken");
    assert!(!access_token.is_empty());
    assert!(get(&token, "expiresAtMs").as_f64().unwrap() > js_sys::Date::now());
    assert!(ssobridge_wasm::login_refreshable(state.clone(), None).unwrap());
    assert!(
        !ssobridge_wasm::login_joinable(state.clone(), session("wasm"), None).unwrap(),
        "a done login is not joined"
    );
    let params = ssobridge_wasm::save_token_params(through_storage(&state)).unwrap();
    assert_eq!(get_str(&params, "sessionName"), "wasm");
    let expires_at = get_str(&get(&params, "token"), "expiresAt");
    assert!(expires_at.len() == 20 && expires_at.ends_with('Z'), "{expires_at}");

    // Listing with progress; the emulator's account count comes from its admin API.
    let events = js_sys::Array::new();
    let sink = events.clone();
    let on_progress = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        sink.push(&e);
    });
    let listing = ssobridge_wasm::list_accounts_and_roles(
        session("wasm"),
        access_token,
        Some(on_progress.as_ref().unchecked_ref::<js_sys::Function>().clone()),
        JsValue::UNDEFINED,
    )
    .await
    .unwrap();
    let accounts: js_sys::Array = get(&listing, "accounts").dyn_into().unwrap();
    let failed: js_sys::Array = get(&listing, "failed").dyn_into().unwrap();
    assert!(accounts.length() > 0);
    assert_eq!(failed.length(), 0);
    let first = events.get(0);
    assert_eq!(get_str(&first, "type"), "accountsPage");
    let announced: js_sys::Array = get(&first, "accounts").dyn_into().unwrap();
    assert_eq!(announced.length(), accounts.length(), "one page of accounts");
    assert_eq!(get(&first, "last").as_bool(), Some(true));
    // One page, then one event per account, each with its roles.
    assert_eq!(events.length(), accounts.length() + 1);
    assert_eq!(get_str(&events.get(1), "type"), "accountListed");
    assert!(js_sys::Array::is_array(&get(&events.get(1), "roles")));
    let roles: js_sys::Array = get(&accounts.get(0), "roles").dyn_into().unwrap();
    assert!(roles.length() > 0);
}

#[wasm_bindgen_test]
async fn denied_logins_are_failed_states_with_codes() {
    let state = ssobridge_wasm::device_login_new(session("wasm-deny"), JsValue::UNDEFINED).unwrap();
    let mut state = ssobridge_wasm::device_login_step(state).await.unwrap();
    assert_eq!(get_str(&state, "state"), "waitingForUser");
    assert!(ssobridge_wasm::login_joinable(through_storage(&state), session("wasm-deny"), None).unwrap());

    assert_eq!(admin_post("/admin/device/deny", json!({"userCode": get_str(&state, "userCode")})).await, 200);
    for _ in 0..30 {
        state = ssobridge_wasm::device_login_step(state).await.unwrap();
        if get_str(&state, "state") != "waitingForUser" {
            break;
        }
    }
    assert_eq!(get_str(&state, "state"), "failed");
    assert_eq!(get_str(&state, "code"), "access_denied");
}

#[wasm_bindgen_test]
async fn errors_reach_js_as_errors_with_a_code() {
    // A bad region is refused before any request.
    let bad = js(json!({"sessionName": "x", "startUrl": "https://d-1.awsapps.com/start", "region": "evil.com/"}));
    let err = ssobridge_wasm::pkce_begin(bad, JsValue::UNDEFINED, Some(4000)).await.unwrap_err();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(get_str(&err, "code"), "invalid_region");
    assert_eq!(get_str(&err, "name"), "SsoBridgeError");

    // A token the portal refuses fails the listing as a whole.
    let err = ssobridge_wasm::list_accounts_and_roles(session("wasm"), "bogus".into(), None, JsValue::UNDEFINED)
        .await
        .unwrap_err();
    assert_eq!(get_str(&err, "code"), "unauthorized");

    // Malformed state from storage is invalid_input, not a panic.
    let err = ssobridge_wasm::device_login_step(js(json!({"state": "waitingForUser"}))).await.unwrap_err();
    assert_eq!(get_str(&err, "code"), "invalid_input");

    let settings = json!({"nameTemplate": "{nope}", "defaultRegion": "", "defaultOutput": "json",
        "loginFlow": "pkce", "pruneDefault": false, "endpoints": null});
    let err = ssobridge_wasm::setup::check_settings(js(settings)).unwrap_err();
    assert_eq!(get_str(&err, "code"), "invalid_input");
    assert_eq!(get_str(&err, "field"), "nameTemplate");

    // A typed domain the core refuses names its field; the value is not echoed.
    let err = ssobridge_wasm::plan::normalize_origin("http://TOPSECRET.example").unwrap_err();
    assert_eq!((get_str(&err, "code"), get_str(&err, "field")), ("invalid_input".into(), "origin".into()));
    assert!(!get_str(&err, "message").contains("TOPSECRET"));
}

#[wasm_bindgen_test]
async fn pkce_begin_builds_the_authorize_url_in_the_browser() {
    let pending = ssobridge_wasm::pkce_begin(session("wasm-pkce"), JsValue::UNDEFINED, Some(45678)).await.unwrap();
    let url = get_str(&pending, "authorizeUrl");
    assert!(url.starts_with(&format!("{}/authorize?response_type=code&client_id=", emulator_url())), "{url}");
    assert_eq!(get_str(&pending, "redirectUri"), "http://127.0.0.1:45678/oauth/callback");
    assert_eq!(get_str(&pending, "codeVerifier").len(), 64);
    // A callback with the wrong state is refused without a request.
    let err = ssobridge_wasm::pkce_complete(
        through_storage(&pending),
        "http://127.0.0.1:45678/oauth/callback?code=x&state=forged".into(),
    )
    .await
    .unwrap_err();
    assert_eq!(get_str(&err, "code"), "state_mismatch");
}

/// Values cross as plain JSON-compatible objects (what chrome.storage.session keeps): no `Map`
/// for flattened structs, `null` (not `undefined`) for `None`, numbers for u64 timestamps.
#[wasm_bindgen_test]
fn values_are_plain_json_compatible_objects() {
    let none = || JsValue::from(js_sys::Array::new());
    let page =
        ssobridge_wasm::plan::portal_for_page("https://acme.awsapps.com/start/#/", none(), none(), none()).unwrap();
    assert_eq!(get_str(&page, "startUrl"), "https://acme.awsapps.com/start");
    assert!(Reflect::has(&page, &"region".into()).unwrap(), "None is kept as a key");
    assert!(get(&page, "region").is_null(), "None is null, not undefined");
    assert!(ssobridge_wasm::plan::portal_for_page("https://example.com/", none(), none(), none()).unwrap().is_null());

    let state = ssobridge_wasm::device_login_new(session("plain"), JsValue::UNDEFINED).unwrap();
    assert_eq!(
        js_sys::Object::get_prototype_of(&state),
        js_sys::Object::get_prototype_of(&js_sys::Object::new().into()),
        "a plain object"
    );
    let waiting = js(json!([{"sessionName": "plain", "userCode": "ABCD-EFGH", "tabId": null}]));
    let verdict =
        ssobridge_wasm::plan::device_verdict(waiting, Some("abcd-efgh".into()), 7.0, JsValue::NULL, 1e12).unwrap();
    let remember = get(&verdict, "remember");
    assert!(!remember.is_instance_of::<js_sys::Map>());
    assert_eq!(get_str(&remember, "code"), "ABCDEFGH");
    assert_eq!(get(&remember, "untilMs").as_f64(), Some(1e12 + 15.0 * 60_000.0));
    // Through JSON text and back, the value is the same.
    assert_eq!(
        String::from(JSON::stringify(&through_storage(&state)).unwrap()),
        String::from(JSON::stringify(&state).unwrap())
    );
}

/// Shape errors name the field path and the expected type, never the value (it may be a secret).
#[wasm_bindgen_test]
async fn shape_errors_name_the_argument_never_the_value() {
    let registration = js(json!({"clientId": "c", "clientSecret": "s", "expiresAtMs": "TOPSECRET-1",
        "flow": "device", "region": "us-east-1", "startUrl": "https://x", "scopes": []}));
    let err = ssobridge_wasm::device_login_new(session("shape"), registration).unwrap_err();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(get_str(&err, "name"), "SsoBridgeError");
    assert_eq!(get_str(&err, "code"), "invalid_input");
    // The argument and the expected type, never the value (no field paths: see convert.rs).
    let message = get_str(&err, "message");
    assert!(message.starts_with("invalid registration:") && message.contains("expected"), "{message}");
    assert!(!message.contains("TOPSECRET"), "{message}");

    // A missing field is named.
    let state = js(json!({"state": "registering", "session": {"sessionName": "x", "region": "us-east-1"}}));
    let err = ssobridge_wasm::device_login_step(state).await.unwrap_err();
    assert_eq!(get_str(&err, "field"), "startUrl", "{}", get_str(&err, "message"));

    // An unknown enum value is not echoed either.
    let bad = json!({"sessionName": "x", "startUrl": "https://x", "region": "us-east-1"});
    let state = js(json!({"state": "registering", "session": bad, "registration": {"clientId": "c",
        "clientSecret": "s", "expiresAtMs": 1, "flow": "TOPSECRET-2", "region": "r", "startUrl": "u", "scopes": []}}));
    let err = ssobridge_wasm::device_login_step(state).await.unwrap_err();
    assert_eq!(get_str(&err, "code"), "invalid_input");
    assert!(!get_str(&err, "message").contains("TOPSECRET"), "{}", get_str(&err, "message"));
}

/// The page rules the worker asks about, through the wasm layer.
#[wasm_bindgen_test]
fn page_rules_cross_as_booleans_and_strings() {
    let domains = js(json!([{"origin": "http://127.0.0.1:4000", "region": ""}]));
    assert!(ssobridge_wasm::plan::is_device_page("https://device.sso.eu-west-1.amazonaws.com/", JsValue::NULL).unwrap());
    assert!(!ssobridge_wasm::plan::is_device_page(
        "https://bucket.s3.amazonaws.com/device/index.html?x=.awsapps.com/",
        domains.clone()
    )
    .unwrap());
    assert!(ssobridge_wasm::plan::is_device_page("http://127.0.0.1:4000/device", domains).unwrap());
    let origin = ssobridge_wasm::plan::normalize_origin(" https://SSO.example.com/start ").unwrap();
    assert_eq!(origin, "https://sso.example.com");
    assert_eq!(ssobridge_wasm::plan::match_pattern("http://127.0.0.1:4000").unwrap(), "http://127.0.0.1/*");
}

#[wasm_bindgen_test]
fn the_picker_view_crosses_as_one_flat_array() {
    let rows = "111\tprod\tadmin\tprod.admin\n111\tprod\treadonly\tprod.readonly\n222\tdev\tadmin\tdev.admin";
    // Header (shown, shown selected, selected, open, groups), then per group (head, roles,
    // selected, shown, shown selected, rows...).
    assert_eq!(
        ssobridge_wasm::picker::picker_view(rows, "admin", &[0, 1, 1], false),
        vec![2, 1, 2, 1, 2, 0, 2, 1, 1, 0, 0, 2, 1, 1, 1, 1, 2]
    );
}

/// The host-missing screen's hint crosses as a flat object; no release host means nulls.
#[wasm_bindgen_test]
fn install_hint_crosses_as_a_flat_object() {
    let hint = ssobridge_wasm::setup::install_hint("mac", "arm64", "Chromium\nBrave").unwrap();
    assert_eq!(get_str(&hint, "browser"), "Brave");
    assert_eq!(get_str(&hint, "asset"), "ssobridge-host-macos-arm64");
    assert!(get_str(&hint, "command").starts_with("curl -fLo /tmp/ssobridge-host https://"));
    let none = ssobridge_wasm::setup::install_hint("cros", "x86-64", "").unwrap();
    assert_eq!(get_str(&none, "browser"), "your browser");
    assert!(get(&none, "command").is_null());
    assert!(!ssobridge_wasm::setup::install_hint("win", "x86-64", "Chromium").unwrap().is_null());
}
