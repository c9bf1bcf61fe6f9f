//! The actions' effects on disk, through the real binary in a temporary HOME.

mod common;

use std::fs;

use common::{apply, config_path, run_json, save_token, temp_home};
use serde_json::json;

const URL: &str = "https://d-1234567890.awsapps.com/start";

#[test]
fn save_token_writes_the_cache_file_exactly_and_privately() {
    let home = temp_home();
    let run = run_json(home.path(), &[save_token(1, "my-sso", URL, "aoaSECRETACCESS", "2099-01-02T03:04:05.678Z")]);
    assert_eq!(run.replies[0]["ok"], true, "{}", run.replies[0]);
    let file = home.path().join(".aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json");
    let token: serde_json::Value = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        token,
        json!({"startUrl": URL, "region": "us-east-1", "accessToken": "aoaSECRETACCESS", "expiresAt": "2099-01-02T03:04:05Z",
               "clientId": "client-id", "clientSecret": "client-secret", "registrationExpiresAt": "2099-01-01T00:00:00Z",
               "refreshToken": "aorRefresh"})
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(file.parent().unwrap()), 0o700);
        assert_eq!(mode(&config_path(home.path())), 0o600);
    }
    assert_eq!(
        fs::read_to_string(config_path(home.path())).unwrap(),
        format!("[sso-session my-sso]\n# managed by sso-bridge\nsso_start_url = {URL}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n")
    );
    assert!(!run.stderr.contains("SECRET"), "a token reached the log: {}", run.stderr);
}

#[test]
fn logs_never_contain_tokens_even_at_debug_level_or_on_errors() {
    let home = temp_home();
    let mut bad = save_token(2, "s", URL, "aoaSECRET1", "2099-01-01T00:00:00Z");
    bad["params"]["token"]["clientSecret"] = json!("has SECRET2 space");
    let mut bad_type = save_token(3, "s", URL, "aoaSECRET3", "2099-01-01T00:00:00Z");
    bad_type["params"]["token"]["refreshToken"] = json!(["aorSECRET4"]);
    let mut child = common::host_command(home.path()).env("SSOBRIDGE_LOG", "debug").spawn().unwrap();
    use std::io::Write;
    let mut stdin = child.stdin.take().unwrap();
    for r in [save_token(1, "s", URL, "aoaSECRET0", "2099-01-01T00:00:00Z"), bad, bad_type] {
        stdin.write_all(&common::frame(r.to_string().as_bytes())).unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let (replies, _) = common::parse_frames(&out.stdout);
    assert_eq!(replies.len(), 3);
    assert_eq!(replies[1]["error"]["field"], "params.token.clientSecret");
    assert_eq!(replies[2]["error"]["field"], "params.token.refreshToken");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("saveToken"), "logging is on: {stderr}");
    assert!(!stderr.contains("SECRET"), "{stderr}");
    for r in &replies {
        assert!(!r.to_string().contains("SECRET"), "{r}");
    }
}

