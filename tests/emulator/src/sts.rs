//! STS GetCallerIdentity (query protocol, XML) for the role credentials the portal issued.
//!
//! The SigV4 signature is not verified: the access key id named in the `Authorization`
//! header's `Credential=` (or a presigned URL's `X-Amz-Credential`) must be one the emulator
//! issued and not expired, and a session token, when sent, must be the one issued with it.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State as AxumState};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::errors::StsError;
use crate::state::{self, Shared};

type Shr = AxumState<Arc<Shared>>;

pub async fn handle(AxumState(sh): Shr, headers: HeaderMap, RawQuery(q): RawQuery, body: Bytes) -> Response {
    // Parameters may come in the form body (POST) or the query string (GET, presigned).
    let mut params: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    params.extend(form_urlencoded::parse(q.as_deref().unwrap_or("").as_bytes()).into_owned());
    let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    if get("Action").as_deref() != Some("GetCallerIdentity") {
        sh.count("StsOther");
        return StsError::invalid_action().into_response();
    }
    crate::enter_api(&sh, "GetCallerIdentity").await;
    match caller_identity(&sh, &headers, get("X-Amz-Credential"), get("X-Amz-Security-Token")) {
        Ok(xml) => ([("content-type", "text/xml")], xml).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `AWS4-HMAC-SHA256 Credential=AKID/date/region/sts/aws4_request, SignedHeaders=..., Signature=...`
fn access_key_from_authorization(value: &str) -> Option<String> {
    let start = value.find("Credential=")? + "Credential=".len();
    let rest = &value[start..];
    let key = rest.split(['/', ',', ' ']).next()?;
    (!key.is_empty()).then(|| key.to_string())
}

fn caller_identity(
    sh: &Shared,
    headers: &HeaderMap,
    presigned_credential: Option<String>,
    presigned_token: Option<String>,
) -> Result<String, StsError> {
    let key = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(access_key_from_authorization)
        .or_else(|| presigned_credential.and_then(|c| c.split('/').next().map(String::from)))
        .ok_or_else(StsError::missing_authentication)?;
    let session_token =
        headers.get("x-amz-security-token").and_then(|v| v.to_str().ok()).map(String::from).or(presigned_token);
    let st = sh.lock();
    let creds = st.role_credentials.get(&key).ok_or_else(StsError::invalid_client_token_id)?;
    if session_token.is_some_and(|t| t != creds.session_token) {
        return Err(StsError::invalid_client_token_id());
    }
    if st.now_ms() >= creds.expires_at_ms {
        return Err(StsError::expired_token());
    }
    let user = st.user_name(creds.user);
    let account = &creds.account_id;
    let role = &creds.role_name;
    let arn = format!("arn:aws:sts::{account}:assumed-role/{role}/{user}");
    let user_id = format!("{}:{user}", role_id(account, role));
    Ok(format!(
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  \
         <GetCallerIdentityResult>\n    <Arn>{}</Arn>\n    <UserId>{}</UserId>\n    \
         <Account>{}</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    \
         <RequestId>{}</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n",
        xml_escape(&arn),
        xml_escape(&user_id),
        xml_escape(account),
        state::request_id()
    ))
}

/// A stable role id (`AROA...`) derived from account and role, like IAM's unique ids.
fn role_id(account: &str, role: &str) -> String {
    let digest = Sha256::digest(format!("{account}/{role}").as_bytes());
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let tail: String = digest.iter().take(17).map(|b| CHARS[(*b as usize) % CHARS.len()] as char).collect();
    format!("AROA{tail}")
}

pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sigv4_credential() {
        let h = "AWS4-HMAC-SHA256 Credential=ASIAABC/20260101/us-east-1/sts/aws4_request, \
                 SignedHeaders=host;x-amz-date, Signature=abc";
        assert_eq!(access_key_from_authorization(h).as_deref(), Some("ASIAABC"));
        assert_eq!(access_key_from_authorization("Bearer x"), None);
    }
}
