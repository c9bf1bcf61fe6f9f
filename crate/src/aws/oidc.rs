//! SSO OIDC (rest-json, unsigned): RegisterClient, StartDeviceAuthorization, CreateToken and the
//! `/authorize` URL, as requests built from plain values and responses decoded into plain values.
//! Wire facts: reference/aws-sso-interop.md §1-§2.

use serde::{Deserialize, Serialize};

use crate::endpoints::Endpoints;
use crate::error::Error;
use crate::http::{send_json, url_with_query, HttpRequest, Platform};
use crate::secret::Secret;
use crate::sso_session::{Flow, Registration, SessionConfig, Token};

pub const GRANT_DEVICE_CODE: &str = "urn:ietf:params:oauth:grant-type:device_code";
pub const GRANT_AUTHORIZATION_CODE: &str = "authorization_code";
pub const GRANT_REFRESH_TOKEN: &str = "refresh_token";
/// Registered without a port; the service matches loopback redirects on any port (RFC 8252 §7.3).
pub const REDIRECT_URI: &str = "http://127.0.0.1/oauth/callback";

/// RegisterClient. The device flow registers like the CLI (no grant types, no redirect URIs); the
/// authorization-code flow adds grant types, the loopback redirect and `issuerUrl` = start URL.
pub fn register_client_request(endpoints: &Endpoints, session: &SessionConfig, flow: Flow) -> HttpRequest {
    let pkce = flow == Flow::AuthorizationCode;
    let body = Body {
        client_name: Some(&session.client_name()),
        client_type: Some("public"),
        scopes: Some(session.effective_scopes()),
        grant_types: pkce.then(|| vec![GRANT_AUTHORIZATION_CODE.into(), GRANT_REFRESH_TOKEN.into()]),
        redirect_uris: pkce.then(|| vec![REDIRECT_URI.into()]),
        issuer_url: pkce.then_some(session.start_url.as_str()),
        ..Body::default()
    };
    HttpRequest::post_json(format!("{}/client/register", endpoints.oidc), &body)
}

/// Every OIDC request body field; absent ones are left out. One struct rather than `json!`
/// keeps serde_json's `Value` (and its BTreeMap) out of the wasm module.
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    client_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scopes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grant_types: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_uris: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issuer_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grant_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    device_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_uri: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_verifier: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegisterClientResponse {
    client_id: String,
    client_secret: Secret,
    /// Epoch seconds.
    client_secret_expires_at: u64,
}

pub async fn register_client<P: Platform>(
    platform: &P,
    endpoints: &Endpoints,
    session: &SessionConfig,
    flow: Flow,
) -> Result<Registration, Error> {
    let r: RegisterClientResponse = send_json(platform, register_client_request(endpoints, session, flow)).await?;
    Ok(Registration {
        client_id: r.client_id,
        client_secret: r.client_secret,
        expires_at_ms: r.client_secret_expires_at.saturating_mul(1000),
        flow,
        region: session.region.clone(),
        start_url: session.start_url.clone(),
        scopes: session.effective_scopes(),
    })
}

pub fn start_device_authorization_request(
    endpoints: &Endpoints,
    registration: &Registration,
    start_url: &str,
) -> HttpRequest {
    HttpRequest::post_json(
        format!("{}/device_authorization", endpoints.oidc),
        &Body {
            client_id: Some(&registration.client_id),
            client_secret: Some(registration.client_secret.expose()),
            start_url: Some(start_url),
            ..Body::default()
        },
    )
}

/// A StartDeviceAuthorization result.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceAuthorization {
    pub device_code: Secret,
    pub user_code: String,
    pub verification_uri: String,
    #[serde(default)]
    pub verification_uri_complete: Option<String>,
    /// Seconds.
    pub expires_in: u64,
    /// Seconds; RFC 8628 says 5 when absent.
    #[serde(default)]
    pub interval: Option<u64>,
}

pub async fn start_device_authorization<P: Platform>(
    platform: &P,
    endpoints: &Endpoints,
    registration: &Registration,
    start_url: &str,
) -> Result<DeviceAuthorization, Error> {
    send_json(platform, start_device_authorization_request(endpoints, registration, start_url)).await
}

