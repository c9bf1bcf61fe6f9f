//! `status`: the sso-sessions in the config, their tokens and profiles.

use ssobridge_core::protocol::{ProfileStatus, SessionStatus, StatusResult, TokenStatus};
use ssobridge_core::token_cache::{cache_file_name, format_timestamp, summarize};

use super::Context;
use crate::error::HostError;
use crate::store;

pub fn run(ctx: &Context) -> Result<StatusResult, HostError> {
    let (_, config) = store::read_config(&safe_target(ctx))?;
    let profiles = config.sso_profiles();
    let now = (ctx.now)();
    let sessions = config
        .sso_sessions()
        .into_iter()
        .map(|s| {
            let file = ctx.paths.sso_cache_dir.join(cache_file_name(&s.name));
            // Only a regular file is read, so a FIFO planted there cannot hang `status`.
            let json = crate::safe_write::read_regular(&file, 1024 * 1024)
                .ok()
                .flatten()
                .and_then(|b| String::from_utf8(b).ok());
            let token = json.and_then(|json| match summarize(&json, now) {
                Ok(summary) => Some(TokenStatus {
                    expires_at: format_timestamp(summary.expires_at),
                    refreshable: summary.refreshable,
                }),
                Err(e) => {
                    tracing::warn!(file = %file.display(), "unreadable token cache file: {e}");
                    None
                }
            });
            let profiles = profiles
                .iter()
                .filter(|p| p.session == s.name)
                .map(|p| ProfileStatus {
                    name: p.name.clone(),
                    account_id: p.account_id.clone(),
                    role_name: p.role_name.clone(),
                    region: p.region.clone(),
                    managed: p.managed,
                })
                .collect();
            SessionStatus {
                name: s.name,
                start_url: s.start_url,
                region: s.region,
                managed: s.managed,
                token,
                profiles,
            }
        })
        .collect();
    Ok(StatusResult { sessions, other_profiles: config.other_profile_names() })
}

fn safe_target(ctx: &Context) -> std::path::PathBuf {
    crate::safe_write::resolve(&ctx.paths.config_file)
}
