//! The two writes the host makes, as pure edits of a parsed config: the `[sso-session]` of a
//! new token, and the `[profile]` sections of `applyProfiles`.

use super::edit::Change;
use super::tree::{ConfigFile, SectionId};
use crate::protocol::{ApplyProfilesParams, ProfileSpec};

/// Keys we own in `[sso-session NAME]`.
pub const SESSION_KEYS: [&str; 3] = ["sso_start_url", "sso_region", "sso_registration_scopes"];

/// Keys we own in `[profile NAME]`. Nothing else is ever written there (aws-sdk-rust rejects a
/// profile that has `sso_start_url`/`sso_region` beside `sso_session`).
pub const PROFILE_KEYS: [&str; 5] = ["sso_session", "sso_account_id", "sso_role_name", "region", "output"];

/// Creates or updates `[sso-session NAME]`. Other keys a person added there are kept; an empty
/// scope list leaves `sso_registration_scopes` as it is. A section it creates carries the
/// `# managed by sso-bridge` marker, like our profiles. Callers check [`session_conflict`] first.
pub fn upsert_session(file: &mut ConfigFile, name: &str, start_url: &str, region: &str, scopes: &[String]) -> Change {
    let scopes = scopes.join(",");
    let mut pairs = vec![(SESSION_KEYS[0], start_url), (SESSION_KEYS[1], region)];
    if !scopes.is_empty() {
        pairs.push((SESSION_KEYS[2], scopes.as_str()));
    }
    file.upsert(&SectionId::SsoSession(name.to_string()), &pairs, true)
}

/// An existing `[sso-session NAME]` that points at another portal or region than a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("sso-session `{name}` already exists for {} in {}; choose another session name or confirm the takeover",
        .start_url.as_deref().unwrap_or("no start URL"), .region.as_deref().unwrap_or("no region"))]
pub struct SessionConflict {
    /// `params.startUrl` when the start URL differs, else `params.region`.
    pub field: &'static str,
    pub name: String,
    /// What the section holds now (a start URL is not a secret).
    pub start_url: Option<String>,
    pub region: Option<String>,
}

/// Whether writing `start_url`/`region` into `[sso-session NAME]` would change where an existing
/// section points (issue 9: a hand-written session is never repointed without the person's say).
/// The same portal written with or without a trailing `/` or `#/` fragment is not a change.
pub fn session_conflict(file: &ConfigFile, name: &str, start_url: &str, region: &str) -> Option<SessionConflict> {
    let id = SectionId::SsoSession(name.to_string());
    if !file.contains(&id) {
        return None;
    }
    let existing_url = file.get(&id, SESSION_KEYS[0]);
    let existing_region = file.get(&id, SESSION_KEYS[1]);
    let field = if !existing_url.is_some_and(|u| crate::fields::same_start_url(u, start_url)) {
        "params.startUrl"
    } else if existing_region != Some(region) {
        "params.region"
    } else {
        return None;
    };
    Some(SessionConflict {
        field,
        name: name.to_string(),
        start_url: existing_url.map(str::to_string),
        region: existing_region.map(str::to_string),
    })
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
    /// `field` is the request path that named the profile (`params.profiles[3].name`).
    #[error("profile `{name}` exists and was not created by sso-bridge; it is left alone")]
    NotManaged { field: String, name: String },
    #[error("profile `{name}` does not exist, so it cannot be removed")]
    NoSuchProfile { field: String, name: String },
    /// A profile we manage for another sso-session: rebinding it would silently point it at
    /// another portal's account (issue 9), so it takes the person's explicit `takeover`.
    #[error(
        "profile `{name}` belongs to sso-session `{owner}`; it is left alone unless the person confirms the takeover"
    )]
    OwnedByOtherSession { field: String, name: String, owner: String },
}

impl ApplyError {
    /// The request path of the offending field.
    pub fn field(&self) -> &str {
        match self {
            ApplyError::SessionNotFound(_) => "params.sessionName",
            ApplyError::NotManaged { field, .. }
            | ApplyError::NoSuchProfile { field, .. }
            | ApplyError::OwnedByOtherSession { field, .. } => field,
        }
    }
}

