//! Checks every request field that will reach a file, before anything is written.
//!
//! A value that passes here can go into an INI line or the token JSON without changing its
//! structure: no newlines, no control characters, no whitespace where a client would trim it,
//! and nothing a portal or page could use to add a key such as `credential_process`.

use super::{Action, ApplyProfilesParams, ProfileSpec, SaveTokenParams, TokenParams};
use crate::fields::fail;
pub use crate::fields::{account_id, output, region, role_name, session_name, start_url, FieldError, OUTPUT_FORMATS};
pub use crate::targets::targets;
use crate::token_cache::parse_timestamp;

/// Longest token string accepted (real access tokens are a few KiB).
pub const MAX_TOKEN_LEN: usize = 64 * 1024;

/// Validates every field of an action; on success the action can be written as is.
pub fn validate_action(action: &Action) -> Result<(), FieldError> {
    match action {
        Action::Hello(_) | Action::Status(_) | Action::DiscoverTargets(_) => Ok(()),
        Action::SaveToken(p) => validate_save_token(p),
        Action::ApplyProfiles(p) => validate_apply_profiles(p),
        Action::Logout(p) => {
            session_name("params.sessionName", &p.session_name)?;
            targets("params.targets", &p.targets)
        }
        Action::Undo(p) => undo_token("params.undoToken", &p.undo_token),
        Action::RemoveSession(p) => {
            session_name("params.sessionName", &p.session_name)?;
            targets("params.targets", &p.targets)
        }
    }
}

pub fn validate_save_token(p: &SaveTokenParams) -> Result<(), FieldError> {
    session_name("params.sessionName", &p.session_name)?;
    start_url("params.startUrl", &p.start_url)?;
    region("params.region", &p.region)?;
    for (i, scope) in p.scopes.iter().enumerate() {
        self::scope(&format!("params.scopes[{i}]"), scope)?;
    }
    token(&p.token)?;
    targets("params.targets", &p.targets)
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
    for (i, name) in p.takeover.iter().enumerate() {
        let field = format!("params.takeover[{i}]");
        crate::fields::profile_name(&field, name)?;
        if !seen.contains(name.as_str()) {
            return Err(fail(field, "names no profile of `params.profiles`"));
        }
    }
    let mut removed = std::collections::HashSet::new();
    for (i, name) in p.remove.iter().enumerate() {
        let field = format!("params.remove[{i}]");
        crate::fields::profile_name(&field, name)?;
        if seen.contains(name.as_str()) {
            return Err(fail(field, "names a profile that `params.profiles` also writes"));
        }
        if !removed.insert(name.as_str()) {
            return Err(fail(field, "names a profile already listed"));
        }
    }
    targets("params.targets", &p.targets)
}

/// What `applyProfiles` returned as `undoToken`.
pub fn undo_token(path: &str, token: &str) -> Result<(), FieldError> {
    match super::UndoToken::parse(token) {
        Some(_) => Ok(()),
        None => Err(fail(path, "is not an undo token returned by applyProfiles")),
    }
}

fn profile(path: &str, spec: &ProfileSpec) -> Result<(), FieldError> {
    crate::fields::profile_name(&format!("{path}.name"), &spec.name)?;
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
    fn token_strings_never_echo_the_value() {
        let err = token_string("params.token.accessToken", "secret value").unwrap_err();
        assert_eq!(err.field, "params.token.accessToken");
        assert!(!err.to_string().contains("secret"));
        assert!(token_string("t", "aoaAAAAGabc.def-ghi_jkl+/=").is_ok());
        assert!(token_string("t", "abc\ndef").is_err());
        assert!(token_string("t", "").is_err());
    }
}
