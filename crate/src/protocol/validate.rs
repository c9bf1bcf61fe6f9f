//! Checks every request field that will reach a file, before anything is written.
//!
//! A value that passes here can go into an INI line or the token JSON without changing its
//! structure: no newlines, no control characters, no whitespace where a client would trim it,
//! and nothing a portal or page could use to add a key such as `credential_process`.

use super::{Action, ApplyProfilesParams, ProfileSpec, SaveTokenParams, TokenParams};
use crate::names::check_name;
use crate::token_cache::parse_timestamp;

/// A field that failed validation, with its JSON path (`params.profiles[3].name`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{field}` {reason}")]
pub struct FieldError {
    pub field: String,
    pub reason: String,
}

fn fail(field: impl Into<String>, reason: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), reason: reason.into() }
}

/// The output formats the AWS CLI accepts.
pub const OUTPUT_FORMATS: [&str; 5] = ["json", "yaml", "yaml-stream", "text", "table"];

/// Longest token string accepted (real access tokens are a few KiB).
pub const MAX_TOKEN_LEN: usize = 64 * 1024;

/// Validates every field of an action; on success the action can be written as is.
pub fn validate_action(action: &Action) -> Result<(), FieldError> {
    match action {
        Action::Hello(_) | Action::Status(_) => Ok(()),
        Action::SaveToken(p) => validate_save_token(p),
        Action::ApplyProfiles(p) => validate_apply_profiles(p),
        Action::Logout(p) => session_name("params.sessionName", &p.session_name),
    }
}

pub fn validate_save_token(p: &SaveTokenParams) -> Result<(), FieldError> {
    session_name("params.sessionName", &p.session_name)?;
    start_url("params.startUrl", &p.start_url)?;
    region("params.region", &p.region)?;
    for (i, scope) in p.scopes.iter().enumerate() {
        self::scope(&format!("params.scopes[{i}]"), scope)?;
    }
    token(&p.token)
}

fn token(t: &TokenParams) -> Result<(), FieldError> {
    token_string("params.token.accessToken", t.access_token.expose())?;
    timestamp("params.token.expiresAt", &t.expires_at)?;
    if let Some(refresh) = &t.refresh_token {
        token_string("params.token.refreshToken", refresh.expose())?;
    }
    token_string("params.token.clientId", &t.client_id)?;
    token_string("params.token.clientSecret", t.client_secret.expose())?;
    timestamp("params.token.registrationExpiresAt", &t.registration_expires_at)
}

pub fn validate_apply_profiles(p: &ApplyProfilesParams) -> Result<(), FieldError> {
    session_name("params.sessionName", &p.session_name)?;
    let mut seen = std::collections::HashSet::new();
    for (i, spec) in p.profiles.iter().enumerate() {
        profile(&format!("params.profiles[{i}]"), spec)?;
        if !seen.insert(spec.name.as_str()) {
            return Err(fail(format!("params.profiles[{i}].name"), "names a profile already listed"));
        }
    }
    Ok(())
}

fn profile(path: &str, spec: &ProfileSpec) -> Result<(), FieldError> {
    check_name(&spec.name).map_err(|e| fail(format!("{path}.name"), e.to_string()))?;
    account_id(&format!("{path}.accountId"), &spec.account_id)?;
    role_name(&format!("{path}.roleName"), &spec.role_name)?;
    if let Some(r) = &spec.region {
        region(&format!("{path}.region"), r)?;
    }
    if let Some(o) = &spec.output {
        output(&format!("{path}.output"), o)?;
    }
    Ok(())
}

pub fn session_name(path: &str, name: &str) -> Result<(), FieldError> {
    check_name(name).map_err(|e| fail(path, e.to_string()))
}

/// Exactly 12 ASCII digits.
pub fn account_id(path: &str, id: &str) -> Result<(), FieldError> {
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(fail(path, "must be exactly 12 digits"))
    }
}

/// IAM role names: 1–64 of `[A-Za-z0-9+=,.@_-]`. None of them can end a line, start a comment
/// (`#`/`;` need a preceding space in aws-sdk-rust) or a section.
pub fn role_name(path: &str, name: &str) -> Result<(), FieldError> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c);
    if name.is_empty() || name.len() > 64 {
        return Err(fail(path, "must be 1 to 64 characters"));
    }
    match name.chars().find(|c| !ok_char(*c)) {
        Some(c) => Err(fail(path, format!("contains {c:?}, which an IAM role name cannot"))),
        None => Ok(()),
    }
}

/// `^[a-z]{2}(-[a-z]+)+-\d+$`, e.g. `us-east-1`, `us-gov-west-1`, `cn-north-1`.
pub fn region(path: &str, region: &str) -> Result<(), FieldError> {
    let parts: Vec<&str> = region.split('-').collect();
    let ok = parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[1..parts.len() - 1].iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts.last().is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err(fail(path, "is not a region name such as us-east-1"))
    }
}

