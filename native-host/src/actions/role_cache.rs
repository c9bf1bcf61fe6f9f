//! AWS CLI v2 caches role credentials in `~/.aws/cli/cache/<sha1>.json` and reuses them
//! without looking at the SSO token, so after a new login it would keep the old identity.
//!
//! A cache file does not say which sso-session it came from, but its name is the SHA-1 of
//! `{"accountId":..,"roleName":..,"sessionName":..}`. So we delete exactly the files named for
//! the (account, role) pairs of the config's profiles that use this session, and only if they
//! hold `"ProviderType": "sso"`. Files of other sessions, of legacy profiles and of other
//! providers stay. Only regular files are read: a FIFO or symlink planted there is skipped
//! without blocking (this runs under the config lock).

use std::path::{Path, PathBuf};

use ssobridge_core::config::ConfigFile;
use ssobridge_core::token_cache::role_cache_file_name;

use crate::error::HostError;
use crate::targets::Files;

/// Largest cache file read; real ones are well under 4 KiB.
const MAX_CACHE_FILE: u64 = 64 * 1024;

/// The session's SSO role-credential cache files that exist.
pub fn files_for_session(files: &dyn Files, cache_dir: &Path, config: &ConfigFile, session: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for profile in config.sso_profiles().into_iter().filter(|p| p.session == session) {
        let (Some(account), Some(role)) = (&profile.account_id, &profile.role_name) else { continue };
        let path = cache_dir.join(role_cache_file_name(account, role, session));
        if found.contains(&path) {
            continue;
        }
        let Ok(Some(bytes)) = files.read_regular(&path, MAX_CACHE_FILE) else { continue };
        if serde_json::from_slice::<serde_json::Value>(&bytes).is_ok_and(|v| v["ProviderType"] == "sso") {
            found.push(path);
        }
    }
    found
}

/// Deletes the session's role-credential cache files; returns the paths removed.
pub fn remove_for_session(
    files: &dyn Files,
    cache_dir: &Path,
    config: &ConfigFile,
    session: &str,
) -> Result<Vec<PathBuf>, HostError> {
    let removed = files_for_session(files, cache_dir, config, session);
    for path in &removed {
        files.remove(path)?;
    }
    Ok(removed)
}
