//! SSH sync targets (issue 15) against a real OpenSSH server started by the test (see
//! `common/sshd.rs`): the AWS CLI run with the remote HOME works, an unreachable host is
//! reported per target while the local write succeeds, and a remote config changed between the
//! host's read and its write is reported as `remote_changed` with nothing lost.

mod common;

use std::path::Path;

use common::aws_cli::assert_identity;
use common::idc::{device_login, save_token_request, DeviceToken};
use common::sshd::{Sshd, THEIR_EDIT};
use serde_json::{json, Value};
use ssobridge_core::token_cache::cache_file_name;
use ssobridge_host::targets::SSH_CONFIG_ENV;

const START_URL: &str = "https://d-1234567890.awsapps.com/start";

fn run(home: &Path, sshd: &Sshd, requests: &[Value]) -> common::Run {
    let mut command = common::host_command(home);
    command.env(SSH_CONFIG_ENV, &sshd.ssh_config);
    let input: Vec<u8> = requests.iter().flat_map(|r| common::frame(r.to_string().as_bytes())).collect();
    common::run_command(command, &input)
}

fn save(token: &DeviceToken, targets: &Value) -> Value {
    let expires_at = ssobridge_host::actions::system_now() + token.expires_in;
    save_token_request(1, "emu", START_URL, token, expires_at, targets)
}

/// A signed-in session synced to the test's sshd, every reply checked.
struct Synced {
    sshd: Sshd,
    emu: idc_emulator::Emulator,
    home: tempfile::TempDir,
    targets: Value,
}

fn signed_in_and_synced() -> Synced {
    let sshd = Sshd::start();
    let emu = common::idc::dev_account_emulator();
    let home = common::temp_home();
    let targets = json!([{"kind": "ssh", "host": "target"}]);
    let token = device_login(&emu, START_URL);
    let out = run(home.path(), &sshd, &[save(&token, &targets), apply(2, &["dev"], &targets)]);
    for reply in &out.replies {
        assert_eq!(reply["ok"], true, "{reply}");
        assert_eq!(reply["result"]["targets"], json!([{"target": targets[0], "ok": true}]), "{reply}\n{}", sshd.log());
    }
    Synced { sshd, emu, home, targets }
}

