//! The login flows against the IAM Identity Center emulator, on the host (no browser).

mod common;

use common::{count, emulator, session, HostPlatform};
use serde_json::json;
use ssobridge_core::http::Platform;
use ssobridge_core::login::device::{self, DeviceLoginState};
use ssobridge_core::login::{pkce, refresh};

#[tokio::test]
async fn device_login_approved_by_the_person() {
    let emu = emulator(json!({"pollIntervalSecs": 1}));
    let p = HostPlatform::new();
    let mut state = device::step(&p, DeviceLoginState::new(session(&emu, "dev"), None)).await;
    let DeviceLoginState::WaitingForUser(w) = &state else { panic!("{state:?}") };
    assert!(w.verification_uri_complete.contains(&w.user_code) || !w.verification_uri_complete.is_empty());
    // Resume from JSON, as a restarted service worker would, after the person approved.
    let saved = serde_json::to_string(&state).unwrap();
    assert!(emu.approve(&w.user_code));
    state = serde_json::from_str(&saved).unwrap();
    while !state.is_terminal() {
        state = device::step(&p, state).await;
    }
    let DeviceLoginState::Done(result) = state else { panic!("{state:?}") };
    assert!(!result.token.access_token.expose().is_empty());
    assert!(result.token.expires_at_ms > p.now_ms());
    assert_eq!(count(&emu, "RegisterClient"), 1);
    assert!(count(&emu, "CreateToken") >= 2, "immediate attempt + at least one poll");

    // The token works on the portal.
    let listing = ssobridge_core::listing::list_accounts_and_roles(
        &p,
        &result.session.validate().unwrap(),
        &result.token.access_token,
        &Default::default(),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(listing.accounts.len(), 5);

    // A second login reuses the registration.
    let state = device::step(&p, DeviceLoginState::new(session(&emu, "dev"), Some(result.registration.clone()))).await;
    assert!(matches!(state, DeviceLoginState::WaitingForUser(_)));
    assert_eq!(count(&emu, "RegisterClient"), 1);
}

#[tokio::test]
async fn device_login_denied_and_cancelled() {
    let emu = emulator(json!({"pollIntervalSecs": 1}));
    let p = HostPlatform::new();
    let state = device::step(&p, DeviceLoginState::new(session(&emu, "dev"), None)).await;
    let DeviceLoginState::WaitingForUser(w) = &state else { panic!("{state:?}") };
    assert!(emu.deny(&w.user_code));
    let r = device::run(&p, state, |_| true).await;
    assert_eq!(r.unwrap_err().code(), "access_denied");

    let state = device::step(&p, DeviceLoginState::new(session(&emu, "dev"), None)).await;
    let polls = count(&emu, "CreateToken");
    let r = device::run(&p, state, |_| false).await;
    assert_eq!(r.unwrap_err().code(), "cancelled");
    assert!(count(&emu, "CreateToken") <= polls + 1);
}

#[tokio::test]
async fn device_login_expires() {
    let emu = emulator(json!({"pollIntervalSecs": 1, "deviceCodeLifetimeSecs": 2}));
    let p = HostPlatform::new();
    let r = device::run(&p, DeviceLoginState::new(session(&emu, "dev"), None), |_| true).await;
    assert_eq!(r.unwrap_err().code(), "expired_token");
}

/// Opens the authorize URL like the browser tab would, presses "Allow" if the consent page
/// shows, and returns the callback URL the tab ends on.
async fn browser_authorizes(p: &HostPlatform, emu_url: &str, authorize_url: &str) -> String {
    let (status, location, body) = p.raw(reqwest::Method::GET, authorize_url, None).await;
    if status == 302 {
        return location.expect("Location");
    }
    assert_eq!(status, 200, "{body}");
    let marker = "name=\"consent_id\" value=\"";
    let start = body.find(marker).expect("consent form") + marker.len();
    let consent_id = &body[start..start + body[start..].find('"').unwrap()];
    let form = format!("consent_id={consent_id}&decision=allow");
    let (status, location, body) = p.raw(reqwest::Method::POST, &format!("{emu_url}/authorize"), Some(form)).await;
    assert_eq!(status, 302, "{body}");
    location.expect("Location")
}

#[tokio::test]
async fn pkce_login_then_refresh() {
    let emu = emulator(json!({}));
    let p = HostPlatform::new();
    let pending = pkce::begin(&p, session(&emu, "corp"), None, Some(43210)).await.unwrap();
    assert!(pending.authorize_url.starts_with(&format!("{}/authorize?response_type=code&", emu.url())));
    // The pending login round-trips through JSON (chrome.storage.session).
    let pending: pkce::PkcePending = serde_json::from_str(&serde_json::to_string(&pending).unwrap()).unwrap();
    let callback = browser_authorizes(&p, emu.url(), &pending.authorize_url).await;
    assert!(callback.starts_with("http://127.0.0.1:43210/oauth/callback?"), "{callback}");

    // A forged callback is refused without spending the code.
    let forged = callback.replace(&format!("state={}", pending.state), "state=forged");
    assert_eq!(pkce::complete(&p, &pending, &forged).await.unwrap_err().code(), "state_mismatch");

    let login = pkce::complete(&p, &pending, &callback).await.unwrap();
    assert!(login.token.refresh_token.is_some());
    assert_eq!(count(&emu, "CreateToken"), 1);

    // Refresh: a new access token, same registration.
    let refreshed = refresh::refresh(&p, &login).await.unwrap();
    assert_ne!(refreshed.token.access_token, login.token.access_token);
    assert_eq!(refreshed.registration, login.registration);

    // A refresh token the service no longer accepts: typed error, old token still usable.
    let mut bad = refreshed.clone();
    bad.token.refresh_token = Some("not-a-refresh-token".into());
    let e = refresh::refresh(&p, &bad).await.unwrap_err();
    assert_eq!(e.code(), "invalid_grant");
    assert!(e.old_token_usable);
}