/// The grant a CreateToken call redeems.
pub enum Grant<'a> {
    DeviceCode(&'a Secret),
    AuthorizationCode { code: &'a str, redirect_uri: &'a str, code_verifier: &'a Secret },
    RefreshToken(&'a Secret),
}

/// CreateToken with exactly the fields the CLI sends for each grant (§1.1).
pub fn create_token_request(endpoints: &Endpoints, registration: &Registration, grant: &Grant<'_>) -> HttpRequest {
    let mut body = Body {
        client_id: Some(&registration.client_id),
        client_secret: Some(registration.client_secret.expose()),
        ..Body::default()
    };
    match grant {
        Grant::DeviceCode(code) => {
            body.grant_type = Some(GRANT_DEVICE_CODE);
            body.device_code = Some(code.expose());
        }
        Grant::AuthorizationCode { code, redirect_uri, code_verifier } => {
            body.grant_type = Some(GRANT_AUTHORIZATION_CODE);
            body.code = Some(code);
            body.redirect_uri = Some(redirect_uri);
            body.code_verifier = Some(code_verifier.expose());
        }
        Grant::RefreshToken(token) => {
            body.grant_type = Some(GRANT_REFRESH_TOKEN);
            body.refresh_token = Some(token.expose());
        }
    }
    HttpRequest::post_json(format!("{}/token", endpoints.oidc), &body)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateTokenResponse {
    access_token: Secret,
    /// Seconds.
    expires_in: u64,
    #[serde(default)]
    refresh_token: Option<Secret>,
}

/// Calls CreateToken; the expiry is made absolute with the platform clock.
pub async fn create_token<P: Platform>(
    platform: &P,
    endpoints: &Endpoints,
    registration: &Registration,
    grant: &Grant<'_>,
) -> Result<Token, Error> {
    let r: CreateTokenResponse = send_json(platform, create_token_request(endpoints, registration, grant)).await?;
    if r.access_token.expose().is_empty() {
        return Err(Error::InvalidResponse("CreateToken returned an empty accessToken".into()));
    }
    Ok(Token {
        access_token: r.access_token,
        expires_at_ms: platform.now_ms().saturating_add(r.expires_in.saturating_mul(1000)),
        refresh_token: r.refresh_token.filter(|t| !t.expose().is_empty()),
    })
}

/// `{oidc}/authorize?...` with the parameters in the order AWS CLI v2 builds them (§2 step 4).
pub fn authorize_url(
    endpoints: &Endpoints,
    client_id: &str,
    redirect_uri: &str,
    state: &str,
    code_challenge: &str,
    scopes: &[String],
) -> String {
    url_with_query(
        &format!("{}/authorize", endpoints.oidc),
        &[
            ("response_type", "code"),
            ("client_id", client_id),
            ("redirect_uri", redirect_uri),
            ("state", state),
            ("code_challenge_method", "S256"),
            ("scopes", &scopes.join(" ")),
            ("code_challenge", code_challenge),
        ],
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn session() -> SessionConfig {
        SessionConfig {
            session_name: "my-sso".into(),
            start_url: "https://d-1234567890.awsapps.com/start".into(),
            region: "us-east-1".into(),
            scopes: vec![],
            endpoints: None,
            dual_stack: false,
        }
    }

    fn body(r: &HttpRequest) -> serde_json::Value {
        serde_json::from_str(r.body.as_deref().unwrap()).unwrap()
    }

    #[test]
    fn register_bodies_per_flow() {
        let e = Endpoints::for_region("us-east-1").unwrap();
        let device = register_client_request(&e, &session(), Flow::Device);
        assert_eq!(device.url, "https://oidc.us-east-1.amazonaws.com/client/register");
        assert_eq!(
            body(&device),
            json!({"clientName": "sso-bridge-my-sso", "clientType": "public", "scopes": ["sso:account:access"]})
        );
        let pkce = body(&register_client_request(&e, &session(), Flow::AuthorizationCode));
        assert_eq!(pkce["grantTypes"], json!(["authorization_code", "refresh_token"]));
        assert_eq!(pkce["redirectUris"], json!(["http://127.0.0.1/oauth/callback"]));
        assert_eq!(pkce["issuerUrl"], json!("https://d-1234567890.awsapps.com/start"));
    }

    #[test]
    fn refresh_sends_exactly_four_fields() {
        let e = Endpoints::for_region("us-east-1").unwrap();
        let reg = Registration {
            client_id: "cid".into(),
            client_secret: "csec".into(),
            expires_at_ms: 0,
            flow: Flow::Device,
            region: "us-east-1".into(),
            start_url: "x".into(),
            scopes: vec![],
        };
        let rt = Secret::new("rt");
        let b = body(&create_token_request(&e, &reg, &Grant::RefreshToken(&rt)));
        assert_eq!(
            b,
            json!({"clientId": "cid", "clientSecret": "csec", "grantType": "refresh_token", "refreshToken": "rt"})
        );
    }

    #[test]
    fn authorize_url_matches_the_cli() {
        let e = Endpoints::for_region("us-east-1").unwrap();
        let url = authorize_url(
            &e,
            "cid",
            "http://127.0.0.1:54321/oauth/callback",
            "st",
            "ch",
            &["sso:account:access".into()],
        );
        assert_eq!(
            url,
            "https://oidc.us-east-1.amazonaws.com/authorize?response_type=code&client_id=cid\
             &redirect_uri=http%3A%2F%2F127.0.0.1%3A54321%2Foauth%2Fcallback&state=st\
             &code_challenge_method=S256&scopes=sso%3Aaccount%3Aaccess&code_challenge=ch"
        );
    }
}
