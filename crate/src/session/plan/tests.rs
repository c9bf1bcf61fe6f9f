use super::*;
use crate::listing::{AccountRoles, FailedAccount, ListingStats};
use crate::naming::DEFAULT_TEMPLATE;
use crate::portal::Account;
use crate::protocol::ProfileStatus;

fn account(id: &str, name: &str, roles: &[&str]) -> AccountRoles {
    AccountRoles {
        account: Account { account_id: id.into(), account_name: Some(name.into()), email_address: None },
        roles: roles.iter().map(|r| r.to_string()).collect(),
    }
}

fn failed(id: &str, name: &str) -> FailedAccount {
    FailedAccount {
        account: Account { account_id: id.into(), account_name: Some(name.into()), email_address: None },
        code: "throttled".into(),
        message: "the service is throttling requests".into(),
    }
}

fn profile(name: &str, account: &str, role: &str, managed: bool) -> ProfileStatus {
    ProfileStatus {
        name: name.into(),
        account_id: Some(account.into()),
        role_name: Some(role.into()),
        region: None,
        managed,
    }
}

fn session(name: &str, profiles: Vec<ProfileStatus>) -> SessionStatus {
    SessionStatus { name: name.into(), start_url: None, region: None, token: None, managed: true, profiles }
}

fn input(
    session_name: &str,
    accounts: Vec<AccountRoles>,
    failed: Vec<FailedAccount>,
    sessions: Vec<SessionStatus>,
) -> PlanInput {
    PlanInput {
        session_name: session_name.into(),
        listing: (&Listing { accounts, failed, stats: ListingStats::default(), fresh: true }).into(),
        sessions: sessions.iter().map(PlanSession::from).collect(),
        other_profiles: vec![],
        template: DEFAULT_TEMPLATE.into(),
        region: "ap-northeast-1".into(),
        output: Some("json".into()),
        selection: None,
        names: vec![],
        prune: false,
        takeover: vec![],
    }
}

fn names(plan: &SyncPlan) -> Vec<&str> {
    plan.request.as_ref().unwrap().profiles.iter().map(|p| p.name.as_str()).collect()
}

#[test]
fn another_portals_profile_is_never_rebound() {
    let corp = session("corp", vec![profile("prod.AdministratorAccess", "111122223333", "AdministratorAccess", true)]);
    let i = input(
        "local",
        vec![account("999988887777", "prod", &["AdministratorAccess"])],
        vec![],
        vec![corp, session("local", vec![])],
    );
    let plan = make_plan(&i).unwrap();
    assert_eq!(names(&plan), ["prod-999988887777.AdministratorAccess"]);
    assert_eq!(plan.profiles[0].notes, [NameNote::NameTaken { name: "prod.AdministratorAccess".into() }]);
    assert!(plan.request.unwrap().takeover.is_empty());
}

#[test]
fn prune_spares_accounts_that_failed_to_list() {
    let corp = session(
        "corp",
        vec![
            profile("a.Admin", "111111111111", "Admin", true),
            profile("a.Old", "111111111111", "Old", true),
            profile("b.Admin", "222222222222", "Admin", true),
            profile("c.Admin", "333333333333", "Admin", true),
            profile("mine", "111111111111", "Old", false),
        ],
    );
    let mut i =
        input("corp", vec![account("111111111111", "a", &["Admin"])], vec![failed("222222222222", "b")], vec![corp]);
    i.prune = true;
    let plan = make_plan(&i).unwrap();
    let removed: Vec<(&str, &RemoveReason)> = plan.remove.iter().map(|r| (r.name.as_str(), &r.reason)).collect();
    assert_eq!(removed, [("a.Old", &RemoveReason::RoleNotGranted), ("c.Admin", &RemoveReason::AccountNotAssigned)]);
    assert_eq!(
        plan.kept,
        [KeptProfile {
            name: "b.Admin".into(),
            account_id: Some("222222222222".into()),
            reason: KeepReason::AccountFailed { code: "throttled".into() }
        }]
    );
    assert_eq!(plan.failed_accounts.len(), 1);
    let request = plan.request.unwrap();
    assert_eq!(request.remove, ["a.Old", "c.Admin"]);
    // The existing profile is sent as it is: no region or output, so the host keeps its values.
    assert_eq!(
        request.profiles,
        [ProfileSpec {
            name: "a.Admin".into(),
            account_id: "111111111111".into(),
            role_name: "Admin".into(),
            region: None,
            output: None
        }]
    );
    // Without prune, or with a selection, nothing is removed.
    i.prune = false;
    assert!(make_plan(&i).unwrap().remove.is_empty());
    i.prune = true;
    i.selection = Some(vec![]);
    assert!(make_plan(&i).unwrap().remove.is_empty());
}

