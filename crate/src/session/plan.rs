//! The sync plan: what an apply will write, remove and keep for one portal, and why.
//!
//! Inputs are a fresh listing (with the accounts that failed to list), the native host's status
//! of EVERY session in `~/.aws/config`, and the person's choices (template, region, selection,
//! name edits, prune, confirmed takeovers). The plan is what the review shows and exactly what
//! the host is asked to do, so the rules live here once:
//! - a profile keeps the name it has; new names avoid every existing name (any session's, or a
//!   hand-written profile's), with clashes resolved per account (see [`crate::naming`]);
//! - a profile of another session is never rebound, unless the person confirmed that name;
//! - prune removes only this session's own profiles, and only for accounts this listing covered
//!   completely: an account that failed to list keeps its profiles, and the plan says so.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::listing::Listing;
use crate::names::check_name;
use crate::naming::{name_accounts, AccountToName, NameNote};
use crate::protocol::{ProfileSpec, SessionStatus};

/// One account and role.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct RoleRef {
    pub account_id: String,
    pub role_name: String,
}

/// A name the person typed for one role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct NameEdit {
    pub account_id: String,
    pub role_name: String,
    pub name: String,
}

/// Everything a plan is made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct PlanInput {
    pub session_name: String,
    /// A fresh listing of this session (a [`Listing`] as the listing returned it; only the
    /// fields the plan reads are decoded).
    pub listing: PlanListing,
    /// The host's `status`: every session in the config with its profiles.
    pub sessions: Vec<SessionStatus>,
    /// Names of profiles that use no sso-session (static keys, roles): names to avoid.
    #[serde(default)]
    pub other_profiles: Vec<String>,
    pub template: String,
    /// `region` for new profiles (see [`profile_region`]).
    pub region: String,
    /// `output` for new profiles; none leaves it out.
    #[serde(default)]
    pub output: Option<String>,
    /// The roles to write; none means every listed role ("Sync all").
    #[serde(default)]
    pub selection: Option<Vec<RoleRef>>,
    #[serde(default)]
    pub names: Vec<NameEdit>,
    /// Remove this session's profiles of roles no longer granted (only with "Sync all").
    #[serde(default)]
    pub prune: bool,
    /// Names of another session's profiles the person confirmed to take over.
    #[serde(default)]
    pub takeover: Vec<String>,
}

/// What the plan reads of a [`Listing`]: flat records, so the wasm layer decodes the listing the
/// extension passes back without the cost of the listing's own flattened types.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct PlanListing {
    pub accounts: Vec<AccountToName>,
    pub failed: Vec<FailedAccountView>,
}

impl From<&Listing> for PlanListing {
    fn from(l: &Listing) -> Self {
        PlanListing {
            accounts: l
                .accounts
                .iter()
                .map(|a| AccountToName {
                    account_id: a.account.account_id.clone(),
                    account_name: a.account.account_name.clone(),
                    roles: a.roles.clone(),
                })
                .collect(),
            failed: l
                .failed
                .iter()
                .map(|f| FailedAccountView {
                    account_id: f.account.account_id.clone(),
                    account_name: f.account.account_name.clone(),
                    code: f.code.clone(),
                })
                .collect(),
        }
    }
}

/// How a listed role stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub enum ProfileState {
    /// No profile yet; written if selected.
    New,
    /// SSO Bridge made it for this session earlier; kept as it is (or renamed if edited).
    Existing,
    /// A profile the person wrote for this account and role; SSO Bridge leaves it alone.
    HandWritten,
}

/// One listed role with the name its profile has or will get.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct PlannedProfile {
    pub account_id: String,
    pub account_name: Option<String>,
    pub role_name: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<NameNote>,
    pub state: ProfileState,
    /// Part of this apply.
    pub selected: bool,
}

/// Why a profile goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RemoveReason {
    /// The account was listed completely and no longer grants this role.
    RoleNotGranted,
    /// The complete list of accounts no longer has this account.
    AccountNotAssigned,
    /// The person gave the role's profile another name: the old one goes.
    #[serde(rename_all = "camelCase")]
    Renamed { new_name: String },
}

/// Why a profile of this session stays although the listing did not confirm it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum KeepReason {
    /// Its account failed to list (throttling, an error): nothing is known, so nothing goes.
    #[serde(rename_all = "camelCase")]
    AccountFailed { code: String },
    /// The profile lacks its account or role (edited by hand).
    Incomplete,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct PlannedRemoval {
    pub name: String,
    pub account_id: Option<String>,
    pub role_name: Option<String>,
    pub reason: RemoveReason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct KeptProfile {
    pub name: String,
    pub account_id: Option<String>,
    pub reason: KeepReason,
}

/// Why an edited name cannot be used as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ConflictReason {
    /// Not a valid profile name; `reason` says why.
    #[serde(rename_all = "camelCase")]
    Invalid { reason: String },
    /// Two roles of this plan would get the same name.
    Duplicate,
    /// Another portal's profile has this name; usable only if the person confirms the takeover.
    #[serde(rename_all = "camelCase")]
    OwnedByOtherSession { session: String },
    /// A profile SSO Bridge did not write has this name; it is never touched.
    HandWritten,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct NameConflict {
    pub account_id: String,
    pub role_name: String,
    pub name: String,
    pub reason: ConflictReason,
}

/// An account that failed to list, for the review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct FailedAccountView {
    pub account_id: String,
    pub account_name: Option<String>,
    pub code: String,
}

