//! Folder sync targets (issue 15) through the real host: a second HOME gets the same token and
//! profiles as the local one, and AWS CLI v1 run with that HOME answers; a broken target is
//! reported without touching the local write; logout and removeSession clean the target too.

mod common;

use std::path::Path;

use common::aws_cli::assert_identity;
use common::idc::{device_login, save_token_request, DeviceToken};
use serde_json::{json, Value};
use ssobridge_core::token_cache::cache_file_name;

const START_URL: &str = "https://d-1234567890.awsapps.com/start";

fn save_and_apply(token: &DeviceToken, targets: Value) -> [Value; 2] {
    let expires_at = ssobridge_host::actions::system_now() + token.expires_in;
    [
        save_token_request(1, "emu", START_URL, token, expires_at, &targets),
        json!({"id": 2, "action": "applyProfiles", "params": {"sessionName": "emu", "profiles": [
            {"name": "dev", "accountId": "111122223333", "roleName": "AdministratorAccess", "region": "us-west-2"}],
            "targets": targets}}),
    ]
}

fn folder(path: &Path) -> Value {
    json!({"kind": "folder", "path": path.to_str().expect("utf-8 path")})
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_second_home_gets_the_session_and_the_aws_cli_uses_it() {
    let emu = common::idc::dev_account_emulator();
    let home = common::temp_home();
    let other = common::temp_home();
    let target = folder(&other.path().join(".aws"));
    let token = device_login(&emu, START_URL);
    let run = common::run_json(home.path(), &save_and_apply(&token, json!([target])));
    for reply in &run.replies {
        assert_eq!(reply["ok"], true, "{reply}\n{}", run.stderr);
        assert_eq!(reply["result"]["targets"], json!([{"target": target, "ok": true}]), "{reply}");
    }
    assert_identity(home.path(), &emu, "dev", "111122223333");
    assert_identity(other.path(), &emu, "dev", "111122223333");
    let token_file = other.path().join(".aws/sso/cache").join(cache_file_name("emu"));
    let config = std::fs::read_to_string(other.path().join(".aws/config")).unwrap();
    assert!(!config.contains('\r'), "LF only: {config:?}");
    #[cfg(unix)]
    {
        assert_eq!(mode(&token_file), 0o600);
        assert_eq!(mode(&other.path().join(".aws/config")), 0o600);
        assert_eq!(mode(&other.path().join(".aws")), 0o700);
        assert_eq!(mode(&other.path().join(".aws/sso/cache")), 0o700);
    }
    // The same bytes as the local token file.
    assert_eq!(
        std::fs::read(&token_file).unwrap(),
        std::fs::read(home.path().join(".aws/sso/cache").join(cache_file_name("emu"))).unwrap()
    );

    // Logout forgets the token there too; removeSession takes our profiles out of it.
    let run = common::run_json(
        home.path(),
        &[
            json!({"id": 3, "action": "logout", "params": {"sessionName": "emu", "targets": [target]}}),
            json!({"id": 4, "action": "removeSession", "params": {"sessionName": "emu", "removeProfiles": true, "targets": [target]}}),
        ],
    );
    for reply in &run.replies {
        assert_eq!(reply["result"]["targets"][0]["ok"], true, "{reply}");
    }
    assert!(!token_file.exists());
    let config = std::fs::read_to_string(other.path().join(".aws/config")).unwrap();
    assert!(!config.contains("[profile dev]") && !config.contains("[sso-session emu]"), "{config}");
}

#[test]
fn a_broken_target_is_reported_and_the_local_write_is_unchanged() {
    let emu = common::idc::dev_account_emulator();
    let home = common::temp_home();
    let other = common::temp_home();
    // A file where the target's `.aws` folder should be: nothing can be written there.
    let blocked = other.path().join("not-a-folder");
    std::fs::write(&blocked, "keep me").unwrap();
    let good = other.path().join("good/.aws");
    let targets = json!([folder(&blocked), folder(&good)]);
    let token = device_login(&emu, START_URL);
    let run = common::run_json(home.path(), &save_and_apply(&token, targets.clone()));
    for reply in &run.replies {
        assert_eq!(reply["ok"], true, "{reply}");
        let results = reply["result"]["targets"].as_array().unwrap();
        assert_eq!(results.len(), 2, "{reply}");
        assert_eq!(results[0]["target"], targets[0]);
        assert_eq!(results[0]["ok"], false);
        assert_eq!(results[0]["error"]["code"], "io_error", "{reply}");
        assert_eq!(results[1]["ok"], true, "one failing target does not stop the next: {reply}");
    }
    assert_eq!(run.replies[0]["result"]["sessionSection"], "added");
    assert_eq!(run.replies[1]["result"]["added"], json!(["dev"]));
    assert_eq!(std::fs::read_to_string(&blocked).unwrap(), "keep me");
    assert_identity(home.path(), &emu, "dev", "111122223333");
    assert_identity(good.parent().unwrap(), &emu, "dev", "111122223333");
}

#[test]
fn a_target_never_gets_a_session_that_conflicts_there_and_its_config_is_kept() {
    let home = common::temp_home();
    let other = common::temp_home();
    let aws = other.path().join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    let theirs = "[sso-session emu]\nsso_start_url = https://other.awsapps.com/start\nsso_region = us-east-1\n";
    std::fs::write(aws.join("config"), theirs).unwrap();
    let mut request = common::save_token(1, "emu", START_URL, "aoaToken", "2099-01-01T00:00:00Z");
    request["params"]["targets"] = json!([folder(&aws)]);
    let run = common::run_json(home.path(), &[request]);
    assert_eq!(run.replies[0]["ok"], true, "{}", run.replies[0]);
    assert_eq!(run.replies[0]["result"]["targets"][0]["error"]["code"], "session_conflict", "{}", run.replies[0]);
    assert_eq!(std::fs::read_to_string(aws.join("config")).unwrap(), theirs);
    assert!(!aws.join("sso/cache").join(cache_file_name("emu")).exists(), "no token next to a foreign session");
}

#[test]
fn a_bad_target_is_refused_by_field_and_never_blocks_the_local_write() {
    let home = common::temp_home();
    let good = common::temp_home();
    let good_target = folder(&good.path().join(".aws"));
    let planted = home.path().join("proxy-command-ran");
    for (bad, field) in [
        (
            json!({"kind": "ssh", "host": format!("-oProxyCommand=touch {}", planted.display())}),
            "params.targets[0].host",
        ),
        (json!({"kind": "folder", "path": "relative/.aws"}), "params.targets[0].path"),
        (json!({"kind": "wsl", "distro": "Ubuntu\\..\\x"}), "params.targets[0].distro"),
        (good_target.clone(), "params.targets[2]"),
    ] {
        let mut request = common::save_token(1, "emu", START_URL, "aoaToken", "2099-01-01T00:00:00Z");
        let first_is_bad = field.starts_with("params.targets[0]");
        request["params"]["targets"] = if first_is_bad {
            json!([bad, good_target])
        } else {
            json!([good_target, folder(&good.path().join("second/.aws")), bad])
        };
        let run = common::run_json(home.path(), &[request]);
        let reply = &run.replies[0];
        assert_eq!(reply["ok"], true, "{reply}");
        let results = reply["result"]["targets"].as_array().unwrap();
        let (bad_result, good_result) =
            if first_is_bad { (&results[0], &results[1]) } else { (&results[2], &results[0]) };
        assert_eq!(bad_result["error"]["code"], "invalid_field", "{reply}");
        assert_eq!(bad_result["error"]["field"], field, "{reply}");
        assert_eq!(good_result["ok"], true, "{reply}");
        assert!(home.path().join(".aws/sso/cache").join(cache_file_name("emu")).exists());
    }
    assert!(!planted.exists(), "ssh never ran for an invalid destination");
    let too_many: Vec<Value> = (0..17).map(|i| json!({"kind": "folder", "path": format!("/f{i}")})).collect();
    let run = common::run_json(
        home.path(),
        &[json!({"id": 1, "action": "logout", "params": {"sessionName": "emu", "targets": too_many}})],
    );
    assert_eq!(run.replies[0]["error"]["field"], "params.targets", "{}", run.replies[0]);
    let run = common::run_json(
        home.path(),
        &[
            json!({"id": 1, "action": "logout", "params": {"sessionName": "emu", "targets": [{"kind": "ftp", "host": "h"}]}}),
        ],
    );
    assert_eq!(run.replies[0]["error"]["code"], "invalid_field", "{}", run.replies[0]);
}

#[test]
fn discover_targets_lists_no_wsl_distribution_off_windows() {
    let home = common::temp_home();
    let run = common::run_json(home.path(), &[json!({"id": 1, "action": "discoverTargets"})]);
    assert_eq!(run.replies[0]["ok"], true, "{}", run.replies[0]);
    assert_eq!(run.replies[0]["result"], json!({"targets": []}));
}
