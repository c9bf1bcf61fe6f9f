//! The last listing of each session, remembered so the popup can show it at once, and the roles
//! added and removed since, once a fresh listing finishes. Account ids, names and roles only:
//! nothing here is secret.

use serde::{Deserialize, Serialize};

use crate::naming::AccountToName;
// The plan's one map type: no new HashMap instantiation in the wasm module (issue 16's size ceiling).
use crate::plan::{index_by_name, ByName, PlanListing};

/// More accounts than this are not remembered (about 1.7 MB at 5 roles each; storage stays
/// small and quick to read). 1,000 accounts × 5 roles take about 170 KB of JSON.
pub const MAX_REMEMBERED_ACCOUNTS: usize = 10_000;

/// How often a portal with background sync is listed again.
pub const SYNC_EVERY_MS: u64 = 6 * 3600 * 1000;
/// The soonest a background listing runs after it is scheduled (a sign-in's own listing, a
/// worker that just woke up, a clock that moved back).
const SYNC_SOONEST_MS: u64 = 60 * 1000;

/// When to list a portal with background sync again, given when it was last listed.
pub fn next_sync_at_ms(listed_at_ms: Option<u64>, now_ms: u64) -> u64 {
    let soonest = now_ms.saturating_add(SYNC_SOONEST_MS);
    listed_at_ms
        .map_or(soonest, |at| at.saturating_add(SYNC_EVERY_MS).clamp(soonest, now_ms.saturating_add(SYNC_EVERY_MS)))
}

/// How long after the popup closed on a portal's accounts view it opens on that view again: a
/// popup closes whenever the person clicks elsewhere (into the terminal), and should come back
/// where they were; later, it starts from the portals.
pub const RESUME_VIEW_MS: u64 = 10 * 60 * 1000;

/// Whether a popup opening at `now_ms` goes straight to the accounts view it was closed on at
/// `closed_at_ms`: within `RESUME_VIEW_MS`, and only while that portal is signed in (there is
/// nothing to list otherwise). A time in the future (a clock moved back) does not resume.
pub fn resume_accounts_view(closed_at_ms: u64, now_ms: u64, signed_in: bool) -> bool {
    signed_in && closed_at_ms <= now_ms && now_ms - closed_at_ms <= RESUME_VIEW_MS
}

/// What is kept of a finished listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct RememberedListing {
    /// When the portal was listed (epoch ms): the age the popup shows.
    pub listed_at_ms: u64,
    /// In ListAccounts order.
    pub accounts: Vec<AccountToName>,
}

/// One role of one account that appeared or went away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct RoleChange {
    pub account_id: String,
    pub account_name: Option<String>,
    pub role_name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct ListingChanges {
    pub added: Vec<RoleChange>,
    pub removed: Vec<RoleChange>,
}

/// What to store after a listing, and what changed since the stored one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct Remembered {
    /// None: too large to keep; forget the old one too (it would mislead).
    pub remembered: Option<RememberedListing>,
    /// None when nothing was remembered before (nothing to compare with).
    pub changes: Option<ListingChanges>,
}

/// Compares a finished listing with the remembered one and says what to remember now.
///
/// An account whose roles could not be listed this time changes nothing: its remembered roles
/// are kept and none of them counts as removed. An account that is gone from the listing has lost
/// all its roles.
pub fn remember(previous: Option<&RememberedListing>, listing: &PlanListing, now_ms: u64) -> Remembered {
    let failed = index_by_name(listing.failed.iter().map(|f| f.account_id.as_str()));
    let mut accounts = listing.accounts.clone();
    if let Some(p) = previous {
        accounts.extend(p.accounts.iter().filter(|a| failed.contains_key(a.account_id.as_str())).cloned());
    }
    let changes = previous.map(|p| changes(p, listing, &failed));
    let remembered =
        (accounts.len() <= MAX_REMEMBERED_ACCOUNTS).then_some(RememberedListing { listed_at_ms: now_ms, accounts });
    Remembered { remembered, changes }
}

fn changes(previous: &RememberedListing, listing: &PlanListing, failed: &ByName) -> ListingChanges {
    let before = index_by_name(previous.accounts.iter().map(|a| a.account_id.as_str()));
    let after = index_by_name(listing.accounts.iter().map(|a| a.account_id.as_str()));
    let mut changes = ListingChanges::default();
    for a in &listing.accounts {
        missing(a, before.get(a.account_id.as_str()).map(|&i| &previous.accounts[i]), &mut changes.added);
    }
    for a in previous.accounts.iter().filter(|a| !failed.contains_key(a.account_id.as_str())) {
        missing(a, after.get(a.account_id.as_str()).map(|&i| &listing.accounts[i]), &mut changes.removed);
    }
    changes
}