/// `https://HOST...`, or `http://` to a loopback host (the emulator and private test setups).
/// No whitespace or control characters: aws-sdk-rust cuts a value at ` #`/` ;` (an inline
/// comment) and botocore does not, so without whitespace both read the same URL, including a
/// portal URL copied with its `#/` fragment.
pub fn start_url(path: &str, url: &str) -> Result<(), FieldError> {
    if url.len() > 2048 {
        return Err(fail(path, "is longer than 2048 characters"));
    }
    if let Some(c) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(fail(path, format!("contains {c:?}")));
    }
    let host_of = |rest: &str| -> String {
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        let host = authority.rsplit('@').next().unwrap_or("");
        if let Some(v6) = host.strip_prefix('[') {
            format!("[{}", v6.split(']').next().unwrap_or(""))
        } else {
            host.split(':').next().unwrap_or("").to_string()
        }
    };
    if let Some(rest) = url.strip_prefix("https://") {
        if host_of(rest).is_empty() {
            return Err(fail(path, "has no host"));
        }
        return Ok(());
    }
    if let Some(rest) = url.strip_prefix("http://") {
        return match host_of(rest).as_str() {
            "127.0.0.1" | "localhost" | "[::1" => Ok(()),
            _ => Err(fail(path, "must use https (http only to 127.0.0.1 or localhost)")),
        };
    }
    Err(fail(path, "must be an https URL"))
}

pub fn output(path: &str, format: &str) -> Result<(), FieldError> {
    if OUTPUT_FORMATS.contains(&format) {
        Ok(())
    } else {
        Err(fail(path, format!("must be one of {}", OUTPUT_FORMATS.join(", "))))
    }
}

/// A scope such as `sso:account:access`; the list is written comma-separated.
pub fn scope(path: &str, scope: &str) -> Result<(), FieldError> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || ":._/-".contains(c);
    if scope.is_empty() || scope.len() > 256 || !scope.chars().all(ok_char) {
        return Err(fail(path, "must be 1 to 256 of letters, digits, ':', '.', '_', '/', '-'"));
    }
    Ok(())
}

/// Tokens, client ids and secrets: printable ASCII with no spaces. The value is never echoed.
pub fn token_string(path: &str, value: &str) -> Result<(), FieldError> {
    if value.is_empty() {
        return Err(fail(path, "is empty"));
    }
    if value.len() > MAX_TOKEN_LEN {
        return Err(fail(path, format!("is longer than {MAX_TOKEN_LEN} bytes")));
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(fail(path, "contains whitespace, control or non-ASCII characters"));
    }
    Ok(())
}

/// `YYYY-MM-DDTHH:MM:SSZ`, optionally with fractional seconds.
pub fn timestamp(path: &str, value: &str) -> Result<(), FieldError> {
    parse_timestamp(value).map(|_| ()).map_err(|e| fail(path, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        for ok in ["us-east-1", "us-gov-west-1", "cn-north-1", "ap-southeast-10", "eu-central-2"] {
            assert_eq!(region("r", ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "us-east",
            "US-east-1",
            "us-east-1 ",
            "us--1",
            "use-east-1",
            "us-east-1a",
            "us-east-1\n[x]",
            "u-east-1",
        ] {
            assert!(region("r", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn start_urls() {
        for ok in [
            "https://d-1234567890.awsapps.com/start",
            "https://my.app.aws",
            "http://127.0.0.1:8080/start",
            "http://localhost/x",
            "https://d-1234567890.awsapps.com/start/#/",
        ] {
            assert_eq!(start_url("u", ok), Ok(()), "{ok}");
        }
        for bad in [
            "http://example.com/start",
            "ftp://x",
            "https://",
            "https://a b",
            "https://x/ #frag",
            "https://x\n[profile p]",
            "http://127.0.0.1.evil.com/",
            "javascript:alert(1)",
        ] {
            assert!(start_url("u", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn accounts_roles_outputs() {
        assert!(account_id("a", "111122223333").is_ok());
        for bad in ["11112222333", "1111222233334", "11112222333x", "１１１１２２２２３３３３", ""] {
            assert!(account_id("a", bad).is_err(), "{bad:?}");
        }
        for ok in ["AdministratorAccess", "a+b=c,d.e@f_g-h"] {
            assert!(role_name("r", ok).is_ok());
        }
        for bad in ["", "a b", "a;b", "a#b", "a]b", "a\nb", &"x".repeat(65)] {
            assert!(role_name("r", bad).is_err(), "{bad:?}");
        }
        assert!(output("o", "yaml-stream").is_ok());
        assert!(output("o", "xml").is_err());
    }

    #[test]
    fn token_strings_never_echo_the_value() {
        let err = token_string("params.token.accessToken", "secret value").unwrap_err();
        assert_eq!(err.field, "params.token.accessToken");
        assert!(!err.to_string().contains("secret"));
        assert!(token_string("t", "aoaAAAAGabc.def-ghi_jkl+/=").is_ok());
        assert!(token_string("t", "abc\ndef").is_err());
        assert!(token_string("t", "").is_err());
    }
}
