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
use crate::protocol::{ProfileSpec, ProfileStatus, SessionStatus};

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
    pub sessions: Vec<PlanSession>,
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
    #[serde(default)]
    pub failed: Vec<FailedAccountView>,
    /// Listed from the portal just now ([`Listing::fresh`]); a listing remembered from an earlier
    /// run is not, and a plan from it may name and add but never prune.
    #[serde(default)]
    pub fresh: bool,
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
            fresh: l.fresh,
        }
    }
}

/// What the plan reads of the host's [`SessionStatus`] (the wasm layer decodes only these
/// fields of the status the extension passes on).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct PlanSession {
    pub name: String,
    pub profiles: Vec<PlanProfileStatus>,
}

/// What the plan reads of a [`ProfileStatus`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct PlanProfileStatus {
    pub name: String,
    pub account_id: Option<String>,
    pub role_name: Option<String>,
    pub managed: bool,
}

impl From<&SessionStatus> for PlanSession {
    fn from(s: &SessionStatus) -> Self {
        PlanSession { name: s.name.clone(), profiles: s.profiles.iter().map(PlanProfileStatus::from).collect() }
    }
}

impl From<&ProfileStatus> for PlanProfileStatus {
    fn from(p: &ProfileStatus) -> Self {
        PlanProfileStatus {
            name: p.name.clone(),
            account_id: p.account_id.clone(),
            role_name: p.role_name.clone(),
            managed: p.managed,
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

// Every lookup below uses one of these two map types (values index into a Vec), so the wasm
// module carries two HashMap instantiations for the plan instead of ten (issue 16's size ceiling).
pub(crate) type ByName<'a> = HashMap<&'a str, usize>;
type ByRole<'a> = HashMap<(&'a str, &'a str), usize>;

pub(crate) fn index_by_name<'a>(names: impl Iterator<Item = &'a str>) -> ByName<'a> {
    let mut map = ByName::new();
    for (i, n) in names.enumerate() {
        map.entry(n).or_insert(i);
    }
    map
}

fn index_by_role<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> ByRole<'a> {
    let mut map = ByRole::new();
    for (i, p) in pairs.enumerate() {
        map.entry(p).or_insert(i);
    }
    map
}

