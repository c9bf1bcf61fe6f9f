//! The two writes the host makes, as pure edits of a parsed config: the `[sso-session]` of a
//! new token, and the `[profile]` sections of `applyProfiles`.

use super::edit::Change;
use super::tree::{ConfigFile, SectionId};
use crate::protocol::ProfileSpec;

/// Keys we own in `[sso-session NAME]`.
pub const SESSION_KEYS: [&str; 3] = ["sso_start_url", "sso_region", "sso_registration_scopes"];

/// Keys we own in `[profile NAME]`. Nothing else is ever written there (aws-sdk-rust rejects a
/// profile that has `sso_start_url`/`sso_region` beside `sso_session`).
pub const PROFILE_KEYS: [&str; 5] = ["sso_session", "sso_account_id", "sso_role_name", "region", "output"];

/// Creates or updates `[sso-session NAME]`. Other keys a person added there are kept; an empty
/// scope list leaves `sso_registration_scopes` as it is.
pub fn upsert_session(file: &mut ConfigFile, name: &str, start_url: &str, region: &str, scopes: &[String]) -> Change {
    let scopes = scopes.join(",");
    let mut pairs = vec![(SESSION_KEYS[0], start_url), (SESSION_KEYS[1], region)];
    if !scopes.is_empty() {
        pairs.push((SESSION_KEYS[2], scopes.as_str()));
    }
    file.upsert(&SectionId::SsoSession(name.to_string()), &pairs, false)
}

/// Names per outcome, in request order (removed: file order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyOutcome {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
    pub removed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    #[error("sso-session `{0}` does not exist in the config (save a token for it first)")]
    SessionNotFound(String),
    #[error("profile `{name}` exists and was not created by sso-bridge; it is left alone")]
    NotManaged { index: usize, name: String },
}

/// Upserts each profile for `session` (marked as ours when created) and, with `prune`, removes
/// our other profiles of that session. Checks everything before changing anything.
pub fn apply_profiles(
    file: &mut ConfigFile,
    session: &str,
    profiles: &[ProfileSpec],
    prune: bool,
) -> Result<ApplyOutcome, ApplyError> {
    if !file.contains(&SectionId::SsoSession(session.to_string())) {
        return Err(ApplyError::SessionNotFound(session.to_string()));
    }
    for (index, spec) in profiles.iter().enumerate() {
        let id = SectionId::Profile(spec.name.clone());
        if file.contains(&id) && !file.is_managed(&id) {
            return Err(ApplyError::NotManaged { index, name: spec.name.clone() });
        }
    }
    let mut outcome = ApplyOutcome::default();
    for spec in profiles {
        let mut pairs = vec![
            (PROFILE_KEYS[0], session),
            (PROFILE_KEYS[1], spec.account_id.as_str()),
            (PROFILE_KEYS[2], spec.role_name.as_str()),
        ];
        if let Some(region) = &spec.region {
            pairs.push((PROFILE_KEYS[3], region));
        }
        if let Some(output) = &spec.output {
            pairs.push((PROFILE_KEYS[4], output));
        }
        let list = match file.upsert(&SectionId::Profile(spec.name.clone()), &pairs, true) {
            Change::Added => &mut outcome.added,
            Change::Updated => &mut outcome.updated,
            Change::Unchanged => &mut outcome.unchanged,
        };
        list.push(spec.name.clone());
    }
    if prune {
        let wanted: std::collections::HashSet<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
        for name in file.managed_profiles(session) {
            if !wanted.contains(name.as_str()) {
                file.remove(&SectionId::Profile(name.clone()));
                outcome.removed.push(name);
            }
        }
    }
    Ok(outcome)
}

/// An sso-session section as `status` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionView {
    pub name: String,
    pub start_url: Option<String>,
    pub region: Option<String>,
}

/// A profile that uses an sso-session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileView {
    pub name: String,
    pub session: String,
    pub account_id: Option<String>,
    pub role_name: Option<String>,
    pub region: Option<String>,
    pub managed: bool,
}

impl ConfigFile {
    /// Every `[sso-session NAME]`, in file order.
    pub fn sso_sessions(&self) -> Vec<SessionView> {
        self.section_ids()
            .filter_map(|id| match id {
                SectionId::SsoSession(name) => Some(SessionView {
                    name: name.clone(),
                    start_url: self.get(id, "sso_start_url").map(str::to_string),
                    region: self.get(id, "sso_region").map(str::to_string),
                }),
                _ => None,
            })
            .collect()
    }

    /// Every profile with an `sso_session` key, in file order.
    pub fn sso_profiles(&self) -> Vec<ProfileView> {
        let text = |id, key| self.get(id, key).map(str::to_string);
        self.section_ids()
            .filter_map(|id| match id {
                SectionId::Profile(name) => Some(ProfileView {
                    name: name.clone(),
                    session: text(id, "sso_session")?,
                    account_id: text(id, "sso_account_id"),
                    role_name: text(id, "sso_role_name"),
                    region: text(id, "region"),
                    managed: self.is_managed(id),
                }),
                _ => None,
            })
            .collect()
    }
}
