//! `logout`: delete the session's token cache file and its CLI role credentials, as
//! `aws sso logout` does for one session. Config sections stay (the person may log in again).

use ssobridge_core::protocol::{LogoutParams, LogoutResult};
use ssobridge_core::token_cache::cache_file_name;

use super::{path_string, role_cache, Context};
use crate::error::HostError;
use crate::store;

pub fn run(ctx: &Context, p: &LogoutParams) -> Result<LogoutResult, HostError> {
    let mut removed = Vec::new();
    let token = ctx.paths.sso_cache_dir.join(cache_file_name(&p.session_name));
    match std::fs::remove_file(&token) {
        Ok(()) => removed.push(token),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(HostError::Io { what: "remove", path: token, source: e }),
    }
    // A config we cannot parse must not stop a logout: the token is gone either way.
    if let Ok((_, config)) = store::read_config(&ctx.paths.config_file) {
        removed.extend(role_cache::remove_for_session(&ctx.paths.cli_cache_dir, &config, &p.session_name)?);
    }
    tracing::info!(session = %p.session_name, removed = removed.len(), "logged out");
    Ok(LogoutResult { removed_files: removed.iter().map(|p| path_string(p)).collect() })
}
