//! Interop: what the host writes is enough for AWS CLI v1 (botocore) to get role credentials
//! from the IAM Identity Center emulator and call STS, with no `aws sso login`; and botocore's
//! refresh of a near-expiry token leaves a file every reader accepts.

mod common;

use std::path::Path;

use common::aws_cli::aws;
use common::idc::device_login;
use serde_json::json;
use ssobridge_core::token_cache::{cache_file_name, parse_timestamp};

const START_URL: &str = "https://d-1234567890.awsapps.com/start";

fn emulator() -> idc_emulator::Emulator {
    common::idc::dev_account_emulator()
}

/// saveToken + applyProfiles through the real host.
fn write_with_host(home: &Path, token: &common::idc::DeviceToken, expires_at: i64) {
    let run = common::run_json(
        home,
        &[
            common::idc::save_token_request(1, "emu", START_URL, token, expires_at, &serde_json::Value::Null),
            common::apply(
                2,
                "emu",
                json!([
                {"name": "dev", "accountId": "111122223333", "roleName": "AdministratorAccess", "region": "us-west-2", "output": "json"},
                {"name": "ro", "accountId": "111122223333", "roleName": "ReadOnlyAccess", "region": "us-west-2"}]),
                false,
            ),
        ],
    );
    assert!(run.replies.iter().all(|r| r["ok"] == true), "{:?}\n{}", run.replies, run.stderr);
}

fn now() -> i64 {
    ssobridge_host::actions::system_now()
}

#[test]
fn aws_cli_v1_uses_what_the_host_wrote() {
    let emu = emulator();
    let home = common::temp_home();
    let token = device_login(&emu, START_URL);
    write_with_host(home.path(), &token, now() + token.expires_in);
    for (profile, role) in [("dev", "AdministratorAccess"), ("ro", "ReadOnlyAccess")] {
        let out = aws(home.path(), &emu, &["sts", "get-caller-identity", "--profile", profile, "--output", "json"]);
        assert!(out.status.success(), "aws failed for {profile}: {}", String::from_utf8_lossy(&out.stderr));
        let identity: serde_json::Value = serde_json::from_slice(&out.stdout).expect("identity JSON");
        assert_eq!(identity["Account"], "111122223333");
        let arn = identity["Arn"].as_str().unwrap_or_default();
        assert!(arn.starts_with(&format!("arn:aws:sts::111122223333:assumed-role/{role}/")), "{arn}");
    }
    assert_eq!(
        emu.counts().get("CreateToken").copied().unwrap_or(0),
        1,
        "no refresh for a fresh token: {:?}",
        emu.counts()
    );
}

/// Issue 9: a second portal with an account of the same name asks for the same profile; the host
/// refuses the rebind, and the AWS CLI still answers for the first portal's account.
#[test]
fn a_refused_rebind_keeps_the_profile_on_its_account() {
    let emu = emulator();
    let home = common::temp_home();
    let token = device_login(&emu, START_URL);
    write_with_host(home.path(), &token, now() + token.expires_in);
    let run = common::run_json(
        home.path(),
        &[
            common::save_token(1, "other", "http://127.0.0.1:9/start", "aoaOther", "2099-01-01T00:00:00Z"),
            common::apply(
                2,
                "other",
                json!([{"name": "dev", "accountId": "999988887777", "roleName": "AdministratorAccess"}]),
                false,
            ),
        ],
    );
    assert_eq!(run.replies[0]["ok"], true, "{}", run.replies[0]);
    assert_eq!(run.replies[1]["error"]["code"], "profile_owned_by_other_session", "{}", run.replies[1]);
    let out = aws(home.path(), &emu, &["sts", "get-caller-identity", "--profile", "dev", "--output", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let identity: serde_json::Value = serde_json::from_slice(&out.stdout).expect("identity JSON");
    assert_eq!(identity["Account"], "111122223333");
}

#[test]
fn botocore_refreshes_a_near_expiry_token_and_the_file_stays_strict() {
    let emu = emulator();
    let home = common::temp_home();
    let token = device_login(&emu, START_URL);
    assert!(token.refresh_token.is_some(), "the emulator must issue refresh tokens");
    // botocore refreshes when less than 15 minutes are left.
    write_with_host(home.path(), &token, now() + 5 * 60);
    let out = aws(home.path(), &emu, &["sts", "get-caller-identity", "--profile", "dev"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        emu.counts().get("CreateToken").copied().unwrap_or(0),
        2,
        "botocore refreshed through the emulator: {:?}",
        emu.counts()
    );
    let file = home.path().join(".aws/sso/cache").join(cache_file_name("emu"));
    let cached: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_ne!(cached["accessToken"], token.access_token.as_str(), "a new access token was written");
    for key in ["expiresAt", "registrationExpiresAt"] {
        let text = cached[key].as_str().unwrap_or_default();
        assert!(
            parse_timestamp(text).is_ok() && text.ends_with('Z') && text.len() == 20,
            "{key} = {text:?} is not strict UTC"
        );
    }
    // The host still reads it, and sees the later expiry.
    let status = common::run_json(home.path(), &[json!({"id": 1, "action": "status"})]);
    let expires = status.replies[0]["result"]["sessions"][0]["token"]["expiresAt"].as_str().unwrap().to_string();
    assert!(parse_timestamp(&expires).unwrap() > now() + 10 * 60, "{expires}");
}

/// The `doctor` findings about botocore hold for AWS CLI v1: a duplicate section or key makes
/// every command fail, and `[DEFAULT]` leaks its keys into profiles.
#[test]
fn doctors_claims_about_botocore_hold() {
    let emu = emulator();
    let home = common::temp_home();
    let token = device_login(&emu, START_URL);
    write_with_host(home.path(), &token, now() + token.expires_in);
    let no_region = common::run_json(
        home.path(),
        &[common::apply(
            1,
            "emu",
            json!([{"name": "bare", "accountId": "111122223333", "roleName": "ReadOnlyAccess"}]),
            false,
        )],
    );
    assert_eq!(no_region.replies[0]["ok"], true);
    let config = home.path().join(".aws/config");
    let good = std::fs::read_to_string(&config).unwrap();
    let identity = |home: &Path| aws(home, &emu, &["sts", "get-caller-identity", "--profile", "dev"]);

    assert!(identity(home.path()).status.success());
    let bare = aws(home.path(), &emu, &["sts", "get-caller-identity", "--profile", "bare"]);
    assert!(!bare.status.success(), "a profile without region needs one from somewhere");

    std::fs::write(&config, format!("{good}[DEFAULT]\nregion = us-west-2\n")).unwrap();
    let bare = aws(home.path(), &emu, &["sts", "get-caller-identity", "--profile", "bare"]);
    assert!(
        bare.status.success(),
        "[DEFAULT] region leaked into the profile: {}",
        String::from_utf8_lossy(&bare.stderr)
    );

    for (broken, why) in [
        (format!("{good}[profile dev]\nregion = us-west-2\n"), "duplicate section"),
        (good.replace("[profile ro]\n", "[profile ro]\nregion = eu-west-1\n"), "duplicate key"),
    ] {
        std::fs::write(&config, broken).unwrap();
        let out = identity(home.path());
        assert!(!out.status.success(), "botocore accepted a {why}");
        assert!(ssobridge_core::config::lint(&std::fs::read_to_string(&config).unwrap()).iter().any(|f| matches!(
            f.kind,
            ssobridge_core::config::FindingKind::DuplicateSection | ssobridge_core::config::FindingKind::DuplicateKey
        )));
    }
}
