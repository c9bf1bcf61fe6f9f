//! Authorization code + PKCE, the way AWS CLI v2 does it (reference/aws-sso-interop.md §2).
//!
//! Split in two because a browser sits in between: [`begin`] registers (or reuses a registration)
//! and returns the `/authorize` URL plus a [`PkcePending`] the service worker persists; the worker
//! opens the URL in a tab, watches it navigate to `http://127.0.0.1:{port}/oauth/callback?...`,
//! and hands that URL to [`complete`], which checks `state` and exchanges the code.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::http::{query_pairs, Platform};
use crate::login::{ensure_registration, Flow, LoginResult, Registration, SessionConfig};
use crate::oidc::{self, Grant};
use crate::secret::Secret;

/// RFC 7636 §4.1 unreserved characters; the CLI draws its 64-character verifier from them.
const VERIFIER_CHARS: &[u8; 66] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
pub const VERIFIER_LEN: usize = 64;

/// A PKCE login waiting for its callback. Persist it (it holds the verifier) until [`complete`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PkcePending {
    pub session: SessionConfig,
    pub registration: Registration,
    /// True when `registration` is new and should be stored for the next login.
    pub new_registration: bool,
    /// Open this in a tab.
    pub authorize_url: String,
    /// `http://127.0.0.1:{port}/oauth/callback`: the prefix to watch tab navigations for.
    pub redirect_uri: String,
    pub state: String,
    pub code_verifier: Secret,
    /// Epoch ms after which nobody should wait for the callback any more (the CLI waits 10 min);
    /// a login past it is not joined by a second request (see [`super::single`]).
    #[serde(default)]
    pub expires_at_ms: u64,
}

/// How long a PKCE login waits for its callback, as the CLI does.
pub const CALLBACK_TIMEOUT_MS: u64 = 10 * 60 * 1000;

/// `base64url(sha256(verifier))` without padding (the S256 method).
pub fn code_challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// 64 characters from the RFC 7636 set, by rejection sampling so each is equally likely.
pub fn new_code_verifier<P: Platform>(platform: &P) -> Secret {
    let mut out = String::with_capacity(VERIFIER_LEN);
    let mut buf = [0u8; 96];
    while out.len() < VERIFIER_LEN {
        platform.random_bytes(&mut buf);
        for b in buf {
            // 198 = 3 × 66: bytes above it would favour the first characters.
            if b < 198 && out.len() < VERIFIER_LEN {
                out.push(VERIFIER_CHARS[(b % 66) as usize] as char);
            }
        }
    }
    Secret::new(out)
}

