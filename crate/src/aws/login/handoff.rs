//! From a finished login to the native host's `saveToken` params (DESIGN "Native-messaging
//! protocol v1"), so the extension does not convert timestamps or pick fields itself.

use crate::login::LoginResult;
use crate::protocol::{SaveTokenParams, TokenParams};
use crate::token_cache::format_timestamp;

/// The `saveToken` params for `login`: timestamps as `YYYY-MM-DDTHH:MM:SSZ`, scopes as registered.
pub fn save_token_params(login: &LoginResult) -> SaveTokenParams {
    let secs = |ms: u64| i64::try_from(ms / 1000).unwrap_or(i64::MAX);
    SaveTokenParams {
        session_name: login.session.session_name.clone(),
        start_url: login.session.start_url.clone(),
        region: login.session.region.clone(),
        scopes: login.registration.scopes.clone(),
        token: TokenParams {
            access_token: login.token.access_token.clone(),
            expires_at: format_timestamp(secs(login.token.expires_at_ms)),
            refresh_token: login.token.refresh_token.clone(),
            client_id: login.registration.client_id.clone(),
            client_secret: login.registration.client_secret.clone(),
            registration_expires_at: format_timestamp(secs(login.registration.expires_at_ms)),
        },
        takeover: false,
        targets: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::login::{Flow, Registration, SessionConfig, Token};

    #[test]
    fn converts_a_login_into_save_token_params() {
        let login = LoginResult {
            session: SessionConfig {
                session_name: "my-sso".into(),
                start_url: "https://d-1234567890.awsapps.com/start".into(),
                region: "eu-west-1".into(),
                scopes: vec![],
                endpoints: None,
                dual_stack: false,
            },
            registration: Registration {
                client_id: "cid".into(),
                client_secret: "csec".into(),
                expires_at_ms: 1_707_776_000_999,
                flow: Flow::AuthorizationCode,
                region: "eu-west-1".into(),
                start_url: "https://d-1234567890.awsapps.com/start".into(),
                scopes: vec!["sso:account:access".into()],
            },
            token: Token {
                access_token: "at".into(),
                expires_at_ms: 1_700_000_000_500,
                refresh_token: Some("rt".into()),
            },
        };
        let v = serde_json::to_value(save_token_params(&login)).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"sessionName": "my-sso", "startUrl": "https://d-1234567890.awsapps.com/start",
                "region": "eu-west-1", "scopes": ["sso:account:access"],
                "token": {"accessToken": "at", "expiresAt": "2023-11-14T22:13:20Z", "refreshToken": "rt",
                          "clientId": "cid", "clientSecret": "csec", "registrationExpiresAt": "2024-02-12T22:13:20Z"}})
        );
    }
}