/// Upserts each profile for `session` (marked as ours when created) and, with `prune`, removes
/// our other profiles of that session. No takeover and no explicit removals: see [`apply_request`].
pub fn apply_profiles(
    file: &mut ConfigFile,
    session: &str,
    profiles: &[ProfileSpec],
    prune: bool,
) -> Result<ApplyOutcome, ApplyError> {
    let request = ApplyProfilesParams {
        session_name: session.to_string(),
        profiles: profiles.to_vec(),
        prune,
        ..Default::default()
    };
    apply_request(file, &request)
}

/// Runs an `applyProfiles` request on a parsed config: upserts `profiles`, removes exactly the
/// profiles named in `remove`, and with `prune` our other profiles of the session. Checks
/// everything before changing anything, so a refused request leaves the file as it was.
///
/// A profile we manage for another sso-session is rebound only when its name is in `takeover`;
/// `remove` names only our profiles of this session.
pub fn apply_request(file: &mut ConfigFile, request: &ApplyProfilesParams) -> Result<ApplyOutcome, ApplyError> {
    let session = request.session_name.as_str();
    if !file.contains(&SectionId::SsoSession(session.to_string())) {
        return Err(ApplyError::SessionNotFound(session.to_string()));
    }
    for (index, spec) in request.profiles.iter().enumerate() {
        let field = format!("params.profiles[{index}].name");
        check_ours(file, session, &spec.name, field, request.takeover.contains(&spec.name))?;
    }
    for (index, name) in request.remove.iter().enumerate() {
        let field = format!("params.remove[{index}]");
        if !file.contains(&SectionId::Profile(name.clone())) {
            return Err(ApplyError::NoSuchProfile { field, name: name.clone() });
        }
        check_ours(file, session, name, field, false)?;
    }
    let mut outcome = ApplyOutcome::default();
    for spec in &request.profiles {
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
    for name in &request.remove {
        file.remove(&SectionId::Profile(name.clone()));
        outcome.removed.push(name.clone());
    }
    if request.prune {
        let wanted: std::collections::HashSet<&str> = request.profiles.iter().map(|p| p.name.as_str()).collect();
        for name in file.managed_profiles(session) {
            if !wanted.contains(name.as_str()) {
                file.remove(&SectionId::Profile(name.clone()));
                outcome.removed.push(name);
            }
        }
    }
    Ok(outcome)
}

/// An existing `[profile NAME]` may be written for `session` only if we made it, and (unless the
/// person confirmed a takeover) only if it is not bound to another sso-session.
fn check_ours(file: &ConfigFile, session: &str, name: &str, field: String, takeover: bool) -> Result<(), ApplyError> {
    let id = SectionId::Profile(name.to_string());
    if !file.contains(&id) {
        return Ok(());
    }
    if !file.is_managed(&id) {
        return Err(ApplyError::NotManaged { field, name: name.to_string() });
    }
    match file.get(&id, PROFILE_KEYS[0]) {
        Some(owner) if owner != session && !takeover => {
            Err(ApplyError::OwnedByOtherSession { field, name: name.to_string(), owner: owner.to_string() })
        }
        _ => Ok(()),
    }
}

/// An sso-session section as `status` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionView {
    pub name: String,
    pub start_url: Option<String>,
    pub region: Option<String>,
    /// Created by sso-bridge (carries the marker).
    pub managed: bool,
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
                    managed: self.is_managed(id),
                }),
                _ => None,
            })
            .collect()
    }

    /// The names of the profiles without an `sso_session` key (`[default]` is `default`), in
    /// file order.
    pub fn other_profile_names(&self) -> Vec<String> {
        self.section_ids()
            .filter_map(|id| match id {
                SectionId::Profile(name) if self.get(id, "sso_session").is_none() => Some(name.clone()),
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
