//! AWS CLI v2 caches role credentials in `~/.aws/cli/cache/<sha1>.json` and reuses them
//! without looking at the SSO token, so after a new login it would keep the old identity.
//!
//! A cache file does not say which sso-session it came from, but its name is the SHA-1 of
//! `{"accountId":..,"roleName":..,"sessionName":..}`. So we delete exactly the files named for
//! the (account, role) pairs of the config's profiles that use this session, and only if they
//! hold `"ProviderType": "sso"`. Files of other sessions, of legacy profiles and of other
//! providers stay.

use std::fs;
use std::path::{Path, PathBuf};

use ssobridge_core::config::ConfigFile;
use ssobridge_core::token_cache::role_cache_file_name;

use crate::error::HostError;

/// Deletes the session's role-credential cache files; returns the paths removed.
pub fn remove_for_session(cache_dir: &Path, config: &ConfigFile, session: &str) -> Result<Vec<PathBuf>, HostError> {
    let mut removed = Vec::new();
    for profile in config.sso_profiles().into_iter().filter(|p| p.session == session) {
        let (Some(account), Some(role)) = (&profile.account_id, &profile.role_name) else { continue };
        let path = cache_dir.join(role_cache_file_name(account, role, session));
        let Ok(text) = fs::read_to_string(&path) else { continue };
        let is_sso = serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|v| v["ProviderType"] == "sso");
        if is_sso && !removed.contains(&path) {
            fs::remove_file(&path).map_err(HostError::io("remove", &path))?;
            removed.push(path);
        }
    }
    Ok(removed)
}
