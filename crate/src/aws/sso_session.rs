//! What a login is for and what it yields: the session to log into, the client registration and
//! the token. Shared by the OIDC calls and the login flows.

use serde::{Deserialize, Serialize};

use crate::endpoints::Endpoints;
use crate::error::Error;
use crate::secret::Secret;

/// The scope every SSO Bridge login asks for (the CLI's default for `sso_registration_scopes`).
pub const DEFAULT_SCOPE: &str = "sso:account:access";

/// A registration is reused until this long before `clientSecretExpiresAt` (as the CLI does).
pub const REGISTRATION_REUSE_MARGIN_MS: u64 = 15 * 60 * 1000;

/// Which sso-session to log into; what the person configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SessionConfig {
    /// The sso-session name; also in the client name `sso-bridge-{session}`.
    pub session_name: String,
    /// The access portal URL (`https://d-xxxxxxxxxx.awsapps.com/start`).
    pub start_url: String,
    /// The IAM Identity Center region.
    pub region: String,
    /// Registration scopes; empty means [`DEFAULT_SCOPE`].
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Base URLs to use instead of the region's public endpoints (tests, private setups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Endpoints>,
    /// Use the dual-stack endpoints even when the start URL does not call for them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dual_stack: bool,
}

impl SessionConfig {
    /// Checks the fields and returns the endpoints to talk to.
    pub fn validate(&self) -> Result<Endpoints, Error> {
        crate::names::check_name(&self.session_name).map_err(|e| Error::invalid_input("sessionName", e.to_string()))?;
        crate::fields::start_url("startUrl", &self.start_url)?;
        for scope in &self.scopes {
            if scope.is_empty() || scope.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(Error::invalid_input("scopes", "a scope is empty or contains spaces"));
            }
        }
        Endpoints::resolve(&self.region, &self.start_url, self.dual_stack, self.endpoints.as_ref())
    }

    /// The scopes to register with: the configured ones, or [`DEFAULT_SCOPE`].
    pub fn effective_scopes(&self) -> Vec<String> {
        if self.scopes.is_empty() {
            vec![DEFAULT_SCOPE.to_string()]
        } else {
            self.scopes.clone()
        }
    }

    /// `sso-bridge-{session}`: the client name shown in the IAM Identity Center console.
    pub fn client_name(&self) -> String {
        format!("sso-bridge-{}", self.session_name)
    }
}

/// Which flow a registration was made for: the CLI keeps them apart (a device registration has no
/// grant types; an authorization-code one must have `authorization_code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub enum Flow {
    Device,
    AuthorizationCode,
}

/// A RegisterClient result, stored by the extension and reused across logins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Registration {
    pub client_id: String,
    pub client_secret: Secret,
    /// `clientSecretExpiresAt`, in epoch milliseconds (the token cache's `registrationExpiresAt`).
    pub expires_at_ms: u64,
    pub flow: Flow,
    /// Registered for this region and start URL with these scopes; a change means a new registration.
    pub region: String,
    pub start_url: String,
    pub scopes: Vec<String>,
}

impl Registration {
    /// True when this registration may be reused for `flow` on `session` at `now_ms`.
    pub fn reusable_for(&self, session: &SessionConfig, flow: Flow, now_ms: u64) -> bool {
        self.flow == flow
            && self.region == session.region
            && self.start_url == session.start_url
            && self.scopes == session.effective_scopes()
            && now_ms.saturating_add(REGISTRATION_REUSE_MARGIN_MS) < self.expires_at_ms
    }
}

/// An access token as CreateToken returned it, with its expiry made absolute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Token {
    pub access_token: Secret,
    /// Epoch milliseconds (now + `expiresIn` at the time of the response).
    pub expires_at_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
}

/// A finished login: everything the token cache and later refreshes need.
///
/// Unknown fields are accepted here (unlike the nested types) so the extension can pass a
/// device login's `{"state": "done", ...}` object wherever a login result is expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct LoginResult {
    pub session: SessionConfig,
    pub registration: Registration,
    pub token: Token,
}
