//! Issue 9's rules for many portals, through the real binary in a temporary HOME: a profile of
//! one sso-session is never rebound to another without `takeover`, `remove` names exactly our
//! profiles, `undo` restores only an untouched file, `saveToken` never repoints a session, and
//! `removeSession` leaves nothing of ours behind (and keeps what a person still uses).

mod common;

use std::fs;
use std::path::Path;

use common::{apply, config_path, run_json, save_token, temp_home, Session};
use serde_json::{json, Value};
use ssobridge_core::token_cache::{cache_file_name, role_cache_file_name};

const CORP: &str = "https://corp.awsapps.com/start";
const LOCAL: &str = "http://127.0.0.1:9/start";

fn config(home: &Path) -> String {
    fs::read_to_string(config_path(home)).unwrap_or_default()
}

fn profile(name: &str, account: &str) -> Value {
    json!({"name": name, "accountId": account, "roleName": "Admin"})
}

fn ok(reply: &Value) -> &Value {
    assert_eq!(reply["ok"], true, "{reply}");
    &reply["result"]
}

/// `(code, field, message)` of a failed reply.
fn error(reply: &Value) -> (String, String, String) {
    assert_eq!(reply["ok"], false, "{reply}");
    let text = |key: &str| reply["error"][key].as_str().unwrap_or("").to_string();
    (text("code"), text("field"), text("message"))
}

/// Two portals with sessions `corp` and `local`; `corp` owns `prod` (account 1111…).
fn two_portals(home: &Path) -> Session {
    let mut s = Session::start(home);
    ok(&s.request(&save_token(1, "corp", CORP, "aoaCorp", "2099-01-01T00:00:00Z")));
    ok(&s.request(&save_token(2, "local", LOCAL, "aoaLocal", "2099-01-01T00:00:00Z")));
    ok(&s.request(&apply(3, "corp", json!([profile("prod", "111122223333")]), false)));
    s
}

#[test]
fn a_profile_of_another_portal_is_rebound_only_with_takeover() {
    let home = temp_home();
    let mut s = two_portals(home.path());
    let before = config(home.path());
    let reply = s.request(&apply(
        4,
        "local",
        json!([profile("other", "999988887777"), profile("prod", "999988887777")]),
        false,
    ));
    let (code, field, message) = error(&reply);
    assert_eq!((code.as_str(), field.as_str()), ("profile_owned_by_other_session", "params.profiles[1].name"));
    assert!(message.contains("`corp`"), "{message}");
    assert_eq!(config(home.path()), before, "a refused apply writes nothing");
    // Prune of the other session never touches it either.
    ok(&s.request(&apply(5, "local", json!([]), true)));
    assert!(config(home.path()).contains("[profile prod]\n# managed by sso-bridge\nsso_session = corp\n"));

    let mut request = apply(6, "local", json!([profile("prod", "999988887777")]), false);
    request["params"]["takeover"] = json!(["prod"]);
    assert_eq!(ok(&s.request(&request))["updated"], json!(["prod"]));
    assert!(config(home.path())
        .contains("[profile prod]\n# managed by sso-bridge\nsso_session = local\nsso_account_id = 999988887777\n"));
    assert_eq!(s.finish(), 0);
}

#[test]
fn remove_names_exactly_our_profiles_of_this_session() {
    let home = temp_home();
    let mut s = two_portals(home.path());
    ok(&s.request(&apply(4, "local", json!([profile("l1", "999988887777"), profile("l2", "999988887777")]), false)));
    let mut text = config(home.path());
    text.push_str("[profile mine]\nsso_session = local\nsso_account_id = 999988887777\nsso_role_name = Admin\n");
    fs::write(config_path(home.path()), &text).unwrap();

    let remove = |id: u64, names: Value, dry_run: bool| json!({"id": id, "action": "applyProfiles", "params": {"sessionName": "local", "profiles": [], "remove": names, "dryRun": dry_run}});
    for (names, code, field) in [
        (json!(["l1", "mine"]), "profile_not_managed", "params.remove[1]"),
        (json!(["prod"]), "profile_owned_by_other_session", "params.remove[0]"),
        (json!(["gone"]), "profile_not_managed", "params.remove[0]"),
        (json!(["l1", "l1"]), "invalid_field", "params.remove[1]"),
    ] {
        let reply = s.request(&remove(5, names.clone(), false));
        assert_eq!(error(&reply).0, code, "{names}: {reply}");
        assert_eq!(error(&reply).1, field, "{names}");
    }
    assert_eq!(config(home.path()), text, "refusals write nothing");
    let dry = s.request(&remove(6, json!(["l1"]), true));
    assert_eq!(ok(&dry)["removed"], json!(["l1"]));
    assert!(ok(&dry)["diff"].as_str().unwrap().contains("-[profile l1]"));
    assert!(ok(&dry).get("undoToken").is_none(), "a dry run offers no undo");
    assert_eq!(config(home.path()), text, "a dry run writes nothing");
    let real = s.request(&remove(7, json!(["l1"]), false));
    assert_eq!(ok(&real)["removed"], json!(["l1"]));
    let after = config(home.path());
    assert!(
        !after.contains("[profile l1]")
            && after.contains("[profile l2]")
            && after.contains("[profile mine]")
            && after.contains("[profile prod]")
    );
    assert_eq!(s.finish(), 0);
}

