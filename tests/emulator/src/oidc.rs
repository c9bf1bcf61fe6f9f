//! SSO OIDC: RegisterClient, StartDeviceAuthorization, CreateToken (device code, refresh token,
//! authorization code + PKCE); `/authorize` itself is in `authorize.rs`.
//! Wire shapes follow aws-sso-interop.md §1–2.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::config::DevicePage;
use crate::errors::{OidcError, OidcErrorKind as K};
use crate::state::{self, Client, DeviceAuth, DeviceStatus, Shared, State};

pub const GRANT_DEVICE_CODE: &str = "urn:ietf:params:oauth:grant-type:device_code";
pub const GRANT_REFRESH_TOKEN: &str = "refresh_token";
pub const GRANT_AUTHORIZATION_CODE: &str = "authorization_code";
const KNOWN_GRANTS: &[&str] = &[GRANT_DEVICE_CODE, GRANT_REFRESH_TOKEN, GRANT_AUTHORIZATION_CODE];

type Shr = AxumState<Arc<Shared>>;

/// Parse a JSON body; anything malformed is an InvalidRequestException, as AWS answers.
fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, OidcError> {
    let text = if body.iter().all(|b| b.is_ascii_whitespace()) { &b"{}"[..] } else { body };
    serde_json::from_slice(text).map_err(|e| OidcError::new(K::InvalidRequest, format!("Invalid request: {e}")))
}

