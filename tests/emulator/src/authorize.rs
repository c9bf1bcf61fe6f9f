//! `GET /authorize` and the consent decision behind it (authorization code + PKCE, as AWS CLI
//! v2 drives it: aws-sso-interop.md §2). The pages themselves are rendered in `pages.rs`.

use crate::oidc::{redirect_matches, GRANT_AUTHORIZATION_CODE};
use crate::state::{self, Shared, State};

/// Authorization codes live this long (RFC 6749 recommends at most 10 minutes).
const AUTH_CODE_LIFETIME_MS: u64 = 5 * 60 * 1000;

/// What `/authorize` decided about a request.
pub enum AuthorizeOutcome {
    /// Show the consent page for this consent id.
    Consent { consent_id: String, client_name: String, scopes: Vec<String> },
    /// Redirect the browser (to the client's redirect URI, with a code or an error).
    Redirect(String),
    /// Something is wrong with the client or its redirect URI: show an error page, never
    /// redirect to an unverified URI.
    Error(String),
}

/// The query of `GET /authorize`.
#[derive(Debug, Default)]
pub struct AuthorizeQuery {
    pub response_type: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub state: Option<String>,
    pub code_challenge_method: Option<String>,
    pub code_challenge: Option<String>,
    pub scopes: Option<String>,
}

impl AuthorizeQuery {
    pub fn parse(query: &str) -> AuthorizeQuery {
        let mut q = AuthorizeQuery::default();
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            let v = Some(v.into_owned());
            match k.as_ref() {
                "response_type" => q.response_type = v,
                "client_id" => q.client_id = v,
                "redirect_uri" => q.redirect_uri = v,
                "state" => q.state = v,
                "code_challenge_method" => q.code_challenge_method = v,
                "code_challenge" => q.code_challenge = v,
                "scopes" | "scope" => q.scopes = v,
                _ => {}
            }
        }
        q
    }
}

/// Append query pairs to a redirect URI.
pub fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    match url::Url::parse(uri) {
        Ok(mut u) => {
            {
                let mut q = u.query_pairs_mut();
                for (k, v) in pairs {
                    q.append_pair(k, v);
                }
            }
            u.to_string()
        }
        Err(_) => uri.to_string(),
    }
}

pub fn authorize(sh: &Shared, q: AuthorizeQuery) -> AuthorizeOutcome {
    let mut st = sh.lock();
    let Some(client_id) = q.client_id.as_deref() else {
        return AuthorizeOutcome::Error("client_id is required".into());
    };
    let Some(client) = st.clients.get(client_id) else {
        return AuthorizeOutcome::Error("Unknown client".into());
    };
    if st.now_secs() >= client.secret_expires_at {
        return AuthorizeOutcome::Error("Client registration has expired".into());
    }
    let Some(redirect_uri) = q.redirect_uri.clone() else {
        return AuthorizeOutcome::Error("redirect_uri is required".into());
    };
    if !client.redirect_uris.iter().any(|r| redirect_matches(r, &redirect_uri)) {
        return AuthorizeOutcome::Error("redirect_uri does not match a registered redirect URI".into());
    }
    let state_param = q.state.clone();
    let fail = |error: &str| {
        let mut pairs = vec![("error", error)];
        if let Some(s) = state_param.as_deref() {
            pairs.push(("state", s));
        }
        AuthorizeOutcome::Redirect(with_query(&redirect_uri, &pairs))
    };
    if !client.grant_types.iter().any(|g| g == GRANT_AUTHORIZATION_CODE) {
        return fail("unauthorized_client");
    }
    if q.response_type.as_deref() != Some("code") {
        return fail("unsupported_response_type");
    }
    let challenge = match (q.code_challenge_method.as_deref(), q.code_challenge.as_deref()) {
        (Some("S256"), Some(c)) if c.len() >= 43 && c.len() <= 128 => c.to_string(),
        _ => return fail("invalid_request"),
    };
    let client_name = client.name.clone();
    let scopes: Vec<String> = q.scopes.as_deref().unwrap_or("").split_whitespace().map(String::from).collect();
    let consent = state::Consent {
        client_id: client_id.to_string(),
        redirect_uri,
        state: q.state,
        code_challenge: challenge,
        scopes: scopes.clone(),
        expires_at_ms: st.now_ms() + 10 * 60 * 1000,
    };
    if st.config.auto_approve {
        return AuthorizeOutcome::Redirect(grant_consent(&mut st, consent, 0));
    }
    let consent_id = state::random_string(32);
    st.consents.insert(consent_id.clone(), consent);
    AuthorizeOutcome::Consent { consent_id, client_name, scopes }
}

/// The person pressed Allow or Deny on the consent page. None: unknown or expired consent.
pub fn decide_consent(sh: &Shared, consent_id: &str, allow: bool, user: usize) -> Option<String> {
    let mut st = sh.lock();
    let consent = st.consents.remove(consent_id)?;
    if st.now_ms() >= consent.expires_at_ms {
        return None;
    }
    if allow {
        Some(grant_consent(&mut st, consent, user))
    } else {
        let mut pairs = vec![("error", "access_denied")];
        if let Some(s) = consent.state.as_deref() {
            pairs.push(("state", s));
        }
        Some(with_query(&consent.redirect_uri, &pairs))
    }
}

fn grant_consent(st: &mut State, consent: state::Consent, user: usize) -> String {
    let code = state::random_string(48);
    let expires_at_ms = st.now_ms() + AUTH_CODE_LIFETIME_MS;
    st.auth_codes.insert(
        code.clone(),
        state::AuthCode {
            client_id: consent.client_id,
            redirect_uri: consent.redirect_uri.clone(),
            code_challenge: consent.code_challenge,
            expires_at_ms,
            user,
        },
    );
    let mut pairs = vec![("code", code.as_str())];
    if let Some(s) = consent.state.as_deref() {
        pairs.push(("state", s));
    }
    with_query(&consent.redirect_uri, &pairs)
}
