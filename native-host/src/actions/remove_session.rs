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
use crate::store;

/// What the config edit removes.
#[derive(Default)]
struct Removal {
    profiles: Vec<String>,
    session_removed: bool,
    kept_for: Vec<String>,
}

pub fn run(ctx: &Context, p: &RemoveSessionParams) -> Result<RemoveSessionResult, HostError> {
    let path = &ctx.paths.config_file;
    let _lock = if p.dry_run { None } else { Some(store::lock_config(path)?) };
    // The role-credential files are found through the session's profiles, so list them before
    // those profiles go. Without `removeProfiles` an unreadable config must not stop the rest
    // (as for `logout`); with it, nothing happens until the config can be edited.
    let config = match store::read_config(path) {
        Ok((_, config)) => Some(config),
        Err(e) if p.remove_profiles => return Err(e),
        Err(_) => None,
    };
    let role_files = match &config {
        Some(config) => role_cache::files_for_session(&ctx.paths.cli_cache_dir, config, &p.session_name),
        None => Vec::new(),
    };
    let token = ctx.paths.sso_cache_dir.join(cache_file_name(&p.session_name));
    let mut files: Vec<_> =
        std::iter::once(token).filter(|t| std::fs::symlink_metadata(t).is_ok()).chain(role_files).collect();

    let mut result = RemoveSessionResult::default();
    if p.remove_profiles {
        let update = store::update_config(path, p.dry_run, |file| Ok(remove_from_config(file, &p.session_name)))?;
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
        files.retain(|file| match std::fs::remove_file(file) {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => {
                failed.get_or_insert(HostError::Io { what: "remove", path: file.clone(), source: e });
                false
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
    }
    result.removed_files = files.iter().map(|f| path_string(f)).collect();
    tracing::info!(session = %p.session_name, files = result.removed_files.len(), profiles = result.removed_profiles.len(),
                   section = result.session_removed, dry_run = p.dry_run, "session removed");
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
