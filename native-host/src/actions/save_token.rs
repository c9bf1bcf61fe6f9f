//! `saveToken`: the token cache file, the `[sso-session]` section, and the CLI's stale role
//! credentials of that session.

use ssobridge_core::config::{session_conflict, upsert_session, Change};
use ssobridge_core::protocol::{SaveTokenParams, SaveTokenResult, SectionChange};
use ssobridge_core::token_cache::{cache_file_name, parse_timestamp, CachedToken};

use super::{path_string, role_cache, Context};
use crate::error::HostError;
use crate::safe_write::{self, Mode};
use crate::store;
use ssobridge_core::protocol::validate::FieldError;

pub fn run(ctx: &Context, p: &SaveTokenParams) -> Result<SaveTokenResult, HostError> {
    let timestamp = |field: &str, value: &str| {
        parse_timestamp(value).map_err(|e| HostError::Field(FieldError { field: field.into(), reason: e.to_string() }))
    };
    let token = CachedToken {
        start_url: p.start_url.clone(),
        region: p.region.clone(),
        access_token: p.token.access_token.clone(),
        expires_at: timestamp("params.token.expiresAt", &p.token.expires_at)?,
        client_id: p.token.client_id.clone(),
        client_secret: p.token.client_secret.clone(),
        registration_expires_at: timestamp("params.token.registrationExpiresAt", &p.token.registration_expires_at)?,
        refresh_token: p.token.refresh_token.clone(),
    };
    let _lock = store::lock_config(&ctx.paths.config_file)?;
    // The config first: if it cannot be parsed, nothing is written at all.
    let update = store::update_config(&ctx.paths.config_file, false, |file| {
        if !p.takeover {
            if let Some(conflict) = session_conflict(file, &p.session_name, &p.start_url, &p.region) {
                return Err(conflict.into());
            }
        }
        Ok(upsert_session(file, &p.session_name, &p.start_url, &p.region, &p.scopes))
    })?;
    let dir = &ctx.paths.sso_cache_dir;
    safe_write::ensure_private_dir(dir).map_err(HostError::io("create", dir))?;
    safe_write::remove_stale_temps(dir);
    let cache_file = dir.join(cache_file_name(&p.session_name));
    safe_write::write_atomic(&cache_file, token.to_json().as_bytes(), Mode::Always0600)
        .map_err(HostError::io("write", &cache_file))?;
    let (_, config) = store::read_config(&ctx.paths.config_file)?;
    let removed = role_cache::remove_for_session(&ctx.paths.cli_cache_dir, &config, &p.session_name)?;
    tracing::info!(session = %p.session_name, removed = removed.len(), "token saved");
    Ok(SaveTokenResult {
        cache_file: path_string(&cache_file),
        session_section: match update.value {
            Change::Added => SectionChange::Added,
            Change::Updated => SectionChange::Updated,
            Change::Unchanged => SectionChange::Unchanged,
        },
        role_cache_removed: removed.len() as u32,
    })
}