#[test]
fn host_keeps_hand_written_bytes_crlf_and_respects_aws_config_file() {
    let home = temp_home();
    let custom = home.path().join("elsewhere").join("aws-config");
    fs::create_dir_all(custom.parent().unwrap()).unwrap();
    let original = "# mine\r\n[default]\r\nregion = eu-west-1  \r\n\ts3 =\r\n[services local]\r\nsts =\r\n  endpoint_url = http://127.0.0.1:1\r\nunknown_key:kept";
    fs::write(&custom, original).unwrap();
    let mut child = common::host_command(home.path()).env("AWS_CONFIG_FILE", &custom).spawn().unwrap();
    use std::io::Write;
    let mut stdin = child.stdin.take().unwrap();
    for r in [
        save_token(1, "corp", URL, "aoa", "2099-01-01T00:00:00Z"),
        apply(
            2,
            "corp",
            json!([{"name": "dev", "accountId": "111122223333", "roleName": "Admin", "region": "us-east-1"}]),
            false,
        ),
    ] {
        stdin.write_all(&common::frame(r.to_string().as_bytes())).unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let (replies, _) = common::parse_frames(&out.stdout);
    assert!(replies.iter().all(|r| r["ok"] == true), "{replies:?}");
    let text = fs::read_to_string(&custom).unwrap();
    assert!(text.starts_with(&format!("{original}\r\n[sso-session corp]\r\n")), "{text:?}");
    assert!(text.ends_with("[profile dev]\r\n# managed by sso-bridge\r\nsso_session = corp\r\nsso_account_id = 111122223333\r\nsso_role_name = Admin\r\nregion = us-east-1\r\n"), "{text:?}");
    assert!(!config_path(home.path()).exists(), "~/.aws/config must not be created when AWS_CONFIG_FILE is set");
    // The backup holds the content before the last write.
    let backup = fs::read_to_string(custom.with_file_name("aws-config.sso-bridge.bak")).unwrap();
    assert!(backup.starts_with(original) && !backup.contains("[profile dev]"));
}

#[test]
fn a_broken_config_is_refused_with_its_line_and_left_untouched() {
    let home = temp_home();
    let path = config_path(home.path());
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let broken = "[profile a]\nregion = x\nthis is not ini\n";
    fs::write(&path, broken).unwrap();
    let run = run_json(home.path(), &[save_token(1, "corp", URL, "aoa", "2099-01-01T00:00:00Z")]);
    assert_eq!(run.replies[0]["error"]["code"], "config_parse_error");
    assert!(run.replies[0]["error"]["message"].as_str().unwrap().contains("line 3"));
    assert_eq!(fs::read_to_string(&path).unwrap(), broken);
    assert!(
        !home.path().join(".aws/sso/cache").join(ssobridge_core::token_cache::cache_file_name("corp")).exists(),
        "no token written either"
    );
}

#[test]
fn new_token_removes_only_this_sessions_sso_role_credentials() {
    let home = temp_home();
    let cache = home.path().join(".aws/cli/cache");
    fs::create_dir_all(&cache).unwrap();
    let name = ssobridge_core::token_cache::role_cache_file_name;
    let sso = r#"{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIA"}}"#;
    fs::write(cache.join(name("111122223333", "Admin", "corp")), sso).unwrap();
    fs::write(cache.join(name("111122223333", "Admin", "other")), sso).unwrap();
    fs::write(cache.join(name("444455556666", "ReadOnly", "corp")), r#"{"ProviderType": "assume-role"}"#).unwrap();
    let setup = run_json(
        home.path(),
        &[
            save_token(1, "corp", URL, "aoa1", "2099-01-01T00:00:00Z"),
            apply(
                2,
                "corp",
                json!([{"name": "a", "accountId": "111122223333", "roleName": "Admin"}, {"name": "b", "accountId": "444455556666", "roleName": "ReadOnly"}]),
                false,
            ),
            save_token(3, "corp", URL, "aoa2", "2099-01-01T00:00:00Z"),
        ],
    );
    assert_eq!(setup.replies[2]["result"]["roleCacheRemoved"], 1, "{}", setup.replies[2]);
    assert!(!cache.join(name("111122223333", "Admin", "corp")).exists());
    assert!(cache.join(name("111122223333", "Admin", "other")).exists());
    assert!(cache.join(name("444455556666", "ReadOnly", "corp")).exists());
}

#[test]
fn status_reports_expiry_and_logout_removes_the_token() {
    let home = temp_home();
    let run = run_json(
        home.path(),
        &[
            save_token(1, "corp", URL, "aoa", "2099-01-01T00:00:00Z"),
            apply(2, "corp", json!([{"name": "dev", "accountId": "111122223333", "roleName": "Admin"}]), false),
            json!({"id": 3, "action": "status"}),
            json!({"id": 4, "action": "logout", "params": {"sessionName": "corp"}}),
            json!({"id": 5, "action": "status"}),
        ],
    );
    let session = &run.replies[2]["result"]["sessions"][0];
    assert_eq!(session["token"], json!({"expiresAt": "2099-01-01T00:00:00Z", "refreshable": true}));
    assert_eq!(session["profiles"][0]["managed"], true);
    assert_eq!(run.replies[3]["result"]["removedFiles"].as_array().unwrap().len(), 1);
    assert!(run.replies[4]["result"]["sessions"][0].get("token").is_none());
}

#[test]
fn hostile_values_are_refused_by_path_before_anything_is_written() {
    let home = temp_home();
    let good = || save_token(1, "corp", URL, "aoa", "2099-01-01T00:00:00Z");
    let profile = |field: &str, value: &str| {
        let mut p = json!({"name": "dev", "accountId": "111122223333", "roleName": "Admin", "region": "us-east-1", "output": "json"});
        p[field] = json!(value);
        apply(2, "corp", json!([p]), false)
    };
    let mut cases = Vec::new();
    for (field, value) in [
        ("sessionName", "corp]\n[profile x"),
        ("startUrl", "https://x.example/\ncredential_process = sh"),
        ("startUrl", "http://evil.example/start"),
        ("region", "us-east-1 #"),
    ] {
        let mut r = good();
        r["params"][field] = json!(value);
        cases.push((r, format!("params.{field}")));
    }
    for (field, value) in [("accessToken", "a b"), ("clientSecret", "x\ny"), ("expiresAt", "2099-01-01T00:00:00+00:00")]
    {
        let mut r = good();
        r["params"]["token"][field] = json!(value);
        cases.push((r, format!("params.token.{field}")));
    }
    let mut r = good();
    r["params"]["scopes"] = json!(["sso:account:access", "a,b"]);
    cases.push((r, "params.scopes[1]".into()));
    for (field, value) in [
        ("name", "dev\n[profile x]"),
        ("name", "dev;x"),
        ("accountId", "11112222333"),
        ("roleName", "Admin\ncredential_process = sh -c evil"),
        ("roleName", "Admin #"),
        ("region", "us-east-1\n[x]"),
        ("output", "json\ncredential_process=x"),
    ] {
        cases.push((profile(field, value), format!("params.profiles[0].{field}")));
    }
    for (request, field) in cases {
        let run = run_json(home.path(), std::slice::from_ref(&request));
        let error = &run.replies[0]["error"];
        assert_eq!(
            (error["code"].as_str(), error["field"].as_str()),
            (Some("invalid_field"), Some(field.as_str())),
            "{request}"
        );
        assert!(!home.path().join(".aws").exists(), "nothing may be written for {request}");
    }
}