/// Pushes the roles of `from` that `other` (the same account in the other listing) lacks.
fn missing(from: &AccountToName, other: Option<&AccountToName>, out: &mut Vec<RoleChange>) {
    for r in &from.roles {
        if !other.is_some_and(|o| o.roles.contains(r)) {
            out.push(RoleChange {
                account_id: from.account_id.clone(),
                account_name: from.account_name.clone(),
                role_name: r.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::FailedAccountView;

    fn account(id: &str, roles: &[&str]) -> AccountToName {
        AccountToName {
            account_id: id.into(),
            account_name: Some(format!("name {id}")),
            roles: roles.iter().map(|r| r.to_string()).collect(),
        }
    }

    fn listing(accounts: Vec<AccountToName>, failed: &[&str]) -> PlanListing {
        PlanListing {
            accounts,
            failed: failed
                .iter()
                .map(|id| FailedAccountView {
                    account_id: id.to_string(),
                    account_name: None,
                    code: "throttled".into(),
                })
                .collect(),
            fresh: true,
        }
    }

    fn pairs(changes: &[RoleChange]) -> Vec<(&str, &str)> {
        changes.iter().map(|c| (c.account_id.as_str(), c.role_name.as_str())).collect()
    }

    #[test]
    fn background_sync_every_six_hours_never_sooner_than_a_minute() {
        let h = 3600 * 1000;
        assert_eq!(next_sync_at_ms(None, 1_000), 61_000);
        assert_eq!(next_sync_at_ms(Some(10 * h), 11 * h), 16 * h);
        assert_eq!(next_sync_at_ms(Some(h), 100 * h), 100 * h + 60_000, "overdue: soon, not in the past");
        assert_eq!(next_sync_at_ms(Some(100 * h), h), 7 * h, "a listing in the future (clock moved back)");
    }

    #[test]
    fn the_popup_resumes_a_signed_in_portals_accounts_view_for_ten_minutes() {
        let min = 60 * 1000;
        assert!(resume_accounts_view(100 * min, 100 * min, true));
        assert!(resume_accounts_view(100 * min, 110 * min, true));
        assert!(!resume_accounts_view(100 * min, 110 * min + 1, true), "later: the portals");
        assert!(!resume_accounts_view(100 * min, 101 * min, false), "signed out: nothing to list");
        assert!(!resume_accounts_view(100 * min, 99 * min, true), "closed in the future (clock moved back)");
    }

    #[test]
    fn the_first_listing_is_remembered_with_no_changes() {
        let r = remember(None, &listing(vec![account("1", &["Admin"])], &[]), 42);
        assert_eq!(r.changes, None);
        let kept = r.remembered.unwrap();
        assert_eq!(kept.listed_at_ms, 42);
        assert_eq!(kept.accounts, [account("1", &["Admin"])]);
    }

    #[test]
    fn roles_granted_and_revoked_since_last_time() {
        let before = RememberedListing {
            listed_at_ms: 1,
            accounts: vec![account("1", &["Admin", "ReadOnly"]), account("2", &["Billing"]), account("3", &["Dev"])],
        };
        // 1 lost ReadOnly and got Audit, 2 is gone, 4 is new.
        let now = listing(vec![account("1", &["Admin", "Audit"]), account("3", &["Dev"]), account("4", &["Ops"])], &[]);
        let r = remember(Some(&before), &now, 2);
        let c = r.changes.unwrap();
        assert_eq!(pairs(&c.added), [("1", "Audit"), ("4", "Ops")]);
        assert_eq!(pairs(&c.removed), [("1", "ReadOnly"), ("2", "Billing")]);
        assert_eq!(c.added[1].account_name.as_deref(), Some("name 4"));
        assert_eq!(r.remembered.unwrap().accounts, now.accounts);
    }

    #[test]
    fn an_account_that_failed_this_time_keeps_its_roles_and_loses_none() {
        let before =
            RememberedListing { listed_at_ms: 1, accounts: vec![account("1", &["Admin"]), account("2", &["Billing"])] };
        let r = remember(Some(&before), &listing(vec![account("1", &["Admin"])], &["2"]), 2);
        assert_eq!(r.changes, Some(ListingChanges::default()));
        let kept = r.remembered.unwrap();
        assert_eq!(kept.accounts, [account("1", &["Admin"]), account("2", &["Billing"])]);
    }

    #[test]
    fn a_thousand_accounts_with_five_roles_fit_and_too_many_are_not_kept() {
        let roles = ["AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess", "ViewOnlyAccess", "Billing"];
        let accounts: Vec<AccountToName> = (0..1000)
            .map(|i| AccountToName {
                account_id: format!("{:012}", 100_000_000_000u64 + i * 104_729),
                account_name: Some(format!("Shared Services, Inc. [{i}]")),
                roles: roles.iter().map(|r| r.to_string()).collect(),
            })
            .collect();
        let r = remember(None, &listing(accounts, &[]), 0);
        let bytes = serde_json::to_string(&r.remembered.unwrap()).unwrap().len();
        assert!((100_000..=250_000).contains(&bytes), "{bytes} bytes");
        let many = (0..=MAX_REMEMBERED_ACCOUNTS).map(|i| account(&i.to_string(), &["R"])).collect();
        assert_eq!(remember(None, &listing(many, &[]), 0).remembered, None);
    }
}