#[test]
fn undo_restores_the_file_only_while_it_is_what_the_apply_wrote() {
    let home = temp_home();
    let mut s = two_portals(home.path());
    let before = config(home.path());
    let result = ok(&s.request(&apply(4, "corp", json!([profile("dev", "111122223333")]), true))).clone();
    assert_eq!(result["removed"], json!(["prod"]));
    let token = result["undoToken"].as_str().expect("an undo token").to_string();
    let undo = |id: u64, token: &str| json!({"id": id, "action": "undo", "params": {"undoToken": token}});
    let undone = s.request(&undo(5, &token));
    assert_eq!(ok(&undone)["restored"], true);
    assert!(ok(&undone)["diff"].as_str().unwrap().contains("+[profile prod]"), "{undone}");
    assert_eq!(config(home.path()), before);
    assert_eq!(error(&s.request(&undo(6, &token))).0, "undo_unavailable", "one undo per apply");

    // A person's edit after the apply makes its undo unavailable, and nothing changes.
    let token = ok(&s.request(&apply(7, "corp", json!([profile("dev", "111122223333")]), false)))["undoToken"]
        .as_str()
        .unwrap()
        .to_string();
    let edited = format!("{}# my note\n", config(home.path()));
    fs::write(config_path(home.path()), &edited).unwrap();
    let (code, field, _) = error(&s.request(&undo(8, &token)));
    assert_eq!((code.as_str(), field.as_str()), ("undo_unavailable", "params.undoToken"));
    assert_eq!(config(home.path()), edited);
    // So does a later apply (its own undo data replaces the earlier one's).
    let older = ok(&s.request(&apply(9, "corp", json!([profile("a", "111122223333")]), false)))["undoToken"]
        .as_str()
        .unwrap()
        .to_string();
    let newer = ok(&s.request(&apply(10, "corp", json!([profile("b", "111122223333")]), false)))["undoToken"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(error(&s.request(&undo(11, &older))).0, "undo_unavailable");
    ok(&s.request(&undo(12, &newer)));
    assert_eq!(error(&s.request(&undo(13, "v1.nope"))).1, "params.undoToken");
    assert_eq!(s.finish(), 0);
}

#[test]
fn save_token_never_repoints_a_session_without_takeover() {
    let home = temp_home();
    fs::create_dir_all(home.path().join(".aws")).unwrap();
    let hand = format!("[sso-session corp]\nsso_start_url = {CORP}\nsso_region = us-east-1\n");
    fs::write(config_path(home.path()), &hand).unwrap();
    let token_file = home.path().join(".aws/sso/cache").join(cache_file_name("corp"));
    let mut s = Session::start(home.path());

    let (code, field, message) =
        error(&s.request(&save_token(1, "corp", "https://evil.awsapps.com/start", "aoaX", "2099-01-01T00:00:00Z")));
    assert_eq!((code.as_str(), field.as_str()), ("session_conflict", "params.startUrl"));
    assert!(message.contains(CORP), "names the existing start URL: {message}");
    let mut other_region = save_token(2, "corp", CORP, "aoaX", "2099-01-01T00:00:00Z");
    other_region["params"]["region"] = json!("eu-west-1");
    assert_eq!(error(&s.request(&other_region)).1, "params.region");
    assert_eq!(config(home.path()), hand);
    assert!(!token_file.exists(), "a refused saveToken writes no token either");

    // The same portal (even copied with `/#/`) is not a conflict; the section is not ours.
    ok(&s.request(&save_token(3, "corp", &format!("{CORP}/#/"), "aoaX", "2099-01-01T00:00:00Z")));
    ok(&s.request(&save_token(4, "new", LOCAL, "aoaY", "2099-01-01T00:00:00Z")));
    let status = s.request(&json!({"id": 5, "action": "status"}));
    let managed: Vec<(String, bool)> = ok(&status)["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap().to_string(), s["managed"].as_bool().unwrap()))
        .collect();
    assert_eq!(managed, [("corp".to_string(), false), ("new".to_string(), true)]);

    other_region["id"] = json!(6);
    other_region["params"]["takeover"] = json!(true);
    assert_eq!(ok(&s.request(&other_region))["sessionSection"], "updated");
    assert!(config(home.path()).contains("sso_region = eu-west-1"));
    assert_eq!(s.finish(), 0);
}

/// A session with two of our profiles, a role-credential cache file for one, and its token.
fn portal_with_files(home: &Path, hand_written_user: bool) -> (Session, Vec<std::path::PathBuf>) {
    let mut s = two_portals(home);
    ok(&s.request(&apply(4, "corp", json!([profile("dev", "111122223333")]), false)));
    if hand_written_user {
        let text = format!(
            "{}[profile mine]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n",
            config(home)
        );
        fs::write(config_path(home), text).unwrap();
    }
    let cli_cache = home.join(".aws/cli/cache");
    fs::create_dir_all(&cli_cache).unwrap();
    let role_file = cli_cache.join(role_cache_file_name("111122223333", "Admin", "corp"));
    fs::write(&role_file, r#"{"ProviderType": "sso", "Credentials": {}}"#).unwrap();
    let token = home.join(".aws/sso/cache").join(cache_file_name("corp"));
    assert!(token.exists());
    (s, vec![token, role_file])
}

fn remove_session(id: u64, remove_profiles: bool, dry_run: bool) -> Value {
    json!({"id": id, "action": "removeSession", "params": {"sessionName": "corp", "removeProfiles": remove_profiles, "dryRun": dry_run}})
}

fn paths(files: &[std::path::PathBuf]) -> Value {
    json!(files.iter().map(|f| f.to_str().unwrap()).collect::<Vec<_>>())
}

#[test]
fn remove_session_keeps_the_section_a_hand_written_profile_uses() {
    let home = temp_home();
    let (mut s, files) = portal_with_files(home.path(), true);
    let before = config(home.path());
    let dry = s.request(&remove_session(5, true, true));
    let r = ok(&dry);
    assert_eq!(r["removedFiles"], paths(&files));
    assert_eq!(r["removedProfiles"], json!(["prod", "dev"]));
    assert_eq!((r["sessionRemoved"].clone(), r["sessionKeptFor"].clone()), (json!(false), json!(["mine"])));
    assert!(r["diff"].as_str().unwrap().contains("-[profile dev]"));
    assert_eq!(config(home.path()), before, "a dry run writes nothing");
    assert!(files.iter().all(|f| f.exists()), "a dry run removes nothing");

    let real = s.request(&remove_session(6, true, false));
    let r = ok(&real);
    assert_eq!(r["removedFiles"], paths(&files));
    assert!(r.get("diff").is_none());
    assert!(files.iter().all(|f| !f.exists()));
    let after = config(home.path());
    assert!(
        after.contains("[sso-session corp]")
            && after.contains("[profile mine]")
            && after.contains("[sso-session local]"),
        "{after}"
    );
    assert!(!after.contains("[profile dev]") && !after.contains("[profile prod]"), "{after}");
    assert_eq!(s.finish(), 0);
}

#[test]
fn remove_session_removes_everything_of_ours_and_nothing_else() {
    let home = temp_home();
    let (mut s, files) = portal_with_files(home.path(), false);
    ok(&s.request(&apply(5, "local", json!([profile("l1", "999988887777")]), false)));
    // Without removeProfiles: the token and role credentials only (like logout).
    let before = config(home.path());
    let r = ok(&s.request(&remove_session(6, false, false))).clone();
    assert_eq!(
        (r["removedFiles"].clone(), r["removedProfiles"].clone(), r["sessionRemoved"].clone()),
        (paths(&files), json!([]), json!(false))
    );
    assert_eq!(config(home.path()), before);

    let r = ok(&s.request(&remove_session(7, true, false))).clone();
    assert_eq!((r["removedFiles"].clone(), r["sessionRemoved"].clone()), (json!([]), json!(true)));
    assert!(r.get("sessionKeptFor").is_none());
    let after = config(home.path());
    assert_eq!(after, format!("[sso-session local]\n# managed by sso-bridge\nsso_start_url = {LOCAL}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n[profile l1]\n# managed by sso-bridge\nsso_session = local\nsso_account_id = 999988887777\nsso_role_name = Admin\n"));
    assert!(
        home.path().join(".aws/sso/cache").join(cache_file_name("local")).exists(),
        "the other portal's token stays"
    );
    // Removing a session that is gone already is not an error.
    let r = ok(&s.request(&remove_session(8, true, false))).clone();
    assert_eq!(
        (r["removedFiles"].clone(), r["removedProfiles"].clone(), r["sessionRemoved"].clone()),
        (json!([]), json!([]), json!(false))
    );
    assert_eq!(s.finish(), 0);
}

#[test]
fn a_one_shot_host_refuses_a_conflicting_save_token() {
    // One-shot runs (as the browser starts the host per message) see the same rules.
    let home = temp_home();
    let run = run_json(
        home.path(),
        &[
            save_token(1, "corp", CORP, "aoaX", "2099-01-01T00:00:00Z"),
            save_token(2, "corp", LOCAL, "aoaX", "2099-01-01T00:00:00Z"),
        ],
    );
    assert_eq!(run.replies[1]["error"]["code"], "session_conflict", "{:?}", run.replies);
}