/// What the host is asked to do: the `applyProfiles` params (without `dryRun`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct ApplyRequest {
    pub session_name: String,
    pub profiles: Vec<ProfileSpec>,
    pub remove: Vec<String>,
    pub takeover: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct SyncPlan {
    pub session_name: String,
    /// Every listed role, in listing order.
    pub profiles: Vec<PlannedProfile>,
    pub remove: Vec<PlannedRemoval>,
    pub kept: Vec<KeptProfile>,
    pub failed_accounts: Vec<FailedAccountView>,
    /// Edited names that cannot be applied; while any is left, `request` is `None`.
    pub conflicts: Vec<NameConflict>,
    pub request: Option<ApplyRequest>,
}

/// The `region` new profiles get: the portal's own choice, else the person's default, else the
/// portal's IAM Identity Center region (a Tokyo portal's profiles default to Tokyo).
pub fn profile_region(portal_profile_region: Option<&str>, default_region: &str, sso_region: &str) -> String {
    [portal_profile_region.unwrap_or(""), default_region]
        .into_iter()
        .map(str::trim)
        .find(|r| !r.is_empty())
        .unwrap_or(sso_region)
        .to_string()
}

struct Owned<'a> {
    name: &'a str,
    managed: bool,
}

/// Makes the plan. Fails only on a template that cannot be used.
pub fn make_plan(input: &PlanInput) -> Result<SyncPlan, crate::error::Error> {
    let session = input.session_name.as_str();
    let own = input.sessions.iter().find(|s| s.name == session);
    let own_profiles = own.map(|s| s.profiles.as_slice()).unwrap_or(&[]);

    // Every name in the file, with its owner.
    let mut owner_of: HashMap<&str, (&str, bool)> = HashMap::new();
    for s in &input.sessions {
        for p in &s.profiles {
            owner_of.entry(p.name.as_str()).or_insert((s.name.as_str(), p.managed));
        }
    }
    for name in &input.other_profiles {
        owner_of.entry(name.as_str()).or_insert(("", false));
    }

    // This session's profiles by role; a managed one wins over a hand-written one.
    let mut existing: HashMap<(&str, &str), Owned<'_>> = HashMap::new();
    for p in own_profiles {
        if let (Some(a), Some(r)) = (p.account_id.as_deref(), p.role_name.as_deref()) {
            let slot = existing.entry((a, r)).or_insert(Owned { name: &p.name, managed: p.managed });
            if p.managed && !slot.managed {
                *slot = Owned { name: &p.name, managed: true };
            }
        }
    }

    // New names for roles that have no profile yet, avoiding every name in the file.
    let taken: HashSet<String> = owner_of.keys().map(|n| n.to_string()).collect();
    let to_name: Vec<AccountToName> = input
        .listing
        .accounts
        .iter()
        .map(|a| AccountToName {
            account_id: a.account_id.clone(),
            account_name: a.account_name.clone(),
            roles: a
                .roles
                .iter()
                .filter(|r| !existing.contains_key(&(a.account_id.as_str(), r.as_str())))
                .cloned()
                .collect(),
        })
        .collect();
    let proposed = name_accounts(&input.template, session, &to_name, &taken)?;
    let proposed: HashMap<(&str, &str), _> =
        proposed.iter().map(|p| ((p.account_id.as_str(), p.role_name.as_str()), p)).collect();

    let selected: Option<HashSet<(&str, &str)>> =
        input.selection.as_ref().map(|sel| sel.iter().map(|r| (r.account_id.as_str(), r.role_name.as_str())).collect());
    let edits: HashMap<(&str, &str), &str> =
        input.names.iter().map(|e| ((e.account_id.as_str(), e.role_name.as_str()), e.name.trim())).collect();
    let takeover: HashSet<&str> = input.takeover.iter().map(String::as_str).collect();

    let mut plan = SyncPlan {
        session_name: session.to_string(),
        profiles: Vec::new(),
        remove: Vec::new(),
        kept: Vec::new(),
        failed_accounts: input.listing.failed.clone(),
        conflicts: Vec::new(),
        request: None,
    };
    let mut specs = Vec::new();
    let mut takeovers = Vec::new();
    let mut used: HashMap<String, (String, String)> = HashMap::new();

    for account in &input.listing.accounts {
        let a = account.account_id.as_str();
        for role in &account.roles {
            let key = (a, role.as_str());
            let is_selected = selected.as_ref().is_none_or(|s| s.contains(&key));
            let (mut name, mut notes, state) = match existing.get(&key) {
                Some(o) if o.managed => (o.name.to_string(), vec![NameNote::Existing], ProfileState::Existing),
                Some(o) => (o.name.to_string(), vec![NameNote::Existing], ProfileState::HandWritten),
                None => {
                    let p = proposed[&key];
                    (p.name.clone(), p.notes.clone(), ProfileState::New)
                }
            };
            let edited = edits.get(&key).filter(|e| **e != name && state != ProfileState::HandWritten);
            if let Some(&edit) = edited {
                let conflict = |reason| NameConflict {
                    account_id: a.to_string(),
                    role_name: role.clone(),
                    name: edit.to_string(),
                    reason,
                };
                if let Err(e) = check_name(edit) {
                    plan.conflicts.push(conflict(ConflictReason::Invalid { reason: e.to_string() }));
                } else if let Some(&(owner, managed)) = owner_of.get(edit) {
                    if owner == session || !managed {
                        plan.conflicts.push(conflict(if managed {
                            ConflictReason::Duplicate
                        } else {
                            ConflictReason::HandWritten
                        }));
                    } else if !takeover.contains(edit) {
                        plan.conflicts
                            .push(conflict(ConflictReason::OwnedByOtherSession { session: owner.to_string() }));
                    } else if is_selected {
                        takeovers.push(edit.to_string());
                    }
                }
                if state == ProfileState::Existing && is_selected {
                    plan.remove.push(PlannedRemoval {
                        name: name.clone(),
                        account_id: Some(a.to_string()),
                        role_name: Some(role.clone()),
                        reason: RemoveReason::Renamed { new_name: edit.to_string() },
                    });
                }
                name = edit.to_string();
                notes = vec![NameNote::Edited];
            }
            if is_selected && state != ProfileState::HandWritten {
                if let Some((other_a, other_r)) = used.insert(name.clone(), (a.to_string(), role.clone())) {
                    if (other_a.as_str(), other_r.as_str()) != key {
                        plan.conflicts.push(NameConflict {
                            account_id: a.to_string(),
                            role_name: role.clone(),
                            name: name.clone(),
                            reason: ConflictReason::Duplicate,
                        });
                    }
                }
                let fresh = state == ProfileState::New || edited.is_some();
                specs.push(ProfileSpec {
                    name: name.clone(),
                    account_id: a.to_string(),
                    role_name: role.clone(),
                    region: fresh.then(|| input.region.clone()),
                    output: if fresh { input.output.clone().filter(|o| !o.is_empty()) } else { None },
                });
            }
            plan.profiles.push(PlannedProfile {
                account_id: a.to_string(),
                account_name: account.account_name.clone(),
                role_name: role.clone(),
                name,
                notes,
                state,
                selected: is_selected && state != ProfileState::HandWritten,
            });
        }
    }

    if input.prune && input.selection.is_none() {
        let listed: HashMap<&str, HashSet<&str>> = input
            .listing
            .accounts
            .iter()
            .map(|a| (a.account_id.as_str(), a.roles.iter().map(String::as_str).collect()))
            .collect();
        let failed: HashMap<&str, &str> =
            input.listing.failed.iter().map(|f| (f.account_id.as_str(), f.code.as_str())).collect();
        for p in own_profiles.iter().filter(|p| p.managed) {
            let (Some(a), Some(r)) = (p.account_id.as_deref(), p.role_name.as_deref()) else {
                plan.kept.push(KeptProfile {
                    name: p.name.clone(),
                    account_id: p.account_id.clone(),
                    reason: KeepReason::Incomplete,
                });
                continue;
            };
            let reason = if let Some(code) = failed.get(a) {
                plan.kept.push(KeptProfile {
                    name: p.name.clone(),
                    account_id: Some(a.to_string()),
                    reason: KeepReason::AccountFailed { code: code.to_string() },
                });
                continue;
            } else {
                match listed.get(a) {
                    Some(roles) if roles.contains(r) => continue,
                    Some(_) => RemoveReason::RoleNotGranted,
                    None => RemoveReason::AccountNotAssigned,
                }
            };
            if !plan.remove.iter().any(|x| x.name == p.name) {
                plan.remove.push(PlannedRemoval {
                    name: p.name.clone(),
                    account_id: Some(a.to_string()),
                    role_name: Some(r.to_string()),
                    reason,
                });
            }
        }
    }

    if plan.conflicts.is_empty() {
        plan.request = Some(ApplyRequest {
            session_name: session.to_string(),
            profiles: specs,
            remove: plan.remove.iter().map(|r| r.name.clone()).collect(),
            takeover: takeovers,
        });
    }
    Ok(plan)
}

#[cfg(test)]
mod tests;