/// A random UUID v4 string, as the CLI uses for `state`.
pub fn new_state<P: Platform>(platform: &P) -> String {
    let mut b = [0u8; 16];
    platform.random_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// Registers (or reuses `stored`) and builds the `/authorize` URL. `port` is the loopback port
/// in the redirect URI (nothing needs to listen there); a random ephemeral one when `None`.
pub async fn begin<P: Platform>(
    platform: &P,
    session: SessionConfig,
    stored: Option<Registration>,
    port: Option<u16>,
) -> Result<PkcePending, Error> {
    let endpoints = session.validate()?;
    let port = match port {
        Some(0) => return Err(Error::invalid_input("port", "must be 1-65535")),
        Some(p) => p,
        None => {
            let mut b = [0u8; 2];
            platform.random_bytes(&mut b);
            49152 + u16::from_le_bytes(b) % (65535 - 49152)
        }
    };
    let (registration, reused) =
        ensure_registration(platform, &endpoints, &session, Flow::AuthorizationCode, stored).await?;
    let redirect_uri = format!("http://127.0.0.1:{port}/oauth/callback");
    let state = new_state(platform);
    let code_verifier = new_code_verifier(platform);
    let authorize_url = oidc::authorize_url(
        &endpoints,
        &registration.client_id,
        &redirect_uri,
        &state,
        &code_challenge(code_verifier.expose()),
        &registration.scopes,
    );
    let expires_at_ms = platform.now_ms().saturating_add(CALLBACK_TIMEOUT_MS);
    Ok(PkcePending {
        session,
        registration,
        new_registration: !reused,
        authorize_url,
        redirect_uri,
        state,
        code_verifier,
        expires_at_ms,
    })
}

/// Checks the callback URL against the pending login and exchanges its code for a token.
pub async fn complete<P: Platform>(
    platform: &P,
    pending: &PkcePending,
    callback_url: &str,
) -> Result<LoginResult, Error> {
    let endpoints = pending.session.validate()?;
    let rest = callback_url
        .strip_prefix(pending.redirect_uri.as_str())
        .filter(|rest| rest.is_empty() || rest.starts_with('?'))
        .ok_or_else(|| Error::invalid_input("callbackUrl", "is not this login's redirect URI"))?;
    let params = query_pairs(rest);
    let get = |k: &str| params.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    // state first: an error or code from someone else's redirect must not end this login.
    if get("state") != Some(pending.state.as_str()) {
        return Err(Error::StateMismatch);
    }
    if let Some(error) = get("error") {
        let description = get("error_description").unwrap_or("").chars().take(300).collect::<String>();
        return Err(match error {
            "access_denied" => Error::AccessDenied(description),
            other => Error::Service { status: 0, kind: other.chars().take(64).collect(), message: description },
        });
    }
    let code = get("code")
        .filter(|c| !c.is_empty())
        .ok_or_else(|| Error::InvalidResponse("the callback has no code".into()))?;
    let token = oidc::create_token(
        platform,
        &endpoints,
        &pending.registration,
        &Grant::AuthorizationCode { code, redirect_uri: &pending.redirect_uri, code_verifier: &pending.code_verifier },
    )
    .await?;
    Ok(LoginResult { session: pending.session.clone(), registration: pending.registration.clone(), token })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::fake_platform::{block_on, oauth_error, ok, FakePlatform};

    #[test]
    fn rfc7636_appendix_b_vector() {
        assert_eq!(
            code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifier_and_state_shapes() {
        let p = FakePlatform::scripted(vec![]);
        let v = new_code_verifier(&p);
        assert_eq!(v.expose().len(), 64);
        assert!(v.expose().bytes().all(|b| VERIFIER_CHARS.contains(&b)));
        assert_ne!(new_code_verifier(&p), v);
        assert_eq!(code_challenge(v.expose()).len(), 43);
        let s = new_state(&p);
        assert_eq!(s.len(), 36);
        assert_eq!(&s[14..15], "4");
    }

    fn session() -> SessionConfig {
        SessionConfig {
            session_name: "corp".into(),
            start_url: "https://d-1234567890.awsapps.com/start".into(),
            region: "us-east-1".into(),
            scopes: vec![],
            endpoints: None,
            dual_stack: false,
        }
    }

    fn registered() -> crate::http::HttpResponse {
        ok(
            json!({"clientId": "cid", "clientSecret": "csec", "clientIdIssuedAt": 1, "clientSecretExpiresAt": 4_000_000_000u64}),
        )
    }

    fn begun(p: &FakePlatform) -> PkcePending {
        block_on(begin(p, session(), None, Some(54321))).unwrap()
    }

    #[test]
    fn begin_builds_the_cli_authorize_url() {
        let p = FakePlatform::scripted(vec![registered()]);
        let pending = begun(&p);
        assert_eq!(p.body(0)["grantTypes"], json!(["authorization_code", "refresh_token"]));
        assert_eq!(pending.redirect_uri, "http://127.0.0.1:54321/oauth/callback");
        let q = query_pairs(&pending.authorize_url);
        let keys: Vec<&str> = q.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "response_type",
                "client_id",
                "redirect_uri",
                "state",
                "code_challenge_method",
                "scopes",
                "code_challenge"
            ]
        );
        assert!(pending
            .authorize_url
            .starts_with("https://oidc.us-east-1.amazonaws.com/authorize?response_type=code&client_id=cid&"));
        assert_eq!(q[3].1, pending.state);
        assert_eq!(q[5].1, "sso:account:access");
        assert_eq!(q[6].1, code_challenge(pending.code_verifier.expose()));
        assert!(pending.new_registration);
        // Round-trips through JSON (chrome.storage.session).
        let back: PkcePending = serde_json::from_str(&serde_json::to_string(&pending).unwrap()).unwrap();
        assert_eq!(back, pending);
    }

    #[test]
    fn complete_exchanges_the_code_with_verifier_and_redirect() {
        let p = FakePlatform::scripted(vec![
            registered(),
            ok(json!({"accessToken": "at", "expiresIn": 3600, "refreshToken": "rt"})),
        ]);
        let pending = begun(&p);
        let cb = format!("{}?code=the%2Fcode&state={}", pending.redirect_uri, pending.state);
        let result = block_on(complete(&p, &pending, &cb)).unwrap();
        assert_eq!(result.token.access_token.expose(), "at");
        assert_eq!(
            p.body(1),
            json!({"clientId": "cid", "clientSecret": "csec", "grantType": "authorization_code", "code": "the/code",
                   "redirectUri": "http://127.0.0.1:54321/oauth/callback", "codeVerifier": pending.code_verifier.expose()})
        );
    }

    #[test]
    fn state_mismatch_and_foreign_callbacks_are_refused_without_a_request() {
        let p = FakePlatform::scripted(vec![registered()]);
        let pending = begun(&p);
        let cases = [
            (format!("{}?code=c&state=other", pending.redirect_uri), "state_mismatch"),
            (format!("{}?code=c", pending.redirect_uri), "state_mismatch"),
            (format!("{}?error=access_denied&state=evil", pending.redirect_uri), "state_mismatch"),
            (format!("http://127.0.0.1:1/oauth/callback?code=c&state={}", pending.state), "invalid_input"),
            (format!("{}x?code=c&state={}", pending.redirect_uri, pending.state), "invalid_input"),
            (format!("{}?error=access_denied&state={}", pending.redirect_uri, pending.state), "access_denied"),
            (format!("{}?state={}", pending.redirect_uri, pending.state), "invalid_response"),
        ];
        for (url, code) in cases {
            assert_eq!(block_on(complete(&p, &pending, &url)).map(|_| ()).map_err(|e| e.code()), Err(code), "{url}");
        }
        assert_eq!(p.requests.borrow().len(), 1);
    }

    #[test]
    fn a_rejected_code_is_invalid_grant() {
        let p = FakePlatform::scripted(vec![registered(), oauth_error("InvalidGrantException", "invalid_grant")]);
        let pending = begun(&p);
        let cb = format!("{}?code=c&state={}", pending.redirect_uri, pending.state);
        assert_eq!(block_on(complete(&p, &pending, &cb)).map(|_| ()).map_err(|e| e.code()), Err("invalid_grant"));
    }
}
