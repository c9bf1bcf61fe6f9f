//! `removeSession`: what "Remove portal" leaves behind is nothing SSO Bridge made: the token
//! cache file and CLI role credentials (as `logout`), and with `removeProfiles` the profiles we
//! made for the session and its `[sso-session]` section. The section stays while a profile we
//! did not make still uses it, because removing it would break that profile.

use ssobridge_core::config::{ConfigFile, SectionId};
use ssobridge_core::protocol::{RemoveSessionParams, RemoveSessionResult};
use ssobridge_core::token_cache::cache_file_name;

use super::apply_profiles::review_diff;
use super::{path_string, role_cache, Context};
use crate::error::HostError;
use crate::paths::AwsPaths;
use crate::store;
use crate::targets::{self, Files, LocalFiles};

/// What the config edit removes.
#[derive(Default)]
struct Removal {
    profiles: Vec<String>,
    session_removed: bool,
    kept_for: Vec<String>,
}

pub fn run(ctx: &Context, p: &RemoveSessionParams) -> Result<RemoveSessionResult, HostError> {
    let mut result = {
        let _lock = if p.dry_run { None } else { Some(store::lock_config(&ctx.paths.config_file)?) };
        remove(&LocalFiles, &ctx.paths, p)?
    };
    if !p.dry_run {
        result.targets = targets::each(&p.targets, |files, paths| remove(files, paths, p).map(|_| ()));
    }
    tracing::info!(session = %p.session_name, files = result.removed_files.len(), profiles = result.removed_profiles.len(),
                   section = result.session_removed, dry_run = p.dry_run, "session removed");
    Ok(result)
}

/// Removes the session from one place; a real removal must hold that place's lock.
fn remove(files: &dyn Files, paths: &AwsPaths, p: &RemoveSessionParams) -> Result<RemoveSessionResult, HostError> {
    let path = &paths.config_file;
    // The role-credential files are found through the session's profiles, so list them before
    // those profiles go. Without `removeProfiles` an unreadable config must not stop the rest
    // (as for `logout`); with it, nothing happens until the config can be edited.
    let config = match store::read_config_in(files, path) {
        Ok((_, config)) => Some(config),
        Err(e) if p.remove_profiles => return Err(e),
        Err(_) => None,
    };
    let role_files = match &config {
        Some(config) => role_cache::files_for_session(files, &paths.cli_cache_dir, config, &p.session_name),
        None => Vec::new(),
    };
    let token = paths.sso_cache_dir.join(cache_file_name(&p.session_name));
    let token = if files.exists(&token)? { Some(token) } else { None };
    let mut found: Vec<_> = token.into_iter().chain(role_files).collect();

    let mut result = RemoveSessionResult::default();
    if p.remove_profiles {
        let update =
            store::update_config_in(files, path, p.dry_run, |file| Ok(remove_from_config(file, &p.session_name)))?;
        if p.dry_run {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("config");
            result.diff = Some(review_diff(&update.old, &update.new, name));
        }
        let removal = update.value;
        result.removed_profiles = removal.profiles;
        result.session_removed = removal.session_removed;
        result.session_kept_for = removal.kept_for;
    }
    if !p.dry_run {
        // Try every file, then report the first that could not go: the token must not be left
        // behind silently, and running the action again is safe.
        let mut failed = None;
        found.retain(|file| match files.remove(file) {
            Ok(removed) => removed,
            Err(e) => {
                failed.get_or_insert(e);
                false
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
    }
    result.removed_files = found.iter().map(|f| path_string(f)).collect();
    Ok(result)
}

fn remove_from_config(file: &mut ConfigFile, session: &str) -> Removal {
    let mut removal = Removal::default();
    for profile in file.sso_profiles().into_iter().filter(|p| p.session == session) {
        if profile.managed {
            file.remove(&SectionId::Profile(profile.name.clone()));
            removal.profiles.push(profile.name);
        } else {
            removal.kept_for.push(profile.name);
        }
    }
    if removal.kept_for.is_empty() {
        removal.session_removed = file.remove(&SectionId::SsoSession(session.to_string()));
    }
    removal
}