fn required<'a>(v: &'a Option<String>, name: &str) -> Result<&'a str, OidcError> {
    match v.as_deref() {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(OidcError::new(K::InvalidRequest, format!("{name} is required"))),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegisterRequest {
    client_name: Option<String>,
    client_type: Option<String>,
    #[serde(default)]
    scopes: Option<Vec<String>>,
    #[serde(default)]
    redirect_uris: Option<Vec<String>>,
    #[serde(default)]
    grant_types: Option<Vec<String>>,
    /// The start URL of an authorization-code client: it picks the portal (`Config::portals`).
    #[serde(default)]
    issuer_url: Option<String>,
}

pub async fn register_client(AxumState(sh): Shr, body: Bytes) -> Response {
    crate::enter_api(&sh, "RegisterClient").await;
    match register(&sh, &body) {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

fn register(sh: &Shared, body: &[u8]) -> Result<serde_json::Value, OidcError> {
    let req: RegisterRequest = parse_body(body)?;
    let name = required(&req.client_name, "clientName")?;
    let client_type = required(&req.client_type, "clientType")?;
    if client_type != "public" {
        return Err(OidcError::new(K::InvalidClientMetadata, "Invalid client type: only public is supported"));
    }
    let grant_types = req.grant_types.unwrap_or_default();
    if let Some(bad) = grant_types.iter().find(|g| !KNOWN_GRANTS.contains(&g.as_str())) {
        return Err(OidcError::new(K::UnsupportedGrantType, format!("Unsupported grant type: {bad}")));
    }
    let redirect_uris = req.redirect_uris.unwrap_or_default();
    for uri in &redirect_uris {
        if !acceptable_redirect(uri) {
            return Err(OidcError::new(K::InvalidRedirectUri, "Invalid redirect URI"));
        }
    }
    let mut st = sh.lock();
    let now = st.now_secs();
    let expires = now + st.config.registration_lifetime_secs;
    let client_id = state::random_string(22);
    let secret = state::random_string(200);
    st.clients.insert(
        client_id.clone(),
        Client {
            secret: secret.clone(),
            name: name.to_string(),
            grant_types,
            redirect_uris,
            scopes: req.scopes.unwrap_or_default(),
            secret_expires_at: expires,
            issuer_url: req.issuer_url,
        },
    );
    Ok(serde_json::json!({
        "clientId": client_id,
        "clientSecret": secret,
        "clientIdIssuedAt": now,
        "clientSecretExpiresAt": expires,
    }))
}

/// Redirect URIs must be absolute http(s) URLs without a fragment; plain http only on loopback.
fn acceptable_redirect(uri: &str) -> bool {
    match url::Url::parse(uri) {
        Ok(u) => {
            u.fragment().is_none()
                && (u.scheme() == "https" || (u.scheme() == "http" && is_loopback(&u)))
                && u.host().is_some()
        }
        Err(_) => false,
    }
}

fn is_loopback(u: &url::Url) -> bool {
    matches!(u.host_str(), Some("127.0.0.1") | Some("[::1]") | Some("localhost"))
}

/// RFC 8252 §7.3: a loopback redirect registered without a port matches any port.
pub fn redirect_matches(registered: &str, requested: &str) -> bool {
    let (Ok(r), Ok(q)) = (url::Url::parse(registered), url::Url::parse(requested)) else {
        return false;
    };
    if q.fragment().is_some() || r.scheme() != q.scheme() || r.host_str() != q.host_str() || r.path() != q.path() {
        return false;
    }
    is_loopback(&r) || r.port_or_known_default() == q.port_or_known_default()
}

/// The registered client with this id and secret, or InvalidClientException.
fn authenticate<'a>(st: &'a State, id: &str, secret: &str) -> Result<&'a Client, OidcError> {
    match st.clients.get(id) {
        Some(c) if c.secret == secret && st.now_secs() < c.secret_expires_at => Ok(c),
        Some(c) if c.secret == secret => Err(OidcError::new(K::InvalidClient, "Client registration has expired")),
        _ => Err(OidcError::new(K::InvalidClient, "Invalid client provided")),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeviceAuthorizationRequest {
    client_id: Option<String>,
    client_secret: Option<String>,
    start_url: Option<String>,
}

pub async fn start_device_authorization(AxumState(sh): Shr, body: Bytes) -> Response {
    crate::enter_api(&sh, "StartDeviceAuthorization").await;
    match start_device(&sh, &body) {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

fn start_device(sh: &Shared, body: &[u8]) -> Result<serde_json::Value, OidcError> {
    let req: DeviceAuthorizationRequest = parse_body(body)?;
    let id = required(&req.client_id, "clientId")?;
    let secret = required(&req.client_secret, "clientSecret")?;
    let start_url = required(&req.start_url, "startUrl")?;
    let mut st = sh.lock();
    authenticate(&st, id, secret)?;
    let device_code = state::random_string(64);
    let mut user_code = state::new_user_code();
    while st.user_codes.contains_key(&user_code) {
        user_code = state::new_user_code();
    }
    let expires_in = st.config.device_code_lifetime_secs;
    let interval = st.config.poll_interval_secs;
    let status = if st.config.auto_approve { DeviceStatus::Approved } else { DeviceStatus::Pending };
    let now = st.now_ms();
    st.user_codes.insert(user_code.clone(), device_code.clone());
    st.devices.insert(
        device_code.clone(),
        DeviceAuth {
            client_id: id.to_string(),
            user_code: user_code.clone(),
            start_url: start_url.to_string(),
            expires_at_ms: now + expires_in * 1000,
            interval_secs: interval,
            last_poll_ms: None,
            status,
            user: 0,
        },
    );
    let base = &sh.base_url;
    let complete = match st.config.device_page {
        DevicePage::Device => format!("{base}/device?user_code={user_code}"),
        // As AWS's newer pages do: an opaque request id, the code stays on the server.
        DevicePage::Signin => {
            let request_uri = format!("urn:ietf:params:oauth:request_uri:{}", state::random_string(32));
            st.request_uris.insert(request_uri.clone(), user_code.clone());
            let encoded: String = form_urlencoded::byte_serialize(request_uri.as_bytes()).collect();
            format!("{base}/platform/authorize?request_uri={encoded}")
        }
    };
    Ok(serde_json::json!({
        "deviceCode": device_code,
        "userCode": user_code,
        "verificationUri": format!("{base}/device"),
        "verificationUriComplete": complete,
        "expiresIn": expires_in,
        "interval": interval,
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenRequest {
    client_id: Option<String>,
    client_secret: Option<String>,
    grant_type: Option<String>,
    device_code: Option<String>,
    refresh_token: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    #[serde(default)]
    #[allow(dead_code)] // documented by AWS as having no effect
    scope: Option<Vec<String>>,
}

pub async fn create_token(AxumState(sh): Shr, body: Bytes) -> Response {
    crate::enter_api(&sh, "CreateToken").await;
    match token(&sh, &body) {
        Ok(t) => Json(serde_json::json!({
            "accessToken": t.access_token,
            "tokenType": "Bearer",
            "expiresIn": t.expires_in,
            "refreshToken": t.refresh_token,
        }))
        .into_response(),
        Err(e) => e.into_response(),
    }
}

fn token(sh: &Shared, body: &[u8]) -> Result<state::IssuedTokens, OidcError> {
    let req: TokenRequest = parse_body(body)?;
    let id = required(&req.client_id, "clientId")?;
    let secret = required(&req.client_secret, "clientSecret")?;
    let grant = required(&req.grant_type, "grantType")?;
    let mut st = sh.lock();
    let client = authenticate(&st, id, secret)?;
    if !KNOWN_GRANTS.contains(&grant) {
        return Err(OidcError::new(K::UnsupportedGrantType, format!("Unsupported grant type: {grant}")));
    }
    // A client registered without grant types (as the CLI's device flow does) may use the
    // device code and refresh grants; the authorization-code grant must be registered.
    let allowed = if client.grant_types.is_empty() {
        grant != GRANT_AUTHORIZATION_CODE
    } else {
        client.grant_types.iter().any(|g| g == grant)
    };
    if !allowed {
        return Err(OidcError::new(K::UnauthorizedClient, "Client is not authorized for this grant type"));
    }
    match grant {
        GRANT_DEVICE_CODE => device_code_grant(&mut st, id, required(&req.device_code, "deviceCode")?),
        GRANT_REFRESH_TOKEN => refresh_grant(&mut st, id, required(&req.refresh_token, "refreshToken")?),
        _ => authorization_code_grant(
            &mut st,
            id,
            required(&req.code, "code")?,
            required(&req.redirect_uri, "redirectUri")?,
            required(&req.code_verifier, "codeVerifier")?,
        ),
    }
}

fn device_code_grant(st: &mut State, client_id: &str, device_code: &str) -> Result<state::IssuedTokens, OidcError> {
    let now = st.now_ms();
    let invalid = || OidcError::new(K::InvalidGrant, "Invalid device code provided");
    let Some(d) = st.devices.get_mut(device_code) else {
        return Err(invalid());
    };
    if d.client_id != client_id || d.status == DeviceStatus::Redeemed {
        return Err(invalid());
    }
    if now >= d.expires_at_ms {
        return Err(OidcError::new(K::ExpiredToken, "Device code has expired"));
    }
    let previous_poll = d.last_poll_ms.replace(now);
    match d.status {
        DeviceStatus::Denied => Err(OidcError::new(K::AccessDenied, "Access denied by the user")),
        DeviceStatus::Pending => {
            // Polled sooner than `interval` after the previous poll. The first poll may come
            // at once (the CLI tries immediately in case the client is pre-authorized).
            let too_fast = previous_poll.is_some_and(|p| now.saturating_sub(p) + 20 < d.interval_secs * 1000);
            if too_fast {
                Err(OidcError::new(K::SlowDown, "Client is polling too quickly"))
            } else {
                Err(OidcError::new(K::AuthorizationPending, "Authorization is still pending"))
            }
        }
        DeviceStatus::Approved | DeviceStatus::Redeemed => {
            d.status = DeviceStatus::Redeemed;
            let user = d.user;
            let start_url = Some(d.start_url.clone());
            Ok(st.issue_tokens(client_id, user, start_url))
        }
    }
}

fn refresh_grant(st: &mut State, client_id: &str, refresh_token: &str) -> Result<state::IssuedTokens, OidcError> {
    let now = st.now_ms();
    let invalid = || OidcError::new(K::InvalidGrant, "Invalid refresh token provided");
    let Some(t) = st.refresh_tokens.get(refresh_token) else {
        return Err(invalid());
    };
    if t.revoked || now >= t.expires_at_ms {
        return Err(invalid());
    }
    let session = t.session;
    match st.sessions.get(&session) {
        Some(s) if !s.ended && s.client_id == client_id => Ok(st.issue_for_session(session)),
        _ => Err(invalid()),
    }
}

/// base64url without padding of SHA-256(verifier), as RFC 7636 S256 defines.
pub fn pkce_challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn authorization_code_grant(
    st: &mut State,
    client_id: &str,
    code: &str,
    redirect_uri: &str,
    verifier: &str,
) -> Result<state::IssuedTokens, OidcError> {
    // Single use: the code is gone after the first attempt, right or wrong.
    let Some(c) = st.auth_codes.remove(code) else {
        return Err(OidcError::new(K::InvalidGrant, "Invalid authorization code provided"));
    };
    if c.client_id != client_id || st.now_ms() >= c.expires_at_ms {
        return Err(OidcError::new(K::InvalidGrant, "Invalid authorization code provided"));
    }
    if c.redirect_uri != redirect_uri {
        return Err(OidcError::new(K::InvalidGrant, "Redirect URI does not match the authorization request"));
    }
    if pkce_challenge(verifier) != c.code_challenge {
        return Err(OidcError::new(K::InvalidGrant, "Code verifier does not match the code challenge"));
    }
    let start_url = st.clients.get(client_id).and_then(|cl| cl.issuer_url.clone());
    Ok(st.issue_tokens(client_id, c.user, start_url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_matches_rfc7636_example() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn loopback_redirects_match_any_port() {
        let reg = "http://127.0.0.1/oauth/callback";
        assert!(redirect_matches(reg, "http://127.0.0.1:54321/oauth/callback"));
        assert!(!redirect_matches(reg, "http://127.0.0.1:54321/other"));
        assert!(!redirect_matches(reg, "http://evil.example/oauth/callback"));
        assert!(!redirect_matches("https://a.example/cb", "https://a.example:444/cb"));
    }

    #[test]
    fn redirect_acceptance() {
        assert!(acceptable_redirect("http://127.0.0.1/oauth/callback"));
        assert!(acceptable_redirect("https://abc.chromiumapp.org/"));
        assert!(!acceptable_redirect("http://evil.example/cb"));
        assert!(!acceptable_redirect("not a url"));
    }
}