/// Makes the plan. Fails on a template that cannot be used, and on a prune asked of a listing
/// that is not fresh.
pub fn make_plan(input: &PlanInput) -> Result<SyncPlan, crate::error::Error> {
    if input.prune && !input.listing.fresh {
        return Err(crate::error::Error::InvalidInput {
            field: "prune".into(),
            reason: "only a fresh listing can say which roles are gone; list the accounts again".into(),
        });
    }
    let session = input.session_name.as_str();
    let own = input.sessions.iter().find(|s| s.name == session);
    let own_profiles = own.map(|s| s.profiles.as_slice()).unwrap_or(&[]);

    // Every name in the file, with its owner (the first section of that name counts).
    let mut owners: Vec<(&str, bool)> = Vec::new();
    let mut owner_of = ByName::new();
    let named = input
        .sessions
        .iter()
        .flat_map(|s| s.profiles.iter().map(move |p| (p.name.as_str(), s.name.as_str(), p.managed)));
    for (name, owner, managed) in named.chain(input.other_profiles.iter().map(|n| (n.as_str(), "", false))) {
        owner_of.entry(name).or_insert_with(|| {
            owners.push((owner, managed));
            owners.len() - 1
        });
    }
    let owner = |name: &str| owner_of.get(name).map(|&i| owners[i]);

    // This session's profiles by role; a managed one wins over a hand-written one.
    let mut existing: Vec<Owned<'_>> = Vec::new();
    let mut existing_of = ByRole::new();
    for p in own_profiles {
        if let (Some(a), Some(r)) = (p.account_id.as_deref(), p.role_name.as_deref()) {
            let i = *existing_of.entry((a, r)).or_insert_with(|| {
                existing.push(Owned { name: &p.name, managed: p.managed });
                existing.len() - 1
            });
            if p.managed && !existing[i].managed {
                existing[i] = Owned { name: &p.name, managed: true };
            }
        }
    }
    let existing_for = |a: &str, r: &str| existing_of.get(&(a, r)).map(|&i| &existing[i]);

    // New names for roles that have no profile yet, avoiding every name in the file.
    let taken: HashSet<String> = owner_of.keys().map(|n| n.to_string()).collect();
    let to_name: Vec<AccountToName> = input
        .listing
        .accounts
        .iter()
        .map(|a| AccountToName {
            account_id: a.account_id.clone(),
            account_name: a.account_name.clone(),
            roles: a.roles.iter().filter(|r| existing_for(&a.account_id, r).is_none()).cloned().collect(),
        })
        .collect();
    let proposed = name_accounts(&input.template, session, &to_name, &taken)?;
    let proposed_of = index_by_role(proposed.iter().map(|p| (p.account_id.as_str(), p.role_name.as_str())));

    let selected = input
        .selection
        .as_ref()
        .map(|sel| index_by_role(sel.iter().map(|r| (r.account_id.as_str(), r.role_name.as_str()))));
    let edits = index_by_role(input.names.iter().map(|e| (e.account_id.as_str(), e.role_name.as_str())));
    let takeover = index_by_name(input.takeover.iter().map(String::as_str));

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
    let mut used: HashSet<String> = HashSet::new();
    let mut seen = ByRole::new();

    for account in &input.listing.accounts {
        let a = account.account_id.as_str();
        for role in &account.roles {
            let key = (a, role.as_str());
            if seen.insert(key, 0).is_some() {
                continue; // a role the portal listed twice
            }
            let is_selected = selected.as_ref().is_none_or(|s| s.contains_key(&key));
            let (mut name, mut notes, state) = match existing_for(a, role) {
                Some(o) if o.managed => (o.name.to_string(), vec![NameNote::Existing], ProfileState::Existing),
                Some(o) => (o.name.to_string(), vec![NameNote::Existing], ProfileState::HandWritten),
                None => {
                    let p = &proposed[proposed_of[&key]];
                    (p.name.clone(), p.notes.clone(), ProfileState::New)
                }
            };
            let edited = edits
                .get(&key)
                .map(|&i| input.names[i].name.trim())
                .filter(|e| *e != name && state != ProfileState::HandWritten);
            if let Some(edit) = edited {
                let conflict = |reason| NameConflict {
                    account_id: a.to_string(),
                    role_name: role.clone(),
                    name: edit.to_string(),
                    reason,
                };
                if let Err(e) = check_name(edit) {
                    plan.conflicts.push(conflict(ConflictReason::Invalid { reason: e.to_string() }));
                } else if let Some((owner, managed)) = owner(edit) {
                    if owner == session || !managed {
                        plan.conflicts.push(conflict(if managed {
                            ConflictReason::Duplicate
                        } else {
                            ConflictReason::HandWritten
                        }));
                    } else if !takeover.contains_key(edit) {
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
                if !used.insert(name.clone()) {
                    plan.conflicts.push(NameConflict {
                        account_id: a.to_string(),
                        role_name: role.clone(),
                        name: name.clone(),
                        reason: ConflictReason::Duplicate,
                    });
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
        let listed_accounts = index_by_name(input.listing.accounts.iter().map(|a| a.account_id.as_str()));
        let failed = index_by_name(input.listing.failed.iter().map(|f| f.account_id.as_str()));
        for p in own_profiles.iter().filter(|p| p.managed) {
            let (Some(a), Some(r)) = (p.account_id.as_deref(), p.role_name.as_deref()) else {
                plan.kept.push(KeptProfile {
                    name: p.name.clone(),
                    account_id: p.account_id.clone(),
                    reason: KeepReason::Incomplete,
                });
                continue;
            };
            if let Some(&i) = failed.get(a) {
                plan.kept.push(KeptProfile {
                    name: p.name.clone(),
                    account_id: Some(a.to_string()),
                    reason: KeepReason::AccountFailed { code: input.listing.failed[i].code.clone() },
                });
                continue;
            }
            let reason = match (listed_accounts.contains_key(a), seen.contains_key(&(a, r))) {
                (true, true) => continue,
                (true, false) => RemoveReason::RoleNotGranted,
                (false, _) => RemoveReason::AccountNotAssigned,
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
