//! One login per sso-session at a time (DESIGN "single flight"): when a login is requested for a
//! session whose previous login is still running, the request joins it instead of opening a
//! second verification tab. The service worker keeps the running login in storage; this decides.

use crate::login::device::DeviceLoginState;
use crate::login::pkce::PkcePending;
use crate::login::SessionConfig;

/// A stored, possibly still running login of either flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredLogin {
    Device(DeviceLoginState),
    Pkce(PkcePending),
}

/// True when `existing` is a login of this same session that is still running (not finished,
/// not failed, not expired): join it rather than starting another.
pub fn joinable(existing: &StoredLogin, session: &SessionConfig, now_ms: u64) -> bool {
    match existing {
        StoredLogin::Device(DeviceLoginState::Registering { session: s, .. }) => s == session,
        StoredLogin::Device(DeviceLoginState::WaitingForUser(w)) => w.session == *session && now_ms < w.expires_at_ms,
        StoredLogin::Device(DeviceLoginState::Done(_) | DeviceLoginState::Failed { .. }) => false,
        StoredLogin::Pkce(p) => p.session == *session && now_ms < p.expires_at_ms,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::fake_platform::{block_on, oauth_error, ok, FakePlatform, START_MS};
    use crate::login::{device, pkce};

    fn session(name: &str) -> SessionConfig {
        SessionConfig {
            session_name: name.into(),
            start_url: "https://d-1234567890.awsapps.com/start".into(),
            region: "us-east-1".into(),
            scopes: vec![],
            endpoints: None,
            dual_stack: false,
        }
    }

    fn registered() -> crate::http::HttpResponse {
        ok(json!({"clientId": "c", "clientSecret": "s", "clientSecretExpiresAt": 4_000_000_000u64}))
    }

    #[test]
    fn a_waiting_device_login_is_joined_until_it_expires() {
        let p = FakePlatform::scripted(vec![
            registered(),
            ok(
                json!({"deviceCode": "d", "userCode": "U", "verificationUri": "https://device.sso.us-east-1.amazonaws.com/", "expiresIn": 600, "interval": 1}),
            ),
            oauth_error("AuthorizationPendingException", "authorization_pending"),
        ]);
        let waiting = block_on(device::step(&p, DeviceLoginState::new(session("a"), None)));
        let stored = StoredLogin::Device(serde_json::from_value(serde_json::to_value(&waiting).unwrap()).unwrap());
        assert!(joinable(&stored, &session("a"), START_MS + 1000));
        assert!(!joinable(&stored, &session("b"), START_MS + 1000), "another session starts its own");
        assert!(!joinable(&stored, &session("a"), START_MS + 600_000), "expired");
        let failed = StoredLogin::Device(device::cancel(waiting));
        assert!(!joinable(&failed, &session("a"), START_MS));
    }

    #[test]
    fn a_pending_pkce_login_is_joined_for_ten_minutes() {
        let p = FakePlatform::scripted(vec![registered()]);
        let pending = block_on(pkce::begin(&p, session("a"), None, Some(5000))).unwrap();
        let stored = StoredLogin::Pkce(serde_json::from_value(serde_json::to_value(&pending).unwrap()).unwrap());
        assert!(joinable(&stored, &session("a"), START_MS + 599_000));
        assert!(!joinable(&stored, &session("a"), START_MS + 600_000));
    }
}
