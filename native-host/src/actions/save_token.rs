//! `saveToken`: the token cache file, the `[sso-session]` section, and the CLI's stale role
//! credentials of that session; the same again in each sync target.

use ssobridge_core::config::{session_conflict, upsert_session, Change, ConfigFile};
use ssobridge_core::protocol::{SaveTokenParams, SaveTokenResult, SectionChange};
use ssobridge_core::token_cache::{cache_file_name, parse_timestamp, CachedToken};

use super::{path_string, role_cache, Context};
use crate::error::HostError;
use crate::paths::AwsPaths;
use crate::safe_write::Mode;
use crate::store;
use crate::targets::{self, Files, LocalFiles};
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
    let json = token.to_json();
    let mut result = {
        let _lock = store::lock_config(&ctx.paths.config_file)?;
        save(&LocalFiles, &ctx.paths, p, &json)?
    };
    result.targets = targets::each(&p.targets, |files, paths| save(files, paths, p, &json).map(|_| ()));
    tracing::info!(session = %p.session_name, removed = result.role_cache_removed, "token saved");
    Ok(result)
}

/// Writes the session's files in one place; the caller holds its lock.
fn save(files: &dyn Files, paths: &AwsPaths, p: &SaveTokenParams, json: &str) -> Result<SaveTokenResult, HostError> {
    // The config first: if it cannot be parsed, nothing is written at all.
    let update = store::update_config_in(files, &paths.config_file, false, |file| {
        if !p.takeover {
            if let Some(conflict) = session_conflict(file, &p.session_name, &p.start_url, &p.region) {
                return Err(conflict.into());
            }
        }
        Ok(upsert_session(file, &p.session_name, &p.start_url, &p.region, &p.scopes))
    })?;
    let dir = &paths.sso_cache_dir;
    let cache_file = dir.join(cache_file_name(&p.session_name));
    files.write(&cache_file, json.as_bytes(), Mode::Always0600)?;
    files.tidy(dir);
    // What was just written (or found unchanged) is the config the profiles come from.
    let config = ConfigFile::parse(&update.new)
        .map_err(|source| HostError::ConfigParse { path: update.target.clone(), source })?;
    let removed = role_cache::remove_for_session(files, &paths.cli_cache_dir, &config, &p.session_name)?;
    Ok(SaveTokenResult {
        cache_file: path_string(&cache_file),
        session_section: match update.value {
            Change::Added => SectionChange::Added,
            Change::Updated => SectionChange::Updated,
            Change::Unchanged => SectionChange::Unchanged,
        },
        role_cache_removed: removed.len() as u32,
        targets: Vec::new(),
    })
}
