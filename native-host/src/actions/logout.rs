//! `logout`: delete the session's token cache file and its CLI role credentials, as
//! `aws sso logout` does for one session, locally and in each sync target. Config sections
//! stay (the person may log in again).

use std::path::PathBuf;

use ssobridge_core::protocol::{LogoutParams, LogoutResult};
use ssobridge_core::token_cache::cache_file_name;

use super::{path_string, role_cache, Context};
use crate::error::HostError;
use crate::paths::AwsPaths;
use crate::store;
use crate::targets::{self, Files, LocalFiles};

pub fn run(ctx: &Context, p: &LogoutParams) -> Result<LogoutResult, HostError> {
    let removed = forget(&LocalFiles, &ctx.paths, &p.session_name)?;
    let targets = targets::each(&p.targets, |files, paths| forget(files, paths, &p.session_name).map(|_| ()));
    tracing::info!(session = %p.session_name, removed = removed.len(), "logged out");
    Ok(LogoutResult { removed_files: removed.iter().map(|p| path_string(p)).collect(), targets })
}

/// Removes the session's token and role credentials in one place; returns what it removed.
fn forget(files: &dyn Files, paths: &AwsPaths, session: &str) -> Result<Vec<PathBuf>, HostError> {
    let mut removed = Vec::new();
    let token = paths.sso_cache_dir.join(cache_file_name(session));
    if files.remove(&token)? {
        removed.push(token);
    }
    // A config we cannot parse must not stop a logout: the token is gone either way.
    if let Ok((_, config)) = store::read_config_in(files, &paths.config_file) {
        removed.extend(role_cache::remove_for_session(files, &paths.cli_cache_dir, &config, session)?);
    }
    Ok(removed)
}