fn apply(id: u64, names: &[&str], targets: &Value) -> Value {
    let profiles: Vec<Value> = names
        .iter()
        .map(|n| json!({"name": n, "accountId": "111122223333", "roleName": "ReadOnlyAccess", "region": "us-west-2"}))
        .collect();
    json!({"id": id, "action": "applyProfiles", "params": {"sessionName": "emu", "profiles": profiles, "targets": targets}})
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn the_remote_home_gets_the_session_and_the_aws_cli_there_works() {
    let Synced { sshd, emu, home, targets } = signed_in_and_synced();
    let remote = sshd.remote_aws();
    assert_identity(&sshd.remote_home, &emu, "dev", "111122223333");
    let token_file = remote.join("sso/cache").join(cache_file_name("emu"));
    assert_eq!(
        std::fs::read(&token_file).unwrap(),
        std::fs::read(home.path().join(".aws/sso/cache").join(cache_file_name("emu"))).unwrap()
    );
    assert_eq!(mode(&token_file), 0o600);
    assert_eq!(mode(&remote.join("config")), 0o600);
    assert_eq!(mode(&remote), 0o700);
    let leftovers: Vec<_> = std::fs::read_dir(&remote)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("sso-bridge-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let out = run(
        home.path(),
        &sshd,
        &[json!({"id": 3, "action": "logout", "params": {"sessionName": "emu", "targets": targets}})],
    );
    assert_eq!(out.replies[0]["result"]["targets"][0]["ok"], true, "{}", out.replies[0]);
    assert!(!token_file.exists(), "logout removed the remote token");
}

#[test]
fn an_unreachable_host_is_reported_and_the_local_write_succeeds() {
    let sshd = Sshd::start();
    let home = common::temp_home();
    let targets = json!([{"kind": "ssh", "host": "nowhere"}]);
    let mut request = common::save_token(1, "emu", START_URL, "aoaToken", "2099-01-01T00:00:00Z");
    request["params"]["targets"] = targets.clone();
    let out = run(home.path(), &sshd, &[request]);
    let reply = &out.replies[0];
    assert_eq!(reply["ok"], true, "{reply}");
    assert_eq!(reply["result"]["sessionSection"], "added");
    assert_eq!(reply["result"]["targets"][0]["target"], targets[0]);
    assert_eq!(reply["result"]["targets"][0]["ok"], false);
    assert_eq!(reply["result"]["targets"][0]["error"]["code"], "target_unreachable", "{reply}");
    assert!(home.path().join(".aws/sso/cache").join(cache_file_name("emu")).exists());
    assert!(!out.stderr.contains("aoaToken") && !reply.to_string().contains("client-secret"));
}

#[test]
fn a_remote_change_between_read_and_write_is_kept_and_reported() {
    let Synced { sshd, emu, home, targets } = signed_in_and_synced();

    let remote_config = sshd.remote_aws().join("config");
    let before = std::fs::read_to_string(&remote_config).unwrap();
    sshd.change_config_before_next_write();
    let out = run(home.path(), &sshd, &[apply(3, &["dev", "ops"], &targets)]);
    let reply = &out.replies[0];
    assert_eq!(reply["ok"], true, "{reply}");
    assert_eq!(reply["result"]["added"], json!(["ops"]), "the local write is whole: {reply}");
    assert_eq!(reply["result"]["targets"][0]["error"]["code"], "remote_changed", "{reply}\n{}", sshd.log());
    assert_eq!(
        std::fs::read_to_string(&remote_config).unwrap(),
        format!("{before}{THEIR_EDIT}"),
        "the remote change is kept and nothing of ours was written over it"
    );
    let local = std::fs::read_to_string(home.path().join(".aws/config")).unwrap();
    assert!(local.contains("[profile ops]"), "{local}");

    // The next sync applies ours on top of theirs.
    let out = run(home.path(), &sshd, &[apply(4, &["dev", "ops"], &targets)]);
    assert_eq!(out.replies[0]["result"]["targets"][0]["ok"], true, "{}", out.replies[0]);
    let remote = std::fs::read_to_string(&remote_config).unwrap();
    assert!(remote.contains("[profile theirs]") && remote.contains("[profile ops]"), "{remote}");
    assert_identity(&sshd.remote_home, &emu, "ops", "111122223333");
}

#[test]
fn a_symlinked_remote_config_is_written_through() {
    let sshd = Sshd::start();
    let home = common::temp_home();
    let dotfiles = sshd.remote_home.join("dotfiles");
    std::fs::create_dir_all(&dotfiles).unwrap();
    std::fs::create_dir_all(sshd.remote_aws()).unwrap();
    std::fs::write(dotfiles.join("aws-config"), "[default]\nregion = eu-west-1\n").unwrap();
    std::os::unix::fs::symlink(dotfiles.join("aws-config"), sshd.remote_aws().join("config")).unwrap();
    let targets = json!([{"kind": "ssh", "host": "target"}]);
    let mut request = common::save_token(1, "emu", START_URL, "aoaToken", "2099-01-01T00:00:00Z");
    request["params"]["targets"] = targets;
    let out = run(home.path(), &sshd, &[request]);
    assert_eq!(out.replies[0]["result"]["targets"][0]["ok"], true, "{}\n{}", out.replies[0], sshd.log());
    let link = std::fs::symlink_metadata(sshd.remote_aws().join("config")).unwrap();
    assert!(link.file_type().is_symlink(), "the link stays a link");
    let text = std::fs::read_to_string(dotfiles.join("aws-config")).unwrap();
    assert!(text.starts_with("[default]\nregion = eu-west-1\n") && text.contains("[sso-session emu]"), "{text}");
}