#[test]
fn existing_profiles_keep_their_names_and_new_ones_avoid_every_name() {
    let corp = session(
        "corp",
        vec![profile("my-prod-admin", "111111111111", "Admin", true), profile("hand", "111111111111", "Dev", false)],
    );
    let mut i = input("corp", vec![account("111111111111", "prod", &["Admin", "Dev", "ReadOnly"])], vec![], vec![corp]);
    i.other_profiles = vec!["prod.ReadOnly".into()];
    let plan = make_plan(&i).unwrap();
    let states: Vec<(&str, ProfileState, bool)> =
        plan.profiles.iter().map(|p| (p.name.as_str(), p.state, p.selected)).collect();
    assert_eq!(
        states,
        [
            ("my-prod-admin", ProfileState::Existing, true),
            ("hand", ProfileState::HandWritten, false),
            ("prod-111111111111.ReadOnly", ProfileState::New, true),
        ]
    );
    let request = plan.request.unwrap();
    assert_eq!(request.profiles[1].region.as_deref(), Some("ap-northeast-1"));
    assert_eq!(request.profiles[1].output.as_deref(), Some("json"));
}

#[test]
fn edited_names_are_checked_and_takeover_needs_consent() {
    let corp = session("corp", vec![profile("prod.Admin", "111111111111", "Admin", true)]);
    let local = session("local", vec![profile("old-name", "999999999999", "Dev", true)]);
    let accounts = vec![account("999999999999", "prod", &["Admin", "Dev", "ReadOnly"])];
    let edit = |role: &str, name: &str| NameEdit {
        account_id: "999999999999".into(),
        role_name: role.into(),
        name: name.into(),
    };

    let mut i = input("local", accounts, vec![], vec![corp, local]);
    i.names = vec![edit("Admin", "prod.Admin")];
    let plan = make_plan(&i).unwrap();
    assert!(plan.request.is_none());
    assert_eq!(plan.conflicts[0].reason, ConflictReason::OwnedByOtherSession { session: "corp".into() });

    i.takeover = vec!["prod.Admin".into()];
    let plan = make_plan(&i).unwrap();
    assert_eq!(plan.request.as_ref().unwrap().takeover, ["prod.Admin"]);
    assert_eq!(plan.profiles[0].notes, [NameNote::Edited]);

    // Renaming an existing profile removes the old name; a bad name or a duplicate is a conflict.
    i.names = vec![edit("Dev", "local-dev")];
    let plan = make_plan(&i).unwrap();
    assert_eq!(plan.remove[0].reason, RemoveReason::Renamed { new_name: "local-dev".into() });
    assert!(names(&plan).contains(&"local-dev"));
    i.names = vec![edit("Dev", "a b")];
    assert!(matches!(make_plan(&i).unwrap().conflicts[0].reason, ConflictReason::Invalid { .. }));
    i.names = vec![edit("Admin", "same"), edit("ReadOnly", "same")];
    assert_eq!(make_plan(&i).unwrap().conflicts[0].reason, ConflictReason::Duplicate);
}

#[test]
fn the_profile_region_follows_the_portal() {
    assert_eq!(profile_region(None, "", "ap-northeast-1"), "ap-northeast-1");
    assert_eq!(profile_region(None, "us-west-2", "ap-northeast-1"), "us-west-2");
    assert_eq!(profile_region(Some("eu-west-1"), "us-west-2", "ap-northeast-1"), "eu-west-1");
    assert_eq!(profile_region(Some(" "), "", "ap-northeast-1"), "ap-northeast-1");
}

#[test]
fn a_remembered_listing_never_prunes() {
    let mut i = input("dev", vec![], vec![], vec![session("dev", vec![])]);
    i.listing.fresh = false;
    i.prune = true;
    let err = make_plan(&i).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("prune"), "{err}");
    // Naming and adding from it is fine.
    i.prune = false;
    assert!(make_plan(&i).is_ok());
}
