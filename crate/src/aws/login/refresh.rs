//! Token refresh: CreateToken with the `refresh_token` grant, before the access token expires.
//!
//! A refresh that fails does not end the session: the old token keeps working until its own
//! expiry (botocore behaves the same), so [`RefreshError`] says whether it still may be used.

use crate::error::Error;
use crate::http::Platform;
use crate::login::LoginResult;
use crate::oidc::{self, Grant};

/// Refresh when less than this is left (botocore's advisory refresh window).
pub const REFRESH_WINDOW_MS: u64 = 15 * 60 * 1000;

/// A refresh that did not work, and whether the token given to it is still good.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct RefreshError {
    pub error: Error,
    /// The old access token has not expired yet: keep using it, try again later or log in.
    pub old_token_usable: bool,
}

impl RefreshError {
    pub fn code(&self) -> &'static str {
        self.error.code()
    }
}

/// True when `login` can be refreshed at all (has a refresh token and a live registration).
pub fn refreshable(login: &LoginResult, now_ms: u64) -> bool {
    login.token.refresh_token.is_some() && now_ms < login.registration.expires_at_ms
}

/// True when the access token expires within [`REFRESH_WINDOW_MS`].
pub fn needs_refresh(login: &LoginResult, now_ms: u64) -> bool {
    now_ms.saturating_add(REFRESH_WINDOW_MS) >= login.token.expires_at_ms
}

/// Exchanges the refresh token for a new access token. The new result keeps the session and the
/// registration; it keeps the old refresh token when the service returned none (aws-sdk-rust does
/// the same).
pub async fn refresh<P: Platform>(platform: &P, login: &LoginResult) -> Result<LoginResult, RefreshError> {
    let old_token_usable = || platform.now_ms() < login.token.expires_at_ms;
    let fail = |error: Error| RefreshError { error, old_token_usable: old_token_usable() };
    let endpoints = login.session.validate().map_err(fail)?;
    let refresh_token = login.token.refresh_token.as_ref().ok_or_else(|| fail(Error::NotRefreshable))?;
    if platform.now_ms() >= login.registration.expires_at_ms {
        return Err(fail(Error::RegistrationExpired));
    }
    let mut token = oidc::create_token(platform, &endpoints, &login.registration, &Grant::RefreshToken(refresh_token))
        .await
        .map_err(fail)?;
    if token.refresh_token.is_none() {
        token.refresh_token = Some(refresh_token.clone());
    }
    Ok(LoginResult { session: login.session.clone(), registration: login.registration.clone(), token })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::fake_platform::{block_on, oauth_error, ok, FakePlatform, START_MS};
    use crate::login::{Flow, Registration, SessionConfig, Token};

    fn login(expires_at_ms: u64, refresh_token: Option<&str>) -> LoginResult {
        LoginResult {
            session: SessionConfig {
                session_name: "dev".into(),
                start_url: "https://d-1234567890.awsapps.com/start".into(),
                region: "us-west-2".into(),
                scopes: vec![],
                endpoints: None,
                dual_stack: false,
            },
            registration: Registration {
                client_id: "cid".into(),
                client_secret: "csec".into(),
                expires_at_ms: START_MS + 86_400_000,
                flow: Flow::AuthorizationCode,
                region: "us-west-2".into(),
                start_url: "https://d-1234567890.awsapps.com/start".into(),
                scopes: vec!["sso:account:access".into()],
            },
            token: Token { access_token: "old".into(), expires_at_ms, refresh_token: refresh_token.map(Into::into) },
        }
    }

    #[test]
    fn refresh_ok_keeps_session_and_rotates_tokens() {
        let p =
            FakePlatform::scripted(vec![ok(json!({"accessToken": "new", "expiresIn": 3600, "refreshToken": "rt2"}))]);
        let old = login(START_MS + 60_000, Some("rt1"));
        assert!(needs_refresh(&old, START_MS) && refreshable(&old, START_MS));
        let new = block_on(refresh(&p, &old)).unwrap();
        assert_eq!(new.token.access_token.expose(), "new");
        assert_eq!(new.token.refresh_token.as_ref().unwrap().expose(), "rt2");
        assert_eq!(new.token.expires_at_ms, START_MS + 3_600_000);
        assert_eq!(new.registration, old.registration);
        assert_eq!(
            p.body(0),
            json!({"clientId": "cid", "clientSecret": "csec", "grantType": "refresh_token", "refreshToken": "rt1"})
        );
        assert!(!needs_refresh(&new, START_MS));
    }

    #[test]
    fn old_refresh_token_is_kept_when_none_comes_back() {
        let p = FakePlatform::scripted(vec![ok(json!({"accessToken": "new", "expiresIn": 3600}))]);
        let new = block_on(refresh(&p, &login(START_MS + 60_000, Some("rt1")))).unwrap();
        assert_eq!(new.token.refresh_token.unwrap().expose(), "rt1");
    }

    #[test]
    fn failed_refresh_says_whether_the_old_token_still_works() {
        let p = FakePlatform::scripted(vec![oauth_error("InvalidGrantException", "invalid_grant")]);
        let e = block_on(refresh(&p, &login(START_MS + 60_000, Some("rt1")))).unwrap_err();
        assert_eq!(e.code(), "invalid_grant");
        assert!(e.old_token_usable);
        let p = FakePlatform::scripted(vec![crate::http::HttpResponse {
            status: 500,
            headers: vec![],
            body: String::new(),
        }]);
        let e = block_on(refresh(&p, &login(START_MS - 1, Some("rt1")))).unwrap_err();
        assert_eq!(e.code(), "server_error");
        assert!(!e.old_token_usable);
    }

    #[test]
    fn unrefreshable_tokens_fail_without_a_request() {
        let p = FakePlatform::scripted(vec![]);
        let e = block_on(refresh(&p, &login(START_MS + 60_000, None))).unwrap_err();
        assert_eq!((e.code(), e.old_token_usable), ("not_refreshable", true));
        let mut l = login(START_MS + 60_000, Some("rt"));
        l.registration.expires_at_ms = START_MS;
        assert!(!refreshable(&l, START_MS));
        assert_eq!(block_on(refresh(&p, &l)).unwrap_err().code(), "registration_expired");
    }
}
